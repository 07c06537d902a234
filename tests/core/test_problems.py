from __future__ import annotations

import pytest

from wholeplace.errors import InputError, Problem, Problems


def test_empty_collector_raises_nothing() -> None:
    p = Problems("partners.csv")
    assert len(p) == 0
    assert not p
    assert list(p) == []
    p.raise_if_any()  # nothing to raise


def test_add_records_file_row_column_value_message_fix() -> None:
    p = Problems("partners.csv")
    got = p.add(3, "type", "cuncil", "unknown partner type", "use one of: county council")
    assert got == Problem(
        "partners.csv", 3, "type", "cuncil", "unknown partner type", "use one of: county council"
    )
    assert list(p) == [got]
    assert len(p) == 1
    assert p


def test_values_are_shown_as_text_and_none_stays_none() -> None:
    p = Problems("f.csv")
    p.add(2, "population", 12, "too small", "check it")
    p.add(None, None, None, "no rows", "add one per row")
    assert [x.value for x in p] == ["12", None]


def test_sheet_defaults_to_the_collectors_and_can_be_overridden() -> None:
    p = Problems("book.xlsx", sheet="Partners")
    a = p.add(5, "id", "", "missing partner id", "fill it in")
    b = p.add(1, None, None, "no header", "add one", sheet="Areas")
    assert (a.sheet, b.sheet) == ("Partners", "Areas")
    assert str(a) == (
        "book.xlsx, sheet 'Partners', row 5, column 'id': missing partner id (found ''). "
        "Fix: fill it in"
    )


def test_extend_keeps_problems_from_elsewhere_as_they_are() -> None:
    other = Problem("other.csv", 9, "x", "1", "bad", "fix it", sheet="S")
    p = Problems("mine.csv")
    p.add(1, "a", "b", "c", "d")
    p.extend([other])
    p.extend(iter([]))
    assert list(p)[1] is other
    assert len(p) == 2


def test_raise_if_any_raises_every_problem_in_order() -> None:
    p = Problems("areas.csv")
    p.add(2, "code", "", "missing", "fill it in")
    p.add(4, "code", "E01", "duplicate area", "keep one row per area")
    with pytest.raises(InputError) as e:
        p.raise_if_any()
    assert [(x.row, x.message) for x in e.value.problems] == [
        (2, "missing"),
        (4, "duplicate area"),
    ]
    assert e.value.summary == "2 problems found; nothing was written"


def test_raise_if_any_with_a_summary() -> None:
    p = Problems("a.csv")
    p.add(None, None, None, "empty", "add rows")
    with pytest.raises(InputError) as e:
        p.raise_if_any("a.csv cannot be read")
    assert e.value.summary == "a.csv cannot be read"
    assert str(e.value).splitlines()[0] == "a.csv cannot be read"


def test_the_raised_list_is_a_copy() -> None:
    p = Problems("a.csv")
    p.add(1, None, None, "m", "f")
    with pytest.raises(InputError) as e:
        p.raise_if_any()
    p.add(2, None, None, "later", "f")
    assert len(e.value.problems) == 1


def test_error_is_the_input_error_to_raise() -> None:
    p = Problems("a.xlsx", sheet="S")
    p.add(None, None, "pdf", "unsupported file type", "save it as .xlsx")
    err = p.error()
    assert isinstance(err, InputError)
    assert err.problems == [
        Problem("a.xlsx", None, None, "pdf", "unsupported file type", "save it as .xlsx", "S")
    ]
    assert err.summary == "1 problem found; nothing was written"
    with pytest.raises(ValueError):
        Problems("empty.csv").error()
