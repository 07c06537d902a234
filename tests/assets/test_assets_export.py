"""`wholeplace assets export`: a partner's register in the Transparency Code's layout, which
reads back in as it was."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from assets_helpers import add_partners

from wholeplace.assets import service
from wholeplace.assets.export import COLUMNS
from wholeplace.workspace import Workspace

CHELT_2023 = "assets-council-land/cheltenham_local_authority_land_and_assets_2023.csv"


def test_cheltenham_round_trip(ws: Workspace, reference: Path, tmp_path: Path) -> None:
    add_partners(ws, "cheltenham", "copy")
    service.import_register(ws, reference / CHELT_2023, "cheltenham")
    out = tmp_path / "published.csv"
    assert service.export_register(ws, "cheltenham", out, date(2025, 3, 31)) == 459
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1][:3] == ["Cheltenham", "", "2025-03-31"]
    service.import_register(ws, out, "copy")
    fields = (
        "ref",
        "uprn",
        "name",
        "address",
        "postcode",
        "easting",
        "northing",
        "tenure",
        "use",
        "type",
        "gia_m2",
        "areas",
    )

    def seen(partner: str) -> list[tuple[object, ...]]:
        return [tuple(getattr(a, f) for f in fields) for a in service.register(ws, partner)]

    assert seen("copy") == seen("cheltenham")


def test_text_that_would_be_a_formula_is_neutralised(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws, "cc")
    path = tmp_path / "cc.csv"
    path.write_text('UPRN,AssetCode,PropertyName\n10001,A,"=HYPERLINK(""x"")"\n', encoding="utf-8")
    service.import_register(ws, path, "cc")
    out = tmp_path / "out.csv"
    service.export_register(ws, "cc", out, date(2025, 3, 31))
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1][5] == '\'=HYPERLINK("x")'
