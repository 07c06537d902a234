"""Uploads: the partners of the place, and spend lines. The importer checks the whole file
first and writes nothing when any row is wrong; its problems are shown as the table the
command line prints (file, sheet, row, column, value, fix).

The uploaded file is copied, within the size limit, into a scratch folder inside the place
(:meth:`Workspace.scratch_dir`, removed afterwards) under a name made from the letters of
the uploaded one, never a path the browser sent; it is written to ``NAME.part`` and renamed
only once complete.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from wholeplace.errors import InputError, Problem
from wholeplace.partners import import_partners, list_partners
from wholeplace.spend import service as spend_service
from wholeplace.web.access import sees_partner
from wholeplace.web.base import actor, check_csrf, need, place, render, session
from wholeplace.web.users import ADMIN, ANALYST

router = APIRouter()
SUFFIXES = (".csv", ".xlsx")
_SAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_name(sent: str | None, suffixes: tuple[str, ...] = SUFFIXES) -> str:
    """A file name to store the upload under: the last part of what the browser sent, only
    letters, digits, ``._ -``, at most 100 characters; it must end with one of ``suffixes``."""
    base = re.split(r"[\\/]", sent or "")[-1]
    name = _SAFE.sub("_", base).strip(" .")[-100:]
    if not name.lower().endswith(suffixes):
        kinds = " or ".join(x.lstrip(".").upper() for x in suffixes)
        raise InputError(
            [
                Problem(
                    base or "(no file)",
                    None,
                    None,
                    None,
                    f"not a {kinds} file" if base else "no file was chosen",
                    "choose a " + " or ".join(suffixes) + " file",
                )
            ],
            "nothing was imported",
        )
    return name


def save_upload(upload: UploadFile, folder: Path, name: str, limit: int) -> Path:
    target = folder / name
    part = folder / (name + ".part")
    written = 0
    with open(part, "wb") as out:
        while chunk := upload.file.read(1 << 20):
            written += len(chunk)
            if written > limit:
                raise HTTPException(413, "The file is bigger than this server accepts.")
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    os.replace(part, target)
    return target


def upload_sha256(upload: UploadFile, limit: int) -> str:
    """The SHA-256 of the uploaded file's bytes, read within ``limit`` (as ``save_upload``
    does); the file is left at its start, to be saved."""
    digest = hashlib.sha256()
    read = 0
    upload.file.seek(0)
    while chunk := upload.file.read(1 << 20):
        read += len(chunk)
        if read > limit:
            raise HTTPException(413, "The file is bigger than this server accepts.")
        digest.update(chunk)
    upload.file.seek(0)
    return digest.hexdigest()


def upload_route(permission: str, *fields: str) -> dict[str, Any]:
    """The route's permission and, for the OpenAPI description (and the fuzzing that reads
    it), its form: a file, the CSRF token and ``fields``. The route reads the form itself,
    within the upload limit, so FastAPI is only told what it looks like."""
    route = need(permission)
    properties: dict[str, Any] = {
        "csrf": {"type": "string"},
        "file": {"type": "string", "format": "binary"},
    }
    properties.update({f: {"type": "string"} for f in fields})
    route["openapi_extra"]["requestBody"] = {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "required": ["csrf", "file"], "properties": properties}
            }
        },
    }
    return route


def uploads_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    with place(request).read() as ws:
        partners = list_partners(ws)
    return render(request, "uploads.html", status, partners=partners, **context)


@router.get("/uploads", response_class=HTMLResponse, **need("upload spend"))
def uploads(request: Request) -> Response:
    return uploads_page(request)


async def read_form(request: Request, max_files: int = 1, max_fields: int = 10) -> FormData:
    """The form, its CSRF token checked: a form whose file is optional (a release may have an
    appraisal attached) reads its file with :func:`second_file`."""
    form = await request.form(max_files=max_files, max_fields=max_fields)
    check_csrf(request, form.get("csrf"))
    return form


async def upload_form(request: Request, max_files: int = 1) -> tuple[FormData, UploadFile]:
    """The form, its CSRF token checked, and its ``file`` (refused when none was chosen)."""
    form = await read_form(request, max_files)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        safe_name(None)  # raises: no file was chosen
        raise AssertionError("unreachable")
    return form, upload


def second_file(form: FormData, field: str) -> UploadFile | None:
    """A form's optional second file (actuals, a mapping): None when none was chosen."""
    sent = form.get(field)
    return sent if isinstance(sent, UploadFile) and sent.filename else None


@router.post(
    "/uploads/spend", response_class=HTMLResponse, **upload_route("upload spend", "partner", "year")
)
async def upload_spend(request: Request) -> Response:
    form, upload = await upload_form(request)
    s = session(request)
    assert s is not None
    chosen = str(form.get("partner") or "").strip() or None
    if s.user.role == ANALYST:
        # an analyst uploads for their own partner only: the importer refuses any row
        # that names another
        if chosen is not None and not sees_partner(s.user.role, s.user.partner, chosen):
            raise HTTPException(403, "You may upload only your own partner's lines.")
        chosen = s.user.partner
    year = str(form.get("year") or "").strip() or None
    p = place(request)

    def run() -> spend_service.LinesImport:
        name = safe_name(upload.filename)
        with p.write(actor(request)) as ws, ws.scratch_dir() as tmp:
            saved = save_upload(upload, Path(tmp), name, p.max_upload)
            return spend_service.import_lines(ws, saved, partner=chosen, year=year)

    try:
        done = await run_in_threadpool(run)
    except InputError as exc:
        return uploads_page(request, 400, problems=exc.problems, summary=exc.summary, kind="spend")
    return uploads_page(request, done=done.result, kind="spend")


@router.post("/uploads/partners", response_class=HTMLResponse, **upload_route("upload partners"))
async def upload_partners(request: Request) -> Response:
    _form_data, upload = await upload_form(request)
    s = session(request)
    assert s is not None and s.user.role == ADMIN
    p = place(request)

    def run() -> int:
        name = safe_name(upload.filename)
        with p.write(actor(request)) as ws, ws.scratch_dir() as tmp:
            saved = save_upload(upload, Path(tmp), name, p.max_upload)
            return len(import_partners(ws, saved))

    try:
        count = await run_in_threadpool(run)
    except InputError as exc:
        return uploads_page(
            request, 400, problems=exc.problems, summary=exc.summary, kind="partners"
        )
    return uploads_page(request, partners_done=count, kind="partners")
