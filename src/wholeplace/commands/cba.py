"""`wholeplace unitcosts ...` and `wholeplace cba ...`: the cost-benefit appraisal edge."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from wholeplace.cba import model as cba_model
from wholeplace.cba import report as cba_report
from wholeplace.cba import sensitivity as cba_sens
from wholeplace.cba import simulate as cba_sim
from wholeplace.cba import unitcosts as uc
from wholeplace.cba.deflators import DeflatorError, parse_year, read_deflator_csv
from wholeplace.commands.common import (
    JsonOpt,
    WorkspaceOpt,
    console,
    open_workspace,
    print_json,
    user_errors,
)
from wholeplace.errors import InputError, Problem, WholeplaceError
from wholeplace.money import fmt_gbp, to_money
from wholeplace.workspace import DB_NAME, Workspace

unitcosts_app = typer.Typer(
    help="The Unit Cost Database: import the New Economy workbook, search, show, uprate.",
    no_args_is_help=True,
)
deflators_app = typer.Typer(help="GDP deflator series used for uprating.", no_args_is_help=True)
unitcosts_app.add_typer(deflators_app, name="deflators")
app = typer.Typer(
    help="Cost-benefit appraisal (HM Treasury / New Economy method): run, simulate, "
    "sensitivity, compare, template.",
    no_args_is_help=True,
)


@contextmanager
def _book(workspace: Path, json_out: bool) -> Iterator[uc.UnitCostBook]:
    """The place's unit cost database when a place is open here, else the curated set."""
    with user_errors(json_out):
        if (workspace / DB_NAME).exists():
            ws = Workspace.open(workspace)
            try:
                yield uc.workspace_book(ws)
            finally:
                ws.close()
        else:
            yield uc.curated_book()


def _money(v: Decimal | None) -> str:
    return "" if v is None else fmt_gbp(to_money(v))


# -- unitcosts -----------------------------------------------------------------------


