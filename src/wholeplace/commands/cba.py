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

from wholeplace.cba import analysis_service, service
from wholeplace.cba import montecarlo as cba_sim
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
    d = res.data
    console.print(f"[bold]{e.code}[/] {e.description}")
    console.print(f"Unit: {e.unit} (per {d['period'] or '?'})   RAG: {e.rag}")
    console.print(f"Agency: level 1 {e.agency or '-'}, level 2 {e.agency_detail or '-'}")
    for kind, v in d["values"].items():
        extra = f", {_money(v['uprated'])} in {res.to_year} prices" if "uprated" in v else ""
        console.print(f"  {kind}: {_money(v['amount'])} in {v['price_year']} prices{extra}")
    _print_split(d)
    console.print(f"Source: {e.source}")
    console.print(f"From: {e.origin}")
    if e.comment:
        console.print(f"[dim]{e.comment}[/]")


def _print_split(d: dict[str, Any]) -> None:
    """Who gains the fiscal value, the transfer part, and the public value."""
    split = d.get("fiscal_split") or []
    if len(split) > 1 or any(p["transfer"] for p in split):
        console.print("  fiscal value by agency:")
        for p in split:
            who = p["agency"] + (f" ({p['partner']})" if p.get("partner") else "")
            tag = " - a transfer: left out of public value" if p["transfer"] else ""
            console.print(f"    {who}: {_money(p['amount'])} (from {p['from']}){tag}")
    t = d.get("transfer")
    if t:
        console.print(f"  transfer: {_money(t['amount'])} to {t['agency']} ({t['where']})")
        console.print(f"  [dim]{t['note']}[/]")
    pv = d.get("public_value") or {}
    for key in ("in_own_prices", "uprated"):
        v = pv.get(key)
        if v is None:
            continue
        parts = " + ".join(f"{k} {_money(x)}" for k, x in v["values"].items())
        less = f" - transfer {_money(v['transfer'])}" if v["transfer"] else ""
        console.print(
            f"  public value ({v['price_year']} prices): {parts}{less} = "
            f"{_money(v['public_value'])}"
        )
    stated = pv.get("stated")
    if stated:
        said = "matches" if pv.get("matches_stated") else "[yellow]differs: read the comment[/]"
        console.print(
            f"  the workbook states {_money(stated['amount'])} ({stated['price_year']} prices): "
            f"{said}"
        )


