"""Reading the tables people actually send: CSV in UTF-8 or Windows-1252, or XLSX.

Finds the header row even when title rows sit above it, stops at trailing total
rows, fills merged cells from their anchor, and reports every row with the line
or row number a person sees in Excel.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.encodings import decode_bytes
from wholeplace.errors import InputError, Problems
from wholeplace.labels import header_key
from wholeplace.workbook_limits import check_workbook, merged_ranges, reading_workbook

MAX_HEADER_SCAN = 30
# The most an Excel cell holds: a longer field cannot have come from a spreadsheet, and no
# name, code or amount needs it. Stated in docs/formats.md; checked in every reader of tables.
MAX_FIELD_CHARS = 32_767
FIELD_TOO_LONG = f"longer than {MAX_FIELD_CHARS:,} characters, the most a spreadsheet cell holds"
FIELD_FIX = "check the file: a quote left open runs the rest of it into one field; shorten the text"


def csv_record(text: str, label: str, line: int) -> list[str]:
    """The fields of one CSV record (a line, or lines joined by a quoted field), or the
    problem table if a field is too long for Python's csv (131,072 characters)."""
    try:
        return next(csv.reader(io.StringIO(text)), [])
    except csv.Error as exc:
        raise csv_error(label, line, exc) from exc


def csv_error(label: str, line: int | None, exc: csv.Error) -> InputError:
    """The problem table for a CSV that Python's csv module stopped reading at ``line``."""
    p = Problems(label)
    if "field larger than field limit" in str(exc):
        p.add(line, None, None, f"a field is {FIELD_TOO_LONG}", FIELD_FIX)
    else:
        p.add(line, None, None, f"cannot be read as CSV ({exc})", "save it again as CSV (UTF-8)")
    return p.error()


def norm_header(name: object) -> str:
    """``" Amount (GBP) "`` -> ``amount_gbp``; used to match column names leniently.

    :func:`wholeplace.labels.header_key`, the column-name form of ``match_key``.
    """
    return header_key(name)


@dataclass
class Row:
    number: int  # as the user sees it: CSV line number / Excel row number
    values: dict[str, str]


@dataclass
class TableFile:
    path: Path
    sheet: str | None
    columns: list[str]  # normalised names, in file order
    original_columns: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    encoding: str | None = None
    header_row: int = 1
    skipped_footer: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.path.name


def number_text(v: float) -> str:
    """A spreadsheet number as plain digits, as Excel shows it: to 15 significant digits
    (what Excel keeps; a sum such as 0.1 + 0.2 is stored as 0.30000000000000004) and never
    in scientific notation, which amounts refuse (``1e+17`` is ``100000000000000000``)."""
    if v != v or v in (float("inf"), float("-inf")):
        return repr(v)
    return format(Decimal(format(v, ".15g")), "f")


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if isinstance(v, float):
        return number_text(v)
    return str(v).strip()


def read_table(
    path: Path | str,
    *,
    required: Sequence[str],
    aliases: dict[str, str] | None = None,
    sheet: str | None = None,
) -> TableFile:
    """Read ``path`` and return its rows keyed by normalised column name.

    ``required`` names the columns whose presence identifies the header row;
    ``aliases`` maps other normalised names onto canonical ones.
    """
    path = Path(path)
    if not path.exists():
        missing = Problems(str(path))
        missing.add(None, None, None, "file not found", "check the path")
        raise missing.error()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw_rows, sheet_name = _xlsx_rows(path, sheet)
        encoding = None
    elif suffix in (".csv", ".txt", ".tsv"):
        text, encoding = decode_bytes(path.read_bytes(), path.name)
        raw_rows = _csv_rows(text, "\t" if suffix == ".tsv" else None, path.name)
        sheet_name = None
    else:
        unsupported = Problems(path.name)
        unsupported.add(
            None,
            None,
            path.suffix,
            "unsupported file type",
            "save the file as CSV (UTF-8) or Excel .xlsx",
        )
        raise unsupported.error()
    return _to_table(path, sheet_name, raw_rows, required, aliases or {}, encoding)


