"""The areas of a place (wards, districts, LSOAs...): names, populations and boundaries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wholeplace.errors import Problems
from wholeplace.population import BadPopulation, parse_population, usable
from wholeplace.tabular import read_table
from wholeplace.workspace import Workspace, file_sha256


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    population: int | None


def read_areas(path: Path) -> list[Area]:
    table = read_table(
        path,
        required=["code", "name"],
        aliases={"area": "code", "area_code": "code", "area_name": "name", "pop": "population"},
    )
    out: list[Area] = []
    problems = Problems(table.label)
    seen: set[str] = set()
    for row in table.rows:
        code = row.values.get("code", "").strip()
        name = row.values.get("name", "").strip()
        raw = row.values.get("population", "").strip()
        if not code:
            problems.add(row.number, "code", "", "missing", "fill it in")
            continue
        if code in seen:
            problems.add(row.number, "code", code, "duplicate area", "keep one row per area")
            continue
        seen.add(code)
        pop: int | None = None
        if raw:
            try:
                pop = parse_population(raw)
            except BadPopulation as bad:
                problems.add(row.number, "population", raw, bad.message, bad.fix)
                continue
        out.append(Area(code, name or code, pop))
    problems.raise_if_any()
    return out


def import_areas(ws: Workspace, path: Path) -> list[Area]:
    areas = read_areas(path)
    with ws.write("areas import", file=path, sha256=file_sha256(path), rows=len(areas)):
        for a in areas:
            ws.con.execute(
                "INSERT OR REPLACE INTO areas (code, name, population) VALUES (?, ?, ?)",
                [a.code, a.name, a.population],
            )
    return areas


def list_areas(ws: Workspace) -> list[Area]:
    return [
        Area(*r)
        for r in ws.con.execute("SELECT code, name, population FROM areas ORDER BY name").fetchall()
    ]


def area_populations(ws: Workspace) -> dict[str, int]:
    """The areas' populations, those that can give a figure per head."""
    return {a.code: p for a in list_areas(ws) if (p := usable(a.population))}


def place_population(ws: Workspace) -> int | None:
    """The place's population: as set at init, else the sum of its areas'."""
    if usable(ws.population):
        return ws.population
    pops = area_populations(ws)
    return sum(pops.values()) or None


def import_boundaries(ws: Workspace, path: Path, code_property: str = "code") -> int:
    """Keep a GeoJSON FeatureCollection of the areas, keyed by ``code_property``."""
    problems = Problems(path.name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.add(None, None, None, f"not GeoJSON ({exc})", "export it as GeoJSON")
        raise problems.error() from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        problems.add(
            None, None, None, "no features", "give a GeoJSON FeatureCollection of polygons"
        )
        raise problems.error()
    keep: list[tuple[str, str]] = []
    for i, f in enumerate(features, start=1):
        props = f.get("properties") or {}
        code = props.get(code_property)
        geom = f.get("geometry") or {}
        if not code:
            problems.add(
                i,
                code_property,
                None,
                f"feature {i} has no {code_property!r} property",
                f"pass --code-property with the property holding area codes "
                f"(this file has: {', '.join(props)})",
            )
            continue
        if geom.get("type") not in ("Polygon", "MultiPolygon"):
            problems.add(
                i,
                "geometry",
                str(geom.get("type")),
                "not a polygon",
                "boundaries must be Polygon or MultiPolygon features",
            )
            continue
        keep.append((str(code), json.dumps(geom, separators=(",", ":"))))
    problems.raise_if_any()
    with ws.write("boundaries import", file=path, sha256=file_sha256(path), rows=len(keep)):
        for code, geom in keep:
            ws.con.execute(
                "INSERT OR REPLACE INTO boundaries (code, geometry) VALUES (?, ?)", [code, geom]
            )
    return len(keep)


def boundaries(ws: Workspace) -> dict[str, dict[str, Any]]:
    return {
        r[0]: json.loads(r[1])
        for r in ws.con.execute("SELECT code, geometry FROM boundaries").fetchall()
    }
