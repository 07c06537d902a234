"""Estimates for partners without data: a regional series apportioned to the place.

What Total Place did for DWP and NHS spending: take what a department spends in the
region (HM Treasury's Country and Regional Analysis, CRA: identifiable spending by
department, function and NUTS1 region, £ thousand, accruals) and give the place its
share by a driver - its population, claimant count, or any other figure the user has
for the place and for the whole region.

    place estimate = regional spend x (place driver / regional driver)

With a driver per area of the place (a CSV ``area,value``) the estimate is split over
the areas in proportion, to the penny (largest remainder), so the areas add up to the
place estimate exactly. Every line is marked ``is_estimate`` with the method (the figures
and the share written out) and the source, so it shows as an estimate in every table,
diagram and export.

Local government rows of the CRA (``CG, LG, PC, BOE`` = LG) are left out by default:
the councils' own returns already count that money.

An estimate counts the rows of named departments only: the CRA's function 10 (social
protection) in a region holds HMRC's tax credits and the teachers', civil service, armed
forces and Royal Mail pension schemes beside DWP, so "function 10" is not "DWP". Without
``departments`` the partner's type chooses them (:data:`DEFAULT_DEPARTMENTS`); a partner
of another type must name them. Current and capital spending (the CRA's ``CAP or CUR``)
are estimated apart and written as revenue and capital lines, never one sum.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from wholeplace.errors import InputError, Problem, Problems
from wholeplace.money import apportion, to_money
from wholeplace.population import usable
from wholeplace.spend.lines import Line, WriteResult, check_lines, write_lines
from wholeplace.spend.taxonomy import ServiceMapping, services
from wholeplace.tabular import read_table, same_column_twice
from wholeplace.workbook_limits import check_workbook, reading_workbook
from wholeplace.workspace import Workspace, file_sha256
from wholeplace.years import parse_year

SHEET = "CRA 2018 database"
SOURCE = "HM Treasury, Country and Regional Analysis (CRA) 2018, OGL v3"
THOUSAND = Decimal(1000)

# The CRA's "CAP or CUR" column, and the account each kind of spending is written to.
SPENDING: dict[str, str] = {"current": "CUR", "capital": "CAP"}
ACCOUNT_OF: dict[str, str] = {"current": "revenue", "capital": "capital"}

# Partner type (``partners.PARTNER_TYPES``) -> the CRA departments its estimate counts when
# none is named. Only where one department is plainly the partner's: police and fire are
# local government in the CRA (their own returns count them), and other types vary.
DEFAULT_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "dwp": ("Department for Work and Pensions",),
    "nhs commissioner": ("Department of Health and Social Care",),
    "nhs trust": ("Department of Health and Social Care",),
    "academy trust": ("Department for Education",),
}

# COFOG level 0 function -> taxonomy code, when the user names no service.
DEFAULT_SERVICE = {
    "3": "JUS",
    "7": "NHS",
    "10": "SSB",
}


def _key(s: object) -> str:
    return " ".join(re.sub(r"[^0-9a-z.]+", " ", str(s or "").lower()).split())


@dataclass(frozen=True)
class CraTotal:
    region: str
    function: str
    year: str
    level: tuple[str, ...]
    departments: tuple[str, ...]
    amount_gbp: Decimal
    rows: int
    matched_functions: tuple[str, ...] = field(default=())
    spending: str = "current"


def _region_matches(cell: object, region: str) -> bool:
    c = _key(cell)
    r = _key(region)
    return c == r or c.endswith("_" + r) or c.replace("england ", "") == r or c.endswith(" " + r)


def _function_matches(row: tuple[object, ...], function: str) -> str | None:
    """The CRA label the ``function`` matches: '10', '10. Social protection', '10.2'..."""
    f = _key(function)
    for label in (row[4], row[5], row[6], row[7]):
        k = _key(label)
        if not k:
            continue
        code = k.split(" ")[0].rstrip(".")
        if f in (k, code) or (len(f) > 3 and k.startswith(f)):
            return str(label)
    return None


def cra_total(
    path: Path | str,
    *,
    region: str,
    function: str,
    year: str,
    level: tuple[str, ...] = ("CG", "PC"),
    departments: tuple[str, ...] = (),
    spending: str = "current",
) -> CraTotal:
    """Sum the CRA rows of ``region``, ``function``, ``year`` and ``spending`` (current or
    capital), of ``departments`` (all when empty), in £ from £ thousand."""
    path = Path(path)
    y = parse_year(year)
    col_name = f"{y[:4]}-{y[5:]}"
    header, data = _cra_rows(str(path.resolve()), path.stat().st_mtime_ns)
    ycol = _year_column(header, col_name, path.name, year)
    _check_departments(departments, data, path.name)
    if spending not in SPENDING:
        raise InputError(
            [
                Problem(
                    "(command line)",
                    None,
                    "spending",
                    spending,
                    "not a kind of spending",
                    "write current or capital",
                )
            ]
        )
    cap_cur = SPENDING[spending]
    total = Decimal(0)
    n = 0
    regions_seen: set[str] = set()
    matched: set[str] = set()
    problems: list[Problem] = []
    want_depts = {_key(d) for d in departments}
    for i, r in enumerate(data, start=2):
        regions_seen.add(str(r[12]))
        if not _region_matches(r[12], region):
            continue
        if str(r[10] or "").strip().upper() not in level:
            continue
        if want_depts and _key(r[0]) not in want_depts:
            continue
        if str(r[9] or "").strip().upper() != cap_cur:
            continue
        label = _function_matches(r, function)
        if label is None:
            continue
        v = r[ycol]
        if v is None or v == "":
            continue
        try:
            total += Decimal(str(v))
        except ArithmeticError:
            problems.append(
                Problem(path.name, i, col_name, str(v), "not a number", "", sheet=SHEET)
            )
            continue
        n += 1
        matched.add(label)
    if problems:
        raise InputError(problems)
    if n == 0:
        close = sorted(x for x in regions_seen if _key(region) in _key(x))
        raise InputError(
            [
                Problem(
                    path.name,
                    None,
                    "NUTS Region",
                    f"{region} / {function}",
                    f"no CRA rows of {spending} spending for this region and function"
                    + (" of these departments" if departments else ""),
                    "name a region as in the CRA (e.g. 'West Midlands', 'SCOTLAND')"
                    + (f"; found {', '.join(close)}" if close else "")
                    + " and a function by its number or name (e.g. '10' or '10.2 Old age')",
                    sheet=SHEET,
                )
            ]
        )
    return CraTotal(
        region,
        function,
        y,
        tuple(level),
        tuple(departments),
        to_money(total * THOUSAND),
        n,
        tuple(sorted(matched)),
        spending,
    )


def _check_departments(
    departments: Sequence[str], data: list[tuple[object, ...]], label: str
) -> None:
    """Each of ``departments`` must be a Department Name of the sheet."""
    known = sorted({str(r[0]) for r in data if r[0]})
    keys = {_key(k) for k in known}
    problems = []
    for d in departments:
        if _key(d) in keys:
            continue
        close = difflib.get_close_matches(d, known, n=3, cutoff=0.4)
        problems.append(
            Problem(
                label,
                None,
                "Department Name",
                d,
                "not a department of the CRA",
                "name it as the CRA does"
                + (
                    f", e.g. {'; '.join(close)}" if close else " (see its 'Department Name' column)"
                ),
                sheet=SHEET,
            )
        )
    if problems:
        raise InputError(problems)


def departments_for(ws: Workspace, partner: str, departments: Sequence[str]) -> tuple[str, ...]:
    """``departments`` if given, else the defaults of the partner's type (or a problem)."""
    if departments:
        return tuple(departments)
    row = ws.con.execute("SELECT type FROM partners WHERE id = ?", [partner]).fetchall()
    ptype = str(row[0][0]) if row else ""
    if ptype in DEFAULT_DEPARTMENTS:
        return DEFAULT_DEPARTMENTS[ptype]
    defaults = "; ".join(f"{t}: {', '.join(d)}" for t, d in DEFAULT_DEPARTMENTS.items())
    raise InputError(
        [
            Problem(
                "(command line)",
                None,
                "department",
                f"{partner} ({ptype or 'not a partner'})",
                "an estimate must name the CRA department(s) it counts, and this partner's "
                "type has no default",
                "pass --department as the CRA names it, e.g. --department 'Home Office' "
                f"(repeatable); the defaults by partner type are {defaults}",
            )
        ]
    )


