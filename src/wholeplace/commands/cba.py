"""`wholeplace unitcosts ...` and `wholeplace cba ...`: the cost-benefit appraisal edge.

Each command parses its arguments, calls :mod:`wholeplace.cba.service` and renders the result
(``--json``: the result's ``to_json()``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from wholeplace.cba import montecarlo as cba_sim
from wholeplace.cba import service
from wholeplace.cba import unitcosts as uc
from wholeplace.cba.sensitivity_analysis import DurationRow
from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json, print_result
from wholeplace.money import fmt_gbp, to_money

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
    with common.open_workspace(workspace, json_out) as ws:
        res = service.import_unitcosts(ws, file)
    if json_out:
        print_json(res.to_json())
        return
    book = res.book
    console.print(
        f"Imported {res.imported} unit costs ({res.values} values) from {file.name}, "
        f"edition {book.edition}."
    )
    if book.deflators is not None:
        d = book.deflators
        console.print(f"Deflators: {d.name}, {d.first_year} to {d.last_year}.")
    for note in book.notes[:20]:
        console.print(f"[dim]note: {note}[/]")
    if len(book.notes) > 20:
        console.print(f"[dim]... and {len(book.notes) - 20} more notes[/]")


@unitcosts_app.command("search")
def unitcosts_search(
    text: Annotated[str, typer.Argument(help="Words to find in code, description, agency, unit")],
    workspace: WorkspaceOpt = Path("."),
    limit: Annotated[int, typer.Option(help="Show at most this many")] = 50,
    json_out: JsonOpt = False,
) -> None:
    """Find unit costs (in the place's imported database, or the curated set)."""
    with common.workspace_if_any(workspace, json_out, read_only=True) as ws:
        res = service.search(text, ws, limit)
    if json_out:
        print_json(res.to_json())
        return
    t = Table(title=f"{len(res.found)} unit costs match {text!r} ({res.edition})")
    for c in ("code", "description", "unit", "agency", "fiscal", "economic", "social", "RAG"):
        t.add_column(c, overflow="fold")
    for e in res.shown:
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
    with common.workspace_if_any(workspace, json_out, read_only=True) as ws:
        res = service.show(code, ws)
    if json_out:
        print_json(res.to_json())
        return
    e = res.entry
    console.print(f"[bold]{e.code}[/] {e.description}")
    console.print(f"Unit: {e.unit}   Agency: {e.agency} / {e.agency_detail}   RAG: {e.rag}")
    for kind, v in res.data["values"].items():
        extra = f", {_money(v['uprated'])} in {res.to_year} prices" if "uprated" in v else ""
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
    with common.workspace_if_any(workspace, json_out, read_only=True) as ws:
        res = service.uprate(code, to, ws)
    if json_out:
        print_json(res.to_json())
        return
    year = res.year
    t = Table(title=f"{res.code} in {year} prices ({res.deflators})")
    for c in ("value", "amount", "price year", "factor", f"in {year} prices"):
        t.add_column(c)
    for r in res.values:
        t.add_row(r.kind, _money(r.amount), r.from_year, str(r.factor), _money(r.uprated))
    console.print(t)


@deflators_app.command("import")
def deflators_import(
    file: Annotated[Path, typer.Argument(help="CSV: year, pct_change (or index), source")],
    name: Annotated[str | None, typer.Option(help="Name for the series")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import a newer GDP deflator series and use it for this place's uprating."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = service.import_deflators(ws, file, name)
    if json_out:
        print_json(res.to_json())
        return
    series = res.series
    console.print(
        f"Imported deflator series {series.name!r}: {series.first_year} to "
        f"{series.last_year} ({len(series.years)} years); this place now uses it."
    )


@deflators_app.command("show")
def deflators_show(workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """The deflator series in use."""
    with common.workspace_if_any(workspace, json_out, read_only=True) as ws:
        res = service.deflators(ws)
    if json_out:
        print_json(res.to_json())
        return
    series = res.series
    t = Table(title=f"{series.name}\n{series.source}")
    for c in ("year", "% change", "index", "forecast"):
        t.add_column(c)
    for y in series.years:
        t.add_row(y.year, str(y.pct_change), f"{y.index:.4f}", "f" if y.forecast else "")
    console.print(t)


# -- cba -----------------------------------------------------------------------------

FileArg = Annotated[Path, typer.Argument(help="Appraisal: YAML or the XLSX template")]


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
    with (
        common.workspace_if_any(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = service.run(file, ws, out)
    if json_out:
        print_json(res.to_json())
        return
    _print_result(res.to_json(), res.appraisal.settings.name)
    if res.report is not None:
        console.print(f"Report written to {res.report}.")


@app.command("simulate")
def simulate(
    file: FileArg,
    draws: Annotated[int, typer.Option(help="Number of Monte-Carlo draws", min=1)] = 10_000,
    seed: Annotated[int | None, typer.Option(help="Random seed, for a repeatable run")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Uncertainty: draws from the appraisal's distributions; P(ROI > 1) and percentiles."""
    with (
        common.workspace_if_any(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = service.simulate(file, ws, draws, seed)
    summary = res.to_json()
    if json_out:
        print_json(summary)
        return
    sim = res.simulation
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
    with (
        common.workspace_if_any(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = service.sensitivity(file, ws, Decimal(str(swing)))
    if json_out:
        print_json(res.to_json())
        return
    t = Table(title=f"Tornado: net present public value, each input -/+ {swing:.0%}")
    for c in ("input", "low", "high", "NPPV at low", "NPPV at high"):
        t.add_column(c, justify="left" if c == "input" else "right")
    for b in res.tornado:
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
    for be in res.break_even:
        t.add_row(be.label, f"{be.current:.4f}", be.value_text(4))
    console.print(t)
    for rows, title in (
        (res.duration, "Duration: results if the appraisal stopped after N years"),
        (
            res.programme_length,
            "Programme length: the intervention runs N years, benefits counted to the end",
        ),
    ):
        _dur_table(rows, title)


def _dur_table(dur: list[DurationRow], title: str) -> None:
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
    with (
        common.workspace_if_any(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = service.compare(files, ws)
    results = res.to_json()
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
    with common.user_errors(json_out):
        res = service.template(out, blank)
    print_result(
        json_out,
        res.to_json(),
        f"Template written to {out}. Fill it in, then: wholeplace cba run {out}",
    )
