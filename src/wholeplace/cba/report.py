"""Reports: an offline HTML page with Plotly charts, and an auditable XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from wholeplace.cba.appraisal import ADDITIONALITY
from wholeplace.cba.compute import LineDetail, Result
from wholeplace.cba.montecarlo import OUTPUTS, Simulation, side_by_side
from wholeplace.cba.sensitivity_analysis import BreakEven, GradeRow, TornadoBar
from wholeplace.money import fmt_gbp, to_money
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.xlsx import (
    GBP,
    HEADER_FILL,
    HEADER_FONT,
    autosize,
    freeze_header,
    save_atomic,
)

NO_PAYBACK = "not within the appraisal period"


@dataclass(frozen=True)
class Analysis:
    """What a report shows beyond the result itself, computed before the report is written."""

    tornado: list[TornadoBar]  # largest swing first
    break_even: list[BreakEven]
    simulation: Simulation | None = None  # only when the appraisal has uncertain inputs
    swing: str = "20%"
    grades: list[GradeRow] | None = None


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
{% if grades %}
<h3>Optimism bias: each confidence grade one step firmer and one step less firm</h3>
<table><tr><th>Grade of</th><th>Now</th><th>Net present public value, one firmer</th>
<th>one less firm</th></tr>
{% for g in grades %}<tr><td>{{ g.label }}</td><td>{{ g.grade }}</td><td>{{ g.better }}</td>
<td>{{ g.worse }}</td></tr>
{% endfor %}</table>
{% endif %}
{% if charts.simulation %}
<h2>Uncertainty</h2>
<p>{{ sim_text }}</p>
<table id="simulation"><tr><th>Output</th><th>Point estimate</th><th>Simulation mean</th>
{% for p in sim_pcts %}<th>{{ p }}</th>{% endfor %}</tr>
{% for row in sim_rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}
</table>
<p class="note">Point estimate: {{ sim_method.point_estimate }}.<br>
Simulation: {{ sim_method.simulation }}; the same as
<code>wholeplace cba simulate FILE --draws {{ sim_draws }} --seed {{ sim_seed }}</code>.</p>
{% if sim_centres %}
<table><tr><th>Uncertain input</th><th>Distribution</th><th>Point estimate uses</th>
<th>Mean of the draws</th></tr>
{% for c in sim_centres %}<tr><td>{{ c.input }}</td><td>{{ c.distribution }}</td>
<td>{{ c.point_estimate_uses }} ({{ c.point_estimate_is }})</td>
<td>{{ c.simulation_mean }}</td></tr>
{% endfor %}</table>
{% endif %}
{{ charts.simulation }}
{% endif %}
{% if warnings %}
<h2>Warnings</h2>
<ul>{% for w in warnings %}<li>{{ w }}</li>{% endfor %}</ul>
{% endif %}
<h2>By year</h2>
<table><tr>{% for h in year_head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in year_rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}
</table>
</body></html>
"""


def html_report(result: Result, path: Path, analysis: Analysis) -> Path:
    """One offline page: headline figures, charts, the agency matrix, sensitivity.

    Everything shown is computed beforehand (``analysis``); this only lays it out.
    """
    import jinja2

    app = result.appraisal
    s = app.settings
    j = result.to_json()
    charts = _Charts()
    charts.add("by_year", _by_year_chart(j))
    charts.add("agency", _agency_chart(j))
    charts.add("tornado", _tornado_chart(analysis.tornado[:15], float(result.npv_public)))
    sim_text = ""
    charts.html["simulation"] = ""
    sim = analysis.simulation
    side: dict[str, Any] = {}
    if sim is not None:
        charts.add("simulation", _simulation_chart(sim))
        # the same dict `cba simulate --json` prints, so the figures are the same
        side = side_by_side(app, sim, j)
        sim_text = (
            f"Probability that financial ROI exceeds 1: {side['prob_financial_roi_above_1']:.1%}; "
            f"that net present public value is positive: "
            f"{side['prob_public_value_positive']:.1%} ({sim.draws:,} draws, seed {sim.seed})."
        )
    env = jinja2.Environment(autoescape=True)
    env.globals["charts"] = {k: _markup(v) for k, v in charts.html.items()}
    page = env.from_string(_PAGE).render(
        title=s.name,
        s=s,
        rate=s.discount_label(),
        deflators=app.deflators or "the shipped GDP deflator series",
        headline=_headline(j),
        agencies=_agency_rows(j),
        swing=analysis.swing,
        breakeven=_break_even_rows(analysis.break_even),
        sim_text=sim_text,
        sim_pcts=[p.upper() for p in _SIM_COLUMNS[1:]],
        sim_rows=_simulation_rows(side),
        sim_method=side.get("method", {}),
        sim_centres=side.get("centres", []),
        sim_draws=sim.draws if sim else 0,
        sim_seed=sim.seed if sim else None,
        grades=_grade_rows(analysis.grades or []),
        warnings=j["warnings"],
        year_head=_YEAR_HEAD,
        year_rows=_year_rows(j),
    )
    return write_text_atomic(path, page)


