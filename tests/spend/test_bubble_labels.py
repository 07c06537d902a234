"""The bubble diagram labels every bubble that can hold a label, lists the others, and no
label overlaps a neighbour (issue 12)."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from decimal import Decimal

from wholeplace.reports.bubble_labels import CHAR_WIDTH, LINE, Circle, fit, plan
from wholeplace.reports.bubbles import Bubble, BubbleGroup, _frame, bubble_svg, label_plan, layout

SVG = "{http://www.w3.org/2000/svg}"
D = Decimal

# Two big partners, one of middling size with a long name, and three tiny ones. Areas are
# proportional to spend, so a £1 bubble has 1/100 the radius of a £10,000 one: with the two
# big bubbles about 170 px across in a 760 px picture, the tiny ones are under 2 px and can
# hold no 9 px text; the middling one (£2,500, half the radius of a big one) can.
GROUPS = [
    BubbleGroup(
        "LG",
        "Local government",
        [
            Bubble("cc", "Lancashire County Council", D(10000)),
            Bubble("bc", "Burnley Borough Council", D(2500)),
            Bubble("t1", "Tiny Parish Council", D(1)),
        ],
    ),
    BubbleGroup(
        "NHS",
        "NHS",
        [
            Bubble("icb", "NHS Lancashire and South Cumbria Integrated Care Board", D(10000)),
            Bubble("t2", "Small Trust", D(1)),
            Bubble("t3", "Smaller Trust", D(1)),
        ],
    ),
]


def _boxes_meet(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_labelled_boxes_never_meet_and_the_rest_are_listed() -> None:
    lay = layout(GROUPS)
    frame = _frame(lay, 760)
    labels = label_plan(GROUPS, lay, frame)
    assert set(labels.labels) == {("LG", "cc"), ("LG", "bc"), ("NHS", "icb")}
    assert labels.unlabelled == [("LG", "t1"), ("NHS", "t2"), ("NHS", "t3")]
    boxes = [(b.box.x0, b.box.y0, b.box.x1, b.box.y1) for b in labels.labels.values()]
    for a, b in itertools.combinations(boxes, 2):
        assert not _boxes_meet(a, b)
    # every box inside its own bubble: its corners within the radius
    for (g, m), lab in labels.labels.items():
        pm = lay.members[(g, m)]
        cx, cy, r = frame.px(pm.x), frame.py(pm.y), pm.r * frame.half
        for x, y in itertools.product((lab.box.x0, lab.box.x1), (lab.box.y0, lab.box.y1)):
            assert (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    # the diagram lists the unlabelled beside it and draws the labelled
    svg = ET.fromstring(bubble_svg(GROUPS, title="t"))
    listed = [t for t in svg.iter(f"{SVG}text") if "unlabelled" in (t.get("class") or "")]
    assert [t.text for t in listed] == [
        "Too small to label: Tiny Parish Council (Local government) £0.0m",
        "Too small to label: Small Trust (NHS) £0.0m",
        "Too small to label: Smaller Trust (NHS) £0.0m",
    ]
    drawn = " ".join(t.text or "" for t in svg.iter(f"{SVG}text") if t.get("class") == "pl")
    assert "Lancashire County Council" in drawn and "Tiny" not in drawn


def test_a_label_fits_when_its_box_fits_the_circle() -> None:
    # "Police" and "£1.0m" at 9 px: 6 characters x 0.6 em = 32.4 px wide, 2 lines x 1.15 em
    # = 20.7 px tall; the half-diagonal sqrt(16.2^2 + 10.35^2) = 19.22 px must be within
    # 95 % of the radius, so a radius of 20.24 px holds it and 20.2 px does not.
    assert (CHAR_WIDTH, LINE) == (0.6, 1.15)
    held = fit(Circle("p", "Police", "£1.0m", 0, 0, 20.24))
    assert held is not None and held.font == 9.0 and held.lines == ("Police", "£1.0m")
    assert fit(Circle("p", "Police", "£1.0m", 0, 0, 20.2)) is None


def test_two_touching_circles_never_get_overlapping_labels() -> None:
    # Circles overlapping by rounding: the smaller one's label would meet the larger's, so
    # only the larger is labelled.
    big = Circle("a", "Aaaaaa", "£9.0m", 0, 0, 40)
    near = Circle("b", "Bbbbbb", "£8.0m", 20, 0, 39)
    result = plan([near, big])
    assert list(result.labels) == ["a"] and result.unlabelled == ["b"]


def test_long_titles_are_shortened_as_their_bodies_shorten_them() -> None:
    from wholeplace.reports.bubbles import _short_name

    assert _short_name("Lancashire Teaching Hospitals NHS Foundation Trust") == (
        "Lancashire Teaching Hospitals NHS FT"
    )
    assert _short_name("NHS Lancashire and South Cumbria Integrated Care Board") == (
        "NHS Lancashire and South Cumbria ICB"
    )
    assert _short_name("Ribble Valley Borough Council") == "Ribble Valley"
