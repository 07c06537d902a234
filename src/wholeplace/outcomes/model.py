"""The outcomes framework as data: outcomes, their indicators, services' RBA performance
measures, claimed effects (gross and net) and the social return on investment lines.

Every figure a person gives is kept exact (``Decimal``); shares are fractions from 0 to 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

FREQUENCIES = ("monthly", "quarterly", "annual")
POLARITIES = ("higher", "lower")
# The three questions of results-based accountability, asked of every service.
CATEGORIES = {
    "how_much": "How much did we do?",
    "how_well": "How well did we do it?",
    "better_off": "Is anyone better off?",
}
# The six dimensions of the Government Data Quality Framework (Government Data Quality Hub,
# 2020). Scoring each 1 (poor) to 5 (good) is wholeplace's convention, not the framework's.
QUALITY_DIMENSIONS = (
    "accuracy",
    "completeness",
    "uniqueness",
    "consistency",
    "timeliness",
    "validity",
)
# The additionality factors of the HCA Additionality Guide's formula (leakage, displacement,
# substitution), then deadweight (the reference case) and attribution (the share due to
# others), as the appraisals apply them.
FACTORS = ("leakage", "displacement", "substitution", "deadweight", "attribution")
DEFAULT_SUPPRESS_BELOW = 5
DEFAULT_QUALITY_THRESHOLD = 3


@dataclass(frozen=True)
class Point:
    """A baseline or a target: a value on a date."""

    value: Decimal
    on: date

    def to_json(self) -> dict[str, Any]:
        return {"value": str(self.value), "date": self.on.isoformat()}


@dataclass(frozen=True)
class Indicator:
    """A population indicator of an outcome, or a performance measure of a service."""

    id: str
    name: str
    definition: str
    source: str
    unit: str
    polarity: str  # higher or lower is better
    frequency: str
    owner: str  # a partner id
    quality: dict[str, int]
    baseline: Point | None = None
    target: Point | None = None
    outcome: str | None = None  # set for a population indicator
    service: str | None = None  # set for a performance measure
    category: str | None = None  # how_much, how_well or better_off, for a measure

    @property
    def quality_score(self) -> int:
        """The lowest of the six dimension scores: data are only as good as their weakest
        side (wholeplace's rule, stated in docs/outcomes.md)."""
        return min(self.quality.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "definition": self.definition,
            "source": self.source,
            "unit": self.unit,
            "polarity": self.polarity,
            "frequency": self.frequency,
            "owner": self.owner,
            "quality": dict(self.quality),
            "quality_score": self.quality_score,
            "baseline": None if self.baseline is None else self.baseline.to_json(),
            "target": None if self.target is None else self.target.to_json(),
            "outcome": self.outcome,
            "service": self.service,
            "category": self.category,
        }


@dataclass(frozen=True)
class Contribution:
    """One partner's spend lines behind an outcome: its lines of a spend-map service, or its
    lines for a customer group (as the lines name it); exactly one of the two is given."""

    partner: str
    service: str | None = None
    customer_group: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "service": self.service,
            "customer_group": self.customer_group,
        }


@dataclass(frozen=True)
class AppraisalLink:
    """An appraisal's outcome line behind an outcome: the appraisal file (as written in the
    framework, relative to it) and the line's description."""

    appraisal: str
    line: str
    row: int | None = field(default=None, compare=False)  # its line in the framework file

    def to_json(self) -> dict[str, Any]:
        return {"appraisal": self.appraisal, "line": self.line}


@dataclass(frozen=True)
class Outcome:
    id: str
    title: str
    partners: tuple[str, ...]  # the partners who contribute to it
    spend_services: tuple[str, ...] = ()  # the spend map's service codes behind it
    contributions: tuple[Contribution, ...] = ()  # partners' spend lines behind it
    appraisal_lines: tuple[AppraisalLink, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "partners": list(self.partners),
            "spend_services": list(self.spend_services),
            "contributions": [c.to_json() for c in self.contributions],
            "appraisal_lines": [a.to_json() for a in self.appraisal_lines],
        }


@dataclass(frozen=True)
class Service:
    """A service or intervention, answering the three RBA questions with its measures."""

    id: str
    name: str
    partner: str
    outcomes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "partner": self.partner,
            "outcomes": list(self.outcomes),
        }


