"""Read-only dashboards beside the spend map: the ALPS self-assessment's grid (each cell,
level and dimension, overall, and each partner, as `wholeplace framework scores --json`), and
the suppliers (as `wholeplace spend suppliers --json`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from wholeplace.errors import WholeplaceError
from wholeplace.framework import service as framework_service
from wholeplace.spend import transactions_service
from wholeplace.spend.service import plain
from wholeplace.web.base import need, place, render

router = APIRouter()


@router.get("/framework", response_class=HTMLResponse, **need("dashboards"))
def framework(request: Request, assessment: str | None = None) -> Response:
    with place(request).read() as ws:
        has = ws.con.execute("SELECT count(*) FROM framework_assessments").fetchall()[0][0]
        if not has:
            return render(request, "framework.html", scores=None)
        try:
            res = framework_service.scores(ws, assessment)
        except WholeplaceError as exc:
            return render(request, "framework.html", 400, scores=None, error=str(exc))
        data: dict[str, Any] = plain(res.to_json())  # type: ignore[assignment]
        names = res.partners
    grid = {(c["level"], c["dimension"]): c for c in data["cells"]}
    levels = list(data["levels"])
    dimensions = list(data["dimensions"])
    partners = sorted(
        ((names.get(pid, pid), pid, s["overall"]) for pid, s in data["partners"].items()),
        key=lambda row: row[0],
    )
    return render(
        request,
        "framework.html",
        scores=data,
        grid=grid,
        levels=levels,
        dimensions=dimensions,
        partners=partners,
    )


@router.get(
    "/api/framework/scores",
    summary="The self-assessment's scores (as `wholeplace framework scores --json`)",
    **need("dashboards"),
)
def framework_scores(request: Request, assessment: str | None = None) -> dict[str, Any]:
    with place(request).read() as ws:
        data: dict[str, Any] = plain(framework_service.scores(ws, assessment).to_json())  # type: ignore[assignment]
    return data


@router.get("/suppliers", response_class=HTMLResponse, **need("dashboards"))
def suppliers(request: Request, year: str | None = None, shared: bool = False) -> Response:
    """The suppliers paid most (or paid by two or more partners), and payments between
    partners, from the imported transactions (as `wholeplace spend suppliers`)."""
    with place(request).read() as ws:
        has = ws.con.execute("SELECT count(*) FROM transactions").fetchall()[0][0]
        if not has:
            return render(request, "suppliers.html", result=None, shared=shared)
        data = transactions_service.suppliers(ws, year, shared=shared).to_json()
    return render(request, "suppliers.html", result=data, shared=shared, year=year)


@router.get(
    "/api/spend/suppliers",
    summary="Top or shared suppliers (as `wholeplace spend suppliers --json`)",
    **need("dashboards"),
)
def suppliers_json(
    request: Request, year: str | None = None, shared: bool = False, top: int = 20
) -> dict[str, Any]:
    with place(request).read() as ws:
        return transactions_service.suppliers(ws, year, max(1, min(top, 1000)), shared).to_json()
