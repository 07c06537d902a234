"""GDP deflators and price-year uprating, exactly as the Unit Cost Database does it.

The New Economy workbook keeps, per financial year, the "% change on previous year" of
the HM Treasury GDP deflator and chains them into a cumulative index (1989/90 = 100).
A cost of ``v`` in year ``a`` is worth ``v * index[b] / index[a]`` in year ``b``. We do
the same chain in Decimal arithmetic (40 significant digits), so the workbook's own
"updated" figures come out to the penny.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext
from importlib import resources
from pathlib import Path

from wholeplace.encodings import decode_bytes
from wholeplace.errors import InputError, Problem, Problems, WholeplaceError
from wholeplace.tabular import (
    FIELD_FIX,
    FIELD_TOO_LONG,
    MAX_FIELD_CHARS,
    csv_error,
    same_column_twice,
)

PRECISION = 40
_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


class DeflatorError(WholeplaceError):
    """A price year the deflator series does not cover, or a malformed year."""


def parse_year(text: str) -> str:
    """Validate a financial year written ``YYYY/YY`` (e.g. ``2015/16``); return it tidied."""
    s = str(text).strip().replace("-", "/")
    m = _YEAR.match(s)
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise DeflatorError(
            f"{text!r} is not a financial year. Fix: write it as YYYY/YY, e.g. 2015/16"
        )
    return s


def year_start(year: str) -> int:
    return int(parse_year(year)[:4])


def year_label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def shift_year(year: str, by: int) -> str:
    return year_label(year_start(year) + by)


@dataclass(frozen=True)
class DeflatorYear:
    year: str
    pct_change: Decimal  # % change on the previous year, as published (e.g. 1.4)
    index: Decimal  # cumulative index, first year = 100
    forecast: bool = False


@dataclass
class DeflatorSeries:
    """A chained GDP deflator index by financial year."""

    name: str
    source: str
    years: list[DeflatorYear] = field(default_factory=list)
    current_year: str | None = None  # the workbook's "Current Year" cell, if any
    key: str = ""  # the short name an appraisal may give (``deflators: hmt-2024-10``)

    @classmethod
    def from_changes(
        cls,
        name: str,
        source: str,
        changes: list[tuple[str, Decimal, bool]],
        current_year: str | None = None,
        start: Decimal = Decimal(100),
        key: str = "",
    ) -> DeflatorSeries:
        """Chain ``(year, % change, forecast)`` rows; the first year's index is ``start``
        (100, or the published index of a series given by its index)."""
        rows: list[DeflatorYear] = []
        prev: Decimal | None = None
        with localcontext() as ctx:
            ctx.prec = PRECISION
            for year, pct, forecast in changes:
                idx = +start if prev is None else prev * (1 + pct / 100)
                rows.append(DeflatorYear(year, pct, +idx, forecast))
                prev = idx
        return cls(name, source, rows, current_year, key)

    @property
    def last_outturn(self) -> str:
        """The last year that is not a forecast (the last year if all are)."""
        outturn = [y.year for y in self.years if not y.forecast]
        return outturn[-1] if outturn else self.last_year

    def covers(self, year: str) -> bool:
        return any(row.year == year for row in self.years)

    @property
    def first_year(self) -> str:
        return self.years[0].year

    @property
    def last_year(self) -> str:
        return self.years[-1].year

    def index(self, year: str) -> Decimal:
        y = parse_year(year)
        for row in self.years:
            if row.year == y:
                return row.index
        raise DeflatorError(
            f"the deflator series {self.name!r} covers {self.first_year} to {self.last_year}, "
            f"not {y}. Fix: choose a price year in that range, or import a longer series with "
            "`wholeplace unitcosts deflators import FILE.csv`"
        )

    def factor(self, from_year: str, to_year: str) -> Decimal:
        """The multiplier taking prices of ``from_year`` to prices of ``to_year``."""
        with localcontext() as ctx:
            ctx.prec = PRECISION
            return self.index(to_year) / self.index(from_year)

    def uprate(self, value: Decimal, from_year: str, to_year: str) -> Decimal:
        """``value`` in ``from_year`` prices expressed in ``to_year`` prices (not rounded).

        Computed as ``value * index[to] / index[from]`` - the workbook's own order of
        operations - so that the result rounds to the same penny as the workbook's.
        """
        with localcontext() as ctx:
            ctx.prec = PRECISION
            return value * self.index(to_year) / self.index(from_year)


HMT_LATEST = "hmt-2024-10"
"""HM Treasury's GDP deflators of the October 2024 Budget (outturn to 2023/24, forecasts to
2029/30): the series appraisals use unless they or their place choose another."""
UCD_V14 = "ucd-v1.4"
"""The series in the Unit Cost Database v1.4 (HM Treasury, March 2015 Budget): the one that
reproduces the workbook's own updated values."""


