"""Importing a partner's spend: validate every line, then write all or nothing."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from wholeplace.errors import InputError, Notice, Problem
from wholeplace.labels import match_key
from wholeplace.money import ZERO, MoneyError, parse_amount, parse_amount_exact, to_money
from wholeplace.partners import partner_ids
from wholeplace.spend.lines import ACCOUNTS, BASES, LINE_SCHEMA, Income, write_lines
from wholeplace.spend.taxonomy import ServiceMapping, read_mapping, services
from wholeplace.tabular import TableFile, read_table
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
    "basis",
    "account",
    "fees_and_charges_gbp",
    "other_income_gbp",
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
    "revenue_or_capital": "account",
    "fees_and_charges": "fees_and_charges_gbp",
    "sales_fees_and_charges": "fees_and_charges_gbp",
    "sales_fees_and_charges_gbp": "fees_and_charges_gbp",
    "other_income": "other_income_gbp",
}
# Income columns: what a return says was taken off (net) or earned beside (gross) a line.
INCOME_COLUMNS = {"fees_and_charges_gbp": "fees and charges", "other_income_gbp": "other income"}
_YES = {"yes", "y", "true", "1", "estimate", "estimated"}
# What a person may write in the basis column: the code or its name.
_BASIS_NAMES = {match_key(k): k for k in BASES} | {match_key(v): k for k, v in BASES.items()}
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
    notices: list[Notice] = field(default_factory=list)


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
    table = read_table(path, required=["service", "amount_gbp"], aliases=ALIASES, sheet=sheet)
    check = _FileCheck(table, partner, mapping or ServiceMapping.empty(), allow_credits)
    check.options(year)
    check.against_place(ws)
    for row in table.rows:
        check.row(row.number, row.values)
    check.finish(not table.rows)

    arrow = pa.table(check.records, schema=LINE_SCHEMA)
    totals = check.totals
    result = ImportResult(
        table.label,
        arrow.num_rows,
        sum(totals.values(), Decimal("0.00")),
        dict(totals),
        skipped_footer_rows=table.skipped_footer,
        encoding=table.encoding,
        notices=check.notices(),
    )
    written = write_lines(
        ws,
        arrow,
        action="spend import",
        file=path,
        sha256=file_sha256(path),
        detail={"partner_year_list": [f"{p} {y}" for p, y in sorted(totals)]},
        income=check.income,
    )
    result.replaced = written.replaced
    return result


class _FileCheck:
    """Every check of one spend file: problems collected, good lines kept as columns."""

    def __init__(
        self, table: TableFile, partner: str | None, mapping: ServiceMapping, allow_credits: bool
    ) -> None:
        self.table = table
        self.label = table.label
        self.sheet = table.sheet
        self.partner = partner
        self.mapping = mapping
        self.allow_credits = allow_credits
        self.problems: list[Problem] = []
        self.fixed_year: str | None = None
        self.known_partners: set[str] = set()
        self.known_areas: set[str] = set()
        self.area_names: dict[str, str] = {}
        self.records: dict[str, list[object]] = {name: [] for name in LINE_SCHEMA.names}
        self.income: list[Income] = []
        self.unmapped: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.seen: dict[tuple[object, ...], int] = {}
        self.totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: Decimal("0.00"))
        self.rounded: list[int] = []  # rows whose amount had more than 2 decimal places

    def problem(
        self, row: int | None, col: str | None, value: str | None, msg: str, fix: str
    ) -> None:
        self.problems.append(Problem(self.label, row, col, value, msg, fix, sheet=self.sheet))

    def options(self, year: str | None) -> None:
        """The command line's --partner and --year against the file's columns."""
        table = self.table
        if year is not None:
            try:
                self.fixed_year = parse_year(year)
            except YearError:
                self.problem(
                    None, None, year, "--year is not a financial year", "write it as 2024/25"
                )
        if self.partner is None and "partner" not in table.columns:
            self.problem(
                table.header_row,
                "partner",
                None,
                "no partner column",
                "add a 'partner' column or pass --partner ID",
            )
        if year is None and "year" not in table.columns:
            self.problem(
                table.header_row,
                "year",
                None,
                "no year column",
                "add a 'year' column or pass --year",
            )
        if self.problems:
            raise InputError(self.problems)

    def against_place(self, ws: Workspace) -> None:
        """Read the place's partners and areas; --partner must be one of them."""
        self.known_partners = partner_ids(ws)
        areas = ws.con.execute("SELECT code, name FROM areas").fetchall()
        self.known_areas = {r[0] for r in areas}
        self.area_names = {r[1].lower(): r[0] for r in areas}
        p = self.partner
        if p is not None and p not in self.known_partners:
            self.problem(
                None,
                "partner",
                p,
                "--partner is not a partner of this place",
                _partner_fix(p, self.known_partners),
            )

    def row(self, n: int, v: dict[str, str]) -> None:
        """Check one row; keep it as a line if it is good."""
        p, ok = self._partner(n, v)
        y = self._year(n, v)
        raw_service = (v.get("service") or "").strip()
        code = self._service(n, p, raw_service)
        basis, account, kind_ok = self._kind(n, v)
        income, income_ok = self._income(n, v)
        kind_ok = kind_ok and income_ok
        raw_amount = v.get("amount_gbp") or ""
        amount = self._amount(n, raw_amount, basis)
        area, area_ok = self._area(n, v)
        counterparty = _none_if_blank(v.get("counterparty"))
        if counterparty and counterparty == p:
            self.problem(
                n,
                "counterparty",
                counterparty,
                "a partner cannot pay itself",
                "leave counterparty empty or name the partner that was paid",
            )
            ok = False
        is_estimate, method, est_ok = self._estimate(n, v)
        if (
            not (ok and area_ok and est_ok and kind_ok)
            or y is None
            or code is None
            or amount is None
        ):
            return
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
            basis,
            account,
        )
        if key in self.seen:
            self.problem(
                n,
                None,
                f"{raw_service} {raw_amount}",
                f"duplicate of row {self.seen[key]}",
                "delete one of the two rows, or give them different subservice names",
            )
            return
        self.seen[key] = n
        self.totals[(p, y)] += amount
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
            ("basis", basis),
            ("account", account),
        ):
            self.records[name].append(value)
        source = _none_if_blank(v.get("source"))
        for kind, amt in income:
            self.income.append(
                Income(p, y, code, kind, raw_service, amt, account, source, source_row=n)
            )

    def _partner(self, n: int, v: dict[str, str]) -> tuple[str, bool]:
        partner = self.partner
        p = (v.get("partner") or "").strip() or partner or ""
        if partner is not None and v.get("partner", "").strip() not in ("", partner):
            self.problem(
                n,
                "partner",
                v.get("partner"),
                f"this file is being imported for partner {partner!r}",
                f"correct the row, or import without --partner {partner}",
            )
            return p, False
        if not p:
            self.problem(n, "partner", "", "missing partner", "fill in the partner id")
            return p, False
        if p not in self.known_partners and partner is None:
            self.problem(
                n, "partner", p, "not a partner of this place", _partner_fix(p, self.known_partners)
            )
            return p, False
        return p, True

    def _year(self, n: int, v: dict[str, str]) -> str | None:
        """The row's year, or None (with a problem) when it is wrong."""
        raw_year = (v.get("year") or "").strip()
        fixed = self.fixed_year
        if not raw_year:
            if fixed:
                return fixed
            self.problem(n, "year", "", "missing year", "fill in the financial year, e.g. 2024/25")
            return None
        try:
            y = parse_year(raw_year)
        except YearError:
            self.problem(n, "year", raw_year, "not a financial year", "write it as 2024/25")
            return None
        if fixed and y != fixed:
            self.problem(
                n,
                "year",
                raw_year,
                f"the file is being imported as {fixed}",
                f"correct the row, or import with --year {y}",
            )
            return None
        return y

    def _service(self, n: int, p: str, raw_service: str) -> str | None:
        if not raw_service:
            self.problem(
                n, "service", "", "missing service", "fill in the service name or taxonomy code"
            )
            return None
        code = self.mapping.resolve(p, raw_service)
        if code is None:
            self.unmapped[(p, raw_service)].append(n)
        return code

    def _kind(self, n: int, v: dict[str, str]) -> tuple[str, str, bool]:
        """The row's basis and account: (basis, account, both fine). Blank = gross revenue,
        what the canonical layout means by ``amount_gbp``."""
        ok = True
        raw_basis = (v.get("basis") or "").strip()
        basis = _BASIS_NAMES.get(match_key(raw_basis)) if raw_basis else "gross"
        if basis is None:
            self.problem(
                n,
                "basis",
                raw_basis,
                "not a basis",
                "write gross (gross expenditure), net (net current expenditure) or payments",
            )
            ok = False
        raw_account = (v.get("account") or "").strip()
        account = match_key(raw_account) if raw_account else "revenue"
        if account not in ACCOUNTS:
            self.problem(n, "account", raw_account, "not an account", "write revenue or capital")
            ok = False
        return basis or "gross", account, ok

    def _income(self, n: int, v: dict[str, str]) -> tuple[list[tuple[str, Decimal]], bool]:
        """The income the row states beside its amount: [(kind, £)], and whether all is fine."""
        out: list[tuple[str, Decimal]] = []
        ok = True
        for col, kind in INCOME_COLUMNS.items():
            raw = (v.get(col) or "").strip()
            if not raw:
                continue
            try:
                amt = parse_amount(raw)
            except MoneyError:
                self.problem(
                    n, col, raw, "not an amount of money", "write pounds, e.g. 30000000.00"
                )
                ok = False
                continue
            if amt:
                out.append((kind, amt))
        return out, ok

    def _amount(self, n: int, raw_amount: str, basis: str = "gross") -> Decimal | None:
        try:
            exact = parse_amount_exact(raw_amount)
        except MoneyError as exc:
            self.problem(n, "amount_gbp", raw_amount, exc.message, exc.fix)
            return None
        amount = to_money(exact) or ZERO
        if amount != exact:
            self.rounded.append(n)
        # Net current expenditure is negative where income exceeds spending (parking).
        if amount < 0 and basis == "gross" and not self.allow_credits:
            self.problem(
                n,
                "amount_gbp",
                raw_amount,
                "negative amount: amount_gbp is gross expenditure",
                "record income separately, or re-run with --allow-credits if these are refunds",
            )
            return None
        return amount

    def _area(self, n: int, v: dict[str, str]) -> tuple[str | None, bool]:
        area = _none_if_blank(v.get("area"))
        if not area or not self.known_areas or area in self.known_areas:
            return area, True
        if area.lower() in self.area_names:
            return self.area_names[area.lower()], True
        close = difflib.get_close_matches(area, sorted(self.known_areas), n=1)
        self.problem(
            n,
            "area",
            area,
            "not an area of this place",
            (f"did you mean {close[0]!r}? " if close else "")
            + "use an area code from `wholeplace areas list`, or leave it empty",
        )
        return area, False

    def _estimate(self, n: int, v: dict[str, str]) -> tuple[bool, str | None, bool]:
        """(is an estimate, its method, both fine)."""
        ok = True
        raw_est = (v.get("estimate") or "").strip().lower()
        is_estimate = raw_est in _YES
        if not is_estimate and raw_est not in _NO:
            self.problem(n, "estimate", v.get("estimate"), "not yes or no", "write yes or no")
            ok = False
        method = _none_if_blank(v.get("estimate_method"))
        if is_estimate and not method:
            self.problem(
                n,
                "estimate_method",
                "",
                "an estimated line must say how it was estimated",
                "describe the method, e.g. 'regional spend x population share'",
            )
            ok = False
        return is_estimate, method, ok

    def notices(self) -> list[Notice]:
        """What the user should check though it did not stop the import."""
        n = len(self.rounded)
        return [Notice.rounded(self.label, n, self.rounded[:10])] if n else []

    def finish(self, empty: bool) -> None:
        """Raise every problem of the file, in row order (unmapped services included)."""
        for (p, name), rows in sorted(self.unmapped.items()):
            self.problems.append(_unmapped_problem(self.label, self.sheet, p, name, rows))
        if empty:
            self.problem(
                None, None, None, "the file has no data rows", "add one row per spend line"
            )
        if self.problems:
            self.problems.sort(key=lambda q: (q.row is None, q.row or 0))
            raise InputError(self.problems)


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
