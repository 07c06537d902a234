"""`wholeplace assets import | list | opportunities | report`: parse, call the service, render."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace.assets import service
from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json

app = typer.Typer(
    help="The partners' buildings and land as one estate: co-location and disposal candidates.",
    no_args_is_help=True,
)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The partner's register, CSV or XLSX")],
    partner: Annotated[str, typer.Option("--partner", help="The partner's id")],
    mapping: Annotated[
        Path | None, typer.Option(help="MAP.csv: field,column for a layout not known")
    ] = None,
    filter_: Annotated[
        list[str] | None,
        typer.Option("--filter", help='Keep only rows where COLUMN=VALUE (e.g. an ERIC "ICB")'),
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="The XLSX sheet (default: the first)")] = None,
    outside: Annotated[
        str,
        typer.Option(help="refuse (default) or keep assets located outside the place"),
    ] = "refuse",
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import one partner's land and buildings; they replace that partner's register. Every
    row is checked first; nothing is written if any is wrong."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        filters = service.parse_filters(filter_ or [])
        res = service.import_register(
            ws,
            file,
            partner,
            mapping=mapping,
            filters=filters,
            sheet=sheet,
            keep_outside=service.keep_outside(outside),
        )
    common.print_result(json_out, res.to_json(), res.summary)
    if not json_out:
        for s in res.shared_uprns:
            console.print(f"  UPRN {s.uprn}: {', '.join(s.assets)}")
        for n in res.notices:
            console.print(f"[yellow]Note:[/] {n}")


@app.command("list")
def list_(
    partner: Annotated[str | None, typer.Option(help="Only this partner's assets")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The shared register, one layout for every partner."""
    with common.open_workspace(workspace, json_out, read_only=True) as ws:
        assets = service.register(ws, partner)
    if json_out:
        print_json([a.to_json() for a in assets])
        return
    t = Table(title=f"{len(assets):,} assets")
    for col in ("partner", "ref", "name", "postcode", "use", "GIA m²", "cost a year", "util %"):
        t.add_column(col, overflow="fold")
    for a in assets:
        cost = a.running_cost
        t.add_row(
            a.partner,
            a.ref,
            a.name,
            a.postcode,
            a.use or a.type,
            "" if a.gia_m2 is None else f"{a.gia_m2:,}",
            "" if cost is None else f"£{cost:,}",
            "" if a.utilisation is None else str(a.utilisation),
        )
    console.print(t)
