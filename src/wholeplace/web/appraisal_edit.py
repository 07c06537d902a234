"""Editing an appraisal in the browser, and comparing appraisals.

The editor shows an appraisal's settings, cost lines and outcome lines as fields (the shipped
example, or a file opened into it); the same loader as ``wholeplace cba run`` checks them,
every problem shown in the standard table with the form's row (the first cost is row 1 of
``Costs``), and the fields with a problem marked. It runs the appraisal on the page (the
figures of ``cba run --json``, or that JSON itself), downloads its HTML or XLSX report, and
downloads the edited appraisal as YAML or the XLSX template, both read by ``cba run``.

Comparing takes two or more appraisal files and shows ``cba compare``'s figures side by side,
or downloads its HTML or XLSX report, or gives its JSON.

Nothing is stored in the place but the audit-log entry of each run and download.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from wholeplace.cba import analysis_service
from wholeplace.cba import service as cba_service
from wholeplace.cba.form import COST_FIELDS, OUTCOME_FIELDS, SETTINGS_FIELDS, AppraisalForm
from wholeplace.errors import InputError, Problem
from wholeplace.spend.service import plain
from wholeplace.web.appraisals import APPRAISAL_SUFFIXES, HEADLINE, MEDIA, appraisal_page
from wholeplace.web.base import actor, check_csrf, need, place, render
from wholeplace.web.uploads import safe_name, save_upload, upload_form, upload_route

router = APIRouter()

# what each button of the editor does: (audit action, file suffix or None for the page)
ACTIONS: dict[str, tuple[str, str | None]] = {
    "run": ("appraisal run", None),
    "json": ("appraisal run", None),
    "report-html": ("appraisal export", ".html"),
    "report-xlsx": ("appraisal export", ".xlsx"),
    "save-yaml": ("appraisal export", ".yaml"),
    "save-xlsx": ("appraisal export", ".xlsx"),
}
ADD = ("add-cost", "add-outcome")
MAX_LINES = 200  # cost or outcome lines on one form: far more than any appraisal has
MAX_FIELDS = 2 * MAX_LINES * len(OUTCOME_FIELDS)
MAX_COMPARED = 10
_FIELD = re.compile(r"^([co])-(\d{1,3})-([a-z_]+)$")
_PATH = re.compile(r"^(costs|outcomes)\[(\d+)\]\.([a-z_]+)")
MEDIA_YAML = "application/yaml; charset=utf-8"

# the fields shown for every line; the rest of OUTCOME_FIELDS are under "More"
OUTCOME_MAIN = (
    "description",
    "unit_cost",
    "per",
    "value",
    "value_type",
    "value_year",
    "agency",
    "cohort",
    "engagement",
    "success",
    "deadweight",
    "persistence",
    "confidence",
    "cashable",
)


def _form_route() -> dict[str, Any]:
    route = need("appraisals")
    route["openapi_extra"]["requestBody"] = {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["csrf", "action"],
                    "properties": {
                        "csrf": {"type": "string"},
                        "action": {"type": "string", "enum": [*ACTIONS, *ADD]},
                        "label": {"type": "string"},
                        "s-name": {"type": "string"},
                        "c-0-description": {"type": "string"},
                        "o-0-description": {"type": "string"},
                    },
                }
            }
        },
    }
    return route


def _label(sent: object) -> str:
    """The appraisal's file name (named in problems and downloads): letters only, as an
    upload's name is stored."""
    try:
        return safe_name(str(sent or ""), APPRAISAL_SUFFIXES)
    except InputError:
        return "appraisal.yaml"


def _stem(label: str) -> str:
    return re.sub(r"\.(ya?ml|xlsx)$", "", label, flags=re.I) or "appraisal"


