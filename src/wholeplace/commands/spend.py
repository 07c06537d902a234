"""`wholeplace spend ...`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace.areas import area_populations, place_population
from wholeplace.commands.common import (
    JsonOpt,
    WorkspaceOpt,
    console,
    open_workspace,
    print_json,
    user_errors,
)
from wholeplace.engine import SpendTables, duckdb_tables
from wholeplace.errors import WholeplaceError
from wholeplace.money import fmt_gbp, fmt_millions
from wholeplace.spend import consolidate, import_spend
from wholeplace.spend.consolidate import DIMENSIONS, SpendMap, years
from wholeplace.spend.taxonomy import services
from wholeplace.workspace import Workspace
from wholeplace.years import YearError, parse_year

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
    with open_workspace(workspace, json_out) as ws:
        res = import_spend(
            ws,
            file,
            partner=partner,
            year=year,
            mapping=mapping,
            sheet=sheet,
            allow_credits=allow_credits,
        )
    if json_out:
        print_json(
            {
                "file": res.file,
                "rows": res.rows,
                "total_gbp": res.total_gbp,
                "partner_years": [
                    {
                        "partner": p,
                        "year": y,
                        "total_gbp": t,
                        "replaced_rows": res.replaced.get((p, y), 0),
                    }
                    for (p, y), t in sorted(res.by_partner_year.items())
                ],
            }
        )
        return
    console.print(f"Imported {res.rows:,} lines ({fmt_gbp(res.total_gbp)}) from {res.file}.")
    for (p, y), n in sorted(res.replaced.items()):
        console.print(f"  replaced {n:,} earlier lines of {p} {y}")
    if res.skipped_footer_rows:
        rows = ", ".join(map(str, res.skipped_footer_rows))
        console.print(f"  skipped total/footer rows: {rows}")


def _year(ws: Workspace, year: str | None) -> str:
    have = years(duckdb_tables(ws))
    if not have:
        raise WholeplaceError("No spend imported yet. Fix: run `wholeplace spend import FILE`.")
    if year is None:
        return have[-1]
    try:
        y = parse_year(year)
    except YearError as exc:
        raise WholeplaceError(f"{exc}. Fix: write the year as 2024/25.") from exc
    if y not in have:
        raise WholeplaceError(f"No spend for {y}. Years with spend: {', '.join(have)}.")
    return y


def build_map(ws: Workspace, year: str, by: str, tables: SpendTables | None = None) -> SpendMap:
    """The spend map on ``tables`` (default: the workspace's own, on DuckDB)."""
    return consolidate(
        tables or duckdb_tables(ws),
        year,
        by,
        population=place_population(ws),
        area_population=area_populations(ws),
    )


@app.command("map")
def map_(
    year: Annotated[str | None, typer.Option(help="Financial year (default: latest)")] = None,
    by: Annotated[str, typer.Option(help="One of: " + ", ".join(DIMENSIONS))] = "group",
    per_head: Annotated[bool, typer.Option("--per-head", help="Show £ per resident")] = False,
    engine: Annotated[str, typer.Option(help="duckdb (default) or spark")] = "duckdb",
    spark_master: Annotated[str, typer.Option(help="Spark master URL")] = "local[*]",
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The consolidated spend of the place, with eliminations and the reconciliation."""
    with open_workspace(workspace, json_out) as ws, user_errors(json_out):
        if by not in DIMENSIONS:
            raise WholeplaceError(
                f"--by {by!r} is not known. Fix: use one of {', '.join(DIMENSIONS)}."
            )
        y = _year(ws, year)
        if engine == "duckdb":
            m = build_map(ws, y, by)
        else:
            from wholeplace.commands.spend_national import engine_map

            m = engine_map(ws, y, by, engine, spark_master)
        name = ws.name
    if json_out:
        print_json(m.to_json())
        return
    t = Table(title=f"Public spending in {name}, {y}, by {by.replace('_', ' ')}")
    t.add_column(by.replace("_", " ").capitalize())
    t.add_column("£m", justify="right")
    t.add_column("share", justify="right")
    if per_head:
        t.add_column("£ per head", justify="right")
    t.add_column("of which estimated", justify="right")
    for r in m.rows:
        cells = [r.label, fmt_millions(r.amount_gbp), f"{r.share:.1%}"]
        if per_head:
            cells.append("" if r.per_head_gbp is None else fmt_gbp(r.per_head_gbp, pence=False))
        cells.append(fmt_millions(r.estimated_gbp) if r.estimated_gbp else "")
        t.add_row(*cells)
    cells = ["[bold]Total[/]", f"[bold]{fmt_millions(m.total_gbp)}[/]", "100.0%"]
    if per_head:
        cells.append("" if m.per_head_gbp is None else fmt_gbp(m.per_head_gbp, pence=False))
    cells.append(fmt_millions(m.estimated_gbp) if m.estimated_gbp else "")
    t.add_row(*cells)
    console.print(t)
    rec = m.reconciliation
    mark = "[green]✔ holds[/]" if rec.holds else f"[red]✘ off by {fmt_gbp(rec.difference_gbp)}[/]"
    console.print(
        f"Reconciliation: imported {fmt_gbp(rec.imported_gbp)} = consolidated "
        f"{fmt_gbp(rec.consolidated_gbp)} + eliminated {fmt_gbp(rec.eliminated_gbp)}  {mark}"
    )
    if m.eliminations:
        console.print(f"Eliminations (payments between partners): {len(m.eliminations)}")
        for e in m.eliminations:
            console.print(
                f"  {e.payer_name} → {e.payee_name} ({e.service}): {fmt_gbp(e.amount_gbp)}"
            )


@app.command("report")
def report(
    out: Annotated[Path, typer.Option(help="FILE.html or FILE.xlsx")],
    year: Annotated[str | None, typer.Option(help="Financial year (default: latest)")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Write the spend report: HTML (self-contained, offline) or XLSX."""
    from wholeplace.spend.report import gather, write_html, write_xlsx

    with open_workspace(workspace, json_out) as ws, user_errors(json_out):
        suffix = out.suffix.lower()
        if suffix not in (".html", ".htm", ".xlsx"):
            raise WholeplaceError(f"{out.name}: unknown report type. Fix: use .html or .xlsx.")
        y = _year(ws, year)
        data = gather(ws, y)
        (write_html if suffix != ".xlsx" else write_xlsx)(data, out)
    if json_out:
        print_json({"out": str(out), "year": y})
    else:
        console.print(f"Wrote {out}.")


@app.command("services")
def services_(json_out: JsonOpt = False) -> None:
    """The service taxonomy: codes to use in spend files and mapping files."""
    ss = list(services().values())
    if json_out:
        print_json([s.__dict__ for s in ss])
        return
    t = Table(title="Service taxonomy (SeRCOP divisions, extended)")
    for c in ("code", "name", "division"):
        t.add_column(c)
    for s in ss:
        t.add_row(s.code, s.name, s.division)
    console.print(t)
