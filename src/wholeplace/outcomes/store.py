"""Keeping the framework, the observations and each dataset's assurance in the place.

Assurance (docs/outcomes.md): a dataset is imported as a draft; a named person reviews it;
another named person approves it. Importing it again (a change) reopens it as a draft,
whatever its status was. A dataset whose data quality is under the place's threshold is only
approved with a recorded exception. Every step is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from wholeplace.errors import WholeplaceError
from wholeplace.labels import match_key
from wholeplace.outcomes.budget import Month
from wholeplace.outcomes.observations import Observation
from wholeplace.workspace import Workspace

STATUSES = ("draft", "reviewed", "approved")


@dataclass(frozen=True)
class Step:
    at: datetime
    action: str
    by: str | None
    note: str | None
    status: str

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "action": self.action,
            "by": self.by,
            "note": self.note,
            "status": self.status,
        }


@dataclass(frozen=True)
class Dataset:
    name: str
    file: str
    status: str
    reviewed_by: str | None
    approved_by: str | None
    quality_exception: str | None
    rows: int
    history: tuple[Step, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "dataset": self.name,
            "file": self.file,
            "status": self.status,
            "reviewed_by": self.reviewed_by,
            "approved_by": self.approved_by,
            "quality_exception": self.quality_exception,
            "rows": self.rows,
            "history": [s.to_json() for s in self.history],
        }


def save_framework(ws: Workspace, text: str, file: str) -> None:
    ws.con.execute("DELETE FROM outcomes_framework")
    ws.con.execute("INSERT INTO outcomes_framework VALUES (?, ?)", [text, file])


def _first(ws: Workspace, sql: str, params: list[object] | None = None) -> Any:
    """The first row of ``sql``, or None. Every row is fetched: DuckDB refuses other work on
    the connection (the spend map's Ibis tables) while a result is unfinished, which
    ``fetchone`` leaves."""
    rows = ws.con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def framework_text(ws: Workspace) -> tuple[str, str] | None:
    row = _first(ws, "SELECT text, file FROM outcomes_framework")
    return None if row is None else (str(row[0]), str(row[1]))


def _record(
    ws: Workspace, dataset: str, action: str, by: str | None, note: str | None, status: str
) -> None:
    (n,) = _first(ws, "SELECT count(*) FROM outcomes_assurance WHERE dataset = ?", [dataset])
    ws.con.execute(
        "INSERT INTO outcomes_assurance VALUES (?, ?, ?, ?, ?, ?, ?)",
        [dataset, n, datetime.now(UTC).replace(tzinfo=None), action, by, note, status],
    )


def save_observations(ws: Workspace, dataset: str, file: str, obs: list[Observation]) -> str:
    """Replace the dataset's observations; it becomes (or stays) a draft. Returns the status
    it had before (``new`` when it is new). Call inside ``ws.write``."""
    row = _first(ws, "SELECT status FROM outcomes_datasets WHERE dataset = ?", [dataset])
    before = "new" if row is None else str(row[0])
    ws.con.execute("DELETE FROM outcomes_observations WHERE dataset = ?", [dataset])
    ws.con.execute("DELETE FROM outcomes_datasets WHERE dataset = ?", [dataset])
    ws.con.execute(
        "INSERT INTO outcomes_datasets VALUES (?, ?, 'draft', NULL, NULL, NULL)", [dataset, file]
    )
    ws.con.executemany(
        "INSERT INTO outcomes_observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                dataset,
                o.indicator,
                o.period,
                o.period_end,
                o.area,
                str(o.value),
                o.numerator,
                o.denominator,
                o.note,
            ]
            for o in obs
        ],
    )
    if before == "new":
        _record(ws, dataset, "imported", None, file, "draft")
    else:
        _record(ws, dataset, "reopened", None, f"{file} imported again; it was {before}", "draft")
    return before


def observations(ws: Workspace, approved_only: bool = False) -> list[Observation]:
    sql = (
        "SELECT o.indicator, o.period, o.period_end, o.area, o.value, o.numerator, "
        "o.denominator, o.note FROM outcomes_observations o "
        "JOIN outcomes_datasets d USING (dataset)"
    )
    if approved_only:
        sql += " WHERE d.status = 'approved'"
    rows = ws.con.execute(sql + " ORDER BY o.indicator, o.period_end, o.area").fetchall()
    out = []
    for ind, period, end, area, value, num, den, note in rows:
        assert isinstance(end, date)
        out.append(Observation(ind, period, end, area, Decimal(value), num, den, note))
    return out


def dataset_indicators(ws: Workspace, dataset: str) -> set[str]:
    rows = ws.con.execute(
        "SELECT DISTINCT indicator FROM outcomes_observations WHERE dataset = ?", [dataset]
    ).fetchall()
    return {str(r[0]) for r in rows}


def datasets(ws: Workspace) -> list[Dataset]:
    out = []
    for name, file, status, rev, app, exc in ws.con.execute(
        "SELECT * FROM outcomes_datasets ORDER BY dataset"
    ).fetchall():
        (rows,) = _first(ws, "SELECT count(*) FROM outcomes_observations WHERE dataset = ?", [name])
        history = tuple(
            Step(at, action, by, note, st)
            for at, action, by, note, st in ws.con.execute(
                "SELECT happened_at, action, by_whom, note, status FROM outcomes_assurance "
                "WHERE dataset = ? ORDER BY step",
                [name],
            ).fetchall()
        )
        out.append(Dataset(name, file, status, rev, app, exc, int(rows), history))
    return out


def dataset(ws: Workspace, name: str) -> Dataset:
    found = next((d for d in datasets(ws) if d.name == name), None)
    if found is None:
        known = ", ".join(d.name for d in datasets(ws)) or "none yet"
        raise WholeplaceError(
            f"No dataset {name!r} in this place (datasets: {known}). "
            "Fix: import it with `wholeplace outcomes import-data FILE --dataset NAME`."
        )
    return found


def review(ws: Workspace, name: str, by: str, note: str | None) -> None:
    d = dataset(ws, name)
    if d.status != "draft":
        raise WholeplaceError(
            f"Dataset {name!r} is {d.status}, not a draft: only a draft is reviewed. "
            "Fix: import the changed data again to reopen it."
        )
    ws.con.execute(
        "UPDATE outcomes_datasets SET status = 'reviewed', reviewed_by = ? WHERE dataset = ?",
        [by, name],
    )
    _record(ws, name, "reviewed", by, note, "reviewed")


def approve(
    ws: Workspace,
    name: str,
    by: str,
    lowest_quality: int | None,
    threshold: int,
    exception: str | None,
) -> None:
    d = dataset(ws, name)
    if d.status != "reviewed":
        raise WholeplaceError(
            f"Dataset {name!r} is {d.status}: only a reviewed dataset is approved. "
            f"Fix: `wholeplace outcomes review {name} --by NAME` first."
        )
    if d.reviewed_by is not None and match_key(d.reviewed_by) == match_key(by):
        raise WholeplaceError(
            f"{by} reviewed dataset {name!r}, so cannot approve it too. "
            "Fix: a second person approves it (--by THEIR NAME)."
        )
    if lowest_quality is not None and lowest_quality < threshold and not exception:
        raise WholeplaceError(
            f"Dataset {name!r} has data quality {lowest_quality}, under the place's threshold "
            f"of {threshold}. Fix: improve the data, or record why it is approved anyway with "
            "--exception TEXT."
        )
    ws.con.execute(
        "UPDATE outcomes_datasets SET status = 'approved', approved_by = ?, "
        "quality_exception = ? WHERE dataset = ?",
        [by, exception or None, name],
    )
    _record(ws, name, "approved", by, exception, "approved")


def save_budget(ws: Workspace, file: str, months: list[Month]) -> None:
    """Replace the budget profile. Call inside ``ws.write``."""
    ws.con.execute("DELETE FROM outcomes_budget")
    ws.con.executemany(
        "INSERT INTO outcomes_budget VALUES (?, ?, ?, ?, ?)",
        [[m.intervention, m.month, m.budget, m.actual, file] for m in months],
    )


def budget(ws: Workspace) -> list[Month]:
    rows = ws.con.execute(
        "SELECT intervention, month, budget, actual FROM outcomes_budget "
        "ORDER BY intervention, month"
    ).fetchall()
    return [
        Month(str(i), str(m), Decimal(b), None if a is None else Decimal(a)) for i, m, b, a in rows
    ]


@dataclass(frozen=True)
class AppraisalValue:
    """An appraisal outcome line's value, as the appraisal gave it when linked: its net
    outcomes over the appraisal's years and its present value (after optimism bias)."""

    outcome: str
    appraisal: str  # the file as the framework names it
    line: str  # the line's description in the appraisal
    appraisal_name: str
    price_year: str
    net_outcomes: Decimal
    present_value: Decimal

    def to_json(self) -> dict[str, Any]:
        return {
            "appraisal": self.appraisal,
            "line": self.line,
            "appraisal_name": self.appraisal_name,
            "price_year": self.price_year,
            "net_outcomes": self.net_outcomes,
            "present_value": self.present_value,
        }


def save_appraisal_values(ws: Workspace, values: list[AppraisalValue]) -> None:
    """Replace the linked appraisal lines' values. Call inside ``ws.write``."""
    ws.con.execute("DELETE FROM outcomes_appraisal_lines")
    if not values:
        return  # duckdb refuses executemany with no rows
    ws.con.executemany(
        "INSERT INTO outcomes_appraisal_lines VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [
                v.outcome,
                v.appraisal,
                v.line,
                v.appraisal_name,
                v.price_year,
                str(v.net_outcomes),
                v.present_value,
            ]
            for v in values
        ],
    )


def appraisal_values(ws: Workspace) -> list[AppraisalValue]:
    rows = ws.con.execute(
        "SELECT outcome, appraisal, line, appraisal_name, price_year, net_outcomes, "
        "present_value FROM outcomes_appraisal_lines ORDER BY outcome, appraisal, line"
    ).fetchall()
    return [
        AppraisalValue(str(o), str(a), str(ln), str(n), str(y), Decimal(x), Decimal(pv))
        for o, a, ln, n, y, x, pv in rows
    ]
