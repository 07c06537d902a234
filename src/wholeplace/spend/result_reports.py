"""``spend map --out`` and ``spend suppliers --out``: what the command shows, as a report.

The same rows as the command line's tables, in the one layout (:mod:`wholeplace.reports.
table_report`), so the HTML, the workbook and the terminal agree figure for figure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from wholeplace.labels import in_words
from wholeplace.money import fmt_gbp, fmt_millions, fmt_pct
from wholeplace.reports.layout import Answer, Headline
from wholeplace.reports.table_report import TableReport, TableSection
from wholeplace.reports.xlsx import Col
from wholeplace.spend.consolidate import NOT_ALLOCATED, SpendMap
from wholeplace.spend.taxonomy import services

if TYPE_CHECKING:
    from wholeplace.spend.service import MapResult
    from wholeplace.spend.transactions_service import SuppliersResult


def map_report(res: MapResult) -> TableReport:
    """The map by its dimension with its total, the reconciliation, the eliminations and
    the basis of each partner's figures."""
    m, by = res.map, res.by
    per_head = res.per_head or by == "area"
    capital = bool(m.capital.imported_gbp or any(r.capital_gbp for r in m.rows))
    cols = [Col(in_words(by)), Col("Spending", "gbp_pound"), Col("Share", "pct")]
    if per_head:
        cols.append(Col("£ per head", "gbp_pound"))
    cols.append(Col("Of which estimated", "gbp_pound"))
    if capital:
        cols += [Col("Capital", "gbp_pound"), Col("Revenue and capital", "gbp_pound")]

    def line(label: str, amount: Decimal, share: Decimal, head: Decimal | None,
             est: Decimal, cap: Decimal) -> list[Any]:  # fmt: skip
        cells: list[Any] = [label, amount, share]
        if per_head:
            cells.append(head)
        cells.append(est or None)
        if capital:
            cells += [cap, amount + cap]
        return cells

    rows = [
        line(r.label, r.amount_gbp, r.share, r.per_head_gbp, r.estimated_gbp, r.capital_gbp)
        for r in m.rows
    ]
    total = line("Total", m.total_gbp, Decimal(1), m.per_head_gbp, m.estimated_gbp, m.capital_gbp)
    note = not_allocated(m) if by == "area" else ""
    sections = [
        TableSection(f"Spending by {in_words(by, capital=False)}", cols, rows, total, note),
        _reconciliation(m),
    ]
    if m.eliminations:
        sections.append(_eliminations("Eliminations", m.eliminations))
    if m.not_eliminated:
        sections.append(_eliminations("Not eliminated", m.not_eliminated))
    sections.append(
        TableSection(
            "Basis of each partner's figures",
            [
                Col("Partner"),
                Col("Basis"),
                Col("Gross", "gbp_pound"),
                Col("Income", "gbp_pound"),
                Col("Net", "gbp_pound"),
                Col("Specific grants", "gbp_pound"),
            ],  # fmt: skip
            [
                [b.name, b.label, b.gross_gbp, b.income_gbp, b.net_gbp, b.grants_gbp]
                for b in m.bases
            ],
        )
    )
    return TableReport(
        title=f"Public spending in {res.place}, {res.year}, by {in_words(by, capital=False)}",
        answer=map_answer(res),
        sections=sections,
        method=[
            "Every partner's spending consolidated: payments from one partner of the place "
            "to another are counted once, where the money is finally spent, and the "
            "reconciliation shows the lines imported = consolidated + eliminated, to the penny.",
            *m.warnings,
        ],
        place=res.place,
    )


def map_answer(res: MapResult) -> Answer:
    m = res.map
    sentence = f"The partners of {res.place} spent {fmt_gbp(m.total_gbp)} in {res.year}"
    shown = (r for r in m.rows if r.amount_gbp > 0 and r.key != NOT_ALLOCATED)
    top = max(shown, key=lambda r: r.amount_gbp, default=None)
    if top is not None:
        by = in_words(res.by, capital=False)
        sentence += f"; the largest share by {by} is {top.label}'s, {fmt_pct(top.share)}"
    figures = [Headline(fmt_millions(m.total_gbp), f"consolidated spending, {res.year}")]
    if m.per_head_gbp is not None:
        figures.append(Headline(fmt_gbp(m.per_head_gbp, pence=False), "per resident"))
    figures.append(Headline(fmt_millions(m.eliminated_gbp), "paid between partners, counted once"))
    return Answer(sentence + ".", figures)


