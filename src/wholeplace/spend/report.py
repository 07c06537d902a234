"""The spend report: everything the place's consolidated spend shows, as HTML or XLSX.

:func:`gather` reads the workspace once into a typed :class:`SpendReport` (aggregates as
Ibis expressions over :func:`~wholeplace.engine.duckdb_tables`, money as Decimal);
:func:`write_html` and :func:`write_xlsx` only lay that object out, so both files show the
same figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis

from wholeplace.areas import area_populations, boundaries, place_population
from wholeplace.engine import SpendTables, duckdb_tables, execute
from wholeplace.money import fmt_gbp, round_half_up, to_money
from wholeplace.partners import list_partners
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.bubbles import PALETTE, Bubble, BubbleGroup, bubble_svg
from wholeplace.reports.html import millions, plotly_div, render
from wholeplace.reports.maps import MapArea, choropleth_svg
from wholeplace.spend.consolidate import (
    ZERO,
    Elimination,
    MapRow,
    Reconciliation,
    SpendMap,
    consolidate_views,
    consolidated_lines,
    is_internal,
    year_lines,
    years,
)
from wholeplace.spend.taxonomy import services
from wholeplace.workspace import Workspace
from wholeplace.years import previous

if TYPE_CHECKING:
    from openpyxl import Workbook

VIEWS: tuple[str, ...] = ("group", "partner", "division", "service", "area", "customer_group")
# Excel's sheet limit is 1,048,576 rows; more lines than this are summarised, not listed.
MAX_XLSX_LINES = 1_000_000


@dataclass(frozen=True)
class DrillRow:
    """Consolidated spend of one partner on one service (the drill-down's leaves)."""

    group: str
    partner: str
    partner_name: str
    division_code: str
    division: str
    service: str
    service_name: str
    amount_gbp: Decimal
    estimated_gbp: Decimal


@dataclass(frozen=True)
class EstimateRow:
    partner: str
    partner_name: str
    method: str
    source: str | None
    amount_gbp: Decimal
    lines: int


@dataclass(frozen=True)
class EstimatedPartner:
    """One partner's estimated spend, its methods and sources (largest amount first)."""

    partner: str
    partner_name: str
    amount_gbp: Decimal
    lines: int
    methods: list[str]
    sources: list[str]


@dataclass(frozen=True)
class ChangeRow:
    key: str
    label: str
    previous_gbp: Decimal
    current_gbp: Decimal

    @property
    def change_gbp(self) -> Decimal:
        return self.current_gbp - self.previous_gbp

    @property
    def change_ratio(self) -> Decimal | None:
        if not self.previous_gbp:
            return None
        return round_half_up(self.change_gbp / self.previous_gbp, 4)


@dataclass(frozen=True)
class LineRow:
    """One imported line of the year, as the Lines sheet lists it."""

    partner: str
    partner_name: str
    service: str
    service_name: str
    source_service: str
    subservice: str | None
    area: str | None
    customer_group: str | None
    amount_gbp: Decimal
    counterparty: str | None
    eliminated: bool
    is_estimate: bool
    estimate_method: str | None
    source: str | None
    source_row: int | None


@dataclass
class SpendReport:
    place: str
    year: str
    population: int | None
    maps: dict[str, SpendMap]
    drilldown: list[DrillRow]
    partner_groups: dict[str, str]
    estimates: list[EstimateRow]
    lines: list[LineRow]
    line_count: int
    boundaries: dict[str, dict[str, Any]]
    previous_year: str | None = None
    previous: dict[str, SpendMap] = field(default_factory=dict)
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    # -- headline figures (the same in every view) ---------------------------------
    @property
    def headline(self) -> SpendMap:
        return self.maps["group"]

    @property
    def total_gbp(self) -> Decimal:
        return self.headline.total_gbp

    @property
    def per_head_gbp(self) -> Decimal | None:
        return self.headline.per_head_gbp

    @property
    def estimated_gbp(self) -> Decimal:
        return self.headline.estimated_gbp

    @property
    def reconciliation(self) -> Reconciliation:
        return self.headline.reconciliation

    @property
    def eliminations(self) -> list[Elimination]:
        return self.headline.eliminations

    @property
    def estimated_share(self) -> Decimal:
        if not self.total_gbp:
            return ZERO
        return round_half_up(self.estimated_gbp / self.total_gbp, 4)

    @property
    def has_map(self) -> bool:
        return any(r.key in self.boundaries for r in self.maps["area"].rows)

    def change(self, by: str) -> list[ChangeRow]:
        """Year-on-year change by ``group`` or ``partner`` (empty without a previous year)."""
        if by not in self.previous:
            return []
        now = {r.key: r for r in self.maps[by].rows}
        before = {r.key: r for r in self.previous[by].rows}
        rows = [
            ChangeRow(
                k,
                (now.get(k) or before[k]).label,
                before[k].amount_gbp if k in before else ZERO,
                now[k].amount_gbp if k in now else ZERO,
            )
            for k in now.keys() | before.keys()
        ]
        rows.sort(key=lambda r: (-r.current_gbp, -r.previous_gbp, r.key))
        return rows

    def estimated_partners(self) -> list[EstimatedPartner]:
        """The estimates note, one row per partner (methods often differ line by line)."""
        by_partner: dict[str, list[EstimateRow]] = defaultdict(list)
        for e in self.estimates:
            by_partner[e.partner].append(e)
        out = []
        for rows in by_partner.values():
            rows = sorted(rows, key=lambda e: (-e.amount_gbp, e.method))
            methods = list(dict.fromkeys(e.method for e in rows))
            sources = list(dict.fromkeys(e.source for e in rows if e.source))
            out.append(
                EstimatedPartner(
                    rows[0].partner,
                    rows[0].partner_name,
                    sum((e.amount_gbp for e in rows), ZERO),
                    sum(e.lines for e in rows),
                    methods,
                    sources,
                )
            )
        out.sort(key=lambda p: (-p.amount_gbp, p.partner))
        return out

    def bubble_groups(self) -> list[BubbleGroup]:
        """Groups (largest first) holding their partners, from the partner view."""
        members: dict[str, list[Bubble]] = defaultdict(list)
        for r in self.maps["partner"].rows:
            g = self.partner_groups.get(r.key, r.key)
            members[g].append(Bubble(r.key, r.label, r.amount_gbp, r.estimated_gbp))
        labels = {r.key: r.label for r in self.headline.rows}
        return [
            BubbleGroup(r.key, labels[r.key], members.get(r.key, [])) for r in self.headline.rows
        ]

    @property
    def service_names(self) -> dict[str, str]:
        return {code: s.name for code, s in services().items()}

    @property
    def divisions_by_service(self) -> dict[str, tuple[str, str]]:
        return {d.service: (d.division_code, d.division) for d in self.drilldown}

    def services_by_division(self) -> list[tuple[str, MapRow]]:
        """(division name, service row), services grouped under their division."""
        div_of = self.divisions_by_service
        order = {r.key: i for i, r in enumerate(self.maps["division"].rows)}
        rows = [(div_of.get(x.key, ("", ""))[0], x) for x in self.maps["service"].rows]
        rows.sort(key=lambda dx: (order.get(dx[0], len(order)), -dx[1].amount_gbp, dx[1].key))
        return [(div_of.get(x.key, ("", ""))[1], x) for _, x in rows]


# -- gathering -------------------------------------------------------------------------


def drilldown_expr(t: SpendTables, year: str) -> ibis.Table:
    """Consolidated spend by group, partner and service (the drill-down's leaves)."""
    lines = consolidated_lines(t, year)
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
    """Estimated consolidated spend by partner, method and source."""
    lines = consolidated_lines(t, year)
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
    lines = lines.mutate(eliminated=is_internal(t, lines))
    p = t.partners.select(pid=t.partners.id, partner_name=t.partners.name)
    s = t.services.select(code=t.services.code, service_name=t.services.name)
    j = lines.left_join(p, lines.partner == p.pid).left_join(s, lines.service == s.code)
    return j.select(
        "partner",
        partner_name=j.partner_name.fill_null(j.partner),
        service=j.service,
        service_name=j.service_name.fill_null(j.service),
        source_service=j.source_service,
        subservice=j.subservice,
        area=j.area,
        customer_group=j.customer_group,
        amount_gbp=j.amount_gbp,
        counterparty=j.counterparty,
        eliminated=j.eliminated,
        is_estimate=j.is_estimate,
        estimate_method=j.estimate_method,
        source=j.source,
        source_row=j.source_row,
    ).order_by("partner", "source_row", "service")


def _money(v: Decimal | None) -> Decimal:
    return ZERO if v is None else to_money(v)


def gather(ws: Workspace, year: str) -> SpendReport:
    """Everything the report of ``year`` shows, read from the workspace."""
    t = duckdb_tables(ws)
    population = place_population(ws)
    area_pop = area_populations(ws)

    def maps_of(y: str, views: tuple[str, ...]) -> dict[str, SpendMap]:
        # one call per year: the reconciliation and eliminations are shared by its views
        return consolidate_views(t, y, views, population=population, area_population=area_pop)

    maps = maps_of(year, VIEWS)
    drill = [
        DrillRow(
            r["group"],
            r["partner"],
            r["partner_name"],
            r["division_code"],
            r["division"],
            r["service"],
            r["service_name"],
            _money(r["amount_gbp"]),
            _money(r["estimated_gbp"]),
        )
        for r in execute(t.backend, drilldown_expr(t, year))
    ]
    drill.sort(key=lambda d: (d.group, d.partner, -d.amount_gbp, d.service))
    estimates = [
        EstimateRow(
            r["partner"],
            r["partner_name"],
            r["method"],
            r["source"],
            _money(r["amount_gbp"]),
            int(r["lines"]),
        )
        for r in execute(t.backend, estimates_expr(t, year))
    ]
    estimates.sort(key=lambda e: (-e.amount_gbp, e.partner, e.method))
    lx = lines_expr(t, year)
    line_count = int(execute(t.backend, lx.count().name("n").as_table())[0]["n"])
    lines = [
        LineRow(**{**r, "amount_gbp": _money(r["amount_gbp"])})
        for r in execute(t.backend, lx.limit(MAX_XLSX_LINES))
    ]
    prev = previous(year)
    has_prev = prev in years(t)
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
        previous=maps_of(prev, ("group", "partner")) if has_prev else {},
    )


