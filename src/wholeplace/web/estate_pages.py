"""The estate and the area profiles (issue 16) as consolidated views: the shared register by
partner and use, the co-location and disposal candidates and the One Public Estate targets
(as `wholeplace assets report`), and each area's profile with its map (as `wholeplace areas
profile`). The pages show counts of people under 5 as ``<5``, as the published reports do;
the JSON twins give the command line's ``--json``, figures as they are."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from wholeplace.area_spend import spend_by_area
from wholeplace.assets import neighbourhoods
from wholeplace.assets import service as assets_service
from wholeplace.assets.model import shown
from wholeplace.assets.neighbourhood_report import published
from wholeplace.assets.neighbourhoods import SIMILARITY, AreaProfiles
from wholeplace.assets.report import AssetsReport
from wholeplace.cba.discounting import DEFAULT_SCHEDULE, defaults
from wholeplace.disclosure import SUPPRESS_UNDER, marker
from wholeplace.errors import WholeplaceError
from wholeplace.money import ZERO
from wholeplace.partners import list_partners
from wholeplace.reports.maps import SCHEMES
from wholeplace.web.base import need, place, render
from wholeplace.workspace import Workspace

router = APIRouter()


def _estate(ws: Workspace) -> AssetsReport:
    """The estate report with the command line's defaults (500 m, under 75% used, 10 years
    of savings discounted by the place's default schedule)."""
    # as the command line's options give them (Criteria's own zero is 0.00): the same JSON
    criteria = assets_service.Criteria(
        within_m=Decimal("500"),
        under_used_pct=Decimal("75"),
        years=10,
        move_cost_per_m2=Decimal("100"),
        value_per_m2=Decimal("0"),
    )
    schedule = defaults(ws).schedules[DEFAULT_SCHEDULE]
    return assets_service.estate_report(
        ws,
        criteria=criteria,
        factors=schedule.factors(criteria.years + 1),
        discounting=schedule.describe(),
    )


def _counted(value: Decimal | None, counts: bool) -> str:
    """A figure as the page shows it: a count of people under 5 as ``<5``."""
    if value is None:
        return ""
    return published(value) if counts else shown(value)


def _m2(value: Decimal | None) -> str:
    """A floor area as people read it: 1,200 m², not 1,200.00 or 1.2E+3."""
    return "" if value is None else format(value.normalize(), ",f")


@router.get("/estate", response_class=HTMLResponse, **need("dashboards"))
def estate(request: Request) -> Response:
    with place(request).read() as ws:
        r = _estate(ws)
        names = {p.id: p.name for p in list_partners(ws)}
    counts = {i.name for i in r.profiles.indicators if i.counts} if r.profiles else set()
    by_partner: dict[str, list[Decimal]] = {}
    for e in r.estate:
        row = by_partner.setdefault(e.partner, [ZERO, ZERO, ZERO])
        row[0] += e.assets
        row[1] += e.gia_m2
        row[2] += e.running_cost
    partners = [
        (pid, names.get(pid, pid), int(n), gia, cost)
        for pid, (n, gia, cost) in sorted(by_partner.items())
    ]
    chart = {
        "labels": [name for _pid, name, _n, _g, _c in partners],
        "values": [str(cost) for *_rest, cost in partners],
        "title": "Running cost a year by partner",
    }
    around = [
        (
            d,
            [
                (code, [(k, _counted(v, k in counts)) for k, v in values.items()])
                for code, values in d.around.items()
            ],
        )
        for d in r.disposals
    ]
    return render(
        request,
        "estate.html",
        r=r,
        partners=partners,
        chart=chart if partners else None,
        around=around,
        names=names,
        m2=_m2,
    )


@router.get(
    "/api/estate",
    summary="The estate report (as `wholeplace assets report --json`, without the file)",
    **need("dashboards"),
)
def estate_json(request: Request) -> dict[str, Any]:
    with place(request).read() as ws:
        return _estate(ws).to_json()


def _profiles(ws: Workspace, code: str | None, allocate_by: str | None) -> AreaProfiles:
    spend = spend_by_area(ws, allocate_by)
    try:
        return neighbourhoods.area_profiles(ws, code, spend)
    except WholeplaceError as exc:
        if code is None:
            raise
        # the only refusal of one area's profile once the spend is read: no such area
        raise HTTPException(404, "There is no area with that code in this place.") from exc


def _areas_page(
    request: Request,
    code: str | None,
    indicator: str | None,
    classes: str,
    allocate_by: str | None,
) -> Response:
    with place(request).read() as ws:
        # the page is published-style (counts under 5 shown as <5): its medians follow suit
        ps = _profiles(ws, code, allocate_by).for_publication()
        chosen, svg = neighbourhoods.profiles_map(ws, ps, code, indicator, classes)
    return render(
        request,
        "areas.html" if code is None else "area.html",
        ps=ps,
        a=ps.areas[0] if code is not None else None,
        map_indicator=chosen,
        # markup as drawn by reports.maps, which escapes every name and figure in it
        map_svg=None if svg is None else Markup(svg),
        scheme=classes,
        scheme_name=SCHEMES[classes],
        schemes=list(SCHEMES.items()),
        indicator=indicator,
        allocate_by=allocate_by,
        published=published,
        shown=shown,
        counted=_counted,
        m2=_m2,
        suppress_under=SUPPRESS_UNDER,
        marker=marker,
        population_hidden=ps.population_hidden(),
        similarity=SIMILARITY,
        total_assets=len({s.key for a in ps.areas for s in a.assets}),
    )


@router.get("/areas", response_class=HTMLResponse, **need("dashboards"))
def areas(
    request: Request,
    indicator: str | None = None,
    classes: str = "quantiles",
    allocate_by: str | None = None,
) -> Response:
    return _areas_page(request, None, indicator or None, classes, allocate_by or None)


@router.get("/areas/{code}", response_class=HTMLResponse, **need("dashboards"))
def area(
    request: Request,
    code: str,
    indicator: str | None = None,
    classes: str = "quantiles",
    allocate_by: str | None = None,
) -> Response:
    return _areas_page(request, code, indicator or None, classes, allocate_by or None)


@router.get(
    "/api/areas",
    summary="Every area's profile (as `wholeplace areas profile --all --json`)",
    **need("dashboards"),
)
def areas_json(request: Request, allocate_by: str | None = None) -> dict[str, Any]:
    with place(request).read() as ws:
        return _profiles(ws, None, allocate_by or None).to_json()


@router.get(
    "/api/areas/{code}",
    summary="One area's profile (as `wholeplace areas profile CODE --json`)",
    **need("dashboards"),
)
def area_json(request: Request, code: str, allocate_by: str | None = None) -> dict[str, Any]:
    with place(request).read() as ws:
        return _profiles(ws, code, allocate_by or None).to_json()
