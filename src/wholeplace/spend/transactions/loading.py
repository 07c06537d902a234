"""Importing transaction files: stage, validate every row, then write all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb

from wholeplace.errors import InputError, Notice, Problem, Problems
from wholeplace.money import AMOUNT_PROBLEMS
from wholeplace.partners import partner_ids
from wholeplace.spend.transactions.headers import ROLES
from wholeplace.spend.transactions.job import FileJob
from wholeplace.spend.transactions.mapping import TransactionMapping, read_transaction_mapping
from wholeplace.spend.transactions.one_pass import import_in_one_pass
from wholeplace.spend.transactions.parsing import stage_table_sql
from wholeplace.spend.transactions.recording import finish, imported_before, survey_stored
from wholeplace.spend.transactions.results import (
    Duplicate,
    FileResult,
    ReadCarefully,
)
from wholeplace.spend.transactions.staging import Staged, stage_csv, stage_xlsx
from wholeplace.spend.transactions.statements import (
    ProgressFn,
    long_field_sql,
    setting,
    without_order,
)
from wholeplace.tabular import FIELD_FIX, FIELD_TOO_LONG, MAX_FIELD_CHARS
from wholeplace.workbook_limits import refuse_old_xls
from wholeplace.workspace import Workspace, file_sha256
from wholeplace.years import FIRST, LAST

# Clean UTF-8 files at least this big are read in one parallel pass straight into the
# stored payments (no staging copy, no line numbers kept on the payments); smaller files
# and messy ones are staged line by line. Either way a file lands whole or not at all.
FAST_PATH_BYTES = 64 << 20


_DATE_FIX = "write it as 31/03/2025, 31-Mar-25 or 2025-03-31"
# Why a date is wrong (parsing.parse_sql's date_problem): message, fix.
_DATE_PROBLEMS = {
    "missing": ("missing date", _DATE_FIX),
    "not_date": ("not a date", _DATE_FIX),
    "out_of_range": (
        f"a date outside the financial years {FIRST}/{(FIRST + 1) % 100:02d} to "
        f"{LAST}/{(LAST + 1) % 100:02d}",
        "check the year (a date in the year 0000 is usually an empty date exported as "
        "zeros); " + _DATE_FIX,
    ),
}


def _problems_of(label: str, bad: list[dict[str, Any]], total: int) -> list[Problem]:
    """Problems of the first 200 bad rows (in file order), and a count of the rest."""
    p = Problems(label)
    for r in sorted(bad, key=lambda r: (r["sheet"] or "", r["line"]))[:200]:
        if r["long_col"]:  # said alone: the other checks would print the whole text
            found = f"({r['long_len']:,} characters)"
            p.add(
                r["line"], _LONG_NAMES[r["long_col"]], found, FIELD_TOO_LONG, FIELD_FIX, r["sheet"]
            )
            continue
        line, sheet = r["line"], r["sheet"]
        if r["bad_partner"]:
            partner = r["partner"]
            fix = "add the partner first (wholeplace partners add), or correct the id"
            why = "not a partner of this place" if partner else "missing partner"
            p.add(line, "partner", partner or "", why, fix, sheet)
        if r["date_problem"]:
            why, fix = _DATE_PROBLEMS[r["date_problem"]]
            p.add(line, "date", r["raw_date"] or "", why, fix, sheet)
        if r["amount_problem"]:
            why, fix = AMOUNT_PROBLEMS[r["amount_problem"]]
            p.add(line, "amount", r["raw_amount"] or "", why, fix, sheet)
    if total > 200:
        p.add(None, None, None, f"... {total - 200} more rows like these", "")
    return p.problems


# The staging table's texts, by the name a problem gives their column.
_LONG_NAMES = {
    "partner": "partner",
    "raw_date": "date",
    "raw_amount": "amount",
    **{r: r for r in ROLES[3:]},
}
_LONG_COL, _LONG_LEN = long_field_sql(list(_LONG_NAMES), MAX_FIELD_CHARS)

# One pass over the staged file: its bad rows (the first 201, in file order: the staging
# table is not stored in file order), its skipped rows, and the amounts it rounded.
_BAD_ROWS_SQL = f"""
WITH s AS (
  SELECT *, skip_reason IS NULL AS live, {_LONG_COL} AS long_col
  FROM _tx_stage
), b AS (
  SELECT *, live AND (paid_on IS NULL OR amount_gbp IS NULL OR NOT partner_ok
    OR long_col IS NOT NULL) AS bad
  FROM s
)
SELECT count(*) FILTER (WHERE bad) AS n_bad,
  list_slice(list({{'line': _line, 'sheet': _sheet, 'raw_date': raw_date,
    'raw_amount': raw_amount, 'date_problem': date_problem,
    'amount_problem': amount_problem, 'bad_partner': NOT partner_ok, 'partner': partner,
    'long_col': long_col, 'long_len': {_LONG_LEN}}} ORDER BY _sheet, _line)
    FILTER (WHERE bad), 1, 201) AS bad_rows,
  list({{'reason': skip_reason, 'line': _line}}) FILTER (WHERE NOT live) AS skipped,
  count(*) FILTER (WHERE live AND rounded) AS n_rounded,
  list_slice(list({{'line': _line, 'sheet': _sheet}} ORDER BY _sheet, _line)
    FILTER (WHERE live AND rounded), 1, 10) AS rounded