@dataclass(frozen=True)
class Factor:
    """One additionality factor: a share from 0 to 1, and where it comes from."""

    share: Decimal
    source: str

    def to_json(self) -> dict[str, Any]:
        return {"share": str(self.share), "source": self.source}


@dataclass(frozen=True)
class Comparison:
    """A comparison area beside the area a claim is about: the claim's indicator in both,
    before and after, for a difference in differences."""

    area: str  # where the work was done
    comparison: str  # where it was not
    before: str  # period labels, as the observations write them
    after: str
    source: str  # why the comparison area is a fair one

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Claim:
    """An effect a partner claims, to be shown gross and net.

    ``reference`` is the change the reference case (a comparison area or group) shows in the
    same unit as ``gross``: the deadweight as an amount, as the HCA Guide's formula subtracts
    it. A deadweight share and a reference are not given together.
    """

    id: str
    description: str
    gross: Decimal
    unit: str
    factors: dict[str, Factor]
    indicator: str | None = None
    reference: Decimal | None = None
    reference_source: str | None = None
    comparison: Comparison | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "description": self.description,
            "gross": str(self.gross),
            "unit": self.unit,
            "indicator": self.indicator,
            "factors": {k: f.to_json() for k, f in self.factors.items()},
            "reference": None if self.reference is None else str(self.reference),
            "reference_source": self.reference_source,
            "comparison": None if self.comparison is None else self.comparison.to_json(),
        }


@dataclass(frozen=True)
class Proxy:
    """What one unit of an outcome is worth: an amount given with its source, or a Unit
    Cost Database code (``kind``: its fiscal, economic or social value) found later."""

    amount: Decimal | None
    source: str | None
    unit_cost: str | None = None
    kind: str = "fiscal"

    def to_json(self) -> dict[str, Any]:
        return {
            "amount": None if self.amount is None else str(self.amount),
            "source": self.source,
            "unit_cost": self.unit_cost,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class ValueLine:
    """One outcome of the SROI impact map: who gains, how many, what one is worth, for how
    long, and what is taken off."""

    description: str
    stakeholder: str
    quantity: Decimal
    proxy: Proxy
    duration: int  # years the outcome lasts
    drop_off: Decimal  # share lost each year after the first
    factors: dict[str, Factor]
    output: str = ""  # the output that leads to it (the impact map's middle column)
    indicator: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "stakeholder": self.stakeholder,
            "output": self.output,
            "indicator": self.indicator,
            "quantity": str(self.quantity),
            "proxy": self.proxy.to_json(),
            "duration": self.duration,
            "drop_off": str(self.drop_off),
            "factors": {k: f.to_json() for k, f in self.factors.items()},
        }


@dataclass(frozen=True)
class Sroi:
    name: str
    investment: Decimal  # the value of the inputs, in pounds
    price_year: str  # the year whose prices the proxies are in
    discount_rate: Decimal
    discount_source: str
    lines: tuple[ValueLine, ...]
    stakeholders: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "investment": str(self.investment),
            "price_year": self.price_year,
            "discount_rate": str(self.discount_rate),
            "discount_source": self.discount_source,
            "stakeholders": list(self.stakeholders),
            "lines": [x.to_json() for x in self.lines],
        }


@dataclass(frozen=True)
class Framework:
    outcomes: tuple[Outcome, ...]
    services: tuple[Service, ...]
    indicators: tuple[Indicator, ...]
    claims: tuple[Claim, ...] = ()
    sroi: Sroi | None = None
    suppress_below: int = DEFAULT_SUPPRESS_BELOW
    quality_threshold: int = DEFAULT_QUALITY_THRESHOLD
    extra: dict[str, Any] = field(default_factory=dict)

    def indicator(self, ind_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == ind_id), None)

    @property
    def contributions(self) -> bool:
        """Whether any outcome names partners' spend lines."""
        return any(o.contributions for o in self.outcomes)

    def to_json(self) -> dict[str, Any]:
        return {
            "suppress_below": self.suppress_below,
            "quality_threshold": self.quality_threshold,
            "outcomes": [o.to_json() for o in self.outcomes],
            "services": [s.to_json() for s in self.services],
            "indicators": [i.to_json() for i in self.indicators],
            "claims": [c.to_json() for c in self.claims],
            "sroi": None if self.sroi is None else self.sroi.to_json(),
        }
