"""Reports: an offline HTML page with Plotly charts, and an auditable XLSX."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wholeplace.cba.model import Result

import numpy as np


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_save_workbook(wb: Any, path: Path) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- HTML ------------------------------------------------------------------------------

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.big { font-size: 1.4rem; font-weight: 600; }
.neg { color: #b00020; }
.note { color: #555; font-size: .9rem; }
</style></head><body>
<h1>{{ title }}</h1>
<p class="note">Prices of {{ s.price_year }}; {{ s.years }} years from {{ s.start_year }};
discount rate {{ rate }}; unit values uprated with {{ deflators }}. Figures are present values
(year 0 undiscounted), rounded to the penny from exact values.</p>
<table>
{% for label, value in headline %}<tr><th>{{ label }}</th><td class="big">{{ value }}</td></tr>
{% endfor %}</table>
<h2>Costs and benefits by year</h2>
{{ charts.by_year }}
<h2>Who pays, who gains</h2>
<table><tr><th>Agency</th><th>PV costs</th><th>PV fiscal benefits</th><th>of which cashable</th>
<th>Net position</th></tr>
{% for a, row in agencies %}<tr><td>{{ a }}</td><td>{{ row.pv_costs }}</td>
<td>{{ row.pv_fiscal }}</td><td>{{ row.pv_fiscal_cashable }}</td>
<td class="{{ 'neg' if row.negative else '' }}">{{ row.net_position }}</td></tr>
{% endfor %}</table>
{{ charts.agency }}
<h2>Sensitivity: what moves net present public value most</h2>
<p class="note">Each input moved {{ swing }} down and up, one at a time.</p>
{{ charts.tornado }}
<h3>Break-even points (financial ROI = 1)</h3>
<table><tr><th>Input</th><th>Now</th><th>Break-even</th></tr>
{% for b in breakeven %}<tr><td>{{ b.label }}</td><td>{{ b.current }}</td>
<td>{{ b.value }}</td></tr>
{% endfor %}</table>
{% if charts.simulation %}
<h2>Uncertainty</h2>
<p>{{ sim_text }}</p>
{{ charts.simulation }}
{% endif %}
<h2>By year</h2>
<table><tr>{% for h in year_head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in year_rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}
</table>
</body></html>
"""


