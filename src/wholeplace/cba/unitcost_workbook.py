"""Reading the published Unit Cost Database workbooks, by their headers, not fixed columns.

* v1.4 (``.xlsx``): thematic sheets with two header rows; the agency in two levels
  (Level 1, Level 2); fiscal, economic and social values, each with an estimated value,
  its price year and an "updated" value (an Excel formula uprating it with the GDP
  deflator table on the Lookups sheet); source, RAG rating, comment.
* v1.2 (``.xls``): the same idea with fiscal values only.

Some estimated values are themselves formulas (``=3308/40``, ``=SUM(H73:H75)``); they are
evaluated exactly (:mod:`wholeplace.cba.unitcost_formulas`), falling back to Excel's cached
value only for a formula this reader does not understand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.cba.agencies import canonical_names
from wholeplace.cba.deflators import DeflatorError, DeflatorSeries, parse_year, year_start
from wholeplace.cba.unitcost_book import KINDS, THEMATIC_SHEETS, CostValue, UnitCost, UnitCostBook
from wholeplace.cba.unitcost_formulas import FormulaError, Grid, cell_number, load_grids
from wholeplace.cba.unitcost_notes import col_letter, derive_constituent_transfers, read_notes
from wholeplace.errors import InputError, Problem, Problems
from wholeplace.tabular import same_column_twice
from wholeplace.workbook_limits import reading_workbook


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return re.sub(r"\s+", " ", str(v)).strip()


def _norm(v: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _text(v).lower()).strip()


@dataclass
class _Layout:
    header_rows: int
    code: int
    description: int
    unit: int
    agency1: int
    agency2: int | None
    category: int | None
    detail: int | None
    source: int | None
    rag: int | None
    comment: int | None
    groups: dict[str, tuple[int, int, int]]  # kind -> (estimated, year, updated) columns


def _layout(grid: Grid) -> _Layout | None:
    h1 = [_norm(grid.v(1, c)) for c in range(1, 40)]
    h2 = [_norm(grid.v(2, c)) for c in range(1, 40)]

    def find(pred: Any, row: list[str]) -> int | None:
        for i, h in enumerate(row):
            if h and pred(h):
                return i + 1
        return None

    code = find(lambda h: h == "cost code", h1)
    if code is None:
        return None
    agency1 = find(lambda h: h.startswith("agency"), h1)
    groups: dict[str, tuple[int, int, int]] = {}
    current: str | None = None
    for c in range(1, 40):
        top = h1[c - 1]
        for kind in KINDS:
            if top.startswith(kind):
                current = kind
        if current and h2[c - 1].startswith("estimated") and current not in groups:
            groups[current] = (c, c + 1, c + 2)
    if agency1 is None or "fiscal" not in groups:
        return None
    level2 = find(lambda h: h == "level 2", h2)
    return _Layout(
        header_rows=2,
        code=code,
        description=find(lambda h: h.startswith("cost saving detail"), h1) or code + 1,
        unit=find(lambda h: h == "unit", h1) or 0,
        agency1=agency1,
        agency2=level2,
        category=find(lambda h: h == "outcome category", h1),
        detail=find(lambda h: h == "outcome detail", h1),
        source=find(lambda h: h.startswith("original source"), h1),
        rag=find(lambda h: h.startswith("rag"), h1),
        comment=find(lambda h: h == "comment", h1),
        groups=groups,
    )


# What each header cell of row 1 is read as, in the order :func:`_layout` looks for them.
_ROW1_COLUMNS: list[tuple[str, Any]] = [
    ("cost code", lambda h: h == "cost code"),
    ("agency", lambda h: h.startswith("agency")),
    ("cost saving detail", lambda h: h.startswith("cost saving detail")),
    ("unit", lambda h: h == "unit"),
    ("outcome category", lambda h: h == "outcome category"),
    ("outcome detail", lambda h: h == "outcome detail"),
    ("original source", lambda h: h.startswith("original source")),
    ("rag", lambda h: h.startswith("rag")),
    ("comment", lambda h: h == "comment"),
]


def _same_column_twice(grid: Grid, label: str, sheet: str) -> list[Problem]:
    """Two header cells read as the same column (two 'Cost code', two 'Level 2', or a second
    'Estimated' under 'Fiscal'): :func:`_layout` reads the first and drops the other."""
    p = Problems(label, sheet=sheet)
    h1 = [_norm(grid.v(1, c)) for c in range(1, 40)]
    h2 = [_norm(grid.v(2, c)) for c in range(1, 40)]
    keys1 = [next((key for key, match in _ROW1_COLUMNS if h and match(h)), "") for h in h1]
    same_column_twice(p, 1, keys1, [_text(grid.v(1, c)) for c in range(1, 40)])
    keys2: list[str] = []
    current: str | None = None
    for top, h in zip(h1, h2, strict=True):
        current = next((kind for kind in KINDS if top.startswith(kind)), current)
        if h == "level 2":
            keys2.append("level 2")
        elif current and h.startswith("estimated"):
            keys2.append(f"{current} estimated")
        else:
            keys2.append("")
    same_column_twice(p, 2, keys2, [_text(grid.v(2, c)) for c in range(1, 40)])
    return list(p)


def _deflators_from_lookups(grid: Grid, label: str) -> DeflatorSeries | None:
    year_col = pct_col = head_row = None
    current: str | None = None
    source = ""
    for r in range(1, min(grid.nrows, 60) + 1):
        for c in range(1, 30):
            t = _norm(grid.v(r, c))
            if t == "change on previous year" and pct_col is None:
                pct_col, head_row = c, r
                year_col = c - 1
            if t == "current year" and current is None:
                below = _text(grid.v(r + 1, c)) or _text(grid.v(r + 2, c))
                current = below or None
            raw = _text(grid.v(r, c))
            if "GDP Lookup Tables are based on" in raw and not source:
                source = raw.lstrip("• ").strip()
    if pct_col is None or head_row is None or year_col is None:
        return None
    changes: list[tuple[str, Decimal, bool]] = []
    r = head_row + 1
    while r <= grid.nrows:
        y = _text(grid.v(r, year_col))
        pct = grid.v(r, pct_col)
        if not y or pct is None or pct == "":
            break
        try:
            year = parse_year(y)
        except DeflatorError:
            break
        if changes and year_start(year) != year_start(changes[-1][0]) + 1:
            raise InputError(
                [
                    Problem(
                        label,
                        r,
                        "Year",
                        y,
                        f"the deflator's years must follow each other; this follows "
                        f"{changes[-1][0]}",
                        "use the workbook as published: the Lookups sheet's deflator table "
                        "lists every year once, in order",
                        sheet=grid.name,
                    )
                ]
            )
        forecast = _text(grid.v(r, year_col - 1)).lower() == "f"
        changes.append((year, _change(grid, r, pct_col, label), forecast))
        r += 1
    if not changes:
        return None
    return DeflatorSeries.from_changes(
        f"GDP deflator ({label} Lookups sheet)",
        source or f"{label}, Lookups sheet",
        changes,
        current_year=current,
    )


def _change(grid: Grid, r: int, c: int, label: str) -> Decimal:
    """The deflator's change on the previous year in row ``r``: the cell's formula or number,
    else Excel's own value of a formula this reader does not understand."""
    try:
        return cell_number(grid, grid.f(r, c))
    except FormulaError as exc:
        cached = grid.v(r, c)
        if isinstance(cached, (int, float)) and not isinstance(cached, bool):
            return Decimal(repr(cached))
        raise InputError(
            [
                Problem(
                    label,
                    r,
                    "Change on previous year",
                    _text(grid.f(r, c)),
                    "the GDP deflator's change on the previous year is not a number",
                    "use the workbook as published: the Lookups sheet's deflator table "
                    "holds a percentage in every year's row",
                    sheet=grid.name,
                )
            ]
        ) from exc


