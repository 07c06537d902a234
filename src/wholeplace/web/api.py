"""The JSON API: the same JSON as the command line's ``--json`` for the same view."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from wholeplace.spend import service as spend_service
from wholeplace.web import users
from wholeplace.web.access import sees_partner
from wholeplace.web.base import actor, need, place, session
from wholeplace.web.lines import partner_lines

router = APIRouter(prefix="/api")


@router.get("/me", summary="Who is signed in, and their role", **need("public"))
def me(request: Request) -> dict[str, Any]:
    s = session(request)
    if s is None:
        return {"username": None, "role": users.PUBLIC, "partner": None}
    return s.user.to_json()


@router.get(
    "/spend/map",
    summary="The spend map (as `wholeplace spend map --json`)",
    **need("dashboards"),
)
def spend_map(request: Request, year: str | None = None, by: str = "group") -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        with place(request).read() as ws:
            return spend_service.build_map(ws, year, by).to_json()

    return place(request).memo(("map json", year, by), compute)


@router.get("/spend/drill", summary="One level of the spend map's drill-down", **need("dashboards"))
def spend_drill(
    request: Request,
    year: str | None = None,
    group: str | None = None,
    partner: str | None = None,
    area: str | None = None,
    customer_group: str | None = None,
) -> dict[str, Any]:
    with place(request).read() as ws:
        d = spend_service.drill(
            ws, year, group=group, partner=partner, area=area, customer_group=customer_group
        )
    return d.to_json()


@router.get(
    "/partners/{partner}/lines",
    summary="A partner's raw spend lines (its own analysts and administrators only)",
    **need("raw lines"),
)
def lines(request: Request, partner: str, year: str | None = None) -> dict[str, Any]:
    s = session(request)
    assert s is not None
    if not sees_partner(s.user.role, s.user.partner, partner):
        raise HTTPException(403, "You do not have access to this partner's lines.")
    return partner_lines(place(request), actor(request), partner, year).to_json()


@router.get("/audit", summary="The place's audit log (latest first)", **need("audit log"))
def audit(request: Request, limit: int = 200) -> list[dict[str, Any]]:
    with place(request).read() as ws:
        entries = ws.audit_log(limit=max(1, min(limit, 5000)))
    return [
        {
            "at": e.at.isoformat(),
            "who": e.who,
            "action": e.action,
            "file": e.file,
            "sha256": e.sha256,
            "rows": e.rows,
            "detail": e.detail,
        }
        for e in entries
    ]


@router.get("/users", summary="The users of the web application", **need("users"))
def list_users(request: Request) -> list[dict[str, str | None]]:
    with place(request).read() as ws:
        return [u.to_json() for u in users.list_users(ws)]
