"""The two charts the sharing reports draw (Plotly; plotly.js is embedded by the HTML writer),
in the report design: each partner in its own colour of the one palette (the same as in
every other report), money axes in £ with k/m/bn."""

from __future__ import annotations

import html
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from wholeplace.reports.charts import finish
from wholeplace.reports.palette import colours


def _hover(name: str) -> str:
    return "%{x}: £%{y:,.2f}<extra>" + html.escape(name) + "</extra>"


def _partner(name: str) -> str:
    return name.removesuffix(" before").removesuffix(" after")


def line_chart(
    title: str,
    x: list[str],
    series: dict[str, list[Decimal]],
    dashed: Collection[str] = frozenset(),
) -> Any:
    """One line per series; series named "<partner> before" / "<partner> after" share a
    colour, and those in ``dashed`` are drawn dashed."""
    import plotly.graph_objects as go

    fig = go.Figure()
    palette = colours(_partner(n) for n in series)
    for name, ys in series.items():
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[float(v) for v in ys],
                name=name,
                mode="lines+markers",
                line={
                    "dash": "dash" if name in dashed else "solid",
                    "color": palette[_partner(name)],
                },
                hovertemplate=_hover(name),
            )
        )
    fig.add_hline(y=0, line_color="#888", line_width=1)
    values = [v for ys in series.values() for v in ys]
    return finish(fig, title=title, money_axis="y", money_values=values)


def bar_chart(
    title: str, x: list[str], series: dict[str, list[Decimal]], stacked: bool = False
) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    palette = colours(series)
    for name, ys in series.items():
        fig.add_trace(
            go.Bar(
                x=x,
                y=[float(v) for v in ys],
                name=name,
                marker_color=palette[name],
                hovertemplate=_hover(name),
            )
        )
    fig.update_layout(barmode="relative" if stacked else "group")
    values: list[Decimal] = [v for ys in series.values() for v in ys]
    if stacked:
        values = [
            sum((ys[i] for ys in series.values() if ys[i] > 0), Decimal(0)) for i in range(len(x))
        ] + [sum((ys[i] for ys in series.values() if ys[i] < 0), Decimal(0)) for i in range(len(x))]
    return finish(fig, title=title, money_axis="y", money_values=values)
