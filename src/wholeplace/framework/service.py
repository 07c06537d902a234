"""The self-assessment operations a user performs, for every front end.

The command line (``wholeplace framework ...``), the web application and notebooks call
these; each returns a typed result whose ``to_json()`` is what ``--json`` prints. Writes go
through :meth:`Workspace.write`, so each lands whole with its audit-log entry.

Automatic evidence needs the rest of the place (its spend map, the appraisals and
agreements linked to it): the operations that use it take ``facts``, a
:class:`~wholeplace.framework.evidence.PlaceFacts`. The edges pass
``wholeplace.place_evidence.PlaceEvidence(ws)``, which reads them through the spend, cba
and sharing services; ``None`` leaves the automatic evidence out.

    from wholeplace.framework import report_service, service
    from wholeplace.place_evidence import PlaceEvidence

    service.answer(ws, "cc", "SW-DA-1", "met", evidence="spend-2024-25.html")
    report = report_service.build_report(ws, facts=PlaceEvidence(ws))

The questionnaire and the report are in :mod:`wholeplace.framework.report_service`, the
exchange with other places in :mod:`wholeplace.framework.exchange_service`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from wholeplace.errors import InputError, Problem, Problems, WholeplaceError
from wholeplace.framework import scoring, store
from wholeplace.framework.answers_file import MAX_TEXT, made_for, read_answers
from wholeplace.framework.changes import CLI, see_statements
from wholeplace.framework.evidence import (
    DOCUMENT_KINDS,
    Document,
    Finding,
    PlaceFacts,
    findings,
)
from wholeplace.framework.model import (
    ANSWER_FIX,
    parse_answer,
)
from wholeplace.framework.scoring import (
    Answer,
    Disagreement,
    Gap,
    PlanEntry,
    Progress,
    Scores,
    improvement_plan,
    score,
)
from wholeplace.framework.store import Assessment
from wholeplace.partners import list_partners
from wholeplace.workspace import Workspace, file_sha256
from wholeplace.years import containing

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/\-]{0,39}$")


def _today(on: date | None) -> date:
    return date.today() if on is None else on


# -- assessments -----------------------------------------------------------------------


def start_assessment(ws: Workspace, name: str) -> Assessment:
    """Start an assessment on the place's framework as it is now."""
    name = name.strip()
    if not _NAME.match(name):
        raise InputError(
            [
                Problem(
                    CLI,
                    None,
                    "NAME",
                    name,
                    "not a name for an assessment",
                    "use up to 40 letters, digits, spaces, '.', '_', '-' or '/': 2025/26",
                )
            ]
        )
    if any(a.name == name for a in store.assessments(ws)):
        raise WholeplaceError(f"An assessment called {name!r} exists. Fix: choose another name.")
    fw = store.framework(ws)
    with ws.write("framework start", detail={"assessment": name, "framework": fw.version}):
        return store.add_assessment(ws, name, fw)


@dataclass(frozen=True)
class AssessmentList:
    assessments: list[Assessment]

    def to_json(self) -> list[dict[str, object]]:
        return [a.to_json() for a in self.assessments]


def assessments(ws: Workspace) -> AssessmentList:
    return AssessmentList(store.assessments(ws))


def assessment(ws: Workspace, name: str | None = None) -> Assessment:
    """The assessment called ``name``, or the latest one started."""
    have = store.assessments(ws)
    if not have:
        raise WholeplaceError(
            "No assessment started yet. Fix: run `wholeplace framework start NAME` "
            "(or answer a statement: the first answer starts one)."
        )
    if name is None:
        return have[-1]
    for a in have:
        if a.name == name:
            return a
    raise WholeplaceError(
        f"No assessment called {name!r}. Assessments: {', '.join(a.name for a in have)}."
    )


def _for_answers(ws: Workspace, name: str | None) -> Assessment:
    """The assessment answers go to; the first answer of a place starts one, named after
    the financial year it is given in."""
    if name is None and not store.assessments(ws):
        return start_assessment(ws, containing(date.today()))
    return assessment(ws, name)