@unitcosts_app.command("import")
def unitcosts_import(
    file: Annotated[
        Path, typer.Argument(help="Unit Cost Database workbook (.xlsx v1.4, .xls v1.2)")
    ],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Replace the place's unit cost database with a published workbook (and its deflators)."""
    with open_workspace(workspace, json_out) as ws:
        book = uc.read_workbook(file)
        n = uc.save_book(ws, book, file)
    values = sum(len(e.values) for e in book.entries)
    if json_out:
        print_json(
            {
                "imported": n,
                "values": values,
                "edition": book.edition,
                "deflators": None if book.deflators is None else book.deflators.name,
                "notes": book.notes,
            }
        )
        return
    console.print(
        f"Imported {n} unit costs ({values} values) from {file.name}, edition {book.edition}."
    )
    if book.deflators is not None:
        d = book.deflators
        console.print(f"Deflators: {d.name}, {d.first_year} to {d.last_year}.")
    for note in book.notes[:20]:
        console.print(f"[dim]note: {note}[/]")
    if len(book.notes) > 20:
        console.print(f"[dim]... and {len(book.notes) - 20} more notes[/]")


def _entry_json(e: uc.UnitCost, series: Any, to_year: str | None) -> dict[str, Any]:
    vals = {}
    for kind, v in e.values.items():
        item: dict[str, Any] = {"amount": v.amount, "price_year": v.year}
        if v.published_updated is not None:
            item["published_updated"] = to_money(v.published_updated)
        if to_year and series is not None:
            try:
                item["uprated"] = to_money(series.uprate(v.amount, v.year, to_year))
                item["uprated_to"] = to_year
            except DeflatorError:
                pass
        vals[kind] = item
    return {
        "code": e.code,
        "description": e.description,
        "unit": e.unit,
        "agency": e.agency,
        "agency_detail": e.agency_detail,
        "category": e.category,
        "detail": e.detail,
        "values": vals,
        "source": e.source,
        "rag": e.rag,
        "comment": e.comment,
        "origin": e.origin,
    }


@unitcosts_app.command("search")
def unitcosts_search(
    text: Annotated[str, typer.Argument(help="Words to find in code, description, agency, unit")],
    workspace: WorkspaceOpt = Path("."),
    limit: Annotated[int, typer.Option(help="Show at most this many")] = 50,
    json_out: JsonOpt = False,
) -> None:
    """Find unit costs (in the place's imported database, or the curated set)."""
    with _book(workspace, json_out) as book:
        found = book.search(text)
    if json_out:
        print_json([_entry_json(e, None, None) for e in found[:limit]])
        return
    t = Table(title=f"{len(found)} unit costs match {text!r} ({book.edition})")
    for c in ("code", "description", "unit", "agency", "fiscal", "economic", "social", "RAG"):
        t.add_column(c, overflow="fold")
    for e in found[:limit]:
        cells = []
        for kind in uc.KINDS:
            v = e.values.get(kind)
            cells.append("" if v is None else f"{_money(v.amount)} ({v.year})")
        t.add_row(e.code, e.description, e.unit, e.agency, *cells, e.rag)
    console.print(t)


@unitcosts_app.command("show")
def unitcosts_show(
    code: Annotated[str, typer.Argument(help="Unit cost code, e.g. E&E1.0.1")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Everything about one unit cost: values, price years, source, RAG, comment."""
    with _book(workspace, json_out) as book:
        e = uc.find(book, code)
        series = book.deflators
        to_year = series.current_year if series and series.current_year else None
        data = _entry_json(e, series, to_year)
    if json_out:
        print_json(data)
        return
    console.print(f"[bold]{e.code}[/] {e.description}")
    console.print(f"Unit: {e.unit}   Agency: {e.agency} / {e.agency_detail}   RAG: {e.rag}")
    for kind, v in data["values"].items():
        extra = f", {_money(v['uprated'])} in {to_year} prices" if "uprated" in v else ""
        console.print(f"  {kind}: {_money(v['amount'])} in {v['price_year']} prices{extra}")
    console.print(f"Source: {e.source}")
    console.print(f"From: {e.origin}")
    if e.comment:
        console.print(f"[dim]{e.comment}[/]")


@unitcosts_app.command("uprate")
def unitcosts_uprate(
    code: Annotated[str, typer.Argument(help="Unit cost code")],
    to: Annotated[str, typer.Option("--to", help="Price year, YYYY/YY")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """A unit cost's values in another year's prices (GDP deflator, to the penny)."""
    with _book(workspace, json_out) as book:
        year = parse_year(to)
        e = uc.find(book, code)
        series = book.deflators
        assert series is not None
        rows = []
        for kind, v in e.values.items():
            factor = series.factor(v.year, year)
            rows.append(
                {
                    "kind": kind,
                    "amount": v.amount,
                    "from_year": v.year,
                    "to_year": year,
                    "factor": factor.quantize(Decimal("0.000001"), ROUND_HALF_UP),
                    "uprated": to_money(series.uprate(v.amount, v.year, year)),
                }
            )
    if json_out:
        print_json({"code": e.code, "deflators": series.name, "values": rows})
        return
    t = Table(title=f"{e.code} in {year} prices ({series.name})")
    for c in ("value", "amount", "price year", "factor", f"in {year} prices"):
        t.add_column(c)
    for r in rows:
        t.add_row(
            r["kind"], _money(r["amount"]), r["from_year"], str(r["factor"]), _money(r["uprated"])
        )
    console.print(t)


@deflators_app.command("import")
def deflators_import(
    file: Annotated[Path, typer.Argument(help="CSV: year, pct_change (or index), source")],
    name: Annotated[str | None, typer.Option(help="Name for the series")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import a newer GDP deflator series and use it for this place's uprating."""
    with open_workspace(workspace, json_out) as ws:
        if not file.is_file():
            raise_missing(file, json_out)
        series = read_deflator_csv(file, name)
        uc.save_series(ws, series, file)
    if json_out:
        print_json(
            {
                "series": series.name,
                "first_year": series.first_year,
                "last_year": series.last_year,
                "years": len(series.years),
            }
        )
    else:
        console.print(
            f"Imported deflator series {series.name!r}: {series.first_year} to "
            f"{series.last_year} ({len(series.years)} years); this place now uses it."
        )


@deflators_app.command("show")
def deflators_show(workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """The deflator series in use."""
    with _book(workspace, json_out) as book:
        series = book.deflators
    assert series is not None
    if json_out:
        print_json(
            {
                "series": series.name,
                "source": series.source,
                "years": [
                    {
                        "year": y.year,
                        "pct_change": y.pct_change,
                        "index": y.index,
                        "forecast": y.forecast,
                    }
                    for y in series.years
                ],
            }
        )
        return
    t = Table(title=f"{series.name}\n{series.source}")
    for c in ("year", "% change", "index", "forecast"):
        t.add_column(c)
    for y in series.years:
        t.add_row(y.year, str(y.pct_change), f"{y.index:.4f}", "f" if y.forecast else "")
    console.print(t)


def raise_missing(file: Path, json_out: bool) -> None:
    with user_errors(json_out):
        raise InputError([Problem(file.name, None, None, None, "file not found", "check the path")])


# -- cba -----------------------------------------------------------------------------

FileArg = Annotated[Path, typer.Argument(help="Appraisal: YAML or the XLSX template")]


def _load(file: Path, workspace: Path, json_out: bool) -> cba_model.Appraisal:
    with _book(workspace, json_out) as book, user_errors(json_out):
        return cba_model.load_appraisal(file, book)


def _num(v: Decimal) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.4f}"


def _roi(v: Any) -> str:
    return "n/a" if v is None else f"£{v} per £1"


def _print_result(j: dict[str, Any], name: str) -> None:
    t = Table(title=name)
    t.add_column("output")
    t.add_column("value", justify="right")
    for key, label in (
        ("pv_costs", "PV costs"),
        ("pv_fiscal", "PV fiscal benefits"),
        ("pv_fiscal_cashable", "  of which cashable"),
        ("pv_economic", "PV economic benefits"),
        ("pv_social", "PV social benefits"),
        ("net_present_budget_impact", "Net present budget impact"),
        ("net_present_public_value", "Net present public value"),
    ):
        t.add_row(label, fmt_gbp(j[key]))
    t.add_row("Financial ROI", _roi(j["financial_roi"]))
    t.add_row("Public value ROI", _roi(j["public_value_roi"]))
    t.add_row("Payback year", j["payback_year"] or "not within the appraisal")
    console.print(t)
    a = Table(title="Who pays, who gains (present values)")
    for c in ("agency", "pays", "gains", "of which cashable", "net position"):
        a.add_column(c, justify="right" if c != "agency" else "left")
    for name_, row in j["by_agency"].items():
        net = row["net_position"]
        a.add_row(
            name_,
            fmt_gbp(row["pv_costs"]),
            fmt_gbp(row["pv_fiscal"]),
            fmt_gbp(row["pv_fiscal_cashable"]),
            f"[red]{fmt_gbp(net)}[/]" if net < 0 else fmt_gbp(net),
        )
    console.print(a)


@app.command("run")
def run(
    file: FileArg,
    out: Annotated[Path | None, typer.Option(help="Write a report: .html or .xlsx")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Present values, ROI, payback and who pays / who gains, exact to the penny."""
    appraisal = _load(file, workspace, json_out)
    result = cba_model.compute(appraisal)
    if out is not None:
        with user_errors(json_out):
            suffix = out.suffix.lower()
            if suffix in (".html", ".htm"):
                cba_report.html_report(result, out)
            elif suffix == ".xlsx":
                cba_report.xlsx_report(result, out)
            else:
                raise WholeplaceError(
                    f"cannot write a {out.suffix or 'suffix-less'} report. "
                    "Fix: use --out report.html or --out report.xlsx"
                )
    j = result.to_json()
    if json_out:
        print_json(j)
        return
    _print_result(j, appraisal.settings.name)
    if out is not None:
        console.print(f"Report written to {out}.")


@app.command("simulate")
def simulate(
    file: FileArg,
    draws: Annotated[int, typer.Option(help="Number of Monte-Carlo draws", min=1)] = 10_000,
    seed: Annotated[int | None, typer.Option(help="Random seed, for a repeatable run")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Uncertainty: draws from the appraisal's distributions; P(ROI > 1) and percentiles."""
    appraisal = _load(file, workspace, json_out)
    sim = cba_sim.simulate(appraisal, draws, seed)
    summary = sim.summary()
    if json_out:
        print_json(summary)
        return
    console.print(
        f"{draws:,} draws; uncertain inputs: {', '.join(sim.uncertain_inputs) or 'none'}."
    )
    console.print(
        f"Probability financial ROI > 1: [bold]{summary['prob_financial_roi_above_1']:.1%}[/]; "
        f"net present public value > 0: [bold]{summary['prob_public_value_positive']:.1%}[/]"
    )
    t = Table(title="Percentiles")
    t.add_column("output")
    cols = ["mean", *[f"p{p}" for p in cba_sim.PERCENTILES]]
    for c in cols:
        t.add_column(c, justify="right")
    for name, st in summary["outputs"].items():
        if st is None:
            continue
        fmt = (lambda v: f"{v:.2f}") if name.endswith("roi") else (lambda v: f"{v:,.0f}")
        t.add_row(name, *[fmt(st[c]) for c in cols])
    console.print(t)


@app.command("sensitivity")
def sensitivity(
    file: FileArg,
    swing: Annotated[float, typer.Option(help="Relative change for the tornado")] = 0.2,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Tornado of every rate and value, break-even points, and the effect of duration."""
    appraisal = _load(file, workspace, json_out)
    sw = Decimal(str(swing))
    bars = cba_sens.tornado(appraisal, sw)
    be = cba_sens.break_even(appraisal)
    dur = cba_sens.duration(appraisal)
    prog = cba_sens.programme_length(appraisal)
    q = Decimal("0.0001")
    if json_out:
        print_json(
            {
                "swing": sw,
                "tornado": [
                    {
                        "input": b.label,
                        "base": b.base_input.quantize(q),
                        "low": b.low_input.quantize(q),
                        "high": b.high_input.quantize(q),
                        "npv_public_low": to_money(b.npv_public_low),
                        "npv_public_high": to_money(b.npv_public_high),
                        "npv_budget_low": to_money(b.npv_budget_low),
                        "npv_budget_high": to_money(b.npv_budget_high),
                    }
                    for b in bars
                ],
                "break_even": [
                    {
                        "input": b.label,
                        "current": b.current,
                        "break_even": None if b.value is None else b.value.quantize(q),
                        "reachable": b.reachable,
                    }
                    for b in be
                ],
                "duration": [_dur_json(d) for d in dur],
                "programme_length": [_dur_json(d) for d in prog],
            }
        )
        return
    t = Table(title=f"Tornado: net present public value, each input -/+ {swing:.0%}")
    for c in ("input", "low", "high", "NPPV at low", "NPPV at high"):
        t.add_column(c, justify="left" if c == "input" else "right")
    for b in bars:
        t.add_row(
            b.label,
            _num(b.low_input),
            _num(b.high_input),
            _money(b.npv_public_low),
            _money(b.npv_public_high),
        )
    console.print(t)
    t = Table(title="Break-even: the value at which financial ROI = 1")
    for c in ("input", "now", "break-even"):
        t.add_column(c)
    for b in be:
        if b.value is None:
            val = "none"
        elif b.reachable:
            val = f"{b.value:.4f}"
        else:
            val = f"not reachable (would need {b.value:.4f})"
        t.add_row(b.label, f"{b.current:.4f}", val)
    console.print(t)
    for rows, title in (
        (dur, "Duration: results if the appraisal stopped after N years"),
        (prog, "Programme length: the intervention runs N years, benefits counted to the end"),
    ):
        _dur_table(rows, title)


def _dur_json(d: cba_sens.DurationRow) -> dict[str, Any]:
    return {
        "years": d.years,
        "pv_costs": to_money(d.pv_costs),
        "pv_fiscal": to_money(d.pv_fiscal),
        "net_present_budget_impact": to_money(d.npv_budget),
        "net_present_public_value": to_money(d.npv_public),
        "financial_roi": None
        if d.financial_roi is None
        else d.financial_roi.quantize(Decimal("0.01")),
    }


def _dur_table(dur: list[cba_sens.DurationRow], title: str) -> None:
    t = Table(title=title)
    for c in ("years", "PV costs", "PV fiscal", "budget impact", "public value", "fin. ROI"):
        t.add_column(c, justify="right")
    for d in dur:
        t.add_row(
            str(d.years),
            _money(d.pv_costs),
            _money(d.pv_fiscal),
            _money(d.npv_budget),
            _money(d.npv_public),
            "n/a" if d.financial_roi is None else f"{d.financial_roi:.2f}",
        )
    console.print(t)


@app.command("compare")
def compare(
    files: Annotated[list[Path], typer.Argument(help="Two or more appraisals")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Several options side by side."""
    results = []
    for f in files:
        a = _load(f, workspace, json_out)
        j = cba_model.compute(a).to_json()
        j = {"file": str(f), "name": a.settings.name, **j}
        results.append(j)
    if json_out:
        print_json(results)
        return
    t = Table(title="Options compared (present values)")
    t.add_column("output")
    for r in results:
        t.add_column(f"{r['name']}\n({Path(r['file']).name})", justify="right")
    for key in (k for k in cba_sim.OUTPUTS if not k.endswith("_roi")):  # the £ figures
        t.add_row(key, *[fmt_gbp(r[key]) for r in results])
    t.add_row("financial_roi", *[_roi(r["financial_roi"]) for r in results])
    t.add_row("public_value_roi", *[_roi(r["public_value_roi"]) for r in results])
    t.add_row("payback_year", *[r["payback_year"] or "none" for r in results])
    console.print(t)


@app.command("template")
def template(
    out: Annotated[Path, typer.Argument(help="Where to write the XLSX template")],
    blank: Annotated[bool, typer.Option(help="Leave out the worked example")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Write the XLSX appraisal template (filled in with the example unless --blank)."""
    with user_errors(json_out):
        if out.suffix.lower() != ".xlsx":
            raise WholeplaceError("the template is an Excel workbook. Fix: name it OUT.xlsx")
        example = None
        if not blank:
            ref = resources.files("wholeplace") / "data" / "cba" / "example_appraisal.yaml"
            with resources.as_file(ref) as p:
                example = cba_model.load_appraisal(p, uc.curated_book())
        cba_model.write_template(example, out)
    if json_out:
        print_json({"template": str(out)})
    else:
        console.print(f"Template written to {out}. Fill it in, then: wholeplace cba run {out}")
