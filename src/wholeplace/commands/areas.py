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


@app.command("profile")
def profile(
    area: Annotated[str | None, typer.Argument(help="An area code (or --all)")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every area of the place")] = False,
    out: Annotated[Path | None, typer.Option(help="FILE.html or FILE.xlsx")] = None,
    allocate_by: Annotated[
        str | None,
        typer.Option(help="Allocate spend on no area (county-level) by population or an indicator"),
    ] = None,
    indicator: Annotated[
        str | None, typer.Option(help="The indicator to map (default: imd_decile)")
    ] = None,
    classes: Annotated[
        str, typer.Option(help="Map classes: quantiles or natural-breaks")
    ] = "quantiles",
    similar: Annotated[int, typer.Option(help="How many most similar areas", min=1)] = 5,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The profile of an area, or of every area: population, deprivation decile and
    domains, the indicators, the partners' assets in it and public spend per head, against
    the place and the most similar areas."""
    from wholeplace.area_spend import spend_by_area
    from wholeplace.assets import neighbourhoods
    from wholeplace.errors import WholeplaceError

    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        if (area is None) == (not all_):
            raise WholeplaceError(
                "Say which area. Fix: give an area code, or --all for every area (not both)."
            )
        spend = spend_by_area(ws, allocate_by)
        if out is not None:
            found = neighbourhoods.write_profiles(
                ws, out, area, spend, indicator=indicator, scheme=classes, k=similar
            )
        else:
            found = neighbourhoods.area_profiles(ws, area, spend, k=similar)
    if json_out:
        print_json(found.to_json())
        return
    console.print(found.summary)
    if out is not None:
        console.print(f"Wrote {out}.")
        return
    t = Table()
    for col in ("area", "population", "IMD decile", "assets", "£ per head", "most similar"):
        t.add_column(col, justify="left" if col in ("area", "most similar") else "right")
    for a in found.areas:
        t.add_row(
            f"{a.code} {a.name}" if a.name != a.code else a.code,
            "" if a.population is None else f"{a.population:,}",
            "" if a.decile is None else str(a.decile.normalize()),
            str(len(a.assets)),
            "" if a.per_head is None else f"£{a.per_head:,.0f}",
            ", ".join(c for c, _, _ in a.similar[:3]),
        )
    console.print(t)
