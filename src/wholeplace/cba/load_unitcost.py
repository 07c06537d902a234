"""An outcome line's values from a Unit Cost Database code, and the checks across lines.

Each value is uprated to the appraisal's price year and rounded to the penny (the figure
``unitcosts uprate`` shows), then multiplied by the stated period factor (a weekly value x 52
for ``per: year``). The fiscal value is shared among the agencies that gain it (the workbook's
split of a ``Multiple`` headline, see :mod:`wholeplace.cba.unitcost_use`) by the largest
remainder, so the parts add up to the penny; the workbook's transfer part is its own
component, marked so public value leaves it out.
"""

from __future__ import annotations

from decimal import Decimal

from wholeplace.cba.agencies import AgencyMap, normalise_agency
from wholeplace.cba.appraisal import VALUE_TYPES, Component, OutcomeLine
from wholeplace.cba.checks import Checker, SourceMap
from wholeplace.cba.deflators import DeflatorError, DeflatorSeries
from wholeplace.cba.unitcost_book import UnitCost, UnitCostBook
from wholeplace.cba.unitcost_use import (
    FiscalPart,
    conversion,
    conversion_fix,
    fiscal_parts,
    is_constituent,
)
from wholeplace.errors import Problem
from wholeplace.money import apportion, fmt_gbp, to_money

ZERO = Decimal(0)


def deflator_fix(series: DeflatorSeries) -> str:
    """How to get prices for a year a series does not cover."""
    return (
        "import a series that covers it: `wholeplace unitcosts deflators import FILE.csv -w "
        "PLACE` (columns year and pct_change or index, e.g. HM Treasury's latest GDP "
        "deflators), or name another series with appraisal.deflators; or choose a year "
        f"from {series.first_year} to {series.last_year}"
    )


def uprated(
    chk: Checker,
    m: SourceMap,
    where: tuple[str, str],
    shown: object,
    amount: Decimal,
    years: tuple[str, str],
    series: DeflatorSeries,
) -> Decimal | None:
    """``amount`` from ``years[0]`` to ``years[1]`` prices, to the penny; None (the problem
    noted against ``where`` = (key, path)) where the series does not cover a year. A price
    year beyond the series is reported once, for the whole appraisal, not here."""
    try:
        return to_money(series.uprate(amount, *years))
    except DeflatorError as exc:
        if series.covers(years[1]):
            chk.add(m, where[0], where[1], shown, str(exc).split(". Fix")[0], deflator_fix(series))
        return None


def price_year_problem(series: DeflatorSeries, price_year: str, label: str) -> Problem | None:
    """One problem for a price year beyond the series (rather than one per outcome line)."""
    if series.covers(price_year):
        return None
    return Problem(
        label,
        None,
        "appraisal.price_year",
        price_year,
        f"the deflator series {series.name!r} covers {series.first_year} to "
        f"{series.last_year}, so values cannot be put in {price_year} prices",
        deflator_fix(series),
    )


def _label(agencies: AgencyMap | None, agency: str, detail: str = "") -> str:
    if agencies is not None:
        return agencies.resolve(agency, detail).label
    return normalise_agency(agency) or "Unspecified"


def _check_transfer_flag(
    chk: Checker, m: SourceMap, p: str, entry: UnitCost, parts: list[FiscalPart]
) -> None:
    """``transfer: true`` on a unit cost whose workbook transfer is only part of its fiscal
    value would leave the rest (E&E1.0's NHS part) out of public value too."""
    t = entry.transfer
    kept = [x for x in parts if not x.transfer]
    if t is None or not kept:
        return
    rest = ", ".join(f"{fmt_gbp(to_money(x.amount))} to {x.agency}" for x in kept)
    chk.add(
        m,
        "transfer",
        f"{p}.transfer",
        True,
        f"{entry.code}'s fiscal value is only partly a transfer ({fmt_gbp(to_money(t.amount))} "
        f"to {t.agency}, as the workbook says); transfer: true would leave out the rest "
        f"({rest}) too",
        "remove transfer: true: the workbook's transfer part is left out of public value already",
    )


def _fiscal_components(
    entry: UnitCost,
    book: UnitCostBook,
    value: Decimal,
    base: tuple[Decimal, str],
    agency: str,
    agencies: AgencyMap | None,
    source: str,
) -> list[Component]:
    """``value`` (the fiscal value in the price year, to the penny) shared among the
    agencies that gain it, the transfer part on its own."""
    parts = fiscal_parts(entry, book)
    if agency:  # the line gives it all to one agency: keep only the transfer apart
        kept = sum((x.amount for x in parts if not x.transfer), ZERO)
        moved = sum((x.amount for x in parts if x.transfer), ZERO)
        parts = [
            FiscalPart(agency, "", a, t, entry.code)
            for a, t in ((kept, False), (moved, True))
            if a > 0
        ]
    amount, year = base
    if len(parts) <= 1 or any(x.amount < 0 for x in parts):
        whole = FiscalPart(entry.agency, entry.agency_detail, amount, False, entry.code)
        who = parts[0] if parts else whole
        label = _label(agencies, who.agency, who.detail)
        return [Component("fiscal", label, value, amount, year, source, who.transfer)]
    shares = apportion(value, [x.amount for x in parts])
    out = []
    for x, share in zip(parts, shares, strict=True):
        note = f"{source}; {x.agency}'s part"
        if x.source != entry.code:
            note += f" (as {x.source})"
        if x.transfer:
            note += f"; a transfer: {entry.transfer.note if entry.transfer else ''}"
        label = _label(agencies, x.agency, x.detail)
        out.append(Component("fiscal", label, share, x.amount, year, note, x.transfer))
    return out


