"""The New Economy Unit Cost Database: read the published workbooks, search, uprate, and
keep a place's own database.

This module is the front door (``from wholeplace.cba import unitcosts as uc``); the code lives
in one module per concern:

* :mod:`wholeplace.cba.unitcost_book`: the typed entries, the book, searching and finding;
* :mod:`wholeplace.cba.unitcost_workbook`: reading the v1.4 ``.xlsx`` and v1.2 ``.xls``
  workbooks by their headers;
* :mod:`wholeplace.cba.unitcost_formulas`: the sheets as grids and the exact evaluator for
  the formulas in value cells;
* here: the curated set shipped with wholeplace, and the place's own database.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from wholeplace.cba.deflators import DeflatorSeries, parse_year
from wholeplace.cba.unitcost_book import (
    KINDS,
    RAGS,
    TEXT_FIELDS,
    THEMATIC_SHEETS,
    CostValue,
    StatedValue,
    Transfer,
    UnitCost,
    UnitCostBook,
    UnitCostError,
    find,
    search,
    uprated,
)
from wholeplace.cba.unitcost_workbook import read_workbook
from wholeplace.workspace import Workspace

__all__ = [
    "CURATED_COLUMNS",
    "KINDS",
    "RAGS",
    "THEMATIC_SHEETS",
    "CostValue",
    "StatedValue",
    "Transfer",
    "UnitCost",
    "UnitCostBook",
    "UnitCostError",
    "curated_book",
    "find",
    "read_workbook",
    "save_book",
    "save_series",
    "search",
    "find_series",
    "series_names",
    "stored_series",
    "use_series",
    "uprated",
    "workspace_book",
    "workspace_series",
    "write_curated_csv",
]

# -- the curated default set shipped with wholeplace ---------------------------------

# The curated CSV's columns: a unit cost's fields in their order, with each kind's value and
# price year where its values stand.
_VALUES_AT = TEXT_FIELDS.index("source")
# The notes' columns: the transfer part and the stated public value (migration 0011).
NOTE_COLUMNS = [
    "transfer_amount",
    "transfer_agency",
    "transfer_note",
    "transfer_where",
    "public_value_stated",
    "public_value_year",
    "public_value_note",
    "public_value_where",
]
CURATED_COLUMNS = [
    *TEXT_FIELDS[:_VALUES_AT],
    *(f"{kind}_{part}" for kind in KINDS for part in ("value", "year")),
    *TEXT_FIELDS[_VALUES_AT:],
    *NOTE_COLUMNS,
]


def _note_cells(e: UnitCost) -> list[Any]:
    """An entry's notes in the order of :data:`NOTE_COLUMNS` (None where it has none)."""
    t, p = e.transfer, e.stated_public_value
    return [
        *((t.amount, t.agency, t.note, t.where) if t else (None,) * 4),
        *((p.amount, p.year, p.note, p.where) if p else (None,) * 4),
    ]


def _notes_from(rec: dict[str, Any]) -> tuple[Transfer | None, StatedValue | None]:
    """The notes of a stored or curated row (see :data:`NOTE_COLUMNS`)."""
    transfer = stated = None
    if rec.get("transfer_amount") not in (None, ""):
        transfer = Transfer(
            _plain(rec["transfer_amount"]),
            rec["transfer_agency"] or "",
            rec["transfer_note"] or "",
            rec["transfer_where"] or "",
        )
    if rec.get("public_value_stated") not in (None, ""):
        stated = StatedValue(
            _plain(rec["public_value_stated"]),
            rec["public_value_year"] or "",
            rec["public_value_note"] or "",
            rec["public_value_where"] or "",
        )
    return transfer, stated


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
        transfer, stated = _notes_from(rec)
        entries.append(
            UnitCost(
                **{name: rec[name] for name in TEXT_FIELDS},
                values=values,
                transfer=transfer,
                stated_public_value=stated,
            )
        )
    return UnitCostBook("curated", "unit_costs.csv", entries, default_series())


