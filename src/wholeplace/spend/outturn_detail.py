"""An authority's detailed revenue outturn (RSX with the RO4, RO5 and RO6 lines), to the
finer services of the taxonomy.

The file is the JSON one authority's return is published in by a third party's parse of
MHCLG's RSX and RO workbooks (``by_year`` -> year -> ``detailed_services`` -> form ->
``services`` -> line -> ``net_current_expenditure`` / ``sales_fees_charges`` /
``other_income``, each ``value_thousands``); see ``docs/national.md``.

Each SeRCOP division of the RSX summary is one figure the return publishes. Where an RO form
itemises that division, its lines are written to the sub-divisions of the taxonomy (the RO
line names are in ``data/taxonomy/synonyms.csv``), and whatever the lines do not account for
(lines the file leaves empty, rounding) stays on the division itself as one line marked "not
itemised", so every division still adds up to the RSX figure to the penny. A sub-division
whose subtotal the form gives (``TOTAL HOMELESSNESS SERVICES``) takes the subtotal, not its
lines. Police and fire lines are left at the division: in these files they do not add up to
the division's figure. Every line is net current expenditure (``basis`` = ``net``); the
sales, fees and charges and the other income of each division are written as its income.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.errors import InputError, Problem, Problems
from wholeplace.money import MoneyError, input_amount, to_money
from wholeplace.partners import partner_ids
from wholeplace.spend.lines import Income, Line, WriteResult, check_lines, write_lines
from wholeplace.spend.outturn import SERVICE_COLUMNS, TOTAL_LABEL, _label_key
from wholeplace.spend.taxonomy import ServiceMapping, services
from wholeplace.workspace import Workspace, file_sha256
from wholeplace.years import YearError, parse_year

THOUSAND = Decimal(1000)
SUMMARY = "RSX"
DETAIL_FORMS = ("RO4", "RO5", "RO6")
# The divisions whose RO lines are itemised (police and fire are not: see the docstring).
ITEMISED = {"HSG", "CUL", "ENV", "PLN", "CEN"}
INCOME_KINDS = (("sales_fees_charges", "fees and charges"), ("other_income", "other income"))
_FIX = "use the authority's budgets JSON as published (see docs/national.md)"
MAX_FILE_BYTES = 50_000_000


@dataclass(frozen=True)
class DivisionDetail:
    """How much of one division the RO lines itemise."""

    code: str
    published_gbp: Decimal
    itemised_gbp: Decimal

    @property
    def not_itemised_gbp(self) -> Decimal:
        return self.published_gbp - self.itemised_gbp


@dataclass
class DetailResult:
    authority: str
    year: str
    divisions: list[DivisionDetail]
    written: WriteResult

    def to_json(self) -> dict[str, Any]:
        w = self.written
        return {
            "authority": self.authority,
            "year": self.year,
            "rows": w.rows,
            "total_gbp": str(w.total_gbp),
            "divisions": [
                {
                    "service": d.code,
                    "published_gbp": str(d.published_gbp),
                    "itemised_gbp": str(d.itemised_gbp),
                    "not_itemised_gbp": str(d.not_itemised_gbp),
                }
                for d in self.divisions
            ],
        }


def _division_of(label: str) -> str | None:
    key = _label_key(label)
    for prefix, code in SERVICE_COLUMNS:
        if key.startswith(prefix):
            return code
    return None


class _Reader:
    def __init__(self, label: str) -> None:
        self.problems = Problems(label)

    def fail(self, where: str, value: object, message: str, fix: str = _FIX) -> InputError:
        self.problems.add(None, where, _shown(value), message, fix)
        return self.problems.error()

    def mapping(self, parent: object, key: str, where: str) -> dict[str, Any]:
        value = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(value, dict):
            raise self.fail(f"{where}.{key}" if where else key, value, "missing or not an object")
        return value

    def amount(self, line: dict[str, Any], field: str, where: str) -> Decimal | None:
        """The line's ``field`` in pounds (None where the file leaves it empty)."""
        cell = line.get(field)
        if cell is None:
            return None
        if not isinstance(cell, dict):
            raise self.fail(f"{where}.{field}", cell, "not an object with value_thousands")
        value = cell.get("value_thousands")
        if value is None:
            return None
        try:
            return to_money(input_amount(value) * THOUSAND)
        except MoneyError as exc:
            raise self.fail(f"{where}.{field}.value_thousands", value, exc.message) from exc


