"""Keeping the register in the place: one row per asset, a partner's rows replaced whole."""

from __future__ import annotations

import json
from collections.abc import Sequence

from wholeplace.assets.model import Asset
from wholeplace.workspace import Workspace

COLUMNS = (
    "partner", "ref", "row_number", "uprn", "name", "address", "postcode", "easting",
    "northing", "longitude", "latitude", "tenure", "use", "type", "gia_m2", "cost_energy",
    "cost_rates", "cost_maintenance", "cost_other", "cost_total", "utilisation",
    "condition", "backlog", "lease_end", "surplus", "areas",
)  # fmt: skip


def replace_partner(ws: Workspace, partner: str, assets: Sequence[Asset], file: str) -> None:
    """Replace ``partner``'s register with ``assets``. Call inside ``ws.write``."""
    ws.con.execute("DELETE FROM assets WHERE partner = ?", [partner])
    marks = ", ".join("?" * (len(COLUMNS) + 1))
    for a in assets:
        values = [getattr(a, c) for c in COLUMNS if c not in ("row_number", "areas")]
        values.insert(2, a.row)
        values.append(json.dumps(list(a.areas)))
        values.append(file)
        ws.con.execute(f"INSERT INTO assets VALUES ({marks})", values)


def load_assets(ws: Workspace, partner: str | None = None) -> list[Asset]:
    sql = f"SELECT {', '.join(COLUMNS)} FROM assets"
    params: list[str] = []
    if partner is not None:
        sql += " WHERE partner = ?"
        params.append(partner)
    out = []
    for r in ws.con.execute(sql + " ORDER BY partner, ref", params).fetchall():
        values = dict(zip(COLUMNS, r, strict=True))
        values["row"] = values.pop("row_number")
        values["areas"] = tuple(json.loads(values["areas"]))
        for text in ("name", "address", "postcode", "tenure", "use", "type"):
            values[text] = values[text] or ""
        out.append(Asset(**values))
    return out
