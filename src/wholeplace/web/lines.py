"""A partner's raw spend lines, as imported: each view is written to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wholeplace.errors import WholeplaceError
from wholeplace.web.base import Place

SHOWN = 1000


@dataclass
class PartnerLines:
    partner: str
    year: str | None
    count: int
    total_gbp: Decimal
    rows: list[dict[str, Any]]  # the first SHOWN lines

    def to_json(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "year": self.year,
            "count": self.count,
            "total_gbp": str(self.total_gbp),
            "lines": [
                {k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()}
                for r in self.rows
            ],
        }


_COLUMNS = (
    "year",
    "service",
    "source_service",
    "subservice",
    "area",
    "customer_group",
    "amount_gbp",
    "counterparty",
    "source_row",
)


def partner_lines(place: Place, who: str, partner: str, year: str | None) -> PartnerLines:
    """The raw lines of ``partner`` (of ``year``, or every year); the caller has checked the
    user may see them. The view is recorded in the audit log with the user and address."""
    where, args = "partner = ?", [partner]
    if year:
        where, args = where + " AND year = ?", [partner, year]
    with place.read() as ws:
        count, total = ws.con.execute(
            f"SELECT count(*), coalesce(sum(amount_gbp), 0) FROM spend_lines WHERE {where}", args
        ).fetchall()[0]
        cur = ws.con.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM spend_lines WHERE {where} "
            f"ORDER BY year, import_id, source_row LIMIT {SHOWN}",
            args,
        )
        rows = [dict(zip(_COLUMNS, r, strict=True)) for r in cur.fetchall()]
        known = ws.con.execute("SELECT count(*) FROM partners WHERE id = ?", [partner]).fetchall()
    if not known[0][0]:
        raise WholeplaceError(f"There is no partner {partner!r}. Fix: see the partners list.")
    place.audit(who, "view raw lines", {"partner": partner})
    return PartnerLines(partner, year or None, int(count), Decimal(total), rows)
