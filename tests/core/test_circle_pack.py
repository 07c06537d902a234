"""The circle packing behind the bubble diagrams (reports/circle_pack.py): figures worked
by hand for two and three circles, and for any circles, none overlapping, each inside the
enclosing circle and of the radius asked for."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from wholeplace.reports.circle_pack import pack


def test_nothing_and_one() -> None:
    assert pack([]).circles == [] and pack([]).radius == 0
    one = pack([2.5])
    assert one.circles == [(0.0, 0.0, 2.5)] and one.radius == 2.5


def test_two_circles_touch_and_are_enclosed_exactly() -> None:
    # radii 1 and 2 side by side: centres 3 apart, spanning x from -3 to 3 about (0, 0);
    # the smallest circle about both has radius (1 + 2 + 3) / 2 = 3
    p = pack([1, 2])
    (x1, y1, r1), (x2, y2, r2) = p.circles
    assert (r1, r2) == (1, 2)
    assert math.isclose(math.hypot(x2 - x1, y2 - y1), 3)
    assert math.isclose(x1, -2) and math.isclose(x2, 1) and y1 == y2 == 0
    assert math.isclose(p.radius, 3)


def test_three_equal_circles_each_touch_the_others() -> None:
    # an equilateral triangle of side 2; about its bounding box's centre, (0, sqrt(3)/2)
    # from the first two, the enclosing radius is 1 + sqrt(1 + 3/4)
    p = pack([1, 1, 1])
    c = p.circles
    for i in range(3):
        for j in range(i + 1, 3):
            assert math.isclose(math.hypot(c[i][0] - c[j][0], c[i][1] - c[j][1]), 2)
    assert math.isclose(p.radius, 1 + math.sqrt(1 + 3 / 4))


@given(st.lists(st.floats(min_value=0.01, max_value=1000), min_size=1, max_size=120))
def test_any_circles_are_packed_apart_and_enclosed(radii: list[float]) -> None:
    p = pack(radii)
    assert [r for _, _, r in p.circles] == radii
    c = p.circles
    for i, (xi, yi, ri) in enumerate(c):
        assert math.hypot(xi, yi) + ri <= p.radius * (1 + 1e-9)
        for xj, yj, rj in c[i + 1 :]:
            # touching is allowed; overlapping by more than rounding is not
            assert math.hypot(xi - xj, yi - yj) >= (ri + rj) * (1 - 1e-6)
