"""The New Economy Unit Cost Database: read the published workbooks, search, uprate.

Both published layouts are read by their headers, not by fixed columns:

* v1.4 (``.xlsx``): thematic sheets with two header rows; the agency in two levels
  (Level 1, Level 2); fiscal, economic and social values, each with an estimated value,
  its price year and an "updated" value (an Excel formula uprating it with the GDP
  deflator table on the Lookups sheet); source, RAG rating, comment.
* v1.2 (``.xls``): the same idea with fiscal values only.

Some estimated values are themselves formulas (``=3308/40``, ``=SUM(H73:H75)``); they are
evaluated exactly in Decimal so that uprating is exact, falling back to Excel's cached value
only for a formula this reader does not understand.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext
from importlib import resources
from pathlib import Path
from typing import Any

from wholeplace.cba.deflators import DeflatorError, DeflatorSeries, parse_year
from wholeplace.errors import InputError, Problem, WholeplaceError
from wholeplace.workspace import Workspace

THEMATIC_SHEETS = (
    "Crime",
    "Education & Skills",
    "Employment & Economy",
    "Fire",
    "Health",
    "Housing",
    "Social Services",
)
KINDS = ("fiscal", "economic", "social")
RAGS = {"R": "red", "A": "amber", "G": "green"}


@dataclass(frozen=True)
class CostValue:
    kind: str  # fiscal | economic | social
    amount: Decimal  # as estimated, in prices of ``year``
    year: str  # price year, YYYY/YY
    published_updated: Decimal | None = None  # the workbook's own uprated figure, if any


@dataclass
class UnitCost:
    code: str
    description: str
    unit: str
    agency: str  # Level 1: the agency bearing the cost / making the fiscal saving
    agency_detail: str  # Level 2
    category: str
    detail: str
    values: dict[str, CostValue]
    source: str
    rag: str
    comment: str
    origin: str  # where this entry was read from: file, sheet, row

    def value(self, kind: str) -> CostValue | None:
        return self.values.get(kind)


@dataclass
class UnitCostBook:
    edition: str
    file: str
    entries: list[UnitCost]
    deflators: DeflatorSeries | None = None
    notes: list[str] = field(default_factory=list)

    def get(self, code: str) -> UnitCost | None:
        want = code.strip().upper()
        for e in self.entries:
            if e.code.upper() == want:
                return e
        return None

    def search(self, text: str) -> list[UnitCost]:
        return search(self.entries, text)


class UnitCostError(WholeplaceError):
    """A unit cost code that is not in the database."""


def search(entries: list[UnitCost], text: str) -> list[UnitCost]:
    """Entries whose code, description, agency, category or unit contain every word."""
    words = [w.lower() for w in text.split() if w]
    out = []
    for e in entries:
        hay = " ".join(
            [e.code, e.description, e.agency, e.agency_detail, e.category, e.detail, e.unit]
        ).lower()
        compact = re.sub(r"[^a-z0-9&.]+", "", hay)
        if all(w in hay or re.sub(r"[^a-z0-9&.]+", "", w) in compact for w in words):
            out.append(e)
    return out


def uprated(entry: UnitCost, kind: str, to_year: str, series: DeflatorSeries) -> Decimal | None:
    """The ``kind`` value of ``entry`` in ``to_year`` prices, unrounded (None if absent)."""
    v = entry.values.get(kind)
    if v is None:
        return None
    return series.uprate(v.amount, v.year, to_year)


# -- reading the workbooks -----------------------------------------------------------


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return re.sub(r"\s+", " ", str(v)).strip()


def _norm(v: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _text(v).lower()).strip()


class _Grid:
    """A sheet as rows of values (1-based), with formulas alongside for .xlsx."""

    def __init__(
        self, name: str, values: list[list[Any]], formulas: list[list[Any]] | None = None
    ) -> None:
        self.name = name
        self.values = values
        self.formulas = formulas

    def v(self, row: int, col: int) -> Any:
        if row - 1 < len(self.values) and col - 1 < len(self.values[row - 1]):
            return self.values[row - 1][col - 1]
        return None

    def f(self, row: int, col: int) -> Any:
        if self.formulas is None:
            return self.v(row, col)
        if row - 1 < len(self.formulas) and col - 1 < len(self.formulas[row - 1]):
            return self.formulas[row - 1][col - 1]
        return None

    @property
    def nrows(self) -> int:
        return len(self.values)


def _load_grids(path: Path) -> dict[str, _Grid]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        wf = openpyxl.load_workbook(path, read_only=True, data_only=False)
        wv = openpyxl.load_workbook(path, read_only=True, data_only=True)
        grids = {}
        for name in wf.sheetnames:
            fr = [list(r) for r in wf[name].iter_rows(values_only=True)]
            vr = [list(r) for r in wv[name].iter_rows(values_only=True)]
            grids[name] = _Grid(name, vr, fr)
        wf.close()
        wv.close()
        return grids
    if suffix == ".xls":
        import xlrd

        book = xlrd.open_workbook(str(path))
        grids = {}
        for sh in book.sheets():
            rows = []
            for r in range(sh.nrows):
                row = []
                for c in range(sh.ncols):
                    cell = sh.cell(r, c)
                    row.append(None if cell.ctype in (0, 6) else cell.value)
                rows.append(row)
            grids[sh.name.strip()] = _Grid(sh.name.strip(), rows)
        return grids
    raise InputError(
        [
            Problem(
                path.name,
                None,
                None,
                path.suffix,
                "not a Unit Cost Database workbook",
                "give the .xlsx (v1.4) or .xls (v1.2) workbook as published by New Economy",
            )
        ]
    )


# A tiny exact evaluator for the arithmetic formulas the database uses in value cells.
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)"
    r"|(?P<ref>\$?[A-Z]{1,3}\$?\d+)|(?P<fn>SUM)\s*\(|(?P<op>[-+*/()]))"
)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _ref(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", text)
    assert m
    return int(m.group(2)), _col_index(m.group(1))


class _FormulaError(Exception):
    pass


def _eval_formula(grid: _Grid, formula: str, depth: int = 0) -> Decimal:
    if depth > 10:
        raise _FormulaError("too deep")
    src = formula.lstrip("=").strip()
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if not m or m.end() == pos:
            raise _FormulaError(src[pos:])
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    i = 0

    def cell(row: int, col: int) -> Decimal:
        raw = grid.f(row, col)
        if raw is None or raw == "":
            return Decimal(0)
        return _cell_number(grid, raw, depth + 1)

    def atom() -> Decimal:
        nonlocal i
        kind, tok = tokens[i]
        i += 1
        if kind == "num":
            return Decimal(tok)
        if kind == "ref":
            return cell(*_ref(tok))
        if kind == "fn":
            kind2, rng = tokens[i]
            if kind2 != "range" or tokens[i + 1] != ("op", ")"):
                raise _FormulaError("SUM of something other than one range")
            i += 2
            a, b = rng.split(":")
            (r1, c1), (r2, c2) = _ref(a), _ref(b)
            total = Decimal(0)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    total += cell(r, c)
            return total
        if tok == "(":
            v = expr()
            if tokens[i] != ("op", ")"):
                raise _FormulaError("unbalanced")
            i += 1
            return v
        if tok == "-":
            return -atom()
        if tok == "+":
            return atom()
        raise _FormulaError(tok)

    def term() -> Decimal:
        nonlocal i
        v = atom()
        while i < len(tokens) and tokens[i][1] in ("*", "/"):
            op = tokens[i][1]
            i += 1
            rhs = atom()
            v = v * rhs if op == "*" else v / rhs
        return v

    def expr() -> Decimal:
        nonlocal i
        v = term()
        while i < len(tokens) and tokens[i][1] in ("+", "-"):
            op = tokens[i][1]
            i += 1
            rhs = term()
            v = v + rhs if op == "+" else v - rhs
        return v

    with localcontext() as ctx:
        ctx.prec = 40
        try:
            result = expr()
        except (IndexError, InvalidOperation, ZeroDivisionError) as exc:
            raise _FormulaError(src) from exc
    if i != len(tokens):
        raise _FormulaError(src)
    return result


def _cell_number(grid: _Grid, raw: Any, depth: int = 0) -> Decimal:
    if isinstance(raw, bool):
        raise _FormulaError("boolean")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if isinstance(raw, str):
        s = raw.strip()
        if s.startswith("="):
            return _eval_formula(grid, s, depth)
        try:
            return Decimal(s.replace(",", "").replace("£", ""))
        except InvalidOperation as exc:
            raise _FormulaError(s) from exc
    raise _FormulaError(repr(raw))


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


def _layout(grid: _Grid) -> _Layout | None:
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


def _deflators_from_lookups(grid: _Grid, label: str) -> DeflatorSeries | None:
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
        forecast = _text(grid.v(r, year_col - 1)).lower() == "f"
        changes.append((year, _cell_number(grid, grid.f(r, pct_col)), forecast))
        r += 1
    if not changes:
        return None
    return DeflatorSeries.from_changes(
        f"GDP deflator ({label} Lookups sheet)",
        source or f"{label}, Lookups sheet",
        changes,
        current_year=current,
    )


def _open_grids(path: Path, label: str) -> dict[str, _Grid]:
    try:
        return _load_grids(path)
    except InputError:
        raise
    except Exception as exc:  # a corrupt or mislabelled file: say so plainly
        raise InputError(
            [
                Problem(
                    label,
                    None,
                    None,
                    None,
                    f"cannot be opened as a spreadsheet ({type(exc).__name__}: {exc})",
                    "open it in Excel, save it again as .xlsx, and re-import",
                )
            ]
        ) from exc


def _row_values(
    grid: _Grid,
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
            amount = _cell_number(grid, raw)
        except _FormulaError:
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
    grid: _Grid, lay: _Layout, r: int, code: str, values: dict[str, CostValue], where: str
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
    grids = _open_grids(path, label)
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
    return UnitCostBook(edition, label, entries, deflators, notes)


# -- the curated default set shipped with wholeplace ---------------------------------

CURATED_COLUMNS = [
    "code",
    "description",
    "unit",
    "agency",
    "agency_detail",
    "category",
    "detail",
    "fiscal_value",
    "fiscal_year",
    "economic_value",
    "economic_year",
    "social_value",
    "social_year",
    "source",
    "rag",
    "comment",
    "origin",
]


def curated_book() -> UnitCostBook:
    """The ~40 most used unit costs shipped with wholeplace (see data/cba/SOURCES.md)."""
    from wholeplace.cba.deflators import default_series

    ref = resources.files("wholeplace") / "data" / "cba" / "unit_costs.csv"
    rows = list(csv.DictReader(ref.read_text(encoding="utf-8").splitlines()))
    entries = []
    for rec in rows:
        values = {}
        for kind in KINDS:
            if rec.get(f"{kind}_value"):
                values[kind] = CostValue(
                    kind, Decimal(rec[f"{kind}_value"]), parse_year(rec[f"{kind}_year"])
                )
        entries.append(
            UnitCost(
                code=rec["code"],
                description=rec["description"],
                unit=rec["unit"],
                agency=rec["agency"],
                agency_detail=rec["agency_detail"],
                category=rec["category"],
                detail=rec["detail"],
                values=values,
                source=rec["source"],
                rag=rec["rag"],
                comment=rec["comment"],
                origin=rec["origin"],
            )
        )
    return UnitCostBook("curated", "unit_costs.csv", entries, default_series())


def write_curated_csv(entries: list[UnitCost], path: Path) -> None:
    """Write entries in the curated CSV layout (used to build the shipped file)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CURATED_COLUMNS)
        w.writeheader()
        for e in entries:
            rec: dict[str, str] = {
                "code": e.code,
                "description": e.description,
                "unit": e.unit,
                "agency": e.agency,
                "agency_detail": e.agency_detail,
                "category": e.category,
                "detail": e.detail,
                "source": e.source,
                "rag": e.rag,
                "comment": e.comment,
                "origin": e.origin,
            }
            for kind in KINDS:
                v = e.values.get(kind)
                rec[f"{kind}_value"] = "" if v is None else str(v.amount)
                rec[f"{kind}_year"] = "" if v is None else v.year
            w.writerow(rec)


