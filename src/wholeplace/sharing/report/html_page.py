"""A report as one self-contained HTML page: plotly.js embedded once, so it works offline."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from typing import Any

from wholeplace.money import fmt_gbp
from wholeplace.sharing.report.document import Report, Section, Table

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;
margin:2rem auto;
padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #005ea5}
.sub{color:#555;margin-top:0} table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem} th{background:#f0f4f8;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap} .neg{color:#b10e1e}
section.page{page-break-before:always}
.warn{background:#fff4e5;border-left:4px solid #f47738;padding:.4rem .6rem}
@media print{.plotly-graph-div{page-break-inside:avoid}}
"""


def _cell(v: Any) -> str:
    if isinstance(v, Decimal):
        cls = "n neg" if v < 0 else "n"
        return f'<td class="{cls}">{html.escape(fmt_gbp(v))}</td>'
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f'<td class="n">{v:,}</td>'
    return f"<td>{html.escape('' if v is None else str(v))}</td>"


def _table(t: Table) -> list[str]:
    parts = [f"<table><caption>{html.escape(t.title)}</caption><thead><tr>"]
    parts.extend(f"<th>{html.escape(c)}</th>" for c in t.columns)
    parts.append("</tr></thead><tbody>")
    parts.extend("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in t.rows)
    parts.append("</tbody></table>")
    return parts


def _section(s: Section, include_plotlyjs: bool) -> list[str]:
    parts = [f"<section class='{'page' if s.new_page else ''}'><h2>{html.escape(s.title)}</h2>"]
    for p in s.paragraphs:
        cls = " class='warn'" if p.startswith("Warning:") else ""
        parts.append(f"<p{cls}>{html.escape(p)}</p>")
    for fig in s.figures:
        parts.append(fig.to_html(full_html=False, include_plotlyjs=include_plotlyjs))
        include_plotlyjs = False
    for t in s.tables:
        parts.extend(_table(t))
    parts.append("</section>")
    return parts


def render_html(report: Report) -> str:
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(report.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(report.title)}</h1><p class='sub'>{html.escape(report.subtitle)}</p>",
    ]
    plotly_included = False
    for s in report.sections:
        # plotly.js embedded once per page, so the file works with no network.
        parts.extend(_section(s, include_plotlyjs=not plotly_included))
        plotly_included = plotly_included or bool(s.figures)
    parts.append(
        f"<p class='sub'>Made with wholeplace on {date.today().isoformat()}.</p></body></html>"
    )
    return "\n".join(parts)