def _year_column(header: list[str], col_name: str, label: str, year: str) -> int:
    """The index of the CRA column of ``col_name`` (``2017-18``)."""
    # two columns headed with the year: the first was read without a word (issue 11)
    twice = Problems(label, sheet=SHEET)
    same_column_twice(twice, 1, [h if h == col_name else "" for h in header], header)
    twice.raise_if_any()
    if col_name in header:
        return header.index(col_name)
    years = [h for h in header if re.fullmatch(r"\d{4}-\d{2}", h)]
    raise InputError(
        [
            Problem(
                label,
                1,
                col_name,
                year,
                "the workbook has no column for this year",
                "use one of: " + ", ".join(years),  # as the workbook names its columns
                sheet=SHEET,
            )
        ]
    )


@lru_cache(maxsize=2)
def _cra_rows(path: str, _mtime: int) -> tuple[list[str], list[tuple[object, ...]]]:
    """The CRA database sheet (21,135 rows), read once per process."""
    check_workbook(path)
    with reading_workbook(path):
        return _cra_sheet(path)


def _cra_sheet(path: str) -> tuple[list[str], list[tuple[object, ...]]]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if SHEET not in book.sheetnames:
            raise InputError(
                [
                    Problem(
                        Path(path).name,
                        None,
                        None,
                        ", ".join(book.sheetnames),
                        f"no sheet {SHEET!r}",
                        "use HM Treasury's CRA database workbook",
                    )
                ]
            )
        rows = book[SHEET].iter_rows(values_only=True)
        header = [str(c or "").strip() for c in next(rows)]
        return header, list(rows)
    finally:
        book.close()


