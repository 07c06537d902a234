"""Transaction-level spend: councils' "spend over £500" files, and what they tell us.

Files are read the way councils publish them: Windows-1252 or UTF-8, CR-only, CRLF or
LF line endings, title or all-comma rows above the header, blank lines between rows, a
header repeated at the bottom (or no header at all), trailing total rows, amounts with
``£``, thousands separators, brackets, a minus or ``CR`` for credits, and dates in the
formats councils use (``04/01/2017``, ``06/01/26``, ``01-Mar-22``, ``2019-03-25``).

Memory stays bounded: a file is never held in a Python list. A messy CSV is decoded
and normalised chunk by chunk into a temporary UTF-8 file (each record prefixed with
the line number a person sees in the original), an XLSX is streamed row by row, and
DuckDB's ``read_csv`` parses the result; validation, mapping and loading are SQL over
that table. A clean UTF-8 file (the national-scale case) goes to DuckDB directly.

Every file is validated completely before anything is written; then its rows, its
checksum, and the spend lines re-aggregated from all of the partner's transactions of
the years it touches land in one transaction. A file already imported (same checksum,
or the same rows under another name) is skipped with a message.

The supplier analysis at the end is Ibis expressions, so it runs on DuckDB or Spark.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from wholeplace.errors import InputError, Problem
from wholeplace.partners import partner_ids
from wholeplace.spend.taxonomy import ServiceMapping, services
from wholeplace.tabular import read_table
from wholeplace.workspace import Workspace, file_sha256

ROLES = (
    "partner",
    "date",
    "amount",
    "supplier",
    "department",
    "service_area",
    "expense_type",
    "description",
    "reference",
)
MAP_KEYS = ("department", "service_area", "expense_type")

# Header labels councils use, per role, most specific first (compared after
# lower-casing and turning every run of other characters into one space).
ALIASES: dict[str, list[str]] = {
    # a national collection holds many partners' payments in one file
    "partner": ["partner", "partner id"],
    "date": [
        "payment date",
        "invoice payment date",
        "paid date",
        "date paid",
        "date of payment",
        "transaction date",
        "invoice date",
        "date",
        "updated",
    ],
    "amount": [
        "net amount",
        "amount paid",
        "invoice line value net of vat",
        "total excludes vat",
        "net",
        "amount",
        "value",
        "amount gbp",
        "total",
    ],
    "supplier": [
        "supplier beneficiary name",
        "supplier name t",
        "supplier id t",
        "supplier name",
        "supplier final",
        "supplier",
        "name",
        "payee",
        "beneficiary",
        "vendor name",
        "vendor",
    ],
    "department": [
        "department area",
        "directorate",
        "department",
        "strgrpcc t",
        "service label t",
        "portfolio",
    ],
    "service_area": [
        "service area",
        "service cost centre",
        "expense area",
        "service code t",
        "service",
        "cost centre name",
        "cost centre",
    ],
    "expense_type": [
        "expenses type",
        "expense type",
        "account detail",
        "expenditure category",
        "expenditure code t",
        "g l description",
        "cipfsubj t",
        "account",
        "expense code",
    ],
    "description": ["description", "purpose of spend", "narrative", "group description"],
    "reference": [
        "hbc ref no",
        "transaction number",
        "transaction no",
        "transno",
        "internal ref",
        "internal ref number",
        "sap document number",
        "invoice number",
        "reference",
        "ref",
    ],
}

ProgressFn = Callable[[str, int, int], None]
_SAMPLE = 1 << 20
_CHUNK = 4 << 20


def header_key(cell: object) -> str:
    s = str(cell or "").lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def match_header(cells: Sequence[object]) -> dict[str, int] | None:
    """Role -> column index when ``cells`` look like a header row, else None."""
    keys = [header_key(c) for c in cells]
    found: dict[str, int] = {}
    for role, names in ALIASES.items():
        best: tuple[int, int] | None = None
        for i, k in enumerate(keys):
            if not k or i in found.values():
                continue
            if k in names:
                rank = names.index(k)
                if best is None or rank < best[0]:
                    best = (rank, i)
        if best is not None:
            found[role] = best[1]
    if "amount" in found and ("date" in found or "supplier" in found) and len(found) >= 3:
        return found
    return None


# -- mapping ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    keys: dict[str, str]  # map key -> normalised value
    service: str
    customer_group: str | None
    area: str | None
    row: int


@dataclass
class TransactionMapping:
    """Department / service area / expense type -> service (and customer group, area).

    A CSV with any of the columns ``department, service_area, expense_type`` (blank =
    any) and ``service`` (a taxonomy code or name), optionally ``customer_group`` and
    ``area``. A transaction takes the rule that matches the most of its fields (the
    first such rule in the file on a tie). Values matching a taxonomy name or a
    published Revenue Outturn line (e.g. "Adult Social Care") map without a rule.
    """

    rules: list[Rule]
    file: str | None = None

    @classmethod
    def empty(cls) -> TransactionMapping:
        return cls([])

    def resolve(self, values: dict[str, str | None]) -> tuple[str, str | None, str | None, bool]:
        norm = {k: header_key(v) for k, v in values.items() if v}
        best: Rule | None = None
        for r in self.rules:
            matches = all(norm.get(k) == v for k, v in r.keys.items())
            if matches and (best is None or len(r.keys) > len(best.keys)):
                best = r
        if best is not None:
            return best.service, best.customer_group, best.area, True
        builtin = ServiceMapping.empty()
        for k in ("service_area", "department", "expense_type"):
            v = values.get(k)
            if v:
                code = builtin.resolve("", v)
                if code:
                    return code, None, None, True
        return "OTH", None, None, False


def read_transaction_mapping(path: Path) -> TransactionMapping:
    table = read_table(
        path,
        required=["service"],
        aliases={
            "directorate": "department",
            "service_code": "service",
            "expense_area": "service_area",
            "account": "expense_type",
            "expenses_type": "expense_type",
        },
    )
    known = services()
    builtin = ServiceMapping.empty()
    rules: list[Rule] = []
    problems: list[Problem] = []
    for row in table.rows:
        v = row.values
        keys = {k: header_key(v.get(k)) for k in MAP_KEYS if (v.get(k) or "").strip()}
        raw = (v.get("service") or "").strip()
        code = raw if raw in known else builtin.resolve("", raw) if raw else None
        if not keys:
            problems.append(
                Problem(
                    table.label,
                    row.number,
                    "department",
                    "",
                    "a rule needs a department, service_area or expense_type to match",
                    "fill in at least one of them",
                )
            )
        if code is None:
            problems.append(
                Problem(
                    table.label,
                    row.number,
                    "service",
                    raw,
                    "not a taxonomy code or name",
                    "use a code from `wholeplace spend services` (e.g. ASC, HTS)",
                )
            )
        if keys and code:
            rules.append(
                Rule(
                    keys,
                    code,
                    (v.get("customer_group") or "").strip() or None,
                    (v.get("area") or "").strip() or None,
                    row.number,
                )
            )
    if problems:
        raise InputError(problems)
    return TransactionMapping(rules, table.label)


# -- reading files into a staging table ----------------------------------------------


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


def _records(text: str, limit: int) -> list[tuple[int, list[str]]]:
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
        out.append((start, next(csv.reader(io.StringIO(rec)))))
        if len(out) >= limit:
            break
    return out


def _tail_records(path: Path, enc: str) -> list[tuple[int, list[str]]]:
    """The last few records (a header repeated at the bottom), line numbers unknown (0)."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        f.seek(max(0, size - 65536))
        text = f.read().decode("cp1252" if enc == "cp1252" else "utf-8", errors="replace")
    recs = _records(text, 10_000)
    return [(0, r) for _, r in recs[-5:]]


