"""Plotly charts in the report design: one palette, £ axes with k/m/bn, charts that resize.

Every chart of every report goes through :func:`finish`, so a new chart cannot forget the
palette or the money axis. Plotly's own money ticks read ``500k`` with no £ (its SI suffixes
also say ``G`` for billions), so money axes get their ticks from :func:`money_ticks`, whose
labels are :func:`wholeplace.money.fmt_short`'s.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from wholeplace.money import fmt_short
from wholeplace.reports.palette import PALETTE

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"


def nice_step(span: float, ticks: int = 6) -> float:
    """A step of 1, 2 or 5 times a power of ten giving about ``ticks`` ticks over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def money_ticks(values: Iterable[float | Decimal], ticks: int = 6) -> dict[str, list[Any]]:
    """``tickvals`` and ``ticktext`` (``£500k``, ``£1.5m``) for an axis holding ``values``
    (zero always included, so bars start from a labelled line)."""
    vs = [float(v) for v in values] or [0.0]
    lo, hi = min(min(vs), 0.0), max(max(vs), 0.0)
    step = nice_step(hi - lo, ticks)
    first = math.floor(lo / step)
    last = math.ceil(hi / step)
    vals = [k * step for k in range(first, last + 1)]
    return {"tickvals": vals, "ticktext": [fmt_short(Decimal(repr(v))) for v in vals]}


TITLE_LINE = 36
"""Characters in a line of a chart's title: Plotly never wraps a title and cuts what passes
the chart's edge, so a long title is broken between words to fit a phone and an A4 page."""


def title_lines(title: str, width: int = TITLE_LINE) -> str:
    """``title`` broken with ``<br>`` (Plotly's line break) between words, lines of at most
    ``width`` characters where the words allow."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


TITLE_SIZE = 18
"""The title's font size in pixels (Plotly's own is 1.4 times the chart's 13 px)."""
TITLE_LINE_HEIGHT = 1.3
"""Plotly sets the lines of a text ``<br>`` apart at 1.3 times the font size."""
TITLE_PAD = 10
"""Pixels between the chart's top edge and the title's first line."""
TITLE_GAP = 18
"""Pixels between the title's last line and the plot area: the top tick label ("£100k")
stands half its 13 px above the plot area's edge, and the rest is air."""


def title_margin(title: str, size: int = TITLE_SIZE) -> int:
    """The top margin that holds ``title`` (already broken into lines, :func:`title_lines`)
    above the plot area: the pad, each line at ``size`` pixels times the line height, and
    the gap. Worked out from the real number of lines and the font size, so a title of
    four lines on a phone ends above the top tick, not across it."""
    lines = title.count("<br>") + 1
    return TITLE_PAD + math.ceil(lines * size * TITLE_LINE_HEIGHT) + TITLE_GAP


NAME_LINE = 20
"""Characters in a line of a legend entry or of a category axis's label. Plotly wraps neither
and cuts what passes the chart's edge: at a phone's 390 pixels a partner's name of 50
characters ("Lancashire Teaching Hospitals NHS Foundation Trust") ran off the legend, and one
of 40 on the axis of the appraisal's who-pays chart squeezed its bars to a sliver; in lines of
20 it fits on a phone and an A4 page."""
LEGEND_ROW = 19
"""Pixels a line of the legend takes (13 px text); the legend below a chart is counted as one
entry to a row, as a phone shows it."""
LEGEND_ROOM = 3 * LEGEND_ROW + 12
"""The legend a chart of the given height has room for; past it the chart grows by the rest.
Plotly gives a legend below the chart at most half the chart's height, then scrolls it."""


def label_lines(label: str, width: int = NAME_LINE) -> str:
    """``label`` broken with ``<br>`` between words into lines of at most ``width``
    characters (:func:`title_lines`); a single word longer than a line is cut into pieces
    of ``width`` characters, so no line is longer. A label that fits is returned as it is."""
    if len(label) <= width or "<br>" in label:
        return label
    words = [w[i : i + width] for w in label.split() for i in range(0, len(w), width)]
    return title_lines(" ".join(words), width)


