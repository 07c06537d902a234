"""Answering the ALPS self-assessment in the browser (issue 13): the assessments (list, start
one), the questionnaire as a form, a filled-in questionnaire or answers CSV uploaded, and the
questionnaire workbook downloaded, over the same services as ``wholeplace framework
assessments | start | answer | import | questionnaire``.

A partner analyst answers for their own partner only: the partner is taken from their
account, never from the form, and a form or query naming another partner is refused (403);
an upload of theirs may hold their own partner's answers only (the importer refuses a row
naming another, and nothing is written). A partnership member or an administrator answers
for the partner they choose, as ``framework answer --partner`` does.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from wholeplace import framework as fw
from wholeplace.errors import InputError, Problem, WholeplaceError
from wholeplace.framework.model import ANSWER_WORDS, DIMENSIONS, LEVELS, Framework, cell_label
from wholeplace.partners import list_partners
from wholeplace.place_evidence import PlaceEvidence
from wholeplace.web.base import actor, check_csrf, need, place, render, session
from wholeplace.web.uploads import safe_name, save_upload, upload_form, upload_route
from wholeplace.web.users import ANALYST
from wholeplace.workspace import Workspace

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the answers the service takes, as a person reads them (the radios' values)
CHOICES = tuple(ANSWER_WORDS.values())
# the command line's names of what was typed, as the form names its fields
FORM_FIELDS = {
    "--partner": "partner",
    "ANSWER": "answer",
    "STATEMENT_ID": "statement",
    "--evidence": "evidence",
    "--note": "note",
    "NAME": "name",
    "--due": "due",
}


def on_the_form(problems: list[Problem]) -> list[Problem]:
    """The service's problems as the form's: the field a person filled in, not an option."""
    return [
        replace(p, file="the form", column=FORM_FIELDS.get(p.column or "", p.column))
        for p in problems
    ]


def answering_for(request: Request, sent: str | None) -> str | None:
    """The partner whose answers a request reads or writes. An analyst's own partner, from
    their account, whatever was sent; sending another is refused."""
    s = session(request)
    assert s is not None
    sent = (sent or "").strip() or None
    if s.user.role != ANALYST:
        return sent
    if s.user.partner is None:
        raise HTTPException(403, "Your account names no partner. Ask an administrator.")
    if sent is not None and sent != s.user.partner:
        raise HTTPException(403, "You may answer only for your own partner.")
    return s.user.partner


# -- assessments ---------------------------------------------------------------------------


def _assessments_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    with place(request).read() as ws:
        have = fw.assessments(ws).assessments
    return render(
        request, "framework_assessments.html", status, assessments=list(reversed(have)), **context
    )


@router.get("/framework/assessments", response_class=HTMLResponse, **need("dashboards"))
def assessments(request: Request) -> Response:
    return _assessments_page(request)


@router.get(
    "/api/framework/assessments",
    summary="The assessments, the first started first (as `wholeplace framework assessments "
    "--json`)",
    **need("dashboards"),
)
def assessments_json(request: Request) -> list[dict[str, object]]:
    with place(request).read() as ws:
        return fw.assessments(ws).to_json()


@router.post("/framework/assessments", response_class=HTMLResponse, **need("manage framework"))
async def start(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    check_csrf(request, form.get("csrf"))
    name = str(form.get("name") or "")
    p = place(request)

    def run() -> fw.Assessment:
        with p.write(actor(request)) as ws:
            return fw.start_assessment(ws, name)

    try:
        started = await run_in_threadpool(run)
    except InputError as exc:
        return _assessments_page(
            request, 400, problems=on_the_form(exc.problems), summary=exc.summary, typed=name
        )
    except WholeplaceError as exc:
        return _assessments_page(request, 400, error=str(exc), typed=name)
    return _assessments_page(request, started=started.name)


# -- the questionnaire as a form -------------------------------------------------------------


def _questionnaire(ws: Workspace, partner: str | None, assessment: str | None) -> dict[str, Any]:
    """What the answering page shows: the statements of the assessment (or, before the
    first, of the place's framework: the first answer starts one), the partner's answers,
    and the partner's and the partnership's scores."""
    people = sorted(list_partners(ws), key=lambda x: x.name)
    if partner is not None and partner not in {x.id for x in people}:
        known = ", ".join(sorted(x.id for x in people)) or "(none: import partners first)"
        raise InputError(
            [
                Problem(
                    "the form", None, "partner", partner, "unknown partner", f"use one of: {known}"
                )
            ]
        )
    started = fw.assessments(ws).assessments
    framework: Framework
    if started:
        report = fw.build_report(ws, None, assessment_name=assessment)
        framework = report.assessment.framework
        name: str | None = report.assessment.name
        given = {a.statement_id: a for a in report.answers if a.partner == partner}
        own = None if partner is None else report.scores.partner_overall.get(partner)
        overall = report.scores.overall
    else:
        framework = fw.framework(ws).framework
        name, given, own, overall = None, {}, None, None
    cells = [
        (cell_label(framework, lv, d), [s for s in framework.active if s.cell == (lv, d)])
        for lv in LEVELS
        for d in DIMENSIONS
    ]
    return {
        "partners": people,
        "partner": partner,
        "partner_name": next((x.name for x in people if x.id == partner), None),
        "assessment": name,
        "assessments": [a.name for a in started],
        "cells": [(label, ss) for label, ss in cells if ss],
        "given": given,
        "own": own,
        "overall": overall,
        "count": len(framework.active),
        "answered": len(given),
    }


def _answers_page(
    request: Request,
    partner: str | None,
    assessment: str | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    with place(request).read() as ws:
        data = _questionnaire(ws, partner, assessment)
    return render(
        request,
        "framework_answers.html",
        status,
        choices=CHOICES,
        words=ANSWER_WORDS,
        **data,
        **context,
    )


@router.get("/framework/answers", response_class=HTMLResponse, **need("answer framework"))
def answers(
    request: Request,
    partner: str | None = None,
    assessment: str | None = None,
    saved: str | None = None,
) -> Response:
    who = answering_for(request, partner)
    return _answers_page(request, who, assessment or None, saved=saved)


@router.post("/framework/answers", response_class=HTMLResponse, **need("answer framework"))
async def answer(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, form.get("csrf"))
    s = session(request)
    assert s is not None
    partner = answering_for(request, str(form.get("partner") or ""))
    if partner is None:
        raise HTTPException(400, "Choose the partner you answer for.")
    statement = str(form.get("statement") or "")
    value = str(form.get("answer") or "")
    evidence = str(form.get("evidence") or "").strip() or None
    note = str(form.get("note") or "").strip() or None
    assessment = str(form.get("assessment") or "").strip() or None
    p = place(request)

    def run() -> fw.AnswerResult:
        with p.write(actor(request)) as ws:
            return fw.answer(
                ws,
                partner,
                statement,
                value,
                evidence=evidence,
                note=note,
                assessment_name=assessment,
                source=f"web ({s.user.username})",
            )

    try:
        done = await run_in_threadpool(run)
    except InputError as exc:
        typed = {
            "statement": statement.strip().upper(),
            "answer": value,
            "evidence": evidence,
            "note": note,
        }
        return _answers_page(
            request,
            partner,
            assessment,
            400,
            problems=on_the_form(exc.problems),
            summary="Nothing was saved",
            problems_note="Nothing was saved. Put right what is below and save again.",
            typed=typed,
        )
    sid = done.answer.statement_id
    query = urlencode({"partner": partner, "assessment": done.assessment, "saved": sid})
    return RedirectResponse(f"/framework/answers?{query}#{sid}", status_code=303)


# -- a questionnaire or CSV uploaded, the questionnaire downloaded ------------------------------


@router.post("/framework/import", response_class=HTMLResponse, **upload_route("answer framework"))
async def import_answers(request: Request) -> Response:
    form, upload = await upload_form(request)
    own = answering_for(request, None)
    s = session(request)
    assert s is not None
    only = own if s.user.role == ANALYST else None
    assessment = str(form.get("assessment") or "").strip() or None
    p = place(request)

    def run() -> fw.AnswersImport:
        name = safe_name(upload.filename)
        with p.write(actor(request)) as ws, ws.scratch_dir() as tmp:
            saved = save_upload(upload, Path(tmp), name, p.max_upload)
            return fw.import_answers(ws, saved, assessment, only_partner=only)

    try:
        done = await run_in_threadpool(run)
    except InputError as exc:
        return _answers_page(
            request, own, assessment, 400, problems=exc.problems, summary=exc.summary
        )
    return _answers_page(request, own, done.assessment, imported=done)


@router.get("/framework/questionnaire.xlsx", **need("answer framework"))
def questionnaire(
    request: Request, partner: str | None = None, assessment: str | None = None
) -> Response:
    """The fill-in questionnaire, with the partner's answers so far. Only once an assessment
    has been started: the command line's first questionnaire starts one, which a GET may not."""
    who = answering_for(request, partner)
    p = place(request)
    with p.read() as ws, ws.scratch_dir() as tmp:
        if not fw.assessments(ws).assessments:
            raise WholeplaceError(
                "No assessment started yet. Fix: start one on the Assessments page "
                "(/framework/assessments), or answer a statement: the first answer starts one."
            )
        out = Path(tmp) / "questionnaire.xlsx"
        res = fw.questionnaire(
            ws, out, partner=who, assessment_name=assessment or None, facts=PlaceEvidence(ws)
        )
        data = out.read_bytes()
    p.audit(actor(request), "framework questionnaire download", res.to_json() | {"out": None})
    label = f"{res.assessment}-{who or 'blank'}".replace("/", "-")
    stem = "questionnaire-" + safe_name(label + ".xlsx", (".xlsx",))
    return Response(
        data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{stem}"'}
    )
