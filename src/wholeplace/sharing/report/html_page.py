"""A sharing report as one self-contained HTML page in the one report layout
(``wholeplace.reports.layout``): the answer first, then the sections with their tables and
charts, then the method; plotly.js embedded once, so it works offline."""

from __future__ import annotations

import html
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from markupsafe import Markup

from wholeplace.money import fmt_gbp
from wholeplace.reports.html import plotly_div
from wholeplace.reports.layout import input_files, render_report
from wholeplace.sharing.report.document import Report, Section, Table


def _cell(v: Any) -> str:
    if isinstance(v, Decimal):
        cls = "num loss" if v < 0 else "num"
        return f'<td class="{cls}">{html.escape(fmt_gbp(v))}</td>'
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f'<td class="num">{v:,}</td>'
    return f"<td>{html.escape('' if v is None else str(v))}</td>"


def _head(c: str, numeric: bool) -> str:
    cls = ' class="num"' if numeric else ""
    return f'<th scope="col"{cls}>{html.escape(c)}</th>'


def _table(t: Table) -> list[str]:
    numeric = [
        bool(t.rows) and all(isinstance(r[i], Decimal | int) for r in t.rows if r[i] is not None)
        for i in range(len(t.columns))
    ]
    parts = [f"<table><caption>{html.escape(t.title)}</caption><thead><tr>"]
    parts.extend(_head(c, n) for c, n in zip(t.columns, numeric, strict=True))
    parts.append("</tr></thead><tbody>")
    parts.extend("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in t.rows)
    parts.append("</tbody></table>")
    return parts


class _Plotly:
    """Numbers the charts of one page and embeds plotly.js with the first only."""

    def __init__(self) -> None:
        self.count = 0

    def div(self, fig: Any) -> str:
        self.count += 1
        return str(plotly_div(fig, include_js=self.count == 1, div_id=f"chart-{self.count}"))


def _section(s: Section, charts: _Plotly, n: int) -> str:
    cls = "page-break-before" if s.new_page else ""
    parts = [
        f'<section class="{cls}" aria-labelledby="s{n}-h">'
        f'<h2 id="s{n}-h">{html.escape(s.title)}</h2>'
    ]
    for p in s.paragraphs:
        cls = ' class="warning"' if p.startswith("Warning:") else ""
        parts.append(f"<p{cls}>{html.escape(p)}</p>")
    for fig in s.figures:
        # the caption is the chart's text alternative, and says where its figures are
        title = html.escape(str(fig.layout.title.text or "Chart").replace("<br>", " "))
        parts.append(
            f'<figure class="chart">{charts.div(fig)}<figcaption>{title}; the tables in this '
            "section hold the same figures.</figcaption></figure>"
        )
    for t in s.tables:
        parts.extend(_table(t))
    parts.append("</section>")
    return "\n".join(parts)


def render_html(report: Report, *, place: str | None = None, sources: Sequence[Path] = ()) -> str:
    charts = _Plotly()
    body = [_section(s, charts, i) for i, s in enumerate(report.sections, start=1)]
    start = len(report.sections) + 1
    method = [_section(s, charts, i) for i, s in enumerate(report.method, start=start)]
    return render_report(
        "document_report.html",
        title=report.title,
        answer=report.the_answer(),
        place=place,
        inputs=input_files(sources),
        subtitle=report.subtitle,
        # every text in these was escaped above; plotly's own HTML escapes its JSON
        body=Markup("\n".join(body)),  # noqa: S704
        method_sections=Markup("\n".join(method)),  # noqa: S704
    )
