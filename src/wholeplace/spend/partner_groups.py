"""Consolidated spend by partner x customer group: what the objectives capability weighs
partners' contributions with."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wholeplace.engine import duckdb_tables, execute
from wholeplace.money import to_money
from wholeplace.spend.consolidate import NOT_STATED, consolidated_lines
from wholeplace.workspace import Workspace


@dataclass(frozen=True)
class PartnerGroupAmount:
    """Consolidated spend of one partner on one customer group (as the lines name it)."""

    partner: str
    partner_name: str
    customer_group: str  # the lines' label; NOT_STATED where a line names none
    amount_gbp: Decimal


@dataclass
class PartnerGroupSpend:
    """Consolidated spend of a year by partner x customer group (eliminations left out)."""

    year: str
    rows: list[PartnerGroupAmount]

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "rows": [
                {
                    "partner": r.partner,
                    "partner_name": r.partner_name,
                    "customer_group": r.customer_group,
                    "amount_gbp": str(r.amount_gbp),
                }
                for r in self.rows
            ],
        }


def partner_group_spend(ws: Workspace, year: str) -> PartnerGroupSpend:
    """The consolidated spend of ``year`` by partner x customer group."""
    t = duckdb_tables(ws)
    lines = consolidated_lines(t, year)
    j = lines.join(t.partners, lines.partner == t.partners.id)
    expr = j.group_by(
        partner=j.partner,
        partner_name=j.name,
        customer_group=j.customer_group.fill_null(NOT_STATED),
    ).aggregate(amount_gbp=j.amount_gbp.sum())
    rows = [
        PartnerGroupAmount(
            r["partner"], r["partner_name"], r["customer_group"], to_money(r["amount_gbp"])
        )
        for r in execute(t.backend, expr)
    ]
    rows.sort(key=lambda r: (r.partner, r.customer_group))
    return PartnerGroupSpend(year, rows)


def partner_service_group_spend(
    ws: Workspace, year: str
) -> list[tuple[str, str, str | None, Decimal]]:
    """The consolidated revenue spend of ``year`` (eliminations taken out, as the spend map
    counts it) by partner x service x customer group (None: the lines name none)."""
    t = duckdb_tables(ws)
    lines = consolidated_lines(t, year, "revenue")
    expr = lines.group_by(
        partner=lines.partner, service=lines.service, customer_group=lines.customer_group
    ).aggregate(amount_gbp=lines.amount_gbp.sum())
    rows = [
        (str(r["partner"]), str(r["service"]), r["customer_group"], to_money(r["amount_gbp"]))
        for r in execute(t.backend, expr)
    ]
    rows.sort(key=lambda r: (r[0], r[1], r[2] or ""))
    return rows
