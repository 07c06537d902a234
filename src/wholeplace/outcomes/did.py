"""Difference in differences: the change where the work was done less the change in a
comparison area over the same periods, shown beside a claim's gross and net.

``estimate = (area after - area before) - (comparison after - comparison before)``, on the
indicator's values, exactly.

Its 95 % confidence interval is given where all four values are rates with their counts
(numerator and denominator): the four are taken as independent binomial samples, so the
estimate's variance is the sum of ``p (1 - p) / n`` over the four rates ``p = numerator /
denominator`` (the normal approximation), and the interval is the estimate of the rates
``+- 1.96 x`` its square root. Where the values are in another unit than the rate (per
1,000, a percentage), the interval is scaled by the value over the rate, which must be the
same for the four; otherwise no interval is given, and the reason is said.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from wholeplace.money import round_half_up
from wholeplace.outcomes.model import Claim
from wholeplace.outcomes.observations import Observation
from wholeplace.outcomes.scorecard import Z_95

METHOD = (
    "difference in differences of the indicator's values; 95 % interval by the normal "
    "approximation, the four rates taken as independent binomial samples "
    "(variance: the sum of p(1-p)/n)"
)
SHOWN = 6


def shown(x: Fraction | float) -> Decimal:
    d = round_half_up(Decimal(repr(x)) if isinstance(x, float) else x, SHOWN).normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


@dataclass(frozen=True)
class Did:
    claim: str
    values: dict[str, Decimal | None]  # area_before, area_after, comparison_before, ...
    estimate: Fraction | None
    interval: tuple[float, float] | None
    reason: str | None  # why there is no estimate, or no interval

    def to_json(self) -> dict[str, Any]:
        return {
            "method": METHOD,
            "values": {k: None if v is None else str(v) for k, v in self.values.items()},
            "estimate": None if self.estimate is None else str(shown(self.estimate)),
            "interval_95": None
            if self.interval is None
            else [str(shown(self.interval[0])), str(shown(self.interval[1]))],
            "reason": self.reason,
        }


def _interval(found: dict[str, Observation], estimate: Fraction) -> tuple[float, float] | str:
    counts = [(o.numerator, o.denominator) for o in found.values()]
    if any(n is None or d is None for n, d in counts):
        return "no interval: the counts (numerator and denominator) behind a value are not given"
    scales = set()
    variance = 0.0
    for o in found.values():
        assert o.numerator is not None and o.denominator is not None
        p = Fraction(o.numerator, o.denominator)
        variance += float(p * (1 - p) / o.denominator)
        if p != 0:
            scales.add(Fraction(o.value) / p)
        elif o.value != 0:
            return "no interval: a value is not its rate (numerator over denominator)"
    if len(scales) > 1:
        return "no interval: the values are not the rates in one unit"
    scale = float(scales.pop()) if scales else 1.0
    half = Z_95 * math.sqrt(variance) * abs(scale)
    return float(estimate) - half, float(estimate) + half


def difference_in_differences(claim: Claim, obs: list[Observation]) -> Did | None:
    """The claim's difference in differences from ``obs`` (None: it has no comparison)."""
    c = claim.comparison
    if c is None or claim.indicator is None:
        return None
    wanted = {
        "area_before": (c.area, c.before),
        "area_after": (c.area, c.after),
        "comparison_before": (c.comparison, c.before),
        "comparison_after": (c.comparison, c.after),
    }
    found: dict[str, Observation] = {}
    for key, (area, period) in wanted.items():
        o = next(
            (
                x
                for x in obs
                if x.indicator == claim.indicator and (x.area, x.period) == (area, period)
            ),
            None,
        )
        if o is not None:
            found[key] = o
    values = {k: found[k].value if k in found else None for k in wanted}
    missing = [f"{wanted[k][0]} in {wanted[k][1]}" for k in wanted if k not in found]
    if missing:
        return Did(claim.id, values, None, None, "no value for " + ", ".join(missing))
    v = {k: Fraction(o.value) for k, o in found.items()}
    estimate = (v["area_after"] - v["area_before"]) - (
        v["comparison_after"] - v["comparison_before"]
    )
    ci = _interval(found, estimate)
    if isinstance(ci, str):
        return Did(claim.id, values, estimate, None, ci)
    return Did(claim.id, values, estimate, ci, None)
