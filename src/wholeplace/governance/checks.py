"""What in the register needs attention on a date (``as_of``), and the risk heat maps.

The date rules (docs/governance.md states them, and the tests try each boundary):

- An agreement is in force up to and including the day it ``ends`` (its ``expires`` date, or
  its review date when it gives none). It has **expired** when that day is before ``as_of``
  (it ended yesterday or earlier). It **expires soon** when it ends 0 to 90 days after
  ``as_of``, both counted: today, in 89 days and in 90 days warn; in 91 days does not.
- An agreement with an ``expires`` date whose review date has passed (before ``as_of``) while
  it is still in force has its **review overdue**.
- A data flow **has no agreement** when no agreement in force lists it (none lists it, or each
  that does has expired). An agreement in force that lists a flow but not the flow's use in
  its ``uses`` **does not cover its use** (warned when no agreement in force covers it); one
  whose parties leave out the sender or the recipient **does not cover its parties**.
- A board with no chair is warned.
- A risk's review is **overdue** when its review date is before ``as_of`` (today is not).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from wholeplace.governance.model import Agreement, Register, Risk, band
from wholeplace.labels import match_key

EXPIRY_WARNING_DAYS = 90


@dataclass(frozen=True)
class Warning:
    kind: str
    subject: str  # the id of the agreement, flow, board or risk
    message: str
    fix: str
    days: int | None = None  # days until (positive) or since (negative) the date concerned

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "message": self.message,
            "fix": self.fix,
            "days": self.days,
        }


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def agreement_warnings(a: Agreement, as_of: date) -> list[Warning]:
    left = (a.ends - as_of).days
    out = []
    if left < 0:
        out.append(
            Warning(
                "agreement_expired",
                a.id,
                f"{a.title} ({a.id}) expired on {a.ends.isoformat()}, {_days(-left)} ago",
                "renew it, or stop the data flows it covers",
                left,
            )
        )
    elif left <= EXPIRY_WARNING_DAYS:
        when = "today" if left == 0 else f"in {_days(left)}"
        out.append(
            Warning(
                "agreement_expiring",
                a.id,
                f"{a.title} ({a.id}) ends on {a.ends.isoformat()}, {when}",
                "review and renew it before it ends",
                left,
            )
        )
    if a.expires is not None and a.review_date < as_of <= a.expires:
        late = (as_of - a.review_date).days
        out.append(
            Warning(
                "agreement_review_overdue",
                a.id,
                f"{a.title} ({a.id}) was due for review on {a.review_date.isoformat()}, "
                f"{_days(late)} ago",
                "review it and record the next review date",
                -late,
            )
        )
    return out


def in_force(a: Agreement, as_of: date) -> bool:
    return a.ends >= as_of


def flow_warnings(register: Register, as_of: date) -> list[Warning]:
    out = []
    for f in register.data_flows:
        listing = [a for a in register.agreements if f.id in a.flows]
        current = [a for a in listing if in_force(a, as_of)]
        if not current:
            if listing:
                why = "its agreements have expired: " + ", ".join(
                    f"{a.id} (ended {a.ends.isoformat()})" for a in listing
                )
            else:
                why = "no agreement lists it"
            out.append(
                Warning(
                    "flow_without_agreement",
                    f.id,
                    f"data flow {f.id} ({f.source} to {f.recipient}, for {f.use}) has no "
                    f"agreement in force: {why}",
                    "put an information-sharing agreement in place, or stop the flow",
                )
            )
            continue
        if not any(match_key(f.use) in {match_key(u) for u in a.uses} for a in current):
            out.append(
                Warning(
                    "purpose_not_covered",
                    f.id,
                    f"data flow {f.id} is used for {f.use!r}, which its agreement"
                    f"{'s' if len(current) > 1 else ''} "
                    + ", ".join(f"{a.id} (uses: {'; '.join(a.uses)})" for a in current)
                    + " do"
                    + ("" if len(current) > 1 else "es")
                    + " not cover",
                    "add the use to the agreement (with its legal basis), or stop using the "
                    "data for it",
                )
            )
        if not any({f.source, f.recipient} <= set(a.parties) for a in current):
            out.append(
                Warning(
                    "parties_not_covered",
                    f.id,
                    f"data flow {f.id} goes from {f.source} to {f.recipient}, but no agreement "
                    "in force has both as parties",
                    "add the missing partner to the agreement",
                )
            )
    return out


def risk_warnings(risks: list[Risk], as_of: date) -> list[Warning]:
    out = []
    for r in risks:
        late = (as_of - r.review_date).days
        if late > 0:
            out.append(
                Warning(
                    "risk_review_overdue",
                    r.id,
                    f"risk {r.id} ({r.risk}) was due for review on {r.review_date.isoformat()}, "
                    f"{_days(late)} ago (owner: {r.owner})",
                    "review the risk, its score and mitigations, and set the next review date",
                    -late,
                )
            )
    return out


def warnings(register: Register, as_of: date) -> list[Warning]:
    """Every warning of ``register`` on ``as_of``: agreements, flows, boards, then risks."""
    out = [w for a in register.agreements for w in agreement_warnings(a, as_of)]
    out += flow_warnings(register, as_of)
    out += [
        Warning(
            "board_without_chair",
            b.id,
            f"board {b.name} ({b.id}) has no chair",
            "name its chair (role: chair)",
        )
        for b in register.boards
        if not b.with_role("chair")
    ]
    out += risk_warnings(register.risks, as_of)
    return out


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    risks: tuple[str, ...]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        return band(self.score)

    @property
    def words(self) -> str:
        """The cell in words, as the workbook and the web page write it: ``very high (16)``,
        then its risks, ``: R1, R4``; the colour of a band is never the only way it is said."""
        return f"{self.band} ({self.score})" + (": " + ", ".join(self.risks) if self.risks else "")


BANDS = ("very high", "high", "medium", "low")


def band_counts(grid: list[list[HeatCell]]) -> dict[str, int]:
    """How many of a heat map's risks fall in each band, the highest band first."""
    counts = dict.fromkeys(BANDS, 0)
    for row in grid:
        for cell in row:
            counts[cell.band] += len(cell.risks)
    return counts


def heat_map(risks: list[Risk], residual: bool = False) -> list[list[HeatCell]]:
    """5 x 5 cells: rows impact 5 down to 1, columns likelihood 1 to 5, each with its risks."""
    grid = []
    for impact in range(5, 0, -1):
        row = []
        for likelihood in range(1, 6):
            ids = tuple(
                r.id
                for r in risks
                if (
                    (r.residual_likelihood, r.residual_impact)
                    if residual
                    else (r.likelihood, r.impact)
                )
                == (likelihood, impact)
            )
            row.append(HeatCell(likelihood, impact, ids))
        grid.append(row)
    return grid


def heat_map_json(grid: list[list[HeatCell]]) -> list[dict[str, Any]]:
    return [
        {
            "likelihood": c.likelihood,
            "impact": c.impact,
            "score": c.score,
            "band": c.band,
            "risks": list(c.risks),
        }
        for row in grid
        for c in row
        if c.risks
    ]
