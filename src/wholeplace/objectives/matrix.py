"""The partners x customer-groups matrix: objectives and money side by side.

Each cell holds a partner's objectives for a group and its consolidated spend on that group
(from the spend map, payments between partners eliminated). Spend whose customer group no
group of the place answers to (or that names none) is kept apart, per partner, so every
pound of the map is accounted for: the cells plus the unmatched spend equal the map's total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wholeplace.objectives.findings import Objective
from wholeplace.objectives.store import GroupIndex

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class SpendCell:
    partner: str
    label: str  # the customer group as the spend lines name it
    amount_gbp: Decimal


@dataclass
class Cell:
    objectives: list[Objective] = field(default_factory=list)
    amount_gbp: Decimal | None = None  # None: no spend map, or no spend on the group

    def arrows(self) -> str:
        """``increase Employment; reduce Falls``: the objectives of the cell in words."""
        return "; ".join(f"{o.direction} {o.outcome}" for o in self.objectives)


@dataclass
class Matrix:
    partners: list[str]
    partner_names: dict[str, str]
    groups: list[str]
    cells: dict[tuple[str, str], Cell]
    spend_year: str | None
    unmatched: dict[str, dict[str, Decimal]]  # partner -> spend label -> amount

    def cell(self, partner: str, group: str) -> Cell:
        return self.cells.get((partner, group)) or Cell()

    def spend_total(self) -> Decimal:
        matched = sum((c.amount_gbp or ZERO for c in self.cells.values()), ZERO)
        return matched + sum((sum(d.values(), ZERO) for d in self.unmatched.values()), ZERO)

    def spend_by_purpose(self) -> tuple[Decimal, Decimal, Decimal]:
        """(£ a partner spends on groups it has an objective for, £ on groups it has none
        for, £ on no group of the place): together, :meth:`spend_total`, to the penny."""
        served = sum((c.amount_gbp or ZERO for c in self.cells.values() if c.objectives), ZERO)
        without = sum((a for _p, _g, a in self.money_without_objectives()), ZERO)
        return served, without, self.spend_total() - served - without

    def money_without_objectives(self) -> list[tuple[str, str, Decimal]]:
        """(partner, group, £) where a partner spends on a group it has no objective for."""
        return [
            (p, g, c.amount_gbp)
            for (p, g), c in sorted(self.cells.items())
            if c.amount_gbp and not c.objectives
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "spend_year": self.spend_year,
            "partners": self.partners,
            "customer_groups": self.groups,
            "cells": [
                {
                    "partner": p,
                    "customer_group": g,
                    "objectives": [o.row for o in c.objectives],
                    "directions": [f"{o.direction} {o.outcome}" for o in c.objectives],
                    "spend_gbp": None if c.amount_gbp is None else str(c.amount_gbp),
                }
                for (p, g), c in sorted(self.cells.items())
            ],
            "unmatched_spend": [
                {"partner": p, "label": label, "spend_gbp": str(a)}
                for p, labels in sorted(self.unmatched.items())
                for label, a in sorted(labels.items())
            ],
        }


def build(
    objectives: Sequence[Objective],
    groups: GroupIndex,
    partner_names: Mapping[str, str],
    spend: Sequence[SpendCell] = (),
    spend_year: str | None = None,
) -> Matrix:
    cells: dict[tuple[str, str], Cell] = defaultdict(Cell)
    for o in objectives:
        cells[(o.partner, o.customer_group)].objectives.append(o)
    unmatched: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for s in spend:
        g = groups.find(s.label)
        if g is None:
            unmatched[s.partner][s.label] += s.amount_gbp
            continue
        c = cells[(s.partner, g.name)]
        c.amount_gbp = (c.amount_gbp or ZERO) + s.amount_gbp
    partners = sorted({p for p, _ in cells} | set(unmatched))
    used = {g for _, g in cells}
    # Every group of the place is a column, so a group nobody has an objective for shows.
    names = sorted(set(groups.names()) | used)
    return Matrix(
        partners,
        {p: partner_names.get(p, p) for p in partners},
        names,
        dict(cells),
        spend_year,
        {p: dict(d) for p, d in unmatched.items()},
    )
