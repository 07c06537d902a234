"""The fill-in questionnaire and the self-assessment report, for every front end
(:mod:`wholeplace.framework.service` has the rest).

Both take ``facts`` (:class:`~wholeplace.framework.evidence.PlaceFacts`) for the automatic
evidence, as :func:`~wholeplace.framework.service.check_evidence` does; ``None`` leaves it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from wholeplace.errors import InputError, Problem
from wholeplace.framework import scoring, store
from wholeplace.framework.changes import CLI
from wholeplace.framework.evidence import PlaceFacts
from wholeplace.framework.questionnaire import QuestionnaireInfo, write_questionnaire
from wholeplace.framework.report import FrameworkReport, write_html
from wholeplace.framework.report_xlsx import write_xlsx
from wholeplace.framework.scoring import improvement_plan, score
from wholeplace.framework.service import (
    _for_answers,
    _partner_names,
    assessment,
    check_evidence,
)
from wholeplace.partners import list_partners
from wholeplace.reports.pdf import pdf_writer
from wholeplace.reports.writers import writer_for
from wholeplace.workspace import Workspace


@dataclass(frozen=True)
class QuestionnaireResult:
    out: Path
    assessment: str
    framework_version: str
    partner: str | None
    statements: int
    prefilled: int

    def to_json(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "assessment": self.assessment,
            "framework_version": self.framework_version,
            "partner": self.partner,
            "statements": self.statements,
            "prefilled": self.prefilled,
        }


def questionnaire(
    ws: Workspace,
    out: Path,
    *,
    partner: str | None = None,
    assessment_name: str | None = None,
    facts: PlaceFacts | None = None,
    on: date | None = None,
) -> QuestionnaireResult:
    """Write the fill-in questionnaire; for ``partner``, with its earlier answers in it.

    The first questionnaire of a place starts an assessment, as the first answer does."""
    people = sorted(list_partners(ws), key=lambda x: x.id)
    if partner is not None and partner not in {x.id for x in people}:
        known = ", ".join(x.id for x in people) or "(none: import partners first)"
        raise InputError(
            [Problem(CLI, None, "--partner", partner, "unknown partner", f"use one of: {known}")]
        )
    a = _for_answers(ws, assessment_name)
    ev = check_evidence(ws, facts, on=on, assessment_name=a.name)
    earlier = [x for x in store.answers(ws, a.name) if x.partner == partner]
    info = QuestionnaireInfo(
        place=ws.name,
        assessment=a.name,
        framework_version=a.framework.version,
        partners=[(x.id, x.name) for x in people],
        partner=partner,
    )
    checks = {sid: f.summary() for sid, f in ev.by_statement().items()}
    write_questionnaire(Path(out), a.framework, info, earlier, checks)
    return QuestionnaireResult(
        Path(out), a.name, a.framework.version, partner, len(a.framework.active), len(earlier)
    )


def build_report(
    ws: Workspace,
    facts: PlaceFacts | None = None,
    *,
    on: date | None = None,
    assessment_name: str | None = None,
) -> FrameworkReport:
    """Everything the report shows, computed once for HTML, XLSX and ``--json``."""
    a = assessment(ws, assessment_name)
    answered = store.answers(ws, a.name)
    names = _partner_names(ws)
    who = sorted({x.partner for x in answered})
    ev = check_evidence(ws, facts, on=on, assessment_name=a.name)
    earlier = [x for x in store.assessments(ws) if x.started_at < a.started_at]
    moved = None
    if earlier:
        b = earlier[-1]
        moved = scoring.progress(
            b.name, b.framework, store.answers(ws, b.name), a.name, a.framework, answered
        )
    return FrameworkReport(
        place=ws.name,
        assessment=a,
        on=ev.on,
        scores=score(a.framework, answered, who),
        partners={p: names.get(p, p) for p in who},
        waiting=[p for p in names if p not in who],
        answers=answered,
        disagreements=scoring.disagreements(a.framework, answered),
        gaps=improvement_plan(a.framework, answered, store.plan_entries(ws), ev.unsupported()),
        evidence=ev.findings,
        evidence_checked=ev.checked,
        progress=moved,
    )


@dataclass(frozen=True)
class ReportWritten:
    out: Path
    report: FrameworkReport

    def to_json(self) -> dict[str, Any]:
        return {"out": str(self.out), "assessment": self.report.assessment.name}


def write_report(
    ws: Workspace,
    out: Path,
    facts: PlaceFacts | None = None,
    *,
    on: date | None = None,
    assessment_name: str | None = None,
) -> ReportWritten:
    """Write the report, HTML or XLSX by ``out``'s suffix."""
    r = build_report(ws, facts, on=on, assessment_name=assessment_name)
    writer = writer_for(
        out,
        {
            ".html": lambda p: write_html(r, p),
            ".xlsx": lambda p: write_xlsx(r, p),
            ".pdf": pdf_writer(lambda p: write_html(r, p)),
        },
        "the framework report",
    )
    writer(Path(out))
    return ReportWritten(Path(out), r)