def _open_grids(path: Path) -> dict[str, Grid]:
    with reading_workbook(path):  # a corrupt or mislabelled file: say so plainly
        return load_grids(path)


def _row_values(
    grid: Grid,
    lay: _Layout,
    r: int,
    where: str,
    sheet: str,
    label: str,
    notes: list[str],
    problems: list[Problem],
) -> dict[str, CostValue]:
    """The fiscal, economic and social values of one row, with their price years."""
    values: dict[str, CostValue] = {}
    for kind, (ce, cy, cu) in lay.groups.items():
        raw = grid.f(r, ce)
        if raw is None or _text(raw) == "":
            continue
        try:
            amount = cell_number(grid, raw)
        except FormulaError:
            cached = grid.v(r, ce)
            if isinstance(cached, (int, float)) and not isinstance(cached, bool):
                amount = Decimal(repr(cached))
                notes.append(f"{where}: {kind} value {raw!r} read as Excel's {cached!r}")
            else:
                notes.append(f"{where}: {kind} value {raw!r} is not a number; skipped")
                continue
        year_raw = _text(grid.v(r, cy))
        if amount == 0 and not year_raw:
            continue
        try:
            year = parse_year(year_raw)
        except DeflatorError:
            problems.append(
                Problem(
                    label,
                    r,
                    f"{kind} year",
                    year_raw,
                    "the price year of this value is not a financial year",
                    "write the year as YYYY/YY, e.g. 2012/13",
                    sheet=sheet,
                )
            )
            continue
        pub = grid.v(r, cu)
        published = (
            Decimal(repr(pub))
            if isinstance(pub, (int, float)) and not isinstance(pub, bool)
            else None
        )
        values[kind] = CostValue(kind, amount, year, published)
    return values


