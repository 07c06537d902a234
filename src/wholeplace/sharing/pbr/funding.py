"""What a scheme pays an authority, from its funding basis and estimated families.

In the Troubled Families scheme DCLG estimated the troubled families in each upper-tier
authority's area and funded five out of six of them; the attachment fee - the year's share
of the £4,000 - was paid up front on the families the authority agreed to work with that
year (its allocation), not for each family attached; results were paid per family turned
around, up to the rest of the £4,000. So for ``estimated`` families::

    funded families        = estimated x funded share               (5/6)
    allocation in year y   = funded families x allocation share of y (1/3 each, unconfirmed)
    attachment fees in y   = allocation in y x max payment x attachment share of y
    results available in y = allocation in y x (max payment - attachment fee of y)

Families are kept as exact fractions and money rounded half-up to the penny once, at the
end. A figure resting on an unconfirmed part of the scheme is marked so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from wholeplace.errors import InputError, Problem
from wholeplace.money import ZERO, round_half_up, to_money
from wholeplace.sharing.common import year_key
from wholeplace.sharing.pbr.scheme import Scheme


def _money(f: Fraction) -> Decimal:
    return to_money(Decimal(f.numerator) / Decimal(f.denominator))


def _families(f: Fraction) -> Decimal:
    return round_half_up(Decimal(f.numerator) / Decimal(f.denominator), 2)


@dataclass
class FundingYear:
    year: str
    families: Fraction  # the allocation: funded families worked with this year
    attachment_fee: Decimal  # per allocated family
    attachment_fees: Decimal
    results_available: Decimal
    unconfirmed: list[str] = field(default_factory=list)  # notes of what it rests on


@dataclass
class Funding:
    scheme: Scheme
    estimated_families: int
    funded_families: Fraction
    max_funding: Decimal
    years: list[FundingYear]
    own_allocation: bool

    @property
    def unconfirmed(self) -> list[str]:
        return list(dict.fromkeys(n for y in self.years for n in y.unconfirmed))

    def to_json(self) -> dict[str, Any]:
        fb = self.scheme.funding
        return {
            "scheme": self.scheme.name,
            "estimated_families": self.estimated_families,
            "funded_share": str(fb.funded_share) if fb else "1",
            "funded_families": str(_families(self.funded_families)),
            "max_funding": self.max_funding,
            "attachment_paid_on": fb.attachment_paid_on if fb else "family",
            "allocation": "given" if self.own_allocation else "the scheme's",
            "years": [
                {
                    "year": y.year,
                    "families": str(_families(y.families)),
                    "attachment_fee": y.attachment_fee,
                    "attachment_fees": y.attachment_fees,
                    "results_available": y.results_available,
                    "status": "unconfirmed" if y.unconfirmed else "confirmed",
                    "unconfirmed": y.unconfirmed,
                }
                for y in self.years
            ],
            "attachment_fees": sum((y.attachment_fees for y in self.years), ZERO),
            "results_available": sum((y.results_available for y in self.years), ZERO),
            "unconfirmed": self.unconfirmed,
        }


def funding(
    scheme: Scheme, estimated_families: int, allocation: dict[str, Fraction] | None = None
) -> Funding:
    """What ``scheme`` pays for ``estimated_families``, by programme year.

    ``allocation`` (programme year -> share of the funded families worked with that year)
    replaces the scheme's own, e.g. an authority's agreed allocation.
    """
    fb = scheme.funding
    problems: list[Problem] = []
    if estimated_families < 0:
        problems.append(
            Problem(
                "--estimated-families",
                None,
                None,
                str(estimated_families),
                "not a number of families",
                "give the estimated number of families, e.g. 600",
            )
        )
    given = {year_key(y): f for y, f in (allocation or {}).items()}
    shares = given or (dict(fb.allocation_by_year) if fb else {})
    for y in shares:
        if y not in scheme.years:
            problems.append(
                Problem(
                    "allocation",
                    None,
                    y,
                    y,
                    "not a programme year of the scheme",
                    f"use {', '.join(scheme.years)}",
                )
            )
    if sum(shares.values()) > 1:
        problems.append(
            Problem(
                "allocation",
                None,
                None,
                " + ".join(str(f) for f in shares.values()),
                "the years' shares add up to more than the funded families",
                "make them add up to 1 at most",
            )
        )
    if not shares:
        problems.append(
            Problem(
                "allocation",
                None,
                None,
                None,
                "the scheme says nothing of how the families are spread over the years",
                "give the allocation by year, e.g. 2012/13=1/3",
            )
        )
    if problems:
        raise InputError(problems)
    funded_share = fb.funded_share if fb else Fraction(1)
    funded = estimated_families * funded_share
    max_pay = Fraction(scheme.max_payment)
    base: list[str] = []
    if fb and not fb.funded_share_stated.confirmed:
        base.append(fb.funded_share_stated.note)
    if fb and not fb.attachment_stated.confirmed:
        base.append(fb.attachment_stated.note)
    if fb and not given and not fb.allocation_stated.confirmed:
        base.append(fb.allocation_stated.note)
    years = []
    for y in scheme.years:
        fam = funded * shares.get(y, Fraction(0))
        fee_gbp = scheme.attachment_fee(y)
        fee = Fraction(fee_gbp)
        notes = list(base)
        years.append(
            FundingYear(y, fam, fee_gbp, _money(fam * fee), _money(fam * (max_pay - fee)), notes)
        )
    return Funding(scheme, estimated_families, funded, _money(funded * max_pay), years, bool(given))
