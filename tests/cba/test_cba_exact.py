"""One small appraisal worked entirely by hand: every present value, every year, every agency's
flows year by year (with their signs), and the lines' steps (issue 17).

The figures use a 25 % discount rate so every factor is exact (1, 0.8, 0.64), and the appraisal
states its own optimism-bias table, so the hand calculation does not depend on the shipped
grades.

    costs     Council, grade 2 (+10 %): 1000, 500, 0   -> 1100, 550, 0    PV 1100 + 440 = 1540
              NHS,     grade 1 (+0 %):  0, 250, 100    -> 0, 250, 100     PV 200 + 64 = 264
    fiscal    NHS 200 a head, cohort 10, 20, 0 x 0.5 engaged x 0.5 success x (1 - 0.2) = 2, 4, 0;
              persistence 1, 0.5: gross 400, 200 + 800, 400 = 400, 1000, 400;
              grade 3 (-20 %): 320, 800, 320; half cashable: 160, 400, 160.
              PV 320 + 640 + 204.8 = 1164.8, cashable 582.4
    transfer  Council 100 a head, 5 people in year 3, all cashable: 0, 0, 500; PV 320
    economic  40 a head, 10 people in year 1, grade 6 (-50 %): 200, 0, 0; PV 200
    social    30 a head, 10 people in year 2: 0, 300, 0; PV 240

    PV costs 1804; PV fiscal 1484.8 (cashable 902.4, transfers 320); public value
    1484.8 - 320 + 200 + 240 = 1604.8; budget impact -319.2; public value net -199.2;
    ROIs 1484.8 / 1804 = 0.823.. -> 0.82 and 1604.8 / 1804 = 0.889.. -> 0.89.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from cba_exact import EXACT_APPRAISAL as TEXT

from wholeplace.cba import model
from wholeplace.cba.unitcosts import curated_book

D = Decimal


@pytest.fixture(scope="module")
def result() -> model.Result:
    return model.compute(model.loads_appraisal(TEXT, "exact.yaml", curated_book()))


def test_present_values(result: model.Result) -> None:
    assert result.pv == {
        "costs": D(1804),
        "fiscal": D("1484.8"),
        "fiscal_cashable": D("902.4"),
        "transfers": D(320),
        "economic": D(200),
        "social": D(240),
    }
    assert result.pv_public_value == D("1604.8")
    assert result.npv_budget == D("-319.2")
    assert result.npv_public == D("-199.2")


def test_headline_json(result: model.Result) -> None:
    j = result.to_json()
    assert {k: j[k] for k in j if k not in ("by_agency", "by_year", "payback_year")} == {
        "pv_costs": D("1804.00"),
        "pv_fiscal": D("1484.80"),
        "pv_fiscal_cashable": D("902.40"),
        "pv_economic": D("200.00"),
        "pv_social": D("240.00"),
        "net_present_budget_impact": D("-319.20"),
        "net_present_public_value": D("-199.20"),
        "financial_roi": D("0.82"),
        "public_value_roi": D("0.89"),
        # undiscounted: fiscal 320 + 800 + 320 + 500 = 1,940 never reaches costs
        # 1,100 + 550 + 250 + 100 = 2,000, so no payback either way
        "payback_year_undiscounted": None,
        "discount": {"name": "flat", "bands": [{"from_year": 0, "rate": D("0.25")}]},
        "warnings": [],
    }


def test_by_agency_with_its_flows_year_by_year(result: model.Result) -> None:
    by_agency = result.to_json()["by_agency"]
    assert list(by_agency) == ["Council", "NHS"]  # sorted by name
    # Costs are positive outflows and benefits positive inflows; the net position is the
    # benefits less the costs, negative for the council that pays most.
    assert by_agency["Council"] == {
        "pv_costs": D("1540.00"),
        "pv_fiscal": D("320.00"),
        "pv_fiscal_cashable": D("320.00"),
        "net_position": D("-1220.00"),
        "by_year": {
            "costs": [D("1100.00"), D("550.00"), D("0.00")],
            "fiscal": [D("0.00"), D("0.00"), D("500.00")],
            "fiscal_cashable": [D("0.00"), D("0.00"), D("500.00")],
        },
        "outcome_lines": ["Benefit paid less"],
    }
    assert by_agency["NHS"] == {
        "pv_costs": D("264.00"),
        "pv_fiscal": D("1164.80"),
        "pv_fiscal_cashable": D("582.40"),
        "net_position": D("900.80"),
        "by_year": {
            "costs": [D("0.00"), D("250.00"), D("100.00")],
            "fiscal": [D("320.00"), D("800.00"), D("320.00")],
            "fiscal_cashable": [D("160.00"), D("400.00"), D("160.00")],
        },
        "outcome_lines": ["Fewer admissions"],
    }


def test_by_year(result: model.Result) -> None:
    rows = result.to_json()["by_year"]
    money = [
        "costs",
        "fiscal",
        "fiscal_cashable",
        "transfers",
        "economic",
        "social",
        "pv_costs",
        "pv_fiscal",
        "pv_economic",
        "pv_social",
        "cumulative_pv_costs",
        "cumulative_pv_fiscal",
    ]
    expected = [
        # costs, fiscal, cashable, transfers, economic, social, then the PVs and cumulatives
        (1100, 320, 160, 0, 200, 0, 1100, 320, 200, 0, 1100, 320),
        (800, 800, 400, 0, 0, 300, 640, 640, 0, 240, 1740, 960),
        (100, 820, 660, 500, 0, 0, 64, "524.8", 0, 0, 1804, "1484.8"),
    ]
    assert [(r["year"], r["index"], r["discount_factor"]) for r in rows] == [
        ("2015/16", 0, D(1)),
        ("2016/17", 1, D("0.8")),
        ("2017/18", 2, D("0.64")),
    ]
    for row, figures in zip(rows, expected, strict=True):
        assert {k: row[k] for k in money} == {
            k: D(str(v)).quantize(D("0.01")) for k, v in zip(money, figures, strict=True)
        }


def test_each_lines_steps(result: model.Result) -> None:
    lines = result.lines
    assert [(ln.kind, ln.agency, ln.value_type, ln.bias) for ln in lines] == [
        ("cost", "Council", "revenue", D("0.1")),
        ("cost", "NHS", "in_kind", D(0)),
        ("outcome", "NHS", "fiscal", D("0.2")),
        ("outcome", "Council", "fiscal", D(0)),
        ("outcome", lines[4].agency, "economic", D("0.5")),
        ("outcome", lines[5].agency, "social", D(0)),
    ]
    fewer = lines[2]
    assert fewer.net_outcomes == [D(2), D(4), D(0)]
    assert fewer.gross == [D(400), D(1000), D(400)]
    assert fewer.adjusted == [D(320), D(800), D(320)]
    assert fewer.cashable == [D(160), D(400), D(160)]
    assert fewer.unit_value == D(200) and not fewer.transfer
    assert lines[3].transfer and lines[3].adjusted == [D(0), D(0), D(500)]
    assert lines[4].cashable == []  # only fiscal values have a cashable part
    assert not lines[0].transfer and lines[0].unit_value is None  # a cost line
    assert lines[0].net_outcomes == [] and lines[0].cashable == []
    assert lines[0].gross == [D(1000), D(500), D(0)]  # the amounts as written
    assert lines[0].adjusted == [D(1100), D(550), D(0)]


def test_no_costs_means_no_roi() -> None:
    text = TEXT.split("costs:")[0] + "costs: []\noutcomes:" + TEXT.split("outcomes:")[1]
    r = model.compute(model.loads_appraisal(text, "exact.yaml", curated_book()))
    j = r.to_json()
    assert j["financial_roi"] is None and j["public_value_roi"] is None
    assert j["net_present_budget_impact"] == D("1484.80")


def test_a_schedule_of_rates_discounts_each_year_by_its_own_band() -> None:
    from fractions import Fraction

    from wholeplace.cba.discounting import DiscountSchedule, flat_factors

    s = DiscountSchedule("s", ((0, D("0.25")), (2, D("0.5"))))
    # Year 1 is discounted at 25 % (band from year 0), years 2 and 3 at 50 %:
    # 1, 1/1.25 = 4/5, 4/5 / 1.5 = 8/15, 8/15 / 1.5 = 16/45.
    assert [s.rate(y) for y in range(4)] == [D("0.25"), D("0.25"), D("0.5"), D("0.5")]
    got = s.factors(4)
    for f, exact in zip(
        got, [Fraction(1), Fraction(4, 5), Fraction(8, 15), Fraction(16, 45)], strict=True
    ):
        assert abs(Fraction(f) - exact) < Fraction(1, 10**35)
    assert s.factors(1) == [D(1)] and s.factors(0) == []
    assert s.describe() == "s (25.00% from year 0, 50.00% from year 2)"
    assert s.scaled(D(2)) == DiscountSchedule("s", ((0, D("0.50")), (2, D("1.0"))))
    assert flat_factors(D("0.25"), 3) == [D(1), D("0.8"), D("0.64")]
    assert flat_factors(D("0.25"), 0) == []


def test_the_centre_of_each_distribution() -> None:
    from wholeplace.cba.appraisal import Dist

    assert Dist("triangular", {"low": D(1), "mode": D(2), "high": D(6)}).central() == D(2)
    assert Dist("uniform", {"low": D(1), "high": D(6)}).central() == D("3.5")
    assert Dist("normal", {"mean": D("0.4"), "sd": D(1)}).central() == D("0.4")
    # beta(2, 6) has mean 2 / 8 = 0.25 on [0, 1], and on [10, 30]: 10 + 20 x 0.25 = 15.
    assert Dist("beta", {"alpha": D(2), "beta": D(6)}).central() == D("0.25")
    beta = {"alpha": D(2), "beta": D(6), "low": D(10), "high": D(30)}
    assert Dist("beta", beta).central() == D(15)


def test_how_an_appraisal_says_it_discounts_and_names_its_years(result: model.Result) -> None:
    s = result.appraisal.settings
    assert s.discount_label() == "25.00%"
    assert [s.year_label(i) for i in range(3)] == ["2015/16", "2016/17", "2017/18"]
    assert s.discount_factors() == [D(1), D("0.8"), D("0.64")]
    assert result.appraisal.outcomes[0].net_outcomes() == [D(2), D(4), D(0)]  # 10, 20 x 0.2


def _small(costs: str, value: str, cohort: str, agency: str = "NHS") -> model.Result:
    text = f"""
