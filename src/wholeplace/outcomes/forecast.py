"""Turning the curve: what the old trend would have given, and whether the actuals left it.

The baseline forecast is Holt's linear trend as a state space model with additive errors,
ETS(A,A,N), fitted by maximum likelihood with ``statsmodels``'
:class:`~statsmodels.tsa.exponential_smoothing.ets.ETSModel`, on the indicator's whole-place
values up to its baseline date. It is forecast over the periods after the baseline with its
80 % and 95 % prediction intervals (statsmodels' analytic intervals for the additive model).

The rule (docs/outcomes.md): a period's actual value has **turned the curve** only where it is
outside the 95 % interval on the better side (as the indicator's polarity says); outside on the
worse side it is **worse than the old trend**; anything else is **within the expected range**.
The indicator's verdict is its latest period's. Fewer than :data:`MIN_HISTORY` regular periods
up to the baseline give no forecast, and the reason is said.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from wholeplace.money import round_half_up
from wholeplace.outcomes.model import Indicator
from wholeplace.outcomes.observations import Observation

METHOD = (
    "Holt's linear trend (exponential smoothing, ETS(A,A,N): additive errors, additive "
    "trend, no seasonality), fitted by maximum likelihood with statsmodels on the values up "
    "to the baseline date; 80 % and 95 % prediction intervals"
)
MIN_HISTORY = 5  # the model has four parameters: fewer values than that cannot fit it
MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
SHOWN = 4  # decimal places of a forecast as shown

TURNED = "turned the curve"
WORSE = "worse than the old trend"
WITHIN = "within the expected range"


@dataclass(frozen=True)
class Band:
    """The forecast of one future step and its intervals (floats: a statistical estimate)."""

    mean: float
    lower_80: float
    upper_80: float
    lower_95: float
    upper_95: float


def holt_forecast(history: Sequence[float], steps: int) -> list[Band]:
    """The ETS(A,A,N) forecast of ``history`` for ``steps`` periods ahead."""
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = pd.Series([float(v) for v in history], dtype=float)
    with warnings.catch_warnings():
        # a series with no noise (flat, or a straight line) fits exactly; statsmodels warns
        # on the way (log of a zero variance, an optimiser that stops at the bound)
        warnings.simplefilter("ignore")
        fit = ETSModel(y, error="add", trend="add").fit(disp=False)
        pred = fit.get_prediction(start=len(y), end=len(y) + steps - 1)
        f95 = pred.summary_frame(alpha=0.05)
        f80 = pred.summary_frame(alpha=0.2)
    return [
        Band(
            float(f95["mean"].iloc[i]),
            float(f80["pi_lower"].iloc[i]),
            float(f80["pi_upper"].iloc[i]),
            float(f95["pi_lower"].iloc[i]),
            float(f95["pi_upper"].iloc[i]),
        )
        for i in range(steps)
    ]


def shown(x: float) -> Decimal:
    return round_half_up(Decimal(repr(x)), SHOWN)


@dataclass(frozen=True)
class Point:
    """One period after the baseline: the forecast, its intervals and the actual value."""

    period: str
    period_end: date
    band: Band
    actual: Decimal
    verdict: str

    def to_json(self) -> dict[str, Any]:
        b = self.band
        return {
            "period": self.period,
            "forecast": str(shown(b.mean)),
            "interval_80": [str(shown(b.lower_80)), str(shown(b.upper_80))],
            "interval_95": [str(shown(b.lower_95)), str(shown(b.upper_95))],
            "actual": str(self.actual),
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Curve:
    """An indicator's baseline forecast against its actual values; ``reason`` says why
    there is none."""

    indicator: str
    history: int  # values the model was fitted on
    points: tuple[Point, ...]
    reason: str | None = None

    @property
    def verdict(self) -> str | None:
        return self.points[-1].verdict if self.points else None

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "method": METHOD if self.reason is None else None,
            "history": self.history,
            "verdict": self.verdict,
            "reason": self.reason,
            "points": [p.to_json() for p in self.points],
        }


def judge(polarity: str, actual: Decimal, band: Band) -> str:
    """The rule of the module's docstring, on the 95 % interval."""
    a = float(actual)
    above, below = a > band.upper_95, a < band.lower_95
    if not above and not below:
        return WITHIN
    return TURNED if above == (polarity == "higher") else WORSE


def _month(d: date) -> int:
    return d.year * 12 + d.month


def curve(ind: Indicator, series: Sequence[Observation]) -> Curve:
    """The baseline forecast of ``ind`` from its whole-place ``series`` (in period order)."""
    if ind.baseline is None:
        return Curve(ind.id, 0, (), "no baseline date: nothing marks where the old trend ends")
    step = MONTHS[ind.frequency]
    before = [o for o in series if o.period_end <= ind.baseline.on]
    after = [o for o in series if o.period_end > ind.baseline.on]
    if len(before) < MIN_HISTORY:
        return Curve(
            ind.id,
            len(before),
            (),
            f"{len(before)} values up to the baseline date; the forecast needs at least "
            f"{MIN_HISTORY}",
        )
    months = [_month(o.period_end) for o in before]
    if any(b - a != step for a, b in zip(months, months[1:], strict=False)):
        return Curve(
            ind.id, len(before), (), "a period is missing before the baseline date; no forecast"
        )
    if not after:
        return Curve(ind.id, len(before), (), "no values after the baseline date yet")
    ahead = [(_month(o.period_end) - months[-1]) // step for o in after]
    try:
        bands = holt_forecast([float(o.value) for o in before], max(ahead))
    except (ValueError, ArithmeticError, np.linalg.LinAlgError):
        bands = []
    if not bands or not all(
        math.isfinite(x) for b in bands for x in (b.mean, b.lower_95, b.upper_95)
    ):
        # statsmodels could not fit these values (no answer, or one that is not a number)
        return Curve(ind.id, len(before), (), "the model could not be fitted to these values")
    points = tuple(
        Point(
            o.period,
            o.period_end,
            bands[k - 1],
            o.value,
            judge(ind.polarity, o.value, bands[k - 1]),
        )
        for o, k in zip(after, ahead, strict=True)
    )
    return Curve(ind.id, len(before), points)