def _shipped(file: str, name: str, key: str, current_year: str | None) -> DeflatorSeries:
    ref = resources.files("wholeplace") / "data" / "cba" / file
    series = _series_from_csv_text(ref.read_text(encoding="utf-8"), file, name=name)
    series.key = key
    series.current_year = current_year or series.last_outturn
    return series


def hmt_series() -> DeflatorSeries:
    """HM Treasury's GDP deflator series of 30 October 2024 (see data/cba/SOURCES.md)."""
    return _shipped(
        "gdp_deflators_hmt_2024_10.csv",
        "HM Treasury GDP deflators, October 2024 Budget (QNA 30 September 2024)",
        HMT_LATEST,
        None,  # its last outturn year, 2023/24
    )


def ucd_series() -> DeflatorSeries:
    """The series in the Unit Cost Database v1.4's Lookups sheet (HMT, March 2015 Budget)."""
    return _shipped(
        "gdp_deflators.csv",
        "HMT GDP deflator, March 2015 Budget (via Unit Cost Database v1.4)",
        UCD_V14,
        # the workbook's own "Current Year" (Lookups!K11), the year its updated values are in
        "2015/16",
    )


SHIPPED_SERIES = {HMT_LATEST: hmt_series, UCD_V14: ucd_series}


def shipped_series(name: str) -> DeflatorSeries | None:
    """A shipped series by its short name (``hmt-2024-10``, ``ucd-v1.4``) or full name."""
    want = name.strip().lower()
    for key, make in SHIPPED_SERIES.items():
        series = make()
        if want in (key, series.name.lower()):
            return series
    return None


def default_series() -> DeflatorSeries:
    """The series shipped for appraisals: HM Treasury's latest (:data:`HMT_LATEST`)."""
    return hmt_series()


def read_deflator_csv(path: Path, name: str | None = None) -> DeflatorSeries:
    """Read a deflator series a user supplies.

    Columns: ``year`` (YYYY/YY) and ``pct_change`` (% change on the previous year, as HM
    Treasury publishes it) or ``index`` (any base), or both: a row's index where it has one,
    else its % change on the row before (HM Treasury prints forecast years so); optional
    ``forecast`` (y/n) and ``source``. Years must be consecutive.
    """
    text, _enc = decode_bytes(Path(path).read_bytes(), Path(path).name)
    return _series_from_csv_text(text, Path(path).name, name=name or Path(path).stem)


def _check_header(cols: list[str], label: str, cells: list[str]) -> None:
    if "year" not in cols or not ({"pct_change", "index"} & set(cols)):
        header = Problems(label)
        header.add(
            1,
            None,
            ",".join(cols),
            "the header must have a 'year' column and a 'pct_change' or 'index' column",
            "add a header row: year,pct_change (or year,index)",
        )
        raise header.error()
    # which of the two to read would be a guess (issue 11: the last was taken silently)
    header = Problems(label)
    same_column_twice(header, 1, cols, cells)
    header.raise_if_any()


def _row_year(
    raw_year: str, label: str, lineno: int, prev_start: int | None, problems: list[Problem]
) -> str | None:
    """The row's financial year (None if it is not one); a gap after the previous row's
    year is a problem too, but the year is still returned."""
    try:
        year = parse_year(raw_year)
    except DeflatorError:
        problems.append(
            Problem(label, lineno, "year", raw_year, "not a financial year", "write YYYY/YY")
        )
        return None
    if prev_start is not None and year_start(year) != prev_start + 1:
        problems.append(
            Problem(
                label,
                lineno,
                "year",
                year,
                f"years must be consecutive; this follows {year_label(prev_start)}",
                "list every year once, in order, with no gaps",
            )
        )
    return year


