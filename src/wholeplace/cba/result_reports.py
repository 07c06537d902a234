"""``cba sensitivity --out`` and ``cba simulate --out``: what boards decide on, as reports.

The same rows as the command line's tables, labelled in words, in the one layout
(:mod:`wholeplace.reports.table_report`): HTML, XLSX (money ``£#,##0.00``, ratios ``0.00``,
probabilities ``0.0%``) or PDF.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wholeplace.cba import montecarlo as cba_sim
from wholeplace.cba.report_compare import ROWS
from wholeplace.money import fmt_gbp, fmt_pct
from wholeplace.reports.layout import Answer, Headline, input_files
from wholeplace.reports.table_report import TableReport, TableSection
from wholeplace.reports.xlsx import Col

if TYPE_CHECKING:
    from wholeplace.cba.analysis_service import SensitivityResult, SimulationResult
    from wholeplace.cba.sensitivity_analysis import DurationRow

# The outputs named in words, as the comparison names them
LABELS: dict[str, str] = {key: label for key, label, _ in ROWS}


def _dec(v: Any) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def _duration(heading: str, rows: list[DurationRow]) -> TableSection:
    return TableSection(
        heading,
        [
            Col("Years", "int"),
            Col("Present value of costs", "gbp_pound"),
            Col("Present value of fiscal benefits", "gbp_pound"),
            Col("Net present budget impact", "gbp_pound"),
            Col("Net present public value", "gbp_pound"),
            Col("Financial ROI (£ per £1)", "ratio"),
        ],  # fmt: skip
        [
            [d.years, d.pv_costs, d.pv_fiscal, d.npv_budget, d.npv_public, d.financial_roi]
            for d in rows
        ],  # fmt: skip
    )


def sensitivity_report(res: SensitivityResult, file: Path, place: str | None = None) -> TableReport:
    name = res.appraisal.settings.name
    swing = fmt_pct(res.swing, 0)
    bars = sorted(res.tornado, key=lambda b: -b.swing)
    tornado = TableSection(
        f"Tornado: each input {swing} down and up",
        [
            Col("Input"),
            Col("Low", "ratio"),
            Col("High", "ratio"),
            Col("Net present public value at low", "gbp_pound"),
            Col("Net present public value at high", "gbp_pound"),
        ],  # fmt: skip
        [[b.label, b.low_input, b.high_input, b.npv_public_low, b.npv_public_high] for b in bars],
        note="Inputs in order of their effect on net present public value, the largest first.",
    )
    break_even = TableSection(
        "Break-even: where financial ROI = 1",
        [Col("Input"), Col("Now"), Col("Break-even")],
        [[b.label, f"{b.current:.4f}", b.value_text(4)] for b in res.break_even],
    )
    grades = TableSection(
        "Optimism bias: each grade one step either way",
        [
            Col("Grade of"),
            Col("Now"),
            Col("One firmer", "gbp_pound"),
            Col("One less firm", "gbp_pound"),
        ],  # fmt: skip
        [
            [
                "every line" if g.grade is None else g.label,
                "" if g.grade is None else str(g.grade),
                g.npv_public_better,
                g.npv_public_worse,
            ]
            for g in res.grades
        ],  # fmt: skip
        note="Net present public value with the confidence grade one step firmer (less "
        "optimism bias) and one step less firm.",
    )
    if bars:
        top = bars[0]
        low, high = sorted((top.npv_public_low, top.npv_public_high))
        sentence = (
            f"Of the inputs of {name}, {top.label} matters most: moved {swing} either way, "
            f"net present public value runs from {fmt_gbp(low)} to {fmt_gbp(high)}."
        )
        figures = [Headline(fmt_gbp(top.swing), f"the range {top.label} gives")]
    else:
        sentence, figures = f"{name} has no rate or value to move.", []
    return TableReport(
        title=f"Sensitivity: {name}",
        answer=Answer(sentence, figures),
        sections=[
            tornado,
            break_even,
            grades,
            _duration("Duration: if the appraisal stopped after N years", res.duration),
            _duration("Programme length: the intervention runs N years", res.programme_length),
        ],
        method=[
            f"Each rate and value of the appraisal is moved {swing} down and up, one at a "
            "time, and the appraisal recomputed exactly (cba run's method); break-even is the "
            "value of one input at which the present value of fiscal benefits equals the "
            "present value of costs."
        ],
        inputs=input_files([file]),
        landscape=True,
        place=place,
    )


def simulation_report(res: SimulationResult, file: Path, place: str | None = None) -> TableReport:
    s = res.to_json()
    name = res.appraisal.settings.name
    cols = ["mean", *[f"p{p}" for p in cba_sim.PERCENTILES]]
    rows: list[list[Any]] = []
    ratios: list[list[Any]] = []
    for key in cba_sim.OUTPUTS:
        st = s["outputs"].get(key)
        if st is None:
            continue
        row = [LABELS.get(key, key), _dec(s["point_estimate"][key]), *(_dec(st[c]) for c in cols)]
        (ratios if key.endswith("_roi") else rows).append(row)
    heads = ["Point estimate", "Mean", *[f"{p}th percentile" for p in cba_sim.PERCENTILES]]
    prob_roi = Decimal(str(s["prob_financial_roi_above_1"]))
    prob_value = Decimal(str(s["prob_public_value_positive"]))
    sections = [
        TableSection(
            "Present values: point estimate and simulation",
            [Col("Output"), *(Col(h, "gbp_pound") for h in heads)],
            rows,
        ),
        TableSection(
            "Returns per £1: point estimate and simulation",
            [Col("Output"), *(Col(h, "ratio") for h in heads)],
            ratios,
        ),
        TableSection(
            "Chances",
            [Col("Outcome"), Col("Probability", "pct")],
            [
                ["Financial ROI above 1", prob_roi],
                ["Net present public value above £0", prob_value],
            ],
        ),
    ]
    if s["centres"]:
        sections.append(
            TableSection(
                "Why the point estimate and the mean differ",
                [
                    Col("Input"),
                    Col("Distribution"),
                    Col("Point estimate uses"),
                    Col("Mean of the draws"),
                ],  # fmt: skip
                [
                    [
                        c["input"],
                        c["distribution"],
                        f"{c['point_estimate_uses']} ({c['point_estimate_is']})",
                        str(c["simulation_mean"]),
                    ]
                    for c in s["centres"]
                ],  # fmt: skip
            )
        )
    sentence = (
        f"In {s['draws']:,} draws of {name}'s uncertain inputs, financial ROI is above 1 in "
        f"{fmt_pct(prob_roi)} of them, and net present public value above £0 in "
        f"{fmt_pct(prob_value)}."
    )
    return TableReport(
        title=f"Simulation: {name}",
        answer=Answer(
            sentence,
            [
                Headline(fmt_pct(prob_roi), "chance that every £1 returns more than £1"),
                Headline(fmt_pct(prob_value), "chance of positive public value"),
            ],  # fmt: skip
        ),
        sections=sections,
        method=[s["method"]["point_estimate"] + ".", s["method"]["simulation"] + "."],
        inputs=input_files([file]),
        landscape=True,
        place=place,
    )
