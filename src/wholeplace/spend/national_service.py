"""The operations on published national data: Revenue Outturn (RS, and RSX with its detail
lines) and capital outturn or estimates (COR B, CER B) workbooks, for every front end.

Like :mod:`wholeplace.spend.service`, each returns a typed result whose ``to_json()`` is
exactly what ``--json`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wholeplace.spend.capital import CapitalResult
from wholeplace.spend.capital import import_capital as _import_capital
from wholeplace.spend.outturn import Authority, OutturnResult, read_workbook
from wholeplace.spend.outturn import import_outturn as _import_outturn
from wholeplace.spend.outturn_detail import DetailResult
from wholeplace.spend.outturn_detail import import_outturn_detail as _import_outturn_detail
from wholeplace.workspace import Workspace

__all__ = [
    "CapitalImport",
    "DetailResult",
    "OutturnAuthorities",
    "OutturnImport",
    "import_capital",
    "import_outturn",
    "import_outturn_detail",
    "outturn_authorities",
]


# -- published outturn ---------------------------------------------------------------------


@dataclass
class OutturnAuthorities:
    """The authorities of a Revenue Outturn workbook (``import-outturn --list``)."""

    file: str
    year: str
    authorities: list[Authority]

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {"ecode": a.ecode, "ons_code": a.ons_code, "name": a.name, "class": a.cls}
            for a in self.authorities
        ]


def outturn_authorities(workbook: Path) -> OutturnAuthorities:
    wb = read_workbook(workbook)
    return OutturnAuthorities(wb.file, wb.year, list(wb.authorities))


@dataclass
class OutturnImport:
    """What ``import_outturn`` wrote."""

    result: OutturnResult

    def to_json(self) -> dict[str, Any]:
        res = self.result
        w = res.written
        return {
            "year": res.year,
            "sheet": res.sheet,
            "authorities": len(res.authorities),
            "partners_added": res.partners_added,
            "rows": w.rows,
            "total_gbp": str(w.total_gbp),
            "partner_years": [
                {"partner": p, "year": y, "total_gbp": str(t)}
                for (p, y), t in sorted(w.by_partner_year.items())
            ],
            "skipped_rows": [{"row": r, "name": n} for r, n in res.skipped_rows],
            "mismatched_totals": [
                {"ecode": e, "sum_gbp": str(s), "published_total_gbp": str(t)}
                for e, s, t in res.mismatched_totals
            ],
        }


def import_outturn(
    ws: Workspace,
    workbook: Path,
    *,
    authority: str | None = None,
    partner: str | None = None,
    all_authorities: bool = False,
) -> OutturnImport:
    """Import a Revenue Outturn Summary (RS) workbook: one authority, or all of them."""
    return OutturnImport(
        _import_outturn(
            ws, workbook, authority=authority, partner=partner, all_authorities=all_authorities
        )
    )


def import_outturn_detail(
    ws: Workspace, file: Path, *, partner: str, year: str | None = None
) -> DetailResult:
    """Import one authority's detailed outturn (RSX with its RO4-RO6 lines) to the finer
    services: each division adds up to its RSX figure, the rest marked "not itemised"."""
    return _import_outturn_detail(ws, file, partner=partner, year=year)


@dataclass
class CapitalImport:
    """What ``import_capital`` wrote."""

    result: CapitalResult

    def to_json(self) -> dict[str, Any]:
        res = self.result
        w = res.written
        return {
            "year": res.year,
            "forecast": res.forecast,
            "authorities": len(res.authorities),
            "partners_added": res.partners_added,
            "rows": w.rows,
            "capital_gbp": str(w.total_gbp),
            "partner_years": [
                {"partner": p, "year": y, "capital_gbp": str(t)}
                for (p, y), t in sorted(w.by_partner_year.items())
            ],
            "skipped_rows": [{"row": r, "name": n} for r, n in res.skipped_rows],
            "not_published": [{"row": r, "name": n} for r, n in res.not_published],
        }


def import_capital(
    ws: Workspace,
    workbook: Path,
    *,
    authority: str | None = None,
    partner: str | None = None,
    all_authorities: bool = False,
) -> CapitalImport:
    """Import a capital outturn (COR B) or estimates (CER B) workbook: capital lines."""
    return CapitalImport(
        _import_capital(
            ws, workbook, authority=authority, partner=partner, all_authorities=all_authorities
        )
    )
