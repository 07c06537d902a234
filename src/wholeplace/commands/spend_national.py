"""`wholeplace spend import-outturn | import-transactions | suppliers | estimate | map-engine`.

National data added to the existing ``spend`` command group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace.commands.common import (
    JsonOpt,
    WorkspaceOpt,
    console,
    open_workspace,
    print_json,
    user_errors,
)
from wholeplace.commands.spend import app
from wholeplace.errors import WholeplaceError
from wholeplace.money import fmt_gbp, fmt_millions

__all__ = ["app"]


@app.command("import-outturn")
def import_outturn_(
    workbook: Annotated[Path, typer.Argument(help="RS workbook (.xls or .xlsx) as published")],
    authority: Annotated[
        str | None, typer.Option(help="E-code (E3421) or ONS code (E10000028)")
    ] = None,
    partner: Annotated[
        str | None, typer.Option(help="Partner id to import it as (default: the E-code)")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Import every authority, adding partners by E-code")
    ] = False,
    list_: Annotated[
        bool, typer.Option("--list", help="List the workbook's authorities and stop")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import a Revenue Outturn Summary (RS) workbook: one authority, or --all."""
    from wholeplace.spend.outturn import import_outturn, read_workbook

    if list_:
        with user_errors(json_out):
            wb = read_workbook(workbook)
        if json_out:
            print_json(
                [
                    {"ecode": a.ecode, "ons_code": a.ons_code, "name": a.name, "class": a.cls}
                    for a in wb.authorities
                ]
            )
            return
        t = Table(title=f"{wb.file}: {len(wb.authorities)} authorities, {wb.year}")
        for c in ("E-code", "ONS code", "name", "class"):
            t.add_column(c)
        for a in sorted(wb.authorities, key=lambda a: a.ecode):
            t.add_row(a.ecode, a.ons_code or "", a.name, a.cls)
        console.print(t)
        return
    with open_workspace(workspace, json_out) as ws, user_errors(json_out):
        res = import_outturn(
            ws, workbook, authority=authority, partner=partner, all_authorities=all_
        )
    w = res.written
    if json_out:
        print_json(
            {
                "year": res.year,
                "sheet": res.sheet,
                "authorities": len(res.authorities),
                "partners_added": res.partners_added,
                "rows": w.rows,
                "total_gbp": w.total_gbp,
                "partner_years": [
                    {"partner": p, "year": y, "total_gbp": t}
                    for (p, y), t in sorted(w.by_partner_year.items())
                ],
                "skipped_rows": [{"row": r, "name": n} for r, n in res.skipped_rows],
                "mismatched_totals": [
                    {"ecode": e, "sum_gbp": s, "published_total_gbp": t}
                    for e, s, t in res.mismatched_totals
                ],
            }
        )
        return
    who = (
        res.authorities[0].name
        if len(res.authorities) == 1
        else f"{len(res.authorities)} authorities"
    )
    console.print(
        f"Imported {res.year} outturn of {who}: {w.rows:,} lines, {fmt_gbp(w.total_gbp)} "
        f"(net current expenditure, from £ thousand)."
    )
    if res.partners_added:
        console.print(f"  added {len(res.partners_added)} partners (ids are E-codes)")
    if res.skipped_rows:
        console.print(
            "  skipped aggregate rows: " + ", ".join(f"{n} (row {r})" for r, n in res.skipped_rows)
        )
    for e, s, t in res.mismatched_totals:
        console.print(
            f"  [yellow]{e}: services sum to {fmt_gbp(s)}, published total {fmt_gbp(t)}[/]"
        )


