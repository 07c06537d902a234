"""The spend report's figures: :class:`SpendReport` and the rows it holds.

Typed, with money as Decimal; :mod:`.gathering` fills it from the workspace and the
writers (:mod:`.html`, :mod:`.xlsx`) only lay it out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from wholeplace.allocation import Allocation
from wholeplace.money import round_half_up
from wholeplace.reports.bubbles import Bubble, BubbleGroup
from wholeplace.spend.consolidate import ZERO, Elimination, MapRow, Reconciliation, SpendMap
from wholeplace.spend.taxonomy import services

VIEWS: tuple[str, ...] = ("group", "partner", "division", "service", "area", "customer_group")


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


@dataclass(frozen=True)
class Matrix:
    """The partner x service matrix, the core table of CIPFA's ALPS spreadsheet: services
    down (grouped by division), partners across, consolidated spend in each cell (None where
    a partner spends nothing on a service), totals both ways."""

    partners: list[tuple[str, str]]  # (id, name), largest first, as the partner view
    services: list[tuple[str, str, str]]  # (division, code, name), as the service view
    cells: dict[tuple[str, str], Decimal]  # (service, partner) -> amount

    def cell(self, service: str, partner: str) -> Decimal | None:
        return self.cells.get((service, partner))

    def service_total(self, service: str) -> Decimal:
        return sum((v for (s, _), v in self.cells.items() if s == service), ZERO)

    def partner_total(self, partner: str) -> Decimal:
        return sum((v for (_, p), v in self.cells.items() if p == partner), ZERO)

    @property
    def total(self) -> Decimal:
        return sum(self.cells.values(), ZERO)


@dataclass(frozen=True)
class HistoryRow:
    """One group's or partner's spending in every year the place holds (None: no lines),
    and the years in which some of it is an estimate held flat from an earlier year."""

    key: str
    label: str
    amounts: list[Decimal | None]
    held_flat: list[str]

    @property
    def change_gbp(self) -> Decimal | None:
        """The change over the last year shown, or None without both years."""
        if len(self.amounts) < 2 or self.amounts[-1] is None or self.amounts[-2] is None:
            return None
        return self.amounts[-1] - self.amounts[-2]

    @property
    def change_ratio(self) -> Decimal | None:
        before = self.amounts[-2] if len(self.amounts) >= 2 else None
        if self.change_gbp is None or not before:
            return None
        return round_half_up(self.change_gbp / before, 4)


# An estimate "held flat" carries an earlier year's cash figure forward unchanged; its
# method says so in these words (the demo's DWP, fire and police lines do).
HELD_FLAT = "held flat"


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
    # spend on no area allocated to the areas by a driver (``--allocate-by``), and each
    # area's spend per head with it: the per-head map then shows the county tier too
    allocation: Allocation | None = None
    allocated_per_head: dict[str, Decimal] = field(default_factory=dict)
    area_names: dict[str, str] = field(default_factory=dict)  # for areas with no spend
    # every year the place holds up to ``year``, oldest first, by group and by partner
    history: dict[str, dict[str, SpendMap]] = field(default_factory=dict)
    # partner -> the years in which some of its estimated lines are held flat
    held_flat: dict[str, list[str]] = field(default_factory=dict)
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
    def has_capital(self) -> bool:
        """Whether the year has capital lines (shown apart from the revenue total)."""
        return bool(self.headline.capital.imported_gbp) or any(
            r.capital_gbp for r in self.maps["partner"].rows
        )

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

    @property
    def history_years(self) -> list[str]:
        return list(self.history)

    def history_rows(self, by: str) -> list[HistoryRow]:
        """Year on year by ``group`` or ``partner``: every year the place holds, in the
        order of this year's figures (largest first), then any row this year lacks."""
        years = self.history_years
        maps = [self.history[y][by] for y in years]
        labels: dict[str, str] = {}
        for m in maps:
            for r in m.rows:
                labels.setdefault(r.key, r.label)
        amounts = {k: [next((r.amount_gbp for r in m.rows if r.key == k), None) for m in maps]
                   for k in labels}  # fmt: skip
        members = (
            {k: [k] for k in labels}
            if by == "partner"
            else {g: [p for p, pg in self.partner_groups.items() if pg == g] for g in labels}
        )
        rows = [
            HistoryRow(
                k,
                labels[k],
                amounts[k],
                sorted({y for p in members[k] for y in self.held_flat.get(p, [])}),
            )
            for k in labels
        ]
        rows.sort(key=lambda h: ([-(a or ZERO) for a in reversed(h.amounts)], h.key))
        return rows

    def history_totals(self) -> list[Decimal]:
        return [self.history[y]["group"].total_gbp for y in self.history_years]

    def matrix(self) -> Matrix:
        """The partner x service matrix from the drill-down's leaves (consolidated)."""
        cells: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        for d in self.drilldown:
            cells[(d.service, d.partner)] += d.amount_gbp
        used = {p for _, p in cells}
        partners = [(r.key, r.label) for r in self.maps["partner"].rows if r.key in used]
        served = {s for s, _ in cells}
        services = [(div, x.key, x.label) for div, x in self.services_by_division()
                    if x.key in served]  # fmt: skip
        return Matrix(partners, services, dict(cells))

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
