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
from pathlib import Path

from wholeplace.errors import Problem, Problems
from wholeplace.labels import header_key
from wholeplace.workbook_limits import check_workbook

MAX_HEADER_SCAN = 30


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


def decode_bytes(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then Windows-1252, which is what Excel on
    Windows writes as "CSV"; latin-1 as the last resort never fails."""
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float):
        return repr(v)
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
        text, encoding = decode_bytes(path.read_bytes())
        raw_rows = _csv_rows(text, delimiter="\t" if suffix == ".tsv" else None)
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


def _csv_rows(text: str, delimiter: str | None) -> list[tuple[int, list[str]]]:
    # Old Mac exports end lines with CR alone; csv copes once they are normalised.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [(reader.line_num, [c.strip() for c in row]) for row in reader]


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[tuple[int, list[str]]], str]:
    import openpyxl

    check_workbook(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:
        unreadable = Problems(path.name)
        unreadable.extend([Problem.unreadable_workbook(path.name, exc)])
        raise unreadable.error() from exc
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
    # A merged cell holds its value in the top-left cell only; every cell it covers
    # means the same thing to the person who merged it.
    fills: dict[tuple[int, int], object] = {}
    for rng in list(ws.merged_cells.ranges):
        anchor = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                fills[(r, c)] = anchor
    out: list[tuple[int, list[str]]] = []
    for r_idx, row in enumerate(ws.iter_rows(values_only=True), start=1):
        vals = []
        for c_idx, v in enumerate(row, start=1):
            vals.append(_cell_text(fills.get((r_idx, c_idx), v)))
        out.append((r_idx, vals))
    return out, ws.title


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
    header_line, header_vals = raw_rows[header_idx]
    columns = [canon(v) for v in header_vals]
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
        table.rows.append(Row(line, values))
    return table


_FOOTER = re.compile(r"^(grand\s+)?(sub\s*)?totals?\b|^end of (report|file)|^source\b", re.I)


def _is_footer(vals: Iterable[str]) -> bool:
    """A total, "end of report" or source line under the data, not a data row."""
    first = next((v for v in vals if v), "")
    return bool(_FOOTER.match(first))
