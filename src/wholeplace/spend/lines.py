"""Writing spend lines built by code (published returns, transactions, estimates).

:func:`~wholeplace.spend.importer.import_spend` reads a person's file; the importers of
national data build their lines themselves. They share this path: every line is checked
against the same rules (known partner, financial year, taxonomy code, an estimate names
its method), then each (partner, year) is replaced in one transaction, exactly as
``import_spend`` does, with one ``spend_imports`` row per (partner, year).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from wholeplace.errors import InputError, Problem
from wholeplace.money import MAX_TOTAL, fmt_gbp, to_money
from wholeplace.partners import partner_ids
from wholeplace.spend.taxonomy import services
from wholeplace.workspace import Workspace
from wholeplace.years import YearError, parse_year

ZERO = Decimal("0.00")

# What kind of figure a line is (``spend_lines.basis``), as the map and reports name it.
BASES: dict[str, str] = {
    "gross": "gross expenditure",
    "net": "net current expenditure",
    "payments": "payments",
}
# Revenue and capital are never added together without saying so.
ACCOUNTS: dict[str, str] = {"revenue": "revenue", "capital": "capital"}

LINE_SCHEMA = pa.schema(
    [
        ("partner", pa.string()),
        ("year", pa.string()),
        ("service", pa.string()),
        ("source_service", pa.string()),
        ("subservice", pa.string()),
        ("area", pa.string()),
        ("customer_group", pa.string()),
        ("amount_gbp", pa.decimal128(18, 2)),
        ("counterparty", pa.string()),
        ("is_estimate", pa.bool_()),
        ("estimate_method", pa.string()),
        ("source", pa.string()),
        ("source_row", pa.int64()),
        ("basis", pa.string()),
        ("account", pa.string()),
    ]
)


LINE_COLUMNS = "import_id, " + ", ".join(LINE_SCHEMA.names)


@dataclass
class Line:
    """One spend line, in the columns of ``spend_lines``."""

    partner: str
    year: str
    service: str
    source_service: str
    amount_gbp: Decimal
    subservice: str | None = None
    area: str | None = None
    customer_group: str | None = None
    counterparty: str | None = None
    is_estimate: bool = False
    estimate_method: str | None = None
    source: str | None = None
    source_row: int | None = None
    basis: str = "gross"
    account: str = "revenue"


@dataclass(frozen=True)
class Income:
    """Income a return states (``spend_income``): a positive amount, never spend."""

    partner: str
    year: str
    service: str | None  # None: income of the whole body (specific grants in RS)
    kind: str  # "fees and charges", "other income" or "specific grants"
    source_service: str
    amount_gbp: Decimal
    account: str = "revenue"
    source: str | None = None
    source_row: int | None = None


INCOME_COLUMNS = (
    "partner, year, service, kind, source_service, amount_gbp, account, source, source_row"
)


@dataclass
class WriteResult:
    rows: int
    total_gbp: Decimal
    by_partner_year: dict[tuple[str, str], Decimal]
    replaced: dict[tuple[str, str], int] = field(default_factory=dict)


def check_lines(
    ws: Workspace, lines: list[Line], *, label: str, new_partners: set[str] | None = None
) -> list[Problem]:
    """Every problem of ``lines`` (empty when they may be written)."""
    known = partner_ids(ws) | (new_partners or set())
    codes = services()
    problems: list[Problem] = []
    seen: set[tuple[object, ...]] = set()
    for i, ln in enumerate(lines, start=1):
        row = ln.source_row if ln.source_row is not None else i

        def bad(col: str, value: object, msg: str, fix: str, row: int = row) -> None:
            problems.append(
                Problem(label, row, col, None if value is None else str(value), msg, fix)
            )

        if ln.partner not in known:
            bad(
                "partner",
                ln.partner,
                "not a partner of this place",
                f"add it first: wholeplace partners add --id {ln.partner} --name ... --type ...",
            )
        try:
            if parse_year(ln.year) != ln.year:
                bad("year", ln.year, "not written as YYYY/YY", "write it as 2024/25")
        except YearError:
            bad("year", ln.year, "not a financial year", "write it as 2024/25")
        if ln.service not in codes:
            bad("service", ln.service, "not a taxonomy code", "see `wholeplace spend services`")
        if ln.is_estimate and not ln.estimate_method:
            bad("estimate_method", "", "an estimate must say how it was made", "name the method")
        if ln.basis not in BASES:
            bad("basis", ln.basis, "not a basis", "use one of: " + ", ".join(BASES))
        if ln.account not in ACCOUNTS:
            bad("account", ln.account, "not revenue or capital", "write revenue or capital")
        if ln.counterparty and ln.counterparty == ln.partner:
            bad("counterparty", ln.counterparty, "a partner cannot pay itself", "leave it empty")
        key = (
            ln.partner,
            ln.year,
            ln.service,
            ln.source_service.lower(),
            ln.subservice,
            ln.area,
            ln.customer_group,
            ln.counterparty,
            ln.is_estimate,
            ln.basis,
            ln.account,
        )
        if key in seen:
            bad("service", ln.source_service, "two lines for the same thing", "merge them")
        seen.add(key)
    return problems


def to_arrow(lines: list[Line]) -> pa.Table:
    cols: dict[str, list[Any]] = {n: [] for n in LINE_SCHEMA.names}
    for ln in lines:
        for n in LINE_SCHEMA.names:
            cols[n].append(getattr(ln, n))
    return pa.table(cols, schema=LINE_SCHEMA)


def write_lines(
    ws: Workspace,
    lines: list[Line] | pa.Table,
    *,
    action: str,
    file: Path | str | None,
    sha256: str | None,
    detail: dict[str, Any] | None = None,
    before: Callable[[], None] | None = None,
    income: list[Income] | None = None,
) -> WriteResult:
    """Replace each (partner, year, account) in ``lines`` inside one ``ws.write``.

    A partner's revenue lines of a year are replaced by its new revenue lines, its capital
    lines by capital lines: importing a capital return leaves the revenue return alone.
    The income stated with the replaced lines goes with them; ``income`` (of the same
    partners, years and accounts) is written in its place.
    ``before`` runs first inside the same transaction (e.g. to add the partners the
    lines belong to), so partners and their lines land together or not at all.
    Callers check their lines first (:func:`check_lines`).
    """
    arrow = lines if isinstance(lines, pa.Table) else to_arrow(lines)
    totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    grouped = arrow.group_by(["partner", "year", "account"]).aggregate(
        [("amount_gbp", "sum"), ("amount_gbp", "count")]
    )
    for r in grouped.to_pylist():
        k = (r["partner"], r["year"])
        totals[k] += to_money(r["amount_gbp_sum"] or 0)
        counts[(r["partner"], r["year"], r["account"])] = int(r["amount_gbp_count"])
    result = WriteResult(arrow.num_rows, sum(totals.values(), ZERO), dict(totals))
    raise_if(_over_the_largest_total(arrow, str(Path(file).name if file else action)))
    with ws.write(action, file=file, sha256=sha256 or "", rows=arrow.num_rows) as info:
        if before is not None:
            before()
        now = datetime.now(UTC)
        for p, y, acc in sorted(counts):
            where = "partner = ? AND year = ? AND account = ?"
            ((old,),) = ws.con.execute(
                f"SELECT count(*) FROM spend_lines WHERE {where}", [p, y, acc]
            ).fetchall()
            if old:
                result.replaced[(p, y)] = result.replaced.get((p, y), 0) + int(old)
                ws.con.execute(f"DELETE FROM spend_lines WHERE {where}", [p, y, acc])
            ws.con.execute(f"DELETE FROM spend_income WHERE {where}", [p, y, acc])
            part = arrow.filter(
                pc.and_(
                    pc.and_(pc.equal(arrow["partner"], p), pc.equal(arrow["year"], y)),
                    pc.equal(arrow["account"], acc),
                )
            )
            ws.con.execute(
                "INSERT INTO spend_imports (partner, year, file, sha256, rows, total_gbp, "
                "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING import_id",
                [
                    p,
                    y,
                    ws.recorded_name(file) if file else action,
                    sha256 or "",
                    counts[(p, y, acc)],
                    to_money(pc.sum(part["amount_gbp"]).as_py() or 0),
                    now,
                ],
            )
            ((import_id,),) = ws.con.fetchall()
            ws.con.register("_incoming_lines", part)
            ws.con.execute(
                f"INSERT INTO spend_lines ({LINE_COLUMNS}) SELECT ?, "
                f"{LINE_COLUMNS.removeprefix('import_id, ')} FROM _incoming_lines",
                [import_id],
            )
            ws.con.unregister("_incoming_lines")
        _insert_income(ws, income or [], set(counts))
        info["detail"] = {
            **(detail or {}),
            "partner_years": len(totals),
            "total_gbp": str(result.total_gbp),
            "replaced": {f"{p} {y}": n for (p, y), n in result.replaced.items()},
        }
    return result


def _over_the_largest_total(arrow: pa.Table, label: str) -> list[Problem]:
    """A problem for each (partner, year) whose lines, credits counted as positive, add up
    to more than the place's database holds in one total: then every sum of them (the
    year's total, a service, a group in the map) fits DECIMAL(18, 2)."""
    gross = (
        arrow.append_column("gross", pc.abs(arrow["amount_gbp"]))
        .group_by(["partner", "year"])
        .aggregate([("gross", "sum")])
    )
    return [
        Problem(
            label,
            None,
            "amount_gbp",
            f"{r['partner']} {r['year']}: {fmt_gbp(r['gross_sum'])}",
            f"the lines of {r['partner']} in {r['year']} (credits counted as positive) add up "
            f"to more than {fmt_gbp(MAX_TOTAL)}, the largest total a place holds",
            "check the amounts are in pounds, not pence",
        )
        for r in sorted(gross.to_pylist(), key=lambda r: (r["partner"], r["year"]))
        if r["gross_sum"] is not None and r["gross_sum"] > MAX_TOTAL
    ]


