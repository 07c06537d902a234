"""Outcome records: one row per fact about one person in one family (CSV or XLSX)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.sharing.common import Issues
from wholeplace.sharing.pbr.dates import financial_year
from wholeplace.sharing.pbr.scheme import Scheme
from wholeplace.tabular import read_table
from wholeplace.years import FIRST, LAST


@dataclass(frozen=True)
class Record:
    line: int
    family: str
    person: str
    measure: str
    before: Decimal | None
    after: Decimal | None
    before_text: str
    start: date | None
    end: date | None
    source: str
    better: str | None

    def brief(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "person": self.person,
            "measure": self.measure,
            "before": self.before_text or None,
            "after": self.after,
            "start_date": self.start,
            "end_date": self.end,
            "source": self.source,
        }


FAMILY_ALIASES = {
    "family": "family_id",
    "measure_name": "measure",
    "start": "start_date",
    "end": "end_date",
}


def load_records(path: Path | str, scheme: Scheme | None = None) -> list[Record]:
    """Every row of an outcome records file, checked (all problems at once); with a
    ``scheme``, attachment dates outside its programme years are problems too."""
    table = read_table(path, required=["family_id", "measure"], aliases=FAMILY_ALIASES)
    issues = Issues(table.label)
    out = [_record(row.number, row.values, scheme, issues) for row in table.rows]
    fams_attached = {r.family for r in out if r.measure == "attached"}
    seen: set[str] = set()
    for r in out:
        if r.family and r.family not in fams_attached and r.family not in seen:
            seen.add(r.family)
            issues.add(
                "family_id",
                r.family,
                "this family has no 'attached' record, so its programme year is unknown",
                "add a row: family_id, , attached, , , <date attached>",
                r.line,
            )
    issues.raise_if_any()
    return out


MAX_VALUE = 10**9  # far beyond any count of a family's offences or absence rate


def _record(line: int, v: dict[str, str], scheme: Scheme | None, issues: Issues) -> Record:
    fam = v.get("family_id", "").strip()
    measure = v.get("measure", "").strip().lower()
    if not fam:
        issues.add("family_id", None, "family id is empty", "give every row the family's id", line)
    if not measure:
        issues.add("measure", None, "measure is empty", "name the measure, e.g. offences", line)
    nums: dict[str, Decimal | None] = {}
    for col in ("before", "after"):
        text = v.get(col, "").strip()
        if not text or (col == "before" and measure == "employment"):
            nums[col] = None
            continue
        d = issues.number(col, text, line)
        if d is not None and d < 0:
            issues.add(col, text, "a count or rate cannot be negative", "write 0 or more", line)
        elif d is not None and (d > MAX_VALUE or (d and d.adjusted() < -12)):
            # the claims add these up and compare them exactly: 1e999999999 overflows
            issues.add(
                col,
                text,
                "no count or rate is this large, or this small",
                f"write a count or a percentage, up to {MAX_VALUE:,}",
                line,
            )
            d = None
        nums[col] = d
    start, end = _dates(line, v, measure, issues)
    if measure == "attached" and scheme is not None and start:
        fy = financial_year(start)
        if fy not in scheme.years:
            issues.add(
                "start_date",
                v.get("start_date"),
                f"attached in {fy}, outside the scheme's programme years",
                f"the scheme covers {', '.join(scheme.years)}",
                line,
            )
    better = v.get("better", "").strip().lower() or None
    if better not in (None, "lower", "higher"):
        issues.add(
            "better",
            better,
            "must be lower or higher",
            "say whether a lower or higher value is better",
            line,
        )
    return Record(
        line,
        fam,
        v.get("person", "").strip(),
        measure,
        nums["before"],
        nums["after"],
        v.get("before", ""),
        start,
        end,
        v.get("source", "").strip(),
        better,
    )


def _dates(
    line: int, v: dict[str, str], measure: str, issues: Issues
) -> tuple[date | None, date | None]:
    dates: dict[str, date | None] = {}
    unreadable = set()
    for col in ("start_date", "end_date"):
        text = v.get(col, "").strip()
        dates[col] = None
        if text:
            try:
                dates[col] = _parse_date(text)
            except ValueError:
                unreadable.add(col)
                issues.add(
                    col, text, "this is not a date", "write dates as YYYY-MM-DD or DD/MM/YYYY", line
                )
                continue
            found = dates[col]
            if found is not None and not FIRST <= found.year <= LAST:
                # a programme year, or a date some months on, cannot be taken from it
                unreadable.add(col)
                dates[col] = None
                issues.add(
                    col,
                    text,
                    f"this date is not within {FIRST} to {LAST}",
                    "check the year: write dates as YYYY-MM-DD or DD/MM/YYYY",
                    line,
                )
    start, end = dates["start_date"], dates["end_date"]
    if (
        measure in ("attached", "employment", "progress_to_work")
        and start is None
        and "start_date" not in unreadable
    ):
        issues.add(
            "start_date",
            None,
            f"a {measure} record needs a start date",
            "add the date it started",
            line,
        )
    if start and end and end < start:
        issues.add(
            "end_date", v.get("end_date"), "ends before it starts", "check the two dates", line
        )
    return start, end


def _parse_date(text: str) -> date:
    text = text.strip()
    if "/" in text:
        d, m, y = text.split("/")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(text[:10])
