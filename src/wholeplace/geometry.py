"""Checking the boundaries of areas (GeoJSON) before a place keeps them.

A boundary is drawn in every spend report's map, so one that cannot be drawn (coordinates
``"nonsense"``, a string for a geometry, an infinite number) must be refused when it is
imported, not found by every report afterwards. Each feature is checked for its shape first
(an object with properties, a Polygon or MultiPolygon whose coordinates are rings of
finite numbers), then by shapely: it must make a polygon, lie within the range of its
coordinate system, and be valid. Published boundary files often hold a ring that crosses
itself where it was simplified (two of the demo's fourteen districts do), so an invalid
polygon is repaired with shapely's ``make_valid`` and kept, and the import says which
were; one that has no area left once repaired is refused.

Coordinates are longitude/latitude degrees (WGS 84, what GeoJSON means) or British National
Grid metres (EPSG:27700, what many council GIS exports hold); the maps draw either, but not
both at once, so a file and the place's other boundaries must agree.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wholeplace.errors import Problems

DEGREES = "longitude/latitude degrees (WGS 84)"
BNG = "British National Grid metres (EPSG:27700)"
# (min x, min y, max x, max y) a boundary's coordinates must lie within
RANGES = {DEGREES: (-180.0, -90.0, 180.0, 90.0), BNG: (0.0, 0.0, 700_000.0, 1_300_000.0)}
REPROJECT = (
    "export the boundaries as WGS 84 longitude/latitude (EPSG:4326), e.g. "
    "ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson"
)
FEATURE = 'each feature is {"type": "Feature", "properties": {...}, "geometry": {...}}'
POLYGON_FIX = "boundaries must be Polygon or MultiPolygon features"


@dataclass(frozen=True)
class Boundary:
    """A feature that passed: its area code, its geometry, and why it was repaired (if)."""

    code: str
    geometry: dict[str, Any]
    repaired: str | None = None


class _Bad(Exception):
    """What is wrong with one feature's geometry."""


def load_geojson(path: Path, problems: Problems) -> dict[str, Any]:
    """The GeoJSON object in ``path``, or ``problems`` raised: a file that is not JSON,
    is nested past Python's recursion limit, or holds NaN or Infinity (not JSON)."""

    def no_constant(name: str) -> float:
        raise ValueError(f"{name} is not a number JSON allows")

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"), parse_constant=no_constant)
    except RecursionError as exc:
        problems.add(None, None, None, "not GeoJSON: nested too deeply", "export it as GeoJSON")
        raise problems.error() from exc
    except (OSError, ValueError) as exc:
        problems.add(None, None, None, f"not GeoJSON ({exc})", "export it as GeoJSON")
        raise problems.error() from exc
    if not isinstance(data, dict):
        problems.add(None, None, type(data).__name__, "not a FeatureCollection", FEATURE)
        raise problems.error()
    return data