# -- answering -------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswersImport:
    assessment: str
    file: str
    answers: list[Answer]
    blank_rows: int
    partners: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "assessment": self.assessment,
            "file": self.file,
            "answers": len(self.answers),
            "blank_rows": self.blank_rows,
            "partners": self.partners,
        }


def import_answers(
    ws: Workspace,
    file: Path,
    assessment_name: str | None = None,
    *,
    only_partner: str | None = None,
) -> AnswersImport:
    """Import a filled-in questionnaire (XLSX) or a CSV of answers: all or nothing.

    ``only_partner``: the file may answer for this partner only (a partner analyst on the
    web); a row naming any other is refused like an unknown partner, nothing written."""
    file = Path(file)
    partners = {p.id for p in list_partners(ws)}
    if only_partner is not None:
        partners &= {only_partner}
    if assessment_name is None:
        # a questionnaire says which assessment it was made for
        assessment_name = made_for(file)
    # check the whole file before anything is written, the first assessment's start included
    started = bool(store.assessments(ws)) or assessment_name is not None
    fw = assessment(ws, assessment_name).framework if started else store.framework(ws)
    got = read_answers(file, fw, partners)
    a = _for_answers(ws, assessment_name)
    with ws.write(
        "framework import",
        file=file,
        rows=len(got.answers),
        detail={"assessment": a.name, "partners": got.partners},
    ):
        store.put_answers(ws, a.name, got.answers)
    return AnswersImport(a.name, got.file, got.answers, got.blank_rows, got.partners)


@dataclass(frozen=True)
class AnswerResult:
    assessment: str
    answer: Answer

    def to_json(self) -> dict[str, Any]:
        return {"assessment": self.assessment, **self.answer.to_json()}


def answer(
    ws: Workspace,
    partner: str,
    statement_id: str,
    value: str,
    *,
    evidence: str | None = None,
    note: str | None = None,
    assessment_name: str | None = None,
    source: str = CLI,
) -> AnswerResult:
    """Record one partner's answer to one statement (replacing an earlier one); ``source``
    says where it was given (the command line, or the web form and who)."""
    p = Problems(CLI)
    for option, text in (("--evidence", evidence), ("--note", note)):
        if text is not None and len(text) > MAX_TEXT:
            # as the importer: a questionnaire's cell and the command line take the same
            p.add(
                None,
                option,
                text[:40] + "...",
                f"longer than {MAX_TEXT} characters",
                "give a link or a file name, and keep the note short",
            )
    known = {x.id for x in list_partners(ws)}
    if partner not in known:
        p.add(
            None,
            "--partner",
            partner,
            "unknown partner",
            f"use one of: {', '.join(sorted(known)) or '(none: import partners first)'}",
        )
    code = parse_answer(value)
    if code is None:
        p.add(None, "ANSWER", value, "not an answer", ANSWER_FIX)
    sid = statement_id.strip().upper()
    have = store.assessments(ws)
    target = None if not have and assessment_name is None else assessment(ws, assessment_name)
    fw = target.framework if target is not None else store.framework(ws)
    if sid not in {s.id for s in fw.active}:
        p.add(None, "STATEMENT_ID", statement_id, "unknown statement id", see_statements())
    p.raise_if_any()
    assert code is not None
    a = target if target is not None else _for_answers(ws, None)
    given = Answer(partner, sid, code, evidence or None, note or None, None, source)
    with ws.write(
        "framework answer",
        rows=1,
        detail={"assessment": a.name, "partner": partner, "statement": sid, "answer": code},
    ):
        store.put_answers(ws, a.name, [given])
    return AnswerResult(a.name, given)


# -- automatic evidence ----------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceResult:
    on: date
    findings: list[Finding]
    checked: bool  # False: no facts were given, nothing was checked

    def by_statement(self) -> dict[str, Finding]:
        return {f.statement_id: f for f in self.findings}

    def unsupported(self) -> dict[str, str]:
        """Statement id -> why the place's data does not (or no longer) show it is met."""
        return {f.statement_id: f.summary() for f in self.findings if not f.holds}

    def to_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "checked": self.checked,
            "findings": [f.to_json() for f in self.findings],
        }