def write_curated_csv(entries: list[UnitCost], path: Path) -> None:
    """Write entries in the curated CSV layout (used to build the shipped file)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CURATED_COLUMNS)
        w.writeheader()
        for e in entries:
            rec: dict[str, str] = {name: getattr(e, name) for name in TEXT_FIELDS}
            for col, cell in zip(NOTE_COLUMNS, _note_cells(e), strict=True):
                rec[col] = "" if cell is None else str(cell)
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
        # description ... origin, then the notes
        described = [getattr(e, name) for name in TEXT_FIELDS[1:]] + _note_cells(e)
        head = [book.edition, e.code]
        for kind, v in e.values.items():
            rows.append([*head, kind, v.amount, v.year, v.published_updated, *described])
        if not e.values:
            rows.append([*head, None, None, None, None, *described])
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
            # Kept for reproducing the workbook (by name), not made the place's series: the
            # place keeps uprating with the latest HM Treasury series (or its own choice).
            _save_series(ws, book.deflators, choose=False)
    return len(book.entries)


# The columns of cba_unit_costs (migrations/0010_cba.sql), in order: one row per value.
_STORE_COLUMNS = ["edition", "code", "kind", "amount", "price_year", "published_updated"]
_STORE_COLUMNS += [*TEXT_FIELDS[1:], *NOTE_COLUMNS]  # description ... origin, the notes
_MONEY_COLUMNS = ("amount", "published_updated", "transfer_amount", "public_value_stated")
_STORE_SCALE = Decimal("1e-12")  # DECIMAL(38, 12), as in migrations/0010_cba.sql


def _arrow_rows(rows: list[list[Any]]) -> Any:
    import pyarrow as pa

    cols: dict[str, Any] = {}
    for i, name in enumerate(_STORE_COLUMNS):
        vals = [r[i] for r in rows]
        if name in _MONEY_COLUMNS:
            vals = [None if v is None else v.quantize(_STORE_SCALE) for v in vals]
            cols[name] = pa.array(vals, type=pa.decimal128(38, 12))
        else:
            cols[name] = pa.array(vals, type=pa.string())
    return pa.table(cols)


def _save_series(ws: Workspace, series: DeflatorSeries, choose: bool = True) -> None:
    ws.con.execute("DELETE FROM cba_deflators WHERE series = ?", [series.name])
    ws.con.executemany(
        "INSERT INTO cba_deflators (series, year, pct_change, idx, forecast, source) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            [series.name, y.year, y.pct_change, y.index, y.forecast, series.source]
            for y in series.years
        ],
    )
    ws.set_setting(f"cba.deflators.current_year.{series.name}", series.current_year or "")
    if choose:
        ws.set_setting("cba.deflators", series.name)


def save_series(ws: Workspace, series: DeflatorSeries, file: Path) -> None:
    """Store a deflator series and make it the one appraisals in this place use."""
    with ws.write(
        "unitcosts.deflators.import",
        file=file,
        rows=len(series.years),
        detail={"series": series.name},
    ):
        _save_series(ws, series)


def stored_series(ws: Workspace, name: str) -> DeflatorSeries | None:
    """A series kept in the place (imported, or a workbook's own), by its name."""
    rows = ws.con.execute(
        "SELECT year, pct_change, forecast, source, idx FROM cba_deflators WHERE series = ? "
        "ORDER BY year",
        [name],
    ).fetchall()
    if not rows:
        return None
    current = ws.setting(f"cba.deflators.current_year.{name}")
    if current is None:  # stored before each series kept its own current year
        current = ws.setting("cba.deflators.current_year")
    return DeflatorSeries.from_changes(
        name,
        rows[0][3] or name,
        [(r[0], Decimal(str(r[1])), bool(r[2])) for r in rows],
        current_year=current or None,
        start=_dec(rows[0][4]),
    )


def series_names(ws: Workspace | None) -> list[str]:
    """The series an appraisal may name: the shipped ones' short names, then the place's."""
    from wholeplace.cba.deflators import SHIPPED_SERIES

    names = list(SHIPPED_SERIES)
    if ws is not None:
        stored = ws.con.execute("SELECT DISTINCT series FROM cba_deflators ORDER BY 1").fetchall()
        names += [r[0] for r in stored]
    return names


def find_series(name: str, ws: Workspace | None = None) -> DeflatorSeries | None:
    """A series by name: a shipped one (``hmt-2024-10``, ``ucd-v1.4``) or one kept in the
    place."""
    from wholeplace.cba.deflators import shipped_series

    found = shipped_series(name)
    if found is None and ws is not None:
        found = stored_series(ws, name.strip())
    return found


def use_series(ws: Workspace, name: str) -> DeflatorSeries:
    """Make a shipped or stored series the one this place's appraisals use (audited)."""
    series = find_series(name, ws)
    if series is None:
        raise UnitCostError(
            f"no deflator series {name!r}. Fix: use one of: {', '.join(series_names(ws))}, or "
            "import one with `wholeplace unitcosts deflators import FILE.csv`"
        )
    with ws.write("unitcosts.deflators.use", detail={"series": series.name}):
        ws.set_setting("cba.deflators", series.key or series.name)
    return series


def workspace_series(ws: Workspace) -> DeflatorSeries:
    """The place's chosen deflator series, or the shipped default."""
    from wholeplace.cba.deflators import default_series

    name = ws.setting("cba.deflators")
    if not name:
        return default_series()
    return find_series(name, ws) or default_series()


def workspace_book(ws: Workspace) -> UnitCostBook:
    """The place's imported unit cost database, or the curated default set if none."""
    cols = ", ".join(NOTE_COLUMNS)
    rows = ws.con.execute(
        "SELECT edition, code, kind, amount, price_year, published_updated, description, unit, "
        f"agency, agency_detail, category, detail, source, rag, comment, origin, {cols} "
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
            notes = dict(zip(NOTE_COLUMNS, r[16:], strict=True))
            e.transfer, e.stated_public_value = _notes_from(notes)
            by_code[key] = e
        if r[2] is not None:
            e.values[r[2]] = CostValue(r[2], _dec(r[3]), r[4], None if r[5] is None else _dec(r[5]))
    entries = sorted(by_code.values(), key=lambda e: _origin_key(e.origin))
    return UnitCostBook(edition, "workspace", entries, workspace_series(ws))


def _dec(v: Any) -> Decimal:
    return v if isinstance(v, Decimal) else Decimal(str(v))


def _plain(v: Any) -> Decimal:
    """A stored amount without the store's trailing zeros (9234, not 9234.000000000000)."""
    d = _dec(v)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _origin_key(origin: str) -> tuple[str, int]:
    m = re.search(r"sheet (.*), row (\d+)$", origin)
    if not m:
        return (origin, 0)
    sheet = m.group(1)
    order = THEMATIC_SHEETS.index(sheet) if sheet in THEMATIC_SHEETS else 99
    return (f"{order:02d}", int(m.group(2)))
