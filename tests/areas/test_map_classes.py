"""Map classes by mapclassify, with the legend saying which, on real boundaries."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from wholeplace.reports.maps import MapArea, choropleth_svg, class_bounds

D = Decimal


def test_quantiles_by_hand() -> None:
    """1..10 in 5 quantile classes: the 20 %, 40 % ... points are 2.8, 4.6, 6.4, 8.2 and
    10 (linear between ranks); snapped down to the figures they cover: 2, 4, 6, 8, 10.
    1..13 with 50, 51, 52 instead of 11..13: 3.4, 5.8, 8.2, 34, 52 -> 3, 5, 8, 10, 52."""
    assert class_bounds([D(v) for v in range(1, 11)]) == [D(2), D(4), D(6), D(8), D(10)]
    values = [D(v) for v in [*range(1, 11), 50, 51, 52]]
    assert class_bounds(values) == [D(3), D(5), D(8), D(10), D(52)]


def test_natural_breaks_by_hand() -> None:
    """1..10, 50, 51, 52 in 3 classes: {1-5} {6-10} {50-52} has squared deviations
    10 + 10 + 2 = 22; the next best cuts ({1-4} {5-10}, {1-6} {7-10}) 24.5, and {1-10}
    {50} {51, 52} 83: Fisher-Jenks finds 5, 10, 52."""
    values = [D(v) for v in [*range(1, 11), 50, 51, 52]]
    assert class_bounds(values, "natural-breaks", 3) == [D(5), D(10), D(52)]


def test_few_distinct_values_make_few_classes() -> None:
    assert class_bounds([D(1), D(1), D(1), D(2)]) == [D(1), D(2)]
    assert class_bounds([D(7)] * 4) == [D(7)]
    with pytest.raises(ValueError, match="unknown classification"):
        class_bounds([D(1), D(2)], "equal")


def test_a_map_of_real_lsoas_states_its_classes(reference: Path) -> None:
    """Preston's 86 LSOAs, numbered 1..86 in file order: 5 quantile classes, each area a
    path, and the legend names the scheme."""
    data = json.loads(
        (reference / "boundaries-lancashire/lsoa_2011_E07000123.geojson").read_text("utf-8")
    )
    geometries = {f["properties"]["LSOA11CD"]: f["geometry"] for f in data["features"]}
    areas = [MapArea(c, c, D(i)) for i, c in enumerate(geometries, start=1)]
    svg = choropleth_svg(
        geometries, areas, title="t", fmt=str, legend_title="n", scheme="natural-breaks"
    )
    assert svg.count('<path class="area"') == 86
    assert "n (5 classes, natural breaks (Fisher-Jenks))" in svg
