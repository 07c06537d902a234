"""The gain-share agreement and its result: partners' flows, the rule, positions before
and after, transfers and payments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from wholeplace.errors import Notice
from wholeplace.money import to_money
from wholeplace.sharing.rules import pct
from wholeplace.sharing.shapley import EXACT_LIMIT, ShapleyResult

RULES = (
    "proportional_to_investment",
    "equal",
    "fixed",
    "recover_outlay_first",
    "proportional_to_benefit",
    "shapley",
)
DEFAULT_DISCOUNT = Decimal("0.035")  # HM Treasury Green Book social time preference rate
DEFAULT_RISK_CONCENTRATION = Decimal("0.9")


@dataclass
class PartnerFlows:
    id: str
    name: str
    costs: list[Decimal]
    benefits: list[Decimal]
    # the part of each year's benefits that is cash (None: all of it, as in a typed agreement);
    # an appraisal's fiscal benefits are only partly cashable
    cashable: list[Decimal] | None = None

    def cashable_by_year(self) -> list[Decimal]:
        return list(self.benefits) if self.cashable is None else list(self.cashable)


@dataclass
class Rule:
    kind: str
    shares: dict[str, Decimal] = field(default_factory=dict)  # fixed
    then: Rule | None = None  # recover_outlay_first: how the rest is split

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """The rule in words; ``names`` (id -> name) names the partners of fixed shares."""
        if self.kind == "fixed":
            shares = ", ".join(
                f"{(names or {}).get(p, p)} {pct(s)}" for p, s in self.shares.items()
            )
            return f"fixed shares ({shares})"
        if self.kind == "recover_outlay_first":
            then = self.then.describe(names) if self.then else "equally"
            return f"investors recover their outlay first, then the rest is shared {then}"
        return {
            "proportional_to_investment": "in proportion to investment",
            "proportional_to_benefit": "in proportion to benefit",
            "equal": "equally",
            "shapley": "by the Shapley value (each partner's average marginal contribution)",
        }.get(self.kind, self.kind.replace("_", " "))


@dataclass
class Agreement:
    name: str
    years: list[str]
    partners: list[PartnerFlows]
    rule: Rule
    discount_rate: Decimal = DEFAULT_DISCOUNT
    essential: list[str] | None = None
    shapley_samples: int = 5000
    shapley_seed: int = 0
    shapley_exact_limit: int = EXACT_LIMIT
    risk_concentration: Decimal = DEFAULT_RISK_CONCENTRATION
    # What groups of partners are known to achieve on their own, overriding the default game.
    coalition_values: dict[frozenset[str], Decimal] = field(default_factory=dict)
    # A schedule of rates by year, ((first year, rate), ...), carried from an appraisal (the
    # Green Book's declines after year 30); empty for the flat discount_rate.
    discount_bands: tuple[tuple[int, Decimal], ...] = ()
    discount_name: str = "flat"
    # amounts given to more than the penny, and rounded: shown, as the spend imports show them
    notices: list[Notice] = field(default_factory=list)

    def bands(self) -> tuple[tuple[int, Decimal], ...]:
        return self.discount_bands or ((0, self.discount_rate),)

    def describe_rule(self) -> str:
        """The rule in words, its partners named by name."""
        return self.rule.describe({p.id: p.name for p in self.partners})

    def describe_discount(self) -> str:
        """``3.5%`` for a flat rate, else the schedule, e.g. ``green_book (3.5% from year 0,
        3.0% from year 31, 2.5% from year 76)``."""
        if len(self.bands()) == 1:
            return pct(self.bands()[0][1])
        parts = ", ".join(f"{pct(r)} from year {y}" for y, r in self.bands())
        return f"{self.discount_name} ({parts})"

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.partners]

    def flows(self, pid: str) -> PartnerFlows:
        return next(p for p in self.partners if p.id == pid)


@dataclass
class Position:
    undiscounted: Decimal
    discounted: Decimal


@dataclass
class PartnerOutcome:
    id: str
    name: str
    investment: Decimal
    benefit: Decimal
    cashable_benefit: Decimal
    before_by_year: list[Decimal]
    after_by_year: list[Decimal]
    transfer_by_year: list[Decimal]  # + receives, - pays
    before: Position
    after: Position
    worst_cumulative_after: Decimal
    outside_option: Decimal


@dataclass
class Payment:
    year: str
    payer: str
    receiver: str
    amount: Decimal


@dataclass
class GainShareResult:
    agreement: Agreement
    outcomes: list[PartnerOutcome]
    payments: list[Payment]
    weights: dict[str, Fraction]
    shapley: ShapleyResult[str] | None
    warnings: list[str]
    joint_net: Position

    def outcome(self, pid: str) -> PartnerOutcome:
        return next(o for o in self.outcomes if o.id == pid)

    def to_json(self) -> dict[str, Any]:
        a = self.agreement
        out: dict[str, Any] = {
            "agreement": a.name,
            "rule": a.describe_rule(),
            "years": a.years,
            "discount_rate": a.discount_rate,
            "discount": {
                "name": a.discount_name,
                "bands": [{"from_year": y, "rate": r} for y, r in a.bands()],
            },
            "joint_net": self.joint_net.__dict__,
            "partners": [
                {
                    "id": o.id,
                    "name": o.name,
                    "investment": o.investment,
                    "benefit": o.benefit,
                    "cashable_benefit": o.cashable_benefit,
                    "before": o.before.__dict__,
                    "after": o.after.__dict__,
                    "before_by_year": dict(zip(a.years, o.before_by_year, strict=True)),
                    "after_by_year": dict(zip(a.years, o.after_by_year, strict=True)),
                    "transfer_by_year": dict(zip(a.years, o.transfer_by_year, strict=True)),
                    "worst_cumulative_after": o.worst_cumulative_after,
                }
                for o in self.outcomes
            ],
            "payments": [p.__dict__ for p in self.payments],
            "warnings": self.warnings,
            "notices": [n.to_dict() for n in a.notices],
        }
        if self.shapley is not None:
            out["shapley"] = {
                "method": self.shapley.method,
                "samples": self.shapley.samples,
                "seed": self.shapley.seed,
                "values": {
                    str(p): to_money(Decimal(v.numerator) / Decimal(v.denominator))
                    for p, v in self.shapley.values.items()
                },
            }
        return out
