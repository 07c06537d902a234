"""`wholeplace areas ...`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace import areas as core
from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json, print_result

app = typer.Typer(help="The areas of the place: populations and boundaries.", no_args_is_help=True)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: code, name, population")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Add or update areas and their populations (used for per-head figures)."""
    with common.open_workspace(workspace, json_out) as ws:
        areas = core.import_areas(ws, file)
    print_result(
        json_out, {"imported": len(areas)}, f"Imported {len(areas)} areas from {file.name}."
    )


@app.command("boundaries")
def boundaries(
    file: Annotated[Path, typer.Argument(help="GeoJSON FeatureCollection of the areas")],
    code_property: Annotated[
        str, typer.Option(help="Feature property holding the area code")
    ] = "code",
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Keep the areas' boundaries, for the map of spend per head."""
    with common.open_workspace(workspace, json_out) as ws:
        res = core.import_boundaries(ws, file, code_property)
    message = f"Imported {res.imported} boundaries from {file.name}."
    if res.repaired:
        message += (
            f"\n{len(res.repaired)} did not make a valid polygon and were repaired "
            "(shapely make_valid) before they were kept:"
        )
        message += "".join(f"\n  {code}: {why}" for code, why in res.repaired.items())
    print_result(json_out, res.to_json(), message)


@app.command("list")
def list_(workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """List the areas."""
    with common.open_workspace(workspace, json_out, read_only=True) as ws:
        areas = core.list_areas(ws)
    if json_out:
        print_json([a.__dict__ for a in areas])
        return
    t = Table(title=f"{len(areas)} areas")
    t.add_column("code")
    t.add_column("name")
    t.add_column("population", justify="right")
    for a in areas:
        t.add_row(a.code, a.name, "" if a.population is None else f"{a.population:,}")
    console.print(t)
