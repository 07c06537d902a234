"""Publishing's pages and JSON: members prepare, schedule and correct releases
(``/publishing``); everyone reads what is published (``/published``), and those on a
release's pre-release list read it in the 24 hours before 09:30. The rules are in
:mod:`wholeplace.web.publishing`; this module only parses, calls and renders."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from wholeplace.errors import InputError, Problem
from wholeplace.web import publishing as pub
from wholeplace.web import release_appraisal, release_figures, release_publication, users
from wholeplace.web.access import allowed
from wholeplace.web.base import Place, actor, need, place, render, role, session
from wholeplace.web.uploads import read_form, second_file

router = APIRouter()
# one answer for a release that does not exist and one the reader may not see yet
NOT_FOUND = "There is no published release here."
RECORD_EVERY = 60  # seconds between the server's checks for releases due
log = logging.getLogger(__name__)


def viewer(request: Request) -> pub.Viewer:
    s = session(request)
    return pub.Viewer(None if s is None else s.user.username, allowed("publish", role(request)))


def _form_context(request: Request) -> dict[str, Any]:
    with place(request).read() as ws:
        names = [u.username for u in users.list_users(ws)]
    return {"item_choices": list(pub.ITEMS.items()), "usernames": names}


def _chart(v: pub.Version) -> dict[str, Any] | None:
    """The first table of the release drawn as a bar chart (the table has the exact figures)."""
    for section in v.content.get("sections", []):
        if "rows" in section:
            return {
                "labels": [r["label"] for r in section["rows"]],
                "values": [r["amount_gbp"] for r in section["rows"]],
                "title": f"{section['title']}, {v.year}",
            }
        if "chart" in section:
            chart: dict[str, Any] = section["chart"]
            return {**chart, "title": f"{chart['title']}, {v.year}"}
    return None


# -- reading: everyone ------------------------------------------------------------------


def every_version(p: Place) -> dict[str, list[pub.Version]]:
    """Every version of every release, kept until the next write (``Place.memo``): who may
    read which is worked out afresh each time, since it turns on the time (09:30)."""

    def compute() -> dict[str, list[pub.Version]]:
        with p.read() as ws:
            return pub.all_versions(ws)

    return p.memo("release versions", compute)


@router.get("/published", response_class=HTMLResponse, **need("public"))
def published(request: Request) -> Response:
    p = place(request)
    now = p.now()
    found = pub.catalogue(every_version(p), viewer(request), now)
    return render(request, "published.html", releases=found, now=now, pub=pub)


def _one(request: Request, release: str, version: int | None) -> tuple[pub.Version, list[Any]]:
    p = place(request)
    now = p.now()
    with p.read() as ws:
        seen = pub.readable(ws, release, viewer(request), now)
    if version is not None:
        seen_one = [v for v in seen if v.version == version]
        if not seen_one:
            raise HTTPException(404, NOT_FOUND)
        return seen_one[0], seen
    if not seen:
        raise HTTPException(404, NOT_FOUND)
    return seen[-1], seen


def _release_page(request: Request, release: str, version: int | None) -> Response:
    v, seen = _one(request, release, version)
    now = place(request).now()
    return render(
        request,
        "release.html",
        v=v,
        versions=seen,
        state=v.state(now),
        now=now,
        pub=pub,
        chart=_chart(v),
        latest=seen[-1].version,
    )


@router.get("/published/{release}", response_class=HTMLResponse, **need("public"))
def release_page(request: Request, release: str) -> Response:
    return _release_page(request, release, None)


@router.get("/published/{release}/{version}", response_class=HTMLResponse, **need("public"))
def release_version_page(request: Request, release: str, version: int) -> Response:
    return _release_page(request, release, version)


@router.get(
    "/published/{release}/{version}/figures.csv",
    response_class=Response,
    summary="A release version's figures as CSV, one row per figure, suppressed as the page",
    **need("public"),
)
def release_csv(request: Request, release: str, version: int) -> Response:
    v, _seen = _one(request, release, version)
    return Response(
        release_figures.figures_csv(v.content, v.year),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{v.release}-v{v.version}.csv"'},
    )


@router.get(
    "/api/published",
    summary="The releases you may read, the latest version of each",
    **need("public"),
)
def api_published(request: Request) -> list[dict[str, Any]]:
    p = place(request)
    now = p.now()
    return [v.to_json(now) for v in pub.catalogue(every_version(p), viewer(request), now)]


@router.get(
    "/api/published/{release}",
    summary="Every version of a release you may read, oldest first",
    **need("public"),
)
def api_release(request: Request, release: str) -> list[dict[str, Any]]:
    _v, seen = _one(request, release, None)
    now = place(request).now()
    return [v.to_json(now) for v in seen]


# -- preparing: members and administrators ------------------------------------------------


@router.get("/publishing", response_class=HTMLResponse, **need("publish"))
def publishing(request: Request) -> Response:
    p = place(request)
    now = p.now()
    with p.read() as ws:
        found = pub.all_versions(ws)
    latest = [vs[-1] for _k, vs in sorted(found.items())]
    return render(
        request,
        "publishing.html",
        releases=latest,
        now=now,
        pub=pub,
        draft=None,
        **_form_context(request),
    )


async def _fields(request: Request) -> dict[str, Any]:
    form = await read_form(request, max_files=2, max_fields=200)
    return {
        "files": {
            item: second_file(form, field) for item, field in release_appraisal.FIELDS.items()
        },
        "title": str(form.get("title") or "")[: pub.MAX_TITLE + 1],
        "summary": str(form.get("summary") or "")[: pub.MAX_SUMMARY + 1],
        "year": str(form.get("year") or "").strip() or None,
        "items": [str(i) for i in form.getlist("items")][:20],
        "pre_release": [str(n) for n in form.getlist("pre_release")][:200],
        "publish_on": str(form.get("publish_on") or "").strip(),
        "now": form.get("immediately") == "yes",
        "note": str(form.get("note") or "")[: pub.MAX_NOTE + 1],
    }


@router.post("/publishing", response_class=HTMLResponse, **need("publish"))
async def create_release(request: Request) -> Response:
    f = await _fields(request)
    p = place(request)
    who = actor(request)

    def run() -> pub.Version:
        # a file attached is run first, with a read, as /appraisals runs one: a bad one stores
        # nothing, and the place's single writer is not held while it runs
        with p.read() as ws:
            attached = release_appraisal.attach(ws, f["files"], p.max_upload)
        with p.write(who) as ws:
            return pub.create(
                ws,
                f["title"],
                f["summary"],
                f["year"],
                f["items"],
                f["pre_release"],
                who,
                p.now(),
                attached,
            )

    try:
        v = await run_in_threadpool(run)
    except InputError as exc:
        with p.read() as ws:
            found = pub.all_versions(ws)
        return render(
            request,
            "publishing.html",
            400,
            releases=[vs[-1] for _k, vs in sorted(found.items())],
            now=p.now(),
            pub=pub,
            draft=f,
            problems=exc.problems,
            summary=exc.summary,
            **_form_context(request),
        )
    return RedirectResponse(f"/publishing/{v.release}", status_code=303)


def _manage(request: Request, release: str, status: int = 200, **extra: Any) -> Response:
    p = place(request)
    now = p.now()
    with p.read() as ws:
        found = pub.versions(ws, release)
    if not found:
        raise HTTPException(404, "There is no such release.")
    return render(
        request,
        "release_manage.html",
        status,
        v=found[-1],
        versions=found,
        state=found[-1].state(now),
        now=now,
        pub=pub,
        **_form_context(request),
        **extra,
    )


@router.get("/publishing/{release}", response_class=HTMLResponse, **need("publish"))
def manage(request: Request, release: str) -> Response:
    return _manage(request, release)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            [
                Problem(
                    "(release)",
                    None,
                    "publish_on",
                    text[:40],
                    "not a date",
                    "choose the date of publication (YYYY-MM-DD)",
                )
            ],
            "the release was not scheduled",
        ) from None


async def _change(request: Request, release: str, action: str) -> Response:
    f = await _fields(request)
    p = place(request)
    who = actor(request)

    def run() -> None:
        attached = {}
        if action in ("edit", "correct"):
            with p.read() as ws:
                attached = release_appraisal.attach(ws, f["files"], p.max_upload)
        with p.write(who) as ws:
            now = p.now()
            if action == "edit":
                pub.edit(
                    ws,
                    release,
                    f["title"],
                    f["summary"],
                    f["year"],
                    f["items"],
                    f["pre_release"],
                    who,
                    now,
                    attached,
                )
            elif action == "schedule":
                on = None if f["now"] else _date(f["publish_on"])
                release_publication.schedule(ws, release, on, now)
            elif action == "unschedule":
                release_publication.unschedule(ws, release, now)
            else:
                release_publication.correct(ws, release, f["note"], who, now, attached)

    try:
        await run_in_threadpool(run)
    except InputError as exc:
        return _manage(request, release, 400, problems=exc.problems, summary=exc.summary)
    return RedirectResponse(f"/publishing/{release}", status_code=303)


@router.post("/publishing/{release}/edit", response_class=HTMLResponse, **need("publish"))
async def edit_release(request: Request, release: str) -> Response:
    return await _change(request, release, "edit")


@router.post("/publishing/{release}/schedule", response_class=HTMLResponse, **need("publish"))
async def schedule_release(request: Request, release: str) -> Response:
    return await _change(request, release, "schedule")


@router.post("/publishing/{release}/unschedule", response_class=HTMLResponse, **need("publish"))
async def unschedule_release(request: Request, release: str) -> Response:
    return await _change(request, release, "unschedule")


@router.post("/publishing/{release}/correct", response_class=HTMLResponse, **need("publish"))
async def correct_release(request: Request, release: str) -> Response:
    return await _change(request, release, "correct")


@router.get(
    "/api/releases",
    summary="Every release and its versions, with pre-release lists (for those who publish)",
    **need("publish"),
)
def api_releases(request: Request) -> dict[str, list[dict[str, Any]]]:
    p = place(request)
    now = p.now()
    with p.read() as ws:
        found = pub.all_versions(ws)
    return {k: [v.to_json(now, with_list=True) for v in vs] for k, vs in sorted(found.items())}


# -- the audit entry of each publication ---------------------------------------------------


def record_due(p: Place) -> int:
    # Looked for first with a read: a write, even one that changes nothing, drops the views
    # the server keeps (Place.memo), and this runs every minute.
    with p.read() as ws:
        if not release_publication.due_unrecorded(ws, p.now()):
            return 0
    with p.write("wholeplace serve@scheduler") as ws:
        return release_publication.record_publications(ws, p.now())


@asynccontextmanager
async def recorder(app: FastAPI) -> AsyncIterator[None]:
    """While the server runs, write each publication's audit entry once its 09:30 passes."""
    p: Place = app.state.place

    checking: asyncio.Future[int] | None = None

    async def loop() -> None:
        nonlocal checking
        while True:
            # Shielded: cancelling the loop must not abandon a check half-way in its thread,
            # which holds the place's connection; shutdown waits for it below.
            checking = asyncio.ensure_future(run_in_threadpool(record_due, p))
            try:
                await asyncio.shield(checking)
            except Exception:  # noqa: BLE001 - a failed check is retried, never the end of checks
                log.exception("could not record the releases published")
            await asyncio.sleep(RECORD_EVERY)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        # The place is closed after this returns; a check still running would hold its
        # connection, and DuckDB refuses to close a busy connection.
        await asyncio.gather(task, return_exceptions=True)
        if checking is not None:
            await asyncio.gather(checking, return_exceptions=True)
