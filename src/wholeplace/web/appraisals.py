"""Cost-benefit appraisals: upload one (YAML or the XLSX template), run it with the place's
unit costs, parameters and partners, and read it on the page or download its HTML or XLSX
report. Nothing is stored in the place but the audit-log entry of each run and export (with
the file's SHA-256); the server keeps a run's figures until the next write of data
(``Place.memo``), so the same file run again is not computed again."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from wholeplace.cba import service as cba_service
from wholeplace.errors import InputError
from wholeplace.web.base import actor, need, place, render
from wholeplace.web.uploads import (
    safe_name,
    save_upload,
    upload_form,
    upload_route,
    upload_sha256,
)

router = APIRouter()
APPRAISAL_SUFFIXES = (".yaml", ".yml", ".xlsx")
OUTPUTS = {"page": None, "html": ".html", "xlsx": ".xlsx"}
MEDIA = {
    ".html": "text/html; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADLINE = (
    ("pv_costs", "Present value of costs"),
    ("pv_fiscal", "Present value of fiscal benefits"),
    ("pv_fiscal_cashable", "of which cashable"),
    ("pv_economic", "Present value of economic benefits"),
    ("pv_social", "Present value of social benefits"),
    ("net_present_budget_impact", "Net present budget impact"),
    ("net_present_public_value", "Net present public value"),
)


def appraisal_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    return render(request, "appraisals.html", status, **context)


@router.get("/appraisals", response_class=HTMLResponse, **need("appraisals"))
def appraisals(request: Request) -> Response:
    return appraisal_page(request)


@router.post("/appraisals/run", **upload_route("appraisals", "output"))
async def run_appraisal(request: Request) -> Response:
    form, upload = await upload_form(request)
    output = str(form.get("output") or "page")
    suffix = OUTPUTS.get(output)
    p = place(request)
    who = actor(request)

    def run() -> tuple[str, dict[str, Any], bytes | None]:
        name = safe_name(upload.filename, APPRAISAL_SUFFIXES)
        digest = upload_sha256(upload, p.max_upload)

        def compute() -> tuple[dict[str, Any], bytes | None]:
            with p.read() as ws, ws.scratch_dir() as tmp:
                saved = save_upload(upload, Path(tmp), name, p.max_upload)
                out = None if suffix is None else Path(tmp) / ("appraisal" + suffix)
                done = cba_service.run(saved, ws, out)
                return done.to_json(), None if out is None else out.read_bytes()

        if suffix is None:
            # The same file on the same day over the same data gives the same figures (the
            # parameters in force are today's); a report is made afresh, as it says when.
            key = ("appraisal run", name, digest, date.today().isoformat())
            result, data = p.memo(key, compute, kind="runs")
        else:
            result, data = compute()
        p.audit(
            who,
            "appraisal run" if suffix is None else "appraisal export",
            {"file": name, "output": output},
            sha256=digest,
        )
        return name, result, data

    if output not in OUTPUTS:
        return render(request, "appraisals.html", 400, error="Choose page, HTML or XLSX.")
    try:
        name, result, data = await run_in_threadpool(run)
    except InputError as exc:
        return render(request, "appraisals.html", 400, problems=exc.problems, summary=exc.summary)
    if data is not None and suffix is not None:
        stem = re.sub(r"\.(ya?ml|xlsx)$", "", name, flags=re.I) or "appraisal"
        return Response(
            data,
            media_type=MEDIA[suffix],
            headers={"Content-Disposition": f'attachment; filename="{stem}-report{suffix}"'},
        )
    headline = [(label, result[key]) for key, label in HEADLINE]
    return render(
        request,
        "appraisals.html",
        name=name,
        headline=headline,
        result=result,
        by_agency=sorted(result["by_agency"].items()),
    )