def form_from(data: FormData) -> AppraisalForm:
    """The editor's fields as sent: ``s-FIELD`` the settings, ``c-N-FIELD`` and ``o-N-FIELD``
    the cost and outcome lines in the order of N. A line marked ``remove``, or with every
    field blank, is left out; a field the form does not have is ignored."""
    settings = {k: str(data.get(f"s-{k}") or "") for k in SETTINGS_FIELDS}
    lines: dict[str, dict[int, dict[str, str]]] = {"c": {}, "o": {}}
    allowed = {"c": (*COST_FIELDS, "remove"), "o": (*OUTCOME_FIELDS, "remove")}
    for key, value in data.multi_items():
        m = _FIELD.match(key)
        if m is None or m[3] not in allowed[m[1]] or isinstance(value, UploadFile):
            continue
        row = lines[m[1]].setdefault(int(m[2]), {})
        if len(lines[m[1]]) <= MAX_LINES:
            row[m[3]] = value
    kept: dict[str, list[dict[str, str]]] = {}
    for kind, rows in lines.items():
        kept[kind] = [
            {k: v for k, v in row.items() if k != "remove"}
            for _, row in sorted(rows.items())
            if not row.get("remove") and any(v.strip() for k, v in row.items() if k != "remove")
        ]
    return AppraisalForm(settings, kept["c"], kept["o"])


def _marked(problems: list[Problem]) -> set[str]:
    """The form's fields a problem is in (``c-0-amounts``), to mark them."""
    marked = set()
    for p in problems:
        column = p.column or ""
        m = _PATH.match(column)
        if m is not None:
            marked.add(f"{m[1][0]}-{m[2]}-{m[3]}")
        elif column.startswith("appraisal."):
            marked.add("s-" + column.split(".")[1].split("[")[0])
    return marked


def _editor(
    request: Request,
    form: AppraisalForm,
    label: str,
    status: int = 200,
    *,
    problems: list[Problem] | None = None,
    **context: Any,
) -> HTMLResponse:
    return render(
        request,
        "appraisal_edit.html",
        status,
        form=form,
        label=label,
        settings_fields=SETTINGS_FIELDS,
        cost_fields=COST_FIELDS,
        outcome_main=OUTCOME_MAIN,
        outcome_more=[f for f in OUTCOME_FIELDS if f not in OUTCOME_MAIN and f != "transfer"],
        problems=problems or [],
        marked=_marked(problems or []),
        **context,
    )


def _result_context(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "headline": [(label, result[key]) for key, label in HEADLINE],
        "result": result,
        "by_agency": sorted(result["by_agency"].items()),
    }


@router.get("/appraisals/edit", response_class=HTMLResponse, **need("appraisals"))
def edit(request: Request) -> Response:
    form = cba_service.open_form()
    return _editor(request, form, "example_appraisal.yaml")


@router.post("/appraisals/edit/open", **upload_route("appraisals"))
async def open_file(request: Request) -> Response:
    """An appraisal file into the editor, checked at once: its figures, or its problems
    beside the fields to put them right in."""
    _data, upload = await upload_form(request)
    p = place(request)

    def opened() -> tuple[str, AppraisalForm]:
        name = safe_name(upload.filename, APPRAISAL_SUFFIXES)
        with p.read() as ws, ws.scratch_dir() as tmp:
            saved = save_upload(upload, Path(tmp), name, p.max_upload)
            return name, cba_service.open_form(saved)

    try:
        label, form = await run_in_threadpool(opened)
    except InputError as exc:
        return appraisal_page(request, 400, problems=exc.problems, summary=exc.summary)
    return await _run(request, form, label, "run")


@router.post("/appraisals/edit", **_form_route())
async def edited(request: Request) -> Response:
    data = await request.form(max_files=0, max_fields=MAX_FIELDS)
    check_csrf(request, data.get("csrf"))
    form = form_from(data)
    label = _label(data.get("label"))
    action = str(data.get("action") or "run")
    if action == "add-cost":
        form.costs.append({"type": "revenue"})
        return _editor(request, form, label)
    if action == "add-outcome":
        form.outcomes.append({})
        return _editor(request, form, label)
    if action not in ACTIONS:
        return _editor(request, form, label, 400, error="Choose one of the form's buttons.")
    return await _run(request, form, label, action)


