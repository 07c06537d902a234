"""The area profiles as a public report: one HTML page in the shared layout, or a workbook.

Counts of people under 5 (an area's population, an indicator imported with ``--counts``)
are shown as ``<5`` in both, and left off the map, as disclosure control asks of anything
published; ``--json`` is for the place's own analysts and gives the figures as they are.
The population column is shown beside the place's total, so it has secondary suppression
too (``AreaProfiles.population_hidden``, as the web's release figures): where one area's
population under 5 would follow from the total, the next smallest is shown as ``c``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.assets.model import shown
from wholeplace.assets.neighbourhoods import (
    DECILE,
    POPULATION,
    SIMILARITY,
    AreaProfiles,
    Figure,
    Neighbourhood,
    suppressed,
)
from wholeplace.disclosure import SECONDARY, SUPPRESS_UNDER, marker
from wholeplace.labels import in_words
from wholeplace.money import fmt_gbp
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.layout import Answer, Headline, InputFile, render_report
from wholeplace.reports.maps import SCHEMES, MapArea, choropleth_svg
from wholeplace.reports.xlsx import Col, new_workbook, save_atomic, title, write_pairs, write_table
from wholeplace.workspace import Workspace

DETAILED_UP_TO = 200  # areas with a section of their own in the HTML; the rest in the table


@dataclass
class ProfileReport:
    profiles: AreaProfiles
    map_indicator: str | None
    map_svg: str | None
    scheme: str
    inputs: list[InputFile]


def published(value: Decimal | int | None) -> str:
    shown_value = suppressed(value)
    if shown_value is None:
        return ""
    if isinstance(shown_value, str):
        return shown_value
    if isinstance(shown_value, int):
        return f"{shown_value:,}"
    return shown(shown_value)


class Populations:
    """The populations as the report publishes them: each area's under 5 as ``<5``, and
    the ones ``hidden`` (``AreaProfiles.population_hidden``: the primary and the secondary
    suppression of the column shown with the place's total) as ``<5`` or ``c``; the
    indicator ``population``, where an area has one, is the same figure and shown so."""

    def __init__(self, ps: AreaProfiles) -> None:
        self.hidden = ps.population_hidden()

    def cell(self, a: Neighbourhood) -> Decimal | int | str | None:
        """The area's population for a workbook cell: a number, ``<5`` or ``c``."""
        return marker(a.population) if a.code in self.hidden else suppressed(a.population)

    def text(self, a: Neighbourhood) -> str:
        """The area's population for the page."""
        return marker(a.population) if a.code in self.hidden else published(a.population)

    def figure(self, a: Neighbourhood, f: Figure) -> Decimal | str | None:
        """The area's own value of ``f`` as published (a count under 5 as ``<5``)."""
        if f.indicator == POPULATION and a.code in self.hidden and f.value is not None:
            return marker(f.value)
        return f.published(f.value)

    def figure_text(self, a: Neighbourhood, f: Figure) -> str:
        v = self.figure(a, f)
        if v is None or isinstance(v, str):
            return v or ""
        return published(v) if f.counts else shown(v)


def map_indicator(ps: AreaProfiles, indicator: str | None) -> str | None:
    """The indicator to map: the one asked for, else the IMD decile, else the first."""
    names = [i.name for i in ps.indicators]
    return indicator or (DECILE if DECILE in names else (names[0] if names else None))


def area_map(
    ps: AreaProfiles,
    geometries: dict[str, dict[str, Any]],
    indicator: str | None,
    scheme: str,
    everywhere: Mapping[str, tuple[str, Decimal]] | None = None,
) -> tuple[str | None, str | None]:
    """The choropleth of ``indicator`` (see :func:`map_indicator`) over the profiled areas
    with a boundary, classed by ``scheme``; counts under 5 are left off. With
    ``everywhere`` (code -> name, value for every area of the place), one profiled area is
    drawn outlined among all the place's areas, so the reader sees where it lies."""
    chosen = map_indicator(ps, indicator)
    if chosen is None:
        return None, None
    counts = any(i.counts for i in ps.indicators if i.name == chosen)
    areas = []
    if everywhere is not None and len(ps.areas) == 1:
        areas = [MapArea(code, name, v) for code, (name, v) in sorted(everywhere.items())]
    else:
        for a in ps.areas:
            v = next((f.value for f in a.figures if f.indicator == chosen), None)
            areas.append(MapArea(a.code, a.name, v))
    # the populations the tables withhold (<5 and c) are left off a map of them too
    hidden = ps.population_hidden() if chosen == POPULATION else set()
    areas = [
        MapArea(a.code, a.name, None)
        if (counts and a.value is not None and a.value < SUPPRESS_UNDER) or a.code in hidden
        else a
        for a in areas
    ]
    if not any(a.code in geometries and a.value is not None for a in areas):
        return chosen, None
    svg = choropleth_svg(
        geometries,
        areas,
        title=f"{chosen} by area, {ps.place}",
        fmt=shown,
        legend_title=chosen,
        svg_id="area-map",
        labels=len(areas) <= 30,
        scheme=scheme,
    )
    if everywhere is not None and len(ps.areas) == 1:
        svg = outline(svg, ps.areas[0].code)
    return chosen, svg


def outline(svg: str, code: str) -> str:
    """``svg`` with the area ``code`` drawn last, in a thick dark outline."""
    from html import escape

    start = svg.find(f'<path class="area" data-code="{escape(code)}"')
    if start < 0:
        return svg
    end = svg.index("</path>", start) + len("</path>")
    path = svg[start:end].replace(
        'stroke="#fff" stroke-width="0.8"', 'stroke="#000" stroke-width="3"', 1
    )
    rest = svg[:start] + svg[end:]
    # after every area, before the labels and the legend, so no neighbour covers it
    at = min(
        i for i in (rest.find('<text class="area-label"'), rest.find('<g class="legend"')) if i >= 0
    )
    return rest[:at] + path + rest[at:]


def answer(ps: AreaProfiles) -> Answer:
    figures = [Headline(f"{len(ps.areas):,}", "areas profiled")]
    if len(ps.areas) == 1:
        a = ps.areas[0]
        if a.population is not None:
            figures.append(Headline(Populations(ps).text(a), "people (population)"))
        if a.decile is not None:
            figures.append(Headline(shown(a.decile), "IMD decile (1 = most deprived)"))
        figures.append(Headline(f"{len(a.assets):,}", "of the partners' assets"))
        per_head = a.published_per_head()
        if isinstance(per_head, str):
            figures.append(Headline(per_head, "public spend a head (confidential)"))
        elif per_head is not None:
            figures.append(Headline(fmt_gbp(per_head, pence=False), "public spend a head"))
    else:
        if ps.place_population is not None:
            figures.append(Headline(f"{ps.place_population:,}", "people in them"))
        figures.append(
            Headline(f"{sum(1 for a in ps.areas if a.decile == 1):,}", "in IMD decile 1")
        )
        if ps.place_per_head is not None:
            figures.append(Headline(fmt_gbp(ps.place_per_head, pence=False), "public spend a head"))
    return Answer(ps.summary, figures)


def write_html(r: ProfileReport, out: Path) -> Path:
    ps = r.profiles
    html = render_report(
        "area_profiles.html",
        title="Area profiles",
        answer=answer(ps),
        place=ps.place,
        inputs=r.inputs,
        r=r,
        ps=ps,
        detailed=ps.areas if len(ps.areas) <= DETAILED_UP_TO else [],
        detailed_up_to=DETAILED_UP_TO,
        total_assets=len({s.key for a in ps.areas for s in a.assets}),
        published=published,
        populations=Populations(ps),
        secondary=SECONDARY,
        shown=shown,
        similarity=SIMILARITY,
        scheme_name=SCHEMES[r.scheme],
        suppress_under=SUPPRESS_UNDER,
    )
    write_text_atomic(out, html)
    return out


def _figure_cell(pops: Populations, a: Neighbourhood, name: str) -> Any:
    f = next((f for f in a.figures if f.indicator == name), None)
    if f is None or f.value is None:
        return None
    v = pops.figure(a, f)
    return float(v) if isinstance(v, Decimal) else v


def _cell(counts: bool, v: Decimal | None) -> str:
    if v is None:
        return ""
    return published(v) if counts else shown(v)


def write_xlsx(r: ProfileReport, out: Path) -> Path:
    ps = r.profiles
    pops = Populations(ps)
    wb = new_workbook()
    sheet = wb.create_sheet("Areas")
    row = title(sheet, f"Area profiles: {ps.place}", ps.summary)
    names = [i.name for i in ps.indicators]
    cols = [
        Col("Code"),
        Col("Name"),
        Col("Population", "text"),
        *[Col(in_words(n), "text") for n in names],
        Col("Assets", "int"),
        Col("Running cost a year (£)", "gbp"),
        Col("Public spend (£)", "gbp"),
        Col("Allocated (£)", "gbp"),
        Col("£ per head", "gbp"),
        Col("Most similar areas"),
    ]
    write_table(
        sheet,
        cols,
        (
            [
                a.code,
                a.name,
                pops.cell(a),  # a number, "<5" or "c"
                *[_figure_cell(pops, a, n) for n in names],
                len(a.assets),
                a.running_cost,
                None if a.spend is None else a.spend.amount,
                a.published_allocated(),  # a number or "c"
                a.published_per_head(),
                ", ".join(c for c, _, _ in a.similar),
            ]
            for a in ps.areas
        ),
        start_row=row,
    )
    compared = wb.create_sheet("Compared")
    row = title(
        compared,
        "Each area against the place (median of its areas) and its most similar areas (mean)",
        f"Most similar: {SIMILARITY}.",
    )
    write_table(
        compared,
        [Col("Code"), Col("Indicator"), Col("Area"), Col("Place median"), Col("Similar mean")],
        (
            [
                a.code,
                f.indicator,
                pops.figure_text(a, f),
                *(_cell(f.counts, v) for v in (f.place, f.similar)),
            ]
            for a in ps.areas
            for f in a.figures
        ),
        start_row=row,
    )
    method = wb.create_sheet("Method")
    row = title(method, "Method and sources")
    pairs: list[tuple[str, Any, Any]] = [
        ("Most similar areas", SIMILARITY, "text"),
        ("Map classes", f"{SCHEMES[r.scheme]} (mapclassify)", "text"),
        (
            "Suppressed",
            f"counts of people under {SUPPRESS_UNDER} shown as <{SUPPRESS_UNDER}; where "
            "an area's population would follow from the place's total, the next smallest "
            f"shown as {SECONDARY} (confidential) too; an area's spend per head (and spend "
            f"allocated by population) is {SECONDARY} wherever its population is withheld, "
            "since beside its spend it would give the population away",
            "text",
        ),
        ("Spend allocated by", ps.allocated_by or "not allocated", "text"),
        *[(f"Source: {i.name}", f"{i.source} ({i.as_of})", "text") for i in ps.indicators],
    ]
    write_pairs(method, pairs, start_row=row)
    save_atomic(wb, out)
    return out


def inputs_of(ws: Workspace) -> list[InputFile]:
    """The files the profiles were made from: the latest import of the boundaries and of
    each indicator, with the SHA-256 the audit log recorded."""
    rows = ws.con.execute(
        "SELECT file, sha256 FROM audit_log WHERE action IN ('boundaries import', "
        "'indicator import', 'areas import') AND file IS NOT NULL AND sha256 IS NOT NULL "
        "ORDER BY seq"
    ).fetchall()
    seen: dict[str, InputFile] = {}
    for file, sha in rows:
        name = Path(file).name
        seen.pop(name, None)
        seen[name] = InputFile(name, sha)
    return list(seen.values())
