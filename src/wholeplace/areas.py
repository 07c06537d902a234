"""The areas of a place (wards, districts, LSOAs...): names, populations and boundaries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wholeplace.errors import Problems
from wholeplace.geometry import (
    check_features,
    crs_of_stored,
    declared_crs,
    drawable,
    load_geojson,
)
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


@dataclass(frozen=True)
class BoundaryImport:
    """What ``areas boundaries`` did: how many it kept, and which it repaired and why."""

    imported: int
    repaired: dict[str, str]  # area code -> what shapely found wrong with it

    def to_json(self) -> dict[str, Any]:
        return {"imported": self.imported, "repaired": self.repaired}


def import_boundaries(ws: Workspace, path: Path, code_property: str = "code") -> BoundaryImport:
    """Keep a GeoJSON FeatureCollection of the areas, keyed by ``code_property``.

    Every feature is checked first (:mod:`wholeplace.geometry`); one problem and nothing
    is kept.
    """
    problems = Problems(path.name)
    data = load_geojson(path, problems)
    features = data.get("features")
    if not isinstance(features, list) or not features:
        problems.add(
            None, None, None, "no features", "give a GeoJSON FeatureCollection of polygons"
        )
        raise problems.error()
    crs = declared_crs(data, problems)
    keep, crs = check_features(features, code_property, crs, problems)
    problems.raise_if_any()
    _check_same_crs(ws, {b.code for b in keep}, crs, problems)
    problems.raise_if_any()
    names = feature_names(features, code_property)
    with ws.write("boundaries import", file=path, sha256=file_sha256(path), rows=len(keep)):
        for b in keep:
            ws.con.execute(
                "INSERT OR REPLACE INTO boundaries (code, geometry, name) VALUES (?, ?, ?)",
                [b.code, json.dumps(b.geometry, separators=(",", ":")), names.get(b.code)],
            )
    return BoundaryImport(len(keep), {b.code: b.repaired for b in keep if b.repaired})


NAME_PROPERTIES = ("lsoa21nm", "lsoa11nm")


def feature_names(features: list[Any], code_property: str) -> dict[str, str]:
    """Each feature's area name, where the file gives one: the property named as the code's
    with ``NM`` for ``CD`` (``LSOA21CD`` -> ``LSOA21NM``, as every ONS boundary file names
    them), else ``LSOA21NM`` or ``LSOA11NM``, in any case of letters."""
    wanted = [*NAME_PROPERTIES]
    if code_property.lower().endswith("cd"):
        wanted.insert(0, code_property.lower()[:-2] + "nm")
    out: dict[str, str] = {}
    for f in features:
        props = f.get("properties") if isinstance(f, dict) else None
        if not isinstance(props, dict) or props.get(code_property) in (None, ""):
            continue
        lowered = {str(k).lower(): v for k, v in props.items()}
        name = next((lowered[k] for k in wanted if isinstance(lowered.get(k), str)), None)
        if name and name.strip():
            out[str(props[code_property])] = name.strip()[:200]
    return out


def area_names(ws: Workspace) -> dict[str, str]:
    """Each area's name: as ``areas import`` gave it, else as its boundary file did (an
    area whose imported name is only its code takes the boundary file's)."""
    names = {
        code: name
        for code, name in ws.con.execute(
            "SELECT code, name FROM boundaries WHERE name IS NOT NULL"
        ).fetchall()
    }
    for code, name in ws.con.execute("SELECT code, name FROM areas").fetchall():
        if name and (name != code or code not in names):
            names[code] = name
    return names


def _check_same_crs(ws: Workspace, codes: set[str], crs: str | None, problems: Problems) -> None:
    """The maps draw one coordinate system: the place's other boundaries must be in this
    file's."""
    for code, text in ws.con.execute("SELECT code, geometry FROM boundaries").fetchall():
        if code in codes:
            continue
        stored = json.loads(text)
        other = crs_of_stored(stored) if drawable(stored) else None
        if other and crs and other != crs:
            problems.add(
                None,
                None,
                None,
                f"these boundaries are in {crs}, the place's others (e.g. {code}) in {other}",
                f"export this file in {other}, or import every boundary again in one system",
            )
            return


def boundaries(ws: Workspace) -> dict[str, dict[str, Any]]:
    """The areas' boundaries that can be drawn. One stored before boundaries were checked
    on import may not be: that area is left off the map (as one without a boundary is)
    rather than breaking every report."""
    out = {}
    for code, text in ws.con.execute("SELECT code, geometry FROM boundaries").fetchall():
        try:
            geometry = json.loads(text)
        except ValueError:
            continue
        if drawable(geometry):
            out[code] = geometry
    return out
