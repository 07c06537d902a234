"""The pages people read: home, sign-in, the spend map and its drill-down, eliminations
and reconciliation, a partner's raw lines, the audit log, users, published pages."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from wholeplace.errors import WholeplaceError
from wholeplace.money import fmt_gbp, fmt_millions
from wholeplace.partners import list_partners
from wholeplace.reports.bubbles import Bubble, BubbleGroup, bubble_svg
from wholeplace.spend import service as spend_service
from wholeplace.spend.consolidate import SpendMap
from wholeplace.spend.drill import Drill
from wholeplace.web import users
from wholeplace.web.access import PERMISSIONS, sees_partner
from wholeplace.web.base import (
    COOKIE,
    LOGIN_CSRF_COOKIE,
    Place,
    actor,
    check_csrf,
    client_ip,
    need,
    place,
    render,
    same_token,
    session,
)
from wholeplace.web.lines import partner_lines
from wholeplace.workspace import Workspace

router = APIRouter()


def _has_spend(ws: Workspace) -> bool:
    return bool(ws.con.execute("SELECT count(*) FROM spend_lines").fetchall()[0][0])


def _bubbles(ws: Workspace, groups: SpendMap, by_partner: SpendMap) -> str:
    """The bubble diagram of the consolidated spend: groups holding their partners."""
    group_of = {p.id: p.group for p in list_partners(ws)}
    members: dict[str, list[Bubble]] = {}
    for r in by_partner.rows:
        members.setdefault(group_of.get(r.key, r.key), []).append(
            Bubble(r.key, r.label, r.amount_gbp, r.estimated_gbp)
        )
    small = groups.total_gbp < 1_000_000  # £m would round a small place's spend to 0.0

    def fmt(v: Decimal) -> str:
        return fmt_gbp(v, pence=False) if small else fmt_millions(v)

    return bubble_svg(
        [BubbleGroup(r.key, r.label, members.get(r.key, [])) for r in groups.rows],
        title=f"Public spending in {ws.name}, {groups.year}, by group and partner",
        size=640,
        fmt=fmt,
    )


def _home(p: Place) -> dict[str, Any]:
    with p.read() as ws:
        if not _has_spend(ws):
            return {"headline": None}
        maps = spend_service.build_maps(ws, None, ("group", "partner"))
        m = maps["group"].map
        # the bubble diagram escapes every label it draws (reports/bubbles.py)
        svg = Markup(_bubbles(ws, m, maps["partner"].map))  # noqa: S704
        return {"headline": m, "bubbles": svg}


@router.get("/", response_class=HTMLResponse, **need("public"))
def home(request: Request) -> Response:
    s = session(request)
    context: dict[str, Any] = {"headline": None}
    if s is not None:
        context = place(request).memo("home", lambda: _home(place(request)))
    return render(request, "home.html", **context)


@router.get("/login", response_class=HTMLResponse, **need("public"))
def login_form(request: Request, next: str = "/") -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", next=_local(next), login_csrf=token)
    _cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


def _local(target: str) -> str:
    """Only a path on this site: never an open redirect to another."""
    # "//host" and "/\\host" are other sites to a browser
    if not target.startswith("/") or target[1:2] in ("/", "\\") or any(c < " " for c in target):
        return "/"
    return target


def _cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


@router.post("/login", response_class=HTMLResponse, **need("public"))
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not same_token(csrf, expected):
        raise HTTPException(403, "The form had expired or did not come from this site.")
    p = place(request)
    try:
        who = f"{username.strip().lower()[:64]}@{client_ip(request)}"
        with p.write(who, touches=SIGN_IN_TOUCHES) as ws:
            token, _s = users.sign_in(ws, username, password, client_ip(request), p.now())
    except users.SignInError as exc:
        status = 429 if isinstance(exc, users.AddressPaused) else 400
        return render(
            request, "login.html", status, next=_local(next), login_csrf=expected, error=str(exc)
        )
    response = RedirectResponse(_local(next), status_code=303)
    _cookie(request, response, COOKIE, token, max_age=int(users.SESSION_FOR.total_seconds()))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


# signing in and out change users and sessions, nothing any other page is made from
SIGN_IN_TOUCHES = ("sessions",)


@router.post("/logout", **need("session"))
def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(request, csrf)
    with place(request).write(actor(request), touches=SIGN_IN_TOUCHES) as ws:
        users.sign_out(ws, request.cookies.get(COOKIE, ""), client_ip(request))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/spend", response_class=HTMLResponse, **need("dashboards"))
def spend_map(
    request: Request,
    year: str | None = None,
    group: str | None = None,
    partner: str | None = None,
    area: str | None = None,
    customer_group: str | None = None,
) -> Response:
    def compute() -> Drill | None:
        with place(request).read() as ws:
            if not _has_spend(ws):
                return None
            return spend_service.drill(
                ws, year, group=group, partner=partner, area=area, customer_group=customer_group
            )

    d = place(request).memo(("drill", year, group, partner, area, customer_group), compute)
    if d is None:
        return render(request, "spend.html", drill=None)
    chart = {
        "labels": [r.label for r in d.rows],
        "values": [str(r.amount_gbp) for r in d.rows],
        "title": f"Spending by {d.by.replace('_', ' ')}, {d.year}",
    }
    return render(request, "spend.html", drill=d, chart=chart)


@router.get("/spend/reconciliation", response_class=HTMLResponse, **need("dashboards"))
def reconciliation(request: Request, year: str | None = None) -> Response:
    with place(request).read() as ws:
        if not _has_spend(ws):
            return render(request, "reconciliation.html", map=None)
        m = spend_service.build_map(ws, year, "group").map
    return render(request, "reconciliation.html", map=m)


@router.get("/partners/{partner}/lines", response_class=HTMLResponse, **need("raw lines"))
def lines(request: Request, partner: str, year: str | None = None) -> Response:
    s = session(request)
    assert s is not None  # "raw lines" is for signed-in roles only
    if not sees_partner(s.user.role, s.user.partner, partner):
        # the same words whether or not the partner exists: a guessed id tells nothing
        raise HTTPException(403, "You do not have access to this partner's lines.")
    found = partner_lines(place(request), actor(request), partner, year)
    return render(request, "lines.html", lines=found)


@router.get("/audit", response_class=HTMLResponse, **need("audit log"))
def audit(request: Request) -> Response:
    with place(request).read() as ws:
        entries = ws.audit_log(limit=500)
    return render(request, "audit.html", entries=entries)


@router.get("/users", response_class=HTMLResponse, **need("users"))
def users_page(request: Request) -> Response:
    with place(request).read() as ws:
        found = users.list_users(ws)
        partners = list_partners(ws)
    return render(request, "users.html", users=found, partners=partners, roles=users.ROLES)


@router.post("/users", response_class=HTMLResponse, **need("users"))
def add_user(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=50)],
    password: Annotated[str, Form(max_length=1000)],
    partner: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(request, csrf)
    with place(request).write(actor(request)) as ws:
        users.add_user(ws, username, role, password, partner or None)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{username}/remove", response_class=HTMLResponse, **need("users"))
def remove_user(
    request: Request, username: str, csrf: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    check_csrf(request, csrf)
    s = session(request)
    if s is not None and s.user.username == username:
        raise WholeplaceError("You cannot remove yourself. Fix: ask another administrator.")
    with place(request).write(actor(request)) as ws:
        users.remove_user(ws, username)
    return RedirectResponse("/users", status_code=303)


@router.get("/api/docs", response_class=HTMLResponse, **need("public"))
def api_docs(request: Request) -> Response:
    spec = request.app.openapi()
    routes = []
    for path, methods in sorted(spec.get("paths", {}).items()):
        if not path.startswith("/api/"):
            continue
        for method, op in methods.items():
            permission = op.get("x-permission", "")
            roles = sorted(PERMISSIONS.get(permission, ()))
            routes.append((method.upper(), path, op.get("summary", ""), ", ".join(roles)))
    return render(request, "api_docs.html", routes=routes)