def _normalise(src: Path, dst: Path, enc: str, progress: ProgressFn | None) -> tuple[str, int]:
    """Decode ``src`` to UTF-8 ``dst`` with LF endings, each record prefixed by its line
    number; blank and all-comma lines are dropped. Returns (encoding used, max fields)."""
    size = src.stat().st_size
    for attempt in (enc, "cp1252"):
        try:
            return attempt, _normalise_with(src, dst, attempt, size, progress)
        except UnicodeDecodeError:
            if attempt == "cp1252":
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _normalise_with(src: Path, dst: Path, enc: str, size: int, progress: ProgressFn | None) -> int:
    dec = codecs.getincrementaldecoder(enc)(errors="strict")
    line_no = 0
    in_quote = False
    pending = ""
    widest = 0
    done = 0
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
                elif line.replace(",", "").strip():
                    out.append(f"\n{line_no},{line}")
                    widest = max(widest, line.count(",") + 1)
                if line.count('"') % 2:
                    in_quote = not in_quote
            fout.write("".join(out))
            if progress:
                progress("decode", done, size)
            if final:
                break
    return widest


def _columns_sql(names: Sequence[str]) -> str:
    return "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def stage_csv(
    path: Path,
    tmp: Path,
    *,
    columns: Sequence[str] | None,
    progress: ProgressFn | None,
) -> Staged:
    text, enc, messy = _sample_text(path)
    label = path.name
    recs = _records(text, 60)
    layout: dict[str, int] | None = None
    header_line: int | None = None
    header_cells: list[str] = []
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
    else:
        for line, cells in recs:
            found = match_header(cells)
            if found:
                layout, header_line, header_cells = found, line, cells
                break
        if layout is None:
            for _, cells in _tail_records(path, enc):
                found = match_header(cells)
                if found:  # Hyndburn 2025-03: the header row sits at the bottom
                    layout, header_cells = found, cells
                    break
    if layout is None:
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
    width = max([len(c) for _, c in recs] + [max(layout.values()) + 1])
    header_labels = {r: header_cells[i].strip() for r, i in layout.items() if i < len(header_cells)}
    if messy or enc != "utf-8":
        dst = tmp / (path.stem + ".utf8.csv")
        enc, widest = _normalise(path, dst, enc, progress)
        width = max(width, widest)
        names = ["_line"] + [f"c{i}" for i in range(width)]
        read = (
            f"read_csv({_q(str(dst))}, header=false, auto_detect=false, delim=',', "
            f"quote='\"', escape='\"', all_varchar=true, columns={_columns_sql(names)}, "
            "null_padding=true, strict_mode=false, parallel=false)"
        )
        line_expr = "CAST(_line AS BIGINT)"
        where = f"WHERE CAST(_line AS BIGINT) > {header_line}" if header_line else ""
    else:
        names = [f"c{i}" for i in range(width)]
        skip = header_line or 0
        read = (
            f"read_csv({_q(str(path))}, header=false, auto_detect=false, delim=',', "
            f"quote='\"', escape='\"', all_varchar=true, columns={_columns_sql(names)}, "
            f"null_padding=true, strict_mode=false, skip={skip})"
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
            + read.replace("null_padding=true, strict_mode=false, ", "")
        )
        return Staged(sql, enc, header_line, header_labels, layout, prepare, direct)
    cols = ", ".join(
        f"c{layout[r]} AS {r}" if r in layout else f"CAST(NULL AS VARCHAR) AS {r}" for r in ROLES
    )
    sql = (
        f"SELECT {line_expr} AS _line, CAST(NULL AS VARCHAR) AS _sheet, {cols} FROM {read} {where}"
    )
    return Staged(sql, enc, header_line, header_labels, layout)


def stage_xlsx(path: Path, tmp: Path, *, sheet: str | None, progress: ProgressFn | None) -> Staged:
    """Stream every sheet (or ``sheet``) into a canonical CSV: _line, _sheet, roles."""
    import warnings

    import openpyxl
    from openpyxl.utils.datetime import from_excel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    dst = tmp / (path.stem + ".xlsx.csv")
    problems: list[Problem] = []
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
                layout: dict[str, int] | None = None
                for i, row in enumerate(book[n].iter_rows(values_only=True), start=1):
                    if layout is None:
                        if i > 30:
                            break
                        layout = match_header(list(row))
                        if layout:
                            labels.update({r: str(row[c]).strip() for r, c in layout.items()})
                        continue
                    if all(c is None or str(c).strip() == "" for c in row):
                        continue
                    out: list[object] = [i, n]
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
                            v = repr(v)
                        out.append("" if v is None else v)
                    w.writerow(out)
                if layout is None:
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
                else:
                    used.append(n)
                if progress:
                    progress("sheets", si + 1, len(names))
    finally:
        book.close()
    if problems and not used:
        raise InputError(problems)
    read = (
        f"read_csv({_q(str(dst))}, header=true, auto_detect=false, delim=',', quote='\"', "
        f"escape='\"', all_varchar=true, columns="
        f"{_columns_sql(['_line', '_sheet', *ROLES])}, parallel=false)"
    )
    sql = f"SELECT CAST(_line AS BIGINT) AS _line, _sheet, {', '.join(ROLES)} FROM {read}"
    return Staged(sql, "xlsx", None, labels, {})


