"""Uploads of capital outturn (COR B) or estimates (CER B), and of an authority's detailed
outturn (its budgets JSON: RSX with the RO4-RO6 lines), beside the revenue outturn on the
uploads page.

They call the services ``wholeplace spend import-capital`` and ``import-outturn-detail`` call,
as the other uploads do: the whole file is checked first, nothing is stored if anything is
wrong (the problem table says what), and the import is in the audit log. A partner analyst
uploads for their own partner only (a form naming another is refused, 403); only an
administrator may import every authority of a capital workbook at once.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from wholeplace.errors import InputError, Problem
from wholeplace.spend import national_service
from wholeplace.web.base import actor, place
from wholeplace.web.uploads import safe_name, save_upload, upload_form, upload_route, uploads_page
from wholeplace.web.uploads_national import authority_upload, field_of, partner_for

router = APIRouter()
CAPITAL_SUFFIXES = (".xlsx",)
DETAIL_SUFFIXES = (".json",)


@router.post(
    "/uploads/capital",
    response_class=HTMLResponse,
    **upload_route("upload spend", "partner", "authority", "all"),
)
async def upload_capital(request: Request) -> Response:
    return await authority_upload(
        request, "capital", CAPITAL_SUFFIXES, "LGF code", national_service.import_capital
    )


@router.post(
    "/uploads/outturn-detail",
    response_class=HTMLResponse,
    **upload_route("upload spend", "partner", "year"),
)
async def upload_outturn_detail(request: Request) -> Response:
    form, upload = await upload_form(request)
    partner = partner_for(request, field_of(form.get("partner")))
    year = field_of(form.get("year"))
    p = place(request)

    def run() -> national_service.DetailResult:
        name = safe_name(upload.filename, DETAIL_SUFFIXES)
        if partner is None:
            raise InputError(
                [
                    Problem(
                        name,
                        None,
                        "partner",
                        None,
                        "no partner was chosen",
                        "choose the partner whose outturn this is",
                    )
                ],
                "nothing was imported",
            )
        with p.write(actor(request)) as ws, ws.scratch_dir() as tmp:
            saved = save_upload(upload, Path(tmp), name, p.max_upload)
            return national_service.import_outturn_detail(ws, saved, partner=partner, year=year)

    try:
        done = await run_in_threadpool(run)
    except InputError as exc:
        return uploads_page(request, 400, problems=exc.problems, summary=exc.summary, kind="detail")
    return uploads_page(request, detail_done=done, detail_partner=partner, kind="detail")
