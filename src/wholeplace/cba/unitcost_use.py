"""Using a unit cost in an appraisal: the period its value is for, who gains its fiscal value
(split where the workbook splits it), the transfer part left out of public value, and the
public value itself.

Periods
-------
Unit Cost Database values are per week, per year, per incident, per episode... An outcome line
that uses a unit cost states what one outcome is worth (``per: year``, ``per: incident``); the
value is used as it is when the periods agree, a weekly value becomes an annual one at
:data:`WEEKS_PER_YEAR` (and a monthly one at 12), and anything else is refused with the fix.
A weekly cost is never silently taken as annual.

Splitting ``Multiple``
----------------------
A headline entry whose agency is ``Multiple`` (``E&E1.0``) is split by its constituent lines
(``E&E1.0.1`` DWP, ``E&E1.0.2`` NHS) when their fiscal values, in the same price year, add up
to the headline's, allowing the workbook's rounding of each constituent to the pound (half a
pound each). The headline's own value is kept and shared in proportion to the constituents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext

from wholeplace.cba.agencies import is_unattributed, normalise_agency
from wholeplace.cba.deflators import PRECISION, DeflatorSeries
from wholeplace.cba.unitcost_book import KINDS, UnitCost, UnitCostBook
from wholeplace.labels import match_key

ZERO = Decimal(0)

WEEKS_PER_YEAR = Decimal(52)
WEEKS_PER_YEAR_SOURCE = (
    "52 weeks a year, the factor the Unit Cost Database itself uses to annualise weekly "
    "costs (v1.4, Social Services sheet, comments on SS1.1.4 '£5.40 x 52', SS1.2.4 "
    "'£6.60 x 52' and SS1.4.5 '£3.50 x 52'; SS11.2: 'if provision is sustained over 52 weeks')"
)
MONTHS_PER_YEAR = Decimal(12)

_TIME = {
    "year": "year",
    "years": "year",
    "annum": "year",
    "annual": "year",
    "annually": "year",
    "week": "week",
    "weeks": "week",
    "weekly": "week",
    "month": "month",
    "months": "month",
    "monthly": "month",
    "day": "day",
    "days": "day",
    "hour": "hour",
    "hours": "hour",
}
_PER = re.compile(r"\bper\b")


def unit_period(unit: str) -> str:
    """What one value is for: ``"Per claimant per year"`` -> ``year``, ``"Per week"`` ->
    ``week``, ``"Per incident"`` -> ``incident``, ``"Each"`` -> ``each``; ``""`` if no unit."""
    key = match_key(unit)
    segments = [s.strip() for s in _PER.split(key) if s.strip()]
    last = segments[-1] if segments else key
    return _TIME.get(last, last)


@dataclass(frozen=True)
class Conversion:
    factor: Decimal
    note: str  # "" when the value is used as it is


def conversion(unit: str, per: str) -> Conversion | None:
    """How a value ``unit`` becomes one for ``per`` (what the outcome line states), or None
    when there is no stated factor for it."""
    have, want = unit_period(unit), unit_period(per)
    if not have or have == want:
        return Conversion(Decimal(1), "")
    if have == "week" and want == "year":
        return Conversion(WEEKS_PER_YEAR, f"per week x 52 = per year ({WEEKS_PER_YEAR_SOURCE})")
    if have == "month" and want == "year":
        return Conversion(MONTHS_PER_YEAR, "per month x 12 = per year")
    return None


def conversion_fix(unit: str) -> str:
    """What an outcome line using a unit cost ``unit`` may state as its ``per``."""
    have = unit_period(unit)
    if have == "week":
        return (
            "write per: week (one outcome is one week) or per: year (a year of it: the "
            "weekly value x 52, the Unit Cost Database's own factor)"
        )
    if have == "month":
        return "write per: month, or per: year (the monthly value x 12)"
    if have in ("day", "hour"):
        return (
            f"write per: {have}; to count a year of it, give the value yourself "
            "(value: POUNDS, value_year: YYYY/YY) with your own number of "
            f"{have}s a year, since the database states no factor"
        )
    return f"write per: {have or 'year'} (the unit cost is {unit or 'for one outcome'!r})"


# -- constituents ----------------------------------------------------------------------


def is_constituent(code: str, of: str) -> bool:
    """``E&E1.0.1`` (and ``E&E1.0.1.2``) is a constituent of ``E&E1.0``."""
    return code.strip().upper().startswith(of.strip().upper() + ".")


def constituents(book: UnitCostBook, code: str) -> list[UnitCost]:
    """The entries one level below ``code`` (``E&E1.0`` -> ``E&E1.0.1``, ``E&E1.0.2``)."""
    depth = code.count(".") + 1
    return [e for e in book.entries if is_constituent(e.code, code) and e.code.count(".") == depth]


@dataclass(frozen=True)
class FiscalPart:
    """One agency's part of an entry's fiscal value, in the entry's own price year."""

    agency: str
    detail: str  # the agency's level 2
    amount: Decimal
    transfer: bool
    source: str  # the code it comes from