def not_allocated(m: SpendMap) -> str:
    """What the areas do not hold, in words (the map by area and the per-head map say it
    beside them): spending on no area is in the place's total but on no area's row."""
    rest = sum((r.amount_gbp for r in m.rows if r.key == NOT_ALLOCATED), Decimal(0))
    if not rest:
        return "All the spending is allocated to an area."
    share = fmt_pct(rest / m.total_gbp) if m.total_gbp else "all"
    return (
        f"{fmt_gbp(rest)} ({share} of the total) is not allocated to an area: it is spent "
        "for the whole place (county-wide services, for example), so it is in the total but "
        "in no area's figure or £ per head."
    )


def _reconciliation(m: SpendMap) -> TableSection:
    rec = m.reconciliation
    return TableSection(
        "Reconciliation",
        [Col("Figure"), Col("Amount", "gbp_pound")],
        [
            ["Sum of all lines imported", rec.imported_gbp],
            ["Consolidated total", rec.consolidated_gbp],
            ["Eliminations", rec.eliminated_gbp],
        ],
        note="The reconciliation holds: imported = consolidated + eliminated."
        if rec.holds
        else f"The reconciliation is off by {fmt_gbp(rec.difference_gbp)}.",
    )


def _eliminations(heading: str, rows: list[Any]) -> TableSection:
    names = {code: s.name for code, s in services().items()}
    return TableSection(
        heading,
        [
            Col("Paid by"),
            Col("Paid to"),
            Col("Service"),
            Col("Lines", "int"),
            Col("Amount", "gbp_pound"),
        ],  # fmt: skip
        [
            [e.payer_name, e.payee_name, names.get(e.service, e.service), e.lines, e.amount_gbp]
            for e in rows
        ],  # fmt: skip
    )


def suppliers_report(res: SuppliersResult, place: str) -> TableReport:
    when = f", {res.year}" if res.year else ""
    what = "Suppliers paid by several partners" if res.shared else "Top suppliers"
    total = sum((Decimal(r["amount_gbp"]) for r in res.suppliers), Decimal(0))
    cols = [Col("Supplier"), Col("Partners", "int"), Col("Payments", "int"),
            Col("Amount", "gbp_pound")]  # fmt: skip
    rows = [[r["supplier"], r["partners"], r["payments"], Decimal(r["amount_gbp"])]
            for r in res.suppliers]  # fmt: skip
    sections = [
        TableSection(
            f"{what}{when}",
            cols,
            rows,
            ["Total", None, sum(r["payments"] for r in res.suppliers), total],
        ),  # fmt: skip
        TableSection(
            "Payments between partners",
            [
                Col("Paid by"),
                Col("Paid to"),
                Col("Year"),
                Col("Payments", "int"),
                Col("Amount", "gbp_pound"),
            ],  # fmt: skip
            [
                [
                    r["payer_name"],
                    r["payee_name"],
                    r["year"],
                    r["payments"],
                    Decimal(r["amount_gbp"]),
                ]
                for r in res.between_partners
            ],  # fmt: skip
            note="These payments are eliminated in the spend map: counted once, where spent.",
        ),
    ]
    n = len(rows)
    listed = f"{n} supplier{'s' if n != 1 else ''}"
    if res.suppliers:
        top = res.suppliers[0]
        k = top["payments"]
        rest = "" if n == 1 else f"; the {listed} listed were paid {fmt_gbp(total)}"
        sentence = (
            f"{top['supplier']} was paid the most{when}: {fmt_gbp(Decimal(top['amount_gbp']))} "
            f"in {k:,} payment{'s' if k != 1 else ''}{rest}."
        )
    else:
        sentence = f"No supplier payments are held{when}."
    return TableReport(
        title=f"{what} in {place}{when}",
        answer=Answer(sentence, [Headline(fmt_gbp(total), f"paid to the {listed} listed")]),
        sections=sections,
        method=[
            "From the transaction files imported (`spend import-transactions`): payments to "
            "each supplier, named as the files name them, summed over the partners paying them."
        ],
        place=place,
    )