# -- HTML ------------------------------------------------------------------------------


def _sunburst(data: SpendReport) -> Any:
    """Plotly sunburst group -> partner -> service; sizes from the leaves only."""
    import plotly.graph_objects as go

    colours = {g.key: PALETTE[i % len(PALETTE)] for i, g in enumerate(data.bubble_groups())}
    ids: list[str] = []
    labels: list[str] = []
    parents: list[str] = []
    values: list[float] = []
    shown: list[str] = []
    node_colours: list[str] = []
    group_tot: dict[str, Decimal] = defaultdict(Decimal)
    partner_tot: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    leaves = [d for d in data.drilldown if d.amount_gbp > 0]
    for d in leaves:
        group_tot[d.group] += d.amount_gbp
        partner_tot[(d.group, d.partner, d.partner_name)] += d.amount_gbp
    for g, amount in group_tot.items():
        ids.append(g)
        labels.append(g)
        parents.append("")
        values.append(0.0)
        shown.append(millions(amount))
        node_colours.append(colours.get(g, "#999999"))
    for (g, p, name), amount in partner_tot.items():
        ids.append(f"{g}/{p}")
        labels.append(name)
        parents.append(g)
        values.append(0.0)
        shown.append(millions(amount))
        node_colours.append(colours.get(g, "#999999"))
    for d in leaves:
        ids.append(f"{d.group}/{d.partner}/{d.service}")
        labels.append(d.service_name)
        parents.append(f"{d.group}/{d.partner}")
        # Plotly needs floats to draw; the figures shown come from the Decimal amounts.
        values.append(float(d.amount_gbp))
        shown.append(millions(d.amount_gbp))
        node_colours.append(colours.get(d.group, "#999999"))
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="remainder",
            customdata=shown,
            marker={"colors": node_colours, "line": {"color": "#ffffff", "width": 1}},
            hovertemplate="<b>%{label}</b><br>%{customdata}<br>"
            "%{percentRoot:.1%} of the place total<extra></extra>",
            insidetextorientation="auto",
            maxdepth=2,
        )
    )
    fig.update_layout(
        margin={"t": 10, "l": 10, "r": 10, "b": 10},
        height=620,
        uniformtext={"minsize": 10, "mode": "hide"},
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"},
    )
    return fig


