"""Packed-circle bubble diagrams drawn as inline SVG (the picture CIPFA's ALPS uses).

One bubble per group holding one bubble per member, each member's *area* proportional to
its amount. ``circle_pack`` packs the circles. Packing each group on its own and then sizing
the groups by the space their members need keeps one scale across the whole picture: a
£100m bubble is the same size in every group.

Members whose amount includes estimates are drawn hatched with a dashed outline, with a
legend saying so. Members with nothing to draw (zero or net credits) are listed under the
picture rather than silently dropped, and so are members whose bubble is too small to hold
its name and amount (``reports.bubble_labels``: a label is drawn only inside its own bubble,
so no label covers a neighbour).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape  # quotes too: these strings go into attributes

from wholeplace.money import fmt_millions
from wholeplace.reports import palette
from wholeplace.reports.bubble_labels import CHAR_WIDTH, FONTS, Box, Circle, Label, LabelPlan, wrap
from wholeplace.reports.bubble_labels import plan as plan_labels
from wholeplace.reports.circle_pack import pack


def _millions(v: Decimal) -> str:
    return "-" + fmt_millions(-v) if v < 0 else fmt_millions(v)


# The one palette of every report (Okabe and Ito, then Tableau 10; see reports.palette).
PALETTE = palette.PALETTE


GROUP_MARGIN = 1.07


@dataclass(frozen=True)
class Bubble:
    key: str
    label: str
    amount_gbp: Decimal
    estimated_gbp: Decimal = Decimal("0")

    @property
    def is_estimated(self) -> bool:
        return self.estimated_gbp != 0


@dataclass(frozen=True)
class BubbleGroup:
    key: str
    label: str
    members: Sequence[Bubble]

    @property
    def amount_gbp(self) -> Decimal:
        return sum((m.amount_gbp for m in self.members), Decimal("0"))


@dataclass
class _Placed:
    x: float
    y: float
    r: float


@dataclass
class BubbleLayout:
    """Circles in a unit frame: groups and members by key."""

    groups: dict[str, _Placed] = field(default_factory=dict)
    members: dict[tuple[str, str], _Placed] = field(default_factory=dict)
    left_out: list[tuple[BubbleGroup, Bubble]] = field(default_factory=list)


def layout(groups: Sequence[BubbleGroup]) -> BubbleLayout:
    """Pack the groups and their members so that every member's area is proportional
    to its amount on one common scale."""
    out = BubbleLayout()
    packed_groups: list[tuple[BubbleGroup, list[tuple[Bubble, float, float, float]], float]] = []
    for g in groups:
        drawable = [m for m in g.members if m.amount_gbp > 0]
        out.left_out.extend((g, m) for m in g.members if m.amount_gbp <= 0)
        if not drawable:
            continue
        # Largest first gives the tightest, most readable packing.
        drawable.sort(key=lambda m: (-m.amount_gbp, m.key))
        # r = sqrt(amount): every member's area is its amount, on one scale for all groups
        packed = pack([math.sqrt(float(m.amount_gbp)) for m in drawable])
        unit = 1 / packed.radius  # drawn in a circle of radius 1, as the groups are
        inner = [
            (m, x * unit, y * unit, r * unit)
            for m, (x, y, r) in zip(drawable, packed.circles, strict=True)
        ]
        # the group's radius at r = sqrt(amount), plus a margin so that a group of one
        # still shows its own ring
        packed_groups.append((g, inner, GROUP_MARGIN * packed.radius))
    if not packed_groups:
        return out
    top = pack([rad for _, _, rad in packed_groups])
    unit = 1 / top.radius
    for (g, inner, _), (gx, gy, gr) in zip(packed_groups, top.circles, strict=True):
        x0, y0, r0 = gx * unit, gy * unit, gr * unit
        out.groups[g.key] = _Placed(x0, y0, r0)
        k = r0 / GROUP_MARGIN
        for m, x, y, r in inner:
            out.members[(g.key, m.key)] = _Placed(x0 + x * k, y0 + y * k, r * k)
    return out


def _f(v: float) -> str:
    return f"{v:.1f}"


@dataclass(frozen=True)
class _Frame:
    """From the layout's unit frame to the SVG's pixels, cropped to the circles drawn."""

    min_x: float
    max_y: float
    half: float  # pixels per unit of the layout
    chart_h: float  # the height of the diagram above the legend
    width: float  # the picture's width
    pad: int = 16
    label_room: int = 24

    def px(self, x: float) -> float:
        return self.pad + (x - self.min_x) * self.half

    def py(self, y: float) -> float:
        # the packing's y grows upwards; SVG's grows downwards.
        return self.pad + self.label_room + (self.max_y - y) * self.half


def _frame(lay: BubbleLayout, size: int, pad: int = 16, label_room: int = 24) -> _Frame:
    placed = list(lay.groups.values()) or [_Placed(0.0, 0.0, 1.0)]
    min_x = min(p.x - p.r for p in placed)
    max_x = max(p.x + p.r for p in placed)
    min_y = min(p.y - p.r for p in placed)
    max_y = max(p.y + p.r for p in placed)
    # Crop to the circles actually drawn: the packing is scaled into a unit circle that the
    # groups rarely fill.
    half = (size - 2 * pad) / max(max_x - min_x, 1e-9)
    chart_h = (max_y - min_y) * half + label_room + 2 * pad
    return _Frame(min_x, max_y, half, chart_h, size, pad, label_room)


def _svg_head(svg_id: str, size: int, height: int, title: str, hatch: str) -> list[str]:
    """The ``<svg>`` element's opening, its title, the hatch pattern and the styles."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(svg_id)}" class="bubbles" '
        f'viewBox="0 0 {size} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(svg_id)}-title">',
        f'<title id="{escape(svg_id)}-title">{escape(title)}</title>',
        "<defs>",
        f'<pattern id="{hatch}" patternUnits="userSpaceOnUse" width="7" height="7" '
        'patternTransform="rotate(45)"><rect width="7" height="7" fill="#fff" fill-opacity="0.35"/>'
        '<line x1="0" y1="0" x2="0" y2="7" stroke="#222" stroke-width="2" '
        'stroke-opacity="0.45"/></pattern>',
        "</defs>",
        "<style>"
        ".bubbles text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
        "text-anchor:middle;paint-order:stroke;stroke-linejoin:round}"
        ".bubbles .pl{fill:#111;stroke:#fff;stroke-width:3px}"
        ".bubbles .gl{fill:#000;font-weight:700;stroke:#fff;stroke-width:4px}"
        ".bubbles .lg{text-anchor:start;stroke:none;fill:#111}"
        "</style>",
    ]


