"""What every route of the web application shares: the place it serves, the signed-in
user, CSRF checks, and rendering a page.

The server opens the place once, for writing, and is its single writer: writes take
:attr:`Place.lock` and run on that connection; every read runs on a cursor of its own
(DuckDB's MVCC), so a read never waits for a write and sees only what was committed.
"""

from __future__ import annotations

import hmac
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from wholeplace.labels import detail_text
from wholeplace.money import fmt_gbp, fmt_millions
from wholeplace.web.access import PERMISSIONS, allowed
from wholeplace.web.users import MAX_TOKEN, PUBLIC, Session, find_session, token_key
from wholeplace.workspace import AuditRecord, Workspace

T = TypeVar("T")

COOKIE = "wholeplace_session"
LOGIN_CSRF_COOKIE = "wholeplace_login_csrf"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
STATIC = resources.files("wholeplace.web") / "static"
# How many results ``Place.memo`` keeps of each kind, the least recently used dropped first.
# "views": the consolidated views, a few a year (but a drill-down's filters come from the
# query string, so they are bounded too); "runs": appraisal and sharing results, one a file.
# "sessions": the signed-in sessions, looked up on every request.
MEMO_SIZES = {"views": 256, "runs": 32, "sessions": 1024}


def _system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Pending:
    record: AuditRecord
    done: bool = False
    failed: BaseException | None = None


class _Flight:
    """One computation of a view that other requests for it wait on (Place.memo)."""

    def __init__(self, generation: int) -> None:
        self.generation = generation
        self.finished = threading.Event()
        self.ok = False
        self.value: Any = None


class Place:
    """The place being served: one connection for writing, a cursor per read.

    ``clock`` gives the time (aware, UTC) whenever a rule depends on it (a release's 09:30,
    sign-in locks); tests pass their own to set the time."""

    def __init__(
        self,
        ws: Workspace,
        max_upload: int = MAX_UPLOAD_BYTES,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.ws = ws
        self.clock: Callable[[], datetime] = clock or _system_clock
        self.path = ws.path
        # read once: the writer's connection is not for other threads' reads
        self.name = ws.name
        self.lock = threading.Lock()
        self.max_upload = max_upload
        # Reads' cursors are made from this connection, never from the writer's, so that
        # making one never touches a connection in the middle of a write.
        self._readers = ws.con.cursor()
        # The consolidated views are recomputed from every line; the server is the place's
        # only writer, so they hold until its next write (see memo).
        self._generation = dict.fromkeys(MEMO_SIZES, 0)
        self._memo: dict[str, OrderedDict[Hashable, tuple[int, Any]]] = {
            kind: OrderedDict() for kind in MEMO_SIZES
        }
        # memo's bookkeeping only, never held while computing: requests run on many threads
        self._memo_lock = threading.Lock()
        self._flights: dict[tuple[str, Hashable], _Flight] = {}
        self._pending: list[_Pending] = []  # audit entries waiting for the writer (audit)
        self._pending_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        path: Path | str,
        max_upload: int = MAX_UPLOAD_BYTES,
        clock: Callable[[], datetime] | None = None,
    ) -> Place:
        """Open (and migrate) the place for writing; raises WorkspaceError as the CLI does."""
        return cls(Workspace.open(Path(path)), max_upload, clock)

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def read(self) -> Iterator[Workspace]:
        ws = Workspace(self.path, self._readers.cursor(), read_only=True)
        try:
            yield ws
        finally:
            ws.close()

    @contextmanager
    def write(
        self, actor: str, *, audit_only: bool = False, touches: Collection[str] | None = None
    ) -> Iterator[Workspace]:
        """The writer's connection, for ``actor``. What it drops of the results kept
        (``memo``): every kind, unless ``audit_only`` (the write adds to the audit log and
        nothing else: every kind still holds) or ``touches`` names the only kinds its tables
        feed (a sign-in changes users and sessions, never spend: ``("sessions",)``), so a
        stranger's failed sign-ins cannot make the server recompute every view."""
        dropped = () if audit_only else tuple(MEMO_SIZES if touches is None else touches)
        with self.lock, self.ws.acting_as(actor):
            try:
                yield self.ws
            finally:
                # even a write that failed may have changed something before it failed
                with self._memo_lock:
                    for kind in dropped:
                        self._generation[kind] += 1
                        self._memo[kind].clear()

    def audit(
        self,
        actor: str,
        action: str,
        detail: Mapping[str, object],
        sha256: str | None = None,
    ) -> None:
        """Record in the audit log that ``actor`` did something that changed nothing (ran a
        report, viewed raw lines); written, and durable, when this returns.

        Entries are written together (a group commit): whoever holds the writer next writes
        every entry waiting, in one transaction, and the others find theirs written. Under
        load a transaction each was the queue every run stood in (docs/performance.md)."""
        mine = _Pending(AuditRecord(actor, action, detail, sha256))
        with self._pending_lock:
            self._pending.append(mine)
        with self.lock:
            if not mine.done:
                with self._pending_lock:
                    batch, self._pending = self._pending, []
                try:
                    self.ws.record([p.record for p in batch])
                except BaseException as exc:
                    for p in batch:
                        p.failed = exc
                    raise
                finally:
                    for p in batch:
                        p.done = True
        if mine.failed is not None:
            raise mine.failed

    def memo(self, key: Hashable, compute: Callable[[], T], kind: str = "views") -> T:
        """``compute()``, kept until the next write (of data: not one of the audit log alone),
        among the last ``MEMO_SIZES[kind]`` used. Only for read-only results: every caller
        gets the same object. A write during the computation leaves it unkept; so does an
        exception, which reaches the caller. Callers that miss the same key at once share one
        computation."""
        shelf = self._memo[kind]
        with self._memo_lock:
            generation = self._generation[kind]
            kept = shelf.get(key)
            if kept is not None and kept[0] == generation:
                shelf.move_to_end(key)
                return cast(T, kept[1])
            # Requests that miss the same view at once wait for one computation: fifty users
            # opening the home page after an upload would otherwise each compute it.
            other = self._flights.get((kind, key))
            mine: _Flight | None = None
            if other is None or other.generation != generation:
                other, mine = None, _Flight(generation)
                self._flights[(kind, key)] = mine
        if other is not None:
            other.finished.wait()
            if other.ok:
                return cast(T, other.value)
            # that computation failed: this request tries again, and sees why for itself
        try:
            value = compute()
        except BaseException:
            self._land(kind, key, mine)
            raise
        with self._memo_lock:
            if generation == self._generation[kind]:
                shelf[key] = (generation, value)
                shelf.move_to_end(key)
                while len(shelf) > MEMO_SIZES[kind]:
                    shelf.popitem(last=False)
        if mine is not None:
            mine.value, mine.ok = value, True
        self._land(kind, key, mine)
        return value

    def _land(self, kind: str, key: Hashable, flight: _Flight | None) -> None:
        """Release the requests waiting on ``flight`` (this request's computation, if it led)."""
        if flight is None:
            return
        with self._memo_lock:
            if self._flights.get((kind, key)) is flight:
                del self._flights[(kind, key)]
        flight.finished.set()

    def close(self) -> None:
        self._readers.close()
        self.ws.close()


