"""Unit Cost Database values as SROI financial proxies, and the spend map's money behind
each outcome, read through the cost-benefit and spend services for the outcomes capability.

The capabilities are independent of one another (import-linter contract 2), so outcomes
declares what it needs (:data:`wholeplace.outcomes.ProxyLookup`,
:data:`wholeplace.outcomes.service.SpendLookup`) and this module, outside
every capability, fills it from ``cba.service`` as ``place_evidence`` does for the framework.
"""

from __future__ import annotations

from decimal import Decimal

from wholeplace.cba import service as cba_service
from wholeplace.errors import WholeplaceError
from wholeplace.outcomes import ProxyLookup
from wholeplace.outcomes.service import Money, SpendLookup
from wholeplace.spend import service as spend_service
from wholeplace.workspace import Workspace


def unit_cost_proxies(ws: Workspace | None) -> ProxyLookup:
    """A lookup of the place's unit cost database (the shipped one when ``ws`` is None):
    a unit cost's fiscal, economic or social value uprated to the SROI's price year."""

    def lookup(code: str, kind: str, year: str) -> tuple[Decimal, str]:
        up = cba_service.uprate(code, year, ws)
        value = next((v for v in up.values if v.kind == kind), None)
        if value is None:
            has = ", ".join(v.kind for v in up.values) or "no values"
            raise WholeplaceError(
                f"Unit cost {code} has no {kind} value (it has {has}). "
                "Fix: choose another kind or unit cost in the framework's sroi section."
            )
        entry = cba_service.show(code, ws).entry
        return value.uprated, (
            f"Unit Cost Database {up.code} ({entry.description}): {kind} value "
            f"£{value.amount} in {value.from_year} prices, uprated to {year} with "
            f"{up.deflators} (factor {value.factor})"
        )

    return lookup


def spend_behind(ws: Workspace, year: str | None = None) -> SpendLookup:
    """The spend map's consolidated spend of ``year`` (default: the latest) by service, for
    the services an outcome names; None when the place has no spend."""
    found: list[Money | None] = []

    def by_service() -> Money | None:
        if not found:
            try:
                y = spend_service.choose_year(ws, year)
            except WholeplaceError:
                found.append(None)  # no spend imported
            else:
                rows = spend_service.build_map(ws, y, "service").map.rows
                found.append(Money(y, tuple((r.key, r.label, r.amount_gbp) for r in rows)))
        return found[0]

    def lookup(services: tuple[str, ...]) -> Money | None:
        every = by_service()
        if every is None:
            return None
        lines = tuple(x for x in every.lines if x[0] in services)
        return Money(every.year, lines)

    return lookup