def _csv_rows(text: str, delimiter: str | None, label: str) -> list[tuple[int, list[str]]]:
    # Old Mac exports end lines with CR alone; csv copes once they are normalised.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [(reader.line_num, [c.strip() for c in row]) for row in reader]
    except csv.Error as exc:  # the line it stopped on is the one holding the field
        raise csv_error(label, reader.line_num, exc) from exc


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[tuple[int, list[str]]], str]:
    check_workbook(path)
    with reading_workbook(path):
        return _xlsx_sheet_rows(path, sheet)


def _xlsx_sheet_rows(path: Path, sheet: str | None) -> tuple[list[tuple[int, list[str]]], str]:
    import openpyxl

    # Read-only mode streams the sheet: a 3 MB payments workbook opened in full took 97 s.
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return _read_sheet(wb, path, sheet)
    finally:
        wb.close()


def _read_sheet(wb: Any, path: Path, sheet: str | None) -> tuple[list[tuple[int, list[str]]], str]:
    if not wb.worksheets:  # its list of sheets lost (a damaged file), yet it opens
        empty = Problems(path.name)
        empty.add(
            None, None, None, "this workbook has no sheets", "open it in Excel and save it again"
        )
        raise empty.error()
    if sheet is None:
        ws = wb.worksheets[0]
    elif sheet in wb.sheetnames:
        ws = wb[sheet]
    else:
        no_sheet = Problems(path.name, sheet=sheet)
        no_sheet.add(
            None,
            None,
            sheet,
            "no such sheet",
            f"use --sheet with one of: {', '.join(wb.sheetnames)}",
        )
        raise no_sheet.error()
    if not hasattr(ws, "reset_dimensions"):  # a chart sheet has no cells
        return [], ws.title
    # The dimension a workbook states can be stale (some writers never update it): read
    # every row there is instead of trusting it.
    ws.reset_dimensions()
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    with ws._get_source() as xml:  # the sheet's own XML: read-only mode keeps no merges
        merges = merged_ranges(xml)
    height = max([len(rows)] + [r2 for _, _, _, r2 in merges])
    width = max([len(r) for r in rows] + [c2 for _, _, c2, _ in merges] + [0])
    rows += [[] for _ in range(height - len(rows))]
    for cells in rows:
        cells += [None] * (width - len(cells))
    # A merged cell holds its value in the top-left cell only; every cell it covers
    # means the same thing to the person who merged it.
    for c1, r1, c2, r2 in merges:
        anchor = rows[r1 - 1][c1 - 1]
        for row in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                rows[row - 1][col - 1] = anchor
    return [(i, [_cell_text(v) for v in r]) for i, r in enumerate(rows, start=1)], ws.title


def _to_table(
    path: Path,
    sheet: str | None,
    raw_rows: list[tuple[int, list[str]]],
    required: Sequence[str],
    aliases: dict[str, str],
    encoding: str | None,
) -> TableFile:
    req = {norm_header(r) for r in required}

    def canon(h: str) -> str:
        n = norm_header(h)
        return aliases.get(n, n)

    header_idx = None
    for i, (_, vals) in enumerate(raw_rows[:MAX_HEADER_SCAN]):
        names = {canon(v) for v in vals if v}
        if req <= names:
            header_idx = i
            break
    if header_idx is None:
        first = raw_rows[0][1] if raw_rows else []
        missing = sorted(req - {canon(v) for v in first if v})
        no_header = Problems(path.name, sheet=sheet)
        no_header.add(
            raw_rows[0][0] if raw_rows else None,
            None,
            ", ".join(v for v in first if v)[:200] or None,
            f"no header row with the columns {', '.join(sorted(req))} "
            f"in the first {MAX_HEADER_SCAN} rows (missing: {', '.join(missing)})",
            "add a header row naming the columns; see docs/formats.md",
        )
        raise no_header.error()
    _refuse_long_fields(path.name, sheet, raw_rows[header_idx:], raw_rows[header_idx][1])
    header_line, header_vals = raw_rows[header_idx]
    columns = [canon(v) for v in header_vals]
    problems = Problems(path.name, sheet=sheet)
    same_column_twice(problems, header_line, columns, header_vals)
    # a row may not have more cells than the header row (empty ones at its end aside);
    # cells under an empty header cell are another matter: a column left unnamed, as
    # published workbooks keep working formulas beside the table, and they are ignored
    width = len(header_vals)
    original = {c: v for c, v in zip(columns, header_vals, strict=True) if c}
    table = TableFile(path, sheet, [c for c in columns if c], original, encoding=encoding)
    table.header_row = header_line
    for line, vals in raw_rows[header_idx + 1 :]:
        if not any(vals):
            continue
        values = {col: (vals[i] if i < len(vals) else "") for i, col in enumerate(columns) if col}
        if _is_footer(vals):
            table.skipped_footer.append(line)
            continue
        if row_width(vals) > width:
            _ragged(problems, line, vals, width)
        table.rows.append(Row(line, values))
    problems.raise_if_any()
    return table


