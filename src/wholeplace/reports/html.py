"""HTML reports: one Jinja2 environment and a base template shared by every capability.

Reports are single, self-contained files that work offline: styles inline, pictures as
inline SVG, and plotly.js embedded once per page (:func:`plotly_div` with
``include_js=True`` on the first figure only).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from wholeplace.money import fmt_billions, fmt_gbp, fmt_millions, fmt_pct
from wholeplace.version import __version__


def _num(v: Decimal | None, f: Callable[[Decimal], str]) -> str:
    return "" if v is None else f(v)


def pct(v: Decimal | float | None, places: int = 1) -> str:
    """``0.1234`` -> ``12.3%``."""
    if v is None:
        return ""
    return fmt_pct(v, places)


def millions(v: Decimal, places: int = 1) -> str:
    """``£12.3m``, and ``-£12.3m`` for a negative amount."""
    return "-" + fmt_millions(-v, places) if v < 0 else fmt_millions(v, places)


def billions(v: Decimal, places: int = 1) -> str:
    return "-" + fmt_billions(-v, places) if v < 0 else fmt_billions(v, places)


def signed_millions(v: Decimal | None) -> str:
    """A change: ``+£1.2m`` or ``-£1.2m``."""
    if v is None:
        return ""
    return "+" + millions(v) if v > 0 else millions(v)


def signed_pct(v: Decimal | float | None, places: int = 1) -> str:
    if v is None:
        return ""
    return ("+" if v > 0 else "") + pct(v, places)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wholeplace", "reports/templates"),
        autoescape=jinja2.select_autoescape(["html", "j2", "jinja"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["gbp"] = lambda v, pence=True: _num(v, lambda x: fmt_gbp(x, pence=pence))
    env.filters["millions"] = lambda v, places=1: _num(v, lambda x: millions(x, places))
    env.filters["billions"] = lambda v, places=1: _num(v, lambda x: billions(x, places))
    env.filters["pct"] = pct
    env.filters["signed_pct"] = signed_pct
    env.filters["signed_millions"] = signed_millions
    env.filters["svg"] = lambda s: Markup(s)  # our own SVG writers escape their text
    env.globals["version"] = __version__
    return env


def render(template: str, **context: Any) -> str:
    context.setdefault("generated_at", datetime.now(UTC).strftime("%d %B %Y %H:%M UTC"))
    return environment().get_template(template).render(**context)


def plotly_div(fig: Any, *, include_js: bool, div_id: str) -> Markup:
    """A Plotly figure as a ``<div>``; ``include_js`` embeds plotly.js itself (once per page)."""
    html = fig.to_html(
        full_html=False,
        include_plotlyjs=bool(include_js),
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )
    return Markup(html)
