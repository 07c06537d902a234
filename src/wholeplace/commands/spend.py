"""`wholeplace spend import | map | report | services`: parse, call the service, render."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json
from wholeplace.money import fmt_gbp, fmt_millions, fmt_pct
from wholeplace.spend import service as spend_service
from wholeplace.spend.consolidate import DIMENSIONS, Reconciliation, SpendMap

app = typer.Typer(help="How much is spent here, by whom, on what, where.", no_args_is_help=True)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8 or Windows-1252) or XLSX")],
    partner: Annotated[str | None, typer.Option(help="Partner id, if the file has none")] = None,
    year: Annotated[str | None, typer.Option(help="Financial year, e.g. 2024/25")] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="CSV mapping your service names to the taxonomy")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet (default: the first)")] = None,
    allow_credits: Annotated[
        bool, typer.Option(help="Accept negative amounts (refunds, credits)")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import spend lines. Every line is checked first; nothing is written if any is wrong.

    Re-importing a partner's year replaces it.
    """
    with common.open_workspace(workspace, json_out) as ws:
        done = spend_service.import_lines(
            ws,
            file,
            partner=partner,
            year=year,
            mapping=mapping,
            sheet=sheet,
            allow_credits=allow_credits,
        )
    if json_out:
        print_json(done.to_json())
        return
    res = done.result
    console.print(f"Imported {res.rows:,} lines ({fmt_gbp(res.total_gbp)}) from {res.file}.")
    for (p, y), n in sorted(res.replaced.items()):
        console.print(f"  replaced {n:,} earlier lines of {p} {y}")
    if res.skipped_footer_rows:
        rows = ", ".join(map(str, res.skipped_footer_rows))
        console.print(f"  skipped total/footer rows: {rows}")
    for notice in res.notices:
        console.print(f"  [yellow]note: {escape(notice.message)}[/]", soft_wrap=True)


