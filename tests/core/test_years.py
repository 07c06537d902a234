from datetime import date

import pytest

from wholeplace.years import (
    YearError,
    containing,
    end_of,
    parse_year,
    previous,
    shift,
    start_of,
    year_label,
    year_slug,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024/25", "2024/25"),
        ("2024-25", "2024/25"),
        ("2024/2025", "2024/25"),
        ("202425", "2024/25"),
        ("FY2024/25", "2024/25"),
        ("1999/00", "1999/00"),
        # Issue 9: a bare start year is the financial year starting that April.
        ("2024", "2024/25"),
        (" 2024 ", "2024/25"),
        ("1999", "1999/00"),
        (2024, "2024/25"),
        ("fy 2024-2025", "2024/25"),
        ("2024 – 25", "2024/25"),
        ("2024_25", "2024/25"),
    ],
)
def test_parse_year(text: str, expected: str) -> None:
    assert parse_year(text) == expected


@pytest.mark.parametrize(
    "text", ["2024/26", "24/25", "twenty", "2024/23", "", "202", "20245", "1899", "2200", "FY"]
)
def test_parse_year_rejects(text: str) -> None:
    with pytest.raises(YearError):
        parse_year(text)


@pytest.mark.parametrize("value", [True, 1899, 2200, -2024])
def test_parse_year_rejects_ints_out_of_range_and_bools(value: int) -> None:
    with pytest.raises(YearError):
        parse_year(value)


def test_previous() -> None:
    assert previous("2000/01") == "1999/00"
    assert previous("2024") == "2023/24"


def test_year_label() -> None:
    assert year_label(2024) == "2024/25"
    assert year_label(1999) == "1999/00"
    assert year_label(2009) == "2009/10"
    with pytest.raises(YearError):
        year_label(1899)


def test_year_slug_is_for_file_names() -> None:
    assert year_slug("2024/25") == "2024-25"
    assert year_slug("FY2024/2025") == "2024-25"
    assert year_slug(2024) == "2024-25"
    assert year_slug("1999/00") == "1999-00"
    with pytest.raises(YearError):
        year_slug("2024/26")


def test_start_of_and_shift() -> None:
    assert start_of("2024-25") == 2024
    assert start_of(2024) == 2024
    assert shift("2024/25", 2) == "2026/27"
    assert shift("2024/25", -25) == "1999/00"


def test_containing_and_end_of() -> None:
    assert containing(date(2025, 3, 31)) == "2024/25"
    assert containing(date(2025, 4, 1)) == "2025/26"
    assert containing(date(2026, 1, 1)) == "2025/26"
    assert end_of("2024-25") == date(2025, 3, 31)
    assert end_of(2025) == date(2026, 3, 31)
