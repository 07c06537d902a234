"""Reading a file into a staging SELECT: find the header, decode and normalise messy
CSV, stream XLSX; DuckDB then parses the result (:mod:`.parsing`)."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wholeplace.encodings import mixed_error, scan_file
from wholeplace.errors import InputError, Problem, Problems
from wholeplace.spend.transactions.headers import ROLES, header_clashes, match_header
from wholeplace.spend.transactions.statements import ProgressFn, columns_sql, quote
from wholeplace.tabular import column_ref, csv_record, number_text, row_width
from wholeplace.workbook_limits import check_workbook, reading_workbook

if TYPE_CHECKING:
    from _csv import Writer as CsvWriter

    from openpyxl.worksheet._read_only import ReadOnlyWorksheet as Worksheet

_SAMPLE = 1 << 20
_CHUNK = 4 << 20


@dataclass
class Staged:
    """Where DuckDB reads one file from, and how."""

    source_sql: str  # a SELECT yielding _line, _sheet and one VARCHAR column per role
    encoding: str
    header_line: int | None
    header_labels: dict[str, str]
    layout: dict[str, int]
    # Run first (clean UTF-8 files): copy the file's columns into _tx_raw, whose rowid then
    # numbers the lines. row_number() OVER () would do it too, but it makes everything
    # after it (all the parsing) run on one core; this copy keeps file order
    # (preserve_insertion_order) and reads in parallel.
    prepare_sql: str | None = None
    # Clean UTF-8 files only: the same columns read straight from the file, in parallel
    # and in no particular order, without line numbers (the one-pass import of big files).
    direct_sql: str | None = None


def _sample_text(path: Path) -> tuple[str, str, bool]:
    """(decoded first MiB, encoding, needs normalising)."""
    with open(path, "rb") as f:
        raw = f.read(_SAMPLE)
    enc = "utf-8"
    if raw.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    try:
        text = codecs.getincrementaldecoder(enc)().decode(raw, final=False)
    except UnicodeDecodeError:
        enc = "cp1252"
        text = raw.decode("cp1252", errors="replace")
    lines = text.split("\n")[:-1]  # the last line of the sample may be cut short
    messy = (
        enc != "utf-8"
        or "\r" in text
        or bool(re.search(r"\n[,\s]*\n", text))
        # a quoted field running over lines: only the slow path numbers lines exactly
        or any(ln.count('"') % 2 for ln in lines)
    )
    return text, enc, messy


def _records(text: str, limit: int, label: str) -> list[tuple[int, list[str]]]:
    """The first ``limit`` non-blank records of ``text`` with their physical line numbers."""
    out: list[tuple[int, list[str]]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    buf: list[str] = []
    start = 0
    for i, line in enumerate(lines, start=1):
        if not buf:
            start = i
        buf.append(line)
        if "\n".join(buf).count('"') % 2:
            continue  # a quoted field runs onto the next line
        rec = "\n".join(buf)
        buf = []
        if not rec.replace(",", "").strip():
            continue
        out.append((start, csv_record(rec, label, start)))
        if len(out) >= limit:
            break
    return out


def _tail_records(path: Path, enc: str) -> list[tuple[int, list[str]]]:
    """The last few records (a header repeated at the bottom), line numbers unknown (0)."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        f.seek(max(0, size - 65536))
        text = f.read().decode("cp1252" if enc == "cp1252" else "utf-8", errors="replace")
    recs = _records(text, 10_000, path.name)
    return [(0, r) for _, r in recs[-5:]]


def _one_encoding(path: Path) -> str:
    """``cp1252`` for a file that is not UTF-8; a file mixing UTF-8 and Windows-1252 is
    refused (:mod:`wholeplace.encodings`): read as either, some names would be garbled."""
    found = scan_file(path)
    if found.encoding == "mixed":
        raise mixed_error(path.name, found)
    return "cp1252" if found.encoding == "cp1252" else "utf-8"


@dataclass
class _Shape:
    """What a record must look like: no more cells than the header row has (``width``,
    its empty cells included; None when the roles come from --columns), other than empty
    ones at the end, below the header (``header_line``)."""

    width: int | None
    header_line: int | None
    problems: Problems
    rows: int = 0  # rows with too many cells (only the first 200 are listed)

    def check(self, line: int, record: str) -> None:
        if self.width is None or record.count(",") < self.width:
            return
        if self.header_line is not None and line <= self.header_line:
            return  # a title row above the header
        cells = [c.strip() for c in csv_record(record, self.problems.file, line)]
        if row_width(cells) <= self.width:
            return  # empty cells at the end: what Excel leaves after a column is cleared
        self.rows += 1
        if self.rows <= 200:
            extra = [(i, v) for i, v in enumerate(cells) if i >= self.width and v]
            self.problems.add(
                line,
                None,
                ", ".join(f"{v!r} in {column_ref(i)}" for i, v in extra[:5])
                + (" ..." if len(extra) > 5 else ""),
                f"this row has {row_width(cells)} cells but the header has {self.width}",
                "remove the stray cells, give their column a header, or put quotes round "
                'a name holding a comma: "Smith, Jones & Co"',
            )

    def raise_if_any(self) -> None:
        if self.rows > 200:
            self.problems.add(None, None, None, f"... {self.rows - 200} more rows like these", "")
        self.problems.raise_if_any()


