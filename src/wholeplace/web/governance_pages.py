"""The governance register on the web (docs/governance.md): the register as the place holds it,
its check on a date (the flows of data with no current agreement first), the upload of a
register file (as `wholeplace governance import`) and the download of the report (as
`wholeplace governance report --out`).

Every signed-in role reads the register (an agreement register is the partnership's, not a
partner's raw data: the analyst who sends the data is the one who needs to know it is
covered); administrators and partnership members upload it and download the report, as they
do every other report. ``/api/governance`` is ``wholeplace governance report --json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from wholeplace.errors import InputError, WholeplaceError
from wholeplace.governance import service as governance_service
from wholeplace.governance.checks import Warning, band_counts
from wholeplace.governance.model import ARTICLE_6, ARTICLE_9, ROLES, Agreement
from wholeplace.partners import list_partners
from wholeplace.web.base import actor, need, place, render
from wholeplace.web.uploads import safe_name, save_upload, upload_form, upload_route

router = APIRouter()
REGISTER_SUFFIXES = (".yaml", ".yml")
REPORTS = {
    "html": (".html", "text/html; charset=utf-8"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (".pdf", "application/pdf"),
}
LONDON = ZoneInfo("Europe/London")
# the warnings about an agreement, the tag the page shows for each (words, not colour alone)
AGREEMENT_STATES = {
    "agreement_expired": ("Expired", "govuk-tag--red"),
    "agreement_review_overdue": ("Review overdue", "govuk-tag--orange"),
    "agreement_expiring": ("Ends soon", "govuk-tag--yellow"),
}
FLOW_KINDS = ("flow_without_agreement", "purpose_not_covered", "parties_not_covered")


def long_date(d: date) -> str:
    """``1 April 2025``, as the page's sentences say a date."""
    return f"{d.day} {d.strftime('%B %Y')}"


def _today(request: Request) -> date:
    """Today in London, by the server's clock (tests set it)."""
    return place(request).now().astimezone(LONDON).date()


def as_of_date(request: Request, value: str | None) -> date:
    """The date the check is for: ``value`` (2025-03-31), or today when none is given."""
    text = (value or "").strip()
    if not text:
        return _today(request)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise WholeplaceError(f"{text[:40]!r} is not a date. Fix: write it as 2025-03-31.")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise WholeplaceError(
            f"{text!r} is not a day of the calendar. Fix: write it as 2025-03-31."
        ) from exc


def _basis(code: str, labels: dict[str, str]) -> str:
    """``6(1)(e)`` with its words: ``6(1)(e) public task``."""
    found = re.search(r"\(([a-j])\)\s*$", code)
    label = labels.get(found.group(1)) if found else None
    return f"{code} {label}" if label else code


@dataclass(frozen=True)
class AgreementRow:
    a: Agreement
    parties: list[str]
    basis: list[str]
    states: list[tuple[str, str, str]]  # (words, tag class, what was found)


@dataclass(frozen=True)
class FlowRow:
    id: str
    source: str
    recipient: str
    data_items: str
    use: str
    covered_by: list[str]
    problems: list[str]  # the warnings' messages; none when it is covered


def _answer(total: int, uncovered: list[FlowRow], on: date) -> str:
    day = long_date(on)
    if total == 0:
        return f"The register lists no flows of data, so none needs an agreement on {day}."
    if not uncovered:
        return f"Every flow of data ({total}) has a current agreement that covers it on {day}."
    ids = [f.id for f in uncovered]
    listed = ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]
    verb = "has" if len(ids) == 1 else "have"
    flows = "flow" if total == 1 else "flows"
    return (
        f"{len(ids)} of {total} {flows} of data {verb} no current agreement that covers "
        f"{'it' if len(ids) == 1 else 'them'} on {day}: {listed}."
    )