FROM b
"""


def _rounded_notice(label: str, count: int, rows: list[dict[str, Any]]) -> Notice:
    """The notice of amounts rounded to the penny (``rows``: the first, with their sheet)."""
    shown = [f"{r['line']} ({r['sheet']})" if r["sheet"] else str(r["line"]) for r in rows]
    return Notice.rounded(label, count, [int(r["line"]) for r in rows], shown)


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
        p = Problems("(command line)")
        fix = f"add it first: wholeplace partners add --id {partner} --name ... --type ..."
        p.add(None, "partner", partner, "not a partner of this place", fix)
        raise p.error()
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
    refuse_old_xls(path, "CSV or .xlsx")  # read as CSV it would be a page of garbled bytes
    job = FileJob(ws, path, partner, mapping, strict, FileResult(label, "imported"), progress)
    # A big file's checksum is worked out while DuckDB reads it (hashlib and DuckDB both
    # let go of the GIL); a small file's before anything else, as a duplicate is skipped.
    with ThreadPoolExecutor(max_workers=1) as pool:
        checksum = pool.submit(file_sha256, path)
        if path.stat().st_size < FAST_PATH_BYTES and imported_before(
            ws, job.owner, checksum, job.res
        ):
            return job.res
        return _import_file(job, checksum, columns, sheet)


def _import_file(
    job: FileJob, checksum: Future[str], columns: Sequence[str] | None, sheet: str | None
) -> FileResult:
    path, con = job.path, job.ws.con
    with job.ws.scratch_dir() as td:
        tmp = Path(td)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            st = stage_xlsx(path, tmp, sheet=sheet, progress=job.progress)
        else:
            st = stage_csv(path, tmp, columns=columns, progress=job.progress)
        res = job.res
        res.encoding = st.encoding
        res.layout = {r: st.header_labels.get(r, f"column {i + 1}") for r, i in st.layout.items()}
        if job.partner is None and "partner" not in st.layout and st.encoding != "xlsx":
            p = Problems(job.label)
            fix = "pass --partner ID (the partner that made these payments)"
            p.add(st.header_line, "partner", None, "no partner column, and no --partner given", fix)
            raise p.error()
        try:
            if st.direct_sql and path.stat().st_size >= FAST_PATH_BYTES:
                try:
                    return import_in_one_pass(job, checksum, st)
                except ReadCarefully:
                    # a row the one pass cannot take (a bad date or amount, a total row,
                    # an unknown partner): nothing was kept; read it line by line to say
                    # exactly which rows and why
                    job.res = FileResult(
                        job.label, "imported", encoding=res.encoding, layout=res.layout
                    )
            if path.stat().st_size >= FAST_PATH_BYTES and imported_before(
                job.ws, job.owner, checksum, job.res
            ):
                return job.res
            try:
                _stage(con, st, job.partner, job.label, job.progress)
            except _ReadAgain:
                # DuckDB could not read it as clean UTF-8 CSV (a byte that is not UTF-8
                # after the first MiB, a row with more cells than the header): decode and
                # check it line by line, which names the line and the fix
                st = stage_csv(path, tmp, columns=columns, progress=job.progress, careful=True)
                job.res.encoding = st.encoding
                _stage(con, st, job.partner, job.label, job.progress)
            return _validate_and_write(job, checksum.result())
        finally:
            for t in ("_tx_stage", "_tx_raw", "_tx_survey", "_tx_cp", "_tx_agg"):
                con.execute(f"DROP TABLE IF EXISTS {t}")


class _ReadAgain(Exception):
    """The clean path's read failed: read the file again through the careful path."""