def html_report(result: Result, path: Path, *, draws: int = 10_000, seed: int = 2015) -> None:
    """One offline page: headline figures, charts, the agency matrix, sensitivity."""
    import jinja2
    import plotly.graph_objects as go

    from wholeplace.cba.sensitivity import break_even, tornado
    from wholeplace.cba.simulate import simulate
    from wholeplace.money import fmt_gbp

    app = result.appraisal
    s = app.settings
    j = result.to_json()
    first = [True]

    def fig_html(fig: Any) -> str:
        inc = first[0]
        first[0] = False
        fig.update_layout(template="plotly_white", height=420, margin={"t": 40})
        return str(fig.to_html(full_html=False, include_plotlyjs=inc))

    labels = [y["year"] for y in j["by_year"]]
    fig = go.Figure()
    fig.add_bar(x=labels, y=[-float(y["pv_costs"]) for y in j["by_year"]], name="Costs (PV)")
    for key, name in (
        ("pv_fiscal", "Fiscal"),
        ("pv_economic", "Economic"),
        ("pv_social", "Social"),
    ):
        fig.add_bar(x=labels, y=[float(y[key]) for y in j["by_year"]], name=f"{name} (PV)")
    fig.update_layout(barmode="relative", title="Present values by year (£)")
    charts = {"by_year": fig_html(fig)}

    ag = list(j["by_agency"].items())
    fig = go.Figure()
    fig.add_bar(
        y=[a for a, _ in ag], x=[-float(r["pv_costs"]) for _, r in ag], name="Pays", orientation="h"
    )
    fig.add_bar(
        y=[a for a, _ in ag],
        x=[float(r["pv_fiscal"]) for _, r in ag],
        name="Gains",
        orientation="h",
    )
    fig.update_layout(barmode="relative", title="Who pays, who gains (PV, £)")
    charts["agency"] = fig_html(fig)

    bars = tornado(app)[:15]
    base = float(result.npv_public)
    fig = go.Figure()
    names = [b.label for b in reversed(bars)]
    fig.add_bar(
        y=names,
        x=[float(b.npv_public_low) - base for b in reversed(bars)],
        base=base,
        orientation="h",
        name="Input lower",
    )
    fig.add_bar(
        y=names,
        x=[float(b.npv_public_high) - base for b in reversed(bars)],
        base=base,
        orientation="h",
        name="Input higher",
    )
    fig.update_layout(barmode="overlay", title="Net present public value (£)", height=560)
    charts["tornado"] = fig_html(fig)

    sim_text = ""
    charts["simulation"] = ""
    has_dists = (
        s.discount_rate_dist is not None
        or any(o.dists for o in app.outcomes)
        or any(c.multiplier_dist is not None for c in app.costs)
    )
    if has_dists:
        sim = simulate(app, draws, seed)
        roi = sim.outputs["financial_roi"]
        fig = go.Figure()
        fig.add_histogram(x=roi[~np.isnan(roi)], nbinsx=80)
        fig.add_vline(x=1.0, line_dash="dash")
        fig.update_layout(title=f"Financial ROI over {draws:,} simulated draws", showlegend=False)
        charts["simulation"] = fig_html(fig)
        sim_text = (
            f"Probability that financial ROI exceeds 1: {sim.prob_financial_roi_above_1:.1%}; "
            f"that net present public value is positive: {sim.prob_public_value_positive:.1%} "
            f"({draws:,} draws, seed {seed})."
        )
    roi_f = j["financial_roi"]
    roi_p = j["public_value_roi"]
    headline = [
        ("PV costs", fmt_gbp(j["pv_costs"])),
        ("PV fiscal benefits", fmt_gbp(j["pv_fiscal"])),
        ("of which cashable", fmt_gbp(j["pv_fiscal_cashable"])),
        ("PV economic benefits", fmt_gbp(j["pv_economic"])),
        ("PV social benefits", fmt_gbp(j["pv_social"])),
        ("Net present budget impact", fmt_gbp(j["net_present_budget_impact"])),
        ("Net present public value", fmt_gbp(j["net_present_public_value"])),
        ("Financial ROI", "n/a" if roi_f is None else f"£{roi_f} per £1"),
        ("Public value ROI", "n/a" if roi_p is None else f"£{roi_p} per £1"),
        ("Payback year", j["payback_year"] or "not within the appraisal"),
    ]
    agencies = [
        (
            a,
            {
                "pv_costs": fmt_gbp(r["pv_costs"]),
                "pv_fiscal": fmt_gbp(r["pv_fiscal"]),
                "pv_fiscal_cashable": fmt_gbp(r["pv_fiscal_cashable"]),
                "net_position": fmt_gbp(r["net_position"]),
                "negative": r["net_position"] < 0,
            },
        )
        for a, r in ag
    ]
    be = [
        {
            "label": b.label,
            "current": f"{b.current:.3f}",
            "value": "none"
            if b.value is None
            else (
                f"{b.value:.3f}"
                if b.reachable
                else f"not reachable (would need {b.value:.3f}, outside the allowed range)"
            ),
        }
        for b in break_even(app)
    ]
    year_head = [
        "Year",
        "Discount factor",
        "Costs",
        "Fiscal",
        "Cashable",
        "Economic",
        "Social",
        "PV costs",
        "PV fiscal",
        "Cum. PV costs",
        "Cum. PV fiscal",
    ]
    year_rows = [
        [y["year"], str(y["discount_factor"])]
        + [
            fmt_gbp(y[k])
            for k in (
                "costs",
                "fiscal",
                "fiscal_cashable",
                "economic",
                "social",
                "pv_costs",
                "pv_fiscal",
                "cumulative_pv_costs",
                "cumulative_pv_fiscal",
            )
        ]
        for y in j["by_year"]
    ]
    env = jinja2.Environment(autoescape=True)
    env.globals["charts"] = {k: _markup(v) for k, v in charts.items()}
    page = env.from_string(_PAGE).render(
        title=s.name,
        s=s,
        rate=f"{s.discount_rate * 100:.2f}%",
        deflators=app.deflators or "the shipped GDP deflator series",
        headline=headline,
        agencies=agencies,
        swing="20%",
        breakeven=be,
        sim_text=sim_text,
        year_head=year_head,
        year_rows=year_rows,
    )
    atomic_write_bytes(path, page.encode("utf-8"))


def _markup(html: str) -> Any:
    from markupsafe import Markup

    return Markup(html)  # noqa: S704 - plotly's own HTML, not user input


# -- XLSX ------------------------------------------------------------------------------