# -- the workspace's own unit cost database ------------------------------------------


def save_book(ws: Workspace, book: UnitCostBook, file: Path) -> int:
    """Replace the workspace's unit cost database with ``book`` (one transaction)."""
    rows = []
    for e in book.entries:
        described = [
            e.description,
            e.unit,
            e.agency,
            e.agency_detail,
            e.category,
            e.detail,
            e.source,
            e.rag,
            e.comment,
            e.origin,
        ]
        for kind, v in e.values.items():
            rows.append(
                [
                    book.edition,
                    e.code,
                    kind,
                    v.amount,
                    v.year,
                    v.published_updated,
                    *described,
                ]
            )
        if not e.values:
            rows.append(
                [
                    book.edition,
                    e.code,
                    None,
                    None,
                    None,
                    None,
                    *described,
                ]
            )
    with ws.write(
        "unitcosts.import",
        file=file,
        rows=len(book.entries),
        detail={"edition": book.edition, "values": len(rows)},
    ):
        ws.con.execute("DELETE FROM cba_unit_costs")
        # One Arrow batch rather than a statement per row: executemany is slow in DuckDB.
        _uc_batch = _arrow_rows(rows)  # noqa: F841 - read by name in the SQL below
        ws.con.execute("INSERT INTO cba_unit_costs SELECT * FROM _uc_batch")
        if book.deflators is not None:
            _save_series(ws, book.deflators)
    return len(book.entries)