def _stage(
    con: duckdb.DuckDBPyConnection,
    st: Staged,
    partner: str | None,
    label: str,
    progress: ProgressFn | None,
) -> None:
    con.execute("DROP TABLE IF EXISTS _tx_stage")
    if progress:
        progress("parse", 0, 1)
    try:
        if st.prepare_sql:
            con.execute("DROP TABLE IF EXISTS _tx_raw")
            keep = setting(con, "preserve_insertion_order")
            con.execute("SET preserve_insertion_order = true")  # rowid = file order
            try:
                con.execute(st.prepare_sql)
            finally:
                con.execute(f"SET preserve_insertion_order = {keep}")
        without_order(
            con,
            stage_table_sql(
                st.source_sql,
                st.header_labels.get("amount", "\x00"),
                st.header_labels.get("date", "\x00"),
                partner,
            ),
            progress=progress,
            stage="parse",
        )
    except Exception as exc:  # duckdb's CSV errors name the line; pass them on
        if st.prepare_sql and isinstance(exc, duckdb.InvalidInputException):
            raise _ReadAgain from exc
        p = Problems(label)
        why = f"cannot be read as CSV: {str(exc).splitlines()[0]}"
        if "Maximum line size" in str(exc):  # DuckDB reads at most 2,000,000 bytes a line
            p.add(None, None, None, f"{why}: the line is longer than 2,000,000 bytes", FIELD_FIX)
        else:
            p.add(None, None, None, why, "save it as comma-separated text (CSV) or XLSX")
        raise p.error() from exc
    if progress:
        progress("parse", 1, 1)


def _validate_and_write(job: FileJob, sha: str) -> FileResult:
    """The staged file: every bad row reported before anything is written."""
    con = job.ws.con
    n_bad, bad_rows, skipped, n_rounded, rounded = con.execute(_BAD_ROWS_SQL).fetchall()[0]
    for line, reason in sorted((x["line"], x["reason"]) for x in skipped or []):
        job.res.skipped.setdefault(reason, []).append(line)
    problems = _problems_of(job.label, bad_rows or [], n_bad)
    if problems:
        raise InputError(problems)
    if n_rounded:
        job.res.notices.append(_rounded_notice(job.label, n_rounded, rounded))
    file_id = con.execute("SELECT nextval('transaction_file_seq')").fetchall()[0][0]
    try:
        with job.ws.write("spend import-transactions", file=job.path, sha256=sha) as info:
            without_order(
                con,
                "INSERT INTO transaction_rows SELECT $file_id, partner, paid_on, amount_gbp, "
                "supplier, department, service_area, expense_type, description, reference, "
                "_sheet, _line FROM _tx_stage WHERE skip_reason IS NULL",
                {"file_id": file_id},
            )
            finish(job, sha, file_id, survey_stored(job.ws, file_id), info)
    except Duplicate:
        pass
    return job.res
