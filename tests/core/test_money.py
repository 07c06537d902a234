import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholeplace.money import (
    PENNY,
    ZERO,
    MoneyError,
    apportion,
    fmt_billions,
    fmt_gbp,
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


# -- Tests written from mutation testing (issue 17): each pins a figure a small bug changes.


def test_to_money_rounds_half_up_from_every_type() -> None:
    # 0.125 is exactly half a penny above 0.12: half-up gives 0.13, half-even would give 0.12.
    assert to_money(Decimal("0.125")) == Decimal("0.13")
    assert to_money(Decimal("-0.125")) == Decimal("-0.13")
    assert to_money(7) == Decimal("7.00")
    assert str(to_money(7)) == "7.00"  # two places, so it prints as money
    assert to_money("£1,234.565") == Decimal("1234.57")  # strings go through parse_amount
    assert str(ZERO) == "0.00"
    assert str(PENNY) == "0.01"


@pytest.mark.parametrize(
    "value", [float("inf"), float("-inf"), float("nan"), True, None, [1], Decimal("Infinity")]
)
def test_to_money_refuses_what_is_not_an_amount(value: object) -> None:
    with pytest.raises(MoneyError, match=r"is not an amount$"):
        to_money(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000CR", "-1000.00"),  # the CR with no space before it
        ("(1,234.56)", "-1234.56"),  # the last digit inside the bracket is kept
    ],
)
def test_parse_amount_credit_forms(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


def test_a_credit_marked_twice_is_refused_not_turned_positive() -> None:
    # issue 11: "(12)CR" once read as two negatives, +12.00; which was meant is unclear
    with pytest.raises(MoneyError, match=re.escape("'(12)CR': two signs of a credit")):
        parse_amount("(12)CR")


@pytest.mark.parametrize("text", ["(12", "12)", "abc"])
def test_parse_amount_rejects_with_the_text_in_the_message(text: str) -> None:
    with pytest.raises(MoneyError, match=re.escape(f"{text!r}: not an amount of money")):
        parse_amount(text)


def test_parse_amount_names_an_empty_cell() -> None:
    with pytest.raises(MoneyError, match="^'   ': missing amount$"):
        parse_amount("   ")


@pytest.mark.parametrize("value", ["abc", float("inf"), "NaN", True])
def test_round_half_up_names_the_value(value: object) -> None:
    with pytest.raises(MoneyError, match=re.escape(f"{value!r} is not a number")):
        round_half_up(value, 2)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([], "apportion needs at least one weight"),
        ([1, -1], "weights must not be negative"),
        ([0, 0], "weights must not all be zero"),
    ],
)
def test_apportion_refuses_bad_weights(weights: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        apportion(Decimal("1.00"), weights)


def test_apportion_of_nothing_has_no_negative_zeros() -> None:
    shares = apportion(Decimal("0.00"), [1, 1])
    assert shares == [Decimal(0), Decimal(0)]
    assert not any(s.is_signed() for s in shares)  # a -0 would print as -0.00


def test_fmt_gbp() -> None:
    assert fmt_gbp(Decimal("1234.5")) == "£1,234.50"  # pence by default
    assert fmt_gbp(Decimal("1234.4"), pence=False) == "£1,234"
    assert fmt_gbp(Decimal("1234.6"), pence=False) == "£1,235"
    assert fmt_gbp(Decimal("-1234.56")) == "-£1,234.56"
    assert fmt_gbp(Decimal("-0.01")) == "-£0.01"
    assert fmt_gbp(Decimal(0)) == "£0.00"


def test_fmt_millions_and_billions_at_zero_and_below_one() -> None:
    assert fmt_millions(Decimal(0)) == "£0.0m"
    assert fmt_millions(Decimal("450000")) == "£0.5m"  # 0.45 rounds half-up to 0.5
    assert fmt_millions(Decimal("-450000")) == "-£0.5m"
    assert fmt_billions(Decimal(0)) == "£0.0bn"
    assert fmt_billions(Decimal("650000000")) == "£0.7bn"  # 0.65 half-up
    assert fmt_billions(Decimal("-7250000000")) == "-£7.3bn"
    assert fmt_billions(Decimal("1234567890"), 2) == "£1.23bn"


def test_fmt_pct_rounds_once_half_up_as_the_reports_do() -> None:
    """0.1225 is 12.25 %: half-up gives 12.3 %, where Python's f"{x:.1%}" on a Decimal gives
    12.2 % (half-even); the HTML filter and the command line share fmt_pct."""
    from wholeplace.money import fmt_pct
    from wholeplace.reports.html import pct

    assert fmt_pct(Decimal("0.1225")) == pct(Decimal("0.1225")) == "12.3%"
    assert f"{Decimal('0.1225'):.1%}" == "12.2%"  # what the command line showed
    assert fmt_pct(Decimal("0.12345"), 2) == "12.35%"
    assert fmt_pct(0) == "0.0%"


def test_fmt_short_labels_money_axes() -> None:
    from wholeplace.money import fmt_short

    assert fmt_short(Decimal("500000")) == "£500k"
    assert fmt_short(Decimal("1250000")) == "£1.3m"  # 1.25 half-up
    assert fmt_short(Decimal("-3449999999")) == "-£3.4bn"
    assert fmt_short(Decimal("999999")) == "£1m"  # not £1,000k
    assert fmt_short(Decimal("12.5")) == "£13"


# -- Second pass (issue 17, after the amount grammar of issue 11): each pins what a survivor
# of tools/mutation.py would change.

# What a person reads for each reason an amount is refused (docs/formats.md, "Amounts"):
# the message after the value, and the fix, word for word.
SAID = {
    "missing": ("missing amount", "fill in the amount in pounds, e.g. 1,234.56"),
    "not_amount": (
        "not an amount of money",
        "write pounds, e.g. 1,234.56 or £1,234.56 (digits 0-9, commas only between thousands); "
        "a credit as -1,234.56, (1,234.56), 1,234.56- or 1,234.56 CR",
    ),
    "two_signs": (
        "two signs of a credit (a minus, brackets or CR): unclear whether it is a payment "
        "or a credit",
        "write one sign for a credit: -100, (100), 100- or 100 CR; none for a payment",
    ),
    "too_large": (
        "more than the largest amount, £999,999,999,999.99",
        "check the amount is in pounds, not pence, and that no digits ran together "
        "(see docs/formats.md)",
    ),
    "scientific": (
        "a number in scientific notation, such as 1.2E+3: a spreadsheet that saves a "
        "number so (1.23457E+11) has dropped digits",
        "write the amount out in full (in the spreadsheet, format the column as a number "
        "with 2 decimal places and save the file again)",
    ),
    "currency": (
        "a currency sign other than £",
        "amounts are in pounds: convert the amount to pounds and write it without $ or €",
    ),
    "digits": ("digits other than 0-9", "type the amount with the digits 0 to 9"),
}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "missing"),
        ("XX", "not_amount"),  # letters are not white space
        ("X12", "not_amount"),
        ("12 X", "not_amount"),
        ("(-100)", "two_signs"),
        ("1000000000000", "too_large"),
        ("1.2E+3", "scientific"),
        ("$12", "currency"),
        ("١٢", "digits"),
    ],
)
def test_each_refusal_says_why_and_how_to_fix_it(text: str, reason: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_amount(text)
    message, fix = SAID[reason]
    assert caught.value.reason == reason
    assert str(caught.value) == f"{text!r}: {message}"
    assert (caught.value.message, caught.value.fix) == (message, fix)


def test_the_largest_total_is_the_largest_figure_the_database_holds() -> None:
    # DECIMAL(18, 2): 16 digits before the point and 2 after, so 9,999,999,999,999,999.99 is
    # the largest; a penny more does not fit.
    import duckdb

    from wholeplace.money import MAX_TOTAL

    con = duckdb.connect()
    assert con.execute("SELECT CAST(? AS DECIMAL(18, 2))", [str(MAX_TOTAL)]).fetchone() == (
        Decimal("9999999999999999.99"),
    )
    with pytest.raises(duckdb.Error):
        con.execute("SELECT CAST(? AS DECIMAL(18, 2))", [str(MAX_TOTAL + PENNY)]).fetchone()


def test_to_money_of_more_digits_than_decimal_holds_is_too_large() -> None:
    # 10^30 to the penny needs 33 digits; Decimal's context holds 28.
    with pytest.raises(MoneyError) as caught:
        to_money(Decimal("1E+30"))
    assert caught.value.reason == "too_large"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 2), "1"),  # a half rounds up: 1, not -1 nor 0
        (Fraction(3, 4), "1"),
        (Fraction(-1, 2), "-1"),  # halves away from zero
        (Fraction(1, 3), "0"),
    ],
)
def test_round_half_up_of_a_fraction_below_one_keeps_its_sign(
    value: Fraction, expected: str
) -> None:
    assert round_half_up(value, 0) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("£1,234.565", "1234.565"),  # text: every digit kept
        (" (12) ", "-12"),
        (12.5, "12.5"),  # a float through its shortest repr
        (0.1, "0.1"),
        (7, "7"),
        (Decimal("-3.333"), "-3.333"),
        (Decimal("999999999999.99"), "999999999999.99"),  # the largest amount
        (Decimal("-999999999999.99"), "-999999999999.99"),
    ],
)
def test_input_amount_reads_every_form_exactly(value: object, expected: str) -> None:
    from wholeplace.money import input_amount

    got = input_amount(value)
    assert got == Decimal(expected)
    if not isinstance(value, str):  # a number is kept as it came, places and all
        assert str(got) == expected


@pytest.mark.parametrize(
    ("value", "reason", "said"),
    [
        (True, "not_amount", "True: not an amount of money"),  # a YAML yes, not a number
        (None, "not_amount", "None: not an amount of money"),
        ([1], "not_amount", "[1]: not an amount of money"),
        (float("inf"), "not_amount", "inf: not an amount of money"),
        (Decimal("NaN"), "not_amount", "Decimal('NaN'): not an amount of money"),
        ("1e3", "scientific", "'1e3': a number in scientific notation"),
        # rounds to £1,000,000,000,000.00, a penny past the largest
        (Decimal("999999999999.995"), "too_large", "Decimal('999999999999.995'): more than"),
        (Decimal("-1000000000000"), "too_large", "Decimal('-1000000000000'): more than"),
        # too many digits for Decimal to round to the penny: still named as it was written
        (1e30, "too_large", "1e+30: more than"),
        (10**40, "too_large", f"{10**40}: more than"),
    ],
)
def test_input_amount_refuses(value: object, reason: str, said: str) -> None:
    from wholeplace.money import input_amount

    with pytest.raises(MoneyError) as caught:
        input_amount(value)
    assert caught.value.reason == reason
    assert str(caught.value).startswith(said)
