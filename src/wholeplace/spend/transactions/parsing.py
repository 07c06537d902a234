"""Parsing dates and amounts in SQL, the way councils write them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa

from wholeplace.spend.transactions.headers import ROLES
from wholeplace.spend.transactions.statements import quote

DATE_SQL = r"""
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


def text_sql(col: str) -> str:
    """A text cell with its spaces trimmed, blank as NULL. (trim() only when a space is
    at either end: it copies every string, which cost a second per 10M rows per column.)"""
    return (
        f"nullif(CASE WHEN prefix({col}, ' ') OR suffix({col}, ' ') THEN trim({col}) "
        f"ELSE {col} END, '')"
    )


def stage_table_sql(
    source_sql: str, amount_label: str, date_label: str, partner: str | None = None
) -> str:
    """The staging table: raw texts, parsed date and amount, and why a row is skipped."""
    return "CREATE TEMP TABLE _tx_stage AS " + parse_sql(
        source_sql, amount_label, date_label, partner
    )


def parse_sql(
    source_sql: str,
    amount_label: str,
    date_label: str,
    partner: str | None = None,
) -> str:
    """Raw texts, parsed date and amount, and why a row is skipped, as one SELECT.

    The common forms (``1234.56``, ``-12.00``, ``31/03/2025``, ``2025-03-31``) are parsed
    by a cast; only the rest goes through the regular expressions.
    """
    partner_sql = quote(partner) if partner else text_sql("partner")
    partner_ok = "true" if partner else "coalesce(partner IN (SELECT id FROM partners), false)"
    return f"""
WITH src AS ({source_sql}),
t AS (
  SELECT _line, _sheet,
    {partner_sql} AS partner,
    {text_sql("date")} AS d,
    {text_sql("amount")} AS a_raw,
    {text_sql("supplier")} AS supplier,
    {text_sql("department")} AS department,
    {text_sql("service_area")} AS service_area,
    {text_sql("expense_type")} AS expense_type,
    {text_sql("description")} AS description,
    {text_sql("reference")} AS reference
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
    WHEN d IS NOT NULL THEN CAST(({DATE_SQL}) AS DATE) END AS paid_on,
  CASE
    WHEN fast_date IS NOT NULL AND fast_amount IS NOT NULL THEN NULL
    WHEN d IS NULL AND a_raw IS NULL AND supplier IS NULL AND department IS NULL
      AND service_area IS NULL AND expense_type IS NULL AND description IS NULL
      THEN 'blank'
    WHEN lower(coalesce(a_raw, '')) = lower({quote(amount_label)})
      AND lower(coalesce(d, '')) = lower({quote(date_label)}) THEN 'repeated header'
    WHEN d IS NULL AND a_raw IS NOT NULL
      AND (supplier IS NULL OR lower(concat_ws(' ', supplier, description, department,
           service_area, expense_type, reference)) LIKE '%total%') THEN 'total row'
    WHEN d IS NULL AND a_raw IS NULL THEN 'no date or amount'
  END AS skip_reason
FROM a4
"""


def parse_values(
    con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str | None, str | None]]
) -> list[tuple[Any, ...]]:
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
        con.execute(stage_table_sql(src, "\x00", "\x00", "(values)"))
        return con.execute("SELECT paid_on, amount_gbp FROM _tx_stage ORDER BY _line").fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS _tx_stage")
        con.unregister("_tx_values")