def _member_svg(
    g: BubbleGroup,
    m: Bubble,
    pm: _Placed,
    frame: _Frame,
    colour: str,
    fmt: Callable[[Decimal], str],
    hatch: str,
    label: Label | None,
) -> list[str]:
    """One member's bubble: its circle, the hatching if estimated, and its label."""
    cx, cy, r = frame.px(pm.x), frame.py(pm.y), pm.r * frame.half
    est = m.is_estimated
    tip = f"{m.label}: {fmt(m.amount_gbp)}"
    if est:
        tip += f" (of which estimated {fmt(m.estimated_gbp)})"
    dash = ' stroke-dasharray="5 3"' if est else ""
    parts = [
        f'<g class="bubble-member{" estimated" if est else ""}" '
        f'data-key="{escape(m.key)}" data-group="{escape(g.key)}">'
        f'<circle class="bubble-partner" data-key="{escape(m.key)}" '
        f'data-amount-gbp="{m.amount_gbp}" cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r)}" '
        f'fill="{colour}" fill-opacity="0.85" stroke="#1b1b1b" stroke-width="1.2"{dash}>'
        f"<title>{escape(tip)}</title></circle>"
    ]
    if est:
        parts.append(
            f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r)}" fill="url(#{hatch})" '
            'pointer-events="none" aria-hidden="true"/>'
        )
    if label is not None:
        parts.extend(_label_svg(label, cx))
    parts.append("</g>")
    return parts