def _map_svg(data: SpendReport) -> str | None:
    if not data.has_map:
        return None
    areas = [
        MapArea(r.key, r.label, r.per_head_gbp)
        for r in data.maps["area"].rows
        if r.key in data.boundaries
    ]
    return choropleth_svg(
        data.boundaries,
        areas,
        title=f"Public spending per head by area, {data.place}, {data.year}",
        fmt=lambda v: fmt_gbp(v, pence=False),
        legend_title="£ per head",
        svg_id="per-head-map",
    )


def html_text(data: SpendReport) -> str:
    """The report as one self-contained HTML page."""
    bubbles = bubble_svg(
        data.bubble_groups(),
        title=f"Public spending in {data.place}, {data.year}, by group and partner",
    )
    sunburst = plotly_div(_sunburst(data), include_js=True, div_id="drilldown-sunburst")
    return render(
        "spend_report.html",
        title=f"Public spending in {data.place}, {data.year}",
        r=data,
        bubbles=bubbles,
        sunburst=sunburst,
        per_head_map=_map_svg(data),
        change_group=data.change("group"),
        change_partner=data.change("partner"),
        estimated_partners=data.estimated_partners(),
    )


def write_html(data: SpendReport, out: Path | str) -> Path:
    """Write the HTML report atomically (a failure leaves no partial file)."""
    return write_text_atomic(out, html_text(data))


