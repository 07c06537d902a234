"""The appraisal method as published (issue 10): payback, additionality beyond deadweight,
separate confidence grades, the Green Book's declining rate, break-even, point estimate beside
the simulation. Every expected figure is worked by hand in the test."""

from __future__ import annotations

import json
import re
import textwrap
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from wholeplace.cba import model
from wholeplace.cba import sensitivity_analysis as sens
from wholeplace.cba.discounting import defaults
from wholeplace.cli import app
from wholeplace.errors import InputError

D = Decimal
F = Fraction
runner = CliRunner()
EXAMPLE = Path(model.__file__).parent.parent / "data" / "cba" / "example_appraisal.yaml"


def load(text: str) -> model.Appraisal:
    return model.loads_appraisal(textwrap.dedent(text), "t.yaml")


def penny(x: Fraction) -> Decimal:
    return (D(x.numerator) / D(x.denominator)).quantize(D("0.01"), rounding=ROUND_HALF_UP)


# -- payback ---------------------------------------------------------------------------

UNDONE = """
appraisal: {name: Undone, price_year: 2015/16, start_year: 2015/16, years: 4,
            discount_rate: 0.035}
costs:
  - {description: Build, agency: Council, type: capital, confidence: 1,
     amounts: [100000, 0, 100000, 0]}
outcomes:
  - {description: Savings, value: 130000, value_type: fiscal, agency: Council,
     cohort: [0, 1, 0, 0], success: 1, confidence: 1}
"""


def test_payback_undone_by_later_costs_is_no_payback() -> None:
    # Discounted: after 2015/16 -100,000; after 2016/17 -100,000 + 130,000 / 1.035
    # = +25,603.86 (the old rule stopped here: "payback 2016/17"); after 2017/18 the second
    # 100,000 / 1.035^2 = 93,351.07 takes it to -67,747.21 and it ends there.
    # Financial ROI = 125,603.86 / 193,351.07 = 0.6496 -> 0.65.
    j = model.compute(load(UNDONE)).to_json()
    assert j["financial_roi"] == D("0.65")
    cum = [
        -F(100000),
        -F(100000) + F(130000) / F("1.035"),
        -F(100000) + F(130000) / F("1.035") - F(100000) / F("1.035") ** 2,
    ]
    assert penny(cum[1]) == D("25603.86") and penny(cum[2]) == D("-67747.21")
    assert j["by_year"][1]["cumulative_pv_fiscal"] > j["by_year"][1]["cumulative_pv_costs"]
    assert j["payback_year"] is None
    # undiscounted: -100,000, +30,000, -70,000, -70,000: no payback either
    assert j["payback_year_undiscounted"] is None


def test_payback_discounted_and_undiscounted_reported_apart() -> None:
    # £1,000 in year 0 against £1,020 saved in year 1: undiscounted +20 from 2016/17 on;
    # discounted 1,020 / 1.035 = 985.51 < 1,000, so never.
    j = model.compute(
        load(UNDONE.replace("[100000, 0, 100000, 0]", "[1000, 0, 0, 0]").replace("130000", "1020"))
    ).to_json()
    assert j["payback_year_undiscounted"] == "2016/17"
    assert j["payback_year"] is None
    assert penny(F(1020) / F("1.035")) == D("985.51")


def test_payback_holds_when_a_later_dip_stays_above_zero() -> None:
    # -1,000, then +1,500 saved (+500), then 400 more costs (+100, still >= 0): 2016/17
    text = UNDONE.replace("[100000, 0, 100000, 0]", "[1000, 0, 400, 0]").replace("130000", "1500")
    assert model.compute(load(text)).to_json()["payback_year_undiscounted"] == "2016/17"


# -- additionality beyond deadweight ----------------------------------------------------

ADDITIONAL = """
appraisal: {name: Additional, price_year: 2015/16, start_year: 2015/16, years: 2,
            discount_rate: 0.035}
costs:
  - {description: Team, agency: Council, type: revenue, confidence: 1, amounts: [5000, 0]}
outcomes:
  - description: Jobs
    value: 1000
    value_type: fiscal
    agency: NHS
    cohort: [100, 0]
    engagement: 0.8
    success: 0.5
    leakage: 0.1
    leakage_source: "Local evaluation 2014, table 3 (residents outside the borough)"
    displacement: 0.25
    displacement_source: "HCA Additionality Guide (2014), 4.3"
    substitution: 0.2
    substitution_source: "Employer survey"
    deadweight: 0.3
    deadweight_source: "Comparison group"
    attribution: 0.5
    attribution_source: "Half due to the Work Programme"
    confidence: 1
"""