def _view(
    c: governance_service.Check, uncovered_ids: tuple[str, ...], names: dict[str, str]
) -> dict[str, Any]:
    """What the page shows of the check: partners by name, each agreement's state, the
    flows with no current agreement first."""

    def name(pid: str) -> str:
        return names.get(pid, pid)

    r = c.register
    by_subject: dict[str, list[Warning]] = {}
    for w in c.warnings:
        by_subject.setdefault(w.subject, []).append(w)
    agreements = [
        AgreementRow(
            a,
            [name(p) for p in a.parties],
            [_basis(x, ARTICLE_6) for x in a.article_6]
            + [_basis(x, ARTICLE_9) for x in a.article_9],
            [
                (*AGREEMENT_STATES[w.kind], w.message)
                for w in by_subject.get(a.id, [])
                if w.kind in AGREEMENT_STATES
            ],
        )
        for a in r.agreements
    ]
    flows = [
        FlowRow(
            f.id,
            name(f.source),
            name(f.recipient),
            ", ".join(f.data_items),
            f.use,
            [a.id for a in r.agreements if f.id in a.flows],
            [w.message for w in by_subject.get(f.id, []) if w.kind in FLOW_KINDS],
        )
        for f in r.data_flows
    ]
    uncovered = [f for f in flows if f.id in uncovered_ids]
    heat_maps = [
        (id, caption, grid, band_counts(grid))
        for id, caption, grid in (
            ("heat-inherent", "Before mitigation", c.heat_map),
            ("heat-residual", "After mitigation (residual)", c.residual_heat_map),
        )
    ]
    return {
        "heat_maps": heat_maps,
        "answer": _answer(len(flows), uncovered, c.as_of),
        "uncovered": uncovered,
        "flows": flows,
        "agreements": agreements,
        "name": name,
        "roles": ROLES,
    }


def governance_page(
    request: Request, as_of: str | None = None, status: int = 200, **context: Any
) -> HTMLResponse:
    try:
        day = as_of_date(request, as_of)
    except WholeplaceError as exc:
        return render(request, "governance.html", 400, c=None, error=str(exc), as_of=as_of)
    with place(request).read() as ws:
        names = {p.id: p.name for p in list_partners(ws)}
        try:
            c = governance_service.check(ws, day)
        except WholeplaceError:
            # no register yet: the page says so and offers the upload
            return render(
                request, "governance.html", status, c=None, as_of=day.isoformat(), **context
            )
        found = governance_service.flows_without_agreement(ws, day)
    uncovered = () if found is None else found[1]
    return render(
        request,
        "governance.html",
        status,
        c=c,
        as_of=day.isoformat(),
        on=long_date(day),
        **_view(c, uncovered, names),
        **context,
    )


@router.get("/governance", response_class=HTMLResponse, **need("dashboards"))
def governance(request: Request, as_of: str | None = None) -> Response:
    return governance_page(request, as_of)


@router.get(
    "/api/governance",
    summary="The register and its warnings on a date (as `wholeplace governance report "
    "--as-of DATE --json`)",
    **need("dashboards"),
)
def governance_json(request: Request, as_of: str | None = None) -> dict[str, Any]:
    day = as_of_date(request, as_of)
    with place(request).read() as ws:
        return governance_service.check(ws, day).to_json()


@router.post("/governance/upload", response_class=HTMLResponse, **upload_route("governance"))
async def upload_register(request: Request) -> Response:
    _form, upload = await upload_form(request)
    p = place(request)

    def run() -> governance_service.RegisterImport:
        name = safe_name(upload.filename, REGISTER_SUFFIXES)
        with p.write(actor(request)) as ws, ws.scratch_dir() as tmp:
            saved = save_upload(upload, Path(tmp), name, p.max_upload)
            return governance_service.import_register(ws, saved)

    try:
        done = await run_in_threadpool(run)
    except InputError as exc:
        return governance_page(request, None, 400, problems=exc.problems, summary=exc.summary)
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in done.counts.items())
    return governance_page(request, None, done=f"Imported the register from {done.file}: {counts}.")


@router.get(
    "/governance/report",
    response_class=Response,
    summary="The governance report on a date as HTML, XLSX or PDF (as `wholeplace governance "
    "report --as-of DATE --out FILE`)",
    **need("governance"),
)
def governance_report(
    request: Request,
    fmt: Annotated[str, Query(alias="format")] = "html",
    as_of: str | None = None,
) -> Response:
    if fmt not in REPORTS:
        raise HTTPException(404, "There is no report of that kind: html, xlsx or pdf.")
    suffix, media = REPORTS[fmt]
    day = as_of_date(request, as_of)
    p = place(request)
    with p.read() as ws, ws.scratch_dir() as tmp:
        out = Path(tmp) / ("governance" + suffix)
        governance_service.write_report(ws, out, day)
        data = out.read_bytes()
    p.audit(
        actor(request),
        "governance export",
        detail={"format": fmt, "as_of": day.isoformat()},
    )
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="governance-{day.isoformat()}{suffix}"'
        },
    )
