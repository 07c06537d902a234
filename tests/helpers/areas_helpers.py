"""The crafted place of docs/areas.md's worked example: Vale, four square areas."""

from __future__ import annotations

from pathlib import Path

from assets_helpers import add_partners, square, with_squares

from wholeplace.areas import import_areas
from wholeplace.assets import service
from wholeplace.spend import service as spend_service
from wholeplace.workspace import Workspace

AREAS = "code,name,population\nV1,One,1000\nV2,Two,400\nV3,Three,1600\nV4,Four,1000\n"
DECILES = "code,decile\nV1,1\nV2,2\nV3,9\nV4,10\n"
SLEEPERS = "code,people\nV1,7\nV2,3\nV3,0\nV4,12\n"
SPEND = (
    "partner,year,service,area,amount_gbp\n"
    "district,2024/25,HTS,V1,150000\n"
    "district,2024/25,HTS,V2,50000\n"
    "district,2024/25,HTS,V3,80000\n"
    "county,2024/25,ASC,,100000.01\n"
)


def vale(root: Path, *, spend: bool = True) -> Path:
    """The place at ``root / "vale"``; its input files are written to ``root``."""
    ws = Workspace.create(root / "vale", "Vale")
    try:
        add_partners(ws, "district", "county")
        (root / "areas.csv").write_text(AREAS, encoding="utf-8")
        import_areas(ws, root / "areas.csv")
        with_squares(
            ws,
            root,
            square("V1", 349000, 449000, 1000),
            square("V2", 350000, 449000, 1000),
            square("V3", 349000, 450000, 1000),
            square("V4", 350000, 450000, 1000),
        )
        (root / "deciles.csv").write_text(DECILES, encoding="utf-8")
        service.import_indicator(
            ws,
            root / "deciles.csv",
            "imd_decile",
            "decile",
            source="Crafted",
            as_of="2019",
            higher_is="better",
        )
        (root / "sleepers.csv").write_text(SLEEPERS, encoding="utf-8")
        service.import_indicator(
            ws,
            root / "sleepers.csv",
            "rough_sleepers",
            "people",
            source="Crafted",
            as_of="2024",
            higher_is="worse",
            counts=True,
        )
        if spend:
            (root / "spend.csv").write_text(SPEND, encoding="utf-8")
            spend_service.import_lines(ws, root / "spend.csv")
    finally:
        ws.close()
    return root / "vale"
