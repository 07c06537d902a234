"""The two charts the sharing reports draw (Plotly; plotly.js is embedded by the HTML writer)."""

from __future__ import annotations

import html
from collections.abc import Collection
from decimal import Decimal
from typing import Any

PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#28a197", "#912b88", "#505a5f"]


def _hover(name: str) -> str:
    return "%{x}: £%{y:,.2f}<extra>" + html.escape(name) + "</extra>"


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
    colours: dict[str, str] = {}
    for name, ys in series.items():
        key = name.removesuffix(" before").removesuffix(" after")
        colour = colours.setdefault(key, PALETTE[len(colours) % len(PALETTE)])
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[float(v) for v in ys],
                name=name,
                mode="lines+markers",
                line={"dash": "dash" if name in dashed else "solid", "color": colour},
                hovertemplate=_hover(name),
            )
        )
    fig.update_layout(
        title=title,
        yaxis_title="£",
        template="plotly_white",
        height=420,
        legend={"orientation": "h", "y": -0.2},
    )
    fig.add_hline(y=0, line_color="#888", line_width=1)
    return fig


def bar_chart(
    title: str, x: list[str], series: dict[str, list[Decimal]], stacked: bool = False
) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    for name, ys in series.items():
        fig.add_trace(go.Bar(x=x, y=[float(v) for v in ys], name=name, hovertemplate=_hover(name)))
    fig.update_layout(
        title=title,
        yaxis_title="£",
        template="plotly_white",
        height=420,
        barmode="relative" if stacked else "group",
        legend={"orientation": "h", "y": -0.2},
    )
    return fig
