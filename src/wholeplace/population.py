"""A number of people, as a file or the command line gives it: checked once, here.

Populations divide money into figures per head, so a wrong one changes every such figure: a
negative population gave a per-head spend of minus £604m, and 23 digits overflowed the
database. A population is a whole number from 1 to :data:`MAX_POPULATION`; a blank means
"not known" and leaves per-head figures out ("n/a"). Zero is refused rather than kept, as it
could only ever mean "not known". The limits are stated in docs/formats.md.
"""

from __future__ import annotations

import re

# More than the United Kingdom's 69 million (ONS mid-2023): no place or partner serves more.
MAX_POPULATION = 100_000_000

NOT_PEOPLE = "not a whole number of people"
FIX = "write the number of residents, e.g. 91000, or leave it blank if it is not known"
_NUMBER = re.compile(r"-?[0-9]+(\.0*)?")  # ASCII digits only; "91000.0" is how Excel saves it


class BadPopulation(ValueError):
    """A population that cannot be used: :attr:`message` and :attr:`fix` say why."""

    def __init__(self, message: str, fix: str = FIX) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def parse_population(text: str) -> int:
    """``"91,000"`` -> 91000; raises :class:`BadPopulation` for anything but a population.

    Thousands separators (commas, spaces) are allowed; exponents, fractions and other
    scripts' digits are not.
    """
    t = re.sub(r"[,\s\u00a0]", "", text)
    if not _NUMBER.fullmatch(t):
        raise BadPopulation(NOT_PEOPLE)
    return check_population(int(t.split(".")[0]))


def check_population(n: int) -> int:
    """``n`` if it is a usable population, else :class:`BadPopulation`."""
    if n < 0:
        raise BadPopulation(NOT_PEOPLE)
    if n == 0:
        raise BadPopulation(
            "a population of 0 cannot give a figure per head",
            "write the number of residents, or leave it blank if it is not known",
        )
    if n > MAX_POPULATION:
        raise BadPopulation(
            f"more than {MAX_POPULATION:,} people (the United Kingdom has about 69 million)",
            "check for stray digits: write the number of residents, e.g. 91000",
        )
    return n


def usable(n: int | None) -> int | None:
    """``n`` if it is a usable population, else None: what a place stored before these
    checks existed (a negative or zero population) gives no figure per head, never a
    negative or infinite one."""
    return n if n is not None and 0 < n <= MAX_POPULATION else None
