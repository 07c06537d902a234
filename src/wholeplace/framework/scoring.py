"""The scoring rule, disagreement between partners, the improvement plan and progress.

The rule (docs/framework.md, "How scores are worked out"): an answer scores met = 2,
partly met = 1, not met = 0 points; not applicable is left out. A score over any set of
answers (a cell, a partner, the whole partnership) is

    points / (2 × answers counted)

kept as an exact fraction and shown as a percentage rounded half-up to one place. The
partnership's score pools every partner's answers (each answer weighs the same), so a
partner that answered more statements counts for more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from wholeplace.framework.model import (
    DIMENSIONS,
    LEVELS,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    POINTS,
    Framework,
    Statement,
)
from wholeplace.money import round_half_up

Cell = tuple[str, str]
CELLS: tuple[Cell, ...] = tuple((lv, dm) for lv in LEVELS for dm in DIMENSIONS)


@dataclass(frozen=True)
class Answer:
    """One partner's answer to one statement."""

    partner: str
    statement_id: str
    answer: str  # met | partly | not_met | n/a
    evidence: str | None = None
    note: str | None = None
    answered_at: datetime | None = None
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "statement_id": self.statement_id,
            "answer": self.answer,
            "evidence": self.evidence,
            "note": self.note,
            "answered_at": None if self.answered_at is None else self.answered_at.isoformat(),
            "source": self.source,
        }


@dataclass(frozen=True)
class Score:
    """Points over answers counted; ``fraction`` is None when nothing was counted."""

    points: int = 0
    answered: int = 0  # answers counted: met, partly met or not met
    not_applicable: int = 0

    @property
    def out_of(self) -> int:
        return 2 * self.answered

    @property
    def fraction(self) -> Fraction | None:
        return None if self.answered == 0 else Fraction(self.points, self.out_of)

    @property
    def pct(self) -> Decimal | None:
        f = self.fraction
        return None if f is None else round_half_up(f * 100, 1)

    def __add__(self, other: Score) -> Score:
        return Score(
            self.points + other.points,
            self.answered + other.answered,
            self.not_applicable + other.not_applicable,
        )

    def to_json(self) -> dict[str, Any]:
        f = self.fraction
        return {
            "points": self.points,
            "out_of": self.out_of,
            "answered": self.answered,
            "not_applicable": self.not_applicable,
            "score": None if f is None else f"{f.numerator}/{f.denominator}",
            "pct": None if self.pct is None else str(self.pct),
        }


def score_of(answers: Iterable[Answer]) -> Score:
    """The score of ``answers`` under the rule above."""
    given = [a.answer for a in answers]
    counted = [POINTS[a] for a in given if a != NOT_APPLICABLE]
    return Score(sum(counted), len(counted), len(given) - len(counted))


def pct_points(after: Score, before: Score) -> Decimal | None:
    """``after`` less ``before`` in percentage points, from the exact fractions."""
    a, b = after.fraction, before.fraction
    return None if a is None or b is None else round_half_up((a - b) * 100, 1)


@dataclass
class Scores:
    """Every score of one assessment: per cell, level, dimension and overall, for the
    partnership and for each partner."""

    cells: dict[Cell, Score]
    levels: dict[str, Score]
    dimensions: dict[str, Score]
    overall: Score
    partners: dict[str, dict[Cell, Score]]
    partner_overall: dict[str, Score]
    by_statement: dict[str, Score]

    def to_json(self) -> dict[str, Any]:
        return {
            "cells": [
                {"level": lv, "dimension": dm, **self.cells[(lv, dm)].to_json()} for lv, dm in CELLS
            ],
            "levels": {k: v.to_json() for k, v in self.levels.items()},
            "dimensions": {k: v.to_json() for k, v in self.dimensions.items()},
            "overall": self.overall.to_json(),
            "partners": {
                p: {
                    "overall": self.partner_overall[p].to_json(),
                    "cells": [
                        {"level": lv, "dimension": dm, **cells[(lv, dm)].to_json()}
                        for lv, dm in CELLS
                    ],
                }
                for p, cells in self.partners.items()
            },
        }


