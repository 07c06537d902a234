"""The spend report as one self-contained HTML page (bubbles, sunburst, map, tables)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.money import fmt_gbp
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.bubbles import bubble_svg, group_colours
from wholeplace.reports.html import billions, millions, pct, plotly_div
from wholeplace.reports.layout import Answer, render_report
from wholeplace.reports.maps import MapArea, choropleth_svg, meaningful_difference
from wholeplace.spend.report.data import SpendReport
from wholeplace.spend.result_reports import not_allocated

# the phone's bubble picture: a 390 px phone's width less the page's margins (base.html)
PHONE_WIDTH = 360


def _sunburst(data: SpendReport) -> Any:
    """Plotly sunburst group -> partner -> service; sizes from the leaves only."""
    import plotly.graph_objects as go

    colours = group_colours(data.bubble_groups())
    ids: list[str] = []
    labels: list[str] = []
    parents: list[str] = []
    values: list[float] = []
    shown: list[str] = []
    node_colours: list[str] = []
    group_tot: dict[str, Decimal] = defaultdict(Decimal)
    partner_tot: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    leaves = [d for d in data.drilldown if d.amount_gbp > 0]
    for d in leaves:
        group_tot[d.group] += d.amount_gbp
        partner_tot[(d.group, d.partner, d.partner_name)] += d.amount_gbp
    for g, amount in group_tot.items():
        ids.append(g)
        labels.append(g)
        parents.append("")
        values.append(0.0)
        shown.append(millions(amount))
        node_colours.append(colours.get(g, "#999999"))
    for (g, p, name), amount in partner_tot.items():
        ids.append(f"{g}/{p}")
        labels.append(name)
        parents.append(g)
        values.append(0.0)
        shown.append(millions(amount))
        node_colours.append(colours.get(g, "#999999"))
    for d in leaves:
        ids.append(f"{d.group}/{d.partner}/{d.service}")
        labels.append(d.service_name)
        parents.append(f"{d.group}/{d.partner}")
        # Plotly needs floats to draw; the figures shown come from the Decimal amounts.
        values.append(float(d.amount_gbp))
        shown.append(millions(d.amount_gbp))
        node_colours.append(colours.get(d.group, "#999999"))
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="remainder",
            customdata=shown,
            marker={"colors": node_colours, "line": {"color": "#ffffff", "width": 1}},
            hovertemplate="<b>%{label}</b><br>%{customdata}<br>"
            "%{percentRoot:.1%} of the place total<extra></extra>",
            insidetextorientation="auto",
            maxdepth=2,
        )
    )
    fig.update_layout(
        title={"text": "Spending by group, partner and service"},
        margin={"t": 50, "l": 10, "r": 10, "b": 10},
        height=620,
        uniformtext={"minsize": 10, "mode": "hide"},
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"},
    )
    return fig


def _map_svg(data: SpendReport) -> str | None:
    if not data.has_map:
        return None
    labels = {**data.area_names, **{r.key: r.label for r in data.maps["area"].rows}}
    if data.allocation is not None:
        # every area with a population gets a share, whether or not it has spend of its own
        areas = [
            MapArea(code, labels.get(code, code), data.allocated_per_head.get(code))
            for code in sorted(data.boundaries)
        ]
        title = (
            f"Public spending per head by area, {data.place}, {data.year}, with the spend on "
            f"no area allocated by {data.allocation.driver}"
        )
    else:
        areas = [
            MapArea(r.key, r.label, r.per_head_gbp)
            for r in data.maps["area"].rows
            if r.key in data.boundaries
        ]
        title = f"Public spending per head by area, {data.place}, {data.year}"
    return choropleth_svg(
        data.boundaries,
        areas,
        title=title,
        fmt=lambda v: fmt_gbp(v, pence=False),
        legend_title="£ per head",
        svg_id="per-head-map",
        # Natural breaks put the class boundaries where the figures differ most; a difference
        # of under 2 % of the typical area's figure does not get a colour of its own.
        scheme="natural-breaks",
        min_width=meaningful_difference([a.value for a in areas if a.value is not None]),
    )


def answer(data: SpendReport) -> Answer:
    """The report's question (how much is spent here, by whom) answered in one sentence:
    the total, per resident when the population is known, and the group spending most."""
    per_head = (
        f" ({fmt_gbp(data.per_head_gbp, pence=False)} per resident)"
        if data.per_head_gbp is not None
        else ""
    )
    sentence = (
        f"The partners of {data.place} spent {billions(data.total_gbp)} in {data.year}{per_head}"
    )
    rows = [r for r in data.headline.rows if r.amount_gbp > 0]
    if rows:
        top = max(rows, key=lambda r: r.amount_gbp)
        sentence += f"; {top.label} spent the most, {pct(top.share)} of it"
    return Answer(sentence + ".")


def html_text(data: SpendReport) -> str:
    """The report as one self-contained HTML page."""
    title = f"Public spending in {data.place}, {data.year}, by group and partner"
    bubbles = bubble_svg(data.bubble_groups(), title=title)
    # A phone shows the 760 px picture at half size, its labels at 4 to 7 px; this one is
    # drawn for a phone's width, so a label is at least 10 px (the rest listed under it) and no
    # group's name covers a label.
    bubbles_phone = bubble_svg(
        data.bubble_groups(),
        title=title,
        size=PHONE_WIDTH,
        svg_id="bubbles-phone",
        min_font=10,
        clear_names=True,
    )
    sunburst = plotly_div(_sunburst(data), include_js=True, div_id="drilldown-sunburst")
    return render_report(
        "spend_report.html",
        title=f"Public spending in {data.place}, {data.year}",
        answer=answer(data),
        place=data.place,
        r=data,
        bubbles=bubbles,
        bubbles_phone=bubbles_phone,
        sunburst=sunburst,
        per_head_map=_map_svg(data),
        allocation=data.allocation,
        history_years=data.history_years,
        history_group=data.history_rows("group"),
        history_partner=data.history_rows("partner"),
        history_totals=data.history_totals(),
        matrix=data.matrix(),
        not_allocated=not_allocated(data.maps["area"]),
        estimated_partners=data.estimated_partners(),
    )


def write_html(data: SpendReport, out: Path | str) -> Path:
    """Write the HTML report atomically (a failure leaves no partial file)."""
    return write_text_atomic(out, html_text(data))
