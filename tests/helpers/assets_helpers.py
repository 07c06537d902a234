"""Shared by the asset tests: a place with partners and the boundary of real districts."""

from __future__ import annotations

import json
from pathlib import Path

from wholeplace.areas import import_boundaries
from wholeplace.partners import add_partner
from wholeplace.workspace import Workspace

LADS = "boundaries-england/LAD_Dec2024_UK_BFC_simplified.geojson"


def add_partners(ws: Workspace, *ids: str) -> None:
    for pid in ids:
        add_partner(
            ws,
            {
                "id": pid,
                "name": pid.title(),
                "type": "district",
                "group": "Councils",
                "sector": "Local government",
            },
        )


def lad_features(reference: Path, *codes: str) -> list[dict[str, object]]:
    data = json.loads((reference / LADS).read_text(encoding="utf-8"))
    return [f for f in data["features"] if f["properties"]["LAD24CD"] in codes]


def with_lad_boundaries(ws: Workspace, reference: Path, tmp: Path, *codes: str) -> None:
    """The districts' published boundaries (written to ``tmp`` from the reference file,
    never into the repository) as the place's areas."""
    path = tmp / "lads.geojson"
    fc = {"type": "FeatureCollection", "features": lad_features(reference, *codes)}
    path.write_text(json.dumps(fc), encoding="utf-8")
    import_boundaries(ws, path, "LAD24CD")


def square(code: str, x0: float, y0: float, size: float) -> dict[str, object]:
    """A square area in grid metres, for crafted places."""
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {
        "type": "Feature",
        "properties": {"code": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def with_squares(ws: Workspace, tmp: Path, *features: dict[str, object]) -> None:
    path = tmp / "squares.geojson"
    fc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": list(features),
    }
    path.write_text(json.dumps(fc), encoding="utf-8")
    import_boundaries(ws, path, "code")
