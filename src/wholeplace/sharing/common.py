"""What every sharing calculator needs: reading YAML with plain-English errors, exact
numbers from text, and penny-exact rounding of exact fractions."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from wholeplace.errors import InputError, Notice, Problem, Problems
from wholeplace.money import MoneyError, apportion, input_amount, to_money
from wholeplace.yaml_files import parse_yaml, read_yaml_file
from wholeplace.years import YearError, parse_year

PERCENT_HELP = "write a percentage from 0 to 100, such as 40 or 40%"
V = TypeVar("V")


def year_key(value: object) -> str:
    """A financial year, written in any form :func:`wholeplace.years.parse_year` accepts
    (``2024-25``, ``2024/2025``, ...), as its one label ``2024/25``. Any other period label
    (``year 1``, ``present value``) is kept as written."""
    try:
        return parse_year(str(value))
    except YearError:
        return str(value)


class Issues:
    """Collects every problem in one input before giving up, so people fix a file once.

    The sharing files name a place by its key path (``contributions.2024-25.lcc``) rather
    than a column, so this is :class:`wholeplace.errors.Problems` with the place first and
    long values cut to 200 characters, plus the checks of amounts, numbers and shares."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._problems = Problems(file)
        # amounts with more than 2 decimal places, rounded to the penny: (row, key path)
        self.rounded: list[tuple[int | None, str]] = []

    @property
    def problems(self) -> list[Problem]:
        return self._problems.problems

    def add(
        self,
        where: str | None,
        value: object,
        message: str,
        fix: str,
        row: int | None = None,
    ) -> None:
        self._problems.add(row, where, None if value is None else str(value)[:200], message, fix)

    def by_year(self, where: str, mapping: dict[Any, V]) -> dict[str, tuple[str, V]]:
        """``mapping`` keyed by year in any spelling, keyed instead by the year's label, each
        value with its key as written (to name it in a problem). A year given twice in two
        spellings is a problem."""
        out: dict[str, tuple[str, V]] = {}
        for k, v in mapping.items():
            label = year_key(k)
            if label in out:
                self.add(
                    f"{where}.{k}",
                    k,
                    f"{label} is given twice (as {out[label][0]} and {k})",
                    "give each year once",
                )
                continue
            out[label] = (str(k), v)
        return out

    def raise_if_any(self) -> None:
        self._problems.raise_if_any()

    def money(
        self, where: str, value: object, *, allow_negative: bool = False, row: int | None = None
    ) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(
                where, value, "an amount of money is missing", "write an amount such as 12500", row
            )
            return None
        try:
            exact = input_amount(value)
            d = to_money(exact)
        except MoneyError as exc:
            message = (
                "this is not an amount of money" if exc.reason == "not_amount" else exc.message
            )
            fix = "write an amount such as 12500 or £12,500.00"
            self.add(where, value, message, fix if exc.reason == "not_amount" else exc.fix, row)
            return None
        if d < 0 and not allow_negative:
            self.add(
                where, value, "the amount is negative", "write the amount as a positive number", row
            )
            return None
        if d != exact:
            self.rounded.append((row, where))
        return d

    def notices(self) -> list[Notice]:
        """The notice of amounts rounded to the penny, as the spend imports give it: by row
        for a table, by key path for a YAML file (the first ten of them)."""
        if not self.rounded:
            return []
        first = self.rounded[:10]
        rows = [r for r, _ in first if r is not None]
        if len(rows) == len(first):
            return [Notice.rounded(self.file, len(self.rounded), rows)]
        return [Notice.rounded(self.file, len(self.rounded), rows, at=[w for _, w in first])]

    def number(self, where: str, value: object, row: int | None = None) -> Decimal | None:
        try:
            if isinstance(value, bool) or value is None:
                raise InvalidOperation
            d = Decimal(str(value).strip().replace(",", ""))
            if not d.is_finite():
                raise InvalidOperation
            return d
        except (InvalidOperation, ValueError):
            self.add(where, value, "this is not a number", "write a number such as 3 or 2.5", row)
            return None

    def percent(self, where: str, value: object, row: int | None = None) -> Decimal | None:
        """A share written as ``40`` or ``40%`` -> Decimal fraction (0.4); ``0.5%`` -> 0.005."""
        text = str(value).strip() if value is not None else ""
        signed = text.endswith("%")
        if signed:
            text = text[:-1].strip()
        try:
            d = Decimal(text)
            if not d.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.add(where, value, "this is not a percentage", PERCENT_HELP, row)
            return None
        if d < 0 or d > 100:
            self.add(where, value, "a percentage must be between 0 and 100", PERCENT_HELP, row)
            return None
        if 0 < d < 1 and not signed:
            # 0.8 might mean 80 % or 0.8 %: a silent guess would move real money.
            self.add(
                where,
                value,
                "unclear whether this is a fraction or a percentage",
                "write percentages from 0 to 100 (80 or 80%); for less than 1% add the sign (0.5%)",
                row,
            )
            return None
        return d / 100


