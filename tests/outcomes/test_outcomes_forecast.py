"""Turning the curve: the baseline forecast against statsmodels' own result and by hand, and
the rule that calls a curve turned only outside the interval."""

from __future__ import annotations

import math
import warnings
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from wholeplace.outcomes.forecast import (
    MIN_HISTORY,
    TURNED,
    WITHIN,
    WORSE,
    Band,
    curve,
    holt_forecast,
    judge,
)
from wholeplace.outcomes.model import QUALITY_DIMENSIONS, Indicator, Point
from wholeplace.outcomes.observations import Observation

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile
Z80 = 1.2815515655446004  # its 90th
KNOWN = [10, 10.5, 10.2, 11, 11.3, 11.1, 11.8, 12.0]


def statsmodels_own(y: list[float], steps: int, alpha: float) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ETSModel(pd.Series(y, dtype=float), error="add", trend="add").fit(disp=False)
        return fit.get_prediction(start=len(y), end=len(y) + steps - 1).summary_frame(alpha=alpha)


def test_the_forecast_is_statsmodels_own_result() -> None:
    bands = holt_forecast(KNOWN, 3)
    f95, f80 = statsmodels_own(KNOWN, 3, 0.05), statsmodels_own(KNOWN, 3, 0.2)
    for i, b in enumerate(bands):
        assert b.mean == pytest.approx(f95["mean"].iloc[i], rel=1e-9)
        assert (b.lower_95, b.upper_95) == pytest.approx(
            (f95["pi_lower"].iloc[i], f95["pi_upper"].iloc[i]), rel=1e-9
        )
        assert (b.lower_80, b.upper_80) == pytest.approx(
            (f80["pi_lower"].iloc[i], f80["pi_upper"].iloc[i]), rel=1e-9
        )


def test_the_forecast_follows_holts_equations_by_hand() -> None:
    # Holt's recursions with the fitted parameters: e = y - (l + b); l += b + alpha e;
    # b += beta e; the h-step forecast is l + h b. The 1-step interval is +- z sigma; the
    # 2-step one +- z sigma sqrt(1 + (alpha + beta)^2) (Hyndman et al. 2008, ETS(A,A,N)).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ETSModel(pd.Series(KNOWN, dtype=float), error="add", trend="add").fit(disp=False)
    alpha, beta, level, trend = (float(x) for x in fit.params)
    for y in KNOWN:
        e = y - (level + trend)
        level, trend = level + trend + alpha * e, trend + beta * e
    sigma = math.sqrt(float(fit.mse))
    b1, b2 = holt_forecast(KNOWN, 2)
    assert b1.mean == pytest.approx(level + trend, rel=1e-9)
    assert b2.mean == pytest.approx(level + 2 * trend, rel=1e-9)
    assert b1.upper_95 - b1.mean == pytest.approx(Z95 * sigma, rel=1e-6)
    assert b1.mean - b1.lower_80 == pytest.approx(Z80 * sigma, rel=1e-6)
    wide = Z95 * sigma * math.sqrt(1 + (alpha + beta) ** 2)
    assert b2.upper_95 - b2.mean == pytest.approx(wide, rel=1e-6)
    # the old trend of this series rises about 0.28 a period: 12.25 next, 12.53 after
    assert (round(b1.mean, 2), round(b2.mean, 2)) == (12.25, 12.53)


def test_a_flat_series_forecasts_flat_and_a_straight_line_goes_on() -> None:
    for b in holt_forecast([5.0] * 8, 3):
        assert (b.mean, b.lower_95, b.upper_95) == pytest.approx((5.0, 5.0, 5.0), abs=1e-6)
    line = holt_forecast([1.0, 2, 3, 4, 5, 6, 7, 8], 3)
    assert [b.mean for b in line] == pytest.approx([9.0, 10.0, 11.0], abs=1e-6)


def band(lo: float, hi: float) -> Band:
    return Band((lo + hi) / 2, lo, hi, lo, hi)