@app.command("import-transactions")
def import_transactions_(
    files: Annotated[list[Path], typer.Argument(help="CSV or XLSX 'spend over £500' files")],
    partner: Annotated[
        str | None,
        typer.Option(
            help="The partner that made these payments (leave out for a file with a "
            "partner column, e.g. a national collection)"
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            help="CSV: department,service_area,expense_type -> service[,customer_group,area]"
        ),
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            help="For files without a header: roles in column order, e.g. "
            "'service_area,supplier,date,amount' (blank to skip a column)"
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(help="XLSX: one sheet (default: every sheet)")
    ] = None,
    strict: Annotated[
        bool, typer.Option(help="Refuse a file with values the mapping does not cover")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import transaction files; each lands whole or not at all, duplicates are skipped.

    The partner's spend lines of every year the files touch are re-built from all of its
    transactions (so the spend map can come from transactions instead of a summary).
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from wholeplace.spend.transactions import (
        TransactionMapping,
        import_transaction_file,
        read_transaction_mapping,
    )

    roles = [c.strip() for c in columns.split(",")] if columns else None
    results = []
    with open_workspace(workspace, json_out) as ws, user_errors(json_out):
        from wholeplace.partners import partner_ids

        if partner is not None and partner not in partner_ids(ws):
            raise WholeplaceError(
                f"{partner!r} is not a partner of this place. "
                f"Fix: wholeplace partners add --id {partner} --name ... --type ..."
            )
        m = read_transaction_mapping(mapping) if mapping else TransactionMapping.empty()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=console,
            disable=json_out,
            transient=True,
        ) as bar:
            for f in files:
                task = bar.add_task(f"{f.name}", total=1)

                def report(
                    stage: str, done: int, total: int, task: int = task, name: str = f.name
                ) -> None:
                    bar.update(
                        task, description=f"{name}: {stage}", total=total or 1, completed=done
                    )

                results.append(
                    import_transaction_file(
                        ws,
                        f,
                        partner=partner,
                        mapping=m,
                        columns=roles,
                        sheet=sheet,
                        strict=strict,
                        progress=report,
                    )
                )
                bar.update(task, completed=bar.tasks[task].total)
    if json_out:
        print_json(
            [
                {
                    "file": r.file,
                    "status": r.status,
                    "message": r.message,
                    "rows": r.rows,
                    "total_gbp": r.total_gbp,
                    "credits_gbp": r.credits_gbp,
                    "to_partners_gbp": r.to_partners_gbp,
                    "years": r.years,
                    "encoding": r.encoding,
                    "layout": r.layout,
                    "skipped": r.skipped,
                    "unmapped": [u.__dict__ for u in r.unmapped],
                }
                for r in results
            ]
        )
        return
    for r in results:
        if r.status != "imported":
            console.print(f"[yellow]{r.file}: {r.message}[/]")
            continue
        console.print(
            f"{r.file}: {r.rows:,} payments, {fmt_gbp(r.total_gbp)} "
            f"({', '.join(r.years)}; {r.encoding})"
        )
        for reason, lines in r.skipped.items():
            shown = ", ".join(map(str, lines[:10])) + (" ..." if len(lines) > 10 else "")
            console.print(f"  skipped {len(lines)} {reason} line(s): {shown}")
        if r.to_partners_gbp:
            console.print(f"  paid to other partners of the place: {fmt_gbp(r.to_partners_gbp)}")
        if r.unmapped:
            shown = "; ".join(
                f"{u.department or ''} / {u.service_area or ''} / {u.expense_type or ''} "
                f"{u.rows:,} row{'s' if u.rows != 1 else ''} {fmt_gbp(u.amount_gbp)}"
                for u in r.unmapped[:10]
            )
            more = f"; and {len(r.unmapped) - 10} more (see --json)" if len(r.unmapped) > 10 else ""
            console.print(f"  not mapped: {shown}{more}", soft_wrap=True)


@app.command("suppliers")
def suppliers_(
    year: Annotated[str | None, typer.Option(help="Financial year (default: all)")] = None,
    top: Annotated[int, typer.Option(help="How many top suppliers")] = 20,
    shared: Annotated[
        bool, typer.Option("--shared", help="Only suppliers paid by two or more partners")
    ] = False,
    engine: Annotated[str, typer.Option(help="duckdb or spark")] = "duckdb",
    spark_master: Annotated[str, typer.Option(help="Spark master URL")] = "local[*]",
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Supplier analysis: top suppliers, shared suppliers, payments between partners."""
    from wholeplace.engine import execute
    from wholeplace.spend.transactions import (
        payments_between_partners,
        shared_suppliers,
        top_suppliers,
    )
    from wholeplace.years import parse_year

    with open_workspace(workspace, json_out) as ws, user_errors(json_out):
        y = parse_year(year) if year else None
        backend, tx, partners = _transaction_tables(ws, engine, spark_master)
        expr = shared_suppliers(tx, y) if shared else top_suppliers(tx, y, top)
        rows = execute(backend, expr)[:top]
        between = execute(backend, payments_between_partners(tx, partners, y))
    between.sort(key=lambda r: (-r["amount_gbp"], r["payer"], r["payee"], r["year"]))
    if json_out:
        print_json({"suppliers": rows, "between_partners": between})
        return
    t = Table(
        title=("Suppliers paid by several partners" if shared else "Top suppliers")
        + (f", {y}" if y else "")
    )
    for c in ("supplier", "partners", "payments", "£m"):
        t.add_column(c, justify="left" if c == "supplier" else "right")
    for r in rows:
        t.add_row(
            r["supplier"],
            str(r["partners"]),
            f"{r['payments']:,}",
            fmt_millions(r["amount_gbp"], 2),
        )
    console.print(t)
    if between:
        console.print("Payments between partners of the place (eliminated in the spend map):")
        for r in between:
            console.print(
                f"  {r['payer_name']} → {r['payee_name']} ({r['year']}): "
                f"{fmt_gbp(r['amount_gbp'])} in {r['payments']:,} payments"
            )


def _transaction_tables(ws: object, engine: str, master: str) -> tuple[object, object, object]:
    from wholeplace.workspace import Workspace

    assert isinstance(ws, Workspace)
    if engine == "duckdb":
        return ws.ibis, ws.ibis.table("transactions"), ws.ibis.table("partners")
    if engine == "spark":
        from wholeplace.engine_spark import spark_tables, spark_transactions

        t = spark_tables(ws, master)
        return t.backend, spark_transactions(ws, t.backend), t.partners
    raise WholeplaceError(f"--engine {engine!r} is not known. Fix: use duckdb or spark.")


def engine_map(ws: object, year: str, by: str, engine: str, master: str) -> object:
    """`spend map --engine spark`: the same consolidation on a Spark session."""
    from wholeplace.commands.spend import build_map
    from wholeplace.workspace import Workspace

    assert isinstance(ws, Workspace)
    if engine != "spark":
        raise WholeplaceError(f"--engine {engine!r} is not known. Fix: use duckdb or spark.")
    from wholeplace.engine_spark import spark_session, spark_tables

    try:
        spark_session(master)
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise WholeplaceError(
            "Spark is not installed. Fix: pip install 'pyspark>=4.0,<4.1' (needs Java 17)."
        ) from exc
    except Exception as exc:  # pragma: no cover - no Java, or the master is unreachable
        raise WholeplaceError(
            f"Spark did not start at {master}: {str(exc).splitlines()[0]}. "
            "Fix: install Java 17, or check --spark-master."
        ) from exc
    return build_map(ws, year, by, spark_tables(ws, master))


@app.command("estimate")
def estimate_(
    partner: Annotated[str, typer.Option(help="The partner without data, e.g. dwp")],
    region: Annotated[str, typer.Option(help="CRA region, e.g. 'West Midlands'")],
    function: Annotated[
        list[str], typer.Option(help="CRA function (repeatable): '10', '10.2 Old age', '7'")
    ],
    year: Annotated[str, typer.Option(help="Financial year of the CRA column, e.g. 2017/18")],
    region_driver: Annotated[
        float, typer.Option(help="The driver for the whole region, e.g. its population")
    ],
    source: Annotated[str, typer.Option(help="Only 'cra' for now")] = "cra",
    file: Annotated[
        Path | None, typer.Option(help="The CRA database workbook (CRA_..._Database_....xlsx)")
    ] = None,
    driver: Annotated[str, typer.Option(help="Name of the driver, e.g. population")] = (
        "population"
    ),
    place_driver: Annotated[
        float | None, typer.Option(help="The driver for the place (default: its population)")
    ] = None,
    driver_file: Annotated[
        Path | None, typer.Option(help="CSV area,value: the driver per area of the place")
    ] = None,
    service: Annotated[
        list[str] | None, typer.Option(help="Taxonomy code per --function (e.g. SSB.PENSION)")
    ] = None,
    department: Annotated[
        list[str] | None, typer.Option(help="Only these CRA departments (repeatable)")
    ] = None,
    include_local_government: Annotated[
        bool, typer.Option(help="Also count CRA rows of local government (double counts councils)")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Estimate a partner's spend in the place: regional spend x the place's driver share.

    Lines are marked as estimates with the method and source; they replace the partner's
    lines of that year.
    """
    from decimal import Decimal

    from wholeplace.spend.estimate import estimate_from_cra, read_driver

    with open_workspace(workspace, json_out) as ws, user_errors(json_out):
        if source != "cra":
            raise WholeplaceError(f"--source {source!r} is not known. Fix: use --source cra.")
        if file is None:
            raise WholeplaceError(
                "Which CRA workbook? Fix: --file CRA_2018_Database_for_Publication_rvsd.xlsx "
                "(HM Treasury, Country and Regional Analysis)."
            )
        est = estimate_from_cra(
            ws,
            file,
            partner=partner,
            region=region,
            functions=list(function),
            year=year,
            region_driver=Decimal(str(region_driver)),
            driver=driver,
            place_driver=None if place_driver is None else Decimal(str(place_driver)),
            area_driver=read_driver(driver_file) if driver_file else None,
            service_codes=list(service or []),
            level=("CG", "PC", "LG") if include_local_government else ("CG", "PC"),
            departments=tuple(department or ()),
        )
    if json_out:
        print_json(
            [
                {
                    "function": ", ".join(e.total.matched_functions),
                    "region_gbp": e.total.amount_gbp,
                    "share": str(e.share),
                    "estimate_gbp": e.amount_gbp,
                    "by_area": {k or "": v for k, v in e.by_area.items()},
                    "method": e.lines[0].estimate_method if e.lines else None,
                }
                for e in est
            ]
        )
        return
    for e in est:
        console.print(
            f"{partner}: {', '.join(e.total.matched_functions)} {e.total.year}: "
            f"{fmt_millions(e.total.amount_gbp)} in {e.total.region} x {e.share:.4%} = "
            f"[bold]{fmt_gbp(e.amount_gbp)}[/] (estimate)"
        )