def _normalise(
    src: Path, dst: Path, enc: str, progress: ProgressFn | None, shape: _Shape
) -> tuple[str, int]:
    """Decode ``src`` to UTF-8 ``dst`` with LF endings, each record prefixed by its line
    number; blank and all-comma lines are dropped. Returns (encoding used, max fields);
    raises InputError for rows with cells beyond the header."""
    size = src.stat().st_size
    try:
        widest = _normalise_with(src, dst, enc, size, progress, shape)
    except UnicodeDecodeError:
        if enc == "cp1252":
            raise
        # UTF-8 at the start only: the whole file must be in one encoding
        enc = _one_encoding(src)
        shape.problems.problems.clear()
        shape.rows = 0
        widest = _normalise_with(src, dst, enc, size, progress, shape)
    shape.raise_if_any()
    return enc, widest


def _normalise_with(
    src: Path, dst: Path, enc: str, size: int, progress: ProgressFn | None, shape: _Shape
) -> int:
    dec = codecs.getincrementaldecoder(enc)(errors="strict")
    line_no = 0
    in_quote = False
    pending = ""
    widest = 0
    done = 0
    # The record being read (its first line, where it began, the lines after, its
    # commas): checked against the header once it ends, if it has commas enough to be
    # too long. Nothing more per line, as this loop is the slow part of a messy file.
    limit = shape.width if shape.width is not None else 1 << 62
    first, record_line, rest, commas = "", 0, list[str](), -1
    with open(src, "rb") as fin, open(dst, "w", encoding="utf-8", newline="\n") as fout:
        while True:
            raw = fin.read(_CHUNK)
            final = not raw
            done += len(raw)
            text = pending + dec.decode(raw, final=final)
            if final:
                body, pending = text, ""
            else:
                # cut at the last line break that cannot be the first half of a CRLF
                end = len(text) - 1 if text.endswith("\r") else len(text)
                cut = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end))
                if cut < 0:
                    pending = text
                    continue
                body, pending = text[: cut + 1], text[cut + 1 :]
            body = body.replace("\r\n", "\n").replace("\r", "\n")
            parts = body.split("\n")
            if body.endswith("\n") or not body:
                parts.pop()
            out: list[str] = []
            for line in parts:
                line_no += 1
                if in_quote:
                    out.append("\n" + line)
                    rest.append(line)
                    commas += line.count(",")
                elif line.replace(",", "").strip():
                    out.append(f"\n{line_no},{line}")
                    commas = line.count(",")
                    widest = max(widest, commas + 1)
                    first, record_line, rest = line, line_no, []
                if line.count('"') % 2:
                    in_quote = not in_quote
                if commas >= limit and not in_quote:
                    shape.check(record_line, "\n".join([first, *rest]))
                    commas = -1
            fout.write("".join(out))
            if progress:
                progress("decode", done, size)
            if final:
                break
    return widest


def stage_csv(
    path: Path,
    tmp: Path,
    *,
    columns: Sequence[str] | None,
    progress: ProgressFn | None,
    careful: bool = False,
) -> Staged:
    """``careful``: decode and check every line in Python (the clean path could not read
    the file: a byte that is not UTF-8 after the first MiB, a row with too many cells)."""
    text, enc, messy = _sample_text(path)
    if enc == "cp1252":
        enc = _one_encoding(path)
    recs = _records(text, 60, path.name)
    layout, header_line, header_cells = _find_layout(path, enc, recs, columns)
    width = max([len(c) for _, c in recs] + [max(layout.values()) + 1])
    header_labels = {r: header_cells[i].strip() for r, i in layout.items() if i < len(header_cells)}
    # With a header, no row may have more cells than it (--columns has no header to go by)
    header_width = None if columns else len(header_cells)
    if not (messy or careful or enc != "utf-8" or width > (header_width or width)):
        return _stage_clean(path, layout, header_line, header_labels, width, header_width)
    dst = tmp / (path.stem + ".utf8.csv")
    shape = _Shape(header_width, header_line, Problems(path.name))
    enc, widest = _normalise(path, dst, enc, progress, shape)
    width = max(width, widest)
    names = ["_line"] + [f"c{i}" for i in range(width)]
    read = (
        f"read_csv({quote(str(dst))}, header=false, auto_detect=false, delim=',', "
        f"quote='\"', escape='\"', all_varchar=true, columns={columns_sql(names)}, "
        "null_padding=true, strict_mode=false, parallel=false)"
    )
    where = f"WHERE CAST(_line AS BIGINT) > {header_line}" if header_line else ""
    cols = ", ".join(
        f"c{layout[r]} AS {r}" if r in layout else f"CAST(NULL AS VARCHAR) AS {r}" for r in ROLES
    )
    sql = (
        f"SELECT CAST(_line AS BIGINT) AS _line, CAST(NULL AS VARCHAR) AS _sheet, {cols} "
        f"FROM {read} {where}"
    )
    return Staged(sql, enc, header_line, header_labels, layout)


