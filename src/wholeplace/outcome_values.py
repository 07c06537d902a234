"""Unit Cost Database values as SROI financial proxies, and the spend map's money behind
each outcome, read through the cost-benefit and spend services for the outcomes capability.

The capabilities are independent of one another (import-linter contract 2), so outcomes
declares what it needs (:data:`wholeplace.outcomes.ProxyLookup`,
:data:`wholeplace.outcomes.service.SpendLookup`) and this module, outside
every capability, fills it from ``cba.service`` as ``place_evidence`` does for the framework.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from wholeplace.cba import service as cba_service
from wholeplace.errors import WholeplaceError
from wholeplace.money import to_money
from wholeplace.outcomes import ProxyLookup
from wholeplace.outcomes.links import AppraisalLines, LineValue, SpendLine, SpendLines
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


def spend_service_codes() -> set[str]:
    """The spend map's service codes, which an outcome's links are checked against."""
    return {s.code for s in spend_service.services().services}


def spend_lines(ws: Workspace, year: str | None = None) -> SpendLines:
    """The place's consolidated spend of ``year`` (default: the latest) by partner x service
    x customer group, for the outcomes' contributions; None when it has no spend."""

    def lookup() -> tuple[str, list[SpendLine]] | None:
        try:
            y, rows = spend_service.spend_by_partner_service_and_group(ws, year)
        except WholeplaceError:
            return None  # no spend imported
        return y, [SpendLine(p, s, g, a) for p, s, g, a in rows]

    return lookup


def appraisal_lines(ws: Workspace) -> AppraisalLines:
    """Each outcome line of an appraisal file as the place runs it (its unit costs,
    parameters and partners): its net outcomes over the years, and the present value of its
    fiscal, economic and social values after optimism bias, transfers left out as public
    value leaves them out (docs/cba.md)."""

    def lookup(path: Path) -> list[LineValue]:
        result = cba_service.run(path, ws).result
        s = result.appraisal.settings
        factors = [y.discount_factor for y in result.years]
        people: dict[str, Decimal] = {}
        value: dict[str, Decimal] = {}
        for d in result.lines:
            if d.kind != "outcome":
                continue
            # a line has a detail per value (component); each has the line's net outcomes
            people.setdefault(d.description, sum(d.net_outcomes, Decimal(0)))
            pv = sum((a * f for a, f in zip(d.adjusted, factors, strict=False)), Decimal(0))
            value[d.description] = value.get(d.description, Decimal(0)) + (
                Decimal(0) if d.transfer else pv
            )
        return [
            LineValue(line, s.name, s.price_year, people[line], to_money(value[line]))
            for line in people
        ]

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