def place(request: Request) -> Place:
    p: Place = request.app.state.place
    return p


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def actor(request: Request) -> str:
    s = session(request)
    return f"{s.user.username if s else 'public'}@{client_ip(request)}"


def session(request: Request) -> Session | None:
    s: Session | None = getattr(request.state, "session", None)
    return s


def role(request: Request) -> str:
    s = session(request)
    return PUBLIC if s is None else s.user.role


def live_session(p: Place, token: str | None) -> Session | None:
    """The live session whose cookie holds ``token``. What the place holds of it is kept
    (``Place.memo``) until the next write, as every sign-in, sign-out, lock, removal and
    reset of a user is one; whether it has ended is worked out afresh each time."""
    if not token or len(token) > MAX_TOKEN:
        return None

    def compute() -> tuple[Session, datetime] | None:
        with p.read() as ws:
            return find_session(ws, token)

    found = p.memo(("session", token_key(token)), compute, kind="sessions")
    return found[0] if found is not None and found[1] > p.now() else None


class NotSignedIn(Exception):
    pass


async def authorise(request: Request) -> None:
    """Every route's gate (an app-wide dependency): the route's ``x-permission`` against the
    role of whoever sent the request. Closed when the route names no permission."""
    route = request.scope.get("route")
    extra = getattr(route, "openapi_extra", None) or {}
    permission = extra.get("x-permission")
    p = place(request)
    request.state.session = live_session(p, request.cookies.get(COOKIE))
    who = role(request)
    if allowed(permission, who):
        return
    if permission in PERMISSIONS and who == PUBLIC:
        raise NotSignedIn()
    raise HTTPException(403, "You do not have access to this page.")


def need(permission: str) -> dict[str, Any]:
    """The route's keyword arguments naming its permission."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return {"openapi_extra": {"x-permission": permission}}


def same_token(sent: object, expected: str) -> bool:
    """Whether ``sent`` is ``expected``, in constant time. Compared as UTF-8 bytes:
    ``hmac.compare_digest`` raises TypeError on a str with any non-ASCII character, and a
    form may send anything."""
    if not isinstance(sent, str) or not expected:
        return False
    return hmac.compare_digest(
        sent.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def check_csrf(request: Request, sent: object) -> None:
    s = session(request)
    if s is None or not same_token(sent, s.csrf):
        raise HTTPException(403, "The form had expired or did not come from this site.")


def _gbp(value: Decimal | str | None) -> str:
    # a string is an exact amount as stored in JSON (a release's figures)
    return "" if value is None else fmt_gbp(Decimal(value))


def _json_script(value: object) -> Markup:
    """JSON for a ``<script type="application/json">``: ``<``, ``>`` and ``&`` escaped, so
    no text in it can close the element."""
    text = json.dumps(value, default=str, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


TEMPLATES = Environment(
    loader=PackageLoader("wholeplace.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.filters["gbp"] = _gbp
TEMPLATES.filters["millions"] = fmt_millions
TEMPLATES.filters["json_script"] = _json_script
TEMPLATES.filters["detail_text"] = detail_text


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    s = session(request)
    who = role(request)
    html = TEMPLATES.get_template(template).render(
        request=request,
        session=s,
        user=None if s is None else s.user,
        role=who,
        can=lambda permission: allowed(permission, who),
        csrf=None if s is None else s.csrf,
        place_name=place(request).name,
        **context,
    )
    return HTMLResponse(html, status_code=status)


def api_error(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)