def score(fw: Framework, answers: Sequence[Answer], partners: Iterable[str] = ()) -> Scores:
    """The scores of ``answers`` to the statements of ``fw`` (answers to other statements
    are ignored). ``partners`` lists partners to show even if they have not answered."""
    cell_of = {s.id: s.cell for s in fw.active}
    counted = [a for a in answers if a.statement_id in cell_of]
    order = list(dict.fromkeys([*partners, *sorted({a.partner for a in counted})]))

    def cells_of(rows: list[Answer]) -> dict[Cell, Score]:
        return {c: score_of(a for a in rows if cell_of[a.statement_id] == c) for c in CELLS}

    cells = cells_of(counted)
    per_partner = {p: cells_of([a for a in counted if a.partner == p]) for p in order}
    return Scores(
        cells=cells,
        levels={lv: _sum(cells[(lv, dm)] for dm in DIMENSIONS) for lv in LEVELS},
        dimensions={dm: _sum(cells[(lv, dm)] for lv in LEVELS) for dm in DIMENSIONS},
        overall=_sum(cells.values()),
        partners=per_partner,
        partner_overall={p: _sum(c.values()) for p, c in per_partner.items()},
        by_statement={
            s.id: score_of(a for a in counted if a.statement_id == s.id) for s in fw.active
        },
    )


def _sum(scores: Iterable[Score]) -> Score:
    total = Score()
    for s in scores:
        total = total + s
    return total


# -- disagreement ----------------------------------------------------------------------

# Answers two steps apart on the scale not met (0) < partly met (1) < met (2).
DISAGREEMENT_STEPS = 2


@dataclass(frozen=True)
class Disagreement:
    """A statement some partners say is met and others say is not met."""

    statement: Statement
    answers: dict[str, str]  # partner -> answer, not applicable left out
    spread: int  # steps between the highest and the lowest answer
    pairs: int  # pairs of partners whose answers are two steps apart

    @property
    def met_by(self) -> list[str]:
        return [p for p, a in self.answers.items() if a == MET]

    @property
    def not_met_by(self) -> list[str]:
        return [p for p, a in self.answers.items() if a == NOT_MET]

    def to_json(self) -> dict[str, Any]:
        return {
            "statement_id": self.statement.id,
            "level": self.statement.level,
            "dimension": self.statement.dimension,
            "text": self.statement.text,
            "spread": self.spread,
            "pairs": self.pairs,
            "met_by": self.met_by,
            "not_met_by": self.not_met_by,
            "answers": self.answers,
        }


def disagreements(
    fw: Framework, answers: Sequence[Answer], steps: int = DISAGREEMENT_STEPS
) -> list[Disagreement]:
    """Statements whose partners' answers differ by ``steps`` or more, ranked.

    The rank: most pairs of partners two steps apart first (three partners saying met
    and two saying not met make six such pairs), then the lower level (stewardship
    first), then the dimension, then the statement id.
    """
    found: list[Disagreement] = []
    for s in fw.active:
        given = {a.partner: a.answer for a in answers if a.statement_id == s.id}
        scored = {p: POINTS[x] for p, x in given.items() if x != NOT_APPLICABLE}
        if len(scored) < 2:
            continue
        spread = max(scored.values()) - min(scored.values())
        if spread < steps:
            continue
        values = list(scored.values())
        pairs = sum(
            1
            for i, x in enumerate(values)
            for y in values[i + 1 :]
            if abs(x - y) >= DISAGREEMENT_STEPS
        )
        ordered = {p: given[p] for p in sorted(scored)}
        found.append(Disagreement(s, ordered, spread, pairs))
    found.sort(key=lambda d: (-d.pairs, -d.spread, *_position(d.statement)))
    return found


def _position(s: Statement) -> tuple[int, int, str]:
    return (LEVELS.index(s.level), DIMENSIONS.index(s.dimension), s.id)


# -- the improvement plan --------------------------------------------------------------


@dataclass(frozen=True)
class PlanEntry:
    """An owner and a date the partnership set for closing a gap."""

    statement_id: str
    owner: str | None = None
    due: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class Gap:
    """A statement the partnership does not yet fully meet."""

    statement: Statement
    score: Score
    short: dict[str, str]  # partners whose answer is partly met or not met
    owner: str | None
    due: date | None
    note: str | None
    evidence_says: str | None = None  # the place's own check, when it disagrees or is stale

    def overdue(self, on: date) -> bool:
        return self.due is not None and self.due < on

    def to_json(self) -> dict[str, Any]:
        return {
            "statement_id": self.statement.id,
            "level": self.statement.level,
            "dimension": self.statement.dimension,
            "text": self.statement.text,
            "score": self.score.to_json(),
            "short": self.short,
            "owner": self.owner,
            "due": None if self.due is None else self.due.isoformat(),
            "note": self.note,
            "evidence_says": self.evidence_says,
        }