@dataclass
class Estimate:
    total: CraTotal
    share: Decimal
    amount_gbp: Decimal
    by_area: dict[str | None, Decimal]
    lines: list[Line]
    written: WriteResult | None = None


def read_driver(path: Path) -> dict[str, Decimal]:
    """A driver per area: CSV ``area,value`` (e.g. claimants by ward)."""
    table = read_table(path, required=["area", "value"], aliases={"code": "area"})
    out: dict[str, Decimal] = {}
    problems: list[Problem] = []
    for row in table.rows:
        a = row.values.get("area", "").strip()
        raw = row.values.get("value", "").replace(",", "").strip()
        try:
            v = Decimal(raw)
            if v < 0 or not v.is_finite():
                raise ArithmeticError
        except ArithmeticError:
            problems.append(
                Problem(table.label, row.number, "value", raw, "not a number >= 0", "fix it")
            )
            continue
        if a in out:
            problems.append(Problem(table.label, row.number, "area", a, "twice", "merge them"))
        out[a] = v
    if problems:
        raise InputError(problems)
    return out


def estimate_from_cra(
    ws: Workspace,
    path: Path | str,
    *,
    partner: str,
    region: str,
    functions: list[str],
    year: str,
    region_driver: Decimal | int,
    driver: str = "population",
    place_driver: Decimal | int | None = None,
    area_driver: dict[str, Decimal] | None = None,
    service_codes: list[str] | None = None,
    level: tuple[str, ...] = ("CG", "PC"),
    departments: Sequence[str] = (),
    spending: Sequence[str] = ("current",),
    write: bool = True,
) -> list[Estimate]:
    """Estimate the partner's spend in the place for each CRA function, and write it.

    ``departments`` defaults to those of the partner's type (:data:`DEFAULT_DEPARTMENTS`);
    ``spending`` names current and/or capital, each estimated and written apart (revenue
    and capital lines). ``place_driver`` defaults to the place's population (or the sum
    of ``area_driver``). The partner's lines of ``year`` (of the accounts written) are
    replaced by the estimates, in one transaction.
    """
    path = Path(path)
    label = path.name
    region_d = Decimal(region_driver)
    pd = _place_driver(ws, place_driver, area_driver)
    problems = _driver_problems(pd, region_d)
    resolved = _services_of(functions, list(service_codes or []), problems)
    problems += [
        Problem(
            "(command line)", None, "spending", sp, "not a kind of spending", "current or capital"
        )
        for sp in spending
        if sp not in SPENDING
    ]
    if problems:
        raise InputError(problems)
    depts = departments_for(ws, partner, departments)

    share = pd / region_d
    out: list[Estimate] = []
    for (f, code), sp in (
        (fc, sp) for fc in zip(functions, resolved, strict=True) for sp in spending
    ):
        tot = cra_total(
            path,
            region=region,
            function=f,
            year=year,
            level=level,
            departments=depts,
            spending=sp,
        )
        amount = to_money(tot.amount_gbp * share)
        method = (
            f"CRA regional {sp} spend x {driver} share: {'; '.join(tot.departments)},"
            f" {tot.region} {', '.join(tot.matched_functions)}"
            f" {tot.year} ({'/'.join(tot.level)}) £{tot.amount_gbp:,.2f} x {pd:,}/{region_d:,}"
            f" ({share:.4%})"
        )
        by_area = _split_by_area(amount, area_driver)
        these = [
            Line(
                partner=partner,
                year=tot.year,
                service=code,
                source_service=f"CRA {', '.join(tot.matched_functions)}"[:200],
                amount_gbp=a,
                area=k,
                is_estimate=True,
                estimate_method=method,
                source=f"{SOURCE}: {label}",
                basis="gross",
                account=ACCOUNT_OF[sp],
            )
            for k, a in by_area.items()
            if a
        ]
        out.append(Estimate(tot, share, amount, by_area, these))
    if write:
        detail: dict[str, object] = {
            "region": region,
            "functions": functions,
            "driver": driver,
            "share": str(share),
            "departments": list(depts),
            "spending": list(spending),
        }
        _write_estimates(ws, path, out, detail)
    return out


