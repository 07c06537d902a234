"""Disclosure control: which counts of people a published table may show.

Every published figure that counts people follows two rules, as the Office for National
Statistics and the Government Statistical Service publish small-area counts:

- **primary suppression**: a count under :data:`SUPPRESS_UNDER` (5) is shown as ``<5``,
  0 included (a true zero beside suppressed small counts would narrow them down);
- **secondary suppression**: where a line of a table (a row or a column) is shown with its
  total, one suppressed cell could be recovered by subtracting the others from the total.
  So a line holding exactly one suppressed cell beside a shown total has its next smallest
  cell suppressed too, shown as ``c`` (confidential: it is no count under 5); a line of
  one cell has its total suppressed instead. Suppressing a cell of a row can leave a
  column with one suppressed cell, so the rule is applied again until no line needs it.

And for a summary of counts beside an area's own figure (:func:`median_discloses`,
:func:`mean_discloses`): the place's median or the similar areas' mean is withheld when it
is computed from a suppressed count, because the reader who sees the other figures can
work that count out (two areas: a median of 7.5 beside 12 gives away 3).

The module is pure: no place, no I/O. The pages, the releases and the reports call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

SUPPRESS_UNDER = 5
SUPPRESSED = f"<{SUPPRESS_UNDER}"
# a cell suppressed only to protect another (secondary suppression) is no count under 5:
# it is marked "c" (confidential), as Explore Education Statistics marks it, not "<5"
SECONDARY = "c"

Count = int | Decimal


def small(value: Count | None) -> bool:
    """A count the primary rule suppresses: under 5 (0 included)."""
    return value is not None and value < SUPPRESS_UNDER


def cell(value: Count | None) -> Count | str | None:
    """A count as published on its own: under 5 is ``<5``."""
    return SUPPRESSED if small(value) else value


@dataclass(frozen=True)
class Protected:
    """Which cells of a table, and which of its totals, are suppressed."""

    hidden: tuple[tuple[bool, ...], ...]  # [row][column]
    row_totals_hidden: tuple[bool, ...]  # one per row (all False when no row totals)
    column_totals_hidden: tuple[bool, ...]  # one per column (all False when none)

    def show(self, r: int, c: int, value: Count | None) -> Count | str | None:
        """The cell as published: ``<5``, ``c`` (suppressed to protect another) or itself."""
        return marker(value) if self.hidden[r][c] else value


def marker(value: Count | None) -> str:
    """What a suppressed cell shows: ``<5`` for a small count, ``c`` for one suppressed to
    protect another."""
    return SUPPRESSED if small(value) or value is None else SECONDARY


def _secondary(
    values: Sequence[Count | None], hidden: list[bool], total_hidden: bool
) -> tuple[int | None, bool]:
    """The cell to suppress next in one line shown with its total (or None), and whether
    the total itself must go (a line whose only cell is suppressed)."""
    present = [i for i, v in enumerate(values) if v is not None]
    if total_hidden or sum(1 for i in present if hidden[i]) != 1:
        return None, False
    rest = [i for i in present if not hidden[i]]
    if not rest:
        return None, True
    # the next smallest: the least information lost; ties by position, so it is repeatable
    return min(rest, key=lambda i: (values[i], i)), False


def protect(
    cells: Sequence[Sequence[Count | None]],
    *,
    row_totals: bool = True,
    column_totals: bool = False,
) -> Protected:
    """Primary and secondary suppression of a table of counts (``None``: no figure, which
    takes no part). ``row_totals``: each row is shown with its total (the sum of its
    cells); ``column_totals``: each column is. A total under 5 is suppressed too."""
    n_rows = len(cells)
    n_cols = max((len(r) for r in cells), default=0)
    grid = [[r[c] if c < len(r) else None for c in range(n_cols)] for r in cells]
    hidden = [[small(v) for v in row] for row in grid]

    def total(values: Sequence[Count | None]) -> Count:
        return sum((v for v in values if v is not None), Decimal(0))

    row_hidden = [row_totals and small(total(row)) for row in grid]
    col_hidden = [column_totals and small(total([row[c] for row in grid])) for c in range(n_cols)]
    changed = True
    while changed:
        changed = False
        if row_totals:
            for r in range(n_rows):
                pick, drop_total = _secondary(grid[r], hidden[r], row_hidden[r])
                if pick is not None:
                    hidden[r][pick] = changed = True
                elif drop_total:
                    row_hidden[r] = changed = True
        if column_totals:
            for c in range(n_cols):
                column = [row[c] for row in grid]
                mask = [hidden[r][c] for r in range(n_rows)]
                pick, drop_total = _secondary(column, mask, col_hidden[c])
                if pick is not None:
                    hidden[pick][c] = changed = True
                elif drop_total:
                    col_hidden[c] = changed = True
    return Protected(
        tuple(tuple(row) for row in hidden),
        tuple(row_hidden) if row_totals else tuple(False for _ in range(n_rows)),
        tuple(col_hidden) if column_totals else tuple(False for _ in range(n_cols)),
    )


def median_discloses(values: Sequence[Count], withheld: Sequence[Count] = ()) -> bool:
    """Whether the median of these counts would give a suppressed one away: it is (odd
    number) or is the mean of (even number) the middle counts, and a middle count under 5
    is recovered from the median and the other, shown, middle count. A rule on the number
    of areas alone cannot catch this: ten areas whose 5th and 6th counts are 4 and 6 have
    a median of 5, which gives the 4 away. ``withheld``: counts of 5 or more suppressed
    too (secondary suppression, ``c``); a middle count among them is given away alike (3,
    10 and 20 people have the median 10, the ``c`` of the three)."""
    if not values:
        return False
    ordered = sorted(values)
    mid = len(ordered) // 2
    middle = ordered[mid : mid + 1] if len(ordered) % 2 else ordered[mid - 1 : mid + 1]
    return any(small(v) or v in withheld for v in middle)


def mean_discloses(values: Sequence[Count]) -> bool:
    """Whether the mean of these counts, beside the named areas it is taken over, would give
    a suppressed one away: with exactly one suppressed, it is the mean times their number
    less the others. With two or more only their sum is known, but a sum of two counts
    under 5 can still pin them (8 is 4 and 4), so any suppressed count withholds it."""
    return any(small(v) for v in values)