# -- parsing in SQL ------------------------------------------------------------------

_DATE_SQL = r"""
CASE
  WHEN regexp_full_match(d, '\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}')
    THEN try_strptime(regexp_replace(d, '[.\-]', '/', 'g'), '%d/%m/%Y')
  WHEN regexp_full_match(d, '\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}')
    THEN try_strptime(regexp_replace(d, '[.\-]', '/', 'g'), '%d/%m/%y')
  WHEN regexp_full_match(d, '\d{4}-\d{2}-\d{2}([ T].*)?')
    THEN try_cast(substr(d, 1, 10) AS TIMESTAMP)
  WHEN regexp_full_match(d, '\d{4}/\d{2}/\d{2}')
    THEN try_strptime(d, '%Y/%m/%d')
  WHEN regexp_full_match(d, '\d{1,2}[\- ][A-Za-z]{3,9}[\- ]\d{4}')
    THEN try_strptime(regexp_replace(d, ' ', '-', 'g'), ['%d-%b-%Y', '%d-%B-%Y'])
  WHEN regexp_full_match(d, '\d{1,2}[\- ][A-Za-z]{3,9}[\- ]\d{2}')
    THEN try_strptime(regexp_replace(d, ' ', '-', 'g'), ['%d-%b-%y', '%d-%B-%y'])
  WHEN regexp_full_match(d, '\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(:\d{2})?')
    THEN try_strptime(split_part(d, ' ', 1), '%d/%m/%Y')
END
"""


def _text(col: str) -> str:
    """A text cell with its spaces trimmed, blank as NULL. (trim() only when a space is
    at either end: it copies every string, which cost a second per 10M rows per column.)"""
    return (
        f"nullif(CASE WHEN prefix({col}, ' ') OR suffix({col}, ' ') THEN trim({col}) "
        f"ELSE {col} END, '')"
    )


def _stage_table_sql(
    source_sql: str, amount_label: str, date_label: str, partner: str | None = None
) -> str:
    """The staging table: raw texts, parsed date and amount, and why a row is skipped."""
    return "CREATE TEMP TABLE _tx_stage AS " + _parse_sql(
        source_sql, amount_label, date_label, partner
    )


def _parse_sql(
    source_sql: str,
    amount_label: str,
    date_label: str,
    partner: str | None = None,
) -> str:
    """Raw texts, parsed date and amount, and why a row is skipped, as one SELECT.

    The common forms (``1234.56``, ``-12.00``, ``31/03/2025``, ``2025-03-31``) are parsed
    by a cast; only the rest goes through the regular expressions.
    """
    partner_sql = _q(partner) if partner else _text("partner")
    partner_ok = "true" if partner else "coalesce(partner IN (SELECT id FROM partners), false)"
    return f"""
WITH src AS ({source_sql}),
t AS (
  SELECT _line, _sheet,
    {partner_sql} AS partner,
    {_text("date")} AS d,
    {_text("amount")} AS a_raw,
    {_text("supplier")} AS supplier,
    {_text("department")} AS department,
    {_text("service_area")} AS service_area,
    {_text("expense_type")} AS expense_type,
    {_text("description")} AS description,
    {_text("reference")} AS reference
  FROM src
),
f AS (
  SELECT *, try_cast(a_raw AS DECIMAL(18, 2)) AS fast_amount,
    CASE
      WHEN length(d) = 10 AND substr(d, 3, 1) = '/' AND substr(d, 6, 1) = '/'
        THEN CAST(try_strptime(d, '%d/%m/%Y') AS DATE)
      WHEN length(d) = 10 AND substr(d, 5, 1) = '-' AND substr(d, 8, 1) = '-'
        THEN try_cast(d AS DATE)
    END AS fast_date
  FROM t
),
a1 AS (
  SELECT *, CASE WHEN fast_amount IS NULL
    THEN regexp_replace(coalesce(a_raw, ''), '[£$€,\\s"\\x{{00a0}}]', '', 'g') END AS a1
  FROM f
),
a2 AS (
  SELECT *, upper(a1) LIKE '%CR' AS cr,
    CASE WHEN upper(a1) LIKE '%CR' THEN substr(a1, 1, length(a1) - 2) ELSE a1 END AS a2
  FROM a1
),
a3 AS (
  SELECT *, a2 LIKE '(%)' AS br,
    CASE WHEN a2 LIKE '(%)' THEN substr(a2, 2, length(a2) - 2) ELSE a2 END AS a3
  FROM a2
),
a4 AS (
  SELECT *, a3 LIKE '-%' OR a3 LIKE '−%' OR a3 LIKE '%-' AS mn,
    CASE WHEN a3 LIKE '-%' OR a3 LIKE '−%' THEN substr(a3, 2)
      WHEN a3 LIKE '%-' THEN substr(a3, 1, length(a3) - 1) ELSE a3 END AS a4
  FROM a3
)
SELECT _line, _sheet, partner, {partner_ok} AS partner_ok, d AS raw_date, a_raw AS raw_amount,
  supplier, department, service_area, expense_type, description, reference,
  CASE
    WHEN fast_amount IS NOT NULL THEN fast_amount
    WHEN regexp_full_match(a4, '\\d+(\\.\\d*)?|\\.\\d+')
    THEN CAST(a4 AS DECIMAL(18, 2))
      * CASE WHEN ((CAST(cr AS INT) + CAST(br AS INT) + CAST(mn AS INT)) % 2) = 1
          THEN -1 ELSE 1 END
  END AS amount_gbp,
  CASE WHEN fast_date IS NOT NULL THEN fast_date
    WHEN d IS NOT NULL THEN CAST(({_DATE_SQL}) AS DATE) END AS paid_on,
  CASE
    WHEN fast_date IS NOT NULL AND fast_amount IS NOT NULL THEN NULL
    WHEN d IS NULL AND a_raw IS NULL AND supplier IS NULL AND department IS NULL
      AND service_area IS NULL AND expense_type IS NULL AND description IS NULL
      THEN 'blank'
    WHEN lower(coalesce(a_raw, '')) = lower({_q(amount_label)})
      AND lower(coalesce(d, '')) = lower({_q(date_label)}) THEN 'repeated header'
    WHEN d IS NULL AND a_raw IS NOT NULL
      AND (supplier IS NULL OR lower(concat_ws(' ', supplier, description, department,
           service_area, expense_type, reference)) LIKE '%total%') THEN 'total row'
    WHEN d IS NULL AND a_raw IS NULL THEN 'no date or amount'
  END AS skip_reason
FROM a4
"""


