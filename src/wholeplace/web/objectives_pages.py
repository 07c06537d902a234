"""Shared objectives (docs/objectives.md) on the web: which objectives the partners' spend
serves, the overlaps, conflicts and different approaches, for the year chosen (as
``wholeplace objectives report [--year] --json``); uploads of the customer groups and the
objectives files (as ``objectives groups`` and ``objectives import``); and the report as
HTML or XLSX (as ``objectives report --out``).

Reading is for administrators, partnership members and board viewers ("objectives"): the
analysis names every partner's objectives and each partner's spend on each group, and a
partner analyst reads no other partner's figures (as on /outcomes). Uploading is for
administrators and members ("upload objectives"). Every import and download is in the audit
log: the imports by the service's own write, the downloads by ``Place.audit``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from wholeplace.engine import duckdb_tables
from wholeplace.errors import InputError, WholeplaceError
from wholeplace.money import ZERO, round_half_up
from wholeplace.objectives import service as objectives_service
from wholeplace.objectives.service import Analysis
from wholeplace.reports.palette import GREY, colours
from wholeplace.spend.consolidate import years as spend_years
from wholeplace.web.base import actor, check_csrf, need, place, render
from wholeplace.web.uploads import safe_name, save_upload, upload_form, upload_route
from wholeplace.workspace import Workspace
from wholeplace.years import year_slug

router = APIRouter()

MEDIA = {
    ".html": "text/html; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}
# the matrix's spend whose customer group is none of the place's (or names none)
OTHER = "No customer group of the place"


def _year(year: str | None) -> str | None:
    return (year or "").strip() or None


def _years(ws: Workspace) -> list[str]:
    """The years the place holds spend for, to choose among (the latest last)."""
    return spend_years(duckdb_tables(ws))


def _analysis(request: Request, year: str | None) -> Analysis:
    """The analysis of ``year`` (the latest with spend when None), kept until the next
    write: every caller gets the same object, which nobody changes."""
    p = place(request)

    def compute() -> Analysis:
        with p.read() as ws:
            return objectives_service.analyse(ws, year)

    return p.memo(("objectives", year), compute)


@dataclass(frozen=True)
class Served:
    """One partner's objectives for one customer group and what it spends on the group."""

    partner: str
    name: str
    group: str
    objectives: list[str]  # "Objective (reduce Outcome)"
    amount_gbp: Decimal | None


def _view(a: Analysis) -> dict[str, Any]:
    """What the page shows beyond the JSON: partners by name, the spend by purpose, the
    rows of which objectives each partner's spend serves, and the chart with its table."""
    m = a.matrix
    names = m.partner_names
    served, without, other = m.spend_by_purpose()
    total = m.spend_total()
    share = None if not total else round_half_up(served / total * 100, 1)
    rows = [
        Served(
            p,
            names.get(p, p),
            g,
            [f"{o.objective} ({o.direction} {o.outcome})" for o in c.objectives],
            c.amount_gbp,
        )
        for (p, g), c in m.cells.items()
    ]
    rows.sort(key=lambda r: (r.name, r.partner, r.group))
    ordered = sorted(m.partners, key=lambda p: (names.get(p, p), p))
    groups = list(m.groups) + ([OTHER] if m.unmatched else [])

    def spend(p: str, g: str) -> Decimal | None:
        if g == OTHER:
            found = m.unmatched.get(p)
            return sum(found.values(), ZERO) if found else None
        return m.cell(p, g).amount_gbp

    table = [(p, names.get(p, p), [spend(p, g) for g in groups]) for p in ordered]
    table_rows = [
        (p, name, cells, sum((c or ZERO for c in cells), ZERO)) for p, name, cells in table
    ]
    group_totals = [
        sum((cells[i] or ZERO for _p, _n, cells in table), ZERO) for i in range(len(groups))
    ]
    palette = colours(names.get(p, p) for p in ordered)
    chart = None
    if m.spend_year is not None and total:
        chart = {
            "labels": groups,
            "series": [
                {
                    "name": name,
                    "values": [str(c or ZERO) for c in cells],
                    "colour": palette.get(name, GREY),
                }
                for _p, name, cells, _t in table_rows
            ],
            "title": f"Spend by customer group and partner, {m.spend_year}",
        }
    f = a.findings
    findings = [
        ("overlaps", "Overlaps", f.overlaps),
        ("conflicts", "Conflicts", f.conflicts),
        ("different-approaches", "Different approaches", f.different_approaches),
    ]
    return {
        "a": a,
        "m": m,
        "names": names,
        "served": served,
        "without": without,
        "other": other,
        "total": total,
        "share": share,
        "rows": rows,
        "groups": groups,
        "table_rows": table_rows,
        "group_totals": group_totals,
        "chart": chart,
        "findings": findings,
    }


