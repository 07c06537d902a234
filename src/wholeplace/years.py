"""Financial years, written the way UK public finance writes them: ``2024/25``."""

from __future__ import annotations

import re

_YEAR = re.compile(r"^\s*(?:fy\s*)?(\d{4})\s*[/\-–_ ]?\s*(\d{2}|\d{4})\s*$", re.I)


class YearError(ValueError):
    pass


def parse_year(text: str) -> str:
    """``2024-25``, ``2024/2025``, ``202425`` or ``FY2024/25`` -> ``2024/25``."""
    m = _YEAR.match(str(text))
    if not m:
        raise YearError(f"{text!r} is not a financial year")
    start = int(m.group(1))
    end = m.group(2)
    end_full = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    if len(end) == 2 and end_full < start:
        end_full += 100
    if end_full != start + 1 or not 1900 <= start <= 2199:
        raise YearError(f"{text!r} is not a financial year (the two years must be consecutive)")
    return f"{start}/{(start + 1) % 100:02d}"


def start_of(year: str) -> int:
    return int(parse_year(year)[:4])


def previous(year: str) -> str:
    s = start_of(year) - 1
    return f"{s}/{(s + 1) % 100:02d}"


def shift(year: str, n: int) -> str:
    s = start_of(year) + n
    return f"{s}/{(s + 1) % 100:02d}"
