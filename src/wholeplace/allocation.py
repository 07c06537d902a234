"""Spend on no area (a county's, a police force's) allocated to the areas by a driver.

A county council, police or fire authority, or an NHS body spends over the whole place,
so its lines in the spend map carry no area and the per-head map shows only the lower
tier. This module shares such an amount over the areas by a driver the user chooses:
``population`` (the areas' populations, ``wholeplace areas import``) or the name of a
small-area indicator (``wholeplace assets indicator``). The split is by largest remainder
(:func:`wholeplace.money.apportion`), so the parts add back to the amount to the penny,
and it is always shown apart from the areas' own spend: it is a model, not a record of
where the money went.

Both the spend report (its per-head map) and the area profiles use it; it is a shared
piece so that neither capability imports the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wholeplace.areas import area_populations
from wholeplace.errors import WholeplaceError
from wholeplace.money import ZERO, apportion, to_money
from wholeplace.workspace import Workspace

POPULATION = "population"


def allocate(amount: Decimal, driver: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """``amount`` split over the areas by ``driver``, to the penny, the parts adding back
    to ``amount`` exactly (largest remainder). Areas whose driver is 0 or less get
    nothing; with no positive driver at all, nothing is allocated (an empty dict)."""
    codes = sorted(c for c, w in driver.items() if w > 0)
    if not codes:
        return {}
    parts = apportion(amount, [driver[c] for c in codes])
    # apportion's pennies / 100 drop trailing zeros (25000): written as money, 25000.00
    return {c: to_money(p) for c, p in zip(codes, parts, strict=True)}


def driver_weights(ws: Workspace, driver: str) -> dict[str, Decimal]:
    """The driver's figure for each area: the areas' populations for ``population``
    (falling back to an indicator named ``population`` when no area has one), else the
    values of the indicator named ``driver``."""
    weights: dict[str, Decimal] = {}
    if driver == POPULATION:
        weights = {c: Decimal(p) for c, p in area_populations(ws).items()}
    if not weights:
        weights = {
            c: Decimal(v)
            for c, v in ws.con.execute(
                "SELECT code, value FROM area_indicators WHERE indicator = ?", [driver]
            ).fetchall()
        }
    if not any(w > 0 for w in weights.values()):
        raise WholeplaceError(
            f"Nothing to allocate by: {driver!r} has no figures above 0. Fix: --allocate-by "
            "population (the areas' populations, `wholeplace areas import`), or the name of "
            "an indicator imported with `wholeplace assets indicator`."
        )
    return weights


@dataclass(frozen=True)
class Allocation:
    """What was allocated, by which driver, to which areas, and what was not."""

    driver: str
    amount: Decimal  # spend on no area, as the spend map gives it
    parts: dict[str, Decimal] = field(default_factory=dict)

    @property
    def allocated(self) -> Decimal:
        return sum(self.parts.values(), ZERO)

    @property
    def not_allocated(self) -> str:
        """In words: what this allocation leaves out."""
        return (
            "Allocated: the spend the map holds on no area, shared by "
            f"{self.driver} over the {len(self.parts):,} areas with a {self.driver} figure "
            "above 0. Not allocated: spend the partners did not import, spend in areas with "
            f"no {self.driver} figure, and spend outside the place; the allocation is a "
            "model of who benefits, not a record of where the money was spent."
        )

    def per_head(
        self, own: Mapping[str, Decimal], populations: Mapping[str, int]
    ) -> dict[str, Decimal]:
        """Each area's own spend plus its allocated part, per head of its population."""
        out = {}
        for code in set(own) | set(self.parts):
            pop = populations.get(code)
            if pop:
                out[code] = to_money((own.get(code, ZERO) + self.parts.get(code, ZERO)) / pop)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "driver": self.driver,
            "amount_gbp": str(self.amount),
            "allocated_gbp": str(self.allocated),
            "areas": len(self.parts),
            "not_allocated": self.not_allocated,
        }


def allocate_by(ws: Workspace, amount: Decimal, driver: str) -> Allocation:
    """``amount`` (spend on no area) allocated over the place's areas by ``driver``."""
    return Allocation(driver, amount, allocate(amount, driver_weights(ws, driver)))
