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


def finish(
    fig: Any,
    *,
    title: str,
    money_axis: str | None = None,
    money_values: Iterable[float | Decimal] = (),
    height: int = 420,
) -> Any:
    """The report's look on a Plotly figure: palette, font, legend below, and the money
    axis (``"x"`` or ``"y"``) in £ with k/m/bn from ``money_values``."""
    lines = title_lines(title)
    fig.update_layout(
        title=lines,
        template="plotly_white",
        colorway=list(PALETTE),
        font={"family": FONT, "size": 13},
        height=height,
        # room above the plot for each line of the title
        margin={"t": 50 + 20 * lines.count("<br>"), "l": 10, "r": 10, "b": 10},
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