class _Charts:
    """Plotly figures as HTML fragments; plotly.js is inlined once, with the first."""

    def __init__(self) -> None:
        self.html: dict[str, str] = {}

    def add(self, name: str, fig: Any) -> None:
        fig.update_layout(template="plotly_white", height=420, margin={"t": 40})
        self.html[name] = str(fig.to_html(full_html=False, include_plotlyjs=not self.html))


def _by_year_chart(j: dict[str, Any]) -> Any:
    import plotly.graph_objects as go

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
    return fig


def _agency_chart(j: dict[str, Any]) -> Any:
    import plotly.graph_objects as go

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
    return fig


def _tornado_chart(bars: list[TornadoBar], base: float) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    shown = list(reversed(bars))
    names = [b.label for b in shown]
    for values, name in (
        ([b.npv_public_low for b in shown], "Input lower"),
        ([b.npv_public_high for b in shown], "Input higher"),
    ):
        x = [float(v) - base for v in values]
        fig.add_bar(y=names, x=x, base=base, orientation="h", name=name)
    fig.update_layout(barmode="overlay", title="Net present public value (£)", height=560)
    return fig


def _simulation_chart(sim: Simulation) -> Any:
    import plotly.graph_objects as go

    roi = sim.outputs["financial_roi"]
    fig = go.Figure()
    fig.add_histogram(x=roi[~np.isnan(roi)], nbinsx=80)
    fig.add_vline(x=1.0, line_dash="dash")
    fig.update_layout(title=f"Financial ROI over {sim.draws:,} simulated draws", showlegend=False)
    return fig


_SIM_COLUMNS = ("mean", "p5", "p50", "p95")


def sim_figure(name: str, v: Any) -> str:
    """A simulated or point figure as the report shows it: pounds, or a ratio."""
    if v is None:
        return "n/a"
    if name.endswith("roi"):
        return f"{float(v):.2f}"
    return fmt_gbp(Decimal(str(v)))


def _simulation_rows(side: dict[str, Any]) -> list[list[str]]:
    """Each output: the point estimate, then the simulation's mean and percentiles."""
    if not side:
        return []
    rows = []
    for name in OUTPUTS:
        st = side["outputs"][name]
        sim_vals = (
            ["n/a"] * len(_SIM_COLUMNS)
            if st is None
            else [sim_figure(name, st[c]) for c in _SIM_COLUMNS]
        )
        rows.append([name, sim_figure(name, side["point_estimate"][name]), *sim_vals])
    return rows


def _grade_rows(rows: list[GradeRow]) -> list[dict[str, str]]:
    def grade(now: int | None, moved: int | None) -> str:
        return "" if now is None else f" (grade {moved if moved is not None else now})"

    return [
        {
            "label": g.label,
            "grade": "" if g.grade is None else str(g.grade),
            "better": fmt_gbp(to_money(g.npv_public_better)) + grade(g.grade, g.better),
            "worse": fmt_gbp(to_money(g.npv_public_worse)) + grade(g.grade, g.worse),
        }
        for g in rows
    ]


