"""The parts of the appraisal's result that the exact appraisal of ``test_cba_exact.py`` does not
reach (issue 17, mutation4): each line's steps from gross to net outcomes with their labels and
sources, the grades that set each line's optimism bias, the lines "Multiple" holds, how a
schedule of rates is written for machines, and the warning for a long flat rate. Every
expected figure and text is worked by hand below.
"""

from __future__ import annotations

from decimal import Decimal

from wholeplace.cba import model
from wholeplace.cba.unitcosts import curated_book

D = Decimal

# Optimism bias by grade: 0, 10 %, 20 %, ... so grade 2 is 10 % and grade 1 is nothing.
TEXT = """
appraisal:
  name: Detail
  price_year: 2015/16
  start_year: 2015/16
  years: 3
  discount_rate: 0
  optimism_bias: [0, 0.1, 0.2, 0.3, 0.4, 0.5]
costs:
  - {description: Council team, agency: Council, type: revenue, confidence: 2,
     amounts: [100, 0, 0]}
outcomes:
  - {description: Fewer crimes, value: 100, value_type: fiscal, agency: Multiple,
     cohort: [10, 0, 0], engagement: 0.5, success: 0.8,
     leakage: 0.1, leakage_source: Survey, displacement: 0, deadweight: 0,
     attribution: 0.25, attribution_source: Partners' estimate,
     impact_confidence: 1, value_confidence: 2}
  - {description: Less court time, value: 10, value_type: fiscal, agency: Multiple,
     cohort: [0, 2, 0], success: 1, deadweight: 0.5, deadweight_source: Evaluation,
     confidence: 1}
"""


def _result(text: str = TEXT) -> model.Result:
    return model.compute(model.loads_appraisal(text, "detail.yaml", curated_book()))


def test_each_outcome_lines_steps_are_labelled_with_their_share_and_source() -> None:
    crimes = _result().lines[1]
    # cohort 10 x engagement 0.5 x success 0.8 = 4 gross; x (1 - 0.1) = 3.6 after leakage;
    # displacement and substitution are 0 and left out; deadweight 0 is still shown (3.6);
    # x (1 - 0.25) = 2.7 after attribution, the net outcomes.
    assert crimes.outcome_steps == [
        ("gross outcomes (cohort x engagement x success)", [D(4), D(0), D(0)]),
        ("after leakage (x (1 - 0.1)); source: Survey", [D("3.6"), D(0), D(0)]),
        ("after deadweight (x (1 - 0))", [D("3.6"), D(0), D(0)]),
        ("after attribution (x (1 - 0.25)); source: Partners' estimate", [D("2.7"), D(0), D(0)]),
    ]
    assert crimes.net_outcomes == [D("2.7"), D(0), D(0)]
    court = _result().lines[2]
    # 2 x 1 x 1 = 2 gross in year 2; deadweight half: 1.
    assert court.outcome_steps == [
        ("gross outcomes (cohort x engagement x success)", [D(0), D(2), D(0)]),
        ("after deadweight (x (1 - 0.5)); source: Evaluation", [D(0), D(1), D(0)]),
    ]


def test_each_line_names_the_grades_that_set_its_optimism_bias() -> None:
    cost, crimes, court = _result().lines
    assert cost.grades == {"confidence": 2}
    assert cost.bias == D("0.1")  # grade 2
    assert crimes.grades == {"impact_confidence": 1, "value_confidence": 2}
    # kept (1 - 0) x (1 - 0.1) = 0.9, so the bias is 0.1: 2.7 x 100 x 0.9 = 243
    assert crimes.bias == D("0.1")
    assert crimes.adjusted == [D(243), D(0), D(0)]
    assert court.grades == {"confidence": 1}
    assert court.bias == D(0)


def test_multiple_lists_the_lines_to_attribute_and_named_agencies_do_not() -> None:
    by_agency = _result().to_json()["by_agency"]
    assert list(by_agency) == ["Council", "Multiple"]
    assert by_agency["Multiple"]["lines_to_attribute"] == ["Fewer crimes", "Less court time"]
    assert by_agency["Multiple"]["outcome_lines"] == ["Fewer crimes", "Less court time"]
    # 243 + 1 x 10 = 253 held by no one
    assert by_agency["Multiple"]["pv_fiscal"] == D("253.00")
    assert "lines_to_attribute" not in by_agency["Council"]


def test_a_schedule_of_rates_is_written_band_by_band() -> None:
    text = TEXT.replace("discount_rate: 0\n", "discount_rate: green_book\n")
    # The Green Book's schedule (parameters/discount_rate/green_book.yaml): 3.5 % from year 0,
    # 3.0 % from year 31, 2.5 % from year 76.
    assert _result(text).to_json()["discount"] == {
        "name": "green_book",
        "bands": [
            {"from_year": 0, "rate": D("0.035")},
            {"from_year": 31, "rate": D("0.030")},
            {"from_year": 76, "rate": D("0.025")},
        ],
    }


def _years(n: int) -> str:
    zeros = ", ".join(["0"] * (n - 1))
    return f"""
appraisal: {{name: Long, price_year: 2015/16, start_year: 2015/16, years: {n},
  discount_rate: 0.035}}
costs: [{{description: C, agency: Council, type: revenue, confidence: 1,
  amounts: [100, {zeros}]}}]
outcomes:
  - {{description: O, value: 1, value_type: fiscal, agency: NHS, cohort: [1, {zeros}],
     success: 1, confidence: 1}}
"""


def test_a_flat_rate_over_more_than_31_years_is_warned_about() -> None:
    # Years 0..30 are 31 years, all at the Green Book's first rate: no warning.
    assert _result(_years(31)).to_json()["warnings"] == []
    assert _result(_years(32)).to_json()["warnings"] == [
        "the appraisal runs 32 years at a flat 3.50%; the Green Book's rate declines after "
        "year 30 (3.0% from year 31, 2.5% from year 76): write discount_rate: green_book "
        "(or leave it out) to use the declining schedule"
    ]
    # a schedule declines by itself: no warning however long
    long = _years(32).replace("discount_rate: 0.035", "discount_rate: green_book")
    assert _result(long).to_json()["warnings"] == []
