"""Mapping a payment's department, service area and expense type to a service."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wholeplace.errors import InputError, Problem
from wholeplace.spend.taxonomy import ServiceMapping, services
from wholeplace.spend.transactions.headers import MAP_KEYS, header_key
from wholeplace.tabular import read_table


@dataclass(frozen=True)
class Rule:
    keys: dict[str, str]  # map key -> normalised value
    service: str
    customer_group: str | None
    area: str | None
    row: int


@dataclass
class TransactionMapping:
    """Department / service area / expense type -> service (and customer group, area).

    A CSV with any of the columns ``department, service_area, expense_type`` (blank =
    any) and ``service`` (a taxonomy code or name), optionally ``customer_group`` and
    ``area``. A transaction takes the rule that matches the most of its fields (the
    first such rule in the file on a tie). Values matching a taxonomy name or a
    published Revenue Outturn line (e.g. "Adult Social Care") map without a rule.
    """

    rules: list[Rule]
    file: str | None = None

    @classmethod
    def empty(cls) -> TransactionMapping:
        return cls([])

    def resolve(self, values: dict[str, str | None]) -> tuple[str, str | None, str | None, bool]:
        norm = {k: header_key(v) for k, v in values.items() if v}
        best: Rule | None = None
        for r in self.rules:
            matches = all(norm.get(k) == v for k, v in r.keys.items())
            if matches and (best is None or len(r.keys) > len(best.keys)):
                best = r
        if best is not None:
            return best.service, best.customer_group, best.area, True
        builtin = ServiceMapping.empty()
        for k in ("service_area", "department", "expense_type"):
            v = values.get(k)
            if v:
                code = builtin.resolve("", v)
                if code:
                    return code, None, None, True
        return "OTH", None, None, False


def read_transaction_mapping(path: Path) -> TransactionMapping:
    table = read_table(
        path,
        required=["service"],
        aliases={
            "directorate": "department",
            "service_code": "service",
            "expense_area": "service_area",
            "account": "expense_type",
            "expenses_type": "expense_type",
        },
    )
    known = services()
    builtin = ServiceMapping.empty()
    rules: list[Rule] = []
    problems: list[Problem] = []
    for row in table.rows:
        v = row.values
        keys = {k: header_key(v.get(k)) for k in MAP_KEYS if (v.get(k) or "").strip()}
        raw = (v.get("service") or "").strip()
        code = raw if raw in known else builtin.resolve("", raw) if raw else None
        if not keys:
            problems.append(
                Problem(
                    table.label,
                    row.number,
                    "department",
                    "",
                    "a rule needs a department, service_area or expense_type to match",
                    "fill in at least one of them",
                )
            )
        if code is None:
            problems.append(
                Problem(
                    table.label,
                    row.number,
                    "service",
                    raw,
                    "not a taxonomy code or name",
                    "use a code from `wholeplace spend services` (e.g. ASC, HTS)",
                )
            )
        if keys and code:
            rules.append(
                Rule(
                    keys,
                    code,
                    (v.get("customer_group") or "").strip() or None,
                    (v.get("area") or "").strip() or None,
                    row.number,
                )
            )
    if problems:
        raise InputError(problems)
    return TransactionMapping(rules, table.label)