def _find_layout(
    path: Path, enc: str, recs: list[tuple[int, list[str]]], columns: Sequence[str] | None
) -> tuple[dict[str, int], int | None, list[str]]:
    """(role -> column index, header line, header cells): from ``columns`` if given, else
    from a header row among the first 60 records or the last 5."""
    label = path.name
    if columns:
        layout = {r: i for i, r in enumerate(columns) if r}
        bad = sorted(set(layout) - set(ROLES))
        if bad or "amount" not in layout or "date" not in layout:
            raise InputError(
                [
                    Problem(
                        label,
                        None,
                        None,
                        ",".join(columns),
                        "--columns must name each column's role, with at least date and amount",
                        "use these names (blank to skip a column): " + ", ".join(ROLES),
                    )
                ]
            )
        return layout, None, []
    for line, cells in recs:
        found = match_header(cells)
        if found:
            _refuse_clashes(label, None, line, cells, found)
            return found, line, cells
    for _, cells in _tail_records(path, enc):
        found = match_header(cells)
        if found:  # Hyndburn 2025-03: the header row sits at the bottom
            _refuse_clashes(label, None, None, cells, found)
            return found, None, cells
    raise InputError(
        [
            Problem(
                label,
                recs[0][0] if recs else None,
                None,
                ",".join(recs[0][1])[:80] if recs else "",
                "no header row found (looked for columns such as 'Payment Date', "
                "'Net Amount', 'Supplier Name' in the first 60 rows and the last 5)",
                "name the columns: --columns date,amount,supplier,... in file order "
                "(blank for a column to skip), or add a header row",
            )
        ]
    )


def clash_problems(
    label: str, sheet: str | None, line: int | None, cells: Sequence[object], layout: dict[str, int]
) -> list[Problem]:
    """A header row with two columns that could each be the date, the amount or the
    partner (or one role's column named twice): taking either would be a guess."""
    return [
        Problem(
            label,
            line,
            role,
            " and ".join(f"{str(cells[i]).strip()!r} ({column_ref(i)})" for i in at),
            f"{len(at)} columns could each be the {role.replace('_', ' ')}, so which one "
            "to read would be a guess",
            "rename the one that is not meant (for example to 'Invoice Date (not used)'), "
            "or delete it; docs/national.md lists the names each column is found by",
            sheet=sheet,
        )
        for role, at in header_clashes(cells, layout)
    ]


def _refuse_clashes(
    label: str, sheet: str | None, line: int | None, cells: Sequence[object], layout: dict[str, int]
) -> None:
    found = clash_problems(label, sheet, line, cells, layout)
    if found:
        raise InputError(found)


def _stage_clean(
    path: Path,
    layout: dict[str, int],
    header_line: int | None,
    header_labels: dict[str, str],
    width: int,
    header_width: int | None,
) -> Staged:
    """A clean UTF-8 file: DuckDB reads it directly (copied to number its lines, or in
    one pass without line numbers). With a header (``header_width``), a row with more
    cells than it is an error, and the file is read again carefully (``stage_csv``)."""
    names = [f"c{i}" for i in range(width)]
    skip = header_line or 0
    strict = "true" if header_width is not None else "false"
    read = (
        f"read_csv({quote(str(path))}, header=false, auto_detect=false, delim=',', "
        f"quote='\"', escape='\"', all_varchar=true, columns={columns_sql(names)}, "
        f"null_padding=true, strict_mode={strict}, skip={skip})"
    )
    raw_cols = ", ".join(f"c{layout[r]} AS {r}" for r in ROLES if r in layout)
    nulls = "".join(f", CAST(NULL AS VARCHAR) AS {r}" for r in ROLES if r not in layout)
    # a clean file has one record per line after the header
    sql = (
        f"SELECT rowid + {skip + 1} AS _line, CAST(NULL AS VARCHAR) AS _sheet, "
        f"{', '.join(r for r in ROLES if r in layout)}{nulls} FROM _tx_raw"
    )
    prepare = f"CREATE TEMP TABLE _tx_raw AS SELECT {raw_cols} FROM {read}"
    direct = (
        "SELECT CAST(NULL AS BIGINT) AS _line, CAST(NULL AS VARCHAR) AS _sheet, "
        + ", ".join(
            f"c{layout[r]} AS {r}" if r in layout else f"CAST(NULL AS VARCHAR) AS {r}"
            for r in ROLES
        )
        # strict: a row with too many or too few fields sends the file to the careful path
        + " FROM "
        + read.replace(f"null_padding=true, strict_mode={strict}, ", "")
    )
    return Staged(sql, "utf-8", header_line, header_labels, layout, prepare, direct)