@app.command("map")
def map_(
    year: Annotated[str | None, typer.Option(help="Financial year (default: latest)")] = None,
    by: Annotated[str, typer.Option(help="One of: " + ", ".join(DIMENSIONS))] = "group",
    per_head: Annotated[bool, typer.Option("--per-head", help="Show £ per resident")] = False,
    allocate_by: Annotated[
        str | None,
        typer.Option(
            help="With --by area: allocate spend on no area to the areas by population or "
            "an indicator"
        ),
    ] = None,
    engine: common.EngineOpt = "duckdb",
    spark_master: common.SparkMasterOpt = "local[*]",
    out: common.OutOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The consolidated spend of the place, with eliminations and the reconciliation."""
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = spend_service.build_map(
            ws, year, by, per_head, engine, spark_master, allocate_by=allocate_by
        )
        if out is not None:
            spend_service.write_map(res, out)
    if json_out:
        print_json(res.to_json())
        return
    show_map(res)
    if res.allocation is not None:
        _show_allocation(res)
    common.wrote(out, json_out)


def _show_allocation(res: spend_service.MapResult) -> None:
    a = res.allocation
    assert a is not None
    own = {r.key: r.amount_gbp for r in res.map.rows}
    t = Table(title=f"Spending on no area ({fmt_gbp(a.amount)}) allocated by {a.driver}")
    for col in ("Area", "own £", "allocated £", "£ per head with allocated"):
        t.add_column(col, justify="left" if col == "Area" else "right")
    for code, part in sorted(a.parts.items()):
        ph = res.allocated_per_head.get(code)
        t.add_row(
            code,
            fmt_gbp(own.get(code, Decimal("0.00"))),
            fmt_gbp(part),
            "" if ph is None else fmt_gbp(ph),
        )
    console.print(t)
    console.print(a.not_allocated, soft_wrap=True)


def show_map(res: spend_service.MapResult) -> None:
    m, by, per_head = res.map, res.by, res.per_head
    capital = bool(m.capital.imported_gbp or any(r.capital_gbp for r in m.rows))
    kind = "revenue spending" if capital else "spending"
    t = Table(title=f"Public {kind} in {res.place}, {res.year}, by {by.replace('_', ' ')}")
    t.add_column(by.replace("_", " ").capitalize())
    basis = {b.partner: b.label for b in m.bases} if by == "partner" else {}
    if basis:
        t.add_column("basis")
    t.add_column("£m" if not capital else "revenue £m", justify="right")
    t.add_column("share", justify="right")
    if per_head:
        t.add_column("£ per head", justify="right")
    t.add_column("of which estimated", justify="right")
    if capital:
        t.add_column("capital £m", justify="right")
        t.add_column("combined £m", justify="right")
    for r in m.rows:
        cells = [r.label] + ([basis.get(r.key, "")] if basis else [])
        cells += [fmt_millions(r.amount_gbp), fmt_pct(r.share)]
        if per_head:
            cells.append("" if r.per_head_gbp is None else fmt_gbp(r.per_head_gbp, pence=False))
        cells.append(fmt_millions(r.estimated_gbp) if r.estimated_gbp else "")
        if capital:
            cells += [fmt_millions(r.capital_gbp), fmt_millions(r.amount_gbp + r.capital_gbp)]
        t.add_row(*cells)
    cells = ["[bold]Total[/]"] + ([""] if basis else [])
    cells += [f"[bold]{fmt_millions(m.total_gbp)}[/]", "100.0%"]
    if per_head:
        cells.append("" if m.per_head_gbp is None else fmt_gbp(m.per_head_gbp, pence=False))
    cells.append(fmt_millions(m.estimated_gbp) if m.estimated_gbp else "")
    if capital:
        cells += [fmt_millions(m.capital_gbp), fmt_millions(m.combined_gbp)]
    t.add_row(*cells)
    console.print(t)
    _reconciliation("Reconciliation", m.reconciliation)
    if capital:
        _reconciliation("Capital reconciliation", m.capital)
        console.print(
            f"Revenue {fmt_gbp(m.total_gbp)} and capital {fmt_gbp(m.capital_gbp)} are shown "
            f"apart; combined {fmt_gbp(m.combined_gbp)}."
        )
    if m.eliminations:
        console.print(f"Eliminations (payments between partners): {len(m.eliminations)}")
        for e in m.eliminations:
            console.print(
                f"  {e.payer_name} → {e.payee_name} ({e.service}): {fmt_gbp(e.amount_gbp)}"
            )
    if m.not_eliminated:
        console.print("Not eliminated (the payee reports net, so has already taken them off):")
        for e in m.not_eliminated:
            console.print(
                f"  {e.payer_name} → {e.payee_name} ({e.service}): {fmt_gbp(e.amount_gbp)}"
            )
    _bases(m)


def _reconciliation(what: str, rec: Reconciliation) -> None:
    mark = "[green]✔ holds[/]" if rec.holds else f"[red]✘ off by {fmt_gbp(rec.difference_gbp)}[/]"
    console.print(
        f"{what}: imported {fmt_gbp(rec.imported_gbp)} = consolidated "
        f"{fmt_gbp(rec.consolidated_gbp)} + eliminated {fmt_gbp(rec.eliminated_gbp)}  {mark}"
    )


def _bases(m: SpendMap) -> None:
    """The basis of each partner's figures, gross and net where income is stated, warnings."""
    groups: dict[str, list[str]] = {}
    for b in m.bases:
        groups.setdefault(b.label, []).append(b.partner)
    parts = []
    for label, ids in sorted(groups.items()):
        shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
        parts.append(f"{label}: {shown}")
    if parts:
        console.print("Basis of each partner's figures: " + "; ".join(parts))
    both = [b for b in m.bases if b.gross_gbp is not None and b.net_gbp is not None]
    if both:
        t = Table(title="Gross and net, where the return states the income")
        for c in ("partner", "basis", "gross £m", "income £m", "net £m"):
            t.add_column(c, justify="left" if c in ("partner", "basis") else "right")
        for b in both:
            assert b.gross_gbp is not None and b.net_gbp is not None and b.income_gbp is not None
            t.add_row(
                b.name,
                b.label,
                fmt_millions(b.gross_gbp),
                fmt_millions(b.income_gbp),
                fmt_millions(b.net_gbp),
            )
        console.print(t)
    grants = [b for b in m.bases if b.grants_gbp]
    if grants:
        total = sum((b.grants_gbp or Decimal(0) for b in grants), Decimal(0))
        console.print(
            f"Specific grants stated by {len(grants)} partner(s): {fmt_gbp(total)} "
            "(funding beside the figures, not taken off them)"
        )
    for w in m.warnings:
        console.print(f"[yellow]Warning:[/] {w}")


@app.command("report")
def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="FILE.html, FILE.xlsx or FILE.pdf")],
    year: Annotated[str | None, typer.Option(help="Financial year (default: latest)")] = None,
    allocate_by: Annotated[
        str | None,
        typer.Option(
            help="Allocate spend on no area (county-level) to the areas for the per-head "
            "map, by population or an indicator"
        ),
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Write the spend report: HTML (self-contained, offline) or XLSX."""
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = spend_service.write_report(ws, out, year, allocate_by)
    common.print_result(json_out, res.to_json(), f"Wrote {out}.")


@app.command("services")
def services_(json_out: JsonOpt = False) -> None:
    """The service taxonomy: codes to use in spend files and mapping files."""
    res = spend_service.services()
    if json_out:
        print_json(res.to_json())
        return
    t = Table(title="Service taxonomy (SeRCOP divisions, extended)")
    for c in ("code", "name", "division"):
        t.add_column(c)
    for s in res.services:
        t.add_row(s.code, s.name, s.division)
    console.print(t)
