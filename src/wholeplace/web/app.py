"""The web application: FastAPI over one place (``wholeplace serve``).

:func:`create_app` builds it around an open :class:`~wholeplace.web.base.Place`;
:func:`serve` opens the place, says so in the place's folder (``serving.json``, so the
command line can name the server), and runs uvicorn until stopped.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wholeplace.errors import InputError, WholeplaceError
from wholeplace.server_lock import announce, withdraw
from wholeplace.web import (
    api,
    appraisal_edit,
    appraisals,
    dashboards,
    estate_pages,
    framework_answers,
    framework_results,
    governance_pages,
    objectives_pages,
    outcomes_pages,
    pages,
    releases,
    sharing_pages,
    sharing_pbr,
    uploads,
    uploads_capital,
    uploads_national,
)
from wholeplace.web.base import STATIC, NotSignedIn, Place, api_error, authorise, render

# No inline script anywhere; Plotly sets styles on what it draws, so styles may be inline.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
SWITCH_INTERVAL = 0.001  # seconds a thread holds the interpreter before others may run (serve)


class TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse a request whose body is bigger than the place's upload limit, whether it says
    so up front (Content-Length) or not (chunked): counted as it arrives, never stored."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await _too_large(self.limit, scope, send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except* TooLarge:
            # except*: raised inside a middleware's task group, it arrives wrapped in an
            # ExceptionGroup, which a plain except would miss
            await _too_large(self.limit, scope, send)


class SecurityHeaders:
    """The headers every answer carries; pages (not the static files) are never cached.
    Plain ASGI, not ``@app.middleware("http")``: that runs each request in a task and
    stream of its own, a cost every request paid (docs/performance.md)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                if not static:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


def _size(limit: int) -> str:
    """The upload limit as people read it: 50 MiB, or 256 KiB under a MiB (not "0 MiB")."""
    mib = 1024 * 1024
    return f"{limit // mib} MiB" if limit >= mib else f"{max(limit // 1024, 1)} KiB"


async def _too_large(limit: int, scope: Scope, send: Send) -> None:
    text = (
        f"The file is bigger than this server accepts ({_size(limit)}). "
        "Nothing was stored. Fix: split the file, or ask the administrator to raise the "
        "limit (wholeplace serve --max-upload-mb)."
    )
    response = JSONResponse({"error": text}, status_code=413)
    await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(place: Place) -> FastAPI:
    app = FastAPI(
        title="wholeplace",
        summary="The partnership's web application over one place",
        docs_url=None,  # Swagger UI would load from a CDN: /api/docs is our own page
        redoc_url=None,
        openapi_url="/api/openapi.json",
        dependencies=[Depends(authorise)],
        lifespan=releases.recorder,
    )
    app.state.place = place
    app.include_router(pages.router)
    app.include_router(uploads.router)
    app.include_router(uploads_national.router)
    app.include_router(uploads_capital.router)
    app.include_router(appraisals.router)
    app.include_router(appraisal_edit.router)
    app.include_router(sharing_pages.router)
    app.include_router(sharing_pbr.router)
    app.include_router(dashboards.router)
    app.include_router(framework_answers.router)
    app.include_router(framework_results.router)
    app.include_router(estate_pages.router)
    app.include_router(outcomes_pages.router)
    app.include_router(governance_pages.router)
    app.include_router(objectives_pages.router)
    app.include_router(releases.router)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.exception_handler(NotSignedIn)
    async def _sign_in(request: Request, exc: NotSignedIn) -> Response:
        if _is_api(request):
            return api_error(401, "Sign in first (POST /login).")
        return RedirectResponse("/login?next=" + request.url.path, status_code=303)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if _is_api(request):
            return api_error(exc.status_code, str(exc.detail))
        return render(request, "error.html", exc.status_code, message=str(exc.detail))

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> Response:
        if _is_api(request):
            problems = [p.to_dict() for p in exc.problems]
            return api_error(400, exc.summary, problems=problems)
        return render(request, "error.html", 400, message=exc.summary, problems=exc.problems)

    @app.exception_handler(WholeplaceError)
    async def _wholeplace(request: Request, exc: WholeplaceError) -> Response:
        if _is_api(request):
            return api_error(400, str(exc))
        return render(request, "error.html", 400, message=str(exc))

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=place.max_upload)
    return app


def _can_listen(host: str, port: int) -> None:
    """Refuse, before the place is opened, an address this program cannot listen on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _name, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        raise WholeplaceError(
            f"Cannot listen on {host} port {port}: {exc.strerror or exc}. Nothing was started. "
            "Fix: choose another --port (or --host), or stop the program using it."
        ) from exc


def serve(path: Path, host: str = "127.0.0.1", port: int = 8000, max_upload_mb: int = 50) -> None:
    """Serve the place in ``path`` until stopped (Ctrl+C). Raises WorkspaceError, having
    started nothing, when the place cannot be opened for writing."""
    import uvicorn

    _can_listen(host, port)
    # Requests are answered by threads sharing one interpreter lock. At Python's default
    # switch interval (5 ms) a thread back from DuckDB (the writer committing an audit entry)
    # waits behind the busy ones, and the runs queued on the writer took 550 ms at p95 with
    # 50 users; at 1 ms, 365 ms, and the p95 of all requests fell from 392 to 275 ms
    # (docs/performance.md, "The interpreter's switch interval").
    sys.setswitchinterval(SWITCH_INTERVAL)
    place = Place.open(path, max_upload_mb * 1024 * 1024)
    try:
        announce(place.path, host, port)
        try:
            uvicorn.run(create_app(place), host=host, port=port, log_level="info")
        finally:
            withdraw(place.path)
    finally:
        place.close()