appraisal: {{name: S, price_year: 2015/16, start_year: 2015/16, years: 2, discount_rate: 0}}
costs: [{{description: C, agency: Council, type: revenue, confidence: 1, amounts: {costs}}}]
outcomes:
  - {{description: O, value: {value}, value_type: fiscal, agency: {agency}, cohort: {cohort},
     success: 1, confidence: 1}}
"""
    return model.compute(model.loads_appraisal(text, "s.yaml", curated_book()))


def test_payback_needs_some_benefit_not_merely_no_cost() -> None:
    # Year 1: nothing spent and nothing gained: not yet paid back (0 >= 0 is not enough).
    # Year 2: 100 spent, 200 gained: paid back.
    assert _small("[0, 100]", "200", "[0, 1]").to_json()["payback_year"] == "2016/17"


def test_payback_of_pennies() -> None:
    # 0.25 spent, 0.50 gained in the first year: paid back at once, however small.
    assert _small("[0.25, 0]", "0.5", "[1, 0]").to_json()["payback_year"] == "2015/16"


def test_agencies_are_listed_by_name_whatever_their_case() -> None:
    r = _small("[1, 0]", "1", "[1, 0]", agency="nhs")
    assert list(r.to_json()["by_agency"]) == ["Council", "nhs"]
    r = _small("[1, 0]", "1", "[1, 0]", agency="adult social care")
    assert list(r.to_json()["by_agency"]) == ["adult social care", "Council"]


def test_a_places_own_rates_and_grades_are_named_as_overridden(ws) -> None:
    from datetime import date

    from wholeplace import parameters
    from wholeplace.cba.discounting import defaults

    assert defaults(ws).overridden == ()
    parameters.override(
        ws, "discount_rate.green_book", {"2020-04-01": [{"from_year": 0, "rate": 0.05}]}, "ours"
    )
    d = defaults(ws, on=date(2025, 1, 1))
    assert d.overridden == ("discount_rate.green_book",)
    assert d.schedules["green_book"].bands == ((0, D("0.05")),)
    grades = {str(g): f"0.{g}" for g in range(1, 7)}
    parameters.override(ws, "optimism_bias.confidence_grades", {"2020-04-01": grades}, "ours")
    d = defaults(ws, on=date(2025, 1, 1))
    assert d.overridden == ("discount_rate.green_book", "optimism_bias.confidence_grades")
    assert d.optimism_bias[3] == D("0.3")


def test_settings_schedules_distributions_and_outcome_lines_cannot_be_changed(
    result: model.Result,
) -> None:
    import dataclasses

    from wholeplace.cba.appraisal import DEFAULT_OPTIMISM_BIAS, Dist, Settings
    from wholeplace.cba.discounting import DiscountSchedule, defaults

    s = result.appraisal.settings
    for obj, name in (
        (s, "years"),
        (result.appraisal.outcomes[0], "success"),
        (Dist("normal", {"mean": D(0), "sd": D(1)}), "kind"),
        (DiscountSchedule("s", ((0, D("0.1")),)), "name"),
        (defaults(), "overridden"),
    ):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, None)
    # Settings made in code take the shipped grades, each its own copy.
    a = Settings("A", "2015/16", "2015/16", 1, D(0))
    b = Settings("B", "2015/16", "2015/16", 1, D(0))
    assert a.optimism_bias == dict(DEFAULT_OPTIMISM_BIAS)
    assert a.optimism_bias is not b.optimism_bias
    # An outcome line made in code without distributions has none (not one shared by all).
    line = result.appraisal.outcomes[0]
    given = {f.name: getattr(line, f.name) for f in dataclasses.fields(line) if f.name != "dists"}
    assert type(line)(**given).dists == {}


def test_an_outcome_lines_adjustments_and_grades_by_name() -> None:
    from decimal import Decimal as Dec

    from wholeplace.cba.appraisal import OutcomeLine

    line = OutcomeLine(
        "o",
        None,
        (),
        (Dec(100),),
        Dec("0.5"),
        Dec("0.8"),
        Dec("0.25"),
        (Dec(1),),
        3,
        Dec(1),
        False,
        leakage=Dec("0.1"),
        displacement=Dec("0.2"),
        substitution=Dec("0.3"),
        attribution=Dec("0.4"),
    )
    # each share by its name, in the order applied
    assert list(line.adjustments().items()) == [
        ("leakage", Dec("0.1")),
        ("displacement", Dec("0.2")),
        ("substitution", Dec("0.3")),
        ("deadweight", Dec("0.25")),
        ("attribution", Dec("0.4")),
    ]
    # 0.5 x 0.8 x 0.9 x 0.8 x 0.7 x 0.75 x 0.6 = 0.09072 of 100 people
    assert line.net_outcomes() == [Dec("9.072")]
    assert line.grades() == {"confidence": 3}
    assert line.per == ""  # no unit named unless the unit cost gives one
    graded = OutcomeLine(
        "o", None, (), (), Dec(1), Dec(1), Dec(0), (), 3, Dec(1), False, value_confidence=2
    )
    assert graded.grades() == {"impact_confidence": 3, "value_confidence": 2}
