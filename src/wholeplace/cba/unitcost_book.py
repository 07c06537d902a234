"""The Unit Cost Database as typed values: entries, their values and price years, the book
that holds them, and searching it (read by :mod:`wholeplace.cba.unitcost_workbook`, kept in a
place by :mod:`wholeplace.cba.unitcosts`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from wholeplace.cba.deflators import DeflatorSeries
from wholeplace.errors import WholeplaceError

THEMATIC_SHEETS = (
    "Crime",
    "Education & Skills",
    "Employment & Economy",
    "Fire",
    "Health",
    "Housing",
    "Social Services",
)
KINDS = ("fiscal", "economic", "social")
RAGS = {"R": "red", "A": "amber", "G": "green"}


@dataclass(frozen=True)
class CostValue:
    kind: str  # fiscal | economic | social
    amount: Decimal  # as estimated, in prices of ``year``
    year: str  # price year, YYYY/YY
    published_updated: Decimal | None = None  # the workbook's own uprated figure, if any


@dataclass(frozen=True)
class Transfer:
    """The part of a fiscal value the workbook says is a transfer payment (benefits, tax):
    counted in the financial case, left out of public value."""

    amount: Decimal  # in the prices of the fiscal value's year
    agency: str  # who it falls to (normalised)
    note: str  # the workbook's words
    where: str  # the cell they were read from, or the headline they were derived from


@dataclass(frozen=True)
class StatedValue:
    """The total public value the workbook states for an entry, in whole pounds."""

    amount: Decimal
    year: str  # its price year
    note: str
    where: str


@dataclass
class UnitCost:
    code: str
    description: str
    unit: str
    agency: str  # Level 1: the agency bearing the cost / making the fiscal saving
    agency_detail: str  # Level 2
    category: str
    detail: str
    values: dict[str, CostValue]
    source: str
    rag: str
    comment: str
    origin: str  # where this entry was read from: file, sheet, row
    transfer: Transfer | None = None
    stated_public_value: StatedValue | None = None

    def value(self, kind: str) -> CostValue | None:
        return self.values.get(kind)

    def fields_by_name(self) -> dict[str, Any]:
        """Every field by name, in the order declared (``values`` as the CostValue objects)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


NOTE_FIELDS = ("transfer", "stated_public_value")
TEXT_FIELDS = tuple(f.name for f in fields(UnitCost) if f.name not in ("values", *NOTE_FIELDS))
"""A unit cost's fields other than its values and notes, in order: code ... detail, source
... origin."""


@dataclass
class UnitCostBook:
    edition: str
    file: str
    entries: list[UnitCost]
    deflators: DeflatorSeries | None = None
    notes: list[str] = field(default_factory=list)

    def get(self, code: str) -> UnitCost | None:
        want = code.strip().upper()
        for e in self.entries:
            if e.code.upper() == want:
                return e
        return None

    def search(self, text: str) -> list[UnitCost]:
        return search(self.entries, text)


class UnitCostError(WholeplaceError):
    """A unit cost code that is not in the database."""


def search(entries: list[UnitCost], text: str) -> list[UnitCost]:
    """Entries whose code, description, agency, category or unit contain every word."""
    words = [w.lower() for w in text.split() if w]
    out = []
    for e in entries:
        hay = " ".join(
            [e.code, e.description, e.agency, e.agency_detail, e.category, e.detail, e.unit]
        ).lower()
        compact = re.sub(r"[^a-z0-9&.]+", "", hay)
        if all(w in hay or re.sub(r"[^a-z0-9&.]+", "", w) in compact for w in words):
            out.append(e)
    return out


def uprated(entry: UnitCost, kind: str, to_year: str, series: DeflatorSeries) -> Decimal | None:
    """The ``kind`` value of ``entry`` in ``to_year`` prices, unrounded (None if absent)."""
    v = entry.values.get(kind)
    if v is None:
        return None
    return series.uprate(v.amount, v.year, to_year)


def find(book: UnitCostBook, code: str) -> UnitCost:
    e = book.get(code)
    if e is None:
        close = [x.code for x in book.entries if x.code.upper().startswith(code.upper()[:3])][:5]
        hint = f" Similar codes: {', '.join(close)}." if close else ""
        raise UnitCostError(
            f"unit cost {code!r} is not in the {book.edition} unit cost database.{hint} "
            "Fix: check the code with `wholeplace unitcosts search TEXT`, or import the "
            "workbook that has it with `wholeplace unitcosts import FILE`"
        )
    return e
