"""Discounting: a flat rate, or a schedule of rates by year such as the Green Book's.

With a flat rate ``r`` the factor for year ``t`` is ``1 / (1 + r)^t``. With a schedule it is
the product of ``1 / (1 + r_k)`` over the years ``k = 1 .. t``, ``r_k`` being the schedule's
rate for year ``k``; year 0 is never discounted. The schedules are parameters
(:mod:`wholeplace.parameters`): ``discount_rate: green_book`` in an appraisal names
``discount_rate.green_book``, and a place's own value for it, if set, is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from wholeplace import parameters
from wholeplace.cba.deflators import PRECISION
from wholeplace.workspace import Workspace

ONE = Decimal(1)
# The names an appraisal may give as its discount_rate, and the parameter each one reads.
SCHEDULES = {
    "green_book": "discount_rate.green_book",
    "green_book_health": "discount_rate.green_book_health",
}
OPTIMISM_BIAS = "optimism_bias.confidence_grades"
# What an appraisal that gives no discount_rate uses.
DEFAULT_SCHEDULE = "green_book"


@dataclass(frozen=True)
class DiscountSchedule:
    """Rates by year of the appraisal: each band ``(first year, rate)`` runs to the next."""

    name: str
    bands: tuple[tuple[int, Decimal], ...]

    def rate(self, year: int) -> Decimal:
        """The rate that discounts year ``year`` back to year ``year - 1``."""
        return [r for first, r in self.bands if first <= year][-1]

    def factors(self, n: int) -> list[Decimal]:
        """Discount factors for years ``0 .. n-1``: cumulative products, exact Decimals."""
        out = [ONE]
        with localcontext() as ctx:
            ctx.prec = PRECISION
            for k in range(1, n):
                out.append(out[-1] / (ONE + self.rate(k)))
        return out[:n]

    def scaled(self, k: Decimal) -> DiscountSchedule:
        """Every rate multiplied by ``k`` (for the sensitivity tornado)."""
        return DiscountSchedule(self.name, tuple((y, r * k) for y, r in self.bands))

    def describe(self) -> str:
        """E.g. ``green_book (3.50% from year 0, 3.00% from year 31, 2.50% from year 76)``."""
        parts = [f"{r * 100:.2f}% from year {y}" for y, r in self.bands]
        return f"{self.name} ({', '.join(parts)})"


def flat_factors(rate: Decimal, n: int) -> list[Decimal]:
    """``1 / (1 + rate)^t`` for ``t = 0 .. n-1``."""
    return [ONE / (ONE + rate) ** i for i in range(n)]


@dataclass(frozen=True)
class Defaults:
    """What an appraisal uses when it does not say: the parameters, or a place's own values."""

    optimism_bias: dict[int, Decimal]
    schedules: dict[str, DiscountSchedule]
    overridden: tuple[str, ...] = ()  # the parameters the place has its own values for


def defaults(ws: Workspace | None = None, on: date | None = None) -> Defaults:
    """The shipped parameters in force on ``on`` (today), with ``ws``'s overrides if given."""
    overridden: list[str] = []
    schedules: dict[str, DiscountSchedule] = {}
    for short, name in SCHEDULES.items():
        pv = parameters.load(name, on, ws)
        assert isinstance(pv.value, tuple)
        schedules[short] = DiscountSchedule(short, pv.value)
        if pv.override is not None:
            overridden.append(name)
    ob = parameters.load(OPTIMISM_BIAS, on, ws)
    assert isinstance(ob.value, dict)
    if ob.override is not None:
        overridden.append(OPTIMISM_BIAS)
    return Defaults(dict(ob.value), schedules, tuple(overridden))
