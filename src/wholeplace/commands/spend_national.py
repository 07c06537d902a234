"""`wholeplace spend import-outturn | import-capital | import-transactions | suppliers | estimate`.

National data: commands added to the ``spend`` command group by ``cli.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json
from wholeplace.money import fmt_gbp, fmt_millions
from wholeplace.spend import national_service, transactions_service
from wholeplace.spend import service as spend_service

__all__ = ["app"]

app = typer.Typer(help="National data for the spend map.", no_args_is_help=True)


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
    if list_:
        with common.user_errors(json_out):
            wb = national_service.outturn_authorities(workbook)
        if json_out:
            print_json(wb.to_json())
            return
        t = Table(title=f"{wb.file}: {len(wb.authorities)} authorities, {wb.year}")
        for c in ("E-code", "ONS code", "name", "class"):
            t.add_column(c)
        for a in sorted(wb.authorities, key=lambda a: a.ecode):
            t.add_row(a.ecode, a.ons_code or "", a.name, a.cls)
        console.print(t)
        return
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        done = national_service.import_outturn(
            ws, workbook, authority=authority, partner=partner, all_authorities=all_
        )
    if json_out:
        print_json(done.to_json())
        return
    res = done.result
    w = res.written
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
    for ecode, summed, published in res.mismatched_totals:
        console.print(
            f"  [yellow]{ecode}: services sum to {fmt_gbp(summed)}, "
            f"published total {fmt_gbp(published)}[/]"
        )


@app.command("import-outturn-detail")
def import_outturn_detail_(
    file: Annotated[Path, typer.Argument(help="the authority's budgets JSON (RSX and RO lines)")],
    partner: Annotated[str, typer.Option(help="Partner id to import it as")],
    year: Annotated[
        str | None, typer.Option(help="Financial year (default: the latest with RO lines)")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import an authority's outturn to the finer services (RO4, RO5, RO6 sub-divisions)."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        done = national_service.import_outturn_detail(ws, file, partner=partner, year=year)
    if json_out:
        print_json(done.to_json())
        return
    w = done.written
    console.print(
        f"Imported {done.year} outturn of {escape(done.authority)} as {escape(partner)}: "
        f"{w.rows:,} lines, {fmt_gbp(w.total_gbp)} (net current expenditure, from £ thousand)."
    )
    t = Table(title="How much of each division the RO lines itemise")
    for c in ("service", "published", "itemised", "not itemised"):
        t.add_column(c, justify="left" if c == "service" else "right")
    for d in done.divisions:
        t.add_row(
            d.code, fmt_gbp(d.published_gbp), fmt_gbp(d.itemised_gbp), fmt_gbp(d.not_itemised_gbp)
        )
    console.print(t)


@app.command("import-capital")
def import_capital_(
    workbook: Annotated[Path, typer.Argument(help="COR B or CER B financing workbook (.xlsx)")],
    authority: Annotated[
        str | None, typer.Option(help="LGF code (E3421) or ONS code (E10000028)")
    ] = None,
    partner: Annotated[
        str | None, typer.Option(help="Partner id to import it as (default: the code)")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Import every authority, adding partners by code")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import capital outturn (COR B) or estimates (CER B): capital lines, shown apart."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        done = national_service.import_capital(
            ws, workbook, authority=authority, partner=partner, all_authorities=all_
        )
    if json_out:
        print_json(done.to_json())
        return
    res = done.result
    w = res.written
    who = (
        res.authorities[0].name
        if len(res.authorities) == 1
        else f"{len(res.authorities)} authorities"
    )
    kind = (
        "capital estimates (forecast, marked as estimates)" if res.forecast else "capital outturn"
    )
    console.print(
        f"Imported {res.year} {kind} of {who}: {w.rows:,} lines, {fmt_gbp(w.total_gbp)} "
        "(capital expenditure financed, from £ thousand; shown apart from revenue)."
    )
    if res.partners_added:
        console.print(f"  added {len(res.partners_added)} partners (ids are LGF codes)")
    if res.not_published:
        console.print(
            "  no figure published (no return made): "
            + ", ".join(f"{n} (row {r})" for r, n in res.not_published)
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
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    roles = [c.strip() for c in columns.split(",")] if columns else None
    with (
        common.open_workspace(workspace, json_out) as ws,
        common.user_errors(json_out),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=console,
            disable=json_out,
            transient=True,
        ) as bar,
    ):
        tasks: dict[str, TaskID] = {}

        def report(name: str, stage: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=1)
            bar.update(
                tasks[name], description=f"{name}: {stage}", total=total or 1, completed=done
            )

        res = transactions_service.import_transactions(
            ws,
            files,
            partner=partner,
            mapping=mapping,
            columns=roles,
            sheet=sheet,
            strict=strict,
            progress=report,
        )
    if json_out:
        print_json(res.to_json())
        return
    _show_transactions(res)


def _show_transactions(res: transactions_service.TransactionsImport) -> None:
    for r in res.files:
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
        for n in r.notices:
            console.print(f"  [yellow]note: {escape(n.message)}[/]", soft_wrap=True)


@app.command("suppliers")
def suppliers_(
    year: Annotated[str | None, typer.Option(help="Financial year (default: all)")] = None,
    top: Annotated[int, typer.Option(help="How many top suppliers")] = 20,
    shared: Annotated[
        bool, typer.Option("--shared", help="Only suppliers paid by two or more partners")
    ] = False,
    engine: common.EngineOpt = "duckdb",
    spark_master: common.SparkMasterOpt = "local[*]",
    out: common.OutOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Supplier analysis: top suppliers, shared suppliers, payments between partners."""
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        res = transactions_service.suppliers(ws, year, top, shared, engine, spark_master)
        if out is not None:
            transactions_service.write_suppliers(res, ws.name, out)
    if json_out:
        print_json(res.to_json())
        return
    y, rows, between = res.year, res.suppliers, res.between_partners
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
    common.wrote(out, json_out)


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
        list[str] | None,
        typer.Option(
            help="The CRA department(s) counted (repeatable); default from the partner's "
            "type (dwp, nhs commissioner, nhs trust, academy trust)"
        ),
    ] = None,
    spending: Annotated[
        list[str] | None,
        typer.Option(help="current (default) or capital (repeatable: each estimated apart)"),
    ] = None,
    include_local_government: Annotated[
        bool, typer.Option(help="Also count CRA rows of local government (double counts councils)")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Estimate a partner's spend in the place: regional spend x the place's driver share.

    Only the CRA rows of the partner's department(s) are counted (--department, or the
    default of its type), and current and capital spending are estimated apart. Lines are
    marked as estimates with the method and source; they replace the partner's lines of
    that year and account (revenue or capital).
    """
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = spend_service.estimate(
            ws,
            partner=partner,
            region=region,
            functions=function,
            year=year,
            region_driver=region_driver,
            source=source,
            file=file,
            driver=driver,
            place_driver=place_driver,
            driver_file=driver_file,
            service_codes=service or (),
            departments=department or (),
            include_local_government=include_local_government,
            spending=spending or ("current",),
        )
    if json_out:
        print_json(res.to_json())
        return
    est = res.estimates
    for e in est:
        console.print(
            f"{partner}: {'; '.join(e.total.departments)}, "
            f"{', '.join(e.total.matched_functions)} {e.total.year}, {e.total.spending}: "
            f"{fmt_millions(e.total.amount_gbp)} in {e.total.region} x {e.share:.4%} = "
            f"[bold]{fmt_gbp(e.amount_gbp)}[/] (estimate)"
        )
