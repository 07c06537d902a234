"""Reports: an offline HTML page with Plotly charts, and an auditable XLSX."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from markupsafe import Markup

from wholeplace.cba.appraisal import ADDITIONALITY
from wholeplace.cba.compute import LineDetail, Result
from wholeplace.cba.montecarlo import OUTPUTS, Simulation, side_by_side
from wholeplace.cba.sensitivity_analysis import BreakEven, GradeRow, TornadoBar
from wholeplace.money import fmt_gbp, to_money
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.charts import finish
from wholeplace.reports.html import plotly_div
from wholeplace.reports.layout import Answer, Headline, input_files, render_report
from wholeplace.reports.palette import BLUE, BLUISH_GREEN, GAIN, LOSS, SKY_BLUE, colours
from wholeplace.reports.xlsx import (
    GBP_POUND,
    HEADER_FILL,
    HEADER_FONT,
    PCT,
    RATIO,
    Series,
    add_chart,
    autosize,
    freeze_header,
    print_setup,
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


def _names(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def answer(result: Result, names: Mapping[str, str] | None = None) -> Answer:
    """The appraisal's answer in one sentence, from the result: what £1 spent returns to the
    public purse, who pays and who gains (net position below or above zero), and payback.
    ``names`` turns a place's partner ids (agencies mapped onto partners) into names."""
    j = _named(result.to_json(), names)
    s = result.appraisal.settings
    roi = j["financial_roi"]
    if roi is None:
        first = "The proposal has no costs, so it has no return per £1"
    else:
        first = f"Every £1 spent returns £{roi} to the public purse"
    net = {a: r["net_position"] for a, r in j["by_agency"].items()}
    pay = [a for a, v in net.items() if v < 0]
    gain = [a for a, v in net.items() if v > 0]
    who = []
    if pay:
        who.append(f"{_names(pay)} {'pays' if len(pay) == 1 else 'pay'}")
    if gain:
        who.append(f"{_names(gain)} {'gains' if len(gain) == 1 else 'gain'}")
    if not who:
        who.append("no agency pays or gains overall")
    payback = (
        f"payback in {j['payback_year']}"
        if j["payback_year"]
        else f"no payback within its {s.years} years"
    )
    sentence = f"{first}; {', '.join(who)}; {payback}."
    figures = [
        Headline(fmt_gbp(j["net_present_public_value"]), "net present public value"),
        Headline(fmt_gbp(j["net_present_budget_impact"]), "net present budget impact"),
        Headline("n/a" if roi is None else f"£{roi}", "returned to the public purse per £1"),
        Headline(fmt_gbp(j["pv_costs"]), f"present value of the costs, {s.price_year} prices"),
        Headline(j["payback_year"] or "none", "payback year (discounted)"),
    ]
    return Answer(sentence, figures)


def html_report(
    result: Result,
    path: Path,
    analysis: Analysis,
    *,
    place: str | None = None,
    sources: Sequence[Path] = (),
    names: Mapping[str, str] | None = None,
) -> Path:
    """One offline page in the report layout: the answer, who pays and who gains, the years,
    sensitivity, uncertainty, then the method. Everything shown is computed beforehand
    (``analysis``); this only lays it out."""
    page = html_text(result, analysis, place=place, sources=sources, names=names)
    return write_text_atomic(path, page)