def stage_xlsx(path: Path, tmp: Path, *, sheet: str | None, progress: ProgressFn | None) -> Staged:
    """Stream every sheet (or ``sheet``) into a canonical CSV: _line, _sheet, roles."""
    check_workbook(path)
    with reading_workbook(path):
        return _stage_xlsx(path, tmp, sheet, progress)


def _stage_xlsx(path: Path, tmp: Path, sheet: str | None, progress: ProgressFn | None) -> Staged:
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    dst = tmp / (path.stem + ".xlsx.csv")
    problems: list[Problem] = []
    wrong = Problems(path.name)  # ambiguous headers, in any sheet
    used: list[str] = []
    labels: dict[str, str] = {}
    try:
        names = [sheet] if sheet else book.sheetnames
        for n in names:
            if n not in book.sheetnames:
                raise InputError(
                    [
                        Problem(
                            path.name,
                            None,
                            None,
                            n,
                            "no such sheet",
                            "use one of: " + ", ".join(book.sheetnames),
                        )
                    ]
                )
        with open(dst, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["_line", "_sheet", *ROLES])
            for si, n in enumerate(names):
                if _copy_sheet(book[n], n, w, labels, wrong):
                    used.append(n)
                else:
                    problems.append(
                        Problem(
                            path.name,
                            None,
                            None,
                            None,
                            "no header row in the first 30 rows",
                            "add a header (Date, Amount, Supplier, ...) or use --sheet",
                            sheet=n,
                        )
                    )
                if progress:
                    progress("sheets", si + 1, len(names))
    finally:
        book.close()
    wrong.raise_if_any()
    if problems and not used:
        raise InputError(problems)
    read = (
        f"read_csv({quote(str(dst))}, header=true, auto_detect=false, delim=',', quote='\"', "
        f"escape='\"', all_varchar=true, columns="
        f"{columns_sql(['_line', '_sheet', *ROLES])}, parallel=false)"
    )
    sql = f"SELECT CAST(_line AS BIGINT) AS _line, _sheet, {', '.join(ROLES)} FROM {read}"
    return Staged(sql, "xlsx", None, labels, {})


def _copy_sheet(
    sheet: Worksheet, name: str, w: CsvWriter, labels: dict[str, str], wrong: Problems
) -> bool:
    """Copy one sheet's rows below its header (within the first 30 rows) to ``w`` as
    _line, _sheet, roles; dates as ISO text. False if the sheet has no header. An
    ambiguous header goes to ``wrong``. (Cells right of the header are left alone: a
    sheet's cells cannot shift as a CSV row's do, and such columns hold working formulas
    in published workbooks, Lancashire PCC's for one.)"""
    from openpyxl.utils.datetime import from_excel

    layout: dict[str, int] | None = None
    for i, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if layout is None:
            if i > 30:
                break
            layout = match_header(list(row))
            if layout:
                labels.update({r: str(row[c]).strip() for r, c in layout.items()})
                wrong.extend(clash_problems(wrong.file, name, i, list(row), layout))
            continue
        if all(c is None or str(c).strip() == "" for c in row):
            continue
        out: list[object] = [i, name]
        for r in ROLES:
            c = layout.get(r)
            v = row[c] if c is not None and c < len(row) else None
            if isinstance(v, datetime):
                v = v.date().isoformat()
            elif isinstance(v, date):
                v = v.isoformat()
            elif r == "date" and isinstance(v, (int, float)) and 20000 < v < 80000:
                v = from_excel(v).date().isoformat()  # an Excel serial day
            elif isinstance(v, float):
                v = number_text(v)
            out.append("" if v is None else v)
        w.writerow(out)
    return layout is not None