def documents(ws: Workspace, facts: PlaceFacts) -> list[Document]:
    """The linked files, each read again now through ``facts``."""
    out = []
    for link in store.links(ws):
        if not link.file.is_file():
            out.append(Document(link.kind, str(link.file), link.linked_on, None, "file not found"))
            continue
        try:
            content = facts.read_document(link.kind, link.file)
        except WholeplaceError as exc:
            first = str(exc).splitlines()[0]
            out.append(Document(link.kind, str(link.file), link.linked_on, None, first))
            continue
        changed = file_sha256(link.file) != link.sha256
        out.append(Document(link.kind, str(link.file), link.linked_on, content, None, changed))
    return out


def check_evidence(
    ws: Workspace,
    facts: PlaceFacts | None,
    *,
    on: date | None = None,
    assessment_name: str | None = None,
) -> EvidenceResult:
    """What the place's own data says about the statements that name a check, on ``on``
    (default today), against the framework of the assessment (or the place's now)."""
    day = _today(on)
    if facts is None:
        return EvidenceResult(day, [], False)
    started = bool(store.assessments(ws)) or assessment_name is not None
    fw = assessment(ws, assessment_name).framework if started else store.framework(ws)
    found = findings(
        fw,
        facts.latest_spend(),
        documents(ws, facts),
        day,
        facts.data_sharing(day),
        facts.outcomes_scorecard() if fw.checks("outcomes_scorecard") else None,
    )
    return EvidenceResult(day, found, True)


@dataclass(frozen=True)
class LinkResult:
    kind: str
    file: Path
    name: str
    parties: tuple[str, ...]
    years: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": str(self.file),
            "name": self.name,
            "parties": list(self.parties),
            "years": list(self.years),
        }


def link_document(ws: Workspace, kind: str, file: Path, facts: PlaceFacts) -> LinkResult:
    """Link an appraisal, gain-share agreement or pooled budget to the place as evidence
    (read first: a file the checks could not read is refused)."""
    if kind not in DOCUMENT_KINDS:
        raise InputError(
            [
                Problem(
                    CLI,
                    None,
                    "KIND",
                    kind,
                    "unknown kind of evidence",
                    f"use one of: {', '.join(DOCUMENT_KINDS)}",
                )
            ]
        )
    path = Path(file).resolve()
    if not path.is_file():
        raise InputError([Problem(str(file), None, None, None, "file not found", "check the path")])
    content = facts.read_document(kind, path)
    sha = file_sha256(path)
    with ws.write("framework evidence link", file=path, sha256=sha, detail={"kind": kind}):
        store.put_link(ws, kind, path, sha)
    return LinkResult(kind, path, content.name, content.parties, content.years)


def unlink_document(ws: Workspace, kind: str, file: Path) -> int:
    """Stop using a linked file as evidence."""
    path = Path(file).resolve()
    if not any(x.kind == kind and x.file == path for x in store.links(ws)):
        raise WholeplaceError(
            f"{path} is not linked as {kind}. Fix: `wholeplace framework evidence` lists them."
        )
    with ws.write("framework evidence unlink", file=path, detail={"kind": kind}) as info:
        info["rows"] = store.remove_link(ws, kind, path)
    return 1


# -- scores, disagreement, plan, progress ----------------------------------------------


@dataclass(frozen=True)
class ScoresResult:
    assessment: Assessment
    scores: Scores
    partners: dict[str, str]  # id -> name

    def to_json(self) -> dict[str, Any]:
        return {"assessment": self.assessment.to_json(), **self.scores.to_json()}


def _partner_names(ws: Workspace) -> dict[str, str]:
    return {p.id: p.name for p in sorted(list_partners(ws), key=lambda p: p.id)}


def scores(ws: Workspace, assessment_name: str | None = None) -> ScoresResult:
    a = assessment(ws, assessment_name)
    names = _partner_names(ws)
    answered = store.answers(ws, a.name)
    who = sorted({x.partner for x in answered})
    return ScoresResult(a, score(a.framework, answered, who), names)