@unitcosts_app.command("uprate")
def unitcosts_uprate(
    code: Annotated[str, typer.Argument(help="Unit cost code")],
    to: Annotated[str, typer.Option("--to", help="Price year, YYYY/YY")],
    deflators: Annotated[
        str | None,
        typer.Option(help="A deflator series by name, e.g. ucd-v1.4 (default: the place's)"),
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """A unit cost's values in another year's prices (GDP deflator, to the penny)."""
    with common.workspace_if_any(workspace, json_out, read_only=True) as ws:
        res = service.uprate(code, to, ws, deflators)
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


@deflators_app.command("use")
def deflators_use(
    name: Annotated[str, typer.Argument(help="hmt-2024-10, ucd-v1.4, or a series imported")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Make a series the one this place's appraisals use for uprating."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = service.use_deflators(ws, name)
    print_result(
        json_out,
        res.to_json(),
        f"This place now uprates with {res.series.name!r} "
        f"({res.series.first_year} to {res.series.last_year}).",
    )


@deflators_app.command("show")
def deflators_show(
    series: Annotated[
        str | None, typer.Option(help="A series by name (default: the one in use)")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The deflator series in use (or the one named)."""
    with (
        common.workspace_if_any(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = service.deflators(ws, series)
    if json_out:
        print_json(res.to_json())
        return
    shown = res.series
    t = Table(title=f"{shown.name}\n{shown.source}")
    for c in ("year", "% change", "index", "forecast"):
        t.add_column(c)
    for y in shown.years:
        t.add_row(y.year, f"{y.pct_change:.4f}", f"{y.index:.4f}", "f" if y.forecast else "")
    console.print(t)


agencies_app = typer.Typer(
    help="Where the Unit Cost Database's agencies fall among the place's partners.",
    invoke_without_command=True,
)
unitcosts_app.add_typer(agencies_app, name="agencies")


def _print_agencies(res: service.AgencyMapping) -> None:
    t = Table(title="Agencies and the place's partners")
    for c in ("agency", "level 2", "partner", "how"):
        t.add_column(c, overflow="fold")
    for m, d in zip(res.rows, res.details, strict=True):
        t.add_row(m.agency, d, m.partner or "-", m.how)
    console.print(t)


@agencies_app.callback()
def agencies_list(
    ctx: typer.Context, workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False
) -> None:
    """Each agency of the place's unit cost database and the partner it maps onto."""
    if ctx.invoked_subcommand is not None:
        return
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = service.agencies(ws)
    if json_out:
        print_json(res.to_json())
        return
    _print_agencies(res)


@agencies_app.command("set")
def agencies_set(
    agency: Annotated[str, typer.Argument(help='"Level 1" or "Level 1 / Level 2"')],
    partner: Annotated[str, typer.Argument(help="A partner id (wholeplace partners list)")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log)")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """This place's own partner for an agency, over the mapping by partner type."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = service.set_agency(ws, agency, partner, reason)
    if json_out:
        print_json(res.to_json())
        return
    console.print(f"{agency} now maps onto {partner} in this place.")


@agencies_app.command("reset")
def agencies_reset(
    agency: Annotated[str, typer.Argument(help="The agency as it was set")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Back to the documented mapping for an agency."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = service.reset_agency(ws, agency)
    print_result(json_out, res.to_json(), f"{agency}: back to the mapping by partner type.")


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
    for key, label in (
        ("payback_year", "Payback year (discounted)"),
        ("payback_year_undiscounted", "Payback year (undiscounted)"),
    ):
        t.add_row(label, j[key] or "not within the appraisal period")
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
    for w in j["warnings"]:
        console.print(f"[yellow]Warning:[/] {w}")
    for name_, row in j["by_agency"].items():
        if row.get("lines_to_attribute"):
            console.print(
                f"[yellow]{name_!r} is no one: attribute these lines to the partners that gain "
                f"before a gain-share: {'; '.join(row['lines_to_attribute'])}[/]"
            )


@app.command("run")
def run(
    file: FileArg,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write a report: .html, .xlsx or .pdf")
    ] = None,
    draws: Annotated[int, typer.Option(help="The HTML report's simulation draws", min=1)] = (
        service.REPORT_DRAWS
    ),
    seed: Annotated[int, typer.Option(help="The HTML report's random seed")] = service.REPORT_SEED,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Present values, ROI, payback and who pays / who gains, exact to the penny."""
    with (
        common.workspace_if_any(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = service.run(file, ws, out, draws=draws, seed=seed)
    if json_out:
        print_json(res.to_json())
        return
    _print_result(res.to_json(), res.appraisal.settings.name)
    if cba_sim.centres(res.appraisal):
        console.print(
            f"[dim]These are the point estimate ({cba_sim.POINT_ESTIMATE}); "
            f"`wholeplace cba simulate {file}` shows the simulation beside it.[/]"
        )
    if res.report is not None:
        console.print(f"Wrote {res.report}.")


@app.command("simulate")
def simulate(
    file: FileArg,
    draws: Annotated[int, typer.Option(help="Number of Monte-Carlo draws", min=1)] = (
        service.REPORT_DRAWS
    ),
    seed: Annotated[int, typer.Option(help="Random seed (the report's by default)")] = (
        service.REPORT_SEED
    ),
    out: common.OutOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Uncertainty: draws from the appraisal's distributions; P(ROI > 1) and percentiles."""
    with (
        common.workspace_if_any(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = analysis_service.simulate(file, ws, draws, seed)
        if out is not None:
            analysis_service.write_simulation(res, file, out, ws.name if ws else None)
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
    t = Table(title="Point estimate (cba run) beside the simulation's mean and percentiles")
    t.add_column("output")
    cols = ["mean", *[f"p{p}" for p in cba_sim.PERCENTILES]]
    t.add_column("point estimate", justify="right")
    for c in cols:
        t.add_column(c, justify="right")
    for name, st in summary["outputs"].items():
        if st is None:
            continue
        fmt = (lambda v: f"{v:.2f}") if name.endswith("roi") else (lambda v: f"{v:,.0f}")
        point = summary["point_estimate"][name]
        t.add_row(name, "n/a" if point is None else fmt(point), *[fmt(st[c]) for c in cols])
    console.print(t)
    console.print(f"[dim]Point estimate: {summary['method']['point_estimate']}.[/]")
    console.print(f"[dim]Simulation: {summary['method']['simulation']}.[/]")
    if summary["centres"]:
        why = Table(title="Why they differ: what each uncertain input is in each")
        for col in ("input", "distribution", "point estimate uses", "mean of the draws"):
            why.add_column(col)
        for row in summary["centres"]:
            why.add_row(
                row["input"],
                row["distribution"],
                f"{row['point_estimate_uses']} ({row['point_estimate_is']})",
                str(row["simulation_mean"]),
            )
        console.print(why)
    common.wrote(out, json_out)


@app.command("sensitivity")
def sensitivity(
    file: FileArg,
    swing: Annotated[float, typer.Option(help="Relative change for the tornado")] = 0.2,
    out: common.OutOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Tornado of every rate and value, break-even points, and the effect of duration."""
    with (
        common.workspace_if_any(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = analysis_service.sensitivity(file, ws, Decimal(str(swing)))
        if out is not None:
            analysis_service.write_sensitivity(res, file, out, ws.name if ws else None)
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
    t = Table(title="Optimism bias: net present public value with each grade one step either way")
    for c in ("grade of", "now", "one firmer", "one less firm"):
        t.add_column(c, justify="left" if c == "grade of" else "right")
    for g in res.grades:
        t.add_row(
            g.label,
            "" if g.grade is None else str(g.grade),
            _money(g.npv_public_better),
            _money(g.npv_public_worse),
        )
    console.print(t)
    for rows, title in (
        (res.duration, "Duration: results if the appraisal stopped after N years"),
        (
            res.programme_length,
            "Programme length: the intervention runs N years, benefits counted to the end",
        ),
    ):
        _dur_table(rows, title)
    common.wrote(out, json_out)


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
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the comparison: .html, .xlsx or .pdf"),
    ] = None,
) -> None:
    """Several options side by side."""
    with (
        common.workspace_if_any(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = analysis_service.compare(files, ws)
        if out is not None:
            analysis_service.write_comparison(res, out)
    results = res.to_json()
    if json_out:
        print_json(results)
        return
    if out is not None:
        console.print(f"Wrote {out}.")
    t = Table(title="Options compared (present values)")
    t.add_column("output")
    for r in results:
        t.add_column(f"{r['name']}\n({Path(r['file']).name})", justify="right")
    for key in (k for k in cba_sim.OUTPUTS if not k.endswith("_roi")):  # the £ figures
        t.add_row(key, *[fmt_gbp(r[key]) for r in results])
    t.add_row("financial_roi", *[_roi(r["financial_roi"]) for r in results])
    t.add_row("public_value_roi", *[_roi(r["public_value_roi"]) for r in results])
    t.add_row("payback_year", *[r["payback_year"] or "none" for r in results])
    t.add_row(
        "payback_year_undiscounted", *[r["payback_year_undiscounted"] or "none" for r in results]
    )
    console.print(t)


@app.command("template")
def template(
    out: Annotated[Path, typer.Argument(help="Where to write the XLSX template")],
    blank: Annotated[bool, typer.Option(help="Leave out the worked example")] = False,
    workspace: common.PlaceOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Write the XLSX appraisal template (filled in with the example unless --blank); with
    --workspace its partner drop-down lists the place's partners."""
    place = common.place_partners(workspace, json_out)
    with common.user_errors(json_out):
        res = service.template(out, blank, place=place)
    print_result(
        json_out,
        res.to_json(),
        f"Wrote {out}. Fill it in, then: wholeplace cba run {out}",
    )
