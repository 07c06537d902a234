"""Exact money.

Every amount that reaches a report is a :class:`~decimal.Decimal` rounded to the penny.
Floats are allowed only inside simulations, never in a reported total.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")

# Amounts as councils publish them: "£1,234.56", "(1,234.56)" for a credit, "-1234",
# "1,234.56 CR", with stray spaces and non-breaking spaces.
_CURRENCY_NOISE = re.compile(r"[£$€,\s\u00a0]")


class MoneyError(ValueError):
    """A value that is not an amount of money."""


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
    return d.quantize(PENNY, rounding=ROUND_HALF_UP)


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
    """Parse an amount written the way finance files write them.

    Accepts ``£``, thousands separators, a leading minus, brackets or a trailing
    ``CR`` for credits. Raises :class:`MoneyError` for anything else.
    """
    raw = text
    s = text.strip()
    if not s:
        raise MoneyError("empty")
    negative = False
    if s.upper().endswith("CR"):
        negative = True
        s = s[:-2]
    s = s.strip()
    if s.startswith("(") and s.endswith(")"):
        negative = not negative
        s = s[1:-1]
    s = _CURRENCY_NOISE.sub("", s)
    if s.startswith("-"):
        negative = not negative
        s = s[1:]
    s = _CURRENCY_NOISE.sub("", s)
    if not s or not re.fullmatch(r"\d+(\.\d*)?|\.\d+|\d+(\.\d+)?[eE][+-]?\d+", s):
        raise MoneyError(f"{raw!r} is not an amount")
    try:
        d = Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise MoneyError(f"{raw!r} is not an amount") from exc
    if negative:
        d = -d
    return d.quantize(PENNY, rounding=ROUND_HALF_UP)


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
