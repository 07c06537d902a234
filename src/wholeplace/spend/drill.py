"""Drilling down the consolidated spend: groups, then one group's partners, then one
partner's services, each sliceable by area and customer group (the web's spend map)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wholeplace.engine import duckdb_tables
from wholeplace.errors import WholeplaceError
from wholeplace.spend.consolidate import (
    NOT_ALLOCATED,
    NOT_STATED,
    MapRow,
    SpendFilter,
    filtered_rows,
    years,
)
from wholeplace.workspace import Workspace
from wholeplace.years import YearError, parse_year


@dataclass
class Drill:
    """One level of the drill-down: rows by group, by partner (of ``group``) or by service
    (of ``partner``), in ``year``, for ``area`` and ``customer_group`` (None: all)."""

    place: str
    year: str
    by: str
    total_gbp: Decimal
    rows: list[MapRow]
    group: str | None = None
    partner: str | None = None
    partner_name: str | None = None
    area: str | None = None
    customer_group: str | None = None
    years: list[str] = field(default_factory=list)
    areas: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    customer_groups: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "place": self.place,
            "year": self.year,
            "by": self.by,
            "group": self.group,
            "partner": self.partner,
            "area": self.area,
            "customer_group": self.customer_group,
            "total_gbp": str(self.total_gbp),
            "rows": [
                {
                    "key": r.key,
                    "label": r.label,
                    "amount_gbp": str(r.amount_gbp),
                    "estimated_gbp": str(r.estimated_gbp),
                    "share": float(r.share),
                    "capital_gbp": str(r.capital_gbp),
                }
                for r in self.rows
            ],
        }


def _pick(value: str | None, allowed: list[str], what: str) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        shown = ", ".join(allowed[:10]) + (" ..." if len(allowed) > 10 else "")
        raise WholeplaceError(f"There is no {what} {value!r} in this map. Fix: choose {shown}.")
    return value


def drill(
    ws: Workspace,
    year: str | None = None,
    *,
    group: str | None = None,
    partner: str | None = None,
    area: str | None = None,
    customer_group: str | None = None,
) -> Drill:
    """The consolidated spend of ``year`` (default: the latest), one level down from the
    choices made. Eliminations are taken out before the slice is cut."""
    t = duckdb_tables(ws)
    have = years(t)
    if not have:
        raise WholeplaceError("No spend imported yet. Fix: upload spend lines.")
    try:
        y = have[-1] if not year else parse_year(year)
    except YearError as exc:
        raise WholeplaceError(f"{exc}. Fix: write the year as 2024/25.") from exc
    if y not in have:
        raise WholeplaceError(f"No spend for {y}. Years with spend: {', '.join(have)}.")
    partners = ws.con.execute('SELECT id, name, "group" FROM partners ORDER BY id').fetchall()
    group_of = {pid: g for pid, _n, g in partners}
    names = {pid: n for pid, n, _g in partners}
    area_rows = ws.con.execute(
        "SELECT DISTINCT coalesce(l.area, ?), coalesce(a.name, l.area, ?) FROM spend_lines l "
        "LEFT JOIN areas a ON a.code = l.area WHERE l.year = ? ORDER BY 2",
        [NOT_ALLOCATED, NOT_ALLOCATED, y],
    ).fetchall()
    customer = [
        r[0]
        for r in ws.con.execute(
            "SELECT DISTINCT coalesce(customer_group, ?) FROM spend_lines WHERE year = ? "
            "ORDER BY 1",
            [NOT_STATED, y],
        ).fetchall()
    ]
    area = _pick(area, [a for a, _n in area_rows], "area")
    customer_group = _pick(customer_group, customer, "customer group")
    partner = _pick(partner, sorted(names), "partner")
    group = _pick(group, sorted(set(group_of.values())), "group")
    if partner is not None:
        by, chosen = "service", frozenset({partner})
        group = group_of[partner]
    elif group is not None:
        by, chosen = "partner", frozenset(p for p, g in group_of.items() if g == group)
    else:
        by, chosen = "group", None
    total, rows = filtered_rows(t, y, by, SpendFilter(chosen, area, customer_group))
    return Drill(
        ws.name,
        y,
        by,
        total,
        rows,
        group,
        partner,
        None if partner is None else names[partner],
        area,
        customer_group,
        have,
        [(a, n) for a, n in area_rows],
        customer,
    )
