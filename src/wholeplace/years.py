"""Financial years, written the way UK public finance writes them: ``2024/25``.

One parser (:func:`parse_year`) for every way a year is typed, one label
(:func:`year_label`, ``2024/25``) in every output and JSON, and one slug
(:func:`year_slug`, ``2024-25``) for file names only, where a ``/`` cannot go.
"""

from __future__ import annotations

import re
from datetime import date

_YEAR = re.compile(r"^\s*(?:fy\s*)?(\d{4})\s*[/\-–_ ]?\s*(\d{2}|\d{4})\s*$", re.I)
# A bare start year, "2024": the financial year that starts in April 2024.
_START = re.compile(r"^\s*(\d{4})\s*$")
FIRST, LAST = 1900, 2199


class YearError(ValueError):
    pass


def year_label(start: int) -> str:
    """The label of the financial year starting in April of ``start``: 2024 -> ``2024/25``."""
    if isinstance(start, bool) or not isinstance(start, int):
        raise YearError(f"{start!r} is not the start year of a financial year")
    if not FIRST <= start <= LAST:
        raise YearError(f"{start!r} is not a financial year (expected {FIRST} to {LAST})")
    return f"{start}/{(start + 1) % 100:02d}"


def parse_year(text: str | int) -> str:
    """Any way of writing a financial year -> its label ``2024/25``.

    Accepts ``2024/25``, ``2024-25``, ``2024/2025``, ``202425``, ``FY2024/25``, and a
    bare start year ``2024`` (or the int 2024), which means the year from April 2024.
    """
    if isinstance(text, bool):
        raise YearError(f"{text!r} is not a financial year")
    if isinstance(text, int):
        return year_label(text)
    s = str(text)
    bare = _START.match(s)
    if bare:
        return year_label(int(bare.group(1)))
    m = _YEAR.match(s)
    if not m:
        raise YearError(f"{text!r} is not a financial year")
    start = int(m.group(1))
    end = m.group(2)
    end_full = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    if len(end) == 2 and end_full < start:
        end_full += 100
    if end_full != start + 1 or not FIRST <= start <= LAST:
        raise YearError(f"{text!r} is not a financial year (the two years must be consecutive)")
    return year_label(start)


def year_slug(year: str | int) -> str:
    """``2024/25`` (or any form :func:`parse_year` accepts) -> ``2024-25``, for FILE NAMES
    only; every output a person or a program reads uses the label ``2024/25``."""
    return parse_year(year).replace("/", "-")


def start_of(year: str | int) -> int:
    return int(parse_year(year)[:4])


def previous(year: str | int) -> str:
    return shift(year, -1)


def shift(year: str | int, n: int) -> str:
    s = start_of(year) + n
    return f"{s}/{(s + 1) % 100:02d}"


def containing(day: date) -> str:
    """The financial year (April to March) that ``day`` falls in: 2025-03-31 -> ``2024/25``."""
    return year_label(day.year if day.month >= 4 else day.year - 1)


def end_of(year: str | int) -> date:
    """The last day of a financial year: ``2024/25`` -> 31 March 2025."""
    return date(start_of(year) + 1, 3, 31)