# -- importing -----------------------------------------------------------------------


@dataclass
class Unmapped:
    department: str | None
    service_area: str | None
    expense_type: str | None
    rows: int
    amount_gbp: Decimal


@dataclass
class FileResult:
    file: str
    status: str  # "imported" or "duplicate"
    message: str = ""
    rows: int = 0
    total_gbp: Decimal = Decimal("0.00")
    credits_gbp: Decimal = Decimal("0.00")
    years: list[str] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)
    to_partners_gbp: Decimal = Decimal("0.00")
    encoding: str | None = None
    layout: dict[str, str] = field(default_factory=dict)


AMOUNT_FIX = (
    "write pounds, e.g. 1,234.56; a credit as -1,234.56, 1,234.56-, (1,234.56) or 1,234.56 CR"
)
MANY_PARTNERS = "*"  # transaction_files.partner of a file holding several partners


def _problems_of(label: str, bad: list[dict[str, Any]], total: int) -> list[Problem]:
    """Problems of the first 200 bad rows (in file order), and a count of the rest."""
    out: list[Problem] = []
    bad = sorted(bad, key=lambda r: (r["sheet"] or "", r["line"]))[:200]
    for r in bad:
        line, sheet = r["line"], r["sheet"]
        if r["bad_partner"]:
            out.append(
                Problem(
                    label,
                    line,
                    "partner",
                    r["partner"] or "",
                    "not a partner of this place" if r["partner"] else "missing partner",
                    "add the partner first (wholeplace partners add), or correct the id",
                    sheet=sheet,
                )
            )
        if r["bad_date"]:
            out.append(
                Problem(
                    label,
                    line,
                    "date",
                    r["raw_date"] or "",
                    "not a date" if r["raw_date"] else "missing date",
                    "write it as 31/03/2025, 31-Mar-25 or 2025-03-31",
                    sheet=sheet,
                )
            )
        if r["bad_amount"]:
            out.append(
                Problem(
                    label,
                    line,
                    "amount",
                    r["raw_amount"] or "",
                    "not an amount of money" if r["raw_amount"] else "missing amount",
                    AMOUNT_FIX,
                    sheet=sheet,
                )
            )
    if total > 200:
        out.append(Problem(label, None, None, None, f"... {total - 200} more rows like these", ""))
    return out


# One pass over the staged file: its bad rows (the first 201, in file order: the staging
# table is not stored in file order) and its skipped rows.
_BAD_ROWS_SQL = """
WITH s AS (
  SELECT *, skip_reason IS NULL AS live,
    skip_reason IS NULL AND (paid_on IS NULL OR amount_gbp IS NULL OR NOT partner_ok) AS bad
  FROM _tx_stage
)
SELECT count(*) FILTER (WHERE bad) AS n_bad,
  list_slice(list({'line': _line, 'sheet': _sheet, 'raw_date': raw_date,
    'raw_amount': raw_amount, 'bad_date': paid_on IS NULL, 'bad_amount': amount_gbp IS NULL,
    'bad_partner': NOT partner_ok, 'partner': partner} ORDER BY _sheet, _line)
    FILTER (WHERE bad), 1, 201) AS bad_rows,
  list({'reason': skip_reason, 'line': _line}) FILTER (WHERE NOT live) AS skipped
FROM s
"""


def import_transactions(
    ws: Workspace,
    paths: Sequence[Path | str],
    *,
    partner: str | None,
    mapping: Path | str | TransactionMapping | None = None,
    columns: Sequence[str] | None = None,
    sheet: str | None = None,
    strict: bool = False,
    progress: ProgressFn | None = None,
) -> list[FileResult]:
    """Import each file in turn (each lands whole or not at all).

    ``partner=None`` reads the partner of each row from a ``partner`` column (a national
    collection of many partners' payments in one file).
    """
    if isinstance(mapping, (str, Path)):
        mapping = read_transaction_mapping(Path(mapping))
    mapping = mapping or TransactionMapping.empty()
    if partner is not None and partner not in partner_ids(ws):
        raise InputError(
            [
                Problem(
                    "(command line)",
                    None,
                    "partner",
                    partner,
                    "not a partner of this place",
                    f"add it first: wholeplace partners add --id {partner} --name ... --type ...",
                )
            ]
        )
    return [
        import_transaction_file(
            ws,
            Path(p),
            partner=partner,
            mapping=mapping,
            columns=columns,
            sheet=sheet,
            strict=strict,
            progress=progress,
        )
        for p in paths
    ]


def import_transaction_file(
    ws: Workspace,
    path: Path,
    *,
    partner: str | None,
    mapping: TransactionMapping,
    columns: Sequence[str] | None = None,
    sheet: str | None = None,
    strict: bool = False,
    progress: ProgressFn | None = None,
) -> FileResult:
    label = path.name
    if not path.is_file():
        raise InputError([Problem(label, None, None, str(path), "no such file", "check the path")])
    res = FileResult(label, "imported")
    owner = partner or MANY_PARTNERS
    # A big file's checksum is worked out while DuckDB reads it (hashlib and DuckDB both
    # let go of the GIL); a small file's before anything else, as a duplicate is skipped.
    with ThreadPoolExecutor(max_workers=1) as pool:
        checksum = pool.submit(file_sha256, path)
        if path.stat().st_size < FAST_PATH_BYTES and _imported_before(ws, owner, checksum, res):
            return res
        return _import_file(
            ws, path, checksum, partner, mapping, columns, sheet, strict, res, progress
        )


def _imported_before(ws: Workspace, owner: str, checksum: Future[str], res: FileResult) -> bool:
    same = ws.con.execute(
        "SELECT file, imported_at FROM transaction_files WHERE partner = ? AND sha256 = ?",
        [owner, checksum.result()],
    ).fetchall()
    if same:
        res.status = "duplicate"
        res.message = (
            f"skipped: the same file (checksum) was imported for {owner} as {same[0][0]} "
            f"on {same[0][1]:%Y-%m-%d %H:%M}"
        )
    return bool(same)