# -- XLSX ------------------------------------------------------------------------------


def _map_sheet(
    wb: Workbook,
    name: str,
    heading: str,
    m: SpendMap,
    *,
    per_head: bool,
    groups: dict[str, str] | None = None,
) -> None:
    from wholeplace.reports.xlsx import Col, title, write_table

    ws = wb.create_sheet(name)
    r = title(ws, heading)
    cols = [Col("Key"), Col("Name", width=44)]
    if groups is not None:
        cols.append(Col("Group", width=30))
    cols += [Col("£", "gbp"), Col("£m", "gbp_m")]
    cols += [Col("Share", "pct"), Col("Of which estimated £", "gbp")]
    if per_head:
        cols += [Col("Population", "int"), Col("£ per head", "gbp")]

    def row(x: MapRow) -> list[Any]:
        out: list[Any] = [x.key, x.label]
        if groups is not None:
            out.append(groups.get(x.key, ""))
        out += [x.amount_gbp, x.amount_gbp, x.share, x.estimated_gbp]
        if per_head:
            out += [x.population, x.per_head_gbp]
        return out

    total: list[Any] = ["Total", ""] + ([""] if groups is not None else [])
    total += [m.total_gbp, m.total_gbp, Decimal(1), m.estimated_gbp]
    if per_head:
        total += [m.population, m.per_head_gbp]
    write_table(ws, cols, [row(x) for x in m.rows], start_row=r, total=total)


