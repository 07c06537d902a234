"""The operations a user performs on the shared asset register, for every front end.

from wholeplace.assets import service
service.import_register(ws, Path("trafford.csv"), "trafford")
service.register(ws)                           # every partner's assets, one layout
service.opportunities(ws, within_m=Decimal(500))   # co-location and disposal candidates
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wholeplace.areas import area_names, boundaries
from wholeplace.assets.geo import Location, PlaceShape
from wholeplace.assets.importer import read_register
from wholeplace.assets.layouts import read_mapping
from wholeplace.assets.model import Asset
from wholeplace.assets.opportunities import CoLocation, Criteria, Disposal, co_locations, disposals
from wholeplace.assets.profiles import (
    HIGHER_IS,
    AreaProfile,
    AreaSpend,
    Indicator,
    build_profiles,
    read_indicator,
    similar_areas,
)
from wholeplace.assets.store import load_assets, replace_partner
from wholeplace.errors import Notice, Problems, WholeplaceError
from wholeplace.partners import partner_ids
from wholeplace.reports.writers import Writer, writer_for
from wholeplace.workspace import Workspace, file_sha256

if TYPE_CHECKING:  # the report module is imported when a report is written
    from wholeplace.assets.pipeline import PipelineItem, YearAgainstTarget
    from wholeplace.assets.report import AssetsReport

__all__ = [
    "IndicatorImport",
    "AreaSpend",
    "Profiles",
    "allocated_spend",
    "OpeProgress",
    "demo_estate",
    "estate_report",
    "import_pipeline",
    "import_targets",
    "ope_progress",
    "export_register",
    "import_indicator",
    "profiles",
    "Criteria",
    "Opportunities",
    "opportunities",
    "RegisterImport",
    "SharedUprn",
    "import_register",
    "keep_outside",
    "parse_filters",
    "read_travel_times",
    "register",
    "write_report",
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
        near = (
            f"{c.within_m} m" if c.within_minutes is None else f"{c.within_minutes} minutes by road"
        )
        return (
            f"{self.assets:,} assets: {len(self.co_locations)} co-location candidate(s) "
            f"(under-used buildings of different partners within {near}) and "
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


def _need_around(ws: Workspace, found: Sequence[Disposal], within_m: Decimal) -> None:
    """Give each disposal candidate the areas within ``within_m`` that have indicators, with
    their values: the need of the areas the asset serves."""
    values: dict[str, dict[str, Decimal]] = {}
    for name, code, v in ws.con.execute(
        "SELECT indicator, code, value FROM area_indicators ORDER BY indicator"
    ).fetchall():
        values.setdefault(code, {})[name] = v
    if not values:
        return
    shape = place_shape(ws)
    for d in found:
        a = d.asset
        if not a.located:
            continue
        assert a.easting is not None and a.northing is not None
        assert a.longitude is not None and a.latitude is not None
        where = Location(a.easting, a.northing, a.longitude, a.latitude)
        d.around = {c: values[c] for c in shape.areas_near(where, within_m) if c in values}


def read_travel_times(path: Path) -> dict[tuple[str, str], Decimal]:
    """Travel times by road the user gives: a CSV with ``from``, ``to`` (assets as
    ``partner/ref``) and ``minutes``."""
    from wholeplace.tabular import read_table

    table = read_table(Path(path), required=["from", "to", "minutes"])
    p = Problems(table.label, sheet=table.sheet)
    out: dict[tuple[str, str], Decimal] = {}
    for row in table.rows:
        a, b = row.values["from"].strip(), row.values["to"].strip()
        raw = row.values["minutes"].strip()
        try:
            m = Decimal(raw)
        except ArithmeticError:
            m = Decimal(-1)
        if not m.is_finite() or m < 0:
            p.add(row.number, "minutes", raw, "not a number of minutes", "e.g. 12 or 7.5")
            continue
        if not a or not b:
            p.add(
                row.number,
                "from",
                f"{a} -> {b}",
                "two assets are needed",
                "name both, as partner/ref",
            )
            continue
        out[(a, b)] = m
    p.raise_if_any()
    return out


def opportunities(
    ws: Workspace,
    criteria: Criteria,
    factors: Sequence[Decimal],
    discounting: str,
    minutes: dict[tuple[str, str], Decimal] | None = None,
) -> Opportunities:
    """The place's co-location and disposal candidates. ``factors``: discount factors for
    years 0 .. ``criteria.years``, named by ``discounting`` (the edges take them from the
    cost-benefit engine's Green Book schedule, or the place's own)."""
    assets = load_assets(ws)
    found, mid = disposals(assets, criteria)
    _need_around(ws, found, criteria.within_m)
    return Opportunities(
        ws.name,
        criteria,
        discounting,
        len(assets),
        co_locations(assets, criteria, factors, minutes),
        found,
        mid,
    )


@dataclass
class IndicatorImport:
    indicator: Indicator
    file: str
    left_out: int
    converted: int = 0

    @property
    def summary(self) -> str:
        i = self.indicator
        text = f"Imported {i.name} for {i.areas:,} areas from {self.file} ({i.source}, {i.as_of})."
        if self.converted:
            text += f" {self.converted:,} given by LSOA 2021 code, kept under the 2011 code."
        if self.left_out:
            text += f" {self.left_out:,} rows of areas outside the place left out."
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            **self.indicator.to_json(),
            "file": self.file,
            "left_out": self.left_out,
            "converted": self.converted,
            "summary": self.summary,
        }


def import_indicator(
    ws: Workspace,
    file: Path,
    name: str,
    column: str,
    *,
    source: str,
    as_of: str,
    higher_is: str = "neutral",
    counts: bool = False,
    code_column: str | None = None,
    sheet: str | None = None,
    lookup: Path | None = None,
) -> IndicatorImport:
    """Import one small-area indicator; it replaces the values of that indicator."""
    file = Path(file)
    p = Problems(file.name)
    if not name.strip() or len(name) > 64:
        p.add(None, "--name", name, "an indicator needs a short name", "e.g. --name imd_decile")
    if not source.strip() or not as_of.strip():
        p.add(
            None,
            "--source",
            source,
            "say where the figures come from and when",
            'e.g. --source "MHCLG, English indices of deprivation 2019" --as-of 2019',
        )
    if higher_is not in HIGHER_IS:
        p.add(
            None,
            "--higher-is",
            higher_is,
            "not worse, better or neutral",
            "say whether a higher value is worse (need), better, or neutral",
        )
    p.raise_if_any()
    place_codes = set(boundaries(ws)) or None
    from wholeplace.assets.profiles import read_lookup

    read = read_indicator(
        file,
        name,
        column,
        code_column=code_column,
        sheet=sheet,
        place_codes=place_codes,
        lookup=None if lookup is None else read_lookup(Path(lookup)),
    )
    ind = Indicator(name, source, as_of, higher_is, len(read.values), counts)
    with ws.write(
        "indicator import", file=file, sha256=file_sha256(file), rows=len(read.values)
    ) as info:
        ws.con.execute("DELETE FROM area_indicators WHERE indicator = ?", [name])
        ws.con.execute("DELETE FROM indicator_sources WHERE indicator = ?", [name])
        ws.con.executemany(
            "INSERT INTO area_indicators VALUES (?, ?, ?)",
            [[name, code, v] for code, v in sorted(read.values.items())],
        )
        ws.con.execute(
            "INSERT INTO indicator_sources VALUES (?, ?, ?, ?, ?, ?, ?)",
            [name, source, as_of, higher_is, counts, read.file, len(read.values)],
        )
        info["detail"].update({"indicator": name})
    return IndicatorImport(ind, read.file, read.left_out, read.converted)


@dataclass
class Profiles:
    place: str
    indicators: list[Indicator]
    areas: list[AreaProfile]
    medians: dict[str, Decimal | None]
    out: list[Path] = field(default_factory=list)

    @property
    def summary(self) -> str:
        located = sum(len(a.assets) for a in self.areas)
        return (
            f"{len(self.areas):,} area profiles of {self.place}: "
            f"{len(self.indicators)} indicator(s), {located:,} assets placed in them."
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "place": self.place,
            "summary": self.summary,
            "indicators": [i.to_json() for i in self.indicators],
            "medians": {k: None if v is None else str(v) for k, v in self.medians.items()},
            "areas": [a.to_json() for a in self.areas],
        }
        if self.out:
            out["out"] = [str(p) for p in self.out]
        return out


def allocated_spend(
    ws: Workspace,
    spend: Mapping[str, AreaSpend],
    unallocated: Decimal,
    driver: str,
    year: str,
) -> dict[str, AreaSpend]:
    """``spend`` (the spend map of ``year`` by area) with ``unallocated`` (spend on no area:
    county-level) allocated to the areas by ``driver``: ``population`` (the place's areas'
    populations) or an indicator's name. The allocation is kept apart from each area's own
    spend and adds back to the penny; per head with it uses the area's population. An area
    with no spend of its own has £0.00 of it (and £0.00 a head), in ``year`` all the same:
    where every pound is on no area, each area's own is zero and its part is allocated.
    Each area states the whole amount on no area (``on_no_area``) its part is taken from."""
    from dataclasses import replace

    from wholeplace.allocation import allocate_by
    from wholeplace.areas import area_populations
    from wholeplace.money import ZERO, to_money

    populations = area_populations(ws)
    parts = allocate_by(ws, unallocated, driver).parts
    out = dict(spend)
    for code, part in parts.items():
        pop = populations.get(code)
        own = out.get(code, AreaSpend(year, to_money(ZERO), to_money(ZERO) if pop else None))
        with_part = None if not pop else to_money((own.amount + part) / pop)
        out[code] = replace(
            own,
            allocated=part,
            allocated_by=driver,
            per_head_with_allocated=with_part,
            on_no_area=unallocated,
        )
    return out


def profiles(
    ws: Workspace, area: str | None = None, spend: Mapping[str, AreaSpend] | None = None
) -> Profiles:
    """The profile of every area (or of ``area``): its indicators, ranks and assets, and
    ``spend`` (the spend map's figures by area code, given by the caller) where it has
    some."""
    indicators = [
        Indicator(*r)
        for r in ws.con.execute(
            "SELECT indicator, source, as_of, higher_is, areas, counts FROM indicator_sources "
            "ORDER BY indicator"
        ).fetchall()
    ]
    values: dict[str, dict[str, Decimal]] = {i.name: {} for i in indicators}
    for name, code, v in ws.con.execute("SELECT * FROM area_indicators").fetchall():
        values[name][code] = v
    names = area_names(ws)
    codes = set(boundaries(ws)) | {c for v in values.values() for c in v}
    if area is not None and area not in codes:
        raise WholeplaceError(
            f"No area {area!r} in this place. Fix: use a code from `wholeplace assets "
            "profile --json`, or import its boundary or indicators first."
        )
    found, medians = build_profiles(sorted(codes), names, values, load_assets(ws))
    if area is not None:
        found = [a for a in found if a.code == area]
        found[0].similar = similar_areas(area, values)
    for p in found:
        p.spend = (spend or {}).get(p.code)
    return Profiles(ws.name, indicators, found, medians)


def write_report(
    ws: Workspace,
    out: Path,
    *,
    criteria: Criteria | None = None,
    factors: Sequence[Decimal] = (),
    discounting: str = "",
    indicator: str | None = None,
    area: str | None = None,
    spend: Mapping[str, AreaSpend] | None = None,
) -> AssetsReport:
    """Write the estate report to ``out`` (.html, self-contained, or .xlsx): the estate by
    partner and use, the candidates (when ``criteria`` and ``factors`` are given) and the
    area profiles with a map of ``indicator``."""
    from wholeplace.assets.report import write_html, write_xlsx

    data: list[AssetsReport] = []
    writers: dict[str, Writer] = {
        ".html": lambda p: write_html(data[0], p),
        ".xlsx": lambda p: write_xlsx(data[0], p),
    }
    write = writer_for(out, writers, "the estate report")
    data.append(
        estate_report(
            ws,
            criteria=criteria,
            factors=factors,
            discounting=discounting,
            indicator=indicator,
            area=area,
            spend=spend,
        )
    )
    write(Path(out))
    return data[0]


def estate_report(
    ws: Workspace,
    *,
    criteria: Criteria | None = None,
    factors: Sequence[Decimal] = (),
    discounting: str = "",
    indicator: str | None = None,
    area: str | None = None,
    spend: Mapping[str, AreaSpend] | None = None,
) -> AssetsReport:
    """What the estate report shows (:func:`write_report`), not written: for the web page
    and the JSON that `wholeplace assets report --json` prints."""
    from wholeplace.assets.report import AssetsReport, estate_lines, profile_map

    assets = load_assets(ws, None)
    found = opportunities(ws, criteria, factors, discounting) if criteria else None
    profs = profiles(ws, area, spend)
    chosen, svg = profile_map(profs, boundaries(ws), indicator)
    if indicator is not None and indicator not in {i.name for i in profs.indicators}:
        raise WholeplaceError(
            f"No indicator {indicator!r}. Fix: use one of: "
            + (", ".join(i.name for i in profs.indicators) or "(none imported)")
        )
    return AssetsReport(
        ws.name, assets, estate_lines(assets), found, profs, chosen, svg, ope_progress(ws)
    )


# The demo's estate (data/demo/assets/, see its SOURCES.md): the partners whose rows
# register.csv holds, and the indicators with their files, columns and sources.
DEMO_PARTNERS = ("lcc", "preston", "nhs-lsc", "lancs-pcc", "lancs-fire")
DEMO_INDICATORS = (
    (
        "imd_decile",
        "imd2019.csv",
        "IMD decile",
        "better",
        "MHCLG, English indices of deprivation 2019, File 1 (OGL v3)",
        "2019",
    ),
    (
        "population",
        "population-2015.csv",
        "Total population mid-2015",
        "neutral",
        "MHCLG, IoD2019 File 6, population denominators (OGL v3)",
        "mid-2015",
    ),
)


def demo_estate(
    ws: Workspace,
    inputs: Path,
    reports: Path,
    factors: Sequence[Decimal],
    discounting: str,
    spend: Mapping[str, AreaSpend] | None = None,
) -> tuple[list[Path], str]:
    """Give the demo place Preston's LSOAs, an illustrative estate and the area profiles,
    and write ``reports/estate.html`` and ``.xlsx``; the paths and one sentence."""
    from wholeplace.areas import import_boundaries

    import_boundaries(ws, inputs / "lsoa-preston.geojson", "code")
    for partner in DEMO_PARTNERS:
        import_register(
            ws,
            inputs / "register.csv",
            partner,
            mapping=inputs / "register-map.csv",
            filters=[("Partner", partner)],
        )
    for name, file, column, higher_is, source, as_of in DEMO_INDICATORS:
        import_indicator(
            ws, inputs / file, name, column, source=source, as_of=as_of, higher_is=higher_is
        )
    criteria = Criteria(years=len(factors) - 1)
    paths = [reports / "estate.html", reports / "estate.xlsx"]
    for path in paths:
        written = write_report(
            ws,
            path,
            criteria=criteria,
            factors=factors,
            discounting=discounting,
            indicator="imd_decile",
            spend=spend,
        )
    found = written.found
    assert found is not None
    return paths, found.summary


def export_register(ws: Workspace, partner: str, out: Path, effective: date | None = None) -> int:
    """Write ``partner``'s register to ``out`` (CSV) in the Transparency Code's layout;
    the number of assets written."""
    from wholeplace.assets.export import transparency_csv
    from wholeplace.partners import list_partners
    from wholeplace.reports.atomic import write_text_atomic

    names = {p.id: p.name for p in list_partners(ws)}
    if partner not in names:
        raise WholeplaceError(
            f"No partner {partner!r}. Fix: use one of: {', '.join(sorted(names))[:300]}"
        )
    if Path(out).suffix.lower() != ".csv":
        raise WholeplaceError(f"{out}: the Transparency Code layout is a CSV. Fix: --out FILE.csv")
    assets = load_assets(ws, partner)
    write_text_atomic(out, transparency_csv(names[partner], assets, effective or date.today()))
    return len(assets)


def import_targets(ws: Workspace, file: Path) -> int:
    """Import the partnership's OPE targets by year; they replace the targets before."""
    from wholeplace.assets.pipeline import read_targets

    targets = read_targets(Path(file))
    with ws.write("ope targets import", file=file, sha256=file_sha256(file), rows=len(targets)):
        ws.con.execute("DELETE FROM ope_targets")
        ws.con.executemany(
            "INSERT INTO ope_targets VALUES (?, ?, ?)",
            [[t.year, t.receipts, t.savings] for t in targets],
        )
    return len(targets)


def import_pipeline(ws: Workspace, file: Path) -> int:
    """Import the disposal pipeline (each asset's stage); it replaces the pipeline before."""
    from wholeplace.assets.pipeline import read_pipeline

    keys = {a.key for a in load_assets(ws)}
    items = read_pipeline(Path(file), keys)
    with ws.write("ope pipeline import", file=file, sha256=file_sha256(file), rows=len(items)):
        ws.con.execute("DELETE FROM ope_pipeline")
        ws.con.executemany(
            "INSERT INTO ope_pipeline VALUES (?, ?, ?, ?, ?, ?)",
            [[i.partner, i.ref, i.stage, i.year, i.receipt, i.saving] for i in items],
        )
    return len(items)


@dataclass
class OpeProgress:
    """The OPE targets against what has been delivered and what is in the pipeline."""

    place: str
    years: list[YearAgainstTarget]
    pipeline: list[PipelineItem]

    @property
    def by_stage(self) -> dict[str, int]:
        from wholeplace.assets.pipeline import STAGES

        return {s: sum(1 for i in self.pipeline if i.stage == s) for s in STAGES}

    @property
    def summary(self) -> str:
        stages = ", ".join(f"{n} {s}" for s, n in self.by_stage.items())
        return f"{len(self.pipeline)} assets in the pipeline ({stages})."

    def to_json(self) -> dict[str, Any]:
        return {
            "place": self.place,
            "summary": self.summary,
            "by_stage": self.by_stage,
            "years": [y.to_json() for y in self.years],
            "pipeline": [
                {
                    "asset": i.key,
                    "stage": i.stage,
                    "year": i.year,
                    "receipt": str(i.receipt),
                    "saving": str(i.saving),
                }
                for i in self.pipeline
            ],
        }


def ope_progress(ws: Workspace) -> OpeProgress:
    from wholeplace.assets.pipeline import PipelineItem, Target, against_targets

    targets = [Target(*r) for r in ws.con.execute("SELECT * FROM ope_targets").fetchall()]
    items = [
        PipelineItem(*r)
        for r in ws.con.execute("SELECT * FROM ope_pipeline ORDER BY partner, ref").fetchall()
    ]
    return OpeProgress(ws.name, against_targets(targets, items), items)
