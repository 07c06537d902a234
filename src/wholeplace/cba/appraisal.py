"""The typed appraisal: settings, cost lines, outcome lines and their uncertain inputs.

What a YAML file or the XLSX template says, checked and uprated, as frozen objects; the
``with_*`` helpers return changed copies for sensitivity analysis and simulation.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from wholeplace.cba.deflators import shift_year
from wholeplace.cba.discounting import DiscountSchedule, defaults, flat_factors

ZERO = Decimal(0)
ONE = Decimal(1)
# The shipped grades (parameter optimism_bias.confidence_grades); a place may override them.
DEFAULT_OPTIMISM_BIAS: dict[int, Decimal] = dict(defaults().optimism_bias)
COST_TYPES = ("capital", "revenue", "in_kind")
VALUE_TYPES = ("fiscal", "economic", "social")
DIST_PARAMS = {
    "triangular": ("low", "mode", "high"),
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "beta": ("alpha", "beta"),
}
RATIO = Decimal("0.01")
# The additionality factors beyond deadweight, in the order of the HCA Additionality Guide's
# formula (leakage, displacement, substitution), then attribution (see OutcomeLine.net_outcomes).
ADDITIONALITY = ("leakage", "displacement", "substitution", "attribution")


@dataclass(frozen=True)
class Dist:
    """An uncertain input for ``cba simulate``; the deterministic model uses its centre."""

    kind: str
    params: dict[str, Decimal]

    def central(self) -> Decimal:
        p = self.params
        if self.kind == "triangular":
            return p["mode"]
        if self.kind == "uniform":
            return (p["low"] + p["high"]) / 2
        if self.kind == "normal":
            return p["mean"]
        # beta on [low, high] (default [0, 1]): its mean
        lo, hi = p.get("low", ZERO), p.get("high", ONE)
        return lo + (hi - lo) * p["alpha"] / (p["alpha"] + p["beta"])


@dataclass(frozen=True)
class Settings:
    name: str
    price_year: str
    start_year: str
    years: int
    discount_rate: Decimal
    optimism_bias: dict[int, Decimal] = field(default_factory=lambda: dict(DEFAULT_OPTIMISM_BIAS))
    discount_rate_dist: Dist | None = None
    # A schedule of rates by year (discount_rate: green_book); None for a flat rate. With a
    # schedule, discount_rate holds its first band's rate, for display and sensitivity.
    discount_schedule: DiscountSchedule | None = None

    def discount_factors(self) -> list[Decimal]:
        """The factor for each year ``0 .. years-1`` (see :mod:`wholeplace.cba.discounting`)."""
        if self.discount_schedule is not None:
            return self.discount_schedule.factors(self.years)
        return flat_factors(self.discount_rate, self.years)

    def discount_label(self) -> str:
        """How the appraisal discounts, for reports: ``3.50%`` or the schedule's bands."""
        if self.discount_schedule is not None:
            return self.discount_schedule.describe()
        return f"{self.discount_rate * 100:.2f}%"

    def year_label(self, i: int) -> str:
        return shift_year(self.start_year, i)


@dataclass(frozen=True)
class CostLine:
    description: str
    agency: str
    type: str
    confidence: int
    amounts: tuple[Decimal, ...]
    multiplier_dist: Dist | None = None


@dataclass(frozen=True)
class Component:
    """One value an outcome achieves: fiscal (to an agency), economic or social."""

    value_type: str
    agency: str
    unit_value: Decimal  # uprated to the price year, to the penny
    base_value: Decimal
    base_year: str
    source: str  # unit cost code and origin, or "entered"
    # The workbook's transfer part of a unit cost's fiscal value: in the financial case, not
    # in public value (as OutcomeLine.transfer is for a whole line).
    transfer: bool = False


@dataclass(frozen=True)
class OutcomeLine:
    description: str
    unit_cost: str | None
    components: tuple[Component, ...]
    cohort: tuple[Decimal, ...]
    engagement: Decimal
    success: Decimal
    deadweight: Decimal
    persistence: tuple[Decimal, ...]
    confidence: int  # the grade of the whole benefit, or of the evidence of impact
    cashable: Decimal
    transfer: bool
    dists: dict[str, Dist] = field(default_factory=dict)
    leakage: Decimal = ZERO
    displacement: Decimal = ZERO
    substitution: Decimal = ZERO
    attribution: Decimal = ZERO
    # where each adjustment's figure comes from (deadweight and the ADDITIONALITY factors)
    sources: dict[str, str] = field(default_factory=dict)
    # with a separate grade for the unit value, ``confidence`` grades the evidence of impact
    value_confidence: int | None = None
    per: str = ""  # what one outcome is worth, with a unit cost: "year", "incident", ...

    def rate(self) -> Decimal:
        """The share of the cohort counted as net additional outcomes.

        ``engagement x success`` is the gross outcome rate; each adjustment then removes its
        share: leakage, displacement and substitution (the HCA Additionality Guide's
        ``(1 - L) x (1 - Dp) x (1 - S)``), deadweight (its reference case, taken as a share of
        the gross) and attribution (the share due to others).
        """
        r = self.engagement * self.success
        for share in self.adjustments().values():
            r *= ONE - share
        return r

    def adjustments(self) -> dict[str, Decimal]:
        """Each share taken off the gross outcomes, in the order they are applied."""
        return {
            "leakage": self.leakage,
            "displacement": self.displacement,
            "substitution": self.substitution,
            "deadweight": self.deadweight,
            "attribution": self.attribution,
        }

    def net_outcomes(self) -> list[Decimal]:
        rate = self.rate()
        return [c * rate for c in self.cohort]

    def grades(self) -> dict[str, int]:
        """The confidence grades that set this line's optimism bias, by what they grade."""
        if self.value_confidence is None:
            return {"confidence": self.confidence}
        return {"impact_confidence": self.confidence, "value_confidence": self.value_confidence}

    def kept(self, bias: dict[int, Decimal]) -> Decimal:
        """The share of the benefit kept after optimism bias.

        One grade: ``1 - bias(grade)``. Separate grades for the evidence of impact and for
        the unit value: ``(1 - bias(impact)) x (1 - bias(value))``, since the benefit is the
        number of outcomes times the value of one, and each factor is corrected for its own
        optimism (see docs/cba.md, "Optimism bias").
        """
        keep = ONE
        for g in self.grades().values():
            keep *= ONE - bias[g]
        return keep


@dataclass(frozen=True)
class Appraisal:
    settings: Settings
    costs: tuple[CostLine, ...]
    outcomes: tuple[OutcomeLine, ...]
    file: str = ""
    deflators: str = ""


# -- helpers used by sensitivity and simulation --------------------------------------


def with_outcome(app: Appraisal, i: int, **changes: Any) -> Appraisal:
    outs = list(app.outcomes)
    outs[i] = replace(outs[i], **changes)
    return replace(app, outcomes=tuple(outs))


def with_component_value(app: Appraisal, i: int, j: int, value: Decimal) -> Appraisal:
    comps = list(app.outcomes[i].components)
    comps[j] = replace(comps[j], unit_value=value)
    return with_outcome(app, i, components=tuple(comps))


def with_settings(app: Appraisal, **changes: Any) -> Appraisal:
    return replace(app, settings=replace(app.settings, **changes))


def scale_cohorts(app: Appraisal, k: Decimal) -> Appraisal:
    outs = tuple(replace(o, cohort=tuple(c * k for c in o.cohort)) for o in app.outcomes)
    return replace(app, outcomes=outs)