def _shown(value: object) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def read_detail(
    path: Path, year: str | None
) -> tuple[str, str, list[Line], list[Income], list[DivisionDetail]]:
    """The authority's name, the year, its lines, income and how much of each division the
    lines itemise. Lines are written to partner ``""`` (the caller sets it)."""
    r = _Reader(path.name)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise r.fail("", f"{path.stat().st_size:,} bytes", "larger than any authority's return")
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise r.fail("", None, f"not JSON ({type(exc).__name__})", _FIX) from exc
    by_year = r.mapping(doc, "by_year", "")
    if year is None:
        with_detail = [
            y for y, v in by_year.items() if isinstance(v, dict) and v.get("detailed_services")
        ]
        if not with_detail:
            raise r.fail("by_year", ", ".join(by_year), "no year has detailed services")
        key = max(with_detail, key=lambda y: _year_or_none(y) or "")
    else:
        try:
            wanted = parse_year(year)
        except YearError as exc:
            raise InputError(
                [Problem("--year", None, None, year, str(exc), "write it as 2024/25")]
            ) from exc
        found = [y for y in by_year if _year_or_none(y) == wanted]
        if not found:
            raise r.fail(
                "by_year", year, "the file has no such year", f"use one of: {', '.join(by_year)}"
            )
        key = found[0]
    fy = _year_or_none(key)
    if fy is None:
        raise r.fail(f"by_year.{key}", key, "not a financial year", "write it as 2024/25")
    entry = by_year[key]
    name = str(entry.get("council_name") or doc.get("council_name") or path.stem)
    forms = r.mapping(entry, "detailed_services", f"by_year.{key}")
    where = f"by_year.{key}.detailed_services"
    summary = r.mapping(r.mapping(forms, SUMMARY, where), "services", f"{where}.{SUMMARY}")
    source = f"{path.name}, {key}, form {{form}} line {{line!r}}; £ thousand NCE"
    lines: list[Line] = []
    income: list[Income] = []
    published: dict[str, Decimal] = {}
    for label, line in summary.items():
        code = _division_of(label)
        if code is None or _label_key(label).startswith(TOTAL_LABEL):
            continue
        at = f"{where}.{SUMMARY}.services.{label}"
        if not isinstance(line, dict):
            raise r.fail(at, line, "not an object")
        nce = r.amount(line, "net_current_expenditure", at)
        published[code] = nce if nce is not None else Decimal("0.00")
        for field, kind in INCOME_KINDS:
            got = r.amount(line, field, at)
            if got:
                income.append(
                    Income(
                        "",
                        fy,
                        code,
                        kind,
                        label,
                        got,
                        source=source.format(form=SUMMARY, line=label),
                    )
                )
    itemised = _itemised(r, forms, where, source)
    divisions: list[DivisionDetail] = []
    for code, total in published.items():
        parts = (
            [ln for ln in itemised if services()[ln.service].division_code == code]
            if code in ITEMISED
            else []
        )
        done = sum((ln.amount_gbp for ln in parts), Decimal("0.00"))
        lines.extend(ln for ln in parts if ln.amount_gbp)
        rest = total - done
        if rest:
            division = services()[code].name
            lines.append(
                Line(
                    "",
                    fy,
                    code,
                    division if not parts else f"{division}: not itemised in the RO lines",
                    rest,
                    source=source.format(form=SUMMARY, line=division)
                    + ("" if not parts else f", less the {len(parts)} RO lines itemised"),
                    basis="net",
                )
            )
        if code in ITEMISED:
            divisions.append(DivisionDetail(code, total, done))
    return name, fy, lines, income, divisions


def _year_or_none(text: str) -> str | None:
    try:
        return parse_year(text)
    except YearError:
        return None


def _itemised(r: _Reader, forms: dict[str, Any], where: str, source: str) -> list[Line]:
    """The RO lines that name a sub-division, a subtotal taking the place of its lines."""
    names = ServiceMapping.empty()
    by_code: dict[str, list[Line]] = {}
    subtotal: dict[str, Line] = {}
    for form in DETAIL_FORMS:
        entries = forms.get(form)
        if entries is None:
            continue
        block = r.mapping(r.mapping(forms, form, where), "services", f"{where}.{form}")
        for label, line in block.items():
            code = names.resolve("", label)
            if code is None or code not in services() or services()[code].division_code == code:
                continue  # a division's total, or a line the taxonomy does not itemise
            at = f"{where}.{form}.services.{label}"
            if not isinstance(line, dict):
                raise r.fail(at, line, "not an object")
            nce = r.amount(line, "net_current_expenditure", at)
            if nce is None:
                continue
            ln = Line(
                "",
                "",
                code,
                label,
                nce,
                subservice=label,
                source=source.format(form=form, line=label),
                basis="net",
            )
            if label.upper().startswith("TOTAL "):
                subtotal[code] = ln
            else:
                by_code.setdefault(code, []).append(ln)
    out: list[Line] = []
    for code in sorted(set(by_code) | set(subtotal)):
        out.extend([subtotal[code]] if code in subtotal else by_code[code])
    return out


def import_outturn_detail(
    ws: Workspace, path: Path | str, *, partner: str, year: str | None = None
) -> DetailResult:
    """Import one authority's detailed outturn for ``year`` (default: the latest with detail)
    as ``partner``'s net current expenditure, replacing that partner's lines for the year."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), None, None, None, "file not found", "check the path")])
    if partner not in partner_ids(ws):  # one problem, not one per line
        raise InputError(
            [
                Problem(
                    "--partner",
                    None,
                    None,
                    partner,
                    "not a partner of this place",
                    f"add it first: wholeplace partners add --id {partner} --name ... --type ...",
                )
            ]
        )
    name, fy, lines, income, divisions = read_detail(path, year)
    lines = [_as(ln, partner, fy) for ln in lines]
    income = [
        Income(partner, fy, i.service, i.kind, i.source_service, i.amount_gbp, source=i.source)
        for i in income
    ]
    problems = check_lines(ws, lines, label=path.name)
    if problems:
        raise InputError(problems)
    written = write_lines(
        ws,
        lines,
        action="spend import-outturn-detail",
        file=path,
        sha256=file_sha256(path),
        detail={"authority": name, "year": fy, "partner": partner},
        income=income,
    )
    return DetailResult(name, fy, divisions, written)


def _as(ln: Line, partner: str, fy: str) -> Line:
    return Line(
        partner,
        fy,
        ln.service,
        ln.source_service,
        ln.amount_gbp,
        subservice=ln.subservice,
        source=ln.source,
        basis=ln.basis,
    )