@pytest.mark.parametrize(
    ("polarity", "actual", "verdict"),
    [
        ("lower", "8.9", TURNED),  # under the interval, lower is better
        ("lower", "9", WITHIN),  # on its edge: not outside
        ("lower", "11", WITHIN),
        ("lower", "11.1", WORSE),
        ("higher", "11.1", TURNED),
        ("higher", "8.9", WORSE),
        ("higher", "10", WITHIN),
    ],
)
def test_only_actuals_outside_the_interval_turn_the_curve(
    polarity: str, actual: str, verdict: str
) -> None:
    assert judge(polarity, Decimal(actual), band(9, 11)) == verdict


def indicator(frequency: str = "quarterly", baseline: date | None = date(2024, 3, 31)) -> Indicator:
    return Indicator(
        "i", "I", "d", "s", "u", "lower", frequency, "cc",
        dict.fromkeys(QUALITY_DIMENSIONS, 4),
        None if baseline is None else Point(Decimal(12), baseline),
        Point(Decimal(9), date(2026, 3, 31)),
        outcome="o",
    )  # fmt: skip


QUARTER_ENDS = [date(2022, 6, 30), date(2022, 9, 30), date(2022, 12, 31), date(2023, 3, 31)]
QUARTER_ENDS += [date(2023, 6, 30), date(2023, 9, 30), date(2023, 12, 31), date(2024, 3, 31)]


def series(values: list[str], ends: list[date]) -> list[Observation]:
    return [
        Observation("i", f"P{n}", end, "place", Decimal(v), None, None, "")
        for n, (v, end) in enumerate(zip(values, ends, strict=True))
    ]


def test_the_curve_of_an_indicator_from_its_baseline_date() -> None:
    # flat at 12 for eight quarters up to the baseline (31 March 2024): the old trend is 12
    # with no spread, so 11.5 two quarters on (Q2, lower is better) has turned the curve and
    # 12 in Q1 is within the expected range; a quarter with no value is skipped, not shifted
    before = series(["12"] * 8, QUARTER_ENDS)
    after = series(["12", "11.5"], [date(2024, 6, 30), date(2024, 12, 31)])
    c = curve(indicator(), before + after)
    assert c.history == 8 and c.reason is None
    assert [p.verdict for p in c.points] == [WITHIN, TURNED]
    assert c.verdict == TURNED
    j = c.to_json()
    assert j["points"][1] == {
        "period": "P1",
        "forecast": "12.0000",
        "interval_80": ["12.0000", "12.0000"],
        "interval_95": ["12.0000", "12.0000"],
        "actual": "11.5",
        "verdict": TURNED,
    }
    assert j["method"].startswith("Holt's linear trend")


def test_no_forecast_without_enough_regular_history() -> None:
    assert curve(indicator(baseline=None), []).reason is not None
    short = series(["12"] * (MIN_HISTORY - 1), QUARTER_ENDS[-(MIN_HISTORY - 1) :])
    assert curve(indicator(), short).reason == (
        f"{MIN_HISTORY - 1} values up to the baseline date; the forecast needs at least "
        f"{MIN_HISTORY}"
    )
    gap = series(["12"] * 7, QUARTER_ENDS[:3] + QUARTER_ENDS[4:])
    assert "missing" in (curve(indicator(), gap).reason or "")
    assert curve(indicator(), series(["12"] * 8, QUARTER_ENDS)).reason == (
        "no values after the baseline date yet"
    )


def test_a_model_that_cannot_be_fitted_gives_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    from wholeplace.outcomes import forecast

    def broken(history: list[float], steps: int) -> list[Band]:
        return [Band(float("nan"), 0, 0, 0, 0)] * steps

    monkeypatch.setattr(forecast, "holt_forecast", broken)
    after = series(["12"], [date(2024, 6, 30)])
    c = curve(indicator(), series(["12"] * 8, QUARTER_ENDS) + after)
    assert c.points == () and c.reason == "the model could not be fitted to these values"

    def raises(history: list[float], steps: int) -> list[Band]:
        raise ValueError("no")

    monkeypatch.setattr(forecast, "holt_forecast", raises)
    c = curve(indicator(), series(["12"] * 8, QUARTER_ENDS) + after)
    assert c.reason == "the model could not be fitted to these values"