@dataclass(frozen=True)
class DisagreementResult:
    assessment: str
    disagreements: list[Disagreement]

    def to_json(self) -> dict[str, Any]:
        return {
            "assessment": self.assessment,
            "disagreements": [d.to_json() for d in self.disagreements],
        }


def disagreements(ws: Workspace, assessment_name: str | None = None) -> DisagreementResult:
    a = assessment(ws, assessment_name)
    return DisagreementResult(a.name, scoring.disagreements(a.framework, store.answers(ws, a.name)))


@dataclass(frozen=True)
class PlanResult:
    assessment: str
    on: date
    gaps: list[Gap]

    def to_json(self) -> dict[str, Any]:
        return {
            "assessment": self.assessment,
            "on": self.on.isoformat(),
            "gaps": [{**g.to_json(), "overdue": g.overdue(self.on)} for g in self.gaps],
        }


def plan(
    ws: Workspace,
    facts: PlaceFacts | None = None,
    *,
    on: date | None = None,
    assessment_name: str | None = None,
) -> PlanResult:
    """The improvement plan: the gaps, lowest level first, each with its owner and date."""
    a = assessment(ws, assessment_name)
    ev = check_evidence(ws, facts, on=on, assessment_name=a.name)
    gaps = improvement_plan(
        a.framework, store.answers(ws, a.name), store.plan_entries(ws), ev.unsupported()
    )
    return PlanResult(a.name, ev.on, gaps)


@dataclass(frozen=True)
class PlanSet:
    entry: PlanEntry

    def to_json(self) -> dict[str, Any]:
        e = self.entry
        return {
            "statement_id": e.statement_id,
            "owner": e.owner,
            "due": None if e.due is None else e.due.isoformat(),
            "note": e.note,
        }


def set_plan(
    ws: Workspace,
    statement_id: str,
    *,
    owner: str | None = None,
    due: str | date | None = None,
    note: str | None = None,
) -> PlanSet:
    """Set who closes a gap and by when (what is not given stays as it was)."""
    sid = statement_id.strip().upper()
    p = Problems(CLI)
    if store.framework(ws).statement(sid) is None:
        p.add(None, "STATEMENT_ID", statement_id, "unknown statement id", see_statements())
    when: date | None = None
    if isinstance(due, date):
        when = due
    elif due:
        try:
            when = date.fromisoformat(due.strip())
        except ValueError:
            p.add(None, "--due", due, "not a date", "write it as 2026-03-31")
    if owner is None and due is None and note is None:
        p.add(None, None, sid, "nothing to set", "give --owner, --due or --note")
    p.raise_if_any()
    old = store.plan_entries(ws).get(sid, PlanEntry(sid))
    entry = PlanEntry(
        sid,
        old.owner if owner is None else owner.strip() or None,
        old.due if due is None else when,
        old.note if note is None else note.strip() or None,
    )
    with ws.write("framework plan set", rows=1, detail=PlanSet(entry).to_json()):
        store.put_plan_entry(ws, entry)
    return PlanSet(entry)


@dataclass(frozen=True)
class ProgressResult:
    progress: Progress

    def to_json(self) -> dict[str, Any]:
        return self.progress.to_json()


def progress(ws: Workspace, before: str | None = None, after: str | None = None) -> ProgressResult:
    """How the scores moved between two assessments (default: the last two)."""
    have = store.assessments(ws)
    if after is None:
        if not have:
            assessment(ws)  # raises: none started
        after = have[-1].name
    b_after = assessment(ws, after)
    if before is None:
        earlier = [a for a in have if a.started_at < b_after.started_at and a.name != after]
        if not earlier:
            raise WholeplaceError(
                f"No assessment before {after!r} to compare with. "
                "Fix: start the next one with `wholeplace framework start NAME`."
            )
        before = earlier[-1].name
    b_before = assessment(ws, before)
    return ProgressResult(
        scoring.progress(
            b_before.name,
            b_before.framework,
            store.answers(ws, b_before.name),
            b_after.name,
            b_after.framework,
            store.answers(ws, b_after.name),
        )
    )