def _row_value(
    raw: str, col: str, label: str, lineno: int, problems: list[Problem]
) -> Decimal | None:
    """The row's % change or index (None, with the problem noted, if it is not usable)."""
    try:
        val = Decimal(raw)
        if not val.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        problems.append(
            Problem(label, lineno, col, raw, "not a number", f"give the {col} as a number")
        )
        return None
    if col == "index" and val <= 0:
        problems.append(Problem(label, lineno, col, raw, "index must be positive", "fix it"))
        return None
    return val


def _to_changes(
    entries: list[tuple[str, str, Decimal, bool]],
) -> tuple[list[tuple[str, Decimal, bool]], Decimal]:
    """Rows given by index or by % change turned into % changes (so every series is stored
    and chained one way), with the first year's index: the published one where the series
    gives an index, else 100."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        changes: list[tuple[str, Decimal, bool]] = []
        prev: Decimal | None = None
        start = Decimal(100)
        for year, col, val, forecast in entries:
            if col == "index":
                idx, pct = val, (Decimal(0) if prev is None else (val / prev - 1) * 100)
            else:
                idx, pct = (start if prev is None else prev * (1 + val / 100)), val
            if prev is None:
                start = idx
            changes.append((year, pct, forecast))
            prev = idx
    return changes, start


def _series_from_csv_text(
    text: str, label: str, name: str, current_year: str | None = None
) -> DeflatorSeries:
    try:
        return _series_from_csv_rows(text, label, name, current_year)
    except csv.Error as exc:  # a field past the csv module's own limit (131,072 characters)
        raise csv_error(label, None, exc) from exc


def _series_from_csv_rows(
    text: str, label: str, name: str, current_year: str | None
) -> DeflatorSeries:
    reader = csv.DictReader(line for line in text.splitlines() if line.strip())
    problems: list[Problem] = []
    cells = list(reader.fieldnames or [])
    cols = [c.strip().lower() for c in cells]
    reader.fieldnames = cols
    _check_header(cols, label, cells)
    entries: list[tuple[str, str, Decimal, bool]] = []
    sources: set[str] = set()
    prev_start: int | None = None
    for lineno, rec in enumerate(reader, start=2):
        ragged = any((v or "").strip() for v in rec.get(None) or [])
        if ragged:
            problems.append(
                Problem(
                    label,
                    lineno,
                    None,
                    ",".join(rec.get(None) or []),
                    f"this row has more cells than the header's {len(cols)}",
                    "remove the stray cells, or give their column a header",
                )
            )
        long = [(k, v) for k, v in rec.items() if isinstance(v, str) and len(v) > MAX_FIELD_CHARS]
        for k, v in long:
            found = f"({len(v):,} characters)"
            problems.append(Problem(label, lineno, k, found, FIELD_TOO_LONG, FIELD_FIX))
        if ragged or long:
            continue
        year = _row_year((rec.get("year") or "").strip(), label, lineno, prev_start, problems)
        if year is None:
            continue
        prev_start = year_start(year)
        # A row's index where it has one, else its % change (a forecast year HM Treasury
        # prints as "-" in the index column has only its % change).
        col = "index" if (rec.get("index") or "").strip() not in ("", "-") else "pct_change"
        raw = (rec.get(col) or "").strip().rstrip("%")
        if col not in cols or not raw:
            problems.append(
                Problem(
                    label,
                    lineno,
                    " or ".join(c for c in ("index", "pct_change") if c in cols),
                    raw,
                    "no value for this year",
                    "give the year's index or its % change on the year before",
                )
            )
            continue
        val = _row_value(raw, col, label, lineno, problems)
        if val is None:
            continue
        forecast = (rec.get("forecast") or "").strip().lower() in {"y", "yes", "true", "f", "1"}
        if rec.get("source"):
            sources.add(rec["source"].strip())
        entries.append((year, col, val, forecast))
    if not entries and not problems:
        problems.append(Problem(label, None, None, None, "no rows", "add one row per year"))
    if problems:
        raise InputError(problems)
    changes, start = _to_changes(entries)
    return DeflatorSeries.from_changes(
        name, "; ".join(sorted(sources)) or label, changes, current_year, start
    )
