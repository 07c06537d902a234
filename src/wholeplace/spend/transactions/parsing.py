"""Parsing dates and amounts in SQL, the way councils write them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa

from wholeplace.money import (
    AMOUNT_GROUPS,
    AMOUNT_PATTERN,
    AMOUNT_SPACES,
    MAX_AMOUNT,
    MAX_AMOUNT_DIGITS,
    SCIENTIFIC_PATTERN,
)
from wholeplace.spend.transactions.headers import ROLES
from wholeplace.spend.transactions.statements import quote
from wholeplace.years import FIRST, LAST

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


# The dates a payment may carry: those of the financial years wholeplace holds
# (years.FIRST to years.LAST). Year 0000 (an empty date exported as zeros) would otherwise
# be stored under the year "-1/00", where nothing can reach it.
FIRST_DATE = f"{FIRST}-04-01"
LAST_DATE = f"{LAST + 1}-03-31"
DATE_RANGE_SQL = f"BETWEEN DATE '{FIRST_DATE}' AND DATE '{LAST_DATE}'"

# Plain amounts: "1234.56", "-12.5", "1,234.56", with white space around them, at most 2
# decimal places and 12 digits of pounds (DECIMAL(14, 2)); each is one that
# money.parse_amount reads alike, to the penny and unrounded. They are read by a cast; any
# other amount (brackets, CR, a trailing minus, sub-penny, too large, not an amount) is
# NULL here, and goes through money's grammar (the careful path), or sends a big file from
# the one pass to the careful path. DuckDB's cast also takes exponents, "_" between digits
# and a "+" sign, which the grammar refuses: the LIKEs keep those out. Cheaper than a
# regular expression on every payment (about as cheap as the cast alone); only amounts
# with thousands separators go through one.
_CAST_SPACES = " \t\n\r\v\f"  # what DuckDB's cast to DECIMAL trims
_COMMAS = (
    f"[{_CAST_SPACES}]*-?[0-9]{{1,3}}(,[0-9]{{3}}){{1,{MAX_AMOUNT_DIGITS // 3 - 1}}}"
    f"(\\.[0-9]{{1,2}})?[{_CAST_SPACES}]*"
)


def plain_amount_sql(a: str) -> str:
    """The amount of text column ``a`` if it is a plain one, else NULL."""
    return f"""CASE WHEN {a} NOT LIKE '%e%' AND {a} NOT LIKE '%E%' AND {a} NOT LIKE '%+%'
      AND NOT contains({a}, '_')
      AND (strpos({a}, '.') = 0 OR strpos({a}, '.') >= length({a}) - 2)
    THEN coalesce(try_cast({a} AS DECIMAL(14, 2)),
      CASE WHEN regexp_full_match({a}, {quote(_COMMAS)})
        THEN try_cast(replace({a}, ',', '') AS DECIMAL(14, 2)) END)
  END"""


def amount_sql(col: str) -> str:
    """The money.AMOUNT_PATTERN groups of ``col`` (all '' when it does not match)."""
    groups = ", ".join(quote(g) for g in AMOUNT_GROUPS)
    return f"regexp_extract({col}, {quote('^(?:' + AMOUNT_PATTERN + ')$')}, [{groups}])"


_SPACES = quote(AMOUNT_SPACES)


def _why_not_sql(col: str) -> str:
    """money._why_not in SQL: why a text the grammar refuses is not an amount."""
    return f"""CASE
      WHEN trim({col}, {_SPACES}) = '' THEN 'missing'
      WHEN regexp_matches(regexp_replace({col}, '[0-9]', '', 'g'), '\\p{{Nd}}')
        THEN 'digits'
      WHEN regexp_matches(replace({col}, '£', ''), '\\p{{Sc}}') THEN 'currency'
      WHEN regexp_matches({col}, {quote(SCIENTIFIC_PATTERN)}) THEN 'scientific'
      ELSE 'not_amount' END"""


def parse_sql(
    source_sql: str,
    amount_label: str,
    date_label: str,
    partner: str | None = None,
) -> str:
    """Raw texts, parsed date and amount, why either is wrong, and why a row is skipped,
    as one SELECT.

    The common forms (``1234.56``, ``-12.00``, ``31/03/2025``, ``2025-03-31``) are parsed
    by a cast (:func:`plain_amount_sql`); only the rest goes through the regular
    expressions. Amounts follow
    :data:`wholeplace.money.AMOUNT_PATTERN`, as ``money.parse_amount`` does: the same
    values, the same refusals, the same reasons (``amount_problem``, a key of
    ``money.AMOUNT_PROBLEMS``), and ``rounded`` where an amount had more than 2 decimal
    places (rounded half-up, as ``money.to_money``, by DuckDB's cast to DECIMAL).
    """
    # Longer than the house's ~80 lines on purpose: it is one SQL statement whose steps
    # (texts, fast casts, then the amount's grammar, its parts, then the reasons) read
    # top to bottom; cut into Python pieces it would be harder to read.
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
  SELECT *,
    {plain_amount_sql("a_raw")} AS fast_amount,
    CASE
      WHEN length(d) = 10 AND substr(d, 3, 1) = '/' AND substr(d, 6, 1) = '/'
        THEN CAST(try_strptime(d, '%d/%m/%Y') AS DATE)
      WHEN length(d) = 10 AND substr(d, 5, 1) = '-' AND substr(d, 8, 1) = '-'
        THEN try_cast(d AS DATE)
    END AS fast_date
  FROM t
),
g AS (
  SELECT *, CASE WHEN fast_amount IS NULL AND a_raw IS NOT NULL
    THEN {amount_sql("a_raw")} END AS g
  FROM f
),
p AS (
  SELECT *,
    ltrim(replace(split_part(g.num, '.', 1), ',', ''), '0') AS whole,
    split_part(g.num, '.', 2) AS fraction,
    CAST(g.m1 <> '' AS INT) + CAST(g.m2 <> '' AS INT) + CAST(g.m3 <> '' AS INT)
      + CAST(g.cr <> '' AS INT) + CAST(g.open <> '' AS INT) AS signs,
    CASE WHEN fast_date IS NOT NULL THEN fast_date
      WHEN d IS NOT NULL THEN CAST(({DATE_SQL}) AS DATE) END AS parsed_on
  FROM g
),
m AS (
  SELECT *,
    CASE WHEN g.num <> '' AND length(whole) <= {MAX_AMOUNT_DIGITS}
      THEN CAST(concat(coalesce(nullif(whole, ''), '0'), '.', fraction, '0')
        AS DECIMAL(18, 2)) END AS magnitude
  FROM p
),
r AS (
  SELECT *,
    CASE
      WHEN fast_amount IS NOT NULL THEN NULL
      WHEN a_raw IS NULL THEN 'missing'
      WHEN g.num = '' THEN {_why_not_sql("a_raw")}
      WHEN (g.open = '') <> (g.close = '') OR (g.c1 <> '' AND g.c2 <> '') THEN 'not_amount'
      WHEN signs > 1 THEN 'two_signs'
      WHEN magnitude IS NULL OR magnitude > {MAX_AMOUNT} THEN 'too_large'
    END AS amount_problem,
    CASE WHEN parsed_on {DATE_RANGE_SQL} THEN parsed_on END AS paid_on
  FROM m
)
SELECT _line, _sheet, partner, {partner_ok} AS partner_ok, d AS raw_date, a_raw AS raw_amount,
  supplier, department, service_area, expense_type, description, reference,
  CASE
    WHEN fast_amount IS NOT NULL THEN fast_amount
    WHEN amount_problem IS NULL THEN CASE WHEN signs = 1 THEN -magnitude ELSE magnitude END
  END AS amount_gbp,
  amount_problem,
  amount_problem IS NULL AND fast_amount IS NULL AND length(rtrim(fraction, '0')) > 2
    AS rounded,
  paid_on,
  CASE
    WHEN d IS NULL THEN 'missing'
    WHEN parsed_on IS NULL THEN 'not_date'
    WHEN paid_on IS NULL THEN 'out_of_range'
  END AS date_problem,
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
FROM r
"""


def parse_values(
    con: duckdb.DuckDBPyConnection,
    pairs: Sequence[tuple[str | None, str | None]],
    columns: Sequence[str] = ("paid_on", "amount_gbp"),
) -> list[tuple[Any, ...]]:
    """Parse (date, amount) texts with the importer's own SQL: (paid_on, amount_gbp), or
    the staging table's ``columns`` (``amount_problem``, ``rounded``, ``date_problem``).

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
        cols = ", ".join(columns)
        return con.execute(f"SELECT {cols} FROM _tx_stage ORDER BY _line").fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS _tx_stage")
        con.unregister("_tx_values")
