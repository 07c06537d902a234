"""A cost-benefit appraisal held by a release: its headline figures and who pays, who gains.

The place stores no appraisal (``/appraisals`` runs a file on demand), so a release holds one
by having the workbook attached when it is prepared: the file is run then, with the same
service call the appraisals page makes (:func:`wholeplace.cba.service.run`), and its figures
are frozen into the release's content as a section of kind ``appraisal``, in the shape of
:mod:`wholeplace.web.release_figures` (``columns`` with kinds, ``table`` rows and a
``total``), plus ``figures``: the headline, each a label, a kind and the value as text. Money
is exact Decimal text to the penny, so the page, the JSON and the CSV show the same cells.

A gain-share agreement is attached and frozen the same way
(:mod:`wholeplace.web.release_gainshare`); :func:`attach` reads both.

A later version (an edit or a correction) keeps the frozen section unless a new file is
attached: a published release never changes, and a correction changes only what it says."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile

from wholeplace.cba import service as cba_service
from wholeplace.cba.report import answer
from wholeplace.money import to_money
from wholeplace.partners import list_partners
from wholeplace.web import release_gainshare
from wholeplace.web.appraisals import APPRAISAL_SUFFIXES
from wholeplace.web.uploads import safe_name, save_upload, upload_sha256
from wholeplace.workspace import Workspace

ITEM = "appraisal"
TITLES = {
    ITEM: "Cost-benefit appraisal: headline figures and who pays, who gains "
    "(attach the appraisal file below)"
}
# sections frozen when prepared: a later version keeps them unless a new file is attached
FROZEN = (ITEM, release_gainshare.ITEM)
# each frozen section's form field, the file it needs, and what it is called in a problem
FIELDS = {ITEM: "appraisal", release_gainshare.ITEM: "gainshare"}
KINDS = {
    ITEM: "appraisal file (YAML or XLSX, as /appraisals runs)",
    release_gainshare.ITEM: "gain-share agreement (YAML, as /sharing runs)",
}


def _money(v: Decimal) -> str:
    return str(to_money(v))


def _ratio(v: Decimal | None) -> str | None:
    return None if v is None else str(v)


def section(ws: Workspace, path: Path, name: str, sha256: str) -> dict[str, Any]:
    """The appraisal in ``path`` run over the place now (its unit costs, parameters and
    partners), as a release's section; a bad file raises the importer's InputError."""
    done = cba_service.run(path, ws)
    r = done.result
    s = done.appraisal.settings
    j = r.to_json()
    names = {p.id: p.name for p in list_partners(ws)}
    figures = [
        ("pv_costs", "Present value of costs", "gbp", _money(r.pv["costs"])),
        (
            "pv_fiscal",
            "Present value of benefits to the public purse (fiscal)",
            "gbp",
            _money(r.pv["fiscal"]),
        ),
        ("pv_economic", "Present value of economic benefits", "gbp", _money(r.pv["economic"])),
        ("pv_social", "Present value of social benefits", "gbp", _money(r.pv["social"])),
        (
            "pv_public_value",
            "Present value of public value (fiscal less transfers, economic and social)",
            "gbp",
            _money(r.pv_public_value),
        ),
        (
            "npv_budget",
            "Net present budget impact (fiscal less costs)",
            "gbp",
            _money(r.npv_budget),
        ),
        ("npv_public", "Net present public value", "gbp", _money(r.npv_public)),
        (
            "financial_roi",
            "Benefit-cost ratio: returned to the public purse per £1 spent",
            "number",
            _ratio(j["financial_roi"]),
        ),
        (
            "public_value_roi",
            "Public value per £1 spent",
            "number",
            _ratio(j["public_value_roi"]),
        ),
        ("payback", "Payback year (discounted)", "text", j["payback_year"] or "none"),
    ]
    rows = [
        {
            "label": names.get(agency, agency),
            "values": {
                "pv_costs": _money(row["pv_costs"]),
                "pv_fiscal": _money(row["pv_fiscal"]),
                "net_position": _money(row["net_position"]),
            },
        }
        for agency, row in r.by_agency.items()
    ]
    return {
        "item": ITEM,
        "title": f"Cost-benefit appraisal: {s.name}",
        "proposal": s.name,
        "summary": answer(r, names).sentence,
        "figures": [
            {"key": key, "label": label, "kind": kind, "value": value}
            for key, label, kind, value in figures
        ],
        "columns": [
            {"key": "pv_costs", "label": "Present value of costs", "kind": "gbp"},
            {"key": "pv_fiscal", "label": "Present value of fiscal benefits", "kind": "gbp"},
            {"key": "net_position", "label": "Net position", "kind": "gbp"},
        ],
        "table": rows,
        "total": {
            "label": "The proposal as a whole",
            "values": {
                "pv_costs": _money(r.pv["costs"]),
                "pv_fiscal": _money(r.pv["fiscal"]),
                "net_position": _money(r.npv_budget),
            },
        },
        "source": {"file": name, "sha256": sha256},
        "note": (
            f"In {s.price_year} prices, discounted at {s.discount_label()} from "
            f"{s.start_year} over {s.years} years, with the place's unit costs, parameters and "
            "partners when the release was prepared. Each partner's net position is its "
            "fiscal benefits less its costs; economic and social benefits fall to no one "
            "partner. Each figure is rounded to the penny from its exact value, so a total "
            "can differ from the sum of its parts by a few pence."
        ),
    }


def attach(
    ws: Workspace, uploads: Mapping[str, UploadFile | None], limit: int
) -> dict[str, dict[str, Any]]:
    """The sections made from the files attached to a release form, by item (none attached:
    nothing new). Every file is read before anything is written, so a bad one stores
    nothing."""
    out: dict[str, dict[str, Any]] = {}
    for item in FROZEN:
        upload = uploads.get(item)
        if upload is None:
            continue
        suffixes = APPRAISAL_SUFFIXES if item == ITEM else release_gainshare.SUFFIXES
        name = safe_name(upload.filename, suffixes)
        digest = upload_sha256(upload, limit)
        with ws.scratch_dir() as tmp:
            saved = save_upload(upload, Path(tmp), name, limit)
            out[item] = (
                section(ws, saved, name, digest)
                if item == ITEM
                else release_gainshare.section(saved, name, digest)
            )
    return out


def frozen(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A version's frozen sections, by item, for the next version to keep."""
    return {s["item"]: s for s in content.get("sections", []) if s["item"] in FROZEN}


def audit_detail(attached: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """What the audit entry of a release's preparation says of the files attached."""
    return {item: dict(s["source"]) for item, s in attached.items()}
