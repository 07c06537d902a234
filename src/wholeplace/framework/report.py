"""The framework report: what it shows (:class:`FrameworkReport`) and its HTML page.

The page uses the report design every capability shares (``reports/templates/base.html``)
and works offline: the heat map is an HTML table whose cells carry their score and band in
words as well as in colour, so it reads the same to a screen reader and in black and white.
The XLSX workbook is written by :mod:`wholeplace.framework.report_xlsx`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.framework.evidence import Finding
from wholeplace.framework.model import (
    ANSWER_WORDS,
    DIMENSIONS,
    LEVELS,
    MET,
    Framework,
    cell_label,
)
from wholeplace.framework.scoring import (
    CELLS,
    Answer,
    Disagreement,
    Gap,
    Progress,
    Score,
    Scores,
    pct_points,
)
from wholeplace.framework.store import Assessment
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.layout import Answer as ReportAnswer
from wholeplace.reports.layout import render_report

# The heat map's bands: (lowest score in the band, name, fill, text colour). The colours are
# GOV.UK's tag colours, dark text on a light fill (contrast 5.7:1 to 9.3:1, above WCAG AA's
# 4.5:1; tests/framework checks it), so the score text stays readable on every band.
BANDS: tuple[tuple[Decimal, str, str, str], ...] = (
    (Decimal(75), "strong", "#cce2d8", "#005a30"),
    (Decimal(50), "developing", "#fff7bf", "#594d00"),
    (Decimal(25), "weak", "#fcd6c3", "#6e3619"),
    (Decimal(0), "very weak", "#f4cdc6", "#942514"),
)
NO_ANSWERS = ("no answers", "#eeefef", "#383f43")


def band(s: Score) -> tuple[str, str, str]:
    """(name, fill, text colour) of a score's band."""
    pct = s.pct
    if pct is None:
        return NO_ANSWERS
    for low, name, fill, ink in BANDS:
        if pct >= low:
            return (name, fill, ink)
    raise AssertionError("a score is at least 0")  # pragma: no cover


@dataclass(frozen=True)
class Claim:
    """A partner says a statement is met where the place's own data does not show it."""

    partner: str
    statement_id: str
    finding: str

    def to_json(self) -> dict[str, Any]:
        return {"partner": self.partner, "statement_id": self.statement_id, "finding": self.finding}


@dataclass(frozen=True)
class FrameworkReport:
    place: str
    assessment: Assessment
    on: date
    scores: Scores
    partners: dict[str, str]  # partners who answered: id -> name
    waiting: list[str]  # partners of the place with no answers yet
    answers: list[Answer]
    disagreements: list[Disagreement]
    gaps: list[Gap]
    evidence: list[Finding]
    evidence_checked: bool
    progress: Progress | None

    @property
    def framework(self) -> Framework:
        return self.assessment.framework

    @property
    def claims(self) -> list[Claim]:
        """Answers of met that the place's data does not back (not met, or stale)."""
        out = []
        for f in self.evidence:
            if f.holds:
                continue
            for a in self.answers:
                if a.statement_id == f.statement_id and a.answer == MET:
                    out.append(Claim(a.partner, a.statement_id, f.summary()))
        return out

    def completion(self) -> dict[str, int]:
        return {p: sum(1 for a in self.answers if a.partner == p) for p in self.partners}

    def headline(self) -> str:
        """The answer in a sentence."""
        o = self.scores.overall
        if o.pct is None:
            return f"No partner of {self.place} has answered assessment {self.assessment.name} yet."
        weakest = min(
            (c for c in CELLS if self.scores.cells[c].fraction is not None),
            key=lambda c: (self.scores.cells[c].fraction, LEVELS.index(c[0])),
        )
        return (
            f"The partners of {self.place} score {o.pct}% overall in assessment "
            f"{self.assessment.name}; the weakest cell is "
            f"{cell_label(self.framework, *weakest)} at {self.scores.cells[weakest].pct}%, "
            f"and they disagree on {len(self.disagreements)} statement"
            f"{'' if len(self.disagreements) == 1 else 's'}."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "place": self.place,
            "assessment": self.assessment.to_json(),
            "on": self.on.isoformat(),
            "headline": self.headline(),
            "partners": self.partners,
            "waiting": self.waiting,
            "completion": {
                "statements": len(self.framework.active),
                "answered": self.completion(),
            },
            "scores": self.scores.to_json(),
            "disagreements": [d.to_json() for d in self.disagreements],
            "plan": [{**g.to_json(), "overdue": g.overdue(self.on)} for g in self.gaps],
            "evidence": {
                "checked": self.evidence_checked,
                "findings": [f.to_json() for f in self.evidence],
                "claims_not_backed": [c.to_json() for c in self.claims],
            },
            "progress": None if self.progress is None else self.progress.to_json(),
            "answers": [a.to_json() for a in self.answers],
        }


