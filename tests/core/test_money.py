from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholeplace.money import (
    MoneyError,
    apportion,
    fmt_billions,
    fmt_millions,
    parse_amount,
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
