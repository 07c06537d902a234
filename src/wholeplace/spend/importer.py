"""Importing a partner's spend: validate every line, then write all or nothing."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from wholeplace.errors import InputError, Problem
from wholeplace.money import MoneyError, parse_amount
from wholeplace.partners import partner_ids
from wholeplace.spend.lines import LINE_SCHEMA, write_lines
from wholeplace.spend.taxonomy import ServiceMapping, read_mapping, services
from wholeplace.tabular import read_table
from wholeplace.workspace import Workspace, file_sha256
from wholeplace.years import YearError, parse_year

COLUMNS = [
    "partner",
    "year",
    "service",
    "subservice",
    "area",
    "customer_group",
    "amount_gbp",
    "counterparty",
    "estimate",
    "estimate_method",
    "source",
]
ALIASES = {
    "amount": "amount_gbp",
    "gross_expenditure": "amount_gbp",
    "expenditure": "amount_gbp",
    "amount_gbp_gbp": "amount_gbp",
    "gbp": "amount_gbp",
    "partner_id": "partner",
    "financial_year": "year",
    "service_name": "service",
    "service_code": "service",
    "sub_service": "subservice",
    "customer": "customer_group",
    "client_group": "customer_group",
    "is_estimate": "estimate",
    "paid_to": "counterparty",
}
_YES = {"yes", "y", "true", "1", "estimate", "estimated"}
_NO = {"", "no", "n", "false", "0"}


@dataclass
class ImportResult:
    file: str
    rows: int
    total_gbp: Decimal
    by_partner_year: dict[tuple[str, str], Decimal]
    replaced: dict[tuple[str, str], int] = field(default_factory=dict)
    skipped_footer_rows: list[int] = field(default_factory=list)
    encoding: str | None = None


def _none_if_blank(s: str | None) -> str | None:
    s = (s or "").strip()
    return s or None


def import_spend(
    ws: Workspace,
    path: Path | str,
    *,
    partner: str | None = None,
    year: str | None = None,
    mapping: Path | str | ServiceMapping | None = None,
    sheet: str | None = None,
    allow_credits: bool = False,
) -> ImportResult:
    """Validate ``path`` completely, then replace each (partner, year) it holds.

    Raises :class:`InputError` listing every problem of the file; the workspace is then
    untouched.
    """
    path = Path(path)
    if isinstance(mapping, (str, Path)):
        mapping = read_mapping(Path(mapping))
    mapping = mapping or ServiceMapping.empty()

    table = read_table(path, required=["service", "amount_gbp"], aliases=ALIASES, sheet=sheet)
    label = table.label
    sheet_name = table.sheet
    problems: list[Problem] = []

    def problem(row: int | None, col: str | None, value: str | None, msg: str, fix: str) -> None:
        problems.append(Problem(label, row, col, value, msg, fix, sheet=sheet_name))

    fixed_year: str | None = None
    if year is not None:
        try:
            fixed_year = parse_year(year)
        except YearError:
            problem(None, None, year, "--year is not a financial year", "write it as 2024/25")
    if partner is None and "partner" not in table.columns:
        problem(
            table.header_row,
            "partner",
            None,
            "no partner column",
            "add a 'partner' column or pass --partner ID",
        )
    if year is None and "year" not in table.columns:
        problem(
            table.header_row, "year", None, "no year column", "add a 'year' column or pass --year"
        )
    if problems:
        raise InputError(problems)

    known_partners = partner_ids(ws)
    known_areas = {r[0] for r in ws.con.execute("SELECT code FROM areas").fetchall()}
    area_names = {
        r[1].lower(): r[0] for r in ws.con.execute("SELECT code, name FROM areas").fetchall()
    }
    if partner is not None and partner not in known_partners:
        problem(
            None,
            "partner",
            partner,
            "--partner is not a partner of this place",
            _partner_fix(partner, known_partners),
        )

    records: dict[str, list[object]] = {name: [] for name in LINE_SCHEMA.names}
    unmapped: dict[tuple[str, str], list[int]] = defaultdict(list)
    seen: dict[tuple[object, ...], int] = {}
    totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: Decimal("0.00"))

    for row in table.rows:
        v = row.values
        n = row.number
        ok = True

        p = (v.get("partner") or "").strip() or partner or ""
        if partner is not None and v.get("partner", "").strip() not in ("", partner):
            problem(
                n,
                "partner",
                v.get("partner"),
                f"this file is being imported for partner {partner!r}",
                f"correct the row, or import without --partner {partner}",
            )
            ok = False
        elif not p:
            problem(n, "partner", "", "missing partner", "fill in the partner id")
            ok = False
        elif p not in known_partners and partner is None:
            problem(n, "partner", p, "not a partner of this place", _partner_fix(p, known_partners))
            ok = False

        raw_year = (v.get("year") or "").strip()
        y: str | None = None
        if raw_year:
            try:
                y = parse_year(raw_year)
            except YearError:
                problem(n, "year", raw_year, "not a financial year", "write it as 2024/25")
                ok = False
            if y and fixed_year and y != fixed_year:
                problem(
                    n,
                    "year",
                    raw_year,
                    f"the file is being imported as {fixed_year}",
                    f"correct the row, or import with --year {y}",
                )
                ok = False
        elif fixed_year:
            y = fixed_year
        else:
            problem(n, "year", "", "missing year", "fill in the financial year, e.g. 2024/25")
            ok = False

        raw_service = (v.get("service") or "").strip()
        code: str | None = None
        if not raw_service:
            problem(
                n, "service", "", "missing service", "fill in the service name or taxonomy code"
            )
            ok = False
        else:
            code = mapping.resolve(p, raw_service)
            if code is None:
                unmapped[(p, raw_service)].append(n)
                ok = False

        raw_amount = v.get("amount_gbp") or ""
        amount: Decimal | None = None
        try:
            amount = parse_amount(raw_amount)
        except MoneyError:
            problem(
                n,
                "amount_gbp",
                raw_amount,
                "not an amount of money" if raw_amount.strip() else "missing amount",
                "write pounds as a number, e.g. 1234567.89 (no text, one value per cell)",
            )
            ok = False
        if amount is not None and amount < 0 and not allow_credits:
            problem(
                n,
                "amount_gbp",
                raw_amount,
                "negative amount: amount_gbp is gross expenditure",
                "record income separately, or re-run with --allow-credits if these are refunds",
            )
            ok = False

        area = _none_if_blank(v.get("area"))
        if area and known_areas and area not in known_areas:
            if area.lower() in area_names:
                area = area_names[area.lower()]
            else:
                close = difflib.get_close_matches(area, sorted(known_areas), n=1)
                problem(
                    n,
                    "area",
                    area,
                    "not an area of this place",
                    (f"did you mean {close[0]!r}? " if close else "")
                    + "use an area code from `wholeplace areas list`, or leave it empty",
                )
                ok = False

        counterparty = _none_if_blank(v.get("counterparty"))
        if counterparty and counterparty == p:
            problem(
                n,
                "counterparty",
                counterparty,
                "a partner cannot pay itself",
                "leave counterparty empty or name the partner that was paid",
            )
            ok = False

        raw_est = (v.get("estimate") or "").strip().lower()
        if raw_est in _YES:
            is_estimate = True
        elif raw_est in _NO:
            is_estimate = False
        else:
            problem(n, "estimate", v.get("estimate"), "not yes or no", "write yes or no")
            ok = False
            is_estimate = False
        method = _none_if_blank(v.get("estimate_method"))
        if is_estimate and not method:
            problem(
                n,
                "estimate_method",
                "",
                "an estimated line must say how it was estimated",
                "describe the method, e.g. 'regional spend x population share'",
            )
            ok = False

        if not ok:
            continue
        assert y is not None and code is not None and amount is not None
        key = (
            p,
            y,
            code,
            raw_service.lower(),
            _none_if_blank(v.get("subservice")),
            area,
            _none_if_blank(v.get("customer_group")),
            amount,
            counterparty,
        )
        if key in seen:
            problem(
                n,
                None,
                f"{raw_service} {raw_amount}",
                f"duplicate of row {seen[key]}",
                "delete one of the two rows, or give them different subservice names",
            )
            continue
        seen[key] = n
        totals[(p, y)] += amount
        for name, value in (
            ("partner", p),
            ("year", y),
            ("service", code),
            ("source_service", raw_service),
            ("subservice", _none_if_blank(v.get("subservice"))),
            ("area", area),
            ("customer_group", _none_if_blank(v.get("customer_group"))),
            ("amount_gbp", amount),
            ("counterparty", counterparty),
            ("is_estimate", is_estimate),
            ("estimate_method", method),
            ("source", _none_if_blank(v.get("source"))),
            ("source_row", n),
        ):
            records[name].append(value)

    for (p, name), rows in sorted(unmapped.items()):
        problems.append(_unmapped_problem(label, sheet_name, p, name, rows))
    if not table.rows:
        problem(None, None, None, "the file has no data rows", "add one row per spend line")
    if problems:
        problems.sort(key=lambda q: (q.row is None, q.row or 0))
        raise InputError(problems)

    arrow = pa.table(records, schema=LINE_SCHEMA)
    sha = file_sha256(path)
    result = ImportResult(
        label,
        arrow.num_rows,
        sum(totals.values(), Decimal("0.00")),
        dict(totals),
        skipped_footer_rows=table.skipped_footer,
        encoding=table.encoding,
    )
    written = write_lines(
        ws,
        arrow,
        action="spend import",
        file=path,
        sha256=sha,
        detail={"partner_year_list": [f"{p} {y}" for p, y in sorted(totals)]},
    )
    result.replaced = written.replaced
    return result


def _partner_fix(pid: str, known: set[str]) -> str:
    close = difflib.get_close_matches(pid, sorted(known), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return hint + f"add it first: wholeplace partners add --id {pid} --name ... --type ..."


def _unmapped_problem(
    label: str, sheet: str | None, partner: str, name: str, rows: list[int]
) -> Problem:
    by_name = {s.name.lower(): s.code for s in services().values()}
    close = difflib.get_close_matches(name.lower(), list(by_name), n=1, cutoff=0.5)
    code = by_name[close[0]] if close else "CODE"
    shown = ", ".join(str(r) for r in rows[:10]) + (" ..." if len(rows) > 10 else "")
    quoted = f'"{name}"' if "," in name else name
    return Problem(
        label,
        rows[0],
        "service",
        name,
        f"service not in the taxonomy or the mapping (rows {shown})",
        f"add this line to your mapping file (partner,source_service,service): "
        f"{partner},{quoted},{code}" + ("" if close else "  (see `wholeplace spend services`)"),
        sheet=sheet,
    )
