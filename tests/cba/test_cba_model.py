"""The appraisal model: each adjustment, discounting, transfers, payback, the agency matrix."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wholeplace.cba import model
from wholeplace.cba.unitcosts import curated_book
from wholeplace.errors import InputError

D = Decimal
TOL = D("1e-20")
EXAMPLE = Path(model.__file__).parent.parent / "data" / "cba" / "example_appraisal.yaml"
JSON_KEYS = {
    "pv_costs",
    "pv_fiscal",
    "pv_fiscal_cashable",
    "pv_economic",
    "pv_social",
    "net_present_budget_impact",
    "net_present_public_value",
    "financial_roi",
    "public_value_roi",
    "payback_year",
    "payback_year_undiscounted",
    "discount",
    "by_agency",
    "by_year",
    "warnings",
}


def independent_uprate(amount: int, frm: str, to: str) -> Decimal:
    """Chain the shipped deflator CSV with exact fractions, apart from the model's code."""
    import csv
    from decimal import ROUND_HALF_UP
    from fractions import Fraction

    rows = list(csv.DictReader((EXAMPLE.parent / "gdp_deflators.csv").open()))
    idx, prev = {}, None
    for r in rows:
        prev = Fraction(100) if prev is None else prev * (1 + Fraction(r["pct_change"]) / 100)
        idx[r["year"]] = prev
    x = Fraction(amount) * idx[to] / idx[frm]
    return (D(x.numerator) / D(x.denominator)).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def write(tmp_path: Path, text: str, name: str = "a.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def run(tmp_path: Path, text: str) -> model.Result:
    return model.compute(model.load_appraisal(write(tmp_path, text), curated_book()))


SIMPLE = """
appraisal: {name: T, price_year: 2015/16, start_year: 2015/16, years: 3, discount_rate: 0.1}
costs:
  - {description: C, agency: Council, type: revenue, confidence: 1, amounts: [1200, 1100, 0]}
outcomes:
  - {description: O, value: 100, value_type: fiscal, agency: NHS, cohort: [10, 0, 0],
     engagement: 1, success: 1, deadweight: 0, persistence: [1, 1, 1], confidence: 1}
"""


def test_discounting_year_zero_undiscounted(tmp_path: Path) -> None:
    r = run(tmp_path, SIMPLE)
    # costs 1200 + 1100/1.1 = 2200; benefits 1000 + 1000/1.1 + 1000/1.21
    assert r.pv["costs"] == D(2200)
    j = r.to_json()
    assert j["pv_costs"] == D("2200.00")
    assert j["pv_fiscal"] == D("2735.54")  # 1000 + 909.0909.. + 826.4462..
    assert [y["discount_factor"] for y in j["by_year"]] == [D("1"), D("0.909091"), D("0.826446")]
    # cumulative: 1000 < 1200, 1909.09 < 2200, 2735.54 >= 2200
    assert j["by_year"][1]["cumulative_pv_fiscal"] == D("1909.09")
    assert j["by_year"][1]["cumulative_pv_costs"] == D("2200.00")
    assert j["payback_year"] == "2017/18"


def test_payback_rule_and_none(tmp_path: Path) -> None:
    # Payback is the first year cumulative PV fiscal >= cumulative PV costs.
    r = run(tmp_path, SIMPLE)
    cum_c = cum_f = D(0)
    expected = None
    for y in r.years:
        cum_c += y.pv("costs")
        cum_f += y.pv("fiscal")
        if expected is None and cum_f >= cum_c:
            expected = y.year
    assert r.to_json()["payback_year"] == expected == "2017/18"
    never = run(tmp_path, SIMPLE.replace("amounts: [1200, 1100, 0]", "amounts: [9000, 0, 0]"))
    assert never.to_json()["payback_year"] is None


def test_payback_year_expected_value(tmp_path: Path) -> None:
    # year 0: 1000 vs 1000 costs -> paid back at once when benefits match costs
    r = run(tmp_path, SIMPLE.replace("amounts: [1200, 1100, 0]", "amounts: [1000, 0, 0]"))
    assert r.to_json()["payback_year"] == "2015/16"


@pytest.mark.parametrize(
    "grade,bias", [(1, "0"), (2, "0.05"), (3, "0.10"), (4, "0.15"), (5, "0.25"), (6, "0.40")]
)
def test_optimism_bias_grades(tmp_path: Path, grade: int, bias: str) -> None:
    text = SIMPLE.replace("confidence: 1, amounts", f"confidence: {grade}, amounts").replace(
        "persistence: [1, 1, 1], confidence: 1", f"persistence: [1, 1, 1], confidence: {grade}"
    )
    r = run(tmp_path, text)
    b = D(bias)
    assert r.pv["costs"] == D(2200) * (1 + b)
    base = D(1000) + D(1000) / D("1.1") + D(1000) / D("1.21")
    assert abs(r.pv["fiscal"] - base * (1 - b)) < TOL


def test_optimism_bias_is_configurable(tmp_path: Path) -> None:
    text = SIMPLE.replace(
        "discount_rate: 0.1}", "discount_rate: 0.1,\n  optimism_bias: [0.5, 0, 0, 0, 0, 0]}"
    ).replace("appraisal: {", "appraisal: {\n  ")
    r = run(tmp_path, text)
    assert r.pv["costs"] == D(3300)
    assert abs(r.pv["fiscal"] - (D(1000) + D(1000) / D("1.1") + D(1000) / D("1.21")) / 2) < TOL


def test_net_outcomes_persistence_and_horizon(tmp_path: Path) -> None:
    text = """
    appraisal: {name: T, price_year: 2015/16, start_year: 2015/16, years: 3, discount_rate: 0}
    costs: []
    outcomes:
      - {description: O, value: 1000, value_type: social, cohort: [100, 50, 40],
         engagement: 0.5, success: 0.4, deadweight: 0.25, persistence: [1, 0.5, 0.25],
         confidence: 1}
    """
    r = run(tmp_path, text)
    # net outcomes = cohort x 0.5 x 0.4 x 0.75 = cohort x 0.15: 15, 7.5, 6
    assert r.lines[0].net_outcomes == [D("15.00"), D("7.50"), D("6.00")]
    # year 0: 15; year 1: 15 x .5 + 7.5; year 2: 15 x .25 + 7.5 x .5 + 6 (later years dropped)
    assert [y.social for y in r.years] == [D(15000), D(15000), D(13500)]
    assert r.pv["social"] == D(43500)
    assert r.pv["fiscal"] == 0 and r.by_agency == {}


def test_unit_cost_uprated_to_price_year_and_all_kinds_counted(tmp_path: Path) -> None:
    text = """
    appraisal: {name: T, price_year: 2015/16, start_year: 2015/16, years: 1, discount_rate: 0.035,
                deflators: ucd-v1.4}
    outcomes:
      - {description: Homicide avoided, unit_cost: CR8.0, per: incident, cohort: [1], success: 1,
         confidence: 1}
    """
    r = run(tmp_path, text)
    # CR8.0: fiscal 609, economic 676, social 1648 in 2010/11 prices; deflator index
    # 2010/11 = 179.9069, 2015/16 = 195.9697: factor 1.089283
    comps = {
        c.value_type: c.unit_value
        for c in model.load_appraisal(write(tmp_path, text), curated_book()).outcomes[0].components
    }
    assert comps == {"fiscal": D("663.37"), "economic": D("736.36"), "social": D("1795.14")}
    for kind, base in (("fiscal", 609), ("economic", 676), ("social", 1648)):
        assert comps[kind] == independent_uprate(base, "2010/11", "2015/16")
    assert r.pv["fiscal"] == D("663.37") and r.pv["economic"] == D("736.36")
    assert r.pv["social"] == D("1795.14")
    assert list(r.by_agency) == ["Multiple"]  # the entry's own agency, unless overridden


def test_value_type_limits_a_unit_cost(tmp_path: Path) -> None:
    text = """
    appraisal: {name: T, price_year: 2015/16, start_year: 2015/16, years: 1, discount_rate: 0,
                deflators: ucd-v1.4}
    outcomes:
      - {description: O, unit_cost: CR8.0, per: incident, value_type: economic, cohort: [1],
         success: 1,
         confidence: 1}
    """
    r = run(tmp_path, text)
    assert r.pv["fiscal"] == 0 and r.pv["economic"] == D("736.36") and r.pv["social"] == 0


def test_transfers_in_fiscal_case_not_public_value(tmp_path: Path) -> None:
    base = """
    appraisal: {name: T, price_year: 2015/16, start_year: 2015/16, years: 1, discount_rate: 0}
    costs:
      - {description: C, agency: Council, type: revenue, confidence: 1, amounts: [500]}
    outcomes:
      - {description: Benefits saved, value: 1000, value_type: fiscal, agency: DWP,
         cohort: [1], success: 1, confidence: 1, transfer: TRANSFER}
      - {description: Output, value: 300, value_type: economic, cohort: [1], success: 1,
         confidence: 1}
    """
    with_t = run(tmp_path, base.replace("TRANSFER", "true")).to_json()
    without = run(tmp_path, base.replace("TRANSFER", "false")).to_json()
    assert with_t["pv_fiscal"] == without["pv_fiscal"] == D("1000.00")
    assert with_t["net_present_budget_impact"] == D("500.00")
    assert with_t["net_present_public_value"] == D("-200.00")  # 300 - 500
    assert without["net_present_public_value"] == D("800.00")  # 1000 + 300 - 500
    assert with_t["financial_roi"] == D("2.00") and with_t["public_value_roi"] == D("0.60")


def test_cashable_share(tmp_path: Path) -> None:
    r = run(tmp_path, SIMPLE.replace("confidence: 1}", "confidence: 1, cashable: 0.25}"))
    assert abs(r.pv["fiscal_cashable"] - r.pv["fiscal"] / 4) < TOL
    assert r.by_agency["NHS"]["pv_fiscal_cashable"] == r.pv["fiscal_cashable"]


def test_agency_matrix(tmp_path: Path) -> None:
    r = model.compute(model.load_appraisal(EXAMPLE, curated_book()))
    j = r.to_json()
    rows = r.by_agency
    assert set(rows) == {"DWP", "Local Authority", "NHS", "Police"}
    total_costs = sum((a["pv_costs"] for a in rows.values()), D(0))
    total_fiscal = sum((a["pv_fiscal"] for a in rows.values()), D(0))
    assert abs(total_costs - r.pv["costs"]) < TOL
    assert abs(total_fiscal - r.pv["fiscal"]) < TOL
    for a in rows.values():
        assert abs(a["net_position"] - (a["pv_fiscal"] - a["pv_costs"])) < TOL
    # the council pays most and gains less: the reason for gain-share
    assert j["by_agency"]["Local Authority"]["net_position"] < 0
    assert j["by_agency"]["DWP"]["net_position"] > 0


def test_json_keys_exact_and_money_as_decimal(tmp_path: Path) -> None:
    j = model.compute(model.load_appraisal(EXAMPLE, curated_book())).to_json()
    assert set(j) == JSON_KEYS
    not_money = {"payback_year", "payback_year_undiscounted", "discount", "warnings"}
    for k in JSON_KEYS - not_money - {"by_agency", "by_year"}:
        assert isinstance(j[k], Decimal) and j[k] == j[k].quantize(D("0.01"))
    assert len(j["by_year"]) == 5 and j["by_year"][0]["year"] == "2015/16"


ZERO_SUCCESS = """
appraisal: {name: T, price_year: 2015/16, start_year: 2015/16, years: 4, discount_rate: 0.035}
costs:
  - {description: C, agency: LA, type: capital, confidence: 3, amounts: [1000, 0, 0, 0]}
outcomes:
  - {description: A, unit_cost: "E&E1.0", per: year, cohort: [C0, C1, 0, 0], engagement: 0.7,
     success: S, deadweight: 0.1, persistence: [1, 0.5], confidence: 2, cashable: 0.3}
  - {description: B, value: 250, value_type: social, cohort: [C1, C0, 0, 0], success: S,
     confidence: 4}
"""


def _app(c0: int, c1: int, s: str) -> model.Appraisal:
    text = ZERO_SUCCESS.replace("C0", str(c0)).replace("C1", str(c1)).replace("S,", f"{s},")
    return model.loads_appraisal(text, "p.yaml", curated_book())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    c0=st.integers(0, 5000),
    c1=st.integers(0, 5000),
    k=st.integers(1, 50),
    s=st.sampled_from(["0.05", "0.25", "0.5", "1"]),
)
def test_outputs_scale_linearly_with_cohort(c0: int, c1: int, k: int, s: str) -> None:
    app = _app(c0, c1, s)
    r1 = model.compute(app)
    rk = model.compute(model.scale_cohorts(app, D(k)))
    for key in ("fiscal", "fiscal_cashable", "economic", "social", "transfers"):
        assert abs(rk.pv[key] - k * r1.pv[key]) <= D("1e-24") * max(1, abs(rk.pv[key]))
    assert rk.pv["costs"] == r1.pv["costs"]  # costs do not depend on the cohort
    for a, row in r1.by_agency.items():
        got, want = rk.by_agency[a]["pv_fiscal"], k * row["pv_fiscal"]
        assert abs(got - want) <= D("1e-24") * max(1, abs(want))