def _insert_income(ws: Workspace, income: list[Income], written: set[tuple[str, str, str]]) -> None:
    """Insert ``income``; each row must belong to a (partner, year, account) just written."""
    stray = sorted({(i.partner, i.year, i.account) for i in income} - written)
    if stray:
        raise ValueError(f"income without lines of the same partner, year and account: {stray}")
    if income:
        ws.con.executemany(
            f"INSERT INTO spend_income ({INCOME_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    i.partner,
                    i.year,
                    i.service,
                    i.kind,
                    i.source_service,
                    i.amount_gbp,
                    i.account,
                    i.source,
                    i.source_row,
                ]
                for i in income
            ],
        )


def replace_with_sums(ws: Workspace, table: str, *, source: str) -> None:
    """Replace the spend lines of every (partner, year) in ``table`` by its rows, summed.

    ``table`` (a temporary table) has the columns partner, year, service, source_service,
    area, customer_group, counterparty, amount_gbp and n, the payments each row sums. Each
    (partner, year) gets one ``spend_imports`` row (file ``source``); each line says
    "``source``: n payments"; lines summing to £0 are left out. The lines are revenue
    payments (basis ``payments``) and replace the partner's revenue lines of the year;
    its capital lines stay. Call inside ``ws.write``.
    """
    con = ws.con
    now = datetime.now(UTC)
    con.execute(
        f"DELETE FROM spend_lines USING (SELECT DISTINCT partner, year FROM {table}) p "
        "WHERE spend_lines.partner = p.partner AND spend_lines.year = p.year "
        "AND spend_lines.account = 'revenue'"
    )
    con.execute(
        f"DELETE FROM spend_income USING (SELECT DISTINCT partner, year FROM {table}) p "
        "WHERE spend_income.partner = p.partner AND spend_income.year = p.year "
        "AND spend_income.account = 'revenue'"
    )
    con.execute(
        "INSERT INTO spend_imports (partner, year, file, sha256, rows, total_gbp, imported_at) "
        f"SELECT partner, year, ?, '', sum(n), sum(amount_gbp), ? FROM {table} GROUP BY ALL",
        [source, now],
    )
    con.execute(
        f"""
        INSERT INTO spend_lines (import_id, partner, year, service, source_service, subservice,
          area, customer_group, amount_gbp, counterparty, is_estimate, estimate_method, source,
          source_row, basis, account)
        SELECT i.import_id, a.partner, a.year, a.service, a.source_service,
          NULL, a.area, a.customer_group, sum(a.amount_gbp), a.counterparty, false, NULL,
          ? || ': ' || sum(a.n) || ' payments', NULL, 'payments', 'revenue'
        FROM {table} a JOIN spend_imports i
          ON i.partner = a.partner AND i.year = a.year AND i.imported_at = ? AND i.file = ?
        GROUP BY i.import_id, a.partner, a.year, a.service, a.source_service, a.area,
          a.customer_group, a.counterparty
        HAVING sum(a.amount_gbp) <> 0
        """,
        [source, now, source],
    )


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)