def _group_svg(
    g: BubbleGroup,
    lay: BubbleLayout,
    frame: _Frame,
    colour: str,
    fmt: Callable[[Decimal], str],
    hatch: str,
    labels: LabelPlan,
) -> tuple[list[str], tuple[str, Box]]:
    """One group's ring with its members' bubbles, and the group's name above the ring."""
    pg = lay.groups[g.key]
    label = f"{g.label}: {fmt(g.amount_gbp)}"
    parts = [
        f'<g class="bubble-group-set" data-key="{escape(g.key)}">'
        f'<circle class="bubble-group" data-key="{escape(g.key)}" '
        f'data-amount-gbp="{g.amount_gbp}" cx="{_f(frame.px(pg.x))}" cy="{_f(frame.py(pg.y))}" '
        f'r="{_f(pg.r * frame.half)}" fill="{colour}" fill-opacity="0.12" stroke="{colour}" '
        f'stroke-width="2"><title>{escape(label)}</title></circle>'
    ]
    for m in g.members:
        pm = lay.members.get((g.key, m.key))
        if pm is not None:
            own = labels.labels.get((g.key, m.key))
            parts.extend(_member_svg(g, m, pm, frame, colour, fmt, hatch, own))
    parts.append("</g>")
    gy = frame.py(pg.y) - pg.r * frame.half - 6
    text = f"{g.label} {fmt(g.amount_gbp)}"
    # centred over its ring, but never past the picture's edge (a ring at the side of a
    # narrow picture would have its name cut off)
    half_w = len(text) * 14 * CHAR_WIDTH / 2
    x = min(max(frame.px(pg.x), frame.pad + half_w), frame.width - frame.pad - half_w)
    y = max(gy, 14)
    name = (
        f'<text class="gl" data-group="{escape(g.key)}" x="{_f(x)}" '
        f'y="{_f(y)}" font-size="14">{escape(text)}</text>'
    )
    return parts, (name, Box(x - half_w, y - 14 * 0.95, x + half_w, y + 14 * 0.3))


def _legend_svg(
    groups: Sequence[BubbleGroup],
    lay: BubbleLayout,
    colours: dict[str, str],
    top: float,
    frame: _Frame,
    fmt: Callable[[Decimal], str],
    hatch: str,
    unlabelled: Sequence[tuple[BubbleGroup, Bubble]] = (),
) -> tuple[list[str], float]:
    """Legend: groups by colour, then the estimate marking, then what is not drawn, then
    the bubbles too small to hold their label; each entry wrapped to the picture's width.
    Returns the SVG and the legend's height."""
    pad = frame.pad
    y = top + 10
    parts = ['<g class="legend">']

    def entry(text: str, font: int, x: float, attrs: str = 'class="lg"') -> None:
        nonlocal y
        chars = max(int((frame.width - pad - x) / (font * CHAR_WIDTH)), 12)
        lines = wrap(text, chars) or [""]
        spans = (
            escape(lines[0])  # one line: the text itself, as readers of the SVG expect
            if len(lines) == 1
            else "".join(
                f'<tspan x="{_f(x)}" dy="{0 if i == 0 else 16}">{escape(line)}</tspan>'
                for i, line in enumerate(lines)
            )
        )
        parts.append(f'<text {attrs} x="{_f(x)}" y="{y + 13}" font-size="{font}">{spans}</text>')
        y += 22 + 16 * (len(lines) - 1)

    for g in groups:
        parts.append(
            f'<rect x="{pad}" y="{y}" width="16" height="16" fill="{colours[g.key]}" '
            f'fill-opacity="0.85" stroke="#1b1b1b"/>'
        )
        entry(f"{g.label}: {fmt(g.amount_gbp)}", 13, pad + 24)
    parts.append(
        f'<rect x="{pad}" y="{y}" width="16" height="16" fill="#bbb" stroke="#1b1b1b" '
        f'stroke-dasharray="4 2"/><rect x="{pad}" y="{y}" width="16" height="16" '
        f'fill="url(#{hatch})"/>'
    )
    entry(
        "Hatched, dashed outline: includes estimated spend (see the note on estimates)",
        13,
        pad + 24,
    )
    entry(
        "Each bubble's area is proportional to its spend, on one scale across all groups.", 12, pad
    )
    for g, m in lay.left_out:
        entry(
            f"Not drawn (no spend, or net credits): {m.label} ({g.label}) {fmt(m.amount_gbp)}",
            12,
            pad,
            f'class="lg left-out" data-key="{escape(m.key)}"',
        )
    for g, m in unlabelled:
        entry(
            f"Too small to label: {m.label} ({g.label}) {fmt(m.amount_gbp)}",
            12,
            pad,
            f'class="lg unlabelled" data-key="{escape(m.key)}" data-group="{escape(g.key)}"',
        )
    parts.append("</g>")
    return parts, y + 10 - top


def group_colours(groups: Sequence[BubbleGroup]) -> dict[str, str]:
    """Each group's colour of the one palette, by its name (the NHS blue in every report)."""
    by_label = palette.colours(g.label for g in groups)
    return {g.key: by_label[g.label] for g in groups}


