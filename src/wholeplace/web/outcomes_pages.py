"""The outcomes scorecard (docs/outcomes.md): the partnership's for its members, board and
administrators; for anyone else the residents' version, built from approved data with small
numbers left out (``wholeplace outcomes report [--public] --json``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from wholeplace.errors import WholeplaceError
from wholeplace.outcome_values import spend_behind, spend_lines, unit_cost_proxies
from wholeplace.outcomes import service as outcomes_service
from wholeplace.spend.service import plain
from wholeplace.web.base import need, place, render, role
from wholeplace.web.users import ADMIN, BOARD, MEMBER

router = APIRouter()

# Who reads the partnership's scorecard (every dataset, services' measures, the assurance
# history); everyone else reads the residents' version. An analyst works for one partner, so
# they read what the public reads, as with the other partners' figures.
INSIDERS = frozenset({ADMIN, MEMBER, BOARD})


def _report(request: Request, public: bool) -> dict[str, Any]:
    """The report's JSON as the command line prints it; the residents' version unless the
    reader is an insider who did not ask for it."""
    public = public or role(request) not in INSIDERS
    with place(request).read() as ws:
        r = outcomes_service.report(
            ws, public, unit_cost_proxies(ws), spend_behind(ws), spend_lines(ws)
        )
        data: dict[str, Any] = plain(r.to_json())  # type: ignore[assignment]
    return data


@router.get("/outcomes", response_class=HTMLResponse, **need("public"))
def outcomes(request: Request, public: bool = False) -> Response:
    try:
        data = _report(request, public)
    except WholeplaceError as exc:
        return render(request, "outcomes.html", report=None, message=str(exc))
    return render(request, "outcomes.html", report=data, insider=role(request) in INSIDERS)


@router.get(
    "/api/outcomes",
    summary="The outcomes scorecard (as `wholeplace outcomes report [--public] --json`)",
    **need("public"),
)
def outcomes_json(request: Request, public: bool = False) -> dict[str, Any]:
    return _report(request, public)