# -- HTML ------------------------------------------------------------------------------


def _cell_view(s: Score) -> dict[str, Any]:
    name, fill, ink = band(s)
    return {
        "pct": "" if s.pct is None else f"{s.pct}%",
        "band": name,
        "fill": fill,
        "ink": ink,
        "score": "" if s.fraction is None else f"{s.points} of {s.out_of} points",
        "answered": s.answered,
    }


def _signed(d: Decimal | None) -> str:
    if d is None:
        return ""
    return f"+{d}" if d > 0 else f"{d}"


def view(r: FrameworkReport) -> dict[str, Any]:
    """The report as the template needs it: text and colours, nothing to compute."""
    fw = r.framework
    grid = [
        {
            "level": fw.level_names[lv],
            "about": fw.level_about.get(lv, ""),
            "cells": [_cell_view(r.scores.cells[(lv, dm)]) for dm in DIMENSIONS],
            "total": _cell_view(r.scores.levels[lv]),
        }
        for lv in LEVELS
    ]
    partner_rows = []
    for pid, name in r.partners.items():
        cells = []
        for c in CELLS:
            mine, ours = r.scores.partners[pid][c], r.scores.cells[c]
            v = _cell_view(mine)
            v["diff"] = _signed(pct_points(mine, ours))
            cells.append(v)
        overall = _cell_view(r.scores.partner_overall[pid])
        overall["diff"] = _signed(pct_points(r.scores.partner_overall[pid], r.scores.overall))
        partner_rows.append({"id": pid, "name": name, "cells": cells, "overall": overall})
    statements = {s.id: s for s in fw.statements}
    progress = None
    if r.progress is not None:
        progress = {
            "before": r.progress.before_name,
            "cells": [
                {
                    "cell": cell_label(fw, *c),
                    "before": _cell_view(r.progress.before.cells[c])["pct"],
                    "after": _cell_view(r.progress.after.cells[c])["pct"],
                    "change": _signed(r.progress.cell_change(c)),
                }
                for c in CELLS
            ],
            "overall_change": _signed(
                pct_points(r.progress.after.overall, r.progress.before.overall)
            ),
            "changes": r.progress.changes,
        }
    return {
        "r": r,
        "fw": fw,
        "dimension_names": [fw.dimension_names[d] for d in DIMENSIONS],
        "short_cells": [
            (fw.level_names[lv].split()[-1].capitalize(), fw.dimension_names[dm])
            for lv, dm in CELLS
        ],
        "partnership_cells": [_cell_view(r.scores.cells[c]) for c in CELLS],
        "grid": grid,
        "overall": _cell_view(r.scores.overall),
        "partner_rows": partner_rows,
        "statements": statements,
        "words": ANSWER_WORDS,
        "cell_label": lambda lv, dm: cell_label(fw, lv, dm),
        "bands": [(f"{low}% and over", name, fill, ink) for low, name, fill, ink in BANDS],
        "no_answers": NO_ANSWERS,
        "progress": progress,
    }


def render_html(r: FrameworkReport) -> str:
    return render_report(
        "framework_report.html",
        title=f"How aligned are the partners of {r.place}?",
        answer=ReportAnswer(r.headline()),
        place=r.place,
        **view(r),
    )


def write_html(r: FrameworkReport, path: Path) -> Path:
    return write_text_atomic(path, render_html(r))
