"""A scorecard row as the report shows it, the areas compared, and suppression, each by hand
(issue 17: the figures a deliberate bug in outcomes/scorecard.py would change)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date
from decimal import Decimal

import pytest

from wholeplace.outcomes import wilson
from wholeplace.outcomes.model import QUALITY_DIMENSIONS, Indicator, Point
from wholeplace.outcomes.observations import Observation
from wholeplace.outcomes.scorecard import Row, by_area, scorecard, status, suppressed


def ind(
    polarity: str = "lower", baseline: str | None = "10", target: str | None = "6"
) -> Indicator:
    return Indicator(
        "i",
        "Name of i",
        "d",
        "s",
        "per cent",
        polarity,
        "quarterly",
        "cc",
        dict.fromkeys(QUALITY_DIMENSIONS, 4),
        None if baseline is None else Point(Decimal(baseline), date(2024, 3, 31)),
        None if target is None else Point(Decimal(target), date(2026, 3, 31)),
        outcome="o",
        service="svc",
        category="how_well",
    )


def obs(
    period: str,
    end: date,
    value: str,
    area: str = "place",
    num: int | None = None,
    den: int | None = None,
    indicator: str = "i",
) -> Observation:
    return Observation(indicator, period, end, area, Decimal(value), num, den, "")


Q1 = date(2024, 6, 30)
Q2 = date(2024, 9, 30)


def test_a_row_as_the_report_shows_it() -> None:
    # Newcombe (1998) Table I, method 3: 81 of 263 gives 0.2553 to 0.3662.
    q1 = obs("Q1", Q1, "9")
    q2 = obs("Q2", Q2, "8", num=81, den=263)
    [row] = scorecard((ind(),), [q2, q1])
    assert row.interval == (Decimal("0.2553"), Decimal("0.3662"))
    assert row.to_json() == {
        "indicator": "i",
        "name": "Name of i",
        "outcome": "o",
        "service": "svc",
        "category": "how_well",
        "unit": "per cent",
        "polarity": "lower",
        "baseline": {"value": "10", "date": "2024-03-31"},
        "target": {"value": "6", "date": "2026-03-31"},
        "latest": {"period": "Q2", "value": "8"},
        # 8 is better (lower) than the baseline 10 and short of the target 6
        "status": "amber",
        # 8 after 9, lower is better
        "direction": "improving",
        "interval_95": ["0.2553", "0.3662"],
        "series": [{"period": "Q1", "value": "9"}, {"period": "Q2", "value": "8"}],
        "areas": [],
        # both quarters are after the baseline date: nothing to fit the old trend on
        "baseline_forecast": {
            "indicator": "i",
            "method": None,
            "history": 0,
            "verdict": None,
            "reason": "0 values up to the baseline date; the forecast needs at least 5",
            "points": [],
        },
    }


def test_a_row_without_baseline_target_data_or_interval() -> None:
    [row] = scorecard((ind(baseline=None, target=None),), [])
    assert row.latest is None and row.interval is None
    j = row.to_json()
    assert (j["baseline"], j["target"], j["latest"], j["interval_95"]) == (None, None, None, None)
    assert (j["status"], j["direction"], j["series"]) == ("no data", "not enough data", [])
    # a numerator without a denominator gives no interval
    assert Row(ind(), (obs("Q1", Q1, "1", num=3),), "red", "x").interval is None
    assert Row(ind(), (obs("Q1", Q1, "1", den=3),), "red", "x").interval is None


def test_a_target_without_a_baseline_gives_no_status() -> None:
    assert status(ind(baseline=None), Decimal(5)) == "no target"


def test_the_areas_latest_period_best_first_ties_by_code() -> None:
    mine = [
        obs("Q1", Q1, "1", area="E05000009"),  # an older period: left out
        obs("Q2", Q2, "7", area="E05000003"),
        obs("Q2", Q2, "5", area="E05000002"),
        obs("Q2", Q2, "7", area="E05000001"),
        obs("Q2", Q2, "2", area="place"),  # the whole place: not an area
        obs("Q2", Q2, "0", area="E05000004", indicator="other"),  # another indicator
    ]
    lower = [(o.area, str(o.value)) for o in by_area(ind("lower"), mine)]
    assert lower == [("E05000002", "5"), ("E05000001", "7"), ("E05000003", "7")]
    higher = [(o.area, str(o.value)) for o in by_area(ind("higher"), mine)]
    assert higher == [("E05000001", "7"), ("E05000003", "7"), ("E05000002", "5")]
    assert by_area(ind(), [obs("Q2", Q2, "2")]) == ()
    [row] = scorecard((ind(),), mine)
    assert [a["area"] for a in row.to_json()["areas"]] == ["E05000002", "E05000001", "E05000003"]
    assert row.to_json()["areas"][0] == {
        "area": "E05000002",
        "period": "Q2",
        "value": "5",
        "interval_95": None,
    }


def test_areas_compared_with_their_rates_intervals() -> None:
    # Newcombe (1998) Table I, method 3: 81 of 263 is 0.2553 to 0.3662 and 15 of 148 is
    # 0.0624 to 0.1605 (checked independently in test_outcomes_scorecard.py)
    mine = [
        obs("Q2", Q2, "0.308", area="E05000001", num=81, den=263),
        obs("Q2", Q2, "0.101", area="E05000002", num=15, den=148),
    ]
    [row] = scorecard((ind("lower"),), mine)
    assert [(a["area"], a["interval_95"]) for a in row.to_json()["areas"]] == [
        ("E05000002", ["0.0624", "0.1605"]),
        ("E05000001", ["0.2553", "0.3662"]),
    ]


def test_suppression_leaves_out_numerators_under_the_threshold_only() -> None:
    a = obs("Q1", Q1, "0.8", num=4, den=5)  # 4 < 5: left out
    b = obs("Q1", Q1, "1", num=5, den=5)  # 5 is not under 5: kept
    c = obs("Q1", Q1, "3")  # no numerator: kept
    kept, dropped = suppressed([a, b, c], 5)
    assert (kept, dropped) == ([b, c], 1)


def test_wilson_at_the_ends_stays_within_0_and_1() -> None:
    # 20 of 20: the lower limit is Newcombe's 0.8389 (Table I's 0 of 20 is 0 to 0.1611;
    # this is its mirror image). With every one a success the upper limit is exactly 1 (the
    # formula's (p + z²/2n + z²/2n) / (1 + z²/n) with p = 1); in floating point 11 of 11
    # works out a hair above 1 and 0 of 21 a hair below 0, and neither is a proportion.
    lo, hi = wilson(20, 20)
    assert f"{lo:.4f}" == "0.8389" and hi <= 1.0
    lo, hi = wilson(0, 20)
    assert lo >= 0.0 and f"{hi:.4f}" == "0.1611"
    assert wilson(11, 11)[1] == 1.0
    assert wilson(0, 21)[0] == 0.0


def test_the_latest_and_the_one_before_are_the_last_two_of_three() -> None:
    # lower is better, baseline 10, target 6: 9, then 5 (green), then 7 (amber, and worse
    # than the 5 before it); the first of three is never the latest or the one before
    s = [obs("Q1", Q1, "9"), obs("Q2", Q2, "5"), obs("Q3", date(2024, 12, 31), "7")]
    [row] = scorecard((ind(),), s)
    assert (row.status, row.direction, row.to_json()["latest"]["value"]) == (
        "amber",
        "getting worse",
        "7",
    )
    s[2] = obs("Q3", date(2024, 12, 31), "5")  # 5 after 5
    [row] = scorecard((ind(),), s)
    assert (row.status, row.direction) == ("green", "no change")


def test_a_row_is_fixed_once_worked_out() -> None:
    [row] = scorecard((ind(),), [])
    with pytest.raises(FrozenInstanceError):
        row.status = "green"  # type: ignore[misc]
