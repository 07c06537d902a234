"""What the self-assessment's answers add up to, on the web (issue 13): where partners
disagree, the improvement plan (read, and each gap's owner, date and note set), progress
between two assessments, and the report (HTML or XLSX) and anonymised export downloaded.
Each page has a JSON twin giving the command line's ``--json`` (``wholeplace framework
disagreements | plan | progress | report``); every download is written to the audit log.

Not here: ``framework evidence link``, which names a file on the server's disk; a web user
never names a path on the server (as with the payment-by-results forecast's ``scheme:``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from wholeplace import framework as fw
from wholeplace.errors import InputError, WholeplaceError
from wholeplace.framework.model import ANSWER_WORDS, DIMENSIONS, LEVELS
from wholeplace.framework.scoring import pct_points
from wholeplace.place_evidence import PlaceEvidence
from wholeplace.spend.service import plain
from wholeplace.web.base import actor, check_csrf, need, place, render
from wholeplace.web.framework_answers import XLSX, on_the_form
from wholeplace.web.uploads import safe_name

router = APIRouter()
REPORTS = {"html": ("text/html; charset=utf-8", ".html"), "xlsx": (XLSX, ".xlsx")}


def _started(request: Request) -> bool:
    with place(request).read() as ws:
        return bool(fw.assessments(ws).assessments)


def _json(data: object) -> dict[str, Any]:
    out: dict[str, Any] = plain(data)  # type: ignore[assignment]
    return out


# -- disagreements -------------------------------------------------------------------------


@router.get("/framework/disagreements", response_class=HTMLResponse, **need("dashboards"))
def disagreements(request: Request, assessment: str | None = None) -> Response:
    if not _started(request):
        return render(request, "framework_results.html", view="disagreements", result=None)
    with place(request).read() as ws:
        res = fw.disagreements(ws, assessment or None)
        names = {p: n for p, n in fw.scores(ws, res.assessment).partners.items()}
    return render(request, "framework_results.html", view="disagreements", result=res, names=names)


@router.get(
    "/api/framework/disagreements",
    summary="Where partners disagree (as `wholeplace framework disagreements --json`)",
    **need("dashboards"),
)
def disagreements_json(request: Request, assessment: str | None = None) -> dict[str, Any]:
    with place(request).read() as ws:
        return _json(fw.disagreements(ws, assessment or None).to_json())


# -- the improvement plan ----------------------------------------------------------------------


def _plan_page(
    request: Request, assessment: str | None, status: int = 200, **context: Any
) -> HTMLResponse:
    if not _started(request):
        return render(request, "framework_results.html", status, view="plan", result=None)
    with place(request).read() as ws:
        res = fw.plan(ws, PlaceEvidence(ws), assessment_name=assessment)
    return render(
        request,
        "framework_results.html",
        status,
        view="plan",
        result=res,
        words=ANSWER_WORDS,
        **context,
    )


@router.get("/framework/plan", response_class=HTMLResponse, **need("dashboards"))
def plan(request: Request, assessment: str | None = None, saved: str | None = None) -> Response:
    return _plan_page(request, assessment or None, saved=saved)


@router.get(
    "/api/framework/plan",
    summary="The improvement plan (as `wholeplace framework plan --json`)",
    **need("dashboards"),
)
def plan_json(request: Request, assessment: str | None = None) -> dict[str, Any]:
    with place(request).read() as ws:
        return _json(fw.plan(ws, PlaceEvidence(ws), assessment_name=assessment or None).to_json())


@router.post("/framework/plan", response_class=HTMLResponse, **need("manage framework"))
async def plan_set(request: Request) -> Response:
    """One gap's owner, date and note, as ``framework plan set``: the form sends all three,
    so a field left empty clears what was set."""
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, form.get("csrf"))
    statement = str(form.get("statement") or "")
    owner = str(form.get("owner") or "")
    due = str(form.get("due") or "")
    note = str(form.get("note") or "")
    assessment = str(form.get("assessment") or "").strip() or None
    p = place(request)

    def run() -> fw.PlanSet:
        with p.write(actor(request)) as ws:
            return fw.set_plan(ws, statement, owner=owner, due=due, note=note)

    try:
        done = await run_in_threadpool(run)
    except InputError as exc:
        return _plan_page(
            request,
            assessment,
            400,
            problems=on_the_form(exc.problems),
            summary="Nothing was saved",
            problems_note="Nothing was saved. Put right what is below and save again.",
        )
    return _plan_page(request, assessment, saved=done.entry.statement_id)


# -- progress --------------------------------------------------------------------------------


@router.get("/framework/progress", response_class=HTMLResponse, **need("dashboards"))
def progress(request: Request, before: str | None = None, after: str | None = None) -> Response:
    with place(request).read() as ws:
        names = [a.name for a in fw.assessments(ws).assessments]
        try:
            res = fw.progress(ws, before or None, after or None)
        except WholeplaceError as exc:
            # fewer than two assessments, or a name that is not one: said on the page
            status = 200 if len(names) < 2 and not (before or after) else 400
            return render(
                request,
                "framework_results.html",
                status,
                view="progress",
                result=None,
                error=str(exc),
                names=names,
            )
    pr = res.progress
    rows = [
        (lv, d, pr.before.cells[(lv, d)], pr.after.cells[(lv, d)], pr.cell_change((lv, d)))
        for lv in LEVELS
        for d in DIMENSIONS
    ]
    return render(
        request,
        "framework_results.html",
        view="progress",
        result=pr,
        rows=rows,
        overall_change=pct_points(pr.after.overall, pr.before.overall),
        names=names,
        words=ANSWER_WORDS,
    )


@router.get(
    "/api/framework/progress",
    summary="Progress between two assessments (as `wholeplace framework progress --json`)",
    **need("dashboards"),
)
def progress_json(
    request: Request, before: str | None = None, after: str | None = None
) -> dict[str, Any]:
    with place(request).read() as ws:
        return _json(fw.progress(ws, before or None, after or None).to_json())


# -- the report and the export ---------------------------------------------------------------


@router.get("/framework/report", **need("framework reports"))
def report(request: Request, format: str = "html", assessment: str | None = None) -> Response:
    """The report as ``framework report --out FILE.html|.xlsx`` writes it, downloaded."""
    if format not in REPORTS:
        raise HTTPException(400, "Choose the report as html or xlsx.")
    media, suffix = REPORTS[format]
    p = place(request)

    with p.read() as ws, ws.scratch_dir() as tmp:
        out = Path(tmp) / ("report" + suffix)
        done = fw.write_report(ws, out, PlaceEvidence(ws), assessment_name=assessment or None)
        data = out.read_bytes()
    name = done.report.assessment.name
    p.audit(actor(request), "framework report export", {"assessment": name, "output": format})
    stem = safe_name(f"alignment-{name}".replace("/", "-") + suffix, (suffix,))
    return Response(
        data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{stem}"'}
    )


@router.get(
    "/api/framework/report",
    summary="The report's figures (as `wholeplace framework report --json`)",
    **need("framework reports"),
)
def report_json(request: Request, assessment: str | None = None) -> dict[str, Any]:
    with place(request).read() as ws:
        r = fw.build_report(ws, PlaceEvidence(ws), assessment_name=assessment or None)
        return _json(r.to_json())


@router.get("/framework/export.json", **need("framework reports"))
def export(request: Request, assessment: str | None = None) -> Response:
    """The anonymised scores for other places, as ``framework export OUT.json`` writes them."""
    p = place(request)
    with p.read() as ws, ws.scratch_dir() as tmp:
        out = Path(tmp) / "export.json"
        name = fw.assessment(ws, assessment or None).name
        fw.export(ws, out, name)
        data = out.read_bytes()
    p.audit(actor(request), "framework export", {"assessment": name, "output": "json"})
    return Response(
        data,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="alignment-export.json"'},
    )