def _headline(j: dict[str, Any]) -> list[tuple[str, str]]:
    roi_f = j["financial_roi"]
    roi_p = j["public_value_roi"]
    return [
        ("PV costs", fmt_gbp(j["pv_costs"])),
        ("PV fiscal benefits", fmt_gbp(j["pv_fiscal"])),
        ("of which cashable", fmt_gbp(j["pv_fiscal_cashable"])),
        ("PV economic benefits", fmt_gbp(j["pv_economic"])),
        ("PV social benefits", fmt_gbp(j["pv_social"])),
        ("Net present budget impact", fmt_gbp(j["net_present_budget_impact"])),
        ("Net present public value", fmt_gbp(j["net_present_public_value"])),
        ("Financial ROI", "n/a" if roi_f is None else f"£{roi_f} per £1"),
        ("Public value ROI", "n/a" if roi_p is None else f"£{roi_p} per £1"),
        ("Payback year (discounted)", j["payback_year"] or NO_PAYBACK),
        ("Payback year (undiscounted)", j["payback_year_undiscounted"] or NO_PAYBACK),
    ]


def _agency_rows(j: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
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
        for a, r in j["by_agency"].items()
    ]


def _break_even_rows(rows: list[BreakEven]) -> list[dict[str, str]]:
    why_not = ", outside the allowed range"
    return [
        {"label": b.label, "current": f"{b.current:.3f}", "value": b.value_text(3, why_not)}
        for b in rows
    ]


