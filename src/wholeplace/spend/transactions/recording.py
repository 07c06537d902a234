"""Recording a file whose payments are stored: survey, map, check, and re-build the
partner's spend lines."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from wholeplace.errors import InputError, Notice, Problem, rows_shown
from wholeplace.money import MAX_TOTAL, fmt_gbp, to_money
from wholeplace.spend.lines import raise_if, replace_with_sums
from wholeplace.spend.transactions.job import FileJob
from wholeplace.spend.transactions.mapping import TransactionMapping
from wholeplace.spend.transactions.results import Duplicate, FileResult, Unmapped
from wholeplace.spend.transactions.statements import without_order
from wholeplace.workspace import Workspace, WriteInfo
from wholeplace.years import year_label

# Supplier names normalised for matching (macro in migration 0031, shared with the view).
SUPPLIER_KEY_SQL = "supplier_key({col})"

TRANSACTIONS_SOURCE = "spend over £500 transactions"

# The financial year of paid_on, as the year it starts in, and its label (macros in 0031).
FY = "fy_start(paid_on)"
FY_LABEL = "fy_label({fy})"


@dataclass
class Survey:
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
FROM transaction_payments r LEFT JOIN _tx_cp c ON c.supplier = r.supplier
WHERE r.file_id = $file_id
GROUP BY ALL
"""