async def _run(request: Request, form: AppraisalForm, label: str, action: str) -> Response:
    audit, suffix = ACTIONS[action]
    p = place(request)
    who = actor(request)

    def run() -> tuple[dict[str, Any], bytes | None]:
        with p.read() as ws, ws.scratch_dir() as tmp:
            data = None
            if action.startswith("save-"):
                out = Path(tmp) / ("appraisal" + (suffix or ""))
                cba_service.write_appraisal(form, out, ws, label)
                result: dict[str, Any] = {}
                data = out.read_bytes()
            else:
                out_report = None if suffix is None else Path(tmp) / ("report" + suffix)
                done = cba_service.run_form(form, ws, out_report, label=label)
                result = done.to_json()
                data = None if out_report is None else out_report.read_bytes()
        p.audit(who, audit, detail={"file": label, "output": action, "edited": True})
        return result, data

    try:
        result, data = await run_in_threadpool(run)
    except InputError as exc:
        if action == "json":
            problems = [pr.to_dict() for pr in exc.problems]
            return JSONResponse({"error": exc.summary, "problems": problems}, status_code=400)
        return _editor(request, form, label, 400, problems=exc.problems, summary=exc.summary)
    if action == "json":
        return JSONResponse(plain(result))
    if data is not None and suffix is not None:
        name = _stem(label) + ("" if action.startswith("save-") else "-report") + suffix
        media = MEDIA_YAML if suffix == ".yaml" else MEDIA[suffix]
        return Response(
            data,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return _editor(request, form, label, name=form.settings.get("name"), **_result_context(result))


# -- comparing ------------------------------------------------------------------------------

COMPARE_OUTPUTS = {"page": None, "json": None, "html": ".html", "xlsx": ".xlsx"}


def _compare_route() -> dict[str, Any]:
    route = upload_route("appraisals", "output")
    schema = route["openapi_extra"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    props = schema["properties"]
    props["files"] = {"type": "array", "items": props.pop("file")}
    schema["required"] = ["csrf", "files"]
    return route


@router.post("/appraisals/compare", **_compare_route())
async def compare(request: Request) -> Response:
    data = await request.form(max_files=MAX_COMPARED + 1, max_fields=10)
    check_csrf(request, data.get("csrf"))
    output = str(data.get("output") or "page")
    uploads = [u for u in data.getlist("files") if isinstance(u, UploadFile) and u.filename]
    if output not in COMPARE_OUTPUTS or not 2 <= len(uploads) <= MAX_COMPARED:
        return appraisal_page(
            request,
            400,
            error=f"Choose from 2 to {MAX_COMPARED} appraisal files, and how to show them.",
        )
    suffix = COMPARE_OUTPUTS[output]
    p = place(request)
    who = actor(request)

    def run() -> tuple[list[str], list[dict[str, Any]], bytes | None]:
        names = [safe_name(u.filename, APPRAISAL_SUFFIXES) for u in uploads]
        with p.read() as ws, ws.scratch_dir() as tmp:
            saved = []
            for i, (u, name) in enumerate(zip(uploads, names, strict=True)):
                # a folder each: two files of the same name are two options
                folder = Path(tmp) / str(i)
                folder.mkdir()
                saved.append(save_upload(u, folder, name, p.max_upload))
            comparison = analysis_service.compare(saved, ws)
            data = None
            if suffix is not None:
                out = Path(tmp) / ("comparison" + suffix)
                data = analysis_service.write_comparison(comparison, out).read_bytes()
            options = comparison.to_json()
        for option, name in zip(options, names, strict=True):
            option["file"] = name  # as sent, not the scratch folder's path
        p.audit(
            who,
            "appraisal compare" if suffix is None else "appraisal export",
            detail={"files": names, "output": output},
        )
        return names, options, data

    try:
        names, options, report = await run_in_threadpool(run)
    except InputError as exc:
        if output == "json":
            problems = [pr.to_dict() for pr in exc.problems]
            return JSONResponse({"error": exc.summary, "problems": problems}, status_code=400)
        return appraisal_page(request, 400, problems=exc.problems, summary=exc.summary)
    if output == "json":
        return JSONResponse(plain(options))
    if report is not None and suffix is not None:
        return Response(
            report,
            media_type=MEDIA[suffix],
            headers={"Content-Disposition": f'attachment; filename="comparison{suffix}"'},
        )
    rows = [(label, [o[key] for o in options]) for key, label in HEADLINE]
    return appraisal_page(request, options=options, compare_rows=rows)