_STORE_COLUMNS = [
    "edition",
    "code",
    "kind",
    "amount",
    "price_year",
    "published_updated",
    "description",
    "unit",
    "agency",
    "agency_detail",
    "category",
    "detail",
    "source",
    "rag",
    "comment",
    "origin",
]
_STORE_SCALE = Decimal("1e-12")  # DECIMAL(38, 12), as in migrations/0010_cba.sql


def _arrow_rows(rows: list[list[Any]]) -> Any:
    import pyarrow as pa

    cols: dict[str, Any] = {}
    for i, name in enumerate(_STORE_COLUMNS):
        vals = [r[i] for r in rows]
        if name in ("amount", "published_updated"):
            vals = [None if v is None else v.quantize(_STORE_SCALE) for v in vals]
            cols[name] = pa.array(vals, type=pa.decimal128(38, 12))
        else:
            cols[name] = pa.array(vals, type=pa.string())
    return pa.table(cols)


def _save_series(ws: Workspace, series: DeflatorSeries) -> None:
    ws.con.execute("DELETE FROM cba_deflators WHERE series = ?", [series.name])
    ws.con.executemany(
        "INSERT INTO cba_deflators (series, year, pct_change, idx, forecast, source) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            [series.name, y.year, y.pct_change, y.index, y.forecast, series.source]
            for y in series.years
        ],
    )
    ws.set_setting("cba.deflators", series.name)
    ws.set_setting("cba.deflators.current_year", series.current_year or "")


