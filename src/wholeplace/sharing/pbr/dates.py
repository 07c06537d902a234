"""Dates and programme years: calendar months, and financial years April to March."""

from __future__ import annotations

import calendar
from datetime import date

from wholeplace.years import YearError, shift, year_label


def add_months(d: date, months: int) -> date:
    """Same day ``months`` calendar months later, or that month's last day if shorter."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def financial_year(d: date) -> str:
    """UK public-sector year April-March: 2012-05-01 -> '2012/13'."""
    return year_label(d.year if d.month >= 4 else d.year - 1)


def next_year_label(label: str) -> str:
    """The financial year after ``label`` ('2014/15' -> '2015/16'); another label + '+1'."""
    try:
        return shift(label, 1)
    except YearError:
        return label + "+1"
