import pytest

from wholeplace.years import YearError, parse_year, previous


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024/25", "2024/25"),
        ("2024-25", "2024/25"),
        ("2024/2025", "2024/25"),
        ("202425", "2024/25"),
        ("FY2024/25", "2024/25"),
        ("1999/00", "1999/00"),
    ],
)
def test_parse_year(text: str, expected: str) -> None:
    assert parse_year(text) == expected


@pytest.mark.parametrize("text", ["2024", "2024/26", "24/25", "twenty", "2024/23"])
def test_parse_year_rejects(text: str) -> None:
    with pytest.raises(YearError):
        parse_year(text)


def test_previous() -> None:
    assert previous("2000/01") == "1999/00"
