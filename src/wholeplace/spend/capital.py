"""MHCLG's capital outturn (COR) and capital estimates (CER) workbooks, read as published.

The "B" workbooks give, for every English authority, the resources used to finance its
capital expenditure in a year (£ thousand): grants by source, capital receipts, revenue
contributions, borrowing and their total, ``FIN1-fingrandtot-amt`` - what the authority
spent on capital, financed. They have no split by service, so each authority gets one
capital line of the taxonomy's ``CAPEX`` (capital expenditure, all services), basis gross,
account ``capital``: the map shows it beside the revenue total, never in it.

Layout (the newer MHCLG style): row 1 holds machine codes (``la_lgf_code``, ...,
``FIN1-fingrandtot-amt``), then a title naming the return and year ("COR B 2018-19: ..."),
units, group headings and the labels; one row per authority; an England row, class
breakdowns and footnotes below. The reader finds columns by their machine codes, never by
position. A CER workbook is a forecast: its lines are marked as estimates, saying so.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.errors import InputError, Problem, Problems
from wholeplace.money import to_money
from wholeplace.partners import Partner, partner_ids, upsert
from wholeplace.spend.lines import Line, WriteResult, check_lines, write_lines
from wholeplace.spend.outturn import (
    _NOT_PUBLISHED,
    Authority,
    choose_authorities,
    partner_for,
)
from wholeplace.workbook_limits import check_workbook
from wholeplace.workspace import Workspace, file_sha256
from wholeplace.years import parse_year

SHEET = "Financing"
SERVICE = "CAPEX"
THOUSAND = Decimal(1000)
CODE, ONS, NAME, CLASS = "la_lgf_code", "la_ons_code", "la_name", "la_class_code"
TOTAL = "FIN1-fingrandtot-amt"  # total resources used to finance capital expenditure
GRANTS = "FIN1-fingrn-amt"  # of which grants
_ECODE = re.compile(r"^E\d{4}$")
_TITLE = re.compile(r"^\s*(COR|CER)\b.*?(\d{4})\s*-\s*(\d{2})", re.I)
# The capital returns write London boroughs as LB; the RS (and partner_for) as L.
_CLASS = {"LB": "L"}


@dataclass(frozen=True)
class CapitalAuthority:
    ecode: str
    ons_code: str | None
    name: str
    cls: str
    row: int  # the spreadsheet row a person sees (1-based)
    total_gbp: Decimal  # capital expenditure financed, £ (from £ thousand)
    grants_gbp: Decimal | None  # of which grants


@dataclass
class CapitalWorkbook:
    file: str
    year: str
    forecast: bool  # a CER (estimates), not outturn
    authorities: list[CapitalAuthority]
    return_name: str = "COR"
    skipped: list[tuple[int, str]] = field(default_factory=list)  # England, class rows
    not_published: list[tuple[int, str]] = field(default_factory=list)  # ':' (no return)

    def find(self, code: str) -> CapitalAuthority:
        want = code.strip().upper()
        for a in self.authorities:
            if want in (a.ecode, a.ons_code or ""):
                return a
        raise InputError(
            [
                Problem(
                    self.file,
                    None,
                    "LGF Code",
                    code,
                    f"no authority with this code in the {self.return_name} {self.year}",
                    "use the LGF code (e.g. E3421) or the ONS code (e.g. E10000028)",
                    sheet=SHEET,
                )
            ]
        )


def _thousands(v: object) -> Decimal:
    if isinstance(v, bool) or v is None:
        raise ValueError(v)
    d = Decimal(repr(v)) if isinstance(v, float) else Decimal(str(v).replace(",", "").strip())
    if not d.is_finite():
        raise ValueError(v)
    return to_money(d * THOUSAND)


def _rows(path: Path) -> list[tuple[Any, ...]]:
    import openpyxl

    check_workbook(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if SHEET not in book.sheetnames:
            p = Problems(path.name)
            p.add(
                None,
                None,
                ", ".join(book.sheetnames),
                f"no sheet {SHEET!r}: not a capital outturn (COR B) or estimates (CER B) workbook",
                "download the 'COR B' or 'CER B' financing workbook from MHCLG",
            )
            raise p.error()
        return [tuple(r) for r in book[SHEET].iter_rows(values_only=True)]
    finally:
        book.close()


def read_capital(path: Path | str) -> CapitalWorkbook:
    """Every authority of a COR B / CER B workbook. Raises InputError listing every problem."""
    path = Path(path)
    rows = _rows(path)
    label = path.name
    problems = Problems(label, sheet=SHEET)
    codes_at = next((i for i, r in enumerate(rows[:20]) if r and CODE in r), None)
    if codes_at is None:
        problems.add(
            None,
            CODE,
            None,
            "no row of column codes (la_lgf_code ... FIN1-fingrandtot-amt) in the first 20",
            "use the published workbook as downloaded",
        )
        raise problems.error()
    codes = [str(c or "").strip() for c in rows[codes_at]]
    missing = [c for c in (CODE, NAME, TOTAL) if c not in codes]
    title = next(
        (str(r[0]) for r in rows[codes_at + 1 : codes_at + 6] if r and _TITLE.match(str(r[0]))),
        "",
    )
    m = _TITLE.match(title)
    if missing or m is None:
        problems.add(
            codes_at + 1,
            ", ".join(missing) or "title",
            None,
            "the workbook lacks the expected column codes or its 'COR B 2018-19' title",
            "use the published workbook as downloaded",
        )
        raise problems.error()
    col = {c: codes.index(c) for c in (CODE, ONS, NAME, CLASS, TOTAL, GRANTS) if c in codes}
    authorities: list[CapitalAuthority] = []
    skipped: list[tuple[int, str]] = []
    not_published: list[tuple[int, str]] = []
    seen: set[str] = set()
    for i in range(codes_at + 1, len(rows)):
        r = rows[i]
        n = i + 1

        def cell(c: str, r: tuple[Any, ...] = r) -> object:
            j = col.get(c)
            return r[j] if j is not None and j < len(r) else None

        ecode = str(cell(CODE) or "").strip().upper()
        name = " ".join(str(cell(NAME) or "").split())
        if not _ECODE.match(ecode):
            if name and isinstance(cell(TOTAL), (int, float)):
                skipped.append((n, name))  # England, class breakdowns
            continue
        if ecode in seen:
            problems.add(
                n, "LGF Code", ecode, "the same authority twice", "use the file as published"
            )
            continue
        seen.add(ecode)
        raw = cell(TOTAL)
        if raw is None or (isinstance(raw, str) and raw.strip() in _NOT_PUBLISHED):
            not_published.append((n, name))  # the authority made no return
            continue
        try:
            total = _thousands(cell(TOTAL))
        except (ValueError, ArithmeticError):
            problems.add(
                n, TOTAL, str(cell(TOTAL)), "not a number of £ thousand", "use the published figure"
            )
            continue
        try:
            grants: Decimal | None = _thousands(cell(GRANTS))
        except (ValueError, ArithmeticError):
            grants = None
        ons = str(cell(ONS) or "").strip().upper()
        cls = str(cell(CLASS) or "").strip().upper()
        authorities.append(
            CapitalAuthority(ecode, ons or None, name, _CLASS.get(cls, cls), n, total, grants)
        )
    if not authorities:
        problems.add(None, CODE, None, "no authority rows", "check the file")
    problems.raise_if_any()
    kind = m.group(1).upper()
    return CapitalWorkbook(
        label,
        parse_year(f"{m.group(2)}/{m.group(3)}"),
        kind == "CER",
        authorities,
        kind,
        skipped,
        not_published,
    )


def capital_line(wb: CapitalWorkbook, a: CapitalAuthority, partner: str) -> Line:
    what = "estimates (forecast)" if wb.forecast else "outturn"
    source = (
        f"MHCLG capital {what}, {wb.return_name} B {wb.year}: {wb.file}, sheet {SHEET!r}, "
        f"row {a.row} ({a.ecode} {a.name}); total resources used to finance capital "
        "expenditure, £ thousand"
    )
    return Line(
        partner,
        wb.year,
        SERVICE,
        "Total resources used to finance capital expenditure",
        a.total_gbp,
        is_estimate=wb.forecast,
        estimate_method=(
            f"the authority's own forecast in the Capital Estimates Return {wb.year}, not outturn"
        )
        if wb.forecast
        else None,
        source=source,
        source_row=a.row,
        basis="gross",
        account="capital",
    )


@dataclass
class CapitalResult:
    year: str
    forecast: bool
    authorities: list[CapitalAuthority]
    written: WriteResult
    partners_added: list[str]
    skipped_rows: list[tuple[int, str]]
    not_published: list[tuple[int, str]]


def import_capital(
    ws: Workspace,
    path: Path | str,
    *,
    authority: str | None = None,
    partner: str | None = None,
    all_authorities: bool = False,
) -> CapitalResult:
    """Import one authority's capital line (``authority`` -> ``partner``) or every one's.

    The partner's capital lines of the year are replaced; its revenue lines are untouched.
    With ``all_authorities`` each authority becomes a partner whose id is its code (added
    if missing), in the same transaction as its line.
    """
    path = Path(path)
    wb = read_capital(path)
    chosen = choose_authorities(
        wb.file, wb.authorities, wb.find, authority, partner, all_authorities
    )
    known = partner_ids(ws)
    new: list[Partner] = [
        partner_for(Authority(a.ecode, a.ons_code, a.name, a.cls, a.row, {}, None))
        for a, pid in chosen
        if all_authorities and pid not in known
    ]
    lines = [capital_line(wb, a, pid) for a, pid in chosen if a.total_gbp]
    problems = check_lines(ws, lines, label=wb.file, new_partners={p.id for p in new})
    if problems:
        raise InputError(problems)

    def add_partners() -> None:
        upsert(ws, new)

    written = write_lines(
        ws,
        lines,
        action="spend import-capital",
        file=path,
        sha256=file_sha256(path),
        detail={"year": wb.year, "forecast": wb.forecast, "authorities": len(chosen)},
        before=add_partners,
    )
    return CapitalResult(
        wb.year,
        wb.forecast,
        [a for a, _ in chosen],
        written,
        [p.id for p in new],
        wb.skipped,
        wb.not_published,
    )
