"""The place's areas and their boundaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from demo_build.config import COUNCILS
from demo_build.model import AreaInfo, BuildError
from demo_build.readers import read_populations


def build_areas(ref: Path) -> tuple[list[AreaInfo], dict[str, dict[str, str]], dict[str, int]]:
    registry, pop = read_populations(ref)
    areas = []
    for c in COUNCILS:
        if c.type == "county council":
            continue
        r = registry[c.register]
        areas.append(AreaInfo(r["gss-code"], r["nice-name"], pop[c.register], c.id))
    return areas, registry, pop


def round_coords(coords: object) -> object:
    if isinstance(coords, list) and coords and isinstance(coords[0], (int, float)):
        return [round(float(coords[0]), 4), round(float(coords[1]), 4)]
    assert isinstance(coords, list)
    return [round_coords(c) for c in coords]


def clean_ring(ring: list[list[float]]) -> list[list[float]] | None:
    out: list[list[float]] = []
    for p in ring:
        if not out or p != out[-1]:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def build_boundaries(ref: Path, areas: list[AreaInfo]) -> dict:
    path = ref / "boundaries-england" / "LAD_Dec2024_UK_BFC_simplified.geojson"
    with open(path, encoding="utf-8") as f:
        src = json.load(f)
    by_code = {feat["properties"]["LAD24CD"]: feat for feat in src["features"]}
    features = []
    for a in areas:
        feat = by_code.get(a.code)
        if feat is None:
            raise BuildError(f"{path.name}: no feature for {a.code} {a.name}")
        geom = feat["geometry"]
        coords: Any = round_coords(geom["coordinates"])
        if geom["type"] == "Polygon":
            polys = [coords]
        elif geom["type"] == "MultiPolygon":
            polys = coords
        else:
            raise BuildError(f"{a.code}: unexpected geometry {geom['type']}")
        kept = []
        for poly in polys:
            rings = [clean_ring(r) for r in poly]
            if rings[0] is None:
                continue  # an islet that vanished at 4 decimals
            kept.append([r for r in rings if r is not None])
        geometry = (
            {"type": "Polygon", "coordinates": kept[0]}
            if len(kept) == 1
            else {"type": "MultiPolygon", "coordinates": kept}
        )
        features.append(
            {
                "type": "Feature",
                "properties": {"code": a.code, "name": a.name},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}