def _import_file(
    ws: Workspace,
    path: Path,
    checksum: Future[str],
    partner: str | None,
    mapping: TransactionMapping,
    columns: Sequence[str] | None,
    sheet: str | None,
    strict: bool,
    res: FileResult,
    progress: ProgressFn | None,
) -> FileResult:
    label = path.name
    owner = partner or MANY_PARTNERS
    con = ws.con
    with tempfile.TemporaryDirectory(dir=ws.path, prefix=".import-") as td:
        tmp = Path(td)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            st = stage_xlsx(path, tmp, sheet=sheet, progress=progress)
        else:
            st = stage_csv(path, tmp, columns=columns, progress=progress)
        res.encoding = st.encoding
        res.layout = {r: st.header_labels.get(r, f"column {i + 1}") for r, i in st.layout.items()}
        if partner is None and "partner" not in st.layout and st.encoding != "xlsx":
            raise InputError(
                [
                    Problem(
                        label,
                        st.header_line,
                        "partner",
                        None,
                        "no partner column, and no --partner given",
                        "pass --partner ID (the partner that made these payments)",
                    )
                ]
            )
        try:
            if st.direct_sql and path.stat().st_size >= FAST_PATH_BYTES:
                try:
                    return _import_in_one_pass(
                        ws, path, checksum, st, partner, mapping, strict, res, progress
                    )
                except _ReadCarefully:
                    # a row the one pass cannot take (a bad date or amount, a total row,
                    # an unknown partner): nothing was kept; read it line by line to say
                    # exactly which rows and why
                    res = FileResult(label, "imported", encoding=res.encoding, layout=res.layout)
            if path.stat().st_size >= FAST_PATH_BYTES and _imported_before(
                ws, owner, checksum, res
            ):
                return res
            _stage(con, st, partner, label, progress)
            return _validate_and_write(
                ws, path, checksum.result(), partner, mapping, strict, res, progress
            )
        finally:
            for t in ("_tx_stage", "_tx_raw", "_tx_survey", "_tx_cp", "_tx_agg"):
                con.execute(f"DROP TABLE IF EXISTS {t}")


# Clean UTF-8 files at least this big are read in one parallel pass straight into the
# stored payments (no staging copy, no line numbers kept on the payments); smaller files
# and messy ones are staged line by line. Either way a file lands whole or not at all.
FAST_PATH_BYTES = 64 << 20


class _ReadCarefully(Exception):
    """The one-pass import met a row it cannot take; re-read the file line by line."""


class _Duplicate(Exception):
    """The rows were imported before: leave the write, keeping nothing."""


@dataclass
class _Survey:
    """What validation needs of a file's good rows: per mapping combination the count
    and £, the distinct partners, and the sum of the rows' content hashes."""

    combos: list[tuple[str | None, str | None, str | None, int, Decimal]]
    partners: list[str]
    hash_sum: int

    @property
    def rows(self) -> int:
        return sum(c[3] for c in self.combos)

    @property
    def total(self) -> Decimal:
        return sum((c[4] for c in self.combos), Decimal("0.00"))

    @property
    def fingerprint(self) -> str:
        # Same rows, same fingerprint, whatever the file is called or however laid out.
        return f"{self.rows}:{self.total}:{self.hash_sum}"


_ROW_HASH = (
    "hash(paid_on, amount_gbp, supplier, reference, department, service_area, expense_type, "
    "description, partner)::HUGEINT"
)

# A file's stored rows summed by partner, financial year, mapping values and the
# partner of the place paid (if any): for validation, the mapping and the spend lines.
_STORED_SURVEY_SQL = """
CREATE OR REPLACE TEMP TABLE _tx_survey AS
SELECT r.partner, {fy} AS fy, r.department, r.service_area, r.expense_type,
  CASE WHEN c.id <> r.partner THEN c.id END AS counterparty, count(*) AS n,
  sum(r.amount_gbp) AS amount,
  coalesce(sum(r.amount_gbp) FILTER (WHERE r.amount_gbp < 0), 0) AS credits
FROM transaction_rows r LEFT JOIN _tx_cp c ON c.supplier = r.supplier
WHERE r.file_id = $file_id
GROUP BY ALL
"""


def _import_in_one_pass(
    ws: Workspace,
    path: Path,
    checksum: Future[str],
    st: Staged,
    partner: str | None,
    mapping: TransactionMapping,
    strict: bool,
    res: FileResult,
    progress: ProgressFn | None,
) -> FileResult:
    """Parse and store every payment in one parallel pass, then validate what was
    stored; any row the pass cannot take rolls the whole write back."""
    import duckdb

    con = ws.con
    assert st.direct_sql is not None
    select = _one_pass_sql(st.direct_sql, partner)
    file_id = con.execute("SELECT nextval('transaction_file_seq')").fetchall()[0][0]
    if progress:
        progress("read", 0, 100)
    try:
        with ws.write("spend import-transactions", file=path, sha256="") as info:
            try:
                # NOT NULL on partner, paid_on and amount_gbp stops the pass at the
                # first row without them (blank, total and header rows included)
                _without_order(
                    con,
                    f"INSERT INTO transaction_rows SELECT {int(file_id)}, * FROM ({select})",
                    progress=progress,
                    stage="read",
                )
            except duckdb.Error as exc:
                raise _ReadCarefully from exc
            if progress:
                progress("check", 0, 1)
            if _imported_before(ws, partner or MANY_PARTNERS, checksum, res):
                raise _Duplicate
            sha = checksum.result()
            info["sha256"] = sha
            survey = _survey_stored(ws, file_id)
            if set(survey.partners) - set(partner_ids(ws)):
                raise _ReadCarefully
            _finish(ws, path, sha, file_id, survey, partner, mapping, strict, res, info, progress)
    except _Duplicate:
        pass
    return res


