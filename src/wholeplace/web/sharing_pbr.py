"""Payment by results on the web (as `wholeplace sharing pbr claim|funding|forecast`), and the
sharing agreements' starting files (as `wholeplace sharing template KIND`).

Each PbR form takes its scheme as an uploaded file or, by default, the shipped Troubled
Families scheme of 2012 (``data/sharing/troubled_families_2012.yaml``). A forecast file's own
``scheme:`` is never followed on the server: the form's scheme is always given, so a file
cannot make the server read a path of its choosing. Nothing is stored but the audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from wholeplace.errors import InputError, Problem
from wholeplace.partners import list_partners
from wholeplace.sharing import service as sharing_service
from wholeplace.sharing.templates import KINDS as TEMPLATE_KINDS
from wholeplace.spend.service import plain
from wholeplace.web.appraisals import MEDIA, OUTPUTS
from wholeplace.web.base import actor, check_csrf, need, place
from wholeplace.web.sharing_pages import sharing_page
from wholeplace.web.uploads import safe_name, save_upload, upload_route

router = APIRouter()
SHIPPED_SCHEME = "troubled_families_2012.yaml"
YAML = (".yaml", ".yml")
RECORDS = (".csv", ".xlsx")
MAX_FAMILIES = 10_000_000  # more than every family in England: a typing error

LABELS = {
    "claim": "Payment-by-results claim",
    "funding": "Payment-by-results funding",
    "forecast": "Payment-by-results forecast",
}


def _route(*fields: str) -> dict[str, Any]:
    route = upload_route("appraisals", "output", *fields)
    props = route["openapi_extra"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    props["properties"]["scheme"] = {"type": "string", "format": "binary"}
    return route


def _file(form: FormData, key: str) -> UploadFile | None:
    sent = form.get(key)
    return sent if isinstance(sent, UploadFile) and sent.filename else None


async def _form(request: Request) -> tuple[FormData, str]:
    form = await request.form(max_files=2, max_fields=10)
    check_csrf(request, form.get("csrf"))
    return form, str(form.get("output") or "page")


Run = Callable[[Path, Callable[[UploadFile | None, tuple[str, ...]], Path | None]], Any]


async def _run(request: Request, kind: str, form: FormData, output: str, compute: Run) -> Response:
    """Save the form's files to a scratch folder, ``compute`` the result from them, and show
    it or download its report; a problem gets the problem table."""
    if output not in OUTPUTS:
        return sharing_page(request, 400, error="Choose how to show it.")
    suffix = OUTPUTS[output]
    p = place(request)
    who = actor(request)
    names: list[str] = []

    def run() -> tuple[Any, bytes | None]:
        with p.read() as ws, ws.scratch_dir() as tmp:

            def saved(upload: UploadFile | None, suffixes: tuple[str, ...]) -> Path | None:
                if upload is None:
                    return None
                name = safe_name(upload.filename, suffixes)
                folder = Path(tmp) / str(len(names))
                folder.mkdir()
                names.append(name)
                return save_upload(upload, folder, name, p.max_upload)

            result = compute(Path(tmp), saved)
            data = None
            if suffix is not None:
                out = Path(tmp) / ("report" + suffix)
                data = sharing_service.write_report(result, out).read_bytes()
        p.audit(
            who,
            "sharing run" if suffix is None else "sharing export",
            detail={"kind": f"pbr {kind}", "files": names, "output": output},
        )
        return result, data

    try:
        result, data = await run_in_threadpool(run)
    except InputError as exc:
        return sharing_page(request, 400, problems=exc.problems, summary=exc.summary)
    if data is not None and suffix is not None:
        return Response(
            data,
            media_type=MEDIA[suffix],
            headers={"Content-Disposition": f'attachment; filename="pbr-{kind}-report{suffix}"'},
        )
    return sharing_page(
        request,
        name=", ".join(names) or SHIPPED_SCHEME,
        label=LABELS[kind],
        result=plain(result.to_json()),
    )


def _scheme(
    form: FormData, saved: Callable[[UploadFile | None, tuple[str, ...]], Path | None]
) -> Path:
    """The scheme uploaded, else the shipped one."""
    uploaded = saved(_file(form, "scheme"), YAML)
    if uploaded is not None:
        return uploaded
    return Path(str(resources.files("wholeplace") / "data" / "sharing" / SHIPPED_SCHEME))


def _needed(upload: UploadFile | None, what: str) -> UploadFile:
    if upload is None:
        raise InputError(
            [
                Problem(
                    "(no file)",
                    None,
                    None,
                    None,
                    f"no file was chosen for {what}",
                    f"choose {what}",
                )
            ],
            "nothing was run",
        )
    return upload


@router.post("/sharing/pbr/claim", **_route("as_of"))
async def claim(request: Request) -> Response:
    form, output = await _form(request)

    def compute(_tmp: Path, saved: Any) -> Any:
        families = saved(_needed(_file(form, "file"), "the families' outcome records"), RECORDS)
        as_of = sharing_service.as_of_date(str(form.get("as_of") or ""), "as of")
        return sharing_service.pbr_claim(_scheme(form, saved), families, as_of=as_of)

    return await _run(request, "claim", form, output, compute)


@router.post("/sharing/pbr/funding", **_route("estimated_families", "allocation"))
async def funding(request: Request) -> Response:
    form, output = await _form(request)

    def compute(_tmp: Path, saved: Any) -> Any:
        sent = str(form.get("estimated_families") or "").strip()
        if not sent.isdigit() or not 0 < int(sent) <= MAX_FAMILIES:
            raise InputError(
                [
                    Problem(
                        "estimated families",
                        None,
                        None,
                        sent,
                        "not a number of families",
                        f"give a whole number from 1 to {MAX_FAMILIES:,}, e.g. 600",
                    )
                ],
                "nothing was run",
            )
        items = [
            x for x in str(form.get("allocation") or "").replace(";", ",").split(",") if x.strip()
        ]
        allocation = sharing_service.allocation_of(items, "allocation")
        return sharing_service.pbr_funding(_scheme(form, saved), int(sent), allocation=allocation)

    return await _run(request, "funding", form, output, compute)


@router.post("/sharing/pbr/forecast", **_route())
async def forecast(request: Request) -> Response:
    form, output = await _form(request)

    def compute(_tmp: Path, saved: Any) -> Any:
        file = saved(_needed(_file(form, "file"), "the forecast file"), YAML)
        return sharing_service.pbr_forecast(file, scheme=_scheme(form, saved))

    return await _run(request, "forecast", form, output, compute)


@router.get("/sharing/template/{kind}", **need("appraisals"))
def template(request: Request, kind: str, place_partners: bool = False) -> Response:
    """A starting file: the worked example, or (``?place_partners=true``) a skeleton naming
    this place's partners, as `wholeplace sharing template KIND [--workspace]`."""
    if kind not in TEMPLATE_KINDS:
        raise HTTPException(
            404, "There is no starting file of that kind: pool, gainshare or recharges."
        )
    suffix = TEMPLATE_KINDS[kind][1]
    p = place(request)
    with p.read() as ws, ws.scratch_dir() as tmp:
        partners = list_partners(ws) if place_partners else None
        out = sharing_service.template(kind, Path(tmp) / (kind + suffix), place=partners)
        data = out.read_bytes()
    p.audit(
        actor(request),
        "sharing export",
        detail={"kind": f"{kind} template", "place": place_partners},
    )
    media = "text/csv; charset=utf-8" if suffix == ".csv" else "application/yaml; charset=utf-8"
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{kind}{suffix}"'},
    )
