"""Units and double counting (issue 10): an outcome line states what one outcome is worth
(``per``); a weekly unit cost becomes annual only at the stated factor; a headline code and its
own constituents are not counted twice for the same cohort."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest

from wholeplace.cba import model
from wholeplace.cba.unitcost_use import WEEKS_PER_YEAR, conversion, unit_period
from wholeplace.cba.unitcosts import curated_book
from wholeplace.errors import InputError

D = Decimal


def _line(code: str, year: str, per: str | None, extra: str = "") -> str:
    per_part = "" if per is None else f"per: {per}, "
    return textwrap.dedent(
        f"""
        appraisal: {{name: T, price_year: "{year}", start_year: "{year}", years: 1,
                     discount_rate: 0}}
        outcomes:
          - {{description: O, unit_cost: "{code}", {per_part}cohort: [1], success: 1,
             confidence: 1{extra}}}
        """
    )


def _load(text: str) -> model.Appraisal:
    return model.loads_appraisal(text, "u.yaml", curated_book())


def test_unit_periods_read_from_the_workbook_units() -> None:
    assert unit_period("Per claimant per year") == "year"
    assert unit_period("Per client per week") == "week"
    assert unit_period("Per week") == "week"
    assert unit_period("Per incident") == "incident"
    assert unit_period("Per bed day") == "bed day"
    assert unit_period("Each") == "each"
    assert conversion("Per week", "year").factor == 52  # type: ignore[union-attr]
    assert conversion("Per month", "year").factor == 12  # type: ignore[union-attr]
    assert conversion("Per hour", "year") is None
    assert conversion("Per year", "week") is None


def test_a_line_using_a_unit_cost_must_state_its_period() -> None:
    """E&E1.3 (JSA, 25 or over) is £72.40 per week: without per it used to be taken as the
    value of one outcome whatever the appraisal's years meant."""
    with pytest.raises(InputError) as exc:
        _load(_line("E&E1.3", "2014/15", None))
    (p,) = exc.value.problems
    assert p.column == "outcomes[0].per"
    assert "'Per week'" in p.message
    assert "per: week" in p.fix and "per: year" in p.fix and "52" in p.fix


def test_weekly_to_annual_at_52_weeks_never_silently() -> None:
    week = _load(_line("E&E1.3", "2014/15", "week"))
    year = _load(_line("E&E1.3", "2014/15", "year"))
    assert week.outcomes[0].components[0].unit_value == D("72.40")
    # 72.40 x 52 = 3,764.80: the Unit Cost Database's own factor (SS1.1.4 "£5.40 x 52" ...)
    assert year.outcomes[0].components[0].unit_value == D("3764.80")
    assert WEEKS_PER_YEAR == 52
    assert "x 52" in year.outcomes[0].components[0].source
    assert model.compute(year).pv["fiscal"] == D("3764.80")


def test_monthly_to_annual_and_refusals_with_the_fix() -> None:
    # CR3.1, prison custody: £2,367 per month (2008/09): x 12 = 28,404
    year = _load(_line("CR3.1", "2008/09", "year"))
    assert year.outcomes[0].components[0].unit_value == D("28404.00")
    with pytest.raises(InputError) as exc:
        _load(_line("SS11.2", "2013/14", "year"))  # home care, per hour: no stated factor
    (p,) = exc.value.problems
    assert p.column == "outcomes[0].per" and p.value == "year"
    assert "per: hour" in p.fix and "value:" in p.fix
    with pytest.raises(InputError) as exc:
        _load(_line("E&E1.3", "2014/15", "incident"))
    assert "per: week" in exc.value.problems[0].fix
    hour = _load(_line("SS11.2", "2013/14", "hour"))
    assert sum(c.unit_value for c in hour.outcomes[0].components) == D("37.00")  # 24.67 + 12.33


DOUBLE = """
appraisal: {name: T, price_year: 2012/13, start_year: 2012/13, years: 2, discount_rate: 0}
outcomes:
  - {description: Into work (all values), unit_cost: "E&E1.0", per: year, cohort: [10, 0],
     success: 0.5, confidence: 1HEAD}
  - {description: Benefits saved, unit_cost: "E&E1.0.1", per: year, cohort: [10, C],
     success: 0.5, confidence: 1}
"""


def test_a_headline_and_its_constituent_for_the_same_cohort_is_an_error() -> None:
    with pytest.raises(InputError) as exc:
        _load(DOUBLE.replace("HEAD", "").replace("C]", "0]"))
    (p,) = exc.value.problems
    assert p.column == "outcomes[1].unit_cost" and p.value == "E&E1.0 and E&E1.0.1"
    assert "E&E1.0 (outcomes[0], 'Into work (all values)')" in p.message
    assert "E&E1.0.1 (outcomes[1], 'Benefits saved')" in p.message
    assert "fiscal value is counted twice" in p.message
    # each counting a different value (the shipped example's way): no overlap
    _load(DOUBLE.replace("HEAD", ", value_type: economic").replace("C]", "0]"))
    # a different cohort: different people
    _load(DOUBLE.replace("HEAD", "").replace("C]", "5]"))