def write_xlsx(data: SpendReport, out: Path | str) -> Path:
    """Write the XLSX workbook atomically: one sheet per view, numbers as numbers."""
    from wholeplace.reports.xlsx import new_workbook, save_atomic

    wb = new_workbook()
    _summary_sheet(wb, data)
    _map_sheet(wb, "By group", "Spending by group", data.maps["group"], per_head=True)
    _map_sheet(
        wb,
        "By partner",
        "Spending by partner",
        data.maps["partner"],
        per_head=False,
        groups=data.partner_groups,
    )
    _service_sheet(wb, data)
    _map_sheet(wb, "By area", "Spending by area, with £ per head", data.maps["area"], per_head=True)
    _map_sheet(
        wb,
        "By customer group",
        "Spending by customer group",
        data.maps["customer_group"],
        per_head=False,
    )
    if data.previous_year:
        _year_on_year_sheet(wb, data)
    _eliminations_sheet(wb, data)
    _reconciliation_sheet(wb, data)
    _estimates_sheet(wb, data)
    _lines_sheet(wb, data)
    return save_atomic(wb, out)


def _summary_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import Col, title, write_pairs, write_table

    rec = data.reconciliation
    when = data.generated_at.strftime("%d %B %Y")
    ws = wb.create_sheet("Summary")
    r = title(ws, f"Public spending in {data.place}, {data.year}", f"wholeplace report, {when}")
    r = write_pairs(
        ws,
        [
            ("Place", data.place, "text"),
            ("Financial year", data.year, "text"),
            ("Population", data.population, "int"),
            ("Consolidated public spending £", data.total_gbp, "gbp"),
            ("Consolidated public spending £m", data.total_gbp, "gbp_m"),
            ("£ per head", data.per_head_gbp, "gbp"),
            ("Of which estimated £", data.estimated_gbp, "gbp"),
            ("Estimated share", data.estimated_share, "pct"),
            ("Imported lines £", rec.imported_gbp, "gbp"),
            ("Eliminated (payments between partners) £", rec.eliminated_gbp, "gbp"),
            ("Reconciliation holds", "yes" if rec.holds else "NO", "text"),
            ("Partners", len(data.maps["partner"].rows), "int"),
            ("Lines imported for the year", data.line_count, "int"),
        ],
        start_row=r,
    )
    h = data.headline
    write_table(
        ws,
        [Col("Group", width=38), Col("£", "gbp"), Col("£m", "gbp_m"), Col("Share", "pct")],
        [[x.label, x.amount_gbp, x.amount_gbp, x.share] for x in h.rows],
        start_row=r + 1,
        total=["Total", h.total_gbp, h.total_gbp, Decimal(1)],
        freeze=False,
    )


def _service_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import Col, title, write_table

    ws = wb.create_sheet("By service")
    r = title(ws, "Spending by service", "Service divisions (SeRCOP, extended) and services")
    svc = data.maps["service"]
    write_table(
        ws,
        [
            Col("Division", width=36),
            Col("Service code", width=16),
            Col("Service", width=44),
            Col("£", "gbp"),
            Col("£m", "gbp_m"),
            Col("Share", "pct"),
            Col("Of which estimated £", "gbp"),
        ],
        [
            [div, x.key, x.label, x.amount_gbp, x.amount_gbp, x.share, x.estimated_gbp]
            for div, x in data.services_by_division()
        ],
        start_row=r,
        total=["Total", "", "", svc.total_gbp, svc.total_gbp, Decimal(1), svc.estimated_gbp],
    )


