"""A pooled budget as an XLSX workbook (laid out as in docs/sharing.md): five sheets read
into the same mapping a pool's YAML gives, each cell checked with its sheet and row first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wholeplace.errors import InputError, Problem, Problems
from wholeplace.money import MoneyError, parse_amount
from wholeplace.tabular import Row, norm_header, read_table
from wholeplace.workbook_limits import check_workbook

XLSX_SHEETS = ("pool", "partners", "contributions", "outturn", "rules")


class _Sheets:
    """The problems of one workbook, and the checks its sheets share."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems = Problems(path.name)
        self.partners: dict[str, str] = {}

    def bad(self, sheet: str, row: int, col: str, value: str, message: str, fix: str) -> None:
        self.problems.add(row, col, value or None, message, fix, sheet=sheet)

    def rows(self, sheet: str, required: list[str]) -> list[Row]:
        return read_table(self.path, required=required, sheet=sheet).rows

    def money(self, sheet: str, row: Row, col: str, blank_zero: bool = False) -> str | None:
        """The amount as written, once checked (the pool's parser reads it again)."""
        text = row.values.get(col, "").strip()
        if not text and blank_zero:
            return "0"
        try:
            negative = parse_amount(text) < 0
        except MoneyError as exc:
            if exc.reason == "not_amount":
                self.bad(
                    sheet,
                    row.number,
                    col,
                    text,
                    "this is not an amount of money",
                    "write e.g. 12500",
                )
            else:
                self.bad(sheet, row.number, col, text, exc.message, exc.fix)
            return None
        if negative:
            self.bad(
                sheet, row.number, col, text, "the amount is negative", "write a positive amount"
            )
            return None
        return text

    def partner(self, sheet: str, row: Row) -> str | None:
        p = row.values.get("partner", "").strip()
        if p not in self.partners:
            self.bad(
                sheet,
                row.number,
                "partner",
                p,
                "unknown partner",
                f"use an id from the partners sheet: {', '.join(self.partners)}",
            )
            return None
        return p


def _check_sheets(path: Path) -> None:
    import openpyxl

    check_workbook(path)
    try:
        names = openpyxl.load_workbook(path, read_only=True).sheetnames
    except Exception as exc:
        raise InputError([Problem.unreadable_workbook(path.name, exc)]) from exc
    missing = [s for s in XLSX_SHEETS if s not in names]
    if missing:
        p = Problems(path.name)
        p.add(
            None,
            None,
            ", ".join(names),
            f"missing sheets: {', '.join(missing)}",
            "a pool workbook has sheets pool, partners, contributions, outturn and rules; "
            "see docs/sharing.md",
        )
        p.raise_if_any()


def _settings(s: _Sheets, raw: dict[str, Any]) -> None:
    for row in s.rows("pool", ["key", "value"]):
        k = row.values["key"].strip().lower()
        if k in ("name", "host", "source"):
            raw[k] = row.values["value"].strip()
        elif k == "services":
            raw["services"] = [x.strip() for x in row.values["value"].split(",") if x.strip()]
        else:
            s.bad(
                "pool",
                row.number,
                "key",
                k,
                "unknown setting",
                "use name, host, services or source",
            )


def _contributions(s: _Sheets, raw: dict[str, Any]) -> None:
    contributions: dict[str, dict[str, Any]] = {}
    years: list[str] = []
    for row in s.rows("contributions", ["year", "partner", "cash"]):
        y = row.values["year"].strip()
        if y not in years:
            years.append(y)
        p = s.partner("contributions", row)
        cash = s.money("contributions", row, "cash")
        kind = s.money("contributions", row, "in_kind", blank_zero=True)
        if p and cash is not None and kind is not None:
            contributions.setdefault(y, {})[p] = {"cash": cash, "in_kind": kind}
    raw["years"], raw["contributions"] = years, contributions


def _outturn(s: _Sheets, raw: dict[str, Any]) -> None:
    outturn: dict[str, Any] = {}
    for row in s.rows("outturn", ["year", "outturn"]):
        m = s.money("outturn", row, "outturn")
        kind = (row.values.get("kind") or "actual").strip().lower() or "actual"
        if kind not in ("actual", "forecast"):
            s.bad(
                "outturn",
                row.number,
                "kind",
                kind,
                "must be actual or forecast",
                "write actual or forecast",
            )
        elif m is not None:
            outturn[row.values["year"].strip()] = {kind: m}
    raw["outturn"] = outturn


def _rules(s: _Sheets, raw: dict[str, Any]) -> None:
    rules: dict[str, dict[str, Any]] = {}
    for row in s.rows("rules", ["applies_to", "split"]):
        which = row.values["applies_to"].strip().lower()
        if which not in ("overspend", "underspend"):
            s.bad(
                "rules",
                row.number,
                "applies_to",
                which,
                "must be overspend or underspend",
                "write overspend or underspend",
            )
            continue
        rule = rules.setdefault(which, {"tiers": []})
        split = row.values["split"].strip().lower()
        cols = {p: row.values.get(norm_header(p), "").strip() for p in s.partners}
        if split == "cap":
            rule["caps"] = {p: v for p, v in cols.items() if v}
            continue
        tier: dict[str, Any] = {
            "split": {"fixed": {p: v for p, v in cols.items() if v}} if split == "fixed" else split
        }
        up = row.values.get("up_to", "").strip()
        if up:
            tier["up_to"] = up
        rule["tiers"].append(tier)
    for which, rule in rules.items():
        if not rule["tiers"]:
            del rule["tiers"]
        raw[which] = rule


def pool_xlsx_to_raw(path: Path) -> dict[str, Any]:
    """Read the five sheets (pool, partners, contributions, outturn, rules) into the same
    mapping the YAML gives, checking each cell with its sheet and row first."""
    _check_sheets(path)
    s = _Sheets(path)
    raw: dict[str, Any] = {}
    _settings(s, raw)
    for row in s.rows("partners", ["id", "name"]):
        s.partners[row.values["id"].strip()] = (
            row.values["name"].strip() or row.values["id"].strip()
        )
    raw["partners"] = s.partners
    _contributions(s, raw)
    _outturn(s, raw)
    _rules(s, raw)
    s.problems.raise_if_any()
    return raw
