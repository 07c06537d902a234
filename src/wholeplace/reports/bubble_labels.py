"""Where the bubble diagram's labels go: inside a bubble when they fit, else listed.

A label is the member's name (wrapped to at most three lines, or its short name) and its
amount below. It is drawn only when its whole text box fits inside its own bubble; the
packing never overlaps two bubbles, so no label can cover a neighbour. As a second guard,
a box that still meets a larger bubble's box (circles that touch to within rounding) is
dropped. Every member that gets no label is listed beside the picture.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

CHAR_WIDTH = 0.6
"""Width of a character in em. Generous for a sans-serif: capitals and digits are about 0.6,
lower case about 0.5, so an estimated box is never narrower than the text drawn."""
LINE = 1.15
"""Line height in em."""
FONTS = (14.0, 13.0, 12.0, 11.0, 10.0, 9.0)
"""Sizes tried, largest first; 9 px is the smallest drawn."""
MAX_LINES = 3
INSET = 0.95
"""The text box keeps 5 % of the radius clear of the bubble's outline."""


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def meets(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )


@dataclass(frozen=True)
class Label:
    lines: tuple[str, ...]  # the name's lines; the amount is the last line
    font: float
    box: Box

    def baselines(self) -> list[float]:
        """Each line's baseline: a line of ``font`` px sits in a LINE-em band."""
        return [self.box.y0 + (i + 0.8) * self.font * LINE for i in range(len(self.lines))]


@dataclass(frozen=True)
class Circle:
    key: Hashable
    name: str
    amount: str
    cx: float
    cy: float
    r: float


def wrap(text: str, width: int) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        lines.append(cur)
    return lines


def _box(lines: Sequence[str], font: float, cx: float, cy: float) -> Box:
    w = max(len(s) for s in lines) * font * CHAR_WIDTH
    h = len(lines) * font * LINE
    return Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _inside(b: Box, cx: float, cy: float, r: float) -> bool:
    """The box's corners (so the whole box) are inside the circle, less the inset."""
    half_w, half_h = (b.x1 - b.x0) / 2, (b.y1 - b.y0) / 2
    return half_w * half_w + half_h * half_h <= (r * INSET) ** 2


def fit(
    c: Circle, short: Callable[[str], str] = lambda s: s, fonts: Sequence[float] = FONTS
) -> Label | None:
    """The largest label that fits inside ``c``: the full name before the short one, the
    largest font of ``fonts`` first, the fewest lines first; None when not even the
    smallest fits."""
    for font in fonts:
        if font > max(fonts[-1], c.r / 2.5):
            continue  # a big font in a small bubble reads as shouting
        for text in dict.fromkeys((c.name, short(c.name))):
            longest = max((len(w) for w in text.split()), default=0)
            for width in range(len(text), max(longest, 1) - 1, -1):
                lines = wrap(text, width)
                if len(lines) > MAX_LINES:
                    break
                all_lines = (*lines, c.amount)
                box = _box(all_lines, font, c.cx, c.cy)
                if _inside(box, c.cx, c.cy, c.r):
                    return Label(all_lines, font, box)
    return None


@dataclass
class LabelPlan:
    labels: dict[Hashable, Label]
    unlabelled: list[Hashable]  # in the order given


def plan(
    circles: Sequence[Circle],
    short: Callable[[str], str] = lambda s: s,
    fonts: Sequence[float] = FONTS,
) -> LabelPlan:
    """A label for every circle that can hold one in one of ``fonts``; no two labels'
    boxes meet."""
    labels: dict[Hashable, Label] = {}
    for c in sorted(circles, key=lambda c: -c.r):
        lab = fit(c, short, fonts)
        if lab is not None and not any(lab.box.meets(o.box) for o in labels.values()):
            labels[c.key] = lab
    return LabelPlan(labels, [c.key for c in circles if c.key not in labels])
