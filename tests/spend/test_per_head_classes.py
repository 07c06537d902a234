"""The per-head map's classes are never closer than a meaningful difference, and its legend
states the scheme (issue 12)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from areas_helpers import vale

from wholeplace.money import fmt_gbp
from wholeplace.reports.maps import (
    SCALE,
    MapArea,
    choropleth_svg,
    meaningful_difference,
    merge_narrow,
)
from wholeplace.spend import service as spend_service
from wholeplace.workspace import Workspace

D = Decimal


def _square(x: int) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]]}


def test_neighbouring_class_tops_closer_than_the_difference_merge() -> None:
    """Tops 100, 101, 150, 151, 400, at least 5 apart: 101 - 100 = 1, so 100's class joins
    101's; 151 - 150 = 1, so 150's joins 151's; 151 - 101 = 50 and 400 - 151 = 249 stand."""
    assert merge_narrow([D(100), D(101), D(150), D(151), D(400)], D(5)) == [
        D(101),
        D(151),
        D(400),
    ]
    # a run of close tops collapses into the top one of the run: 10, 11, 12, 13 at least 2
    # apart: 11 - 10 = 1 drops 10; 12 - 11 = 1 drops 11; 13 - 12 = 1 drops 12
    assert merge_narrow([D(10), D(11), D(12), D(13)], D(2)) == [D(13)]
    assert merge_narrow([D(1), D(9)], D(5)) == [D(1), D(9)]


def test_the_meaningful_difference_is_2_percent_of_the_median_in_whole_pounds() -> None:
    # median of 25, 75, 150, 175 is (75 + 150) / 2 = 112.5; 2 % is 2.25, rounded up: £3
    assert meaningful_difference([D(175), D(150), D(75), D(25)]) == D(3)
    assert meaningful_difference([D(10), D(20), D(30)]) == D(1)  # 0.4, but never under £1
    assert meaningful_difference([D(1000), D(1010), D(5000)]) == D(21)  # 20.2 -> 21


def test_the_map_colours_close_figures_alike_and_says_so() -> None:
    """£100, £101, £200 and £300 a head, natural breaks into 4 classes (one figure each),
    then at least £5 apart: £100 and £101 share the lowest colour, 3 classes remain."""
    values = [D(100), D(101), D(200), D(300)]
    geometries = {f"A{i}": _square(i) for i in range(4)}
    areas = [MapArea(f"A{i}", f"Area {i}", v) for i, v in enumerate(values)]
    svg = choropleth_svg(
        geometries,
        areas,
        title="t",
        fmt=lambda v: fmt_gbp(v, pence=False),
        legend_title="£ per head",
        scheme="natural-breaks",
        min_width=D(5),
    )
    fills = dict(re.findall(r'data-code="(A\d)"[^>]*fill="(#[0-9a-f]{6})"', svg))
    if not fills:  # attribute order: fill before data-code
        fills = {c: f for f, c in re.findall(r'fill="(#[0-9a-f]{6})"[^>]*data-code="(A\d)"', svg)}
    assert fills == {"A0": SCALE[0], "A1": SCALE[0], "A2": SCALE[2], "A3": SCALE[4]}
    assert (
        "£ per head (3 classes, natural breaks (Fisher-Jenks); class tops at least £5 apart)" in svg
    )
    assert "£100 to £101" in svg and "over £101 to £200" in svg


def test_the_spend_reports_per_head_map_states_its_classes(tmp_path: Path) -> None:
    """Vale (docs/areas.md) allocated by population: £175, £150, £75 and £25 a head; natural
    breaks give each its own class, and their tops (25, 75, 150, 175) are all at least £3
    apart (2 % of the median 112.5, rounded up): 4 classes."""
    place = vale(tmp_path)
    ws = Workspace.open(place, read_only=True)
    try:
        spend_service.write_report(ws, tmp_path / "s.html", None, "population")
    finally:
        ws.close()
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    svg = html.split('id="per-head-map"')[1].split("</svg>")[0]
    assert (
        "£ per head (4 classes, natural breaks (Fisher-Jenks); class tops at least £3 apart)" in svg
    )