def trace_name(trace: Any) -> str:
    """A trace's name as given, before :func:`finish` broke it into lines for the legend
    (a workbook's series and table headers name it whole)."""
    meta = getattr(trace, "meta", None)
    if isinstance(meta, dict) and isinstance(meta.get("name"), str):
        return str(meta["name"])
    return str(trace.name)


def _category_axis(trace: Any) -> str | None:
    """The axis (``"x"`` or ``"y"``) on which ``trace`` places text categories, if any:
    a horizontal bar's ``y``, else its ``x``; only for the chart's first axes."""
    if getattr(trace, "xaxis", None) not in (None, "x") or getattr(trace, "yaxis", None) not in (
        None,
        "y",
    ):
        return None
    axis = "y" if getattr(trace, "orientation", None) == "h" else "x"
    values = getattr(trace, axis, None)
    if values is None or not all(isinstance(v, str) for v in values):
        return None
    return axis


def _wrap_names(fig: Any) -> int:
    """Legend entries and text category labels broken into lines (:func:`label_lines`);
    returns the pixels the legend takes on a phone (0: no legend). A category axis gets
    ``ticktext`` for its values rather than new values, so a trace's data (and its hover)
    keep the whole name."""
    categories: dict[str, list[str]] = {}
    legend_lines = 0
    entries = 0
    for trace in fig.data:
        name = getattr(trace, "name", None)
        if isinstance(name, str):
            trace.name = label_lines(name)
            if trace.name != name and trace.meta is None:
                trace.meta = {"name": name}  # the whole name, for whoever reads the figure
            if getattr(trace, "showlegend", None) is not False and name:
                entries += 1
                legend_lines += trace.name.count("<br>") + 1
        axis = _category_axis(trace)
        if axis is not None:
            seen = categories.setdefault(axis, [])
            seen.extend(v for v in getattr(trace, axis) if v not in seen)
    for axis, values in categories.items():
        if not any(len(v) > NAME_LINE for v in values):
            continue
        ticks = {
            "tickmode": "array",
            "tickvals": values,
            "ticktext": [label_lines(v) for v in values],
            "automargin": True,
        }
        if axis == "x":
            fig.update_xaxes(**ticks)
        else:
            fig.update_yaxes(**ticks)
    shown = fig.layout.showlegend
    if shown is False or (shown is None and entries < 2):
        return 0
    return LEGEND_ROW * legend_lines + 12


def finish(
    fig: Any,
    *,
    title: str,
    money_axis: str | None = None,
    money_values: Iterable[float | Decimal] = (),
    height: int = 420,
) -> Any:
    """The report's look on a Plotly figure: palette, font, legend below, long names in
    the legend and on a category axis in lines (:func:`label_lines`), and the money axis
    (``"x"`` or ``"y"``) in £ with k/m/bn from ``money_values``."""
    legend = _wrap_names(fig)
    # a legend of long names grows the chart rather than squeeze or scroll it
    height = max(height + max(0, legend - LEGEND_ROOM), 2 * legend + 20)
    lines = title_lines(title)
    fig.update_layout(
        # the title hangs from the chart's top edge (Plotly's own centres it in the top
        # margin, so its size and the margin had to agree by chance), and the margin below
        # is worked out from its lines and font size: it never reaches the plot
        title={
            "text": lines,
            "font": {"size": TITLE_SIZE},
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": TITLE_PAD},
        },
        template="plotly_white",
        colorway=list(PALETTE),
        font={"family": FONT, "size": 13},
        height=height,
        margin={"t": title_margin(lines), "l": 10, "r": 10, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        autosize=True,
    )
    if money_axis is not None:
        axis = {**money_ticks(money_values), "tickmode": "array", "automargin": True}
        if money_axis == "x":
            fig.update_xaxes(**axis)
        else:
            fig.update_yaxes(**axis)
    return fig