def _one_pass_sql(direct_sql: str, partner: str | None) -> str:
    """The staging table's columns for the common forms only (``1,234.56``, ``-12.00``,
    ``31/03/2025``, ``2025-03-31``), parsed exactly as :func:`_parse_sql` parses them;
    anything else is NULL and sends the file to the careful path.

    Written apart from ``_parse_sql`` because materialising that one's many
    intermediate columns made the pass several times slower.
    """
    text = {r: _text(r) for r in ROLES}
    partner_sql = _q(partner) if partner else text["partner"]
    d = text["date"]
    return f"""
SELECT {partner_sql} AS partner,
  CASE
    WHEN length({d}) = 10 AND substr({d}, 3, 1) = '/' AND substr({d}, 6, 1) = '/'
      THEN CAST(try_strptime({d}, '%d/%m/%Y') AS DATE)
    WHEN length({d}) = 10 AND substr({d}, 5, 1) = '-' AND substr({d}, 8, 1) = '-'
      THEN try_cast({d} AS DATE)
  END AS paid_on,
  try_cast(replace({text["amount"]}, ',', '') AS DECIMAL(18, 2)) AS amount_gbp,
  {", ".join(f"{text[r]} AS {r}" for r in ROLES[3:])},
  CAST(NULL AS VARCHAR) AS sheet, CAST(NULL AS BIGINT) AS source_row
FROM ({direct_sql})
"""


def _survey_stored(ws: Workspace, file_id: int) -> _Survey:
    """Record the file's new suppliers, then sum its stored rows by partner, year,
    mapping values and the partner paid (if any) into ``_tx_survey``: everything
    validation, the mapping and the spend lines need, in three scans of the rows."""
    con = ws.con
    # Supplier keys are computed once per distinct supplier name, not once per payment.
    _without_order(
        con,
        f"""
        INSERT INTO transaction_suppliers
        SELECT supplier, {SUPPLIER_KEY_SQL.format(col="supplier")}
        FROM (
          SELECT DISTINCT supplier FROM transaction_rows
          WHERE file_id = $file_id AND supplier IS NOT NULL
        )
        WHERE supplier NOT IN (SELECT supplier FROM transaction_suppliers)
        """,
        {"file_id": file_id},
    )
    # The suppliers that are partners of the place: few, so joining with them is cheap.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _tx_cp AS
        SELECT s.supplier, pk.id
        FROM transaction_suppliers s JOIN partner_keys pk ON pk.k = s.supplier_key
        """
    )
    _without_order(con, _STORED_SURVEY_SQL.format(fy=_FY), {"file_id": file_id})
    combos = con.execute(
        "SELECT department, service_area, expense_type, sum(n), sum(amount) "
        "FROM _tx_survey GROUP BY ALL"
    ).fetchall()
    (h,) = con.execute(
        f"SELECT coalesce(sum({_ROW_HASH}), 0) FROM transaction_rows WHERE file_id = ?",
        [file_id],
    ).fetchall()[0]
    partners = con.execute("SELECT DISTINCT partner FROM _tx_survey").fetchall()
    return _Survey(
        [(d, sa, et, int(n), Decimal(a)) for d, sa, et, n, a in combos],
        sorted(p for (p,) in partners),
        int(h),
    )


def _stage(
    con: Any, st: Staged, partner: str | None, label: str, progress: ProgressFn | None
) -> None:
    con.execute("DROP TABLE IF EXISTS _tx_stage")
    if progress:
        progress("parse", 0, 1)
    try:
        if st.prepare_sql:
            con.execute("DROP TABLE IF EXISTS _tx_raw")
            keep = _setting(con, "preserve_insertion_order")
            con.execute("SET preserve_insertion_order = true")  # rowid = file order
            try:
                con.execute(st.prepare_sql)
            finally:
                con.execute(f"SET preserve_insertion_order = {keep}")
        _without_order(
            con,
            _stage_table_sql(
                st.source_sql,
                st.header_labels.get("amount", "\x00"),
                st.header_labels.get("date", "\x00"),
                partner,
            ),
            progress=progress,
            stage="parse",
        )
    except Exception as exc:  # duckdb's CSV errors name the line; pass them on
        raise InputError(
            [
                Problem(
                    label,
                    None,
                    None,
                    None,
                    f"cannot be read as CSV: {str(exc).splitlines()[0]}",
                    "save it as comma-separated text (CSV) or XLSX",
                )
            ]
        ) from exc
    if progress:
        progress("parse", 1, 1)


def _validate_and_write(
    ws: Workspace,
    path: Path,
    sha: str,
    partner: str | None,
    mapping: TransactionMapping,
    strict: bool,
    res: FileResult,
    progress: ProgressFn | None,
) -> FileResult:
    """The staged file: every bad row reported before anything is written."""
    con = ws.con
    n_bad, bad_rows, skipped = con.execute(_BAD_ROWS_SQL).fetchall()[0]
    for line, reason in sorted((x["line"], x["reason"]) for x in skipped or []):
        res.skipped.setdefault(reason, []).append(line)
    problems = _problems_of(path.name, bad_rows or [], n_bad)
    if problems:
        raise InputError(problems)
    file_id = con.execute("SELECT nextval('transaction_file_seq')").fetchall()[0][0]
    try:
        with ws.write("spend import-transactions", file=path, sha256=sha) as info:
            _without_order(
                con,
                "INSERT INTO transaction_rows SELECT $file_id, partner, paid_on, amount_gbp, "
                "supplier, department, service_area, expense_type, description, reference, "
                "_sheet, _line FROM _tx_stage WHERE skip_reason IS NULL",
                {"file_id": file_id},
            )
            good = _survey_stored(ws, file_id)
            _finish(ws, path, sha, file_id, good, partner, mapping, strict, res, info, progress)
    except _Duplicate:
        pass
    return res


def _finish(
    ws: Workspace,
    path: Path,
    sha: str,
    file_id: int,
    survey: _Survey,
    partner: str | None,
    mapping: TransactionMapping,
    strict: bool,
    res: FileResult,
    info: dict[str, Any],
    progress: ProgressFn | None,
) -> None:
    """Map, check, and record a file whose rows are in transaction_rows (inside ws.write)."""
    con = ws.con
    label = path.name
    owner = partner or MANY_PARTNERS
    problems: list[Problem] = []
    if survey.rows == 0:
        problems.append(
            Problem(label, None, None, None, "no transactions in the file", "check the file")
        )
    m: dict[str, list[Any]] = {
        k: []
        for k in (
            "department",
            "service_area",
            "expense_type",
            "service",
            "customer_group",
            "area",
            "mapped",
        )
    }
    for dept, sa, et, cnt, amt in survey.combos:
        code, cg, area, ok = mapping.resolve(
            {"department": dept, "service_area": sa, "expense_type": et}
        )
        for k, v in zip(m, (dept, sa, et, code, cg, area, ok), strict=True):
            m[k].append(v)
        if not ok:
            res.unmapped.append(Unmapped(dept, sa, et, cnt, amt))
    # a total order, so that the report is the same however the rows were grouped
    res.unmapped.sort(
        key=lambda u: (
            -abs(u.amount_gbp),
            -u.rows,
            *((x is not None, x or "") for x in (u.department, u.service_area, u.expense_type)),
        )
    )
    if strict and res.unmapped:
        for u in res.unmapped:
            shown = " / ".join(x or "" for x in (u.department, u.service_area, u.expense_type))
            problems.append(
                Problem(
                    label,
                    None,
                    "service_area",
                    shown,
                    f"not mapped to a service ({u.rows} rows, £{u.amount_gbp:,.2f})",
                    "add a line to the mapping: department,service_area,expense_type,service",
                )
            )
    if problems:
        raise InputError(problems)

    fingerprint = survey.fingerprint
    same = con.execute(
        "SELECT file, imported_at FROM transaction_files WHERE partner = ? AND fingerprint = ?",
        [owner, fingerprint],
    ).fetchall()
    if same:
        res.status = "duplicate"
        res.message = (
            f"skipped: the same {survey.rows:,} rows were imported for {owner} from "
            f"{same[0][0]} on {same[0][1]:%Y-%m-%d %H:%M}"
        )
        raise _Duplicate

    if progress:
        progress("write", 0, 1)
    con.register("_tx_map_arrow", pa.table(m))
    try:
        con.execute(
            "INSERT INTO transaction_mapping SELECT $file_id, department, service_area, "
            "expense_type, service, mapped, customer_group, area FROM _tx_map_arrow",
            {"file_id": file_id},
        )
    finally:
        con.unregister("_tx_map_arrow")
    res.rows = survey.rows
    res.total_gbp = survey.total.quantize(Decimal("0.01"))
    con.execute(
        "INSERT INTO transaction_files (file_id, partner, file, sha256, fingerprint, rows, "
        "total_gbp, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [file_id, owner, str(path), sha, fingerprint, res.rows, res.total_gbp, datetime.now(UTC)],
    )
    _store_totals(ws, file_id)
    years, to_partners, credits = rebuild_spend_lines(ws, file_id)
    res.years = years
    res.to_partners_gbp = to_partners
    res.credits_gbp = credits
    info["rows"] = res.rows
    info["detail"] = {
        "partner": owner,
        "rows": res.rows,
        "total_gbp": str(res.total_gbp),
        "years": res.years,
        "unmapped_rows": sum(u.rows for u in res.unmapped),
        "skipped": {k: len(v) for k, v in res.skipped.items()},
    }
    if progress:
        progress("write", 1, 1)


def _setting(con: Any, name: str) -> str:
    value = con.execute("SELECT current_setting(?)", [name]).fetchall()[0][0]
    return str(value).lower()


def _without_order(
    con: Any,
    sql: str,
    params: dict[str, Any] | None = None,
    *,
    progress: ProgressFn | None = None,
    stage: str = "",
) -> None:
    """Run ``sql`` letting DuckDB reorder rows, so that it runs on every core.

    Safe for the staging table and the stored payments: every row carries its line
    (``_line`` / ``source_row``) where it is known, so the order rows are stored in
    means nothing. With ``progress``, DuckDB's own estimate of how far the statement has
    got is passed on twice a second (a 100M-row file is one statement of two minutes).
    """
    keep = _setting(con, "preserve_insertion_order")
    con.execute("SET preserve_insertion_order = false")
    try:
        if progress is None:
            con.execute(sql, params or {})
        else:
            _with_query_progress(con, lambda: con.execute(sql, params or {}), progress, stage)
    finally:
        con.execute(f"SET preserve_insertion_order = {keep}")


def _with_query_progress(
    con: Any, run: Callable[[], Any], progress: ProgressFn, stage: str, every: float = 0.5
) -> None:
    import threading

    keep = [_setting(con, n) for n in ("enable_progress_bar", "enable_progress_bar_print")]
    con.execute("SET enable_progress_bar = true")  # DuckDB tracks progress only then
    con.execute("SET enable_progress_bar_print = false")
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(every):
            done = con.query_progress()
            if done >= 0:
                progress(stage, int(done), 100)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        run()
    finally:
        stop.set()
        watcher.join()
        con.execute(f"SET enable_progress_bar = {keep[0]}")
        con.execute(f"SET enable_progress_bar_print = {keep[1]}")
    progress(stage, 100, 100)


# Supplier names normalised for matching (macro in migration 0031, shared with the view).
SUPPLIER_KEY_SQL = "supplier_key({col})"

TRANSACTIONS_SOURCE = "spend over £500 transactions"

# The financial year of paid_on, as the year it starts in, and its label (macros in 0031).
_FY = "fy_start(paid_on)"
_FY_LABEL = "fy_label({fy})"


def _store_totals(ws: Workspace, file_id: int) -> None:
    """The file's totals by partner, year, mapping values and counterparty (``_tx_survey``)."""
    ws.con.execute(
        f"""
        INSERT INTO transaction_totals
        SELECT $file_id, partner, {_FY_LABEL.format(fy="fy")}, department, service_area,
          expense_type, counterparty, amount, n, credits
        FROM _tx_survey
        """,
        {"file_id": file_id},
    )


