"""Builders for small places used by the spend tests."""

from __future__ import annotations

from pathlib import Path

from wholeplace.partners import Partner, upsert
from wholeplace.workspace import Workspace

PARTNERS = [
    Partner("cc", "Shire County Council", "county council", "County council", "Local government"),
    Partner("dc", "Vale District Council", "district", "District councils", "Local government"),
    Partner("icb", "NHS Shire ICB", "nhs commissioner", "NHS", "Health"),
    Partner("dwp", "DWP", "dwp", "DWP", "Central government"),
]

HEADER = "partner,year,service,subservice,area,customer_group,amount_gbp,counterparty\n"


def add_partners(ws: Workspace, partners: list[Partner] = PARTNERS) -> None:
    with ws.write("test partners"):
        upsert(ws, partners)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
