"""The scorecard: each indicator's latest value against its baseline and target, its status
(red, amber, green, by a stated rule), its direction of travel, and a rate's interval.

Status rule (docs/outcomes.md): with a baseline and a target, green when the latest value
has reached the target; red when it is no better than the baseline; amber in between.
"Better" follows the indicator's polarity. Without a target there is no status.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wholeplace.money import round_half_up
from wholeplace.outcomes.forecast import Curve, curve
from wholeplace.outcomes.model import Indicator
from wholeplace.outcomes.observations import PLACE_AREA, Observation

Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile


def wilson(numerator: int, denominator: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (Wilson, 1927; Newcombe, 1998, method 3)."""
    n = denominator
    p = numerator / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denom = 1 + z * z / n
    return max(0.0, (centre - half) / denom), min(1.0, (centre + half) / denom)


def interval_of(o: Observation) -> tuple[Decimal, Decimal] | None:
    """The 95 % Wilson interval of an observation's rate, to 4 places; None without counts."""
    if o.numerator is None or o.denominator is None:
        return None
    lo, hi = wilson(o.numerator, o.denominator)
    return round_half_up(Decimal(repr(lo)), 4), round_half_up(Decimal(repr(hi)), 4)


def better(ind: Indicator, a: Decimal, b: Decimal) -> bool:
    """``a`` is better than ``b`` for this indicator."""
    return a > b if ind.polarity == "higher" else a < b


def status(ind: Indicator, latest: Decimal | None) -> str:
    if latest is None:
        return "no data"
    if ind.target is None or ind.baseline is None:
        return "no target"
    if not better(ind, ind.target.value, latest):  # at or beyond the target
        return "green"
    if not better(ind, latest, ind.baseline.value):  # no better than the baseline
        return "red"
    return "amber"


def direction(ind: Indicator, series: list[Observation]) -> str:
    if len(series) < 2:
        return "not enough data"
    last, before = series[-1].value, series[-2].value
    if last == before:
        return "no change"
    return "improving" if better(ind, last, before) else "getting worse"


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    series: tuple[Observation, ...]  # the whole place's, in period order
    status: str
    direction: str
    # the sub-areas' values in the latest period any has, best first by polarity
    areas: tuple[Observation, ...] = ()
    curve: Curve | None = None  # the baseline forecast (turning the curve)

    @property
    def latest(self) -> Observation | None:
        return self.series[-1] if self.series else None

    @property
    def interval(self) -> tuple[Decimal, Decimal] | None:
        return None if self.latest is None else interval_of(self.latest)

    def to_json(self) -> dict[str, Any]:
        o = self.latest
        ci = self.interval
        return {
            "indicator": self.indicator.id,
            "name": self.indicator.name,
            "outcome": self.indicator.outcome,
            "service": self.indicator.service,
            "category": self.indicator.category,
            "unit": self.indicator.unit,
            "polarity": self.indicator.polarity,
            "baseline": None
            if self.indicator.baseline is None
            else self.indicator.baseline.to_json(),
            "target": None if self.indicator.target is None else self.indicator.target.to_json(),
            "latest": None if o is None else {"period": o.period, "value": str(o.value)},
            "status": self.status,
            "direction": self.direction,
            "interval_95": None if ci is None else [str(ci[0]), str(ci[1])],
            "series": [{"period": x.period, "value": str(x.value)} for x in self.series],
            "areas": [
                {
                    "area": x.area,
                    "period": x.period,
                    "value": str(x.value),
                    "interval_95": None
                    if (ci_a := interval_of(x)) is None
                    else [str(ci_a[0]), str(ci_a[1])],
                }
                for x in self.areas
            ],
            "baseline_forecast": None if self.curve is None else self.curve.to_json(),
        }


def scorecard(indicators: tuple[Indicator, ...], obs: list[Observation]) -> list[Row]:
    rows = []
    for ind in indicators:
        series = sorted(
            (o for o in obs if o.indicator == ind.id and o.area == PLACE_AREA),
            key=lambda o: o.period_end,
        )
        latest = series[-1].value if series else None
        rows.append(
            Row(
                ind,
                tuple(series),
                status(ind, latest),
                direction(ind, series),
                by_area(ind, obs),
                curve(ind, series),
            )
        )
    return rows


def by_area(ind: Indicator, obs: list[Observation]) -> tuple[Observation, ...]:
    """The sub-areas compared: their values in the latest period any of them has, the best
    first (lowest first when lower is better), ties by area code."""
    mine = [o for o in obs if o.indicator == ind.id and o.area != PLACE_AREA]
    if not mine:
        return ()
    last = max(o.period_end for o in mine)
    sign = 1 if ind.polarity == "lower" else -1
    return tuple(
        sorted((o for o in mine if o.period_end == last), key=lambda o: (sign * o.value, o.area))
    )


def suppressed(obs: list[Observation], below: int) -> tuple[list[Observation], int]:
    """The observations fit to publish: any whose numerator is under ``below`` left out
    (small numbers could identify people); and how many were left out."""
    kept = [o for o in obs if o.numerator is None or o.numerator >= below]
    return kept, len(obs) - len(kept)