def _page(request: Request, year: str | None, status: int = 200, **context: Any) -> HTMLResponse:
    """The page for ``year``: the analysis when the place has objectives, else what to do."""
    year = _year(year)
    with place(request).read() as ws:
        have = _years(ws)
    try:
        view = _view(_analysis(request, year))
    except WholeplaceError as exc:
        message = str(exc)
        # the year asked for is the user's mistake: say so, as the command line does
        bad = 400 if year is not None and status == 200 else status
        return render(
            request, "objectives.html", bad, a=None, message=message, years=have, **context
        )
    return render(request, "objectives.html", status, years=have, **view, **context)


@router.get("/objectives", response_class=HTMLResponse, **need("objectives"))
def objectives(request: Request, year: str | None = None) -> Response:
    return _page(request, year)


@router.get(
    "/api/objectives",
    summary="The objectives analysis (as `wholeplace objectives report [--year] --json`)",
    **need("objectives"),
)
def objectives_json(request: Request, year: str | None = None) -> dict[str, Any]:
    return _analysis(request, _year(year)).to_json()


async def _import(request: Request, kind: str) -> Response:
    """An objectives or customer-groups file, checked whole by the service before it writes
    (its audit entry, with the file's SHA-256, is the service's own write)."""
    form, upload = await upload_form(request)
    sheet = str(form.get("sheet") or "").strip() or None
    p = place(request)

    def run() -> dict[str, Any]:
        name = safe_name(upload.filename)
        with p.write(actor(request)) as ws, ws.scratch_dir() as tmp:
            saved = save_upload(upload, Path(tmp), name, p.max_upload)
            if kind == "groups":
                return objectives_service.import_groups(ws, saved, sheet=sheet).to_json()
            return objectives_service.import_objectives(ws, saved, sheet).to_json()

    try:
        done = await run_in_threadpool(run)
    except InputError as exc:
        return _page(request, None, 400, problems=exc.problems, summary=exc.summary, kind=kind)
    if kind == "groups":
        return _page(request, None, groups_done=done)
    return _page(request, None, objectives_done=done)


@router.post(
    "/objectives/import",
    response_class=HTMLResponse,
    **upload_route("upload objectives", "sheet"),
)
async def import_objectives(request: Request) -> Response:
    return await _import(request, "objectives")


@router.post(
    "/objectives/groups",
    response_class=HTMLResponse,
    **upload_route("upload objectives", "sheet"),
)
async def import_groups(request: Request) -> Response:
    return await _import(request, "groups")


@router.post(
    "/objectives/groups/from-spend", response_class=HTMLResponse, **need("upload objectives")
)
def groups_from_spend(
    request: Request,
    csrf: Annotated[str, Form(max_length=200)] = "",
    year: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """``wholeplace objectives groups --from-spend [--year]``: one customer group for each
    one the spend map of the year names that no group of the place answers to yet (the
    service's write is the audit entry, ``objectives groups`` with its source)."""
    check_csrf(request, csrf)
    try:
        with place(request).write(actor(request)) as ws:
            done = objectives_service.import_groups(ws, from_spend=True, year=_year(year))
    except WholeplaceError as exc:
        return _page(request, None, 400, message_from_spend=str(exc))
    return _page(request, None, groups_done=done.to_json())


def _download(request: Request, year: str | None, suffix: str) -> Response:
    """The report as ``objectives report --out FILE`` writes it, made in a scratch folder of
    the place and sent; the download is in the audit log."""
    year = _year(year)
    p = place(request)
    with p.read() as ws, ws.scratch_dir() as tmp:
        out = Path(tmp) / ("objectives" + suffix)
        done = objectives_service.write_report(ws, out, year)
        data = out.read_bytes()
    spend_year = done.analysis.matrix.spend_year
    p.audit(
        actor(request),
        "objectives export",
        {"output": suffix.lstrip("."), "year": spend_year},
    )
    stem = f"objectives-{year_slug(spend_year)}" if spend_year else "objectives"
    return Response(
        data,
        media_type=MEDIA[suffix],
        headers={"Content-Disposition": f'attachment; filename="{stem}{suffix}"'},
    )


@router.get("/objectives/report.html", **need("objectives"))
def report_html(request: Request, year: str | None = None) -> Response:
    return _download(request, year, ".html")


@router.get("/objectives/report.xlsx", **need("objectives"))
def report_xlsx(request: Request, year: str | None = None) -> Response:
    return _download(request, year, ".xlsx")


@router.get("/objectives/report.pdf", **need("objectives"))
def report_pdf(request: Request, year: str | None = None) -> Response:
    # printed by the server's Chromium, as `objectives report --out FILE.pdf`; without one,
    # the command line's words, through the app's handler of WholeplaceError
    return _download(request, year, ".pdf")