def save_series(ws: Workspace, series: DeflatorSeries, file: Path) -> None:
    """Store a deflator series and make it the one appraisals in this place use."""
    with ws.write(
        "unitcosts.deflators.import",
        file=file,
        rows=len(series.years),
        detail={"series": series.name},
    ):
        _save_series(ws, series)


def workspace_series(ws: Workspace) -> DeflatorSeries:
    """The place's chosen deflator series, or the shipped default."""
    from wholeplace.cba.deflators import default_series

    name = ws.setting("cba.deflators")
    if not name:
        return default_series()
    rows = ws.con.execute(
        "SELECT year, pct_change, forecast, source FROM cba_deflators WHERE series = ? "
        "ORDER BY year",
        [name],
    ).fetchall()
    if not rows:
        return default_series()
    return DeflatorSeries.from_changes(
        name,
        rows[0][3] or name,
        [(r[0], Decimal(str(r[1])), bool(r[2])) for r in rows],
        current_year=ws.setting("cba.deflators.current_year") or None,
    )


def workspace_book(ws: Workspace) -> UnitCostBook:
    """The place's imported unit cost database, or the curated default set if none."""
    rows = ws.con.execute(
        "SELECT edition, code, kind, amount, price_year, published_updated, description, unit, "
        "agency, agency_detail, category, detail, source, rag, comment, origin "
        "FROM cba_unit_costs ORDER BY origin, code, kind"
    ).fetchall()
    if not rows:
        book = curated_book()
        book.deflators = workspace_series(ws)
        return book
    by_code: dict[tuple[str, str], UnitCost] = {}
    edition = rows[0][0]
    for r in rows:
        key = (r[1], r[15])
        e = by_code.get(key)
        if e is None:
            e = UnitCost(r[1], r[6], r[7], r[8], r[9], r[10], r[11], {}, r[12], r[13], r[14], r[15])
            by_code[key] = e
        if r[2] is not None:
            e.values[r[2]] = CostValue(r[2], _dec(r[3]), r[4], None if r[5] is None else _dec(r[5]))
    entries = sorted(by_code.values(), key=lambda e: _origin_key(e.origin))
    return UnitCostBook(edition, "workspace", entries, workspace_series(ws))


def _dec(v: Any) -> Decimal:
    return v if isinstance(v, Decimal) else Decimal(str(v))


def _origin_key(origin: str) -> tuple[str, int]:
    m = re.search(r"sheet (.*), row (\d+)$", origin)
    if not m:
        return (origin, 0)
    sheet = m.group(1)
    order = THEMATIC_SHEETS.index(sheet) if sheet in THEMATIC_SHEETS else 99
    return (f"{order:02d}", int(m.group(2)))


def find(book: UnitCostBook, code: str) -> UnitCost:
    e = book.get(code)
    if e is None:
        close = [x.code for x in book.entries if x.code.upper().startswith(code.upper()[:3])][:5]
        hint = f" Similar codes: {', '.join(close)}." if close else ""
        raise UnitCostError(
            f"unit cost {code!r} is not in the {book.edition} unit cost database.{hint} "
            "Fix: check the code with `wholeplace unitcosts search TEXT`, or import the "
            "workbook that has it with `wholeplace unitcosts import FILE`"
        )
    return e
