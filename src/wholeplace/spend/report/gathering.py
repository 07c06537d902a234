"""Reading the spend report of a year from the workspace, in one pass per figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from decimal import Decimal
from typing import Any, TypeVar

import ibis

from wholeplace.areas import area_populations, boundaries, list_areas, place_population
from wholeplace.engine import SpendTables, duckdb_tables, execute
from wholeplace.money import to_money
from wholeplace.partners import list_partners
from wholeplace.spend.consolidate import (
    ZERO,
    SpendMap,
    consolidate_views,
    consolidated_lines,
    is_internal,
    year_lines,
    years,
)
from wholeplace.spend.report.data import (
    HELD_FLAT,
    VIEWS,
    DrillRow,
    EstimateRow,
    LineRow,
    SpendReport,
)
from wholeplace.workspace import Workspace
from wholeplace.years import previous

# Excel's sheet limit is 1,048,576 rows; more lines than this are summarised, not listed.
MAX_XLSX_LINES = 1_000_000

R = TypeVar("R")


def drilldown_expr(t: SpendTables, year: str) -> ibis.Table:
    """Consolidated revenue spend by group, partner and service (the drill-down's leaves)."""
    lines = consolidated_lines(t, year, "revenue")
    p = t.partners.select(pid=t.partners.id, partner_name=t.partners.name, grp=t.partners.group)
    s = t.services.select(
        code=t.services.code,
        service_name=t.services.name,
        division_code=t.services.division_code,
        division=t.services.division,
    )
    j = lines.join(p, lines.partner == p.pid).join(s, lines.service == s.code)
    est = j.is_estimate.ifelse(j.amount_gbp, 0).cast(j.amount_gbp.type())
    return j.group_by(
        group=j.grp,
        partner=j.partner,
        partner_name=j.partner_name,
        division_code=j.division_code,
        division=j.division,
        service=j.service,
        service_name=j.service_name,
    ).aggregate(amount_gbp=j.amount_gbp.sum(), estimated_gbp=est.sum())


def estimates_expr(t: SpendTables, year: str) -> ibis.Table:
    """Estimated consolidated revenue spend by partner, method and source."""
    lines = consolidated_lines(t, year, "revenue")
    lines = lines.filter(lines.is_estimate)
    p = t.partners.select(pid=t.partners.id, partner_name=t.partners.name)
    j = lines.join(p, lines.partner == p.pid)
    return j.group_by(
        partner=j.partner,
        partner_name=j.partner_name,
        method=j.estimate_method.fill_null("(method not stated)"),
        source=j.source,
    ).aggregate(amount_gbp=j.amount_gbp.sum(), lines=j.count())


def lines_expr(t: SpendTables, year: str) -> ibis.Table:
    """Every imported line of the year, named, with whether it was eliminated."""
    lines = year_lines(t, year)
    lines = lines.mutate(eliminated=is_internal(t, lines, year))
    p = t.partners.select(pid=t.partners.id, partner_name=t.partners.name)
    s = t.services.select(code=t.services.code, service_name=t.services.name)
    j = lines.left_join(p, lines.partner == p.pid).left_join(s, lines.service == s.code)
    named = {
        "partner_name": j.partner_name.fill_null(j.partner),
        "service_name": j.service_name.fill_null(j.service),
    }
    as_is = [f.name for f in fields(LineRow) if f.name not in named]
    return j.select(*as_is, **named).order_by("partner", "source_row", "service")


def _money(v: Decimal | None) -> Decimal:
    return ZERO if v is None else to_money(v)


def _typed(row_type: Callable[..., R], rows: list[dict[str, Any]]) -> list[R]:
    """The engine's rows as ``row_type`` (each expression above selects exactly its
    fields), every ``*_gbp`` figure to the penny and a missing one as 0."""
    return [
        row_type(**{k: _money(v) if k.endswith("_gbp") else v for k, v in r.items()}) for r in rows
    ]


def gather(ws: Workspace, year: str, allocate_by: str | None = None) -> SpendReport:
    """Everything the report of ``year`` shows, read from the workspace; with
    ``allocate_by``, the spend on no area allocated to the areas by that driver
    (:mod:`wholeplace.allocation`) for the per-head map."""
    t = duckdb_tables(ws)
    population = place_population(ws)
    area_pop = area_populations(ws)

    def maps_of(y: str, views: tuple[str, ...]) -> dict[str, SpendMap]:
        # one call per year: the reconciliation and eliminations are shared by its views
        return consolidate_views(t, y, views, population=population, area_population=area_pop)

    maps = maps_of(year, VIEWS)
    drill = _typed(DrillRow, execute(t.backend, drilldown_expr(t, year)))
    drill.sort(key=lambda d: (d.group, d.partner, -d.amount_gbp, d.service))
    estimates = _typed(EstimateRow, execute(t.backend, estimates_expr(t, year)))
    estimates.sort(key=lambda e: (-e.amount_gbp, e.partner, e.method))
    lx = lines_expr(t, year)
    line_count = int(execute(t.backend, lx.count().name("n").as_table())[0]["n"])
    lines = _typed(LineRow, execute(t.backend, lx.limit(MAX_XLSX_LINES)))
    prev = previous(year)
    held = years(t)
    has_prev = prev in held
    history = {y: maps_of(y, ("group", "partner")) for y in held if y < year}
    history[year] = {v: maps[v] for v in ("group", "partner")}
    allocation = None
    allocated_per_head: dict[str, Decimal] = {}
    if allocate_by is not None:
        from wholeplace.allocation import allocate_by as allocate
        from wholeplace.spend.consolidate import NOT_ALLOCATED

        rows = maps["area"].rows
        rest = sum((r.amount_gbp for r in rows if r.key == NOT_ALLOCATED), ZERO)
        allocation = allocate(ws, rest, allocate_by)
        own = {r.key: r.amount_gbp for r in rows if r.key != NOT_ALLOCATED}
        allocated_per_head = allocation.per_head(own, area_pop)
    return SpendReport(
        place=ws.name,
        year=year,
        population=population,
        maps=maps,
        drilldown=drill,
        partner_groups={p.id: p.group for p in list_partners(ws)},
        estimates=estimates,
        lines=lines,
        line_count=line_count,
        boundaries=boundaries(ws),
        previous_year=prev if has_prev else None,
        previous=history[prev] if has_prev else {},
        history=history,
        held_flat=held_flat(t),
        allocation=allocation,
        allocated_per_head=allocated_per_head,
        area_names={a.code: a.name for a in list_areas(ws)} if allocation else {},
    )


def held_flat(t: SpendTables) -> dict[str, list[str]]:
    """Partner -> the years in which some of its estimated lines are held flat (their method
    says so: an earlier year's cash figure carried forward unchanged)."""
    lines = t.lines
    flat = (
        lines.filter(lines.is_estimate & lines.estimate_method.lower().contains(HELD_FLAT))
        .select("partner", "year")
        .distinct()
    )
    out: dict[str, list[str]] = {}
    for r in sorted(execute(t.backend, flat), key=lambda r: (r["partner"], r["year"])):
        out.setdefault(r["partner"], []).append(r["year"])
    return out
