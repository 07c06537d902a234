"""The one-pass import of big clean files: parse and store in one parallel pass."""

from __future__ import annotations

from concurrent.futures import Future

from wholeplace.partners import partner_ids
from wholeplace.spend.transactions.headers import ROLES
from wholeplace.spend.transactions.job import FileJob
from wholeplace.spend.transactions.parsing import DATE_RANGE_SQL, plain_amount_sql, text_sql
from wholeplace.spend.transactions.recording import finish, imported_before, survey_stored
from wholeplace.spend.transactions.results import (
    Duplicate,
    FileResult,
    ReadCarefully,
)
from wholeplace.spend.transactions.staging import Staged
from wholeplace.spend.transactions.statements import long_field_sql, quote, without_order
from wholeplace.tabular import MAX_FIELD_CHARS

# A file with none of these columns has its payments stored in transaction_rows_lean
# (migration 0032), which does not have them: cheaper to write than transaction_rows,
# where they, the sheet and the line would be empty.
LEAN_ABSENT = frozenset({"department", "description", "reference"})


def import_in_one_pass(job: FileJob, checksum: Future[str], st: Staged) -> FileResult:
    """Parse and store every payment in one parallel pass, then validate what was
    stored; any row the pass cannot take rolls the whole write back."""
    import duckdb

    ws, progress = job.ws, job.progress
    con = ws.con
    assert st.direct_sql is not None
    lean = not LEAN_ABSENT & set(st.layout)
    select = _one_pass_sql(st.direct_sql, job.partner, lean)
    table = "transaction_rows_lean" if lean else "transaction_rows"
    file_id = con.execute("SELECT nextval('transaction_file_seq')").fetchall()[0][0]
    if progress:
        progress("read", 0, 100)
    try:
        with ws.write("spend import-transactions", file=job.path, sha256="") as info:
            try:
                # NOT NULL on partner, paid_on and amount_gbp stops the pass at the
                # first row without them (blank, total and header rows included)
                without_order(
                    con,
                    f"INSERT INTO {table} SELECT {int(file_id)}, * FROM ({select})",
                    progress=progress,
                    stage="read",
                )
            except duckdb.Error as exc:
                raise ReadCarefully from exc
            if progress:
                progress("check", 0, 1)
            if imported_before(ws, job.owner, checksum, job.res):
                raise Duplicate
            sha = checksum.result()
            info["sha256"] = sha
            survey = survey_stored(ws, file_id)
            if set(survey.partners) - set(partner_ids(ws)):
                raise ReadCarefully
            finish(job, sha, file_id, survey, info)
    except Duplicate:
        pass
    return job.res


def _one_pass_sql(direct_sql: str, partner: str | None, lean: bool) -> str:
    """The staging table's columns for the common forms only (``1,234.56``, ``-12.00``,
    ``31/03/2025``, ``2025-03-31``), parsed exactly as :func:`parse_sql` parses them;
    anything else is NULL and sends the file to the careful path.

    Written apart from ``parse_sql`` because materialising that one's many
    intermediate columns made the pass several times slower. ``lean``: the columns of
    ``transaction_rows_lean``, else those of ``transaction_rows``.
    """
    text = {r: text_sql(r) for r in ROLES}
    rest = [r for r in ROLES[3:] if not (lean and r in LEAN_ABSENT)]
    line = "" if lean else ",\n  CAST(NULL AS VARCHAR) AS sheet, CAST(NULL AS BIGINT) AS source_row"
    partner_sql = quote(partner) if partner else text["partner"]
    d = text["date"]
    # a field too long (docs/formats.md) leaves the date NULL: NOT NULL then stops the pass
    # and the careful path names the row
    long, _ = long_field_sql(ROLES, MAX_FIELD_CHARS)
    return f"""
SELECT {partner_sql} AS partner,
  CASE
    WHEN {long} IS NOT NULL THEN NULL
    WHEN parsed_on {DATE_RANGE_SQL} THEN parsed_on
  END AS paid_on,
  {plain_amount_sql("amount")} AS amount_gbp,
  {", ".join(f"{text[r]} AS {r}" for r in rest)}{line}
FROM (
  SELECT *, CASE
      WHEN length({d}) = 10 AND substr({d}, 3, 1) = '/' AND substr({d}, 6, 1) = '/'
        THEN CAST(try_strptime({d}, '%d/%m/%Y') AS DATE)
      WHEN length({d}) = 10 AND substr({d}, 5, 1) = '-' AND substr({d}, 8, 1) = '-'
        THEN try_cast({d} AS DATE)
    END AS parsed_on
  FROM ({direct_sql})
)
"""