def _place_driver(
    ws: Workspace, place_driver: Decimal | int | None, area_driver: dict[str, Decimal] | None
) -> Decimal:
    """The place's driver: the sum of ``area_driver``, else ``place_driver``, else the
    place's population (0 if it has none)."""
    if area_driver:
        return sum(area_driver.values(), Decimal(0))
    if place_driver is not None:
        return Decimal(place_driver)
    pop = usable(ws.population)
    return Decimal(pop) if pop else Decimal(0)


def _driver_problems(pd: Decimal, region_d: Decimal) -> list[Problem]:
    if 0 < pd <= region_d:
        return []
    return [
        Problem(
            "(command line)",
            None,
            "driver",
            f"{pd} of {region_d}",
            "the place's driver must be above 0 and at most the region's",
            "give --region-driver (e.g. the region's population) and the place's figure "
            "(--place-driver, --driver-file, or the place's population from init)",
        )
    ]


def _services_of(functions: list[str], codes: list[str], problems: list[Problem]) -> list[str]:
    """The taxonomy code of each function: given (one per function) or its default."""
    if codes and len(codes) != len(functions):
        problems.append(
            Problem(
                "(command line)",
                None,
                "service",
                ",".join(codes),
                "give one --service per --function, or none",
                "repeat --service in the same order as --function",
            )
        )
    resolved: list[str] = []
    builtin = ServiceMapping.empty()
    for i, f in enumerate(functions):
        raw = codes[i] if codes else DEFAULT_SERVICE.get(_key(f).split(" ")[0].split(".")[0], "")
        code = raw if raw in services() else builtin.resolve("", raw) if raw else None
        if code is None:
            problems.append(
                Problem(
                    "(command line)",
                    None,
                    "service",
                    raw or f,
                    "which service of the taxonomy is this function?",
                    "pass --service CODE (e.g. SSB.PENSION, NHS, EMP)",
                )
            )
        resolved.append(code or "")
    return resolved


def _split_by_area(
    amount: Decimal, area_driver: dict[str, Decimal] | None
) -> dict[str | None, Decimal]:
    """``amount`` by area in proportion to ``area_driver`` (to the penny), or unallocated."""
    if not area_driver:
        return {None: amount}
    keys = sorted(area_driver)
    parts = apportion(amount, [area_driver[k] for k in keys])
    return dict(zip(keys, parts, strict=True))


def _write_estimates(
    ws: Workspace, path: Path, estimates: list[Estimate], detail: dict[str, object]
) -> None:
    """Check the estimates' lines (their areas too) and write them in one transaction."""
    lines = [ln for e in estimates for ln in e.lines]
    problems = check_lines(ws, lines, label=path.name)
    known_areas = {r[0] for r in ws.con.execute("SELECT code FROM areas").fetchall()}
    for a in sorted({ln.area for ln in lines if ln.area and ln.area not in known_areas}):
        problems.append(
            Problem(
                "driver file",
                None,
                "area",
                a,
                "not an area of this place",
                "use codes from `wholeplace areas list`",
            )
        )
    if problems:
        raise InputError(problems)
    written = write_lines(
        ws,
        lines,
        action="spend estimate",
        file=path,
        sha256=file_sha256(path),
        detail=detail,
    )
    for e in estimates:
        e.written = written
