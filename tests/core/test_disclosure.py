"""Disclosure control (wholeplace.disclosure): tables worked by hand, and the property that
no suppressed count can be recovered by subtraction from a shown total."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from wholeplace.disclosure import (
    SUPPRESSED,
    cell,
    mean_discloses,
    median_discloses,
    protect,
)

T, F = True, False


def test_primary_only_counts_under_five_zero_included() -> None:
    assert [cell(v) for v in (0, 4, 5, Decimal("4.5"), None)] == [
        SUPPRESSED,
        SUPPRESSED,
        5,
        SUPPRESSED,
        None,
    ]


def test_a_row_with_one_small_count_loses_its_next_smallest_too() -> None:
    # 3 + 12 + 8 = 23 shown: 23 - 12 - 8 = 3 would give the 3 away, so the 8 (the next
    # smallest) goes too; then 23 - 12 = 11 is only the sum of two unknowns
    p = protect([[3, 12, 8]])
    assert p.hidden == ((T, F, T),)
    assert p.row_totals_hidden == (F,)
    assert [p.show(0, c, v) for c, v in enumerate([3, 12, 8])] == [SUPPRESSED, 12, "c"]


def test_two_small_counts_need_nothing_more() -> None:
    # 3 + 2 + 12 = 17: 17 - 12 = 5 is the sum of the two, neither alone
    assert protect([[3, 2, 12]]).hidden == ((T, T, F),)


def test_nothing_small_nothing_hidden() -> None:
    assert protect([[12, 8, 20]]).hidden == ((F, F, F),)


def test_a_row_of_one_small_count_hides_its_total() -> None:
    p = protect([[3], [7]])
    assert p.hidden == ((T,), (F,))
    assert p.row_totals_hidden == (T, F)


def test_rows_and_columns_with_totals_are_protected_together() -> None:
    #        a   b   c  | total
    # r0     3  10  20  |  33
    # r1    10  10  20  |  40
    # ------------------+
    # total 13  20  40
    # the 3 (primary); row 0 then needs its next smallest, b0 = 10; column a then has one
    # suppressed cell beside 13, so a1 = 10 goes; column b likewise, so b1 = 10 goes. Every
    # line with a suppressed cell now has two: each row's and column's total less its
    # shown cells is the sum of two unknowns.
    p = protect([[3, 10, 20], [10, 10, 20]], row_totals=True, column_totals=True)
    assert p.hidden == ((T, T, F), (T, T, F))
    assert p.row_totals_hidden == (F, F)
    assert p.column_totals_hidden == (F, F, F)


def test_missing_figures_take_no_part() -> None:
    # the None is no figure: the row's total is 3 + 9, and 9 must go with the 3
    assert protect([[3, None, 9]]).hidden == ((T, F, T),)


def test_the_two_area_median_gives_a_count_away() -> None:
    # two areas, 3 and 12: the median 7.5 beside the 12 gives 2 x 7.5 - 12 = 3
    assert median_discloses([3, 12])
    # 12 and 20: a median of 16 gives away nothing not shown already
    assert not median_discloses([12, 20])
    # three areas 2, 3, 12: the median is the 3 itself
    assert median_discloses([2, 3, 12])
    # three areas 2, 6, 12: the median 6 is a shown count; the 2 stays hidden
    assert not median_discloses([2, 6, 12])
    # ten areas whose middle counts are 4 and 6: a median of 5 gives away the 4
    assert median_discloses([1, 2, 3, 3, 4, 6, 7, 8, 9, 10])


def test_a_mean_over_a_suppressed_count_is_withheld() -> None:
    assert mean_discloses([3, 12])
    assert not mean_discloses([5, 12])


def _recoverable(values: list[int], hidden: tuple[bool, ...], total_hidden: bool) -> bool:
    """Whether one suppressed value of this line follows by subtraction from its total."""
    return not total_hidden and sum(hidden) == 1


rows = st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=6), min_size=1, max_size=6)


@given(rows)
def test_no_suppressed_count_is_recoverable_from_a_row_total(table: list[list[int]]) -> None:
    p = protect(table)
    for r, row in enumerate(table):
        hidden = p.hidden[r][: len(row)]
        assert all(h for v, h in zip(row, hidden, strict=True) if v < 5)
        assert not _recoverable(row, hidden, p.row_totals_hidden[r])


@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_nor_from_row_and_column_totals(n_rows: int, n_cols: int, data: st.DataObject) -> None:
    table = data.draw(
        st.lists(
            st.lists(st.integers(0, 30), min_size=n_cols, max_size=n_cols),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
    p = protect(table, row_totals=True, column_totals=True)
    for r, row in enumerate(table):
        assert not _recoverable(row, p.hidden[r], p.row_totals_hidden[r])
    for c in range(n_cols):
        column = [row[c] for row in table]
        mask = tuple(p.hidden[r][c] for r in range(n_rows))
        assert all(h for v, h in zip(column, mask, strict=True) if v < 5)
        assert not _recoverable(column, mask, p.column_totals_hidden[c])
