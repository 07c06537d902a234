"""The pooled budget report: the statement, the charts, and one schedule per partner."""

from __future__ import annotations

from wholeplace.money import ZERO, fmt_gbp
from wholeplace.reports.layout import Answer, Headline
from wholeplace.sharing.pooled_budget import PartnerYear, PoolResult, PoolYear
from wholeplace.sharing.report.charts import bar_chart, line_chart
from wholeplace.sharing.report.document import Report, Section, Table, cumulative


def _rows_of(result: PoolResult, partner: str) -> list[tuple[PoolYear, PartnerYear]]:
    return [(y, r) for y in result.years for r in y.rows if r.partner == partner]


def _summary_text(result: PoolResult) -> list[str]:
    pool = result.pool
    names = pool.partners
    paras = [
        f"{pool.name}, hosted by {names[pool.host]}. Partners: " + ", ".join(names.values()) + ".",
        f"Overspends: {pool.overspend.describe(names)}.",
        f"Underspends: {pool.underspend.describe(names)}.",
        "Check: in every year the partners' shares add up exactly to the variance "
        + (
            "(all years balance to the penny)."
            if result.balanced
            else "- THEY DO NOT; please report this."
        ),
    ]
    for y in result.years:
        paras.extend(f"{y.year}: {s}." for s in y.steps)
        paras.extend(f"Warning: {y.year}: {w}." for w in y.warnings)
    return paras


def _summary_tables(result: PoolResult) -> list[Table]:
    names = result.pool.partners
    variance = Table(
        "Budget and outturn",
        [
            "year",
            "budget",
            "outturn",
            "outturn is",
            "variance (+ over, - under)",
            "shares add up to",
            "balanced",
        ],
        [
            [
                y.year,
                y.budget,
                y.outturn,
                y.outturn_kind,
                y.variance,
                y.shares_sum,
                "yes" if y.balanced else "NO",
            ]
            for y in result.years
        ],
    )
    statement = Table(
        "Year-by-year statement",
        ["year", "partner", "cash", "in kind", "contribution", "share of variance", "net cost"],
        [
            [y.year, names[r.partner], r.cash, r.in_kind, r.contribution, r.variance_share]
            + [r.net_cost]
            for y in result.years
            for r in y.rows
        ],
    )
    totals = Table(
        "Totals over all years",
        ["partner", "contribution", "share of variance", "net cost"],
        [
            [names[p], t["contribution"], t["variance_share"], t["net_cost"]]
            for p, t in result.totals().items()
        ],
    )
    return [variance, statement, totals]


def _summary(result: PoolResult) -> Section:
    names = result.pool.partners
    years = [y.year for y in result.years]
    shares = {names[p]: [r.variance_share for _, r in _rows_of(result, p)] for p in names}
    net = {names[p]: cumulative(r.net_cost for _, r in _rows_of(result, p)) for p in names}
    return Section(
        "Pooled budget",
        _summary_text(result),
        _summary_tables(result),
        [
            bar_chart(
                "Each partner's share of the variance by year "
                "(+ pays towards an overspend, - gets back an underspend)",
                years,
                shares,
            ),
            line_chart("Cumulative net cost by partner", years, net),
        ],
    )


def _year_text(name: str, y: PoolYear, r: PartnerYear) -> str:
    kind = "forecast" if y.outturn_kind == "forecast" else "actual"
    against = (
        f"The pool's {kind} outturn of {fmt_gbp(y.outturn)} against a budget of {fmt_gbp(y.budget)}"
    )
    if y.variance > 0:
        var = (
            f"{against} is an overspend of {fmt_gbp(y.variance)}, of which "
            f"{name} bears {fmt_gbp(r.variance_share)}."
        )
    elif y.variance < 0:
        var = (
            f"{against} is an underspend of {fmt_gbp(-y.variance)}, of which "
            f"{fmt_gbp(-r.variance_share)} comes back to {name}."
        )
    else:
        var = f"The pool spent exactly its budget of {fmt_gbp(y.budget)}."
    return (
        f"In {y.year}, {name} contributes {fmt_gbp(r.cash)} in cash"
        + (f" and {fmt_gbp(r.in_kind)} in kind" if r.in_kind else "")
        + f". {var} Its net cost for the year is {fmt_gbp(r.net_cost)}."
    )


def _schedule(result: PoolResult, partner: str) -> Section:
    pool = result.pool
    names = pool.partners
    name = names[partner]
    rows = _rows_of(result, partner)
    paras = [
        f"This schedule sets out what {name} puts into, and bears from, the {pool.name}, "
        f"hosted by {names[pool.host]}."
    ]
    paras.extend(_year_text(name, y, r) for y, r in rows)
    t = result.totals()[partner]
    n = len(result.years)
    paras.append(
        f"Over {n} year{'s' if n != 1 else ''} {name} contributes "
        f"{fmt_gbp(t['contribution'])}, its share of the variances is "
        f"{fmt_gbp(t['variance_share'])}, "
        f"and its net cost is {fmt_gbp(t['net_cost'])}."
    )
    paras.append(
        f"Rules agreed: overspends - {pool.overspend.describe(names)}; "
        f"underspends - {pool.underspend.describe(names)}."
    )
    table = Table(
        f"{name}: year by year",
        ["year", "cash", "in kind", "share of variance", "net cost"],
        [[y.year, r.cash, r.in_kind, r.variance_share, r.net_cost] for y, r in rows],
    )
    return Section(f"Schedule - {name}", paras, [table], new_page=True)


def answer(result: PoolResult) -> Answer:
    """The pool in one sentence: what it spent against its budgets, and each partner's net
    cost over the years (contributions and variance shares together)."""
    names = result.pool.partners
    budget = sum((y.budget for y in result.years), ZERO)
    outturn = sum((y.outturn for y in result.years), ZERO)
    variance = outturn - budget
    n = len(result.years)
    over = (
        f"an overspend of {fmt_gbp(variance)}"
        if variance > 0
        else f"an underspend of {fmt_gbp(-variance)}"
        if variance < 0
        else "exactly on budget"
    )
    totals = result.totals()
    costs = [f"{names[p]} {fmt_gbp(t['net_cost'])}" for p, t in totals.items()]
    sentence = (
        f"Over {n} year{'s' if n != 1 else ''} the pool spent {fmt_gbp(outturn)} against "
        f"budgets of {fmt_gbp(budget)}, {over}; each partner's net cost: " + ", ".join(costs) + "."
    )
    figures = [
        Headline(fmt_gbp(budget), "budgets"),
        Headline(fmt_gbp(outturn), "spent"),
        Headline(fmt_gbp(variance), "variance (+ overspend, - underspend)"),
    ]
    return Answer(sentence, figures)


def pool_report(result: PoolResult) -> Report:
    years = [y.year for y in result.years]
    sections = [_summary(result)]
    sections.extend(_schedule(result, p) for p in result.pool.partners)
    return Report(
        result.pool.name,
        f"Pooled budget statement, {years[0]} to {years[-1]}",
        sections,
        answer=answer(result),
    )
