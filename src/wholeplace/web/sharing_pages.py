"""Sharing agreements: upload a pooled budget, a gain-share agreement or a staff-recharge
file, and read the result on the page or download its HTML or XLSX report (as `wholeplace
sharing ...`). Nothing is stored but the audit-log entry (with the file's SHA-256); a run's
result is kept until the next write of data, as an appraisal's is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from wholeplace.errors import InputError
from wholeplace.partners import list_partners
from wholeplace.sharing import service as sharing_service
from wholeplace.spend.service import plain
from wholeplace.web.appraisals import MEDIA, OUTPUTS
from wholeplace.web.base import actor, need, place, render
from wholeplace.web.uploads import (
    safe_name,
    save_upload,
    second_file,
    upload_form,
    upload_route,
    upload_sha256,
)

router = APIRouter()

# kind -> (what it is, the files it takes, the service that reads one)
KINDS: dict[str, tuple[str, tuple[str, ...], Callable[[Path], sharing_service.SharingResult]]] = {
    "pool": ("Pooled budget (YAML or XLSX)", (".yaml", ".yml", ".xlsx"), sharing_service.pool),
    "gainshare": ("Gain-share agreement (YAML)", (".yaml", ".yml"), sharing_service.gainshare),
    "recharges": (
        "Staff recharges (CSV or XLSX)",
        (".csv", ".xlsx"),
        lambda path: sharing_service.recharges(path),
    ),
}


def sharing_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    kinds = [(k, v[0]) for k, v in KINDS.items()]
    return render(request, "sharing.html", status, kinds=kinds, **context)


_page = sharing_page


@router.get("/sharing", response_class=HTMLResponse, **need("appraisals"))
def sharing(request: Request) -> Response:
    return _page(request)


def _run_route() -> dict[str, Any]:
    route = upload_route("appraisals", "kind", "output", "place_partners", "year")
    schema = route["openapi_extra"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    schema["properties"]["actuals"] = {"type": "string", "format": "binary"}
    return route


@router.post("/sharing/run", **_run_route())
async def run_sharing(request: Request) -> Response:
    form, upload = await upload_form(request, max_files=2)
    actuals = second_file(form, "actuals")
    kind = str(form.get("kind") or "")
    output = str(form.get("output") or "page")
    # as --workspace: each partner named as the place names it, an id of no partner refused
    named = bool(form.get("place_partners"))
    year = str(form.get("year") or "").strip()
    if kind not in KINDS or output not in OUTPUTS:
        return _page(request, 400, error="Choose what the file is, and how to show it.")
    if actuals is not None and kind != "recharges":
        return _page(request, 400, error="Actuals are for staff recharges only.")
    label, suffixes, _read = KINDS[kind]
    suffix = OUTPUTS[output]
    p = place(request)
    who = actor(request)

    def run() -> tuple[str, Any, bytes | None]:
        name = safe_name(upload.filename, suffixes)
        digest = upload_sha256(upload, p.max_upload)
        second_digest = None if actuals is None else upload_sha256(actuals, p.max_upload)

        def compute() -> tuple[Any, bytes | None]:
            with p.read() as ws, ws.scratch_dir() as tmp:
                saved = save_upload(upload, Path(tmp), name, p.max_upload)
                partners = list_partners(ws) if named else None
                result: sharing_service.SharingResult
                if kind == "pool":
                    result = sharing_service.pool(saved, place=partners)
                elif kind == "gainshare":
                    result = sharing_service.gainshare(saved, place=partners)
                else:
                    second = None
                    if actuals is not None:
                        folder = Path(tmp) / "actuals"
                        folder.mkdir()
                        second_name = safe_name(actuals.filename, (".csv", ".xlsx"))
                        second = save_upload(actuals, folder, second_name, p.max_upload)
                    result = sharing_service.recharges(
                        saved, actuals=second, year=year, place=partners
                    )
                data = None
                if suffix is not None:
                    out = Path(tmp) / ("report" + suffix)
                    data = sharing_service.write_report(result, out).read_bytes()
                return plain(result.to_json()), data

        if suffix is None:
            # as an appraisal's run (appraisals.py): kept by file, options and day until a
            # write (the place's partners are read through it, so a write drops it)
            key = (
                "sharing run",
                kind,
                name,
                digest,
                second_digest,
                year,
                named,
                date.today().isoformat(),
            )
            result, data = p.memo(key, compute, kind="runs")
        else:
            result, data = compute()
        p.audit(
            who,
            "sharing run" if suffix is None else "sharing export",
            sha256=digest,
            detail={"kind": kind, "file": name, "output": output, "place": named},
        )
        return name, result, data

    try:
        name, result, data = await run_in_threadpool(run)
    except InputError as exc:
        return _page(request, 400, problems=exc.problems, summary=exc.summary)
    if data is not None and suffix is not None:
        return Response(
            data,
            media_type=MEDIA[suffix],
            headers={"Content-Disposition": f'attachment; filename="{kind}-report{suffix}"'},
        )
    return _page(request, name=name, label=label, result=result)