_YEAR_HEAD = [
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
_YEAR_KEYS = (
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


def _year_rows(j: dict[str, Any]) -> list[list[str]]:
    return [
        [y["year"], str(y["discount_factor"])] + [fmt_gbp(y[k]) for k in _YEAR_KEYS]
        for y in j["by_year"]
    ]


def _markup(html: str) -> Any:
    from markupsafe import Markup

    return Markup(html)  # noqa: S704 - plotly's own HTML, not user input


# -- XLSX ------------------------------------------------------------------------------


def xlsx_report(result: Result, path: Path) -> Path:
    """A workbook a finance team can audit: inputs, every intermediate step, outputs.

    The "By year" sheet keeps Excel formulas for the discounting and totals, so a reviewer
    can see and re-run the arithmetic; the figures next to them are wholeplace's own.
    """
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    j = result.to_json()
    _summary_sheet(wb, result, j)
    _inputs_sheet(wb, result)
    _unit_values_sheet(wb, result)
    _steps_sheet(wb, result)
    _by_year_sheet(wb, result)
    agy = _sheet(wb, "Agencies", ["Agency", "PV costs", "PV fiscal", "PV cashable", "Net position"])
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
    _finish(wb)
    return save_atomic(wb, path, formula_sheets={"By year"})


def _sheet(wb: Any, title: str, header: list[str]) -> Any:
    ws = wb.create_sheet(title)
    ws.append(header)
    for c in ws[1]:
        c.font = HEADER_FONT
        c.fill = HEADER_FILL
    return ws


def _finish(wb: Any) -> None:
    """Column widths from the contents; pounds in the finance format."""
    for ws in wb.worksheets:
        autosize(ws)
        freeze_header(ws, 1)  # once filled: it touches row 2, which append would skip
    for ws, cols in ((wb["By year"], "DEFGHIJKLMN"), (wb["Agencies"], "BCDE")):
        for col in cols:
            for cell in ws[col][1:]:
                cell.number_format = GBP


_HOW = {
    "pv_costs": "sum of discounted costs after optimism bias",
    "pv_fiscal": "sum of discounted fiscal benefits (transfers included)",
    "pv_fiscal_cashable": "fiscal benefits x cashable share, discounted",
    "pv_economic": "sum of discounted economic benefits",
    "pv_social": "sum of discounted social benefits",
    "net_present_budget_impact": "PV fiscal - PV costs",
    "net_present_public_value": "PV fiscal - PV transfers + PV economic + PV social - PV costs",
    "financial_roi": "PV fiscal / PV costs",
    "public_value_roi": "(PV fiscal - PV transfers + PV economic + PV social) / PV costs",
    "payback_year": "first year after which cumulative PV fiscal stays >= cumulative PV costs "
    "to the end of the appraisal",
    "payback_year_undiscounted": "the same with undiscounted flows",
}


def _summary_sheet(wb: Any, result: Result, j: dict[str, Any]) -> None:
    app = result.appraisal
    out = _sheet(wb, "Summary", ["Output", "Value", "How it is calculated"])
    for k, text in _HOW.items():
        v = j[k]
        out.append([k, None if v is None else (v if isinstance(v, str) else float(v)), text])
    out.append([])
    for w in result.warnings:
        out.append(["Warning", w])
    out.append(["Rounding", "each figure rounded half-up to the penny from its exact value"])
    out.append(["Deflators", app.deflators])
    out.append(["Appraisal file", app.file])


def _inputs_sheet(wb: Any, result: Result) -> None:
    app = result.appraisal
    s = app.settings
    labels = [s.year_label(i) for i in range(s.years)]
    inp = _sheet(wb, "Inputs", ["Setting", "Value"])
    rate: float | str = (
        float(s.discount_rate) if s.discount_schedule is None else s.discount_label()
    )
    for k, v in (
        ("name", s.name),
        ("price_year", s.price_year),
        ("start_year", s.start_year),
        ("years", s.years),
        ("discount_rate", rate),
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
            *[a.title() for a in ADDITIONALITY],
            "Sources",
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
                ", ".join(f"{k.replace('_', ' ')} {g}" for k, g in o.grades().items())
                if o.value_confidence is not None
                else o.confidence,
                ", ".join(str(p) for p in o.persistence),
                *[float(c) for c in o.cohort],
                *[float(getattr(o, a)) for a in ADDITIONALITY],
                "; ".join(f"{k}: {v}" for k, v in o.sources.items()) or None,
            ]
        )


def _unit_values_sheet(wb: Any, result: Result) -> None:
    uv = _sheet(
        wb,
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
    for o in result.appraisal.outcomes:
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


def _steps_sheet(wb: Any, result: Result) -> None:
    s = result.appraisal.settings
    labels = [s.year_label(i) for i in range(s.years)]
    steps = _sheet(
        wb, "Steps", ["Line", "Kind", "Value type", "Agency", "Optimism bias", "Step", *labels]
    )
    for ln in result.lines:
        rows = []
        if ln.kind == "outcome":
            # gross outcomes, then one row per adjustment (additionality), the last the net
            rows.extend(ln.outcome_steps[:-1])
            rows.append((f"net outcomes, {ln.outcome_steps[-1][0]}", ln.net_outcomes))
            rows.append(
                (f"benefit before bias (x unit value {ln.unit_value} x persistence)", ln.gross)
            )
            rows.append((f"benefit after bias (x (1 - {_bias_text(result, ln)}))", ln.adjusted))
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


def _bias_text(result: Result, ln: LineDetail) -> str:
    """The optimism bias of a benefit, and how it was combined from two grades if it was."""
    if len(ln.grades) < 2:
        return f"{ln.bias}"
    table = result.appraisal.settings.optimism_bias
    parts = " x ".join(f"(1 - {table[g]})" for g in ln.grades.values())
    return f"{ln.bias}, = 1 - {parts}"


def _discount_formula(result: Result, i: int, r: int) -> str:
    """Excel's own discount factor for year ``i`` in row ``r`` of the By year sheet."""
    sched = result.appraisal.settings.discount_schedule
    if sched is None:
        return f"=1/(1+Inputs!B6)^B{r}"
    if i == 0:
        return "=1"
    return f"=C{r - 1}/(1+{sched.rate(i)})"


def _by_year_sheet(wb: Any, result: Result) -> None:
    from openpyxl.utils import get_column_letter

    flows = ("Costs", "Fiscal", "Cashable", "Transfers", "Economic", "Social")  # columns D-I
    pv_heads = [f"PV {f.lower()}" for f in flows if f != "Transfers"]  # columns J-N
    pv_of = "DEFHI"  # the flow columns J-N discount: every one but transfers (G)
    by = _sheet(wb, "By year", ["Year", "Index", "Discount factor", *flows, *pv_heads])
    for i, y in enumerate(result.years):
        r = i + 2
        amounts = (y.costs, y.fiscal, y.fiscal_cashable, y.transfers, y.economic, y.social)
        by.append(
            [
                y.year,
                y.index,
                _discount_formula(result, i, r),
                *(float(a) for a in amounts),
                *(f"={col}{r}*C{r}" for col in pv_of),
            ]
        )
    last = result.appraisal.settings.years + 1
    by.append(
        ["Total", None, None]
        + [f"=SUM({get_column_letter(c)}2:{get_column_letter(c)}{last})" for c in range(4, 15)]
    )
