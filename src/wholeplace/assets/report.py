"""The estate report: one self-contained HTML page, or a workbook.

The estate by partner and use, cost per m² and utilisation, the co-location and disposal
candidates, and the area profiles with a map of the chosen indicator, drawn offline from
the place's boundaries (:mod:`wholeplace.reports.maps`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wholeplace.assets.model import Asset, shown
from wholeplace.assets.opportunities import Disposal
from wholeplace.assets.profiles import Indicator
from wholeplace.disclosure import SUPPRESS_UNDER
from wholeplace.labels import in_words
from wholeplace.money import ZERO, to_money
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.layout import Answer, render_report
from wholeplace.reports.maps import MapArea, choropleth_svg
from wholeplace.reports.xlsx import Col, new_workbook, save_atomic, title, write_table

if TYPE_CHECKING:  # the service imports this module when it writes
    from wholeplace.assets.service import OpeProgress, Opportunities, Profiles


@dataclass(frozen=True)
class EstateLine:
    """The assets of one partner and use: how many, how big, what they cost."""

    partner: str
    use: str
    assets: int
    gia_m2: Decimal
    running_cost: Decimal
    cost_per_m2: Decimal | None  # cost over the floor area of the assets giving both
    utilisation: Decimal | None  # floor-area weighted, over the assets giving both

    def to_json(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.__dict__.items()}


def estate_lines(assets: list[Asset]) -> list[EstateLine]:
    groups: dict[tuple[str, str], list[Asset]] = {}
    for a in assets:
        groups.setdefault((a.partner, a.use or a.type or "(not given)"), []).append(a)
    out = []
    for (partner, use), held in sorted(groups.items()):
        gia = sum((a.gia_m2 for a in held if a.gia_m2 is not None), ZERO)
        cost = sum((c for a in held if (c := a.running_cost) is not None), ZERO)
        both = [a for a in held if a.gia_m2 and a.running_cost is not None]
        both_gia = sum((a.gia_m2 or ZERO for a in both), ZERO)
        per_m2 = (
            to_money(sum((a.running_cost or ZERO for a in both), ZERO) / both_gia)
            if both_gia
            else None
        )
        used = [a for a in held if a.gia_m2 and a.utilisation is not None]
        used_gia = sum((a.gia_m2 or ZERO for a in used), ZERO)
        util = None
        if used_gia:
            weighted = sum(((a.gia_m2 or ZERO) * (a.utilisation or ZERO) for a in used), ZERO)
            util = (weighted / used_gia).quantize(Decimal("0.1"))
        out.append(EstateLine(partner, use, len(held), gia, cost, per_m2, util))
    return out


@dataclass
class AssetsReport:
    place: str
    assets: list[Asset]
    estate: list[EstateLine]
    found: Opportunities | None
    profiles: Profiles | None
    map_indicator: str | None
    map_svg: str | None
    ope: OpeProgress | None = None

    @property
    def disposals(self) -> list[Disposal]:
        return [] if self.found is None else self.found.disposals

    def to_json(self) -> dict[str, Any]:
        """As `wholeplace assets report --json` prints it (without the file written)."""
        return {
            "assets": len(self.assets),
            "estate": [e.to_json() for e in self.estate],
            "opportunities": None if self.found is None else self.found.to_json(),
            "profiles": None if self.profiles is None else self.profiles.to_json(),
            "ope": None if self.ope is None else self.ope.to_json(),
        }


def published(indicator: Indicator, value: Decimal | None) -> Decimal | str | None:
    """A figure as a public report shows it: a count of people under 5 as ``<5``."""
    if value is not None and indicator.counts and value < SUPPRESS_UNDER:
        return f"<{SUPPRESS_UNDER}"
    return value


def profile_map(
    profiles: Profiles, boundaries: dict[str, dict[str, Any]], indicator: str | None
) -> tuple[str | None, str | None]:
    """The map of ``indicator`` (default: the first) over the areas with a boundary."""
    names = [i.name for i in profiles.indicators]
    chosen = indicator or (names[0] if names else None)
    if chosen is None or not any(a.code in boundaries for a in profiles.areas):
        return chosen, None
    # only the areas the indicator covers: a place's districts around its LSOAs would
    # otherwise be drawn grey over them
    counts = any(i.counts for i in profiles.indicators if i.name == chosen)
    areas = [
        MapArea(a.code, a.name, a.values[chosen])
        for a in profiles.areas
        if chosen in a.values and not (counts and a.values[chosen] < SUPPRESS_UNDER)
    ]
    if not any(a.code in boundaries for a in areas):
        return chosen, None
    svg = choropleth_svg(
        boundaries,
        areas,
        title=f"{chosen} by area, {profiles.place}",
        fmt=shown,
        legend_title=chosen,
        svg_id="profile-map",
        labels=len(areas) <= 30,
    )
    return chosen, svg


def write_html(r: AssetsReport, out: Path) -> Path:
    said = r.found.summary if r.found else f"{len(r.assets):,} assets in the register."
    html = render_report(
        "assets_report.html",
        title="The shared estate",
        answer=Answer(said),
        place=r.place,
        r=r,
        shown=shown,
        published=published,
    )
    write_text_atomic(out, html)
    return out


def _around(d: Disposal) -> str:
    return "; ".join(
        f"{code}: " + ", ".join(f"{k} {shown(v)}" for k, v in values.items())
        for code, values in d.around.items()
    )


def write_xlsx(r: AssetsReport, out: Path) -> Path:
    wb = new_workbook()
    ws = wb.create_sheet("Estate")
    row = title(ws, f"The shared estate: {r.place}", f"{len(r.assets):,} assets")
    write_table(
        ws,
        [
            Col("Partner"),
            Col("Use"),
            Col("Assets", "int"),
            Col("GIA m²", "int"),
            Col("Running cost", "gbp"),
            Col("£ per m²", "gbp"),
            Col("Utilisation %"),
        ],
        [
            [e.partner, e.use, e.assets, e.gia_m2, e.running_cost, e.cost_per_m2, e.utilisation]
            for e in r.estate
        ],
        start_row=row,
    )
    ws = wb.create_sheet("Register")
    write_table(
        ws,
        [
            Col("Partner"),
            Col("Ref"),
            Col("UPRN"),
            Col("Name"),
            Col("Postcode"),
            Col("Easting", "int"),
            Col("Northing", "int"),
            Col("Tenure"),
            Col("Use"),
            Col("GIA m²", "int"),
            Col("Running cost", "gbp"),
            Col("£ per m²", "gbp"),
            Col("Utilisation %"),
            Col("Condition"),
            Col("Backlog", "gbp"),
            Col("Areas"),
        ],
        [
            [
                a.partner,
                a.ref,
                a.uprn,
                a.name,
                a.postcode,
                a.easting,
                a.northing,
                a.tenure,
                a.use or a.type,
                a.gia_m2,
                a.running_cost,
                a.cost_per_m2,
                a.utilisation,
                a.condition,
                a.backlog,
                ", ".join(a.areas),
            ]
            for a in r.assets
        ],
    )
    if r.found is not None:
        ws = wb.create_sheet("Co-location")
        write_table(
            ws,
            [
                Col("Rank", "int"),
                Col("Keep"),
                Col("Vacate"),
                Col("Saving a year", "gbp"),
                Col("Receipt", "gbp"),
                Col("Moving cost", "gbp"),
                Col("NPV", "gbp"),
                Col("Notes", width=60),
            ],
            [
                [
                    g.rank,
                    g.keep.key,
                    ", ".join(a.key for a in g.vacate),
                    g.saving_a_year,
                    g.receipt,
                    g.moving_cost,
                    g.npv,
                    "; ".join(g.reasons),
                ]
                for g in r.found.co_locations
            ],
        )
        ws = wb.create_sheet("Disposal")
        write_table(
            ws,
            [
                Col("Rank", "int"),
                Col("Asset"),
                Col("Name"),
                Col("Reasons", width=80),
                Col("Need of the areas around", width=60),
            ],
            [
                [d.rank, d.asset.key, d.asset.name, "; ".join(d.reasons), _around(d)]
                for d in r.disposals
            ],
        )
    if r.ope is not None and r.ope.years:
        ws = wb.create_sheet("OPE targets")
        write_table(
            ws,
            [
                Col("Year"),
                Col("Receipts target", "gbp"),
                Col("Receipts delivered", "gbp"),
                Col("Receipts in pipeline", "gbp"),
                Col("Savings target", "gbp"),
                Col("Savings delivered", "gbp"),
                Col("Savings in pipeline", "gbp"),
            ],
            [
                [
                    y.year,
                    y.target_receipts,
                    y.delivered_receipts,
                    y.pipeline_receipts,
                    y.target_savings,
                    y.delivered_savings,
                    y.pipeline_savings,
                ]
                for y in r.ope.years
            ],
        )
        ws = wb.create_sheet("Pipeline")
        write_table(
            ws,
            [
                Col("Asset"),
                Col("Stage"),
                Col("Year"),
                Col("Receipt", "gbp"),
                Col("Saving a year", "gbp"),
            ],
            [[i.key, i.stage, i.year, i.receipt, i.saving] for i in r.ope.pipeline],
        )
    if r.profiles is not None:
        names = [i.name for i in r.profiles.indicators]
        ws = wb.create_sheet("Areas")
        write_table(
            ws,
            [
                Col("Area"),
                Col("Name"),
                *[Col(in_words(n)) for n in names],
                Col("Assets", "int"),
                Col("GIA m²", "int"),
                Col("Running cost", "gbp"),
            ],
            [
                [
                    a.code,
                    a.name,
                    *[published(i, a.values.get(i.name)) for i in r.profiles.indicators],
                    len(a.assets),
                    a.floor_area_m2,
                    a.running_cost,
                ]
                for a in r.profiles.areas
            ],
        )
        ws = wb.create_sheet("Sources")
        write_table(
            ws,
            [Col("Indicator"), Col("Source", width=60), Col("For"), Col("Higher is")],
            [[i.name, i.source, i.as_of, i.higher_is] for i in r.profiles.indicators],
        )
    save_atomic(wb, out)
    return out
