"""The consolidation: every partner's lines, payments between partners counted once.

A line whose counterparty is a partner of the place is money passed to another
partner, who reports spending it; it is eliminated from the place total, on the payer's
side, and shown in the eliminations schedule. One exception (issue 10): a payee that
reports *net* current expenditure has already taken that income off its own figures, so
taking the payer's line off too would remove the same money twice; such a payment is
kept, where the payer records it, and listed as not eliminated. The reconciliation

    sum of imported lines = consolidated total + eliminations

is computed independently of the views and always checked, for revenue and capital
apart: the map's total is revenue; capital is shown beside it, never silently added.

Everything here is an Ibis expression over :class:`~wholeplace.engine.SpendTables`,
so DuckDB and Spark run the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import ibis
import ibis.expr.types as ir

from wholeplace.engine import SpendTables, execute
from wholeplace.money import round_half_up, to_money
from wholeplace.spend.basis import PartnerBasis, partner_bases

Dimension = Literal["group", "partner", "service", "division", "area", "customer_group"]
DIMENSIONS: tuple[str, ...] = ("group", "partner", "division", "service", "area", "customer_group")
ZERO = Decimal("0.00")
NOT_ALLOCATED = "(not allocated to an area)"
NOT_STATED = "(not stated)"


@dataclass(frozen=True)
class MapRow:
    key: str
    label: str
    amount_gbp: Decimal
    estimated_gbp: Decimal
    share: Decimal  # of the consolidated total, 0..1 to 4 places
    per_head_gbp: Decimal | None
    population: int | None = None
    capital_gbp: Decimal = ZERO


@dataclass(frozen=True)
class Elimination:
    payer: str
    payer_name: str
    payee: str
    payee_name: str
    service: str
    amount_gbp: Decimal
    lines: int


@dataclass(frozen=True)
class Reconciliation:
    imported_gbp: Decimal
    consolidated_gbp: Decimal
    eliminated_gbp: Decimal

    @property
    def holds(self) -> bool:
        return self.imported_gbp == self.consolidated_gbp + self.eliminated_gbp

    @property
    def difference_gbp(self) -> Decimal:
        return self.imported_gbp - self.consolidated_gbp - self.eliminated_gbp


@dataclass
class SpendMap:
    year: str
    by: str
    total_gbp: Decimal
    eliminated_gbp: Decimal
    estimated_gbp: Decimal
    rows: list[MapRow]
    reconciliation: Reconciliation
    population: int | None
    eliminations: list[Elimination] = field(default_factory=list)
    # capital lines of the year, reconciled on their own (zeros when there are none)
    capital: Reconciliation = field(default_factory=lambda: Reconciliation(ZERO, ZERO, ZERO))
    # payments to a partner that reports net of them: kept where the payer records them
    not_eliminated: list[Elimination] = field(default_factory=list)
    bases: list[PartnerBasis] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def per_head_gbp(self) -> Decimal | None:
        if not self.population or self.population < 0:  # never a negative or infinite figure
            return None
        return to_money(self.total_gbp / self.population)

    @property
    def capital_gbp(self) -> Decimal:
        return self.capital.consolidated_gbp

    @property
    def combined_gbp(self) -> Decimal:
        """Revenue and capital together: shown as such, never as "the total"."""
        return self.total_gbp + self.capital_gbp

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "by": self.by,
            "total_gbp": str(self.total_gbp),
            "eliminated_gbp": str(self.eliminated_gbp),
            "estimated_gbp": str(self.estimated_gbp),
            "population": self.population,
            "per_head_gbp": None if self.per_head_gbp is None else str(self.per_head_gbp),
            "reconciliation": _rec_json(self.reconciliation),
            "capital_gbp": str(self.capital_gbp),
            "combined_gbp": str(self.combined_gbp),
            "capital_reconciliation": _rec_json(self.capital),
            "rows": [
                {
                    "key": r.key,
                    "label": r.label,
                    "amount_gbp": str(r.amount_gbp),
                    "estimated_gbp": str(r.estimated_gbp),
                    "share": float(r.share),
                    "per_head_gbp": None if r.per_head_gbp is None else str(r.per_head_gbp),
                    "capital_gbp": str(r.capital_gbp),
                    "combined_gbp": str(r.amount_gbp + r.capital_gbp),
                }
                for r in self.rows
            ],
            "bases": [b.to_json() for b in self.bases],
            "warnings": list(self.warnings),
            "not_eliminated": [
                {
                    "payer": e.payer,
                    "payee": e.payee,
                    "service": e.service,
                    "amount_gbp": str(e.amount_gbp),
                }
                for e in self.not_eliminated
            ],
        }


def _rec_json(rec: Reconciliation) -> dict[str, Any]:
    return {
        "imported_gbp": str(rec.imported_gbp),
        "consolidated_gbp": str(rec.consolidated_gbp),
        "eliminated_gbp": str(rec.eliminated_gbp),
        "holds": rec.holds,
    }


# -- expressions -----------------------------------------------------------------------


def to_partner(t: SpendTables, lines: ibis.Table) -> ir.BooleanValue:
    """True for a line paid to another partner of the place."""
    return lines.counterparty.notnull() & lines.counterparty.isin(t.partners.id)


def net_reporters(t: SpendTables, year: str) -> ibis.Table:
    """``partner|account`` of every partner with net lines in ``year`` (column ``k``)."""
    net = t.lines.filter((t.lines.year == year) & (t.lines.basis == "net"))
    return net.select(k=net.partner + "|" + net.account).distinct()


def is_internal(t: SpendTables, lines: ibis.Table, year: str) -> ir.BooleanValue:
    """True for a line eliminated: paid to another partner of the place that does not
    report net of it (in the same year and account)."""
    payee = lines.counterparty.fill_null("") + "|" + lines.account
    return to_partner(t, lines) & ~payee.isin(net_reporters(t, year).k)


def year_lines(t: SpendTables, year: str) -> ibis.Table:
    return t.lines.filter(t.lines.year == year)


def consolidated_lines(t: SpendTables, year: str, account: str | None = None) -> ibis.Table:
    """The lines of ``year`` counted in the place total (of ``account``, or both)."""
    lines = year_lines(t, year)
    if account is not None:
        lines = lines.filter(lines.account == account)
    return lines.filter(~is_internal(t, lines, year))


def eliminated_lines(t: SpendTables, year: str) -> ibis.Table:
    lines = year_lines(t, year)
    return lines.filter(is_internal(t, lines, year))


def kept_lines(t: SpendTables, year: str) -> ibis.Table:
    """Payments to a partner that reports net of them: counted where the payer records them."""
    lines = year_lines(t, year)
    return lines.filter(to_partner(t, lines) & ~is_internal(t, lines, year))


def _when(cond: ir.BooleanValue, lines: ibis.Table) -> ir.Value:
    return ibis.cases((cond, lines.amount_gbp), else_=0).cast(lines.amount_gbp.type()).sum()


def _amount_aggs(lines: ibis.Table) -> dict[str, ir.Value]:
    capital = lines.account == "capital"
    return {
        "amount_gbp": _when(~capital, lines),
        "estimated_gbp": _when(~capital & lines.is_estimate, lines),
        "capital_gbp": _when(capital, lines),
    }


def _view(
    t: SpendTables, lines: ibis.Table, by: str, aggs: Callable[[ibis.Table], dict[str, ir.Value]]
) -> ibis.Table:
    """``lines`` grouped by one dimension (columns key, label and ``aggs(joined)``)."""
    if by in ("group", "partner"):
        j = lines.join(t.partners, lines.partner == t.partners.id)
        if by == "group":
            return j.group_by(key=j.group, label=j.group).aggregate(**aggs(j))
        return j.group_by(key=j.partner, label=j.name).aggregate(**aggs(j))
    if by in ("service", "division"):
        j = lines.join(t.services, lines.service == t.services.code)
        if by == "service":
            return j.group_by(key=j.service, label=j.name).aggregate(**aggs(j))
        return j.group_by(key=j.division_code, label=j.division).aggregate(**aggs(j))
    if by == "area":
        j = lines.left_join(t.areas, lines.area == t.areas.code)
        key = j.area.fill_null(NOT_ALLOCATED)
        label = j.name.fill_null(key)
        return j.group_by(key=key, label=label).aggregate(**aggs(j))
    if by == "customer_group":
        key = lines.customer_group.fill_null(NOT_STATED)
        return lines.group_by(key=key, label=key).aggregate(**aggs(lines))
    raise ValueError(_unknown(by))


def _unknown(by: str) -> str:
    return f"cannot map spend by {by!r}; choose one of {', '.join(DIMENSIONS)}"


def grouped(t: SpendTables, year: str, by: str) -> ibis.Table:
    """Consolidated spend of ``year`` grouped by one dimension: columns key, label, amounts."""
    return _view(t, consolidated_lines(t, year), by, _amount_aggs)


# The line column each view groups on: the views of one year share a pre-aggregation of
# the consolidated lines by just these columns (and the account), so the lines are read
# once, not per view.
VIEW_COLUMN = {
    "group": "partner",
    "partner": "partner",
    "service": "service",
    "division": "service",
    "area": "area",
    "customer_group": "customer_group",
}


def _summed(j: ibis.Table) -> dict[str, ir.Value]:
    return {
        "amount_gbp": j.amount_gbp.sum(),
        "estimated_gbp": j.estimated_gbp.sum(),
        "capital_gbp": j.capital_gbp.sum(),
    }


def views_expr(t: SpendTables, year: str, views: Sequence[str]) -> ibis.Table:
    """The grouped rows of several views of ``year`` in one table, told apart by ``view``.

    Each view's rows equal :func:`grouped`'s: a sum of sums of exact decimals is the sum.
    """
    for by in views:
        if by not in VIEW_COLUMN:
            raise ValueError(_unknown(by))
    lines = consolidated_lines(t, year)
    columns = sorted({VIEW_COLUMN[by] for by in views})
    base = lines.group_by(columns).aggregate(**_amount_aggs(lines))
    parts = [
        _view(t, base, by, _summed).select(
            view=ibis.literal(by, type="string"),
            key="key",
            label="label",
            amount_gbp="amount_gbp",
            estimated_gbp="estimated_gbp",
            capital_gbp="capital_gbp",
        )
        for by in views
    ]
    # Set operations need identical schemas, and views differ only in nullability.
    schema = ibis.schema({n: typ.copy(nullable=True) for n, typ in parts[0].schema().items()})
    return ibis.union(*(p.cast(schema) for p in parts), distinct=False)


def reconciliation_expr(t: SpendTables, year: str) -> ibis.Table:
    """One row: the revenue reconciliation, and the capital one (``capital_*``)."""
    lines = year_lines(t, year)
    internal = is_internal(t, lines, year)
    cap = lines.account == "capital"
    return lines.aggregate(
        imported_gbp=_when(~cap, lines),
        consolidated_gbp=_when(~cap & ~internal, lines),
        eliminated_gbp=_when(~cap & internal, lines),
        estimated_gbp=_when(~cap & ~internal & lines.is_estimate, lines),
        capital_imported_gbp=_when(cap, lines),
        capital_consolidated_gbp=_when(cap & ~internal, lines),
        capital_eliminated_gbp=_when(cap & internal, lines),
    )


def eliminations_expr(t: SpendTables, year: str, kept: bool = False) -> ibis.Table:
    """Payments between partners by payer, payee and service: those eliminated, or with
    ``kept`` those kept because the payee reports net of them."""
    lines = kept_lines(t, year) if kept else eliminated_lines(t, year)
    payer = t.partners.select(payer=t.partners.id, payer_name=t.partners.name)
    payee = t.partners.select(payee=t.partners.id, payee_name=t.partners.name)
    j = lines.join(payer, lines.partner == payer.payer).join(
        payee, lines.counterparty == payee.payee
    )
    return j.group_by("payer", "payer_name", "payee", "payee_name", "service").aggregate(
        amount_gbp=j.amount_gbp.sum(), lines=j.count()
    )


# -- running ---------------------------------------------------------------------------


def _money(v: Decimal | None) -> Decimal:
    return ZERO if v is None else to_money(v)


def years(t: SpendTables) -> list[str]:
    rows = execute(t.backend, t.lines.select("year").distinct().order_by("year"))
    return [r["year"] for r in rows]


def _map_rows(
    found: Iterable[dict[str, Any]],
    by: str,
    total: Decimal,
    population: int | None,
    area_population: dict[str, int] | None,
) -> list[MapRow]:
    rows = []
    for r in found:
        amount = _money(r["amount_gbp"])
        pop = population
        if by == "area":
            pop = (area_population or {}).get(r["key"])
        per_head = None
        if pop and pop > 0:
            per_head = to_money(amount / pop)
        share = round_half_up(amount / total, 4) if total else ZERO
        rows.append(
            MapRow(
                r["key"],
                r["label"],
                amount,
                _money(r["estimated_gbp"]),
                share,
                per_head,
                pop,
                _money(r["capital_gbp"]),
            )
        )
    # Label last: rows come back in no particular order, and the map must not depend on it.
    rows.sort(key=lambda r: (-r.amount_gbp, -r.capital_gbp, r.key, r.label))
    return rows


def consolidate_views(
    t: SpendTables,
    year: str,
    views: Iterable[str],
    *,
    population: int | None = None,
    area_population: dict[str, int] | None = None,
) -> dict[str, SpendMap]:
    """The spend maps of ``year`` by each of ``views``, as :func:`consolidate` gives them.

    The reconciliation, the eliminations and the partners' bases are computed once for the
    year and shared; the views' rows come from one query. Six small queries in all (the
    bases read the year's lines grouped, and its income), however many views.
    """
    wanted = tuple(dict.fromkeys([views] if isinstance(views, str) else views))
    for by in wanted:
        if by not in DIMENSIONS:
            raise ValueError(_unknown(by))
    if not wanted:
        return {}
    # The reconciliation reads the year's lines itself, never the views' rows, so that
    # imported = consolidated + eliminated is a check on the consolidation, not a tautology.
    rec_row = execute(t.backend, reconciliation_expr(t, year))[0]
    rec = Reconciliation(
        _money(rec_row["imported_gbp"]),
        _money(rec_row["consolidated_gbp"]),
        _money(rec_row["eliminated_gbp"]),
    )
    capital = Reconciliation(
        _money(rec_row["capital_imported_gbp"]),
        _money(rec_row["capital_consolidated_gbp"]),
        _money(rec_row["capital_eliminated_gbp"]),
    )
    total = rec.consolidated_gbp
    found: dict[str, list[dict[str, Any]]] = {by: [] for by in wanted}
    if len(wanted) == 1:
        # nothing to share: grouping the lines directly is one step less
        found[wanted[0]] = execute(t.backend, grouped(t, year, wanted[0]))
    else:
        for r in execute(t.backend, views_expr(t, year, wanted)):
            found[r["view"]].append(r)
    elims = _eliminations(t, year, kept=False)
    kept = _eliminations(t, year, kept=True)
    bases, warnings = partner_bases(t, year)
    return {
        by: SpendMap(
            year=year,
            by=by,
            total_gbp=total,
            eliminated_gbp=rec.eliminated_gbp,
            estimated_gbp=_money(rec_row["estimated_gbp"]),
            rows=_map_rows(found[by], by, total, population, area_population),
            reconciliation=rec,
            population=population,
            # each map its own list: SpendMap is mutable, and maps must not share changes
            eliminations=list(elims),
            capital=capital,
            not_eliminated=list(kept),
            bases=list(bases),
            warnings=list(warnings),
        )
        for by in wanted
    }


def _eliminations(t: SpendTables, year: str, *, kept: bool) -> list[Elimination]:
    out = [
        Elimination(
            r["payer"],
            r["payer_name"],
            r["payee"],
            r["payee_name"],
            r["service"],
            _money(r["amount_gbp"]),
            int(r["lines"]),
        )
        for r in execute(t.backend, eliminations_expr(t, year, kept))
    ]
    out.sort(key=lambda e: (-e.amount_gbp, e.payer, e.payee, e.service))
    return out


def consolidate(
    t: SpendTables,
    year: str,
    by: str = "group",
    *,
    population: int | None = None,
    area_population: dict[str, int] | None = None,
) -> SpendMap:
    """The spend map of ``year`` by one dimension, with eliminations and reconciliation."""
    return consolidate_views(
        t, year, (by,), population=population, area_population=area_population
    )[by]


@dataclass(frozen=True)
class SpendFilter:
    """A slice of the consolidated spend: lines of these partners, in this area, for this
    customer group (None: any). Applied after the eliminations, so a payment between
    partners is taken out whichever slice is shown."""

    partners: frozenset[str] | None = None
    area: str | None = None
    customer_group: str | None = None


def filtered_rows(
    t: SpendTables, year: str, by: str, where: SpendFilter, *, population: int | None = None
) -> tuple[Decimal, list[MapRow]]:
    """The slice's consolidated total (revenue) and its rows by ``by``; each row's share is
    of the slice's total."""
    if by not in DIMENSIONS:
        raise ValueError(_unknown(by))
    lines = consolidated_lines(t, year)
    if where.partners is not None:
        lines = lines.filter(lines.partner.isin(sorted(where.partners)))
    if where.area is not None:
        lines = lines.filter(lines.area.fill_null(NOT_ALLOCATED) == where.area)
    if where.customer_group is not None:
        lines = lines.filter(lines.customer_group.fill_null(NOT_STATED) == where.customer_group)
    found = execute(t.backend, _view(t, lines, by, _amount_aggs))
    total = sum((_money(r["amount_gbp"]) for r in found), ZERO)
    return total, _map_rows(found, by, total, population, None)
