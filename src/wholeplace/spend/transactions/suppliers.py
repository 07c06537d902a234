"""Supplier analysis (Ibis expressions: runs on DuckDB or Spark)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis

from wholeplace.spend.transactions.results import Unmapped
from wholeplace.workspace import Workspace


def in_year(tx: ibis.Table, year: str | None) -> ibis.Table:
    """The payments of financial year ``year`` (e.g. "2024/25"), or all of them.

    Filters on the date, not on the view's ``year`` label: a date range is checked
    against the stored column (and its zone maps) instead of building a label per row.
    """
    if year is None:
        return tx
    from wholeplace.years import parse_year

    start = int(parse_year(year).split("/")[0])
    return tx.filter((tx.paid_on >= date(start, 4, 1)) & (tx.paid_on <= date(start + 1, 3, 31)))


def top_suppliers(tx: ibis.Table, year: str | None = None, n: int = 20) -> ibis.Table:
    """The suppliers paid most: key, name, partners paying them, payments, £."""
    t = in_year(tx, year)
    t = t.filter(t.supplier_key.notnull())
    return (
        t.group_by(supplier_key=t.supplier_key)
        .aggregate(
            supplier=t.supplier.max(),
            partners=t.partner.nunique(),
            payments=t.count(),
            amount_gbp=t.amount_gbp.sum(),
        )
        .order_by([ibis.desc("amount_gbp"), "supplier_key"])
        .limit(n)
    )


def shared_suppliers(tx: ibis.Table, year: str | None = None, min_partners: int = 2) -> ibis.Table:
    """Suppliers paid by several partners: a shared-procurement opportunity."""
    t = in_year(tx, year)
    t = t.filter(t.supplier_key.notnull())
    g = t.group_by(supplier_key=t.supplier_key).aggregate(
        supplier=t.supplier.max(),
        partners=t.partner.nunique(),
        payments=t.count(),
        amount_gbp=t.amount_gbp.sum(),
    )
    return g.filter(g.partners >= min_partners).order_by(
        [ibis.desc("partners"), ibis.desc("amount_gbp"), "supplier_key"]
    )


def payments_between_partners(
    tx: ibis.Table, partners: ibis.Table, year: str | None = None
) -> ibis.Table:
    """Payments from one partner of the place to another (these feed the eliminations)."""
    t = in_year(tx, year)
    t = t.filter(t.counterparty.notnull())
    payer = partners.select(payer=partners.id, payer_name=partners.name)
    payee = partners.select(payee=partners.id, payee_name=partners.name)
    j = t.join(payer, t.partner == payer.payer).join(payee, t.counterparty == payee.payee)
    return j.group_by("payer", "payer_name", "payee", "payee_name", "year").aggregate(
        payments=j.count(), amount_gbp=j.amount_gbp.sum()
    )


def unmapped_report(ws: Workspace, partner: str | None = None) -> list[Unmapped]:
    """Unmapped department / service area / expense type values stored so far."""
    sql = (
        "SELECT department, service_area, expense_type, count(*), sum(amount_gbp) "
        "FROM transactions WHERE NOT mapped"
        + (" AND partner = ?" if partner else "")
        + " GROUP BY ALL ORDER BY abs(sum(amount_gbp)) DESC"
    )
    rows = ws.con.execute(sql, [partner] if partner else []).fetchall()
    return [Unmapped(a, b, c, int(d), Decimal(e)) for a, b, c, d, e in rows]