def load_yaml(path: Path | str) -> dict[str, Any]:
    """Read a YAML mapping, turning syntax errors into a message naming the line."""
    path = Path(path)
    # an old Excel workbook given where a pool's YAML (or .xlsx) is read
    xls = "save the workbook as Excel Workbook (.xlsx)" if path.suffix.lower() == ".xls" else None
    data = parse_yaml(read_yaml_file(path, not_utf8_fix=xls), path.name)
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    type(data).__name__,
                    "the file must be a YAML mapping of keys to values",
                    "start the file with keys such as 'name:' and 'partners:'; see docs/sharing.md",
                )
            ]
        )
    return data


def frac(d: Decimal | int | str) -> Fraction:
    return Fraction(Decimal(str(d)))


def integer_weights(weights: Sequence[Fraction]) -> list[int]:
    """Exact fractions as whole-number weights in the same proportions (over their common
    denominator), for :func:`wholeplace.money.apportion`, which takes Decimal weights."""
    den = math.lcm(*(w.denominator for w in weights)) if weights else 1
    return [int(w * den) for w in weights]


def round_to_total(values: Sequence[Fraction], total: Decimal) -> list[Decimal]:
    """Round exact (possibly negative) amounts to pennies that sum to ``total`` exactly.

    Every value is floored to the penny; the pennies still missing are then shared by
    :func:`wholeplace.money.apportion` in proportion to what each value lost to its floor,
    which hands them, one each, to the largest remainders (ties to the earliest) whenever
    the values add up to ``total``."""
    pennies = [v * 100 for v in values]
    floors = [math.floor(p) for p in pennies]
    left = int((total * 100).to_integral_value()) - sum(floors)
    if left == 0:
        return [Decimal(f) / 100 for f in floors]
    lost = [p - f for p, f in zip(pennies, floors, strict=True)]
    weights = integer_weights(lost) if any(lost) else [1] * len(values)
    extra = apportion(Decimal(left) / 100, weights)
    return [Decimal(f) / 100 + e for f, e in zip(floors, extra, strict=True)]


F = TypeVar("F", bound=Callable[..., Any])


def shape_guard(example: str) -> Callable[[F], F]:
    """Turn a structural surprise in a hand-written file (a list where a mapping belongs,
    a word where a number belongs) into a plain-English InputError instead of a traceback.

    The parser's own checks give precise messages; this is the net under them."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(raw: Any, file: str | None = None, *args: Any, **kw: Any) -> Any:
            name = file or example
            try:
                return fn(raw, name, *args, **kw)
            except InputError:
                raise
            except (
                TypeError,
                AttributeError,
                ValueError,
                KeyError,
                IndexError,
                ArithmeticError,
            ) as exc:
                raise InputError(
                    [
                        Problem(
                            name,
                            None,
                            None,
                            None,
                            f"the file is not laid out as expected ({type(exc).__name__}: {exc})",
                            f"compare it with {example} in src/wholeplace/data/sharing and "
                            "docs/sharing.md",
                        )
                    ]
                ) from exc

        return inner  # type: ignore[return-value]

    return wrap