def html_text(
    result: Result,
    analysis: Analysis,
    *,
    place: str | None = None,
    sources: Sequence[Path] = (),
    names: Mapping[str, str] | None = None,
) -> str:
    app = result.appraisal
    s = app.settings
    j = _named(result.to_json(), names)
    charts = _Charts()
    charts.add("agency", _agency_chart(j))
    charts.add("by_year", _by_year_chart(j))
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
    return render_report(
        "cba_report.html",
        title=s.name,
        answer=answer(result, names),
        place=place,
        inputs=input_files(sources),
        charts={k: Markup(v) for k, v in charts.html.items()},  # noqa: S704 - plotly's HTML
        s=s,
        rate=s.discount_label(),
        deflators=app.deflators or "the shipped GDP deflator series",
        headline=_headline(j),
        agencies=_agency_rows(j),
        swing=analysis.swing,
        tornado_rows=_tornado_rows(analysis.tornado[:15]),
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


def _named(j: dict[str, Any], names: Mapping[str, str] | None) -> dict[str, Any]:
    """``j`` with its agencies named for people: a partner's id becomes its name."""
    if names:
        j["by_agency"] = {names.get(a, a): r for a, r in j["by_agency"].items()}
    return j


class _Charts:
    """Plotly figures as HTML fragments; plotly.js is inlined once, with the first."""

    def __init__(self) -> None:
        self.html: dict[str, str] = {}

    def add(self, name: str, fig: Any) -> None:
        self.html[name] = str(
            plotly_div(fig, include_js=not self.html, div_id=f"chart-{name.replace('_', '-')}")
        )


def _by_year_chart(j: dict[str, Any]) -> Any:
    import plotly.graph_objects as go

    labels = [y["year"] for y in j["by_year"]]
    fig = go.Figure()
    costs = [-float(y["pv_costs"]) for y in j["by_year"]]
    fig.add_bar(x=labels, y=costs, name="Costs", marker_color=LOSS)
    tops = [0.0] * len(labels)
    for key, name, colour in (
        ("pv_fiscal", "Fiscal benefits", GAIN),
        ("pv_economic", "Economic benefits", BLUISH_GREEN),
        ("pv_social", "Social benefits", SKY_BLUE),
    ):
        ys = [float(y[key]) for y in j["by_year"]]
        tops = [t + v for t, v in zip(tops, ys, strict=True)]
        fig.add_bar(x=labels, y=ys, name=name, marker_color=colour)
    fig.update_layout(barmode="relative")
    return finish(
        fig,
        title="Present values by year",
        money_axis="y",
        money_values=[*costs, *tops],
    )


def _agency_chart(j: dict[str, Any]) -> Any:
    import plotly.graph_objects as go

    ag = list(j["by_agency"].items())
    names = [a for a, _ in ag]
    pays = [-float(r["pv_costs"]) for _, r in ag]
    gains = [float(r["pv_fiscal"]) for _, r in ag]
    fig = go.Figure()
    fig.add_bar(y=names, x=pays, name="Pays (costs)", orientation="h", marker_color=LOSS)
    fig.add_bar(y=names, x=gains, name="Gains (fiscal benefits)", orientation="h",
                marker_color=GAIN)  # fmt: skip
    fig.update_layout(barmode="relative")
    fig.update_yaxes(automargin=True)
    return finish(
        fig,
        title="Who pays, who gains (present values)",
        money_axis="x",
        money_values=[*pays, *gains],
        height=max(300, 60 * len(names) + 140),
    )


def _tornado_chart(bars: list[TornadoBar], base: float) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    shown = list(reversed(bars))
    names = [b.label for b in shown]
    values: list[float] = [base]
    for vs, name, colour in (
        ([b.npv_public_low for b in shown], "Input lower", LOSS),
        ([b.npv_public_high for b in shown], "Input higher", GAIN),
    ):
        x = [float(v) - base for v in vs]
        values.extend(float(v) for v in vs)
        fig.add_bar(y=names, x=x, base=base, orientation="h", name=name, marker_color=colour)
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(automargin=True)
    return finish(
        fig, title="Net present public value", money_axis="x", money_values=values, height=560
    )


def _simulation_chart(sim: Simulation) -> Any:
    import plotly.graph_objects as go

    roi = sim.outputs["financial_roi"]
    fig = go.Figure()
    fig.add_histogram(x=roi[~np.isnan(roi)], nbinsx=80, marker_color=BLUE)
    fig.add_vline(x=1.0, line_dash="dash")
    fig.update_layout(showlegend=False, xaxis_title="Financial ROI (£ per £1)")
    return finish(fig, title=f"Financial ROI over {sim.draws:,} simulated draws")


def _tornado_rows(bars: list[TornadoBar]) -> list[list[str]]:
    return [
        [
            b.label,
            fmt_gbp(to_money(b.npv_public_low)),
            fmt_gbp(to_money(b.npv_public_high)),
            fmt_gbp(to_money(abs(b.npv_public_high - b.npv_public_low))),
        ]
        for b in bars
    ]


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


def _grade_rows(rows: list[GradeRow]) -> list[list[str]]:
    def grade(now: int | None, moved: int | None) -> str:
        return "" if now is None else f" (grade {moved if moved is not None else now})"

    return [
        [
            g.label,
            "" if g.grade is None else str(g.grade),
            fmt_gbp(to_money(g.npv_public_better)) + grade(g.grade, g.better),
            fmt_gbp(to_money(g.npv_public_worse)) + grade(g.grade, g.worse),
        ]
        for g in rows
    ]


def _headline(j: dict[str, Any]) -> list[tuple[str, str]]:
    roi_f = j["financial_roi"]
    roi_p = j["public_value_roi"]
    return [
        ("Present value of costs", fmt_gbp(j["pv_costs"])),
        ("Present value of fiscal benefits", fmt_gbp(j["pv_fiscal"])),
        ("of which cashable", fmt_gbp(j["pv_fiscal_cashable"])),
        ("Present value of economic benefits", fmt_gbp(j["pv_economic"])),
        ("Present value of social benefits", fmt_gbp(j["pv_social"])),
        ("Net present budget impact", fmt_gbp(j["net_present_budget_impact"])),
        ("Net present public value", fmt_gbp(j["net_present_public_value"])),
        ("Financial ROI", "n/a" if roi_f is None else f"£{roi_f} per £1"),
        ("Public value ROI", "n/a" if roi_p is None else f"£{roi_p} per £1"),
        ("Payback year (discounted)", j["payback_year"] or NO_PAYBACK),
        ("Payback year (undiscounted)", j["payback_year_undiscounted"] or NO_PAYBACK),
    ]


def _agency_rows(j: dict[str, Any]) -> list[dict[str, Any]]:
    palette = colours(j["by_agency"])
    rows = []
    for a, r in j["by_agency"].items():
        net = r["net_position"]
        rows.append(
            {
                "name": a,
                "colour": palette[a],
                "pv_costs": fmt_gbp(r["pv_costs"]),
                "pv_fiscal": fmt_gbp(r["pv_fiscal"]),
                "pv_fiscal_cashable": fmt_gbp(r["pv_fiscal_cashable"]),
                "net_position": fmt_gbp(net),
                "side": "loss" if net < 0 else "gain" if net > 0 else "",
                "verdict": "pays" if net < 0 else "gains" if net > 0 else "even",
            }
        )
    return rows


def _break_even_rows(rows: list[BreakEven]) -> list[list[str]]:
    why_not = ", outside the allowed range"
    return [[b.label, f"{b.current:.3f}", b.value_text(3, why_not)] for b in rows]


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


# -- XLSX ------------------------------------------------------------------------------


def xlsx_report(result: Result, path: Path, names: Mapping[str, str] | None = None) -> Path:
    """A workbook a finance team can audit: inputs, every intermediate step, outputs.

    The "By year" sheet keeps Excel formulas for the discounting and totals, and the Summary's
    figures are formulas on its totals row, so changing an amount in "By year" (or the
    discount rate in Inputs) changes the Summary too; wholeplace's own exact figures are
    beside them to compare.
    """
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    j = _named(result.to_json(), names)
    kept = _summary_sheet(wb, result, j)
    _inputs_sheet(wb, result)
    _unit_values_sheet(wb, result)
    _steps_sheet(wb, result)
    _by_year_sheet(wb, result)
    agy = _sheet(
        wb,
        "Agencies",
        [
            "Agency",
            "Present value of costs",
            "Present value of fiscal benefits",
            "Of which cashable",
            "Net position",
        ],
    )
    for a, row in j["by_agency"].items():
        agy.append(
            [
                a,
                row["pv_costs"],
                row["pv_fiscal"],
                row["pv_fiscal_cashable"],
                row["net_position"],
            ]
        )
    _finish(wb)
    _charts(wb, result, len(j["by_agency"]))
    return save_atomic(wb, path, formula_sheets={"By year"}, formula_cells=kept)


def _charts(wb: Any, result: Result, agencies: int) -> None:
    """The HTML report's two charts, native, drawn from the sheets' own cells (the present
    values by year are the By year sheet's formulas, so the chart follows an edit)."""
    last = result.appraisal.settings.years + 1  # the By year sheet's last year's row
    add_chart(
        wb["By year"],
        "Present values by year",
        kind="bar",
        labels=1,
        rows=(2, last),
        series=[
            Series("Costs", 10, LOSS),
            Series("Fiscal benefits", 11, GAIN),
            Series("Economic benefits", 13, BLUISH_GREEN),
            Series("Social benefits", 14, SKY_BLUE),
        ],
        anchor=f"A{last + 3}",
    )
    if agencies:
        add_chart(
            wb["Agencies"],
            "Who pays, who gains (present values)",
            kind="bar",
            labels=1,
            rows=(2, agencies + 1),
            series=[Series("Pays (costs)", 2, LOSS), Series("Gains (fiscal benefits)", 3, GAIN)],
            anchor=f"A{agencies + 4}",
            horizontal=True,
        )


def _sheet(wb: Any, title: str, header: list[str]) -> Any:
    ws = wb.create_sheet(title)
    ws.append(header)
    for c in ws[1]:
        c.font = HEADER_FONT
        c.fill = HEADER_FILL
    return ws


def _finish(wb: Any) -> None:
    """Column widths from the contents; pounds in the finance format; print set-up."""
    for ws in wb.worksheets:
        autosize(ws)
        freeze_header(ws, 1)  # once filled: it touches row 2, which append would skip
        print_setup(ws, landscape=ws.max_column > 6)
    for ws, cols in ((wb["By year"], "DEFGHIJKLMNO"), (wb["Agencies"], "BCDE")):
        for col in cols:
            for cell in ws[col][1:]:
                cell.number_format = GBP_POUND
    for cell in wb["By year"]["C"][1:]:
        cell.number_format = "0.000000"
    wb["Summary"].column_dimensions["C"].width = 70


# (label, formula on the By year totals row {t}, its key in --json, number format, how)
_SUMMARY: tuple[tuple[str, str, str, str, str], ...] = (
    ("Present value of costs", "='By year'!J{t}", "pv_costs", GBP_POUND,
     "sum of discounted costs after optimism bias"),
    ("Present value of fiscal benefits", "='By year'!K{t}", "pv_fiscal", GBP_POUND,
     "sum of discounted fiscal benefits (transfers included)"),
    ("Of which cashable", "='By year'!L{t}", "pv_fiscal_cashable", GBP_POUND,
     "fiscal benefits x cashable share, discounted"),
    ("Present value of economic benefits", "='By year'!M{t}", "pv_economic", GBP_POUND,
     "sum of discounted economic benefits"),
    ("Present value of social benefits", "='By year'!N{t}", "pv_social", GBP_POUND,
     "sum of discounted social benefits"),
    ("Net present budget impact", "='By year'!K{t}-'By year'!J{t}", "net_present_budget_impact",
     GBP_POUND, "present value of fiscal benefits - present value of costs"),
    ("Net present public value",
     "='By year'!K{t}-'By year'!O{t}+'By year'!M{t}+'By year'!N{t}-'By year'!J{t}",
     "net_present_public_value", GBP_POUND,
     "fiscal - transfers + economic + social - costs, all present values"),
    ("Financial ROI (£ per £1)", "=IF('By year'!J{t}=0,\"n/a\",'By year'!K{t}/'By year'!J{t})",
     "financial_roi", RATIO, "present value of fiscal benefits / present value of costs"),
    ("Public value ROI (£ per £1)",
     "=IF('By year'!J{t}=0,\"n/a\",('By year'!K{t}-'By year'!O{t}+'By year'!M{t}"
     "+'By year'!N{t})/'By year'!J{t})",
     "public_value_roi", RATIO, "(fiscal - transfers + economic + social) / costs"),
)  # fmt: skip


def _summary_sheet(wb: Any, result: Result, j: dict[str, Any]) -> set[tuple[str, str]]:
    """The outputs as formulas on the By year sheet's totals, with wholeplace's exact figure
    beside each; the cells holding formulas are returned, so saving keeps them live."""
    app = result.appraisal
    out = _sheet(wb, "Summary", ["Output", "Value", "How it is calculated", "wholeplace's figure"])
    totals = result.appraisal.settings.years + 2  # the By year sheet's Total row
    kept: set[tuple[str, str]] = set()
    for r, (label, formula, key, fmt, how) in enumerate(_SUMMARY, start=2):
        out.append([label, formula.format(t=totals), how, j[key]])
        out[f"B{r}"].number_format = fmt
        out[f"D{r}"].number_format = fmt
        kept.add(("Summary", f"B{r}"))
    for label, key in (
        ("Payback year (discounted)", "payback_year"),
        ("Payback year (undiscounted)", "payback_year_undiscounted"),
    ):
        out.append([label, j[key] or NO_PAYBACK, _HOW[key]])
    out.append([])
    for w in result.warnings:
        out.append(["Warning", w])
    out.append(["Rounding", "each figure rounded half-up to the penny from its exact value"])
    out.append(["Deflators", app.deflators])
    out.append(["Appraisal file", app.file])
    return kept


_HOW = {
    "payback_year": "first year after which cumulative PV fiscal stays >= cumulative PV costs "
    "to the end of the appraisal",
    "payback_year_undiscounted": "the same with undiscounted flows",
}


def _inputs_sheet(wb: Any, result: Result) -> None:
    app = result.appraisal
    s = app.settings
    labels = [s.year_label(i) for i in range(s.years)]
    inp = _sheet(wb, "Inputs", ["Setting", "Value"])
    rate: float | str = (
        float(s.discount_rate) if s.discount_schedule is None else s.discount_label()
    )
    for k, v in (
        ("Name", s.name),
        ("Price year", s.price_year),
        ("Start year", s.start_year),
        ("Years", s.years),
        ("Discount rate", rate),
    ):
        inp.append([k, v])
    if isinstance(rate, float):
        inp["B6"].number_format = PCT
    for g, b in sorted(s.optimism_bias.items()):
        inp.append([f"Optimism bias, confidence grade {g}", float(b)])
        inp.cell(inp.max_row, 2).number_format = PCT
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
    # columns J-N discount every flow but transfers; O discounts transfers (G), which the
    # Summary's net present public value takes out
    pv_heads = [*(f"PV {f.lower()}" for f in flows if f != "Transfers"), "PV transfers"]
    pv_of = "DEFHIG"
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
        + [f"=SUM({get_column_letter(c)}2:{get_column_letter(c)}{last})" for c in range(4, 16)]
    )
