"""Benchmark: neighbourhood profiles of every LSOA in England, and one authority's map.

Two figures, each against a named baseline:

* **profiling N areas** (default 33,000, about England's 32,844 LSOAs): synthetic square
  areas with a population, an IMD decile and three domain deciles are imported into a new
  place, then ``area_profiles`` builds every profile (ranks, medians, the five most similar
  areas, spend per head with county spend allocated by population). Baseline: the exact
  pairwise comparison the single-area profile used before (``similar_areas``: every pair in
  exact fractions), timed for a sample of targets and scaled linearly to N targets.
* **one authority's map**: 150 polygons of 40 vertices each drawn as a choropleth with
  quantile classes (mapclassify), the module imports done beforehand. Target: under 1 s
  (issue 16).

Run: .venv/bin/python benchmarks/areas_scale.py [--n 33000] [--sample 50] [--polygons 150]
Heavy at full size: run it on a quiet machine, not a shared one.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

MAP_TARGET_SECONDS = 1.0


def _square(code: str, i: int, side: int) -> str:
    x, y = 300000 + (i % side) * 500, 400000 + (i // side) * 500
    ring = [[x, y], [x + 500, y], [x + 500, y + 500], [x, y + 500], [x, y]]
    geometry = {"type": "Polygon", "coordinates": [ring]}
    return json.dumps({"type": "Feature", "properties": {"code": code}, "geometry": geometry})


def build_place(root: Path, n: int, rng: random.Random) -> Path:
    """A place of ``n`` square areas with four indicators, area populations and spend:
    one district line per area and one county line on no area."""
    from wholeplace.areas import import_areas, import_boundaries
    from wholeplace.assets import service
    from wholeplace.partners import add_partner
    from wholeplace.spend import service as spend_service
    from wholeplace.workspace import Workspace

    codes = [f"E{i:08d}" for i in range(n)]
    side = math.ceil(math.sqrt(n))
    (root / "b.geojson").write_text(
        '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":'
        '"urn:ogc:def:crs:EPSG::27700"}},"features":['
        + ",".join(_square(c, i, side) for i, c in enumerate(codes))
        + "]}",
        encoding="utf-8",
    )
    pops = {c: rng.randint(1000, 3000) for c in codes}
    (root / "areas.csv").write_text(
        "code,name,population\n" + "".join(f"{c},{c},{p}\n" for c, p in pops.items()),
        encoding="utf-8",
    )
    ws = Workspace.create(root / "place", "England (synthetic)")
    try:
        for pid, kind in (("district", "district"), ("county", "county council")):
            add_partner(
                ws,
                {
                    "id": pid,
                    "name": pid.title(),
                    "type": kind,
                    "group": "Councils",
                    "sector": "Local government",
                },
            )
        import_areas(ws, root / "areas.csv")
        import_boundaries(ws, root / "b.geojson", "code")
        for name in ("imd_decile", "income_decile", "health_decile", "crime_decile"):
            path = root / f"{name}.csv"
            path.write_text(
                "code,value\n" + "".join(f"{c},{rng.randint(1, 10)}\n" for c in codes),
                encoding="utf-8",
            )
            service.import_indicator(ws, path, name, "value", source="synthetic", as_of="2019")
        (root / "spend.csv").write_text(
            "partner,year,service,area,amount_gbp\n"
            + "".join(f"district,2024/25,HTS,{c},{rng.randint(10**5, 10**6)}\n" for c in codes)
            + "county,2024/25,ASC,,1234567890.12\n",
            encoding="utf-8",
        )
        spend_service.import_lines(ws, root / "spend.csv")
    finally:
        ws.close()
    return root / "place"


def time_profiles(place: Path, sample: int) -> tuple[float, float, int, float]:
    """Seconds to profile every area; the baseline's seconds for ``sample`` targets;
    the number of areas; the baseline scaled to all of them."""
    from wholeplace.area_spend import spend_by_area
    from wholeplace.assets.neighbourhoods import area_profiles
    from wholeplace.assets.profiles import similar_areas
    from wholeplace.workspace import Workspace

    ws = Workspace.open(place, read_only=True)
    try:
        t0 = time.perf_counter()
        found = area_profiles(ws, None, spend_by_area(ws, "population"))
        ours = time.perf_counter() - t0
        values: dict[str, dict[str, Decimal]] = {}
        for name, code, v in ws.con.execute("SELECT * FROM area_indicators").fetchall():
            values.setdefault(name, {})[code] = v
    finally:
        ws.close()
    n = len(found.areas)
    targets = [a.code for a in found.areas[:sample]]
    t0 = time.perf_counter()
    for code in targets:
        similar_areas(code, values)
    base = time.perf_counter() - t0
    return ours, base, n, base * n / max(len(targets), 1)


def time_map(polygons: int, rng: random.Random) -> float:
    """Seconds to draw ``polygons`` polygons of 40 vertices with quantile classes."""
    from wholeplace.reports.maps import MapArea, choropleth_svg, class_bounds

    class_bounds([Decimal(1), Decimal(2)])  # the imports (mapclassify, scipy) are not timed
    side = math.ceil(math.sqrt(polygons))
    geometries = {}
    for i in range(polygons):
        cx, cy = -2.7 + (i % side) * 0.01, 53.75 + (i // side) * 0.01
        ring = [
            [
                cx + 0.005 * math.cos(2 * math.pi * k / 40),
                cy + 0.005 * math.sin(2 * math.pi * k / 40),
            ]
            for k in range(40)
        ]
        geometries[f"A{i}"] = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    areas = [MapArea(c, c, Decimal(rng.randint(1, 10))) for c in geometries]
    t0 = time.perf_counter()
    choropleth_svg(geometries, areas, title="t", fmt=str, legend_title="d", scheme="quantiles")
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=33_000, help="areas to profile")
    ap.add_argument("--sample", type=int, default=50, help="targets for the baseline")
    ap.add_argument("--polygons", type=int, default=150, help="polygons on the map")
    ap.add_argument("--seed", type=int, default=16)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory(prefix="areas-scale-") as tmp:
        t0 = time.perf_counter()
        place = build_place(Path(tmp), args.n, rng)
        built = time.perf_counter() - t0
        ours, base, n, scaled = time_profiles(place, args.sample)
    print(f"place of {args.n:,} areas built (boundaries, 4 indicators, spend) in {built:.1f} s")
    print(f"profiles of {n:,} areas (k-d tree, allocation by population): {ours:.2f} s")
    print(
        f"baseline, exact pairwise comparison (similar_areas): {base:.2f} s for "
        f"{args.sample} targets, about {scaled:,.0f} s for {n:,} ({scaled / ours:,.0f}x)"
    )
    took = time_map(args.polygons, rng)
    verdict = "meets" if took < MAP_TARGET_SECONDS else "MISSES"
    print(
        f"map of {args.polygons} polygons (40 vertices each, quantile classes): {took:.3f} s, "
        f"{verdict} the target of {MAP_TARGET_SECONDS:.0f} s"
    )


if __name__ == "__main__":
    main()
