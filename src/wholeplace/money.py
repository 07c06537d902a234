"""Exact money.

Every amount that reaches a report is a :class:`~decimal.Decimal` rounded to the penny.
Floats are allowed only inside simulations, never in a reported total.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")

# The largest amount one cell of a file may hold: just under a trillion pounds. No line of
# a public body's accounts comes near it (all UK public spending is about £1.3tn a year),
# so a larger figure is pence, or digits run together; and ten thousand amounts this size
# still add up to less than MAX_TOTAL.
MAX_AMOUNT = Decimal("999999999999.99")
MAX_AMOUNT_DIGITS = 12  # whole pounds of MAX_AMOUNT
# The largest total the place's database holds (DECIMAL(18, 2)): a partner's year, credits
# counted as positive, must stay within it (see spend.lines and the transactions import).
MAX_TOTAL = Decimal("9999999999999999.99")

# Amounts as councils publish them: "£1,234.56", "(1,234.56)" for a credit, "-1234", SAP's
# "1,234.56-", "1,234.56 CR", with spaces (and non-breaking spaces) around the parts.
# ONE grammar, read by Python here and by DuckDB (RE2) in the transactions import
# (spend.transactions.parsing), so both read every text alike: it uses only what the two
# engines share (named groups, [0-9] for ASCII digits). Every sign of a credit is captured
# separately, so that two of them ("(-100)", "-100 CR") are refused, not cancelled out.
# White space around the parts: whatever Python's str.strip() takes for it (tabs, line
# breaks, the non-breaking and the thin spaces, ...). That covers what the importers trim
# before an amount is read (tabular's strip(), DuckDB's trim() and its cast to DECIMAL), so
# an amount reads the same whether or not its spaces were trimmed first.
AMOUNT_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_SPACE = f"[{AMOUNT_SPACES}]*"
_MINUS = "[-\u2212]"
AMOUNT_PATTERN = (
    f"{_SPACE}(?P<m1>{_MINUS})?{_SPACE}(?P<c1>£)?{_SPACE}(?P<open>\\()?{_SPACE}"
    f"(?P<m2>{_MINUS})?{_SPACE}(?P<c2>£)?{_SPACE}"
    "(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]*)?|[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)"
    f"{_SPACE}(?P<close>\\))?{_SPACE}(?P<m3>-)?{_SPACE}(?P<cr>[Cc][Rr])?{_SPACE}"
)
AMOUNT_GROUPS = ("m1", "c1", "open", "m2", "c2", "num", "close", "m3", "cr")
_AMOUNT_RE = re.compile(AMOUNT_PATTERN)
# Partial-match patterns naming why a text that is not an amount is not one.
SCIENTIFIC_PATTERN = "[0-9.][eE][-+]?[0-9]"
_SCIENTIFIC_RE = re.compile(SCIENTIFIC_PATTERN)

AMOUNT_FIX = (
    "write pounds, e.g. 1,234.56 or £1,234.56 (digits 0-9, commas only between thousands); "
    "a credit as -1,234.56, (1,234.56), 1,234.56- or 1,234.56 CR"
)
# Why a text is not an amount: reason -> (message, fix). The transactions import's SQL
# gives the same reasons (spend.transactions.parsing).
AMOUNT_PROBLEMS: dict[str, tuple[str, str]] = {
    "missing": ("missing amount", "fill in the amount in pounds, e.g. 1,234.56"),
    "not_amount": ("not an amount of money", AMOUNT_FIX),
    "two_signs": (
        "two signs of a credit (a minus, brackets or CR): unclear whether it is a payment "
        "or a credit",
        "write one sign for a credit: -100, (100), 100- or 100 CR; none for a payment",
    ),
    "too_large": (
        "more than the largest amount, £999,999,999,999.99",
        "check the amount is in pounds, not pence, and that no digits ran together "
        "(see docs/formats.md)",
    ),
    "scientific": (
        "a number in scientific notation, such as 1.2E+3: a spreadsheet that saves a "
        "number so (1.23457E+11) has dropped digits",
        "write the amount out in full (in the spreadsheet, format the column as a number "
        "with 2 decimal places and save the file again)",
    ),
    "currency": (
        "a currency sign other than £",
        "amounts are in pounds: convert the amount to pounds and write it without $ or €",
    ),
    "digits": (
        "digits other than 0-9",
        "type the amount with the digits 0 to 9",
    ),
}


class MoneyError(ValueError):
    """A value that is not an amount of money; ``reason`` (a key of
    :data:`AMOUNT_PROBLEMS`) says why, ``message`` and ``fix`` say it to a person."""

    def __init__(self, detail: str, reason: str = "not_amount") -> None:
        super().__init__(detail)
        self.reason = reason
        self.message, self.fix = AMOUNT_PROBLEMS[reason]

    @classmethod
    def because(cls, reason: str, value: object) -> MoneyError:
        return cls(f"{value!r}: {AMOUNT_PROBLEMS[reason][0]}", reason)


def to_money(value: object) -> Decimal:
    """Return ``value`` as a Decimal rounded half-up to the penny.

    Floats are converted through their shortest repr, so ``0.1`` becomes ``0.10``
    rather than ``0.1000000000000000055511151231257827``.
    """
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, bool):
        raise MoneyError(f"{value!r} is not an amount")
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise MoneyError(f"{value!r} is not an amount")
        d = Decimal(repr(value))
    elif isinstance(value, str):
        return parse_amount(value)
    else:
        raise MoneyError(f"{value!r} is not an amount")
    if not d.is_finite():
        raise MoneyError(f"{value!r} is not an amount")
    try:
        return d.quantize(PENNY, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # more digits than the decimal context holds
        raise MoneyError.because("too_large", value) from exc


def round_half_up(value: Decimal | int | float | str | Fraction, places: int) -> Decimal:
    """``value`` rounded half-up (halves away from zero, as :func:`to_money`) to ``places``
    decimal places: for ratios, shares and rates. ``round_half_up("0.125", 2)`` is
    ``0.13`` where Python's ``round`` and a bare ``quantize`` would give ``0.12``.

    Floats are converted through their shortest repr, so ``2.675`` rounds to ``2.68``.
    A :class:`~fractions.Fraction` is rounded exactly, with no decimal division first, so
    ``Fraction(1, 3)`` to 1 place is ``0.3`` and ``Fraction(5, 8) * 100`` (62.5) is ``63``.
    """
    if isinstance(value, bool):
        raise MoneyError(f"{value!r} is not a number")
    if isinstance(value, Fraction):
        scaled = value * Fraction(10) ** places
        n = math.floor(abs(scaled) + Fraction(1, 2))
        return (Decimal(n) if scaled >= 0 else -Decimal(n)).scaleb(-places)
    if isinstance(value, float):
        d = Decimal(repr(value))
    else:
        try:
            d = Decimal(value)
        except (InvalidOperation, ValueError, TypeError) as exc:
            raise MoneyError(f"{value!r} is not a number") from exc
    if not d.is_finite():
        raise MoneyError(f"{value!r} is not a number")
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def parse_amount(text: str) -> Decimal:
    """Parse an amount written the way finance files write them, rounded half-up to the
    penny (:func:`parse_amount_exact` keeps the digits beyond the penny).

    Accepts one ``£``, thousands separators between thousands, and one sign of a credit:
    a leading or trailing minus, brackets or a trailing ``CR``. Raises :class:`MoneyError`
    for anything else, and for amounts over :data:`MAX_AMOUNT`.
    """
    d = to_money(parse_amount_exact(text))
    return d if d else ZERO  # "-0.001" is 0.00, not -0.00


def parse_amount_exact(text: str) -> Decimal:
    """The amount ``text`` holds, every digit kept: ``"12.345"`` is ``12.345``. An importer
    compares it with :func:`to_money` of it to tell the user which amounts it rounded."""
    m = _AMOUNT_RE.fullmatch(text)
    if m is None:
        raise MoneyError.because(_why_not(text), text)
    g = m.groupdict()
    if (g["open"] is None) != (g["close"] is None) or (g["c1"] and g["c2"]):
        raise MoneyError.because("not_amount", text)
    if sum(1 for k in ("m1", "m2", "m3", "cr", "open") if g[k]) > 1:
        raise MoneyError.because("two_signs", text)
    whole, _, fraction = g["num"].partition(".")
    whole = whole.replace(",", "").lstrip("0")
    if len(whole) > MAX_AMOUNT_DIGITS:
        raise MoneyError.because("too_large", text)
    d = Decimal(f"{whole or '0'}.{fraction}0")
    if to_money(d) > MAX_AMOUNT:
        raise MoneyError.because("too_large", text)
    negative = g["m1"] or g["m2"] or g["m3"] or g["cr"] or g["open"]
    return -d if negative and d else d


def _why_not(text: str) -> str:
    """Why ``text``, which the grammar refuses, is not an amount (a key of
    :data:`AMOUNT_PROBLEMS`); in this order, as the transactions import's SQL decides."""
    if not text.strip(AMOUNT_SPACES):
        return "missing"
    if any(unicodedata.category(c) == "Nd" and not c.isascii() for c in text):
        return "digits"
    if any(unicodedata.category(c) == "Sc" and c != "£" for c in text):
        return "currency"
    if _SCIENTIFIC_RE.search(text):
        return "scientific"
    return "not_amount"


