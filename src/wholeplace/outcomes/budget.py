"""The budget profile against actuals: each intervention's budget profiled by month, the
actual spend by month, the variance, and a forecast outturn.

A CSV or XLSX with the columns ``intervention, month, budget, actual``: one row a month of one
financial year for each intervention (a service id of the framework); ``actual`` is left blank
for a month not yet spent. The rules (docs/outcomes.md):

- variance = actual - budget, for each month with an actual (above zero: overspent);
- forecast outturn = the actual spend to date + the budget of the months without an actual;
- forecast variance = forecast outturn - the year's budget.

Money is exact (``Decimal``, to the penny). Every problem of the file is collected first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.errors import Problems
from wholeplace.money import ZERO, MoneyError, parse_amount_exact, to_money
from wholeplace.tabular import read_table
from wholeplace.years import year_label

COLUMNS = ("intervention", "month", "budget", "actual")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def financial_year(month: str) -> str | None:
    """The financial year (April to March) of ``YYYY-MM``, or None if it is not a month."""
    m = _MONTH.match(month.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1990 <= int(m.group(1)) <= 2100:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    return year_label(y if mo >= 4 else y - 1)


@dataclass(frozen=True)
class Month:
    intervention: str
    month: str  # YYYY-MM
    budget: Decimal
    actual: Decimal | None  # None: not spent yet

    @property
    def variance(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.budget

    def to_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "budget": self.budget,
            "actual": self.actual,
            "variance": self.variance,
        }


@dataclass(frozen=True)
class Profile:
    """One intervention's year: its months, totals, variance and forecast outturn."""

    intervention: str
    name: str
    year: str
    months: tuple[Month, ...]

    @property
    def budget(self) -> Decimal:
        return sum((m.budget for m in self.months), ZERO)

    @property
    def budget_to_date(self) -> Decimal:
        return sum((m.budget for m in self.months if m.actual is not None), ZERO)

    @property
    def actual_to_date(self) -> Decimal:
        return sum((m.actual for m in self.months if m.actual is not None), ZERO)

    @property
    def variance_to_date(self) -> Decimal:
        return self.actual_to_date - self.budget_to_date

    @property
    def forecast_outturn(self) -> Decimal:
        return self.actual_to_date + sum((m.budget for m in self.months if m.actual is None), ZERO)

    @property
    def forecast_variance(self) -> Decimal:
        return self.forecast_outturn - self.budget

    def to_json(self) -> dict[str, Any]:
        return {
            "intervention": self.intervention,
            "name": self.name,
            "year": self.year,
            "budget": self.budget,
            "budget_to_date": self.budget_to_date,
            "actual_to_date": self.actual_to_date,
            "variance_to_date": self.variance_to_date,
            "forecast_outturn": self.forecast_outturn,
            "forecast_variance": self.forecast_variance,
            "months": [m.to_json() for m in self.months],
        }


def _amount(p: Problems, n: int, col: str, raw: str) -> Decimal | None:
    try:
        exact = parse_amount_exact(raw)
    except MoneyError as exc:
        p.add(n, col, raw, exc.message, exc.fix)
        return None
    if to_money(exact) != exact:
        p.add(n, col, raw, "more than two decimal places", "give pounds to the penny, e.g. 1250.50")
        return None
    return exact


def read_budget(path: Path, services: dict[str, str]) -> list[Month]:
    """The months of ``path``, checked against the framework's ``services`` (id -> name)."""
    table = read_table(path, required=("intervention", "month", "budget"))
    p = Problems(table.label, sheet=table.sheet)
    out: list[Month] = []
    seen: dict[tuple[str, str], int] = {}
    years: dict[str, tuple[str, int]] = {}
    for row in table.rows:
        v, n = row.values, row.number
        who = v.get("intervention", "")
        if who not in services:
            p.add(
                n,
                "intervention",
                who or None,
                "not a service or intervention of the framework",
                "use the id of a service of `wholeplace outcomes report --json` (services)",
            )
        month = v.get("month", "").strip()
        year = financial_year(month)
        if year is None:
            p.add(n, "month", month or None, "not a month", "write the month as 2024-04")
        elif who in services:
            first = years.setdefault(who, (year, n))
            if first[0] != year:
                p.add(
                    n,
                    "month",
                    month,
                    f"in {year}, but this intervention's profile is for {first[0]} "
                    f"(row {first[1]})",
                    "give one financial year's profile (April to March) for each intervention",
                )
            key = (who, month)
            if key in seen:
                p.add(
                    n,
                    "month",
                    month,
                    f"this intervention and month are given twice (first on row {seen[key]})",
                    "keep one row for each intervention and month",
                )
            else:
                seen[key] = n
        budget = _amount(p, n, "budget", v.get("budget", ""))
        if budget is not None and budget < 0:
            p.add(
                n, "budget", v.get("budget"), "a negative budget", "profile the budget as 0 or more"
            )
            budget = None
        raw_actual = v.get("actual", "").strip()
        actual = _amount(p, n, "actual", raw_actual) if raw_actual else None
        if budget is not None and year is not None and who in services:
            if raw_actual and actual is None:
                continue
            out.append(Month(who, month, budget, actual))
    if not table.rows:
        p.add(None, None, None, "the file has no budget rows", "add a row under the header")
    p.raise_if_any()
    return out


def profiles(months: list[Month], services: dict[str, str]) -> list[Profile]:
    """Each intervention's profile, in the framework's order of services, months in order."""
    out = []
    for sid, name in services.items():
        mine = sorted((m for m in months if m.intervention == sid), key=lambda m: m.month)
        if mine:
            year = financial_year(mine[0].month) or ""
            out.append(Profile(sid, name, year, tuple(mine)))
    return out
