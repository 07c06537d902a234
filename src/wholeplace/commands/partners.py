"""`wholeplace partners ...`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace import partners as core
from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json, print_result

app = typer.Typer(help="The partners of the place.", no_args_is_help=True)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: id, name, type, group, sector")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Add or update partners from a file (all rows checked before any is written)."""
    with common.open_workspace(workspace, json_out) as ws:
        ps = core.import_partners(ws, file)
    print_result(
        json_out,
        {"imported": len(ps), "ids": [p.id for p in ps]},
        f"Imported {len(ps)} partners from {file.name}.",
    )


@app.command("add")
def add(
    id: Annotated[str, typer.Option(help="Short id, e.g. lcc")],
    name: Annotated[str, typer.Option(help="Full name")],
    type: Annotated[str, typer.Option(help="One of: " + ", ".join(core.PARTNER_TYPES))],
    group: Annotated[str, typer.Option(help="Reporting group, e.g. NHS")],
    sector: Annotated[str, typer.Option(help="e.g. local government, health")],
    # text, read by population.parse_population: a bad value gets the problem table
    population_served: Annotated[str | None, typer.Option()] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Add (or replace) one partner."""
    values = {"id": id, "name": name, "type": type, "group": group, "sector": sector}
    if population_served is not None:
        values["population_served"] = population_served
    with common.open_workspace(workspace, json_out) as ws:
        p = core.add_partner(ws, values)
    print_result(json_out, p.__dict__, f"Added {p.name} ({p.id}).")


@app.command("list")
def list_(workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """List the partners, by reporting group."""
    with common.open_workspace(workspace, json_out, read_only=True) as ws:
        ps = core.list_partners(ws)
    if json_out:
        print_json([p.__dict__ for p in ps])
        return
    t = Table(title=f"{len(ps)} partners")
    for c in ("id", "name", "type", "group", "sector", "population served"):
        t.add_column(c)
    for p in ps:
        t.add_row(
            p.id,
            p.name,
            p.type,
            p.group,
            p.sector,
            "" if p.population_served is None else f"{p.population_served:,}",
        )
    console.print(t)


@app.command("types")
def types() -> None:
    """The partner types you can use."""
    for key, desc in core.PARTNER_TYPES.items():
        console.print(f"[bold]{key}[/]: {desc}")