def test_additionality_hand_calculation() -> None:
    # gross = 100 x 0.8 x 0.5 = 40; x (1 - 0.1) = 36; x (1 - 0.25) = 27; x (1 - 0.2) = 21.6;
    # x (1 - 0.3) = 15.12; x (1 - 0.5) = 7.56 net outcomes; x £1,000 = £7,560 in year 0
    r = model.compute(load(ADDITIONAL))
    assert r.lines[1].net_outcomes == [D("7.56"), D(0)]
    assert [s[1][0] for s in r.lines[1].outcome_steps] == [
        D(40),
        D(36),
        D(27),
        D("21.6"),
        D("15.12"),
        D("7.56"),
    ]
    assert r.to_json()["pv_fiscal"] == D("7560.00")
    o = r.appraisal.outcomes[0]
    assert o.sources["displacement"] == "HCA Additionality Guide (2014), 4.3"


def test_additionality_in_audit_steps_and_sensitivity(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(textwrap.dedent(ADDITIONAL), encoding="utf-8")
    out = tmp_path / "audit.xlsx"
    res = runner.invoke(app, ["cba", "run", str(f), "--out", str(out), "-w", str(tmp_path)])
    assert res.exit_code == 0, res.output
    steps = {
        row[5]: row[6]
        for row in openpyxl.load_workbook(out)["Steps"].iter_rows(min_row=2, values_only=True)
        if row[1] == "outcome"
    }
    assert steps["gross outcomes (cohort x engagement x success)"] == 40
    got = {k.split(" (")[0]: v for k, v in steps.items() if k.startswith("after")}
    assert got == {
        "after leakage": 36,
        "after displacement": 27,
        "after substitution": pytest.approx(21.6),
        "after deadweight": pytest.approx(15.12),
    }
    net = next(k for k in steps if k.startswith("net outcomes"))
    assert steps[net] == pytest.approx(7.56) and "attribution" in net
    assert any("source: HCA Additionality Guide (2014), 4.3" in k for k in steps)
    # sensitivity: displacement 0.25 -/+ 20% = 0.2 / 0.3; net moves by 0.8/0.75 and 0.7/0.75:
    # 7,560 x 0.8 / 0.75 = 8,064 and 7,560 x 0.7 / 0.75 = 7,056; less costs 5,000
    bars = {b.label: b for b in sens.tornado(model.compute(load(ADDITIONAL)).appraisal)}
    for k in ("leakage", "displacement", "substitution", "attribution"):
        assert f"Jobs: {k}" in bars
    bar = bars["Jobs: displacement"]
    assert (bar.low_input, bar.high_input) == (D("0.200"), D("0.300"))
    assert penny(F(bar.npv_budget_low)) == D("3064.00")
    assert penny(F(bar.npv_budget_high)) == D("2056.00")


def test_additionality_factor_needs_its_source() -> None:
    with pytest.raises(InputError) as e:
        load(ADDITIONAL.replace('    leakage_source: "Local evaluation 2014, table 3 (residents '
                                'outside the borough)"\n', ""))  # fmt: skip
    (p,) = e.value.problems
    assert p.column == "outcomes[0].leakage_source" and "source" in p.message
    assert p.row == 14  # the leakage line


# -- optimism bias: separate grades ----------------------------------------------------

GRADES = """
appraisal: {name: Grades, price_year: 2015/16, start_year: 2015/16, years: 1,
            discount_rate: 0.035}
costs:
  - {description: Team, agency: Council, type: revenue, confidence: 2, amounts: [5000]}
outcomes:
  - {description: Visits, value: 1000, value_type: fiscal, agency: NHS, cohort: [10],
     success: 1, impact_confidence: 3, value_confidence: 5}
"""


def test_separate_grades_combine_multiplicatively() -> None:
    # benefit 10 x £1,000 = £10,000; impact grade 3 (10%), value grade 5 (25%):
    # kept (1 - 0.10) x (1 - 0.25) = 0.675 -> £6,750; costs 5,000 x 1.05 = £5,250
    r = model.compute(load(GRADES))
    j = r.to_json()
    assert j["pv_fiscal"] == D("6750.00") and j["pv_costs"] == D("5250.00")
    assert r.lines[1].bias == D("0.325")


def test_one_grade_and_two_grades_cannot_be_mixed() -> None:
    with pytest.raises(InputError, match="either confidence or impact_confidence"):
        load(GRADES.replace("success: 1,", "success: 1, confidence: 2,"))
    with pytest.raises(InputError, match="'value_confidence' is missing"):
        load(GRADES.replace(", value_confidence: 5", ""))


def test_sensitivity_on_the_grades() -> None:
    # net present public value now: 6,750 - 5,250 = 1,500. One grade firmer / less firm:
    # impact 2 (5%): 10,000 x 0.95 x 0.75 = 7,125 -> 1,875; impact 4 (15%): 6,375 -> 1,125
    # value 4 (15%): 10,000 x 0.9 x 0.85 = 7,650 -> 2,400; value 6 (40%): 5,400 -> 150
    # cost 1 (0%): 6,750 - 5,000 = 1,750; cost 3 (10%): 6,750 - 5,500 = 1,250
    # every grade: 10,000 x 0.95 x 0.85 - 5,000 = 3,075; 10,000 x 0.85 x 0.6 - 5,500 = -400
    rows = {g.label: g for g in sens.grades(load(GRADES))}
    want = {
        "Team: cost confidence grade": (2, 1, 3, "1750", "1250"),
        "Visits: impact confidence grade": (3, 2, 4, "1875", "1125"),
        "Visits: value confidence grade": (5, 4, 6, "2400", "150"),
        "Every grade at once": (None, None, None, "3075", "-400"),
    }
    assert set(rows) == set(want)
    for label, (g, b, w, better, worse) in want.items():
        row = rows[label]
        assert (row.grade, row.better, row.worse) == (g, b, w), label
        assert (row.npv_public_better, row.npv_public_worse) == (D(better), D(worse)), label


def test_grades_at_the_ends_of_the_table_stay_put() -> None:
    text = GRADES.replace("impact_confidence: 3", "impact_confidence: 1")
    row = next(g for g in sens.grades(load(text)) if "impact" in g.label)
    # impact grade 1 cannot be firmer: that side is today's figure, 10,000 x 0.75 - 5,250
    assert row.better is None and row.npv_public_better == D(2250)


def test_grades_and_additionality_in_the_simulation_and_the_xlsx_template(tmp_path: Path) -> None:
    from wholeplace.cba.montecarlo import simulate

    for text, fiscal in ((ADDITIONAL, D("7560.00")), (GRADES, D("6750.00"))):
        appraisal = load(text)
        sim = simulate(appraisal, draws=10, seed=1)
        assert sim.outputs["pv_fiscal"][0] == pytest.approx(float(fiscal))
        out = tmp_path / "t.xlsx"
        model.write_template(appraisal, out)
        back = model.load_appraisal(out)
        assert back.outcomes[0].grades() == appraisal.outcomes[0].grades()
        assert back.outcomes[0].sources == appraisal.outcomes[0].sources
        assert model.compute(back).to_json()["pv_fiscal"] == fiscal


# -- the Green Book's declining rate ---------------------------------------------------


def long_appraisal(rate: str) -> str:
    amounts = [0] * 33
    amounts[30] = amounts[31] = 1000
    line = "" if not rate else f", discount_rate: {rate}"
    return (
        "appraisal: {name: L, price_year: 2015/16, start_year: 2015/16, years: 33" + line + "}\n"
        "costs:\n  - {description: c, agency: Council, type: capital, confidence: 1, "
        f"amounts: {amounts}}}\n"
    )


def test_without_a_rate_an_appraisal_uses_the_green_book_schedule() -> None:
    # year 30: 1 / 1.035^30; year 31: 1 / (1.035^30 x 1.03), the 3.0% band from year 31
    y30 = 1 / F("1.035") ** 30
    y31 = y30 / F("1.03")
    j = model.compute(model.loads_appraisal(long_appraisal(""))).to_json()
    assert j["discount"]["name"] == "green_book"
    assert j["by_year"][30]["discount_factor"] == D("0.356278")
    assert j["by_year"][31]["discount_factor"] == D("0.345901")
    assert penny(1000 * y30 + 1000 * y31) == j["pv_costs"] == D("702.18")
    assert j["warnings"] == []
    # a flat rate is honoured, but the result says it departs from the Green Book after 30
    flat = model.compute(model.loads_appraisal(long_appraisal("0.035"))).to_json()
    assert penny(1000 * y30 + 1000 * y30 / F("1.035")) == flat["pv_costs"] == D("700.51")
    assert len(flat["warnings"]) == 1 and "green_book" in flat["warnings"][0]


def test_green_book_parameter_matches_the_published_table_8(reference: Path) -> None:
    text = (reference / "appraisal-green-book-cba" / "EXCERPTS.md").read_text(encoding="utf-8")

    def row(name: str) -> list[str]:
        m = re.search(rf"^> {re.escape(name)} \| (.+)$", text, re.M)
        assert m, name
        return [c.strip() for c in m.group(1).split("|")]

    years = row("Year")
    assert years == ["0 - 30", "31 - 75", "76 - 125"]
    starts = [int(y.split(" - ")[0]) for y in years]
    for name, param in (("STPR (standard)", "green_book"), ("Health", "green_book_health")):
        rates = [D(x.rstrip("%")) / 100 for x in row(name)]
        assert defaults().schedules[param].bands == tuple(zip(starts, rates, strict=True)), name


# -- break-even ------------------------------------------------------------------------


def test_break_even_above_100_percent_is_unreachable() -> None:
    # costs £181, benefits 1 x 1.0 x £100 = £100: break-even needs every success rate x 1.81,
    # and this one is already 100%: it would need 181%
    text = """
    appraisal: {name: B, price_year: 2015/16, start_year: 2015/16, years: 1, discount_rate: 0}
    costs:
      - {description: c, agency: Council, type: revenue, confidence: 1, amounts: [181]}
    outcomes:
      - {description: Visits, value: 100, value_type: fiscal, agency: NHS, cohort: [1],
         success: 1, confidence: 1}
    """
    rows = sens.break_even(load(text))
    every = rows[0]
    assert every.value == D("1.81") and not every.reachable
    assert "Visits would need a success rate of 181%" in every.because
    line = rows[1]
    assert line.value == D("1.81") and not line.reachable and "181%" in line.because


# -- point estimate beside the simulation ----------------------------------------------


def test_simulate_reports_the_point_estimate_beside_the_mean(tmp_path: Path) -> None:
    res = runner.invoke(app, ["cba", "simulate", str(EXAMPLE), "--json", "-w", str(tmp_path)])
    assert res.exit_code == 0, res.output
    sim = json.loads(res.stdout)
    run = json.loads(
        runner.invoke(app, ["cba", "run", str(EXAMPLE), "--json", "-w", str(tmp_path)]).stdout
    )
    assert sim["seed"] == 2015 and sim["draws"] == 10_000  # the report's, by default
    assert sim["point_estimate"]["pv_costs"] == run["pv_costs"] == "635537.63"
    assert "mode of a triangular" in sim["method"]["point_estimate"]
    key_worker = next(c for c in sim["centres"] if c["input"].startswith("costs[0]"))
    # triangular(0.9, 1.0, 1.3): cba run uses 1, the draws average (0.9 + 1 + 1.3) / 3
    assert key_worker["point_estimate_uses"] == "1.0000"
    assert key_worker["simulation_mean"] == "1.0667"
    # The 6%: the key worker line's PV is 180,000 x 1.05 x (1 + 1/1.035 + 1/1.035^2) =
    # 548,042.22; its mean multiplier adds 1/15 of it, 36,536.15, to 635,537.63: 672,073.78
    # (5.7% more). The draws' standard error on that mean is about 466 (sd of the multiplier
    # sqrt(0.13/18) = 0.0850 x 548,042.22 / sqrt(10,000)); allow four.
    line = 189000 * (1 + 1 / F("1.035") + 1 / F("1.035") ** 2)
    assert penny(line) == D("548042.22")
    expected = F(run["pv_costs"]) + line / 15
    assert penny(expected) == D("672073.78")
    assert abs(F(str(sim["outputs"]["pv_costs"]["mean"])) - expected) < 4 * 466


class _Cells(HTMLParser):
    """The text of every cell of the table with id="simulation"."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in = self._cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", "simulation") in attrs:
            self._in = True
        elif self._in and tag == "tr":
            self.rows.append([])
        elif self._in and tag in ("td", "th"):
            self._cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in = False
        elif tag in ("td", "th"):
            self._cell = False

    def handle_data(self, data: str) -> None:
        if self._in and self._cell:
            self.rows[-1][-1] += data.strip()


def _shown(name: str, v: object) -> str:
    """How the report writes a figure, worked out here from the JSON value."""
    if name.endswith("roi"):
        return f"{float(str(v)):.2f}"
    d = D(str(v))
    return f"{'-' if d < 0 else ''}£{abs(d):,.2f}"


def test_report_simulation_is_the_command_line_simulation(tmp_path: Path) -> None:
    args = ["--draws", "3000", "--seed", "11", "-w", str(tmp_path)]
    page = tmp_path / "r.html"
    res = runner.invoke(app, ["cba", "run", str(EXAMPLE), "--out", str(page), *args])
    assert res.exit_code == 0, res.output
    sim = json.loads(runner.invoke(app, ["cba", "simulate", str(EXAMPLE), "--json", *args]).stdout)
    cells = _Cells()
    html = page.read_text(encoding="utf-8")
    cells.feed(html)
    head, *rows = cells.rows
    assert head == ["Output", "Point estimate", "Simulation mean", "P5", "P50", "P95"]
    assert [r[0] for r in rows] == list(sim["point_estimate"])
    for name, point, *figures in rows:
        stats = sim["outputs"][name]
        assert point == _shown(name, sim["point_estimate"][name]), name
        assert figures == [_shown(name, stats[k]) for k in ("mean", "p5", "p50", "p95")], name
    assert f"{sim['prob_financial_roi_above_1']:.1%}" in html
    assert "3,000 draws, seed 11" in html and "--draws 3000 --seed 11" in html