def declared_crs(data: Mapping[str, Any], problems: Problems) -> str | None:
    """The coordinate system ``data`` names (old GeoJSON's ``crs`` member), if any."""
    crs = data.get("crs")
    props = crs.get("properties") if isinstance(crs, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    if not isinstance(name, str):
        return None
    if name.endswith(("CRS84", "4326")):
        return DEGREES
    if name.endswith("27700"):
        return BNG
    problems.add(
        None, "crs", name, f"coordinates in {name}, which wholeplace cannot draw", REPROJECT
    )
    return None


def check_features(
    features: list[Any], code_property: str, crs: str | None, problems: Problems
) -> tuple[list[Boundary], str | None]:
    """The boundaries of ``features`` that pass, and the coordinate system they are in (the
    declared one, else that of the first feature); every other feature is a problem."""
    kept: list[Boundary] = []
    for i, f in enumerate(features, start=1):
        if not isinstance(f, dict):
            problems.add(i, None, type(f).__name__, f"feature {i} is not an object", FEATURE)
            continue
        props = f.get("properties") or {}
        if not isinstance(props, dict):
            kind = type(props).__name__
            problems.add(i, "properties", kind, f"feature {i}: properties is a {kind}", FEATURE)
            continue
        code = props.get(code_property)
        if code is None or code == "" or isinstance(code, (dict, list, bool)):
            problems.add(
                i,
                code_property,
                None if code is None else str(code)[:80],
                f"feature {i} has no {code_property!r} property",
                f"pass --code-property with the property holding area codes "
                f"(this file has: {', '.join(map(str, props))[:200]})",
            )
            continue
        code = str(code)
        geom = f.get("geometry")
        if not isinstance(geom, dict):
            what = type(geom).__name__
            problems.add(
                i, "geometry", what, f"feature {i} ({code}): geometry is a {what}", FEATURE
            )
            continue
        if geom.get("type") not in ("Polygon", "MultiPolygon"):
            problems.add(i, "geometry", str(geom.get("type"))[:80], "not a polygon", POLYGON_FIX)
            continue
        try:
            boundary = _check_geometry(code, geom)
            crs = crs or _crs_of(boundary.geometry)
            _check_range(boundary.geometry, crs)
        except _Bad as bad:
            problems.add(i, "geometry", code, f"feature {i} ({code}): {bad}", _fix_for(str(bad)))
            continue
        kept.append(boundary)
    return kept, crs


def _fix_for(message: str) -> str:
    if "outside" in message or "neither" in message:
        return REPROJECT
    return "export the boundary again from your GIS, or leave the feature out"


def _rings(kind: str, coords: Any) -> list[Any]:
    """The rings of a Polygon or MultiPolygon's coordinates, checked for their shape."""
    if not isinstance(coords, list) or not coords:
        raise _Bad(f"its coordinates are not a list of rings (found {str(coords)[:40]!r})")
    polygons = [coords] if kind == "Polygon" else coords
    rings: list[Any] = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise _Bad("its coordinates are not a list of rings")
        rings.extend(polygon)
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise _Bad("a ring is not a list of at least 4 points")
        for p in ring:
            if not (
                isinstance(p, list)
                and 2 <= len(p) <= 3
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in p)
            ):
                raise _Bad(f"a point is not 2 or 3 numbers (found {str(p)[:40]})")
            if not all(math.isfinite(v) for v in p):
                raise _Bad(f"a coordinate is not a finite number (found {p})")
    return rings


def _check_geometry(code: str, geom: Mapping[str, Any]) -> Boundary:
    import shapely
    from shapely.geometry import MultiPolygon, Polygon, mapping, shape
    from shapely.validation import explain_validity, make_valid

    kind = str(geom["type"])
    _rings(kind, geom.get("coordinates"))
    clean = {"type": kind, "coordinates": geom["coordinates"]}
    try:
        shp = shape(clean)
    except Exception as exc:  # shapely's own refusal: the shape above is not a polygon
        raise _Bad(f"shapely cannot make a polygon of it ({exc})") from exc
    if shp.is_empty:
        raise _Bad("it has no area")
    if shp.is_valid:
        return Boundary(code, clean)
    why = explain_validity(shp)
    fixed = make_valid(shp)
    parts = [p for p in shapely.get_parts(fixed) if isinstance(p, (Polygon, MultiPolygon))]
    polygons = [q for p in parts for q in (p.geoms if isinstance(p, MultiPolygon) else [p])]
    if not polygons:
        raise _Bad(f"it is not a valid polygon ({why}) and has no area once repaired")
    repaired = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    return Boundary(code, json.loads(json.dumps(mapping(repaired))), why)


def _points(geometry: Mapping[str, Any]) -> Iterable[list[float]]:
    coords = geometry["coordinates"]
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def _crs_of(geometry: Mapping[str, Any]) -> str:
    first = next(iter(_points(geometry)))
    for crs in (DEGREES, BNG):
        x0, y0, x1, y1 = RANGES[crs]
        if x0 <= first[0] <= x1 and y0 <= first[1] <= y1:
            return crs
    raise _Bad(f"its coordinates {first[:2]} are neither {DEGREES} nor {BNG}")


def _check_range(geometry: Mapping[str, Any], crs: str) -> None:
    x0, y0, x1, y1 = RANGES[crs]
    for p in _points(geometry):
        if not (x0 <= p[0] <= x1 and y0 <= p[1] <= y1):
            raise _Bad(f"the point {p[:2]} is outside the range of {crs}")


def drawable(geometry: object) -> bool:
    """Whether a stored geometry can be drawn: one kept by a version of wholeplace that did
    not check boundaries may not be, and must not break a report."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return False
    try:
        _rings(str(geometry["type"]), geometry.get("coordinates"))
    except _Bad:
        return False
    return True


def crs_of_stored(geometry: Mapping[str, Any]) -> str | None:
    """The coordinate system of a stored, drawable geometry (None if neither)."""
    try:
        return _crs_of(geometry)
    except _Bad:
        return None