def rebuild_spend_lines(ws: Workspace, file_id: int) -> tuple[list[str], Decimal, Decimal]:
    """Replace the spend lines of every (partner, year) that file ``file_id`` touches by
    the sum of all that partner's transactions of that year (from the files' totals).

    Call inside ``ws.write``. Unmapped transactions land on OTH with source_service
    '(unmapped transactions)', so the money is never lost from the map. Returns the
    file's years, its £ paid to other partners of the place and its credits.
    """
    con = ws.con
    now = datetime.now(UTC)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _tx_agg AS
        WITH p AS (SELECT DISTINCT partner, year FROM transaction_totals WHERE file_id = $f)
        SELECT t.file_id = $f AS this_file, t.partner, t.year, m.service, m.mapped, m.area,
          m.customer_group, t.counterparty, sum(t.amount_gbp) AS amount_gbp,
          sum(t.payments) AS n, sum(t.credits_gbp) AS credits
        FROM transaction_totals t
        JOIN p ON p.partner = t.partner AND p.year = t.year
        JOIN transaction_mapping m
          ON m.file_id = t.file_id
         AND m.department IS NOT DISTINCT FROM t.department
         AND m.service_area IS NOT DISTINCT FROM t.service_area
         AND m.expense_type IS NOT DISTINCT FROM t.expense_type
        GROUP BY ALL
        """,
        {"f": file_id},
    )
    con.execute(
        "DELETE FROM spend_lines USING (SELECT DISTINCT partner, year FROM _tx_agg) p "
        "WHERE spend_lines.partner = p.partner AND spend_lines.year = p.year"
    )
    con.execute(
        "INSERT INTO spend_imports (partner, year, file, sha256, rows, total_gbp, imported_at) "
        "SELECT partner, year, ?, '', sum(n), sum(amount_gbp), ? FROM _tx_agg GROUP BY ALL",
        [TRANSACTIONS_SOURCE, now],
    )
    con.execute(
        """
        INSERT INTO spend_lines (import_id, partner, year, service, source_service, subservice,
          area, customer_group, amount_gbp, counterparty, is_estimate, estimate_method, source,
          source_row)
        SELECT i.import_id, a.partner, a.year, a.service,
          CASE WHEN a.mapped THEN 'transactions' ELSE '(unmapped transactions)' END,
          NULL, a.area, a.customer_group, sum(a.amount_gbp), a.counterparty, false, NULL,
          ? || ': ' || sum(a.n) || ' payments', NULL
        FROM _tx_agg a JOIN spend_imports i
          ON i.partner = a.partner AND i.year = a.year AND i.imported_at = ? AND i.file = ?
        GROUP BY i.import_id, a.partner, a.year, a.service, a.mapped, a.area,
          a.customer_group, a.counterparty
        HAVING sum(a.amount_gbp) <> 0
        """,
        [TRANSACTIONS_SOURCE, now, TRANSACTIONS_SOURCE],
    )
    years, to_partners, credits = con.execute(
        "SELECT list(DISTINCT year ORDER BY year), "
        "coalesce(sum(amount_gbp) FILTER (WHERE counterparty IS NOT NULL), 0), "
        "coalesce(sum(credits), 0) FROM _tx_agg WHERE this_file"
    ).fetchall()[0]
    con.execute("DROP TABLE _tx_agg")
    return list(years or []), Decimal(to_partners), Decimal(credits)


# -- supplier analysis (Ibis: runs on DuckDB or Spark) --------------------------------


def in_year(tx: Any, year: str | None) -> Any:
    """The payments of financial year ``year`` (e.g. "2024/25"), or all of them.

    Filters on the date, not on the view's ``year`` label: a date range is checked
    against the stored column (and its zone maps) instead of building a label per row.
    """
    if year is None:
        return tx
    from wholeplace.years import parse_year

    start = int(parse_year(year).split("/")[0])
    return tx.filter((tx.paid_on >= date(start, 4, 1)) & (tx.paid_on <= date(start + 1, 3, 31)))


def top_suppliers(tx: Any, year: str | None = None, n: int = 20) -> Any:
    """The suppliers paid most: key, name, partners paying them, payments, £."""
    t = in_year(tx, year)
    t = t.filter(t.supplier_key.notnull())
    return (
        t.group_by(supplier_key=t.supplier_key)
        .aggregate(
            supplier=t.supplier.max(),
            partners=t.partner.nunique(),
            payments=t.count(),
            amount_gbp=t.amount_gbp.sum(),
        )
        .order_by([ibis_desc("amount_gbp"), "supplier_key"])
        .limit(n)
    )


def shared_suppliers(tx: Any, year: str | None = None, min_partners: int = 2) -> Any:
    """Suppliers paid by several partners: a shared-procurement opportunity."""
    t = in_year(tx, year)
    t = t.filter(t.supplier_key.notnull())
    g = t.group_by(supplier_key=t.supplier_key).aggregate(
        supplier=t.supplier.max(),
        partners=t.partner.nunique(),
        payments=t.count(),
        amount_gbp=t.amount_gbp.sum(),
    )
    return g.filter(g.partners >= min_partners).order_by(
        [ibis_desc("partners"), ibis_desc("amount_gbp"), "supplier_key"]
    )


def payments_between_partners(tx: Any, partners: Any, year: str | None = None) -> Any:
    """Payments from one partner of the place to another (these feed the eliminations)."""
    t = in_year(tx, year)
    t = t.filter(t.counterparty.notnull())
    payer = partners.select(payer=partners.id, payer_name=partners.name)
    payee = partners.select(payee=partners.id, payee_name=partners.name)
    j = t.join(payer, t.partner == payer.payer).join(payee, t.counterparty == payee.payee)
    return j.group_by("payer", "payer_name", "payee", "payee_name", "year").aggregate(
        payments=j.count(), amount_gbp=j.amount_gbp.sum()
    )


def ibis_desc(col: str) -> Any:
    import ibis

    return ibis.desc(col)


def unmapped_report(ws: Workspace, partner: str | None = None) -> list[Unmapped]:
    """Unmapped department / service area / expense type values stored so far."""
    sql = (
        "SELECT department, service_area, expense_type, count(*), sum(amount_gbp) "
        "FROM transactions WHERE NOT mapped"
        + (" AND partner = ?" if partner else "")
        + " GROUP BY ALL ORDER BY abs(sum(amount_gbp)) DESC"
    )
    rows = ws.con.execute(sql, [partner] if partner else []).fetchall()
    return [Unmapped(a, b, c, int(d), Decimal(e)) for a, b, c, d, e in rows]


def parse_values(con: Any, pairs: Sequence[tuple[str | None, str | None]]) -> list[tuple]:
    """Parse (date, amount) texts with the importer's own SQL: (paid_on, amount_gbp).

    For tests and for checking a council's formats before an import.
    """
    arrow = pa.table(
        {
            "_line": list(range(1, len(pairs) + 1)),
            "d": [p[0] for p in pairs],
            "a": [p[1] for p in pairs],
        }
    )
    con.register("_tx_values", arrow)
    try:
        con.execute("DROP TABLE IF EXISTS _tx_stage")
        nulls = ", ".join(
            f"CAST(NULL AS VARCHAR) AS {r}" for r in ROLES if r not in ("date", "amount")
        )
        src = (
            "SELECT _line, CAST(NULL AS VARCHAR) AS _sheet, d AS date, a AS amount, "
            f"{nulls} FROM _tx_values"
        )
        con.execute(_stage_table_sql(src, "\x00", "\x00", "(values)"))
        return con.execute("SELECT paid_on, amount_gbp FROM _tx_stage ORDER BY _line").fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS _tx_stage")
        con.unregister("_tx_values")
