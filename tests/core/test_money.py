from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholeplace.money import (
    MoneyError,
    apportion,
    fmt_billions,
    fmt_millions,
    parse_amount,
    round_half_up,
    to_money,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.56", "1234.56"),
        ("£1,234.56", "1234.56"),
        ("(1,234.50)", "-1234.50"),
        ("-£12", "-12.00"),
        ("£-12", "-12.00"),
        ("1,000 CR", "-1000.00"),
        (" 7 ", "7.00"),
        ("0.005", "0.01"),  # half-up, not banker's rounding
        ("2.675", "2.68"),
    ],
)
def test_parse_amount(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "12..3", "1-2", "£", "nan", "1e400x"])
def test_parse_amount_rejects(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_amount(text)


def test_to_money_float_uses_shortest_repr() -> None:
    assert to_money(0.1) == Decimal("0.10")
    assert to_money(2.675) == Decimal("2.68")  # the float is 2.67499999..., its repr is 2.675
    with pytest.raises(MoneyError):
        to_money(float("nan"))


def test_apportion_known_split() -> None:
    assert apportion(Decimal("100.00"), [1, 1, 1]) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert apportion(Decimal("-0.05"), [1, 1]) == [Decimal("-0.03"), Decimal("-0.02")]


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=20).filter(
        lambda ws: sum(ws) > 0
    ),
)
def test_apportion_conserves_every_penny(amount: Decimal, weights: list[int]) -> None:
    shares = apportion(amount, weights)
    assert sum(shares, Decimal(0)) == amount
    total = sum(weights)
    for s, w in zip(shares, weights, strict=True):
        exact = amount * w / total
        assert abs(s - exact) < Decimal("0.01")


def test_fmt_billions_and_millions() -> None:
    assert fmt_billions(Decimal("7249999999.99")) == "£7.2bn"
    assert fmt_millions(Decimal("-4750000")) == "-£4.8m"
    assert fmt_millions(Decimal("1234567.89"), 2) == "£1.23m"


def test_apportion_gives_spare_pennies_by_largest_remainder_not_largest_share() -> None:
    # 10p split 64:36 is 6.4p and 3.6p: floors 6p and 3p leave 1p, which goes to the
    # larger remainder (.6, the SMALLER share). Largest-share would give 7p / 3p.
    assert apportion(Decimal("0.10"), [64, 36]) == [Decimal("0.06"), Decimal("0.04")]
    # The same with the shares the other way round: the spare penny follows the .6.
    assert apportion(Decimal("0.10"), [36, 64]) == [Decimal("0.04"), Decimal("0.06")]
    # 1.00 split 0.1:0.2:0.7 is exact (10p, 20p, 70p): no spare penny.
    assert apportion(Decimal("1.00"), ["0.1", "0.2", "0.7"]) == [
        Decimal("0.10"),
        Decimal("0.20"),
        Decimal("0.70"),
    ]
    # 5p split 1:1:1:1 is 1.25p each: floors 1p leave 1p, equal remainders, to the first.
    assert apportion(Decimal("0.05"), [1, 1, 1, 1]) == [
        Decimal("0.02"),
        Decimal("0.01"),
        Decimal("0.01"),
        Decimal("0.01"),
    ]


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("0.125", 2, "0.13"),  # half-up; round() and bare quantize give 0.12
        ("0.135", 2, "0.14"),
        ("-0.125", 2, "-0.13"),  # halves away from zero, as to_money
        (Decimal("0.4444"), 3, "0.444"),
        (Decimal("2.5"), 0, "3"),
        (2.675, 2, "2.68"),  # the float's shortest repr is 2.675
        (7, 2, "7.00"),
        ("1234.5", -1, "1.23E+3"),
        # Fractions are rounded exactly, with no decimal division first
        (Fraction(1, 3), 1, "0.3"),
        (Fraction(125, 2), 0, "63"),  # 62.5: half-up
        (Fraction(-125, 2), 0, "-63"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(2, 3) * 100, 1, "66.7"),
        (Fraction(0), 1, "0.0"),
        (Fraction(12345, 10), -1, "1.23E+3"),
    ],
)
def test_round_half_up(value: object, places: int, expected: str) -> None:
    got = round_half_up(value, places)  # type: ignore[arg-type]
    assert got == Decimal(expected)
    assert str(got) == expected


@pytest.mark.parametrize("value", ["abc", float("nan"), "inf", True])
def test_round_half_up_rejects_non_numbers(value: object) -> None:
    with pytest.raises(MoneyError):
        round_half_up(value, 2)  # type: ignore[arg-type]