def _entry(
    grid: Grid, lay: _Layout, r: int, code: str, values: dict[str, CostValue], where: str
) -> UnitCost:
    entry = _plain_entry(grid, lay, r, code, values, where)
    fiscal_col = lay.groups["fiscal"][0]
    texts = [(grid.note(r, fiscal_col), f"{grid.name}!{col_letter(fiscal_col)}{r} (note)")]
    if lay.comment:
        texts.append((_text(grid.v(r, lay.comment)), f"{grid.name}!{col_letter(lay.comment)}{r}"))
    return read_notes(entry, texts)


def _plain_entry(
    grid: Grid, lay: _Layout, r: int, code: str, values: dict[str, CostValue], where: str
) -> UnitCost:
    return UnitCost(
        code=code,
        description=_text(grid.v(r, lay.description)),
        unit=_text(grid.v(r, lay.unit)) if lay.unit else "",
        agency=_text(grid.v(r, lay.agency1)),
        agency_detail=_text(grid.v(r, lay.agency2)) if lay.agency2 else "",
        category=_text(grid.v(r, lay.category)) if lay.category else "",
        detail=_text(grid.v(r, lay.detail)) if lay.detail else "",
        values=values,
        source=_text(grid.v(r, lay.source)) if lay.source else "",
        rag=_text(grid.v(r, lay.rag)).upper()[:1] if lay.rag else "",
        comment=str(grid.v(r, lay.comment) or "").strip() if lay.comment else "",
        origin=where,
    )


def read_workbook(path: Path | str) -> UnitCostBook:
    """Read a Unit Cost Database workbook (v1.4 .xlsx or v1.2 .xls) as published."""
    path = Path(path)
    label = path.name
    if not path.is_file():
        raise InputError(
            [Problem(label, None, None, None, "file not found", "check the path and try again")]
        )
    grids = _open_grids(path)
    m = re.search(r"v\s*(\d+(?:\.\d+)*)", path.stem, re.I)
    edition = f"v{m.group(1)}" if m else path.stem
    deflators = _deflators_from_lookups(grids["Lookups"], label) if "Lookups" in grids else None
    entries: list[UnitCost] = []
    problems: list[Problem] = []
    notes: list[str] = []
    seen: dict[str, str] = {}
    found_sheets = 0
    for sheet in THEMATIC_SHEETS:
        grid = grids.get(sheet)
        if grid is None:
            continue
        lay = _layout(grid)
        if lay is None:
            problems.append(
                Problem(
                    label,
                    1,
                    None,
                    None,
                    "the header rows do not have 'Cost code', 'Agency ...' and 'Fiscal' columns",
                    "use the workbook as published, with its two header rows unchanged",
                    sheet=sheet,
                )
            )
            continue
        problems.extend(_same_column_twice(grid, label, sheet))
        found_sheets += 1
        for r in range(lay.header_rows + 1, grid.nrows + 1):
            code = _text(grid.v(r, lay.code))
            if not code:
                continue
            where = f"{label}, sheet {sheet}, row {r}"
            values = _row_values(grid, lay, r, where, sheet, label, notes, problems)
            if code.upper() in seen:
                notes.append(f"{where}: code {code} also at {seen[code.upper()]}; both kept")
            seen.setdefault(code.upper(), where)
            entries.append(_entry(grid, lay, r, code, values, where))
    if found_sheets == 0 and not problems:
        problems.append(
            Problem(
                label,
                None,
                None,
                ", ".join(list(grids)[:10]),
                "no thematic sheet (Crime, Health, Housing, ...) found",
                "import the Unit Cost Database workbook itself, not an extract",
            )
        )
    if problems:
        raise InputError(problems)
    notes.extend(_normalise_agencies(entries))
    notes.extend(derive_constituent_transfers(entries))
    return UnitCostBook(edition, label, entries, deflators, notes)


def _normalise_agencies(entries: list[UnitCost]) -> list[str]:
    """One name per body at both levels ("Local authority" is "Local Authority"); a note for
    each spelling changed, with how many entries had it."""
    names = canonical_names([e.agency for e in entries] + [e.agency_detail for e in entries])
    changed: dict[tuple[str, str], int] = {}
    for e in entries:
        for attr in ("agency", "agency_detail"):
            was = " ".join(getattr(e, attr).split())
            now = names.get(was, was)
            if now != getattr(e, attr):
                setattr(e, attr, now)
            if now != was:
                changed[(was, now)] = changed.get((was, now), 0) + 1
    return [
        f"agency {was!r} read as {now!r} ({n} times)" if now else f"agency {was!r} read as none"
        for (was, now), n in sorted(changed.items())
    ]