def input_amount(value: object) -> Decimal:
    """An amount read from a file, exact, whatever form it came in: text (read by
    :func:`parse_amount_exact`), or a YAML or spreadsheet number. Raises
    :class:`MoneyError` for anything else and for amounts over :data:`MAX_AMOUNT`."""
    if isinstance(value, str):
        return parse_amount_exact(value)
    if isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        d = Decimal(value)
    else:
        raise MoneyError.because("not_amount", value)
    if not d.is_finite():
        raise MoneyError.because("not_amount", value)
    if d.copy_abs().adjusted() >= MAX_AMOUNT_DIGITS or to_money(d.copy_abs()) > MAX_AMOUNT:
        raise MoneyError.because("too_large", value)
    return d


def apportion(amount: Decimal, weights: Sequence[Decimal | int | str]) -> list[Decimal]:
    """Split ``amount`` by ``weights`` into pennies that sum to ``amount`` exactly.

    Largest-remainder method: each share is rounded down to the penny, then the
    pennies left over go to the shares with the largest remainders (ties to the
    earliest). Negative amounts are split as the negative of the positive split.
    """
    amount = to_money(amount)
    ws = [Decimal(str(w)) for w in weights]
    if not ws:
        raise ValueError("apportion needs at least one weight")
    if any(w < 0 for w in ws):
        raise ValueError("weights must not be negative")
    total_w = sum(ws, Decimal(0))
    if total_w == 0:
        raise ValueError("weights must not all be zero")
    if amount < 0:
        return [-s for s in apportion(-amount, ws)]
    pennies = int(amount * 100)
    exact = [Decimal(pennies) * w / total_w for w in ws]
    floors = [int(e) for e in exact]
    left = pennies - sum(floors)
    order = sorted(range(len(ws)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(p) / 100 for p in floors]


def fmt_gbp(amount: Decimal, *, pence: bool = True) -> str:
    """``£1,234.56`` (or ``-£1,234.56``)."""
    sign = "-" if amount < 0 else ""
    a = abs(amount)
    return f"{sign}£{a:,.2f}" if pence else f"{sign}£{a:,.0f}"


def fmt_millions(amount: Decimal, places: int = 1) -> str:
    """``£12.3m``."""
    m = (amount / Decimal(1_000_000)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"-£{-m:,}m" if m < 0 else f"£{m:,}m"


def fmt_billions(amount: Decimal, places: int = 1) -> str:
    """``£7.2bn``."""
    b = (amount / Decimal(1_000_000_000)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"-£{-b:,}bn" if b < 0 else f"£{b:,}bn"


def fmt_short(amount: Decimal, places: int = 1) -> str:
    """A chart's label: ``£95``, ``£500k``, ``£1.2m``, ``£3.4bn`` (``-£500k`` below zero).

    The unit is the largest of k, m, bn that leaves at least 1; trailing ``.0`` is dropped
    (``£500k``, not ``£500.0k``), so an axis reads like a person wrote it.
    """
    a = abs(Decimal(amount))
    sign = "-" if amount < 0 else ""
    for size, unit in ((Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"), (Decimal(1000), "k")):
        v = (a / size).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        if v >= 1:  # after rounding, so £999,999 reads £1m, not £1,000k
            text = f"{v:,}".rstrip("0").rstrip(".") if "." in f"{v}" else f"{v:,}"
            return f"{sign}£{text}{unit}"
    return f"{sign}£{a.quantize(Decimal(1), ROUND_HALF_UP):,}"


def fmt_pct(share: Decimal | float | str, places: int = 1) -> str:
    """A share as a percentage, rounded once, half-up: ``0.1225`` -> ``12.3%``.

    The one formatter of percentages, so the HTML reports and the command line show the same
    figure (Python's ``f"{x:.1%}"`` rounds a Decimal half-even: ``12.2%`` for ``0.1225``).
    """
    return f"{round_half_up(Decimal(str(share)) * 100, places)}%"