def bubble_svg(
    groups: Sequence[BubbleGroup],
    *,
    title: str,
    size: int = 760,
    fmt: Callable[[Decimal], str] = _millions,
    svg_id: str = "bubbles",
    min_font: float = FONTS[-1],
    clear_names: bool = False,
) -> str:
    """The packed-circle diagram as a standalone ``<svg>`` element (valid XML), ``size``
    pixels wide; no bubble's label is smaller than ``min_font`` pixels (a bubble that
    cannot hold one is listed under the picture), and with ``clear_names`` no group's name
    covers another label."""
    lay = layout(groups)
    colours = group_colours(groups)
    frame = _frame(lay, size)
    labels = label_plan(groups, lay, frame, fmt, min_font)
    by_key = {(g.key, m.key): (g, m) for g in groups for m in g.members}
    unlabelled = [by_key[k] for k in labels.unlabelled if isinstance(k, tuple) and k in by_key]
    # Ids are page-wide: name the pattern after the diagram so two diagrams can share a page.
    hatch = escape(f"{svg_id}-hatch")
    legend, legend_h = _legend_svg(
        groups, lay, colours, frame.chart_h, frame, fmt, hatch, unlabelled
    )
    height = int(frame.chart_h + legend_h)
    parts = _svg_head(svg_id, size, height, title, hatch)
    names: dict[str, tuple[str, Box]] = {}
    for g in groups:
        if g.key not in lay.groups:
            continue
        drawn, names[g.key] = _group_svg(g, lay, frame, colours[g.key], fmt, hatch, labels)
        parts.extend(drawn)
    # Group names just above their rings, drawn after every bubble so that no
    # neighbouring group covers them. With ``clear_names`` (a narrow picture, where the
    # names crowd), a name whose box would meet another label's is left out, the largest
    # groups' kept first: the legend names every group with its colour and amount.
    taken = [lab.box for lab in labels.labels.values()]
    kept: set[str] = set()
    for g in sorted(groups, key=lambda g: -g.amount_gbp):
        if g.key in names and not (clear_names and any(names[g.key][1].meets(b) for b in taken)):
            kept.add(g.key)
            taken.append(names[g.key][1])
    parts.extend(names[g.key][0] for g in groups if g.key in kept)
    parts.extend(legend)
    parts.append("</svg>")
    return "".join(parts)


_SUFFIXES = (
    "metropolitan borough council",
    "borough council",
    "district council",
    "city council",
    "county council",
    "council",
)


# The NHS's and other bodies' long titles, as their own papers shorten them.
_SHORTER = (
    ("NHS Foundation Trust", "NHS FT"),
    ("Integrated Care Board", "ICB"),
    ("Fire and Rescue Service", "Fire and Rescue"),
)


def _short_name(name: str) -> str:
    """``Ribble Valley Borough Council`` -> ``Ribble Valley``, ``... NHS Foundation Trust``
    -> ``... NHS FT``: enough to tell bubbles apart."""
    low = name.lower()
    for suffix in _SUFFIXES:
        if low.endswith(" " + suffix):
            return name[: -len(suffix) - 1]
    for long, short in _SHORTER:
        at = low.find(long.lower())
        if at >= 0:
            return name[:at] + short + name[at + len(long) :]
    return name


def label_plan(
    groups: Sequence[BubbleGroup],
    lay: BubbleLayout,
    frame: _Frame,
    fmt: Callable[[Decimal], str] = _millions,
    min_font: float = FONTS[-1],
) -> LabelPlan:
    """The labels of every drawn member, keyed (group key, member key), in the SVG's pixels."""
    circles = []
    for g in groups:
        for m in g.members:
            pm = lay.members.get((g.key, m.key))
            if pm is not None:
                circles.append(
                    Circle(
                        (g.key, m.key),
                        m.label,
                        fmt(m.amount_gbp),
                        frame.px(pm.x),
                        frame.py(pm.y),
                        pm.r * frame.half,
                    )
                )
    return plan_labels(circles, _short_name, tuple(f for f in FONTS if f >= min_font))


def _label_svg(label: Label, cx: float) -> list[str]:
    """The name's lines, then the amount in bold."""
    last = len(label.lines) - 1
    return [
        f'<text class="pl" x="{_f(cx)}" y="{_f(y)}" font-size="{_f(label.font)}"'
        + (' font-weight="700"' if i == last else "")
        + f' aria-hidden="true">{escape(line)}</text>'
        for i, (line, y) in enumerate(zip(label.lines, label.baselines(), strict=True))
    ]
