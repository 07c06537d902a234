"""What importing a transaction file tells its caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from wholeplace.errors import Notice


@dataclass
class Unmapped:
    department: str | None
    service_area: str | None
    expense_type: str | None
    rows: int
    amount_gbp: Decimal


@dataclass
class FileResult:
    file: str
    status: str  # "imported" or "duplicate"
    message: str = ""
    rows: int = 0
    total_gbp: Decimal = Decimal("0.00")
    credits_gbp: Decimal = Decimal("0.00")
    years: list[str] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)
    to_partners_gbp: Decimal = Decimal("0.00")
    encoding: str | None = None
    layout: dict[str, str] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)


MANY_PARTNERS = "*"  # transaction_files.partner of a file holding several partners


class ReadCarefully(Exception):
    """The one-pass import met a row it cannot take; re-read the file line by line."""


class Duplicate(Exception):
    """The rows were imported before: leave the write, keeping nothing."""