def _year_on_year_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import Col, title, write_table

    ws = wb.create_sheet("Year on year")
    r = title(ws, f"Change from {data.previous_year} to {data.year}")
    cols = [
        Col("Level"),
        Col("Key"),
        Col("Name", width=40),
        Col(f"{data.previous_year} £", "gbp"),
        Col(f"{data.year} £", "gbp"),
        Col("Change £", "gbp"),
        Col("Change %", "pct"),
    ]
    rows = [
        [lvl, c.key, c.label, c.previous_gbp, c.current_gbp, c.change_gbp, c.change_ratio]
        for lvl in ("group", "partner")
        for c in data.change(lvl)
    ]
    write_table(ws, cols, rows, start_row=r)


def _eliminations_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import Col, title, write_table

    ws = wb.create_sheet("Eliminations")
    r = title(ws, "Eliminations: payments between partners, counted once")
    elim = data.eliminations
    names = data.service_names
    write_table(
        ws,
        [
            Col("Payer"),
            Col("Payer name", width=36),
            Col("Payee"),
            Col("Payee name", width=36),
            Col("Service", width=16),
            Col("Service name", width=36),
            Col("Lines", "int"),
            Col("£", "gbp"),
        ],
        [
            [e.payer, e.payer_name, e.payee, e.payee_name, e.service]
            + [names.get(e.service, e.service), e.lines, e.amount_gbp]
            for e in elim
        ],
        start_row=r,
        total=[
            "Total",
            "",
            "",
            "",
            "",
            "",
            sum(e.lines for e in elim),
            data.reconciliation.eliminated_gbp,
        ],
    )


def _reconciliation_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import title, write_pairs

    rec = data.reconciliation
    ws = wb.create_sheet("Reconciliation")
    r = title(ws, "Reconciliation", "Imported lines = consolidated total + eliminations")
    write_pairs(
        ws,
        [
            ("Imported lines £", rec.imported_gbp, "gbp"),
            ("Consolidated total £", rec.consolidated_gbp, "gbp"),
            ("Eliminated £", rec.eliminated_gbp, "gbp"),
            ("Difference £", rec.difference_gbp, "gbp"),
            ("Holds", "yes" if rec.holds else "NO", "text"),
        ],
        start_row=r,
    )


def _estimates_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import Col, title, write_table

    ws = wb.create_sheet("Estimates")
    r = title(
        ws, "Estimated lines in the consolidated total", "How each was estimated, and from what"
    )
    write_table(
        ws,
        [
            Col("Partner"),
            Col("Partner name", width=36),
            Col("Method", width=60),
            Col("Source", width=60),
            Col("Lines", "int"),
            Col("£", "gbp"),
        ],
        [
            [e.partner, e.partner_name, e.method, e.source, e.lines, e.amount_gbp]
            for e in data.estimates
        ],
        start_row=r,
        total=["Total", "", "", "", sum(e.lines for e in data.estimates), data.estimated_gbp],
    )


def _lines_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import Col, title, write_table

    ws = wb.create_sheet("Lines")
    sub = f"All {data.line_count:,} lines imported for {data.year}"
    if data.line_count > len(data.lines):
        sub += f" (the first {len(data.lines):,} listed; Excel cannot hold more)"
    r = title(ws, "Lines", sub)
    write_table(
        ws,
        [
            Col("Partner"),
            Col("Partner name", width=30),
            Col("Service"),
            Col("Service name", width=34),
            Col("Service as imported", width=30),
            Col("Subservice"),
            Col("Area"),
            Col("Customer group"),
            Col("£", "gbp"),
            Col("Paid to partner"),
            Col("Eliminated", "bool"),
            Col("Estimate", "bool"),
            Col("Estimate method", width=30),
            Col("Source", width=30),
            Col("Source row", "int"),
        ],
        [
            [
                x.partner,
                x.partner_name,
                x.service,
                x.service_name,
                x.source_service,
                x.subservice,
                x.area,
                x.customer_group,
                x.amount_gbp,
                x.counterparty,
                x.eliminated,
                x.is_estimate,
                x.estimate_method,
                x.source,
                x.source_row,
            ]
            for x in data.lines
        ],
        start_row=r,
    )