def xlsx_report(result: Result, path: Path) -> None:
    """A workbook a finance team can audit: inputs, every intermediate step, outputs.

    The "By year" sheet keeps Excel formulas for the discounting and totals, so a reviewer
    can see and re-run the arithmetic; the figures next to them are wholeplace's own.
    """
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    app = result.appraisal
    s = app.settings
    j = result.to_json()
    n = s.years
    labels = [s.year_label(i) for i in range(n)]
    wb = openpyxl.Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list[str]) -> Any:
        ws = wb.create_sheet(title)
        ws.append(header)
        for c in ws[1]:
            c.font = bold
        ws.column_dimensions["A"].width = 45
        return ws

    wb.remove(wb.active)
    out = sheet("Summary", ["Output", "Value", "How it is calculated"])
    how = {
        "pv_costs": "sum of discounted costs after optimism bias",
        "pv_fiscal": "sum of discounted fiscal benefits (transfers included)",
        "pv_fiscal_cashable": "fiscal benefits x cashable share, discounted",
        "pv_economic": "sum of discounted economic benefits",
        "pv_social": "sum of discounted social benefits",
        "net_present_budget_impact": "PV fiscal - PV costs",
        "net_present_public_value": "PV fiscal - PV transfers + PV economic + PV social - PV costs",
        "financial_roi": "PV fiscal / PV costs",
        "public_value_roi": "(PV fiscal - PV transfers + PV economic + PV social) / PV costs",
        "payback_year": "first year cumulative PV fiscal >= cumulative PV costs",
    }
    for k, text in how.items():
        v = j[k]
        out.append([k, None if v is None else (v if isinstance(v, str) else float(v)), text])
    out.append([])
    out.append(["Rounding", "each figure rounded half-up to the penny from its exact value"])
    out.append(["Deflators", app.deflators])
    out.append(["Appraisal file", app.file])

    inp = sheet("Inputs", ["Setting", "Value"])
    for k, v in (
        ("name", s.name),
        ("price_year", s.price_year),
        ("start_year", s.start_year),
        ("years", s.years),
        ("discount_rate", float(s.discount_rate)),
    ):
        inp.append([k, v])
    for g, b in sorted(s.optimism_bias.items()):
        inp.append([f"optimism bias, confidence grade {g}", float(b)])
    inp.append([])
    inp.append(["Costs", "Agency", "Type", "Confidence", *labels])
    for c in app.costs:
        inp.append([c.description, c.agency, c.type, c.confidence, *[float(a) for a in c.amounts]])
    inp.append([])
    inp.append(
        [
            "Outcomes",
            "Unit cost",
            "Engagement",
            "Success",
            "Deadweight",
            "Cashable",
            "Transfer",
            "Confidence",
            "Persistence",
            *[f"cohort {y}" for y in labels],
        ]
    )
    for o in app.outcomes:
        inp.append(
            [
                o.description,
                o.unit_cost or "entered",
                float(o.engagement),
                float(o.success),
                float(o.deadweight),
                float(o.cashable),
                o.transfer,
                o.confidence,
                ", ".join(str(p) for p in o.persistence),
                *[float(c) for c in o.cohort],
            ]
        )

    uv = sheet(
        "Unit values",
        [
            "Outcome",
            "Type",
            "Agency",
            "Base value",
            "Base year",
            "Uprated to price year (to the penny)",
            "Source",
        ],
    )
    for o in app.outcomes:
        for comp in o.components:
            uv.append(
                [
                    o.description,
                    comp.value_type,
                    comp.agency,
                    float(comp.base_value),
                    comp.base_year,
                    float(comp.unit_value),
                    comp.source,
                ]
            )

    steps = sheet(
        "Steps", ["Line", "Kind", "Value type", "Agency", "Optimism bias", "Step", *labels]
    )
    for ln in result.lines:
        rows = []
        if ln.kind == "outcome":
            rows.append(
                ("net outcomes (cohort x engagement x success x (1 - deadweight))", ln.net_outcomes)
            )
            rows.append(
                (f"benefit before bias (x unit value {ln.unit_value} x persistence)", ln.gross)
            )
            rows.append(("benefit after bias (x (1 - bias))", ln.adjusted))
            if ln.value_type == "fiscal":
                rows.append(("cashable benefit", ln.cashable))
        else:
            rows.append(("amount as entered", ln.gross))
            rows.append(("amount after bias (x (1 + bias))", ln.adjusted))
        for step, vals in rows:
            steps.append(
                [
                    ln.description,
                    ln.kind,
                    ln.value_type,
                    ln.agency,
                    float(ln.bias),
                    step,
                    *[float(v) for v in vals],
                ]
            )

    by = sheet(
        "By year",
        [
            "Year",
            "Index",
            "Discount factor",
            "Costs",
            "Fiscal",
            "Cashable",
            "Transfers",
            "Economic",
            "Social",
            "PV costs",
            "PV fiscal",
            "PV cashable",
            "PV economic",
            "PV social",
        ],
    )
    for i, y in enumerate(result.years):
        r = i + 2
        by.append(
            [
                y.year,
                y.index,
                f"=1/(1+Inputs!B6)^B{r}",
                float(y.costs),
                float(y.fiscal),
                float(y.fiscal_cashable),
                float(y.transfers),
                float(y.economic),
                float(y.social),
                f"=D{r}*C{r}",
                f"=E{r}*C{r}",
                f"=F{r}*C{r}",
                f"=H{r}*C{r}",
                f"=I{r}*C{r}",
            ]
        )
    last = n + 1
    by.append(
        ["Total", None, None]
        + [f"=SUM({get_column_letter(c)}2:{get_column_letter(c)}{last})" for c in range(4, 15)]
    )

    agy = sheet("Agencies", ["Agency", "PV costs", "PV fiscal", "PV cashable", "Net position"])
    for a, row in j["by_agency"].items():
        agy.append(
            [
                a,
                float(row["pv_costs"]),
                float(row["pv_fiscal"]),
                float(row["pv_fiscal_cashable"]),
                float(row["net_position"]),
            ]
        )
    atomic_save_workbook(wb, path)