def _split(entry: UnitCost, book: UnitCostBook | None) -> list[FiscalPart]:
    fiscal = entry.values["fiscal"]
    whole = [FiscalPart(entry.agency, entry.agency_detail, fiscal.amount, False, entry.code)]
    if book is None or not is_unattributed(entry.agency) or fiscal.amount <= 0:
        return whole
    kids = []
    for k in constituents(book, entry.code):
        v = k.values.get("fiscal")
        if v is not None and v.year == fiscal.year and v.amount >= 0:
            kids.append((k, v.amount))
    total = sum((a for _, a in kids), ZERO)
    if not kids or total <= 0 or abs(total - fiscal.amount) > Decimal("0.5") * len(kids):
        return whole
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return [
            FiscalPart(k.agency, k.agency_detail, fiscal.amount * a / total, False, k.code)
            for k, a in kids
        ]


def fiscal_parts(entry: UnitCost, book: UnitCostBook | None = None) -> list[FiscalPart]:
    """Who gains an entry's fiscal value, and which part is a transfer; the parts add up to
    the fiscal value exactly."""
    if "fiscal" not in entry.values:
        return []
    parts = _split(entry, book)
    t = entry.transfer
    if t is None or t.amount <= 0:
        return parts
    fiscal = entry.values["fiscal"].amount
    keyed = [i for i, p in enumerate(parts) if normalise_agency(p.agency) == t.agency]
    if len(parts) == 1:
        keyed = [0]
    out: list[FiscalPart] = []
    if keyed and parts[keyed[0]].amount >= t.amount:
        i = keyed[0]
        for j, p in enumerate(parts):
            if j != i:
                out.append(p)
                continue
            if p.amount > t.amount:
                out.append(FiscalPart(p.agency, p.detail, p.amount - t.amount, False, p.source))
            out.append(FiscalPart(p.agency, p.detail, t.amount, True, p.source))
        return out
    # The transfer's agency is not one of the parts: take it from each part pro rata.
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for p in parts:
            share = p.amount * t.amount / fiscal
            if p.amount > share:
                out.append(FiscalPart(p.agency, p.detail, p.amount - share, False, p.source))
            out.append(FiscalPart(p.agency, p.detail, share, True, p.source))
    return out


# -- public value ------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicValue:
    """An entry's public value in one year's prices: every value, less the transfer."""

    year: str
    values: dict[str, Decimal]  # kind -> value in ``year`` prices (unrounded)
    transfer: Decimal
    total: Decimal


def public_value(entry: UnitCost, year: str, series: DeflatorSeries | None) -> PublicValue:
    """Fiscal + economic + social - transfer, each in ``year`` prices (``series`` may be None
    when every value is already in ``year`` prices)."""

    def at(amount: Decimal, from_year: str) -> Decimal:
        if from_year == year:
            return amount
        if series is None:
            raise ValueError(f"{entry.code}: a value in {from_year} prices needs a deflator")
        return series.uprate(amount, from_year, year)

    with localcontext() as ctx:
        ctx.prec = PRECISION
        values = {k: at(v.amount, v.year) for k in KINDS if (v := entry.values.get(k))}
        transfer = ZERO
        if entry.transfer is not None and "fiscal" in entry.values:
            transfer = at(entry.transfer.amount, entry.values["fiscal"].year)
        total = sum(values.values(), ZERO) - transfer
    return PublicValue(year, values, transfer, total)