def from_unit_cost(
    chk: Checker,
    m: SourceMap,
    p: str,
    code: str,
    types: list[str] | None,
    agency: str,
    price_year: str | None,
    book: UnitCostBook,
    series: DeflatorSeries | None,
    agencies: AgencyMap | None = None,
    transfer: bool = False,
) -> list[Component]:
    """The values of a unit cost code, each uprated to the appraisal's price year and
    converted to the period the line states (``per``)."""
    entry = book.get(code)
    if entry is None:
        close = [e.code for e in book.entries if e.code.upper().startswith(code.upper()[:3])]
        chk.add(
            m,
            "unit_cost",
            f"{p}.unit_cost",
            code,
            f"not in the {book.edition} unit cost database",
            "check the code with `wholeplace unitcosts search TEXT`, or import the full "
            "database into the place with `wholeplace unitcosts import WORKBOOK`"
            + (f" (codes like it: {', '.join(close[:5])})" if close else ""),
        )
        return []
    per = str(m.get("per") or "").strip()
    if not per:
        chk.add(
            m,
            None,
            f"{p}.per",
            None,
            f"'per' is missing: {code} is {entry.unit or 'for one outcome'!r}, so say what one "
            "outcome of this line is worth",
            conversion_fix(entry.unit).replace("write ", "add ", 1),
        )
        return []
    conv = conversion(entry.unit, per)
    if conv is None:
        chk.add(
            m,
            "per",
            f"{p}.per",
            per,
            f"{code} is {entry.unit!r}; there is no stated factor to make it per {per}",
            conversion_fix(entry.unit),
        )
        return []
    if series is None or price_year is None:
        return []
    kinds = [k for k in VALUE_TYPES if k in entry.values and (types is None or k in types)]
    if not kinds:
        chk.add(
            m,
            "unit_cost",
            f"{p}.unit_cost",
            code,
            f"this unit cost has no {'/'.join(types or VALUE_TYPES)} value",
            f"it has: {', '.join(entry.values) or 'no values'}; change value_type",
        )
    if transfer and "fiscal" in kinds:
        _check_transfer_flag(chk, m, p, entry, fiscal_parts(entry, book))
    components: list[Component] = []
    source = f"{code} ({entry.origin})" + (f"; {conv.note}" if conv.note else "")
    for k in kinds:
        cv = entry.values[k]
        where = ("unit_cost", f"{p}.unit_cost")
        up = uprated(chk, m, where, code, cv.amount, (cv.year, price_year), series)
        if up is None:
            continue
        value = up * conv.factor
        if k == "fiscal":
            components += _fiscal_components(
                entry, book, value, (cv.amount, cv.year), agency, agencies, source
            )
        else:
            components.append(Component(k, k.title(), value, cv.amount, cv.year, source))
    return components


# -- across lines ----------------------------------------------------------------------


Line = tuple[OutcomeLine, SourceMap, str]  # the line, where it was written, its path


def double_counting(outcomes: list[Line]) -> list[tuple[SourceMap, str, str, str, str]]:
    """Lines that count the same value twice: a headline code and one of its own
    constituents (E&E1.0 and E&E1.0.1) for the same cohort, counting a value type both
    count. Returns (where, path, value, problem, fix) for each, naming both lines."""
    found = []
    for i, a in enumerate(outcomes):
        for b in outcomes[i + 1 :]:
            ca, cb = a[0].unit_cost, b[0].unit_cost
            if not ca or not cb or a[0].cohort != b[0].cohort:
                continue
            if is_constituent(cb, ca):
                head, part = a, b
            elif is_constituent(ca, cb):
                head, part = b, a
            else:
                continue
            kinds = {c.value_type for c in head[0].components}
            both = sorted(kinds & {c.value_type for c in part[0].components})
            if not both:
                continue
            hc, pc = head[0].unit_cost, part[0].unit_cost
            found.append(
                (
                    b[1],
                    f"{b[2]}.unit_cost",
                    f"{hc} and {pc}",
                    f"{hc} ({head[2]}, {head[0].description!r}) already includes its "
                    f"constituent {pc} ({part[2]}, {part[0].description!r}): for the same "
                    f"cohort the {'/'.join(both)} value is counted twice",
                    "remove one of the two lines, or limit value_type so that each counts a "
                    f"different value (e.g. value_type: economic on {hc})",
                )
            )
    return found
