"""Red, amber and green by the stated rule, the direction of travel, and Wilson intervals
against Newcombe (1998)'s published values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wholeplace.outcomes import wilson
from wholeplace.outcomes.model import QUALITY_DIMENSIONS, Indicator, Point
from wholeplace.outcomes.observations import Observation
from wholeplace.outcomes.scorecard import direction, scorecard, status


def ind(polarity: str, baseline: str | None = "10", target: str | None = "6") -> Indicator:
    return Indicator(
        "i",
        "I",
        "d",
        "s",
        "u",
        polarity,
        "quarterly",
        "cc",
        dict.fromkeys(QUALITY_DIMENSIONS, 4),
        None if baseline is None else Point(Decimal(baseline), date(2024, 3, 31)),
        None if target is None else Point(Decimal(target), date(2026, 3, 31)),
        outcome="o",
    )


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        ("6", "green"),  # at the target
        ("5.9", "green"),  # beyond it
        ("6.1", "amber"),  # better than the baseline, short of the target
        ("9.99", "amber"),
        ("10", "red"),  # no better than the baseline
        ("12", "red"),
    ],
)
def test_lower_is_better(latest: str, expected: str) -> None:
    assert status(ind("lower"), Decimal(latest)) == expected


@pytest.mark.parametrize(
    ("latest", "expected"),
    [("0.9", "green"), ("0.95", "green"), ("0.8", "amber"), ("0.7", "red"), ("0.5", "red")],
)
def test_higher_is_better(latest: str, expected: str) -> None:
    assert status(ind("higher", "0.7", "0.9"), Decimal(latest)) == expected


def test_no_target_or_no_data() -> None:
    assert status(ind("lower", target=None), Decimal(1)) == "no target"
    assert status(ind("lower"), None) == "no data"


def obs(period: str, end: date, value: str, area: str = "place") -> Observation:
    return Observation("i", period, end, area, Decimal(value), None, None, "")


def test_direction_and_order_by_period_whatever_the_file_order() -> None:
    q1 = obs("2024/25 Q1", date(2024, 6, 30), "9")
    q2 = obs("2024/25 Q2", date(2024, 9, 30), "8")
    other_area = obs("2024/25 Q3", date(2024, 12, 31), "1", area="E05000001")
    [row] = scorecard((ind("lower"),), [q2, other_area, q1])
    assert [o.period for o in row.series] == ["2024/25 Q1", "2024/25 Q2"]  # the place's only
    assert (row.status, row.direction) == ("amber", "improving")
    assert direction(ind("higher"), [q1, q2]) == "getting worse"
    assert direction(ind("higher"), [q1, q1]) == "no change"
    assert direction(ind("higher"), [q1]) == "not enough data"


# Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
# methods. Statistics in Medicine 1998;17:857-872, Table I, method 3 (score, no continuity
# correction), to 4 decimal places.
@pytest.mark.parametrize(
    ("r", "n", "lower", "upper"),
    [
        (81, 263, "0.2553", "0.3662"),
        (15, 148, "0.0624", "0.1605"),
        (0, 20, "0.0000", "0.1611"),
        (1, 29, "0.0061", "0.1718"),
    ],
)
def test_wilson_interval_matches_newcombe(r: int, n: int, lower: str, upper: str) -> None:
    lo, hi = wilson(r, n)
    assert f"{lo:.4f}" == lower and f"{hi:.4f}" == upper


# The table above was first written from memory; these check it independently: statsmodels'
# own Wilson interval (a separate implementation), and the score equation solved in 40-digit
# decimals. The Wilson limits are the p with (r/n - p)^2 = z^2 p (1 - p) / n, the roots of
# (1 + z^2/n) p^2 - (2 r/n + z^2/n) p + (r/n)^2 = 0.
NEWCOMBE = [(81, 263), (15, 148), (0, 20), (1, 29), (20, 20), (3, 4)]


@pytest.mark.parametrize(("r", "n"), NEWCOMBE)
def test_wilson_interval_independently(r: int, n: int) -> None:
    from decimal import Decimal, localcontext

    from statsmodels.stats.proportion import proportion_confint

    lo, hi = wilson(r, n)
    slo, shi = proportion_confint(r, n, alpha=0.05, method="wilson")
    assert (lo, hi) == pytest.approx((slo, shi), abs=1e-12)
    with localcontext() as ctx:
        ctx.prec = 40
        z2 = Decimal("1.959963984540054") ** 2
        p = Decimal(r) / Decimal(n)
        a, b, c = 1 + z2 / n, -(2 * p + z2 / n), p * p
        root = (b * b - 4 * a * c).sqrt()
        exact = ((-b - root) / (2 * a), (-b + root) / (2 * a))
    assert (lo, hi) == pytest.approx(tuple(float(x) for x in exact), abs=1e-12)


def test_the_published_table_agrees_with_the_exact_roots() -> None:
    # Newcombe (1998) Table I to 4 places, as the test above the new ones states them
    from statsmodels.stats.proportion import proportion_confint

    table = {
        (81, 263): ("0.2553", "0.3662"),
        (15, 148): ("0.0624", "0.1605"),
        (0, 20): ("0.0000", "0.1611"),
        (1, 29): ("0.0061", "0.1718"),
    }
    for (r, n), want in table.items():
        lo, hi = proportion_confint(r, n, alpha=0.05, method="wilson")
        assert (f"{lo:.4f}", f"{hi:.4f}") == want