def improvement_plan(
    fw: Framework,
    answers: Sequence[Answer],
    entries: Mapping[str, PlanEntry],
    checks: Mapping[str, str] | None = None,
) -> list[Gap]:
    """The gaps, lowest level first, and in each level the biggest gap first.

    A statement is a gap when a partner answered partly met or not met, or when the
    place's own check (``checks``: statement id -> why it is not met or is stale) says it
    is not met. Order: level (stewardship, performance, transformation), then the
    partnership's score on the statement (lowest first; a statement only the check
    questions comes after those partners marked down), then dimension and id.
    """
    checks = checks or {}
    scores = score(fw, answers).by_statement
    gaps: list[Gap] = []
    for s in fw.active:
        short = {
            a.partner: a.answer
            for a in sorted(answers, key=lambda a: a.partner)
            if a.statement_id == s.id and a.answer not in (MET, NOT_APPLICABLE)
        }
        said = checks.get(s.id)
        if not short and said is None:
            continue
        e = entries.get(s.id, PlanEntry(s.id))
        gaps.append(Gap(s, scores[s.id], short, e.owner, e.due, e.note, said))

    def key(g: Gap) -> tuple[int, Fraction, int, str]:
        f = g.score.fraction
        return (
            LEVELS.index(g.statement.level),
            Fraction(2) if f is None else f,
            DIMENSIONS.index(g.statement.dimension),
            g.statement.id,
        )

    gaps.sort(key=key)
    return gaps


# -- progress between two assessments --------------------------------------------------


@dataclass(frozen=True)
class AnswerChange:
    partner: str
    statement_id: str
    before: str | None
    after: str | None

    @property
    def direction(self) -> str:
        b = POINTS.get(self.before or "", None)
        a = POINTS.get(self.after or "", None)
        if a is None or b is None:
            return "changed"
        return "better" if a > b else "worse" if a < b else "same"

    def to_json(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "statement_id": self.statement_id,
            "before": self.before,
            "after": self.after,
            "direction": self.direction,
        }


@dataclass
class Progress:
    """Scores of two assessments side by side, and the answers that changed."""

    before_name: str
    after_name: str
    before: Scores
    after: Scores
    changes: list[AnswerChange] = field(default_factory=list)

    def cell_change(self, cell: Cell) -> Decimal | None:
        return pct_points(self.after.cells[cell], self.before.cells[cell])

    def to_json(self) -> dict[str, Any]:
        partners = sorted(set(self.before.partner_overall) | set(self.after.partner_overall))
        return {
            "before": self.before_name,
            "after": self.after_name,
            "overall": {
                "before": self.before.overall.to_json(),
                "after": self.after.overall.to_json(),
                "change_pct_points": _str(pct_points(self.after.overall, self.before.overall)),
            },
            "cells": [
                {
                    "level": lv,
                    "dimension": dm,
                    "before": self.before.cells[(lv, dm)].to_json(),
                    "after": self.after.cells[(lv, dm)].to_json(),
                    "change_pct_points": _str(self.cell_change((lv, dm))),
                }
                for lv, dm in CELLS
            ],
            "partners": {
                p: {
                    "before": self.before.partner_overall.get(p, Score()).to_json(),
                    "after": self.after.partner_overall.get(p, Score()).to_json(),
                    "change_pct_points": _str(
                        pct_points(
                            self.after.partner_overall.get(p, Score()),
                            self.before.partner_overall.get(p, Score()),
                        )
                    ),
                }
                for p in partners
            },
            "changes": [c.to_json() for c in self.changes],
        }


def _str(d: Decimal | None) -> str | None:
    return None if d is None else str(d)


def progress(
    before_name: str,
    before_fw: Framework,
    before: Sequence[Answer],
    after_name: str,
    after_fw: Framework,
    after: Sequence[Answer],
) -> Progress:
    """How the scores moved from one assessment to the next (each scored on the
    framework version it used), and each answer that changed."""
    was = {(a.partner, a.statement_id): a.answer for a in before}
    now = {(a.partner, a.statement_id): a.answer for a in after}
    changes = [
        AnswerChange(p, sid, was.get((p, sid)), now.get((p, sid)))
        for p, sid in sorted(set(was) | set(now))
        if was.get((p, sid)) != now.get((p, sid))
    ]
    return Progress(
        before_name, after_name, score(before_fw, before), score(after_fw, after), changes
    )