@settings(max_examples=25, deadline=None)
@given(c0=st.integers(0, 100000), c1=st.integers(0, 100000))
def test_zero_success_has_zero_benefits(c0: int, c1: int) -> None:
    r = model.compute(_app(c0, c1, "0"))
    j = r.to_json()
    for key in ("pv_fiscal", "pv_fiscal_cashable", "pv_economic", "pv_social"):
        assert j[key] == 0
    assert j["net_present_budget_impact"] == -j["pv_costs"]
    assert j["financial_roi"] == 0 and j["payback_year"] is None


def test_bad_yaml_lists_every_problem_with_line_and_fix(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
        appraisal:
          name: Bad
          price_year: 2015-17
          start_year: 2015/16
          years: 3
          discount_rate: 0.035
        costs:
          - description: Team
            agency: LA
            type: running
            confidence: 7
            amounts: [1, 2]
        outcomes:
          - description: Work
            unit_cost: ZZ9.9
            cohort: [1, 2, 3]
            success: 1.4
            confidence: 3
          - description: No value
            cohort: [1, 2, 3]
            success: 0.5
            confidence: 2
        """,
        "bad.yaml",
    )
    with pytest.raises(InputError) as exc:
        model.load_appraisal(p, curated_book())
    got = {(pr.row, pr.column) for pr in exc.value.problems}
    assert got == {
        (3, "appraisal.price_year"),
        (10, "costs[0].type"),
        (11, "costs[0].confidence"),
        (12, "costs[0].amounts"),
        (15, "outcomes[0].unit_cost"),
        (17, "outcomes[0].success"),
        (19, "outcomes[1].unit_cost"),
    }
    for pr in exc.value.problems:
        assert pr.file == "bad.yaml" and pr.fix and pr.message
    text = str(exc.value)
    assert "bad.yaml, row 17, column 'outcomes[0].success': must be between 0 and 1" in text
    assert "found '1.4'" in text and "Fix: give the success rate" in text


def test_unparseable_yaml_says_where(tmp_path: Path) -> None:
    p = write(tmp_path, "appraisal: {name: x\ncosts: [\n", "broken.yaml")
    with pytest.raises(InputError, match="not valid YAML") as exc:
        model.load_appraisal(p)
    assert exc.value.problems[0].row is not None


def test_xlsx_template_round_trip(tmp_path: Path) -> None:
    app = model.load_appraisal(EXAMPLE, curated_book())
    out = tmp_path / "t.xlsx"
    model.write_template(app, out)
    back = model.load_appraisal(out, curated_book())
    assert model.compute(back).to_json() == model.compute(app).to_json()


def test_xlsx_bad_rows_name_sheet_and_row(tmp_path: Path) -> None:
    import openpyxl

    app = model.load_appraisal(EXAMPLE, curated_book())
    out = tmp_path / "t.xlsx"
    model.write_template(app, out)
    wb = openpyxl.load_workbook(out)
    wb["Outcomes"]["I3"] = "lots"  # success of the second outcome
    wb["Costs"]["D2"] = 9  # confidence of the first cost
    wb.save(out)
    with pytest.raises(InputError) as exc:
        model.load_appraisal(out, curated_book())
    where = {(p.sheet, p.row, p.column) for p in exc.value.problems}
    assert where == {("Outcomes", 3, "outcomes[1].success"), ("Costs", 2, "costs[0].confidence")}


def test_xlsx_without_the_template_sheets_says_how_to_start(tmp_path: Path) -> None:
    import openpyxl

    p = tmp_path / "mine.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Costs"
    wb.save(p)
    with pytest.raises(InputError) as exc:
        model.load_appraisal(p)
    pr = exc.value.problems[0]
    assert "Appraisal, Outcomes" in pr.message and "cba template" in pr.fix


def test_unknown_sections_and_bad_bias_table_are_reported(tmp_path: Path) -> None:
    text = """
appraisal:
  name: T
  price_year: 2015/16
  start_year: 2015/16
  years: 1
  discount_rate: 0.035
  optimism_bias: [0, 0.05, 1.5, 0.15, 0.25, 0.4]
benefits: []
outcomes:
  - {description: O, value: 10, agency: NHS, cohort: [1], success: 1, confidence: 1}
"""
    with pytest.raises(InputError) as exc:
        model.loads_appraisal(text, "t.yaml")
    got = {(p.row, p.column) for p in exc.value.problems}
    assert got == {(8, "appraisal.optimism_bias[3]"), (9, "benefits")}
