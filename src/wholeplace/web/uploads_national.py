"""Uploads of a partner's transactions ("spend over £500" files) and of a council's revenue
outturn (the RS workbook as published), beside the spend lines on the uploads page.

They call the services ``wholeplace spend import-transactions`` and ``spend import-outturn``
call. A partner analyst uploads for their own partner only: the partner is theirs whatever
the form says (a form naming another is refused), and a transactions file is read as that
partner's payments, never by a partner column. An administrator chooses the partner, or for
outturn may import every authority of the workbook (each becoming a partner).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from wholeplace.errors import InputError, Problem
from wholeplace.spend import national_service, transactions_service
from wholeplace.web.access import sees_partner
from wholeplace.web.base import actor, place, session
from wholeplace.web.uploads import (
    safe_name,
    save_upload,
    second_file,
    upload_form,
    upload_route,
    uploads_page,
)
from wholeplace.web.users import ADMIN, ANALYST

router = APIRouter()
TRANSACTION_SUFFIXES = (".csv", ".xlsx")
OUTTURN_SUFFIXES = (".xlsx", ".xls")


def partner_for(request: Request, chosen: str | None) -> str | None:
    """The partner an upload is for: an analyst's own, whatever the form says."""
    s = session(request)
    assert s is not None  # "upload spend" is for signed-in roles only
    if s.user.role == ANALYST:
        if chosen is not None and not sees_partner(s.user.role, s.user.partner, chosen):
            raise HTTPException(403, "You may upload only your own partner's data.")
        return s.user.partner
    return chosen


def field_of(value: object) -> str | None:
    return str(value or "").strip() or None


def transactions_route() -> dict[str, Any]:
    route = upload_route("upload spend", "partner", "strict", "sheet")
    schema = route["openapi_extra"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    schema["properties"]["mapping"] = {"type": "string", "format": "binary"}
    return route


@router.post(
    "/uploads/transactions",
    response_class=HTMLResponse,
    **transactions_route(),
)
async def upload_transactions(request: Request) -> Response:
    form, upload = await upload_form(request, max_files=2)
    mapping = second_file(form, "mapping")
    # as --strict: refuse a file with values the mapping does not cover
    strict = form.get("strict") == "yes"
    sheet = field_of(form.get("sheet"))
    partner = partner_for(request, field_of(form.get("partner")))
    p = place(request)

    def run() -> transactions_service.TransactionsImport:
        name = safe_name(upload.filename, TRANSACTION_SUFFIXES)
        with p.write(actor(request)) as ws, ws.scratch_dir() as tmp:
            saved = save_upload(upload, Path(tmp), name, p.max_upload)
            rules = None
            if mapping is not None:
                folder = Path(tmp) / "mapping"
                folder.mkdir()
                rules_name = safe_name(mapping.filename, (".csv",))
                rules = save_upload(mapping, folder, rules_name, p.max_upload)
            return transactions_service.import_transactions(
                ws, [saved], partner=partner, mapping=rules, sheet=sheet, strict=strict
            )

    try:
        done = await run_in_threadpool(run)
    except InputError as exc:
        return uploads_page(
            request, 400, problems=exc.problems, summary=exc.summary, kind="transactions"
        )
    return uploads_page(request, transactions_done=done.files[0], kind="transactions")


@router.post(
    "/uploads/outturn",
    response_class=HTMLResponse,
    **upload_route("upload spend", "partner", "authority", "all"),
)
async def upload_outturn(request: Request) -> Response:
    return await authority_upload(
        request, "outturn", OUTTURN_SUFFIXES, "E-code", national_service.import_outturn
    )


async def authority_upload(
    request: Request,
    kind: str,
    suffixes: tuple[str, ...],
    code: str,
    importer: Callable[..., Any],
) -> Response:
    """An authority's (or, for an administrator, every authority's) figures from a national
    return: the revenue outturn and the capital outturn take the same form and options."""
    form, upload = await upload_form(request)
    s = session(request)
    assert s is not None
    partner = partner_for(request, field_of(form.get("partner")))
    authority = field_of(form.get("authority"))
    every = form.get("all") == "yes"
    if every and s.user.role != ADMIN:
        # every authority becomes a partner of the place: the administrator's to decide
        raise HTTPException(403, "Only an administrator may import every authority.")
    p = place(request)

    def run() -> Any:
        name = safe_name(upload.filename, suffixes)
        if not every and authority is None:
            raise InputError(
                [
                    Problem(
                        name,
                        None,
                        None,
                        None,
                        "no authority was chosen",
                        f"give the authority's {code} (E3421) or ONS code (E10000028)"
                        + (", or tick every authority" if s.user.role == ADMIN else ""),
                    )
                ],
                "nothing was imported",
            )
        with p.write(actor(request)) as ws, ws.scratch_dir() as tmp:
            saved = save_upload(upload, Path(tmp), name, p.max_upload)
            return importer(
                ws,
                saved,
                authority=None if every else authority,
                partner=None if every else partner,
                all_authorities=every,
            )

    try:
        done = await run_in_threadpool(run)
    except InputError as exc:
        return uploads_page(request, 400, problems=exc.problems, summary=exc.summary, kind=kind)
    return uploads_page(request, kind=kind, **{f"{kind}_done": done.result})
