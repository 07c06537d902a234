"""The build's own types: a spend line, an area, and the error that stops the build."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from wholeplace.money import to_money


class BuildError(RuntimeError):
    pass


# (partner, service, subservice, source figure, source) of every estimate, for SOURCES.md.
INPUTS: list[tuple[str, str, str, str, str]] = []
# Table rows of every derived Education line, for SOURCES.md.
DERIVED: list[str] = []


def dec(value: object) -> Decimal:
    """A published number as an exact Decimal (floats through their shortest repr)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def thousands_to_pounds(value: object, where: str) -> Decimal:
    pounds = dec(value) * 1000
    money = to_money(pounds)
    # RSX carries at most 2 decimals of £k, so x1000 is exact pence; RS 2017-18 has a few
    # imputed values with float noise (e.g. 23831.186090000003), rounded to the penny here.
    if abs(money - pounds) >= Decimal("0.005"):
        raise BuildError(f"{where}: {value!r} thousand is not a whole number of pence")
    return money


@dataclass
class Line:
    partner: str
    year: str
    service: str
    amount: Decimal
    subservice: str = ""
    area: str = ""
    customer_group: str = ""
    counterparty: str = ""
    estimate: bool = False
    estimate_method: str = ""
    source: str = ""
    # gross (RSX total expenditure, CRA, benefit payments) or net (RS net current expenditure)
    basis: str = "gross"

    def row(self) -> list[str]:
        return [
            self.partner,
            self.year,
            self.service,
            self.subservice,
            self.area,
            self.customer_group,
            f"{self.amount:.2f}",
            self.counterparty,
            "yes" if self.estimate else "no",
            self.estimate_method,
            self.source,
            self.basis,
        ]


@dataclass(frozen=True)
class AreaInfo:
    code: str
    name: str
    population: int
    council: str  # partner id