def _refuse_long_fields(
    label: str, sheet: str | None, rows: list[tuple[int, list[str]]], header: list[str]
) -> None:
    """Every field from the header down longer than :data:`MAX_FIELD_CHARS`, at once."""
    p = Problems(label, sheet=sheet)
    for line, vals in rows:
        if max(map(len, vals), default=0) <= MAX_FIELD_CHARS:
            continue
        for i, v in enumerate(vals):
            if len(v) > MAX_FIELD_CHARS:
                column = header[i] if i < len(header) and header[i] else f"column {i + 1}"
                found = f"{v[:40]}... ({len(v):,} characters)"
                p.add(line, column, found, FIELD_TOO_LONG, FIELD_FIX)
    p.raise_if_any()


def row_width(vals: Sequence[str]) -> int:
    """Cells up to the last one that is not empty: empty cells at the end of a row (what
    Excel leaves after a column was cleared) do not count."""
    return next((i + 1 for i in range(len(vals) - 1, -1, -1) if vals[i]), 0)


def column_ref(index: int) -> str:
    """``3`` -> ``column 4 (D)``: the position a text editor counts and Excel's letter."""
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"column {index + 1} ({letters})"


def same_column_twice(
    problems: Problems, line: int | None, columns: Sequence[str], header: Sequence[object]
) -> None:
    """Two header cells read as the same column (``Amount`` twice, or ``amount`` beside
    ``amount_gbp``, its alias): taking either would be a guess.

    ``columns[i]`` is the column the reader takes header cell ``i`` for ('' for a cell it
    does not read) and ``header[i]`` the cell as written. Every reader with its own header
    matching calls this, so each refuses a header used twice in the same words.
    """
    seen: dict[str, list[int]] = {}
    for i, col in enumerate(columns):
        if col:
            seen.setdefault(col, []).append(i)
    for col, at in seen.items():
        if len(at) > 1:
            problems.add(
                line,
                col,
                " and ".join(f"{str(header[i]).strip()!r} ({column_ref(i)})" for i in at),
                f"these header cells are {'both' if len(at) == 2 else 'all'} read as the "
                f"column {col!r}, so which one holds it would be a guess",
                "delete the column that is not meant, or rename it to something else "
                "(see docs/formats.md for the names each column is read by)",
            )


def _ragged(problems: Problems, line: int, vals: Sequence[str], width: int) -> None:
    """A row with more cells than the header row: they would be dropped without a word,
    and an unquoted comma inside a name (``Smith, Jones & Co``) shifts every later cell
    into the wrong column."""
    extra = [(i, v) for i, v in enumerate(vals) if i >= width and v]
    problems.add(
        line,
        None,
        ", ".join(f"{v!r} in {column_ref(i)}" for i, v in extra[:5])
        + (" ..." if len(extra) > 5 else ""),
        f"this row has {row_width(vals)} cells but the header has {width}",
        "remove the stray cells, give their column a header, or (CSV) put quotes round a "
        'name holding a comma: "Smith, Jones & Co"',
    )


_FOOTER = re.compile(r"^(grand\s+)?(sub\s*)?totals?\b|^end of (report|file)|^source\b", re.I)


def _is_footer(vals: Iterable[str]) -> bool:
    """A total, "end of report" or source line under the data, not a data row."""
    first = next((v for v in vals if v), "")
    return bool(_FOOTER.match(first))