def survey_stored(ws: Workspace, file_id: int) -> Survey:
    """Record the file's new suppliers, then sum its stored rows by partner, year,
    mapping values and the partner paid (if any) into ``_tx_survey``: everything
    validation, the mapping and the spend lines need, in three scans of the rows."""
    con = ws.con
    # Supplier keys are computed once per distinct supplier name, not once per payment.
    without_order(
        con,
        f"""
        INSERT INTO transaction_suppliers
        SELECT supplier, {SUPPLIER_KEY_SQL.format(col="supplier")}
        FROM (
          SELECT DISTINCT supplier FROM transaction_payments
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
    without_order(con, _STORED_SURVEY_SQL.format(fy=FY), {"file_id": file_id})
    combos = con.execute(
        "SELECT department, service_area, expense_type, sum(n), sum(amount) "
        "FROM _tx_survey GROUP BY ALL"
    ).fetchall()
    (h,) = con.execute(
        f"SELECT coalesce(sum({_ROW_HASH}), 0) FROM transaction_payments WHERE file_id = ?",
        [file_id],
    ).fetchall()[0]
    partners = con.execute("SELECT DISTINCT partner FROM _tx_survey").fetchall()
    return Survey(
        [(d, sa, et, int(n), Decimal(a)) for d, sa, et, n, a in combos],
        sorted(p for (p,) in partners),
        int(h),
    )


def finish(job: FileJob, sha: str, file_id: int, survey: Survey, info: WriteInfo) -> None:
    """Map, check, and record a file whose rows are stored (inside ws.write)."""
    res, progress = job.res, job.progress
    problems: list[Problem] = []
    if survey.rows == 0:
        problems.append(
            Problem(job.label, None, None, None, "no transactions in the file", "check the file")
        )
    mapped = _map_combinations(survey, job.mapping, res)
    if job.strict:
        problems.extend(_unmapped_problems(job.label, res.unmapped))
    if problems:
        raise InputError(problems)
    _skip_if_same_rows(job.ws, job.owner, survey, res)
    raise_if(_over_the_largest_total(job.ws, job.label))
    notice = far_dates_notice(job.ws, file_id, job.label)
    if notice:
        res.notices.append(notice)
    if progress:
        progress("write", 0, 1)
    _record_file(job.ws, job.path, sha, file_id, job.owner, survey, mapped, res)
    info["rows"] = res.rows
    info["detail"] = {
        "partner": job.owner,
        "rows": res.rows,
        "total_gbp": str(res.total_gbp),
        "years": res.years,
        "unmapped_rows": sum(u.rows for u in res.unmapped),
        "skipped": {k: len(v) for k, v in res.skipped.items()},
    }
    if progress:
        progress("write", 1, 1)


# Each (partner, year) of the file whose payments, with those imported before and credits
# counted as positive, add up to more than the place's database holds in one total: every
# sum of them (the year's spend lines, its credits, a service) then fits DECIMAL(18, 2).
_OVER_THE_LARGEST_TOTAL_SQL = f"""
WITH f AS (
  SELECT partner, {FY_LABEL.format(fy="fy")} AS year, sum(amount - 2 * credits) AS gross
  FROM _tx_survey GROUP BY ALL
),
o AS (
  SELECT partner, year, sum(amount_gbp - 2 * credits_gbp) AS gross
  FROM transaction_totals WHERE (partner, year) IN (SELECT (partner, year) FROM f)
  GROUP BY ALL
)
SELECT f.partner, f.year, f.gross + coalesce(o.gross, 0) AS gross
FROM f LEFT JOIN o ON o.partner = f.partner AND o.year = f.year
WHERE f.gross + coalesce(o.gross, 0) > {MAX_TOTAL}
ORDER BY f.partner, f.year
"""


def _over_the_largest_total(ws: Workspace, label: str) -> list[Problem]:
    out = []
    for partner, year, gross in ws.con.execute(_OVER_THE_LARGEST_TOTAL_SQL).fetchall():
        out.append(
            Problem(
                label,
                None,
                "amount",
                f"{partner} {year}: {fmt_gbp(Decimal(gross))}",
                f"the payments of {partner} in {year} (with those imported before, credits "
                f"counted as positive) add up to more than {fmt_gbp(MAX_TOTAL)}, the largest "
                "total a place holds",
                "check the amounts are in pounds, not pence, and that the same payments are "
                "not in several files",
            )
        )
    return out


def far_dates_notice(ws: Workspace, file_id: int, label: str) -> Notice | None:
    """The payments of the file dated more than a year outside the financial years of
    the rest of it (a mistyped year such as 2042 or 1999 in a file of 2024/25), if any.

    The rest of the file is the middle half of its payments by financial year, widened by
    half as much again on each side (Tukey's fences, so a file of many years is never
    flagged for its first and last), and by a year more. Worked out from the file's
    totals by year (``_tx_survey``), so a file whose dates are all near costs nothing.
    """
    con = ws.con
    by_year = con.execute("SELECT fy, sum(n) FROM _tx_survey GROUP BY fy ORDER BY fy").fetchall()
    total = sum(int(n) for _, n in by_year)
    if not total:
        return None
    q1 = _quantile_year(by_year, total, 1)
    q3 = _quantile_year(by_year, total, 3)
    reach = -(-3 * (q3 - q1) // 2) + 1  # 1.5 x the spread, rounded up, and a year
    low, high = q1 - reach, q3 + reach
    count = sum(int(n) for fy, n in by_year if not low <= fy <= high)
    if not count:
        return None
    first = con.execute(
        "SELECT source_row, sheet, paid_on FROM transaction_payments WHERE file_id = ? "
        "AND fy_start(paid_on) NOT BETWEEN ? AND ? ORDER BY source_row, paid_on LIMIT 10",
        [file_id, low, high],
    ).fetchall()
    lines = [int(row) for row, _, _ in first if row is not None]
    if lines:  # the careful path keeps each payment's line (and sheet)
        where = rows_shown(
            [
                f"{row} ({sheet + ', ' if sheet else ''}{paid:%d/%m/%Y})"
                for row, sheet, paid in first
            ],
            count,
        )
    else:  # the one pass does not number lines
        where = "dated " + ", ".join(f"{paid:%d/%m/%Y}" for _, _, paid in first)
        where += " ..." if count > len(first) else ""
    many = count != 1
    bulk = year_label(q1) + ("" if q1 == q3 else f" to {year_label(q3)}")
    message = (
        f"{count:,} payment{'s' if many else ''} {'are' if many else 'is'} dated more than a "
        f"year outside the financial years of the rest of the file (mostly {bulk}): check "
        f"{'them' if many else 'it'}, {where}"
    )
    return Notice(label, "far_dates", message, count, tuple(lines))


def _quantile_year(by_year: list[tuple[int, int]], total: int, quarter: int) -> int:
    """The financial year holding the ``quarter``-th quartile payment of the file."""
    seen = 0
    for fy, n in by_year:
        seen += int(n)
        if 4 * seen >= quarter * total:
            return int(fy)
    return int(by_year[-1][0])  # pragma: no cover - the loop reaches the total


_MAPPING_COLUMNS = (
    "department",
    "service_area",
    "expense_type",
    "service",
    "customer_group",
    "area",
    "mapped",
)


def _map_combinations(
    survey: Survey, mapping: TransactionMapping, res: FileResult
) -> dict[str, list[Any]]:
    """The file's mapping, one row per combination of mapping values (as columns); the
    combinations the mapping does not cover go to ``res.unmapped``, largest first."""
    m: dict[str, list[Any]] = {k: [] for k in _MAPPING_COLUMNS}
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
    return m


def _unmapped_problems(label: str, unmapped: list[Unmapped]) -> list[Problem]:
    """With --strict, every combination the mapping does not cover is a problem."""
    out: list[Problem] = []
    for u in unmapped:
        shown = " / ".join(x or "" for x in (u.department, u.service_area, u.expense_type))
        out.append(
            Problem(
                label,
                None,
                "service_area",
                shown,
                f"not mapped to a service ({u.rows} rows, £{u.amount_gbp:,.2f})",
                "add a line to the mapping: department,service_area,expense_type,service",
            )
        )
    return out


def _skip_if_same_rows(ws: Workspace, owner: str, survey: Survey, res: FileResult) -> None:
    """Raise :class:`Duplicate` if the same rows were imported before, under any name."""
    same = ws.con.execute(
        "SELECT file, imported_at FROM transaction_files WHERE partner = ? AND fingerprint = ?",
        [owner, survey.fingerprint],
    ).fetchall()
    if same:
        res.status = "duplicate"
        res.message = (
            f"skipped: the same {survey.rows:,} rows were imported for {owner} from "
            f"{same[0][0]} on {same[0][1]:%Y-%m-%d %H:%M}"
        )
        raise Duplicate


def _record_file(
    ws: Workspace,
    path: Path,
    sha: str,
    file_id: int,
    owner: str,
    survey: Survey,
    mapped: dict[str, list[Any]],
    res: FileResult,
) -> None:
    """Store the file's mapping, its row in transaction_files and its totals, and re-build
    the spend lines of the years it touches."""
    con = ws.con
    con.register("_tx_map_arrow", pa.table(mapped))
    try:
        con.execute(
            "INSERT INTO transaction_mapping SELECT $file_id, department, service_area, "
            "expense_type, service, mapped, customer_group, area FROM _tx_map_arrow",
            {"file_id": file_id},
        )
    finally:
        con.unregister("_tx_map_arrow")
    res.rows = survey.rows
    res.total_gbp = to_money(survey.total)
    con.execute(
        "INSERT INTO transaction_files (file_id, partner, file, sha256, fingerprint, rows, "
        "total_gbp, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            file_id,
            owner,
            ws.recorded_name(path),
            sha,
            survey.fingerprint,
            res.rows,
            res.total_gbp,
            datetime.now(UTC),
        ],
    )
    store_totals(ws, file_id)
    res.years, res.to_partners_gbp, res.credits_gbp = rebuild_spend_lines(ws, file_id)


def store_totals(ws: Workspace, file_id: int) -> None:
    """The file's totals by partner, year, mapping values and counterparty (``_tx_survey``)."""
    ws.con.execute(
        f"""
        INSERT INTO transaction_totals
        SELECT $file_id, partner, {FY_LABEL.format(fy="fy")}, department, service_area,
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
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _tx_agg AS
        WITH p AS (SELECT DISTINCT partner, year FROM transaction_totals WHERE file_id = $f)
        SELECT t.file_id = $f AS this_file, t.partner, t.year, m.service,
          CASE WHEN m.mapped THEN 'transactions' ELSE '(unmapped transactions)' END
            AS source_service, m.area,
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
    replace_with_sums(ws, "_tx_agg", source=TRANSACTIONS_SOURCE)
    years, to_partners, credits = con.execute(
        "SELECT list(DISTINCT year ORDER BY year), "
        "coalesce(sum(amount_gbp) FILTER (WHERE counterparty IS NOT NULL), 0), "
        "coalesce(sum(credits), 0) FROM _tx_agg WHERE this_file"
    ).fetchall()[0]
    con.execute("DROP TABLE _tx_agg")
    return list(years or []), Decimal(to_partners), Decimal(credits)


def imported_before(ws: Workspace, owner: str, checksum: Future[str], res: FileResult) -> bool:
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
