"""What every sharing calculator needs: reading YAML with plain-English errors, exact
numbers from text, and writing output files atomically."""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import yaml

from wholeplace.errors import InputError, Problem
from wholeplace.money import MoneyError, to_money

PERCENT_HELP = "write a percentage from 0 to 100, such as 40 or 40%"


class Issues:
    """Collects every problem in one input before giving up, so people fix a file once."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(
        self,
        where: str | None,
        value: object,
        message: str,
        fix: str,
        row: int | None = None,
    ) -> None:
        self.problems.append(
            Problem(
                self.file,
                row,
                where,
                None if value is None else str(value)[:200],
                message,
                fix,
            )
        )

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(list(self.problems))

    def money(
        self, where: str, value: object, *, allow_negative: bool = False, row: int | None = None
    ) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(
                where, value, "an amount of money is missing", "write an amount such as 12500", row
            )
            return None
        try:
            d = to_money(value)
        except MoneyError:
            self.add(
                where,
                value,
                "this is not an amount of money",
                "write an amount such as 12500 or £12,500.00",
                row,
            )
            return None
        if d < 0 and not allow_negative:
            self.add(
                where, value, "the amount is negative", "write the amount as a positive number", row
            )
            return None
        return d

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
    if not path.exists():
        raise InputError([Problem(str(path), None, None, None, "file not found", "check the path")])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(
            [
                Problem(
                    path.name,
                    line,
                    None,
                    None,
                    f"this is not valid YAML ({getattr(exc, 'problem', exc)})",
                    "check the indentation and the colons on that line",
                )
            ]
        ) from exc
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


def round_to_total(values: Sequence[Fraction], total: Decimal) -> list[Decimal]:
    """Round exact (possibly negative) amounts to pennies that sum to ``total`` exactly.

    Largest-remainder on signed values: floor every value to the penny, then hand the
    missing pennies to the largest remainders (ties to the earliest)."""
    pennies = [v * 100 for v in values]
    floors = [int(p.__floor__()) for p in pennies]
    target = int((total * 100).to_integral_value())
    left = target - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(pennies[i] - floors[i]), i))
    if left >= 0:
        for k in range(left):
            floors[order[k % len(order)]] += 1
    else:
        for k in range(-left):
            floors[order[::-1][k % len(order)]] -= 1
    return [Decimal(p) / 100 for p in floors]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        # mkstemp makes the file private; a report is meant to be shared like any other file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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
