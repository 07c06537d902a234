"""The operations a user performs on the shared asset register, for every front end.

from wholeplace.assets import service
service.import_register(ws, Path("trafford.csv"), "trafford")
service.register(ws)                           # every partner's assets, one layout
service.opportunities(ws, within_m=Decimal(500))   # co-location and disposal candidates
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.areas import boundaries
from wholeplace.assets.geo import PlaceShape
from wholeplace.assets.importer import read_register
from wholeplace.assets.layouts import read_mapping
from wholeplace.assets.model import Asset
from wholeplace.assets.opportunities import CoLocation, Criteria, Disposal, co_locations, disposals
from wholeplace.assets.store import load_assets, replace_partner
from wholeplace.errors import Notice, Problems, WholeplaceError
from wholeplace.partners import partner_ids
from wholeplace.workspace import Workspace, file_sha256

__all__ = [
    "Criteria",
    "Opportunities",
    "opportunities",
    "RegisterImport",
    "SharedUprn",
    "import_register",
    "keep_outside",
    "parse_filters",
    "register",
]


@dataclass(frozen=True)
class SharedUprn:
    """One building (UPRN) held in the registers of more than one partner: a finding."""

    uprn: str
    assets: tuple[str, ...]  # partner/ref of each

    def to_json(self) -> dict[str, Any]:
        return {"uprn": self.uprn, "assets": list(self.assets)}


@dataclass
class RegisterImport:
    file: str
    partner: str
    layout: str
    imported: int
    unlocated: int
    filtered_out: int
    boundaries_checked: bool
    outside: int = 0
    shared_uprns: list[SharedUprn] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def summary(self) -> str:
        where = (
            "every location checked against the place's boundaries"
            if self.boundaries_checked
            else "locations not checked: the place has no boundaries"
        )
        text = (
            f"Imported {self.imported:,} assets of {self.partner} from {self.file} "
            f"({self.layout}); {self.unlocated:,} have no location; {where}."
        )
        if self.outside:
            text += f" {self.outside:,} lie outside the place (kept: --outside keep)."
        if self.filtered_out:
            text += f" {self.filtered_out:,} rows left out by --filter."
        if self.shared_uprns:
            text += (
                f" {len(self.shared_uprns)} UPRN(s) are also in another partner's register "
                "(shared buildings: see the list)."
            )
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "partner": self.partner,
            "layout": self.layout,
            "imported": self.imported,
            "unlocated": self.unlocated,
            "filtered_out": self.filtered_out,
            "boundaries_checked": self.boundaries_checked,
            "outside": self.outside,
            "shared_uprns": [s.to_json() for s in self.shared_uprns],
            "notices": [n.to_dict() for n in self.notices],
            "summary": self.summary,
        }


def parse_filters(values: Sequence[str]) -> list[tuple[str, str]]:
    """``--filter "Integrated Care Board=NHS LANCASHIRE AND SOUTH CUMBRIA ICB"``."""
    out = []
    for v in values:
        column, sep, value = v.partition("=")
        if not sep or not column.strip():
            raise WholeplaceError(
                f'--filter {v!r} is not COLUMN=VALUE. Fix: e.g. --filter "Local Authority='
                'LANCASHIRE COUNTY COUNCIL"'
            )
        out.append((column.strip(), value.strip()))
    return out


def place_shape(ws: Workspace) -> PlaceShape:
    return PlaceShape(boundaries(ws))


def shared_uprns(assets: Sequence[Asset]) -> list[SharedUprn]:
    """UPRNs in the registers of two or more partners."""
    by_uprn: dict[str, list[Asset]] = {}
    for a in assets:
        if a.uprn:
            by_uprn.setdefault(a.uprn, []).append(a)
    return [
        SharedUprn(u, tuple(a.key for a in held))
        for u, held in sorted(by_uprn.items())
        if len({a.partner for a in held}) > 1
    ]


def import_register(
    ws: Workspace,
    file: Path,
    partner: str,
    *,
    mapping: Path | None = None,
    filters: Sequence[tuple[str, str]] = (),
    sheet: str | None = None,
    keep_outside: bool = False,
) -> RegisterImport:
    """Read, check and keep one partner's register; it replaces that partner's assets."""
    file = Path(file)
    if partner not in partner_ids(ws):
        p = Problems(file.name)
        p.add(
            None,
            "--partner",
            partner,
            "not a partner of this place",
            "add it first (wholeplace partners add) or use one of: "
            + ", ".join(sorted(partner_ids(ws)))[:300],
        )
        raise p.error()
    layout = read_mapping(Path(mapping)) if mapping is not None else None
    shape = place_shape(ws)
    read = read_register(
        file,
        partner,
        layout=layout,
        place=shape,
        filters=filters,
        sheet=sheet,
        keep_outside=keep_outside,
    )
    with ws.write(
        "assets import", file=file, sha256=file_sha256(file), rows=len(read.assets)
    ) as info:
        replace_partner(ws, partner, read.assets, read.file)
        info["detail"].update({"partner": partner, "layout": read.layout})
    ours = {a.uprn for a in read.assets if a.uprn}
    found = [s for s in shared_uprns(load_assets(ws)) if s.uprn in ours]
    return RegisterImport(
        read.file,
        partner,
        read.layout,
        len(read.assets),
        len(read.unlocated),
        read.filtered_out,
        bool(shape),
        len(read.outside) if shape else 0,
        found,
        read.notices,
    )


def register(ws: Workspace, partner: str | None = None) -> list[Asset]:
    """The place's assets (one partner's with ``partner``), by partner and reference."""
    return load_assets(ws, partner)


def keep_outside(value: str) -> bool:
    """``--outside refuse|keep``."""
    if value not in ("refuse", "keep"):
        raise WholeplaceError(f"--outside {value!r}: use refuse or keep.")
    return value == "keep"


@dataclass
class Opportunities:
    """Co-location and disposal candidates, with the criteria and discounting used."""

    place: str
    criteria: Criteria
    discounting: str
    assets: int
    co_locations: list[CoLocation]
    disposals: list[Disposal]
    median_cost_per_m2: Decimal | None

    @property
    def summary(self) -> str:
        c = self.criteria
        return (
            f"{self.assets:,} assets: {len(self.co_locations)} co-location candidate(s) "
            f"(under-used buildings of different partners within {c.within_m} m) and "
            f"{len(self.disposals)} disposal candidate(s)."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "place": self.place,
            "summary": self.summary,
            "criteria": self.criteria.to_json(),
            "discounting": self.discounting,
            "assets": self.assets,
            "median_cost_per_m2": None
            if self.median_cost_per_m2 is None
            else str(self.median_cost_per_m2),
            "co_locations": [g.to_json() for g in self.co_locations],
            "disposals": [d.to_json() for d in self.disposals],
        }


def opportunities(
    ws: Workspace, criteria: Criteria, factors: Sequence[Decimal], discounting: str
) -> Opportunities:
    """The place's co-location and disposal candidates. ``factors``: discount factors for
    years 0 .. ``criteria.years``, named by ``discounting`` (the edges take them from the
    cost-benefit engine's Green Book schedule, or the place's own)."""
    assets = load_assets(ws)
    found, mid = disposals(assets, criteria)
    return Opportunities(
        ws.name,
        criteria,
        discounting,
        len(assets),
        co_locations(assets, criteria, factors),
        found,
        mid,
    )
