"""Observations: the values of indicators and measures by period and area, from CSV or XLSX.

Columns ``indicator, period, area, value, numerator, denominator, note``. A period is
written as its indicator's frequency asks: a month ``2024-04``, a financial quarter
``2024/25 Q1`` (April to June) or a financial year ``2024/25``. Every problem of the file is
collected before anything is written.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.errors import Problems
from wholeplace.outcomes.model import Framework
from wholeplace.tabular import read_table
from wholeplace.years import YearError, end_of, parse_year

COLUMNS = ("indicator", "period", "area", "value", "numerator", "denominator", "note")
PLACE_AREA = "place"  # the whole place, beside its sub-areas
_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(?:(.+?)\s*Q([1-4])|Q([1-4])\s*(.+))$", re.I)
PERIOD_FIX = {
    "monthly": "write the month as 2024-04",
    "quarterly": "write the financial quarter as 2024/25 Q1 (Q1 is April to June)",
    "annual": "write the financial year as 2024/25",
}


@dataclass(frozen=True)
class Period:
    label: str  # 2024-04, 2024/25 Q1 or 2024/25
    end: date  # its last day: to order periods and compare with a target's date


def parse_period(text: str, frequency: str) -> Period | None:
    """The period ``text`` written for ``frequency``, or None when it is not one."""
    s = text.strip()
    if frequency == "monthly":
        m = _MONTH.match(s)
        if not m or not 1 <= int(m.group(2)) <= 12 or not 1990 <= int(m.group(1)) <= 2100:
            return None
        y, mo = int(m.group(1)), int(m.group(2))
        return Period(s, date(y, mo, calendar.monthrange(y, mo)[1]))
    if frequency == "quarterly":
        m = _QUARTER.match(s)
        if not m:
            return None
        year_text, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        try:
            year = parse_year(year_text.strip())
        except YearError:
            return None
        start = int(year[:4])
        last_month = 3 + 3 * int(q)  # Q1 ends in June, Q4 in March of the next year
        y, mo = (start, last_month) if last_month <= 12 else (start + 1, last_month - 12)
        return Period(f"{year} Q{q}", date(y, mo, calendar.monthrange(y, mo)[1]))
    try:
        year = parse_year(s)
    except YearError:
        return None
    return Period(year, end_of(year))


def parse_value(text: str) -> Decimal | None:
    """A value as written (``1,250``, ``-0.5``, ``12.40``), every digit kept; None if it is
    not a plain number. Not money: an indicator's value is in its own unit."""
    t = text.strip()
    if not _NUMBER.fullmatch(t) or len(t) > 40:
        return None
    return Decimal(t.replace(",", ""))


@dataclass(frozen=True)
class Observation:
    indicator: str
    period: str
    period_end: date
    area: str
    value: Decimal
    numerator: int | None
    denominator: int | None
    note: str

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "period": self.period,
            "period_end": self.period_end.isoformat(),
            "area": self.area,
            "value": str(self.value),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "note": self.note,
        }


def _count(p: Problems, line: int, col: str, text: str) -> int | None:
    if not text:
        return None
    t = text.replace(",", "")
    if not t.isdigit():
        p.add(line, col, text, f"the {col} must be a whole number of 0 or more", "e.g. 1250")
        return None
    return int(t)


def read_observations(path: Path, fw: Framework, areas: set[str]) -> list[Observation]:
    """The observations in ``path``, checked against the framework and the place's areas."""
    table = read_table(path, required=("indicator", "period", "value"))
    p = Problems(table.label, sheet=table.sheet)
    known = {i.id: i for i in fw.indicators}
    places = areas | {PLACE_AREA}
    out: list[Observation] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in table.rows:
        v, n = row.values, row.number
        ind_id = v.get("indicator", "")
        ind = known.get(ind_id)
        if ind is None:
            p.add(
                n,
                "indicator",
                ind_id or None,
                "not an indicator of the framework",
                "use the id of an indicator or measure of `wholeplace outcomes framework`",
            )
        period = None
        if ind is not None:
            period = parse_period(v.get("period", ""), ind.frequency)
            if period is None:
                p.add(
                    n,
                    "period",
                    v.get("period") or None,
                    f"not a period of this {ind.frequency} indicator",
                    PERIOD_FIX[ind.frequency],
                )
        area = v.get("area", "") or PLACE_AREA
        if area not in places:
            p.add(
                n,
                "area",
                area,
                "not an area of this place",
                f"use '{PLACE_AREA}' for the whole place, or a code of `wholeplace areas list`",
            )
        value = parse_value(v.get("value", ""))
        if value is None:
            p.add(
                n,
                "value",
                v.get("value") or None,
                "not a number",
                "write a plain number in the indicator's unit, e.g. 12.5 (no % or £ signs)",
            )
        num = _count(p, n, "numerator", v.get("numerator", ""))
        den = _count(p, n, "denominator", v.get("denominator", ""))
        if num is not None and den is not None and (den == 0 or num > den):
            p.add(
                n,
                "denominator",
                den,
                "the denominator must be above zero and at least the numerator",
                "check the two counts",
            )
        if den is not None and num is None:
            p.add(
                n,
                "numerator",
                None,
                "a denominator without a numerator",
                "give both counts, or neither",
            )
        if period is not None and ind is not None:
            key = (ind.id, period.label, area)
            if key in seen:
                p.add(
                    n,
                    "period",
                    period.label,
                    f"this indicator, period and area are given twice (first on row {seen[key]})",
                    "keep one row for each indicator, period and area",
                )
            else:
                seen[key] = n
        if ind is not None and period is not None and value is not None:
            out.append(
                Observation(
                    ind.id, period.label, period.end, area, value, num, den, v.get("note", "")
                )
            )
    if not table.rows:
        p.add(None, None, None, "the file has no observations", "add a row under the header")
    p.raise_if_any()
    return out
