"""The SROI ratio by hand, the sensitivity table, and Unit Cost Database proxies."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction as F

import pytest

from wholeplace.cba import service as cba_service
from wholeplace.errors import WholeplaceError
from wholeplace.outcome_values import unit_cost_proxies
from wholeplace.outcomes import Factor, Sroi, ValueLine, calculate
from wholeplace.outcomes.model import Proxy


def line(qty: str, amount: str, duration: int, drop: str = "0", **shares: str) -> ValueLine:
    factors = {k: Factor(Decimal(v), "s") for k, v in shares.items()}
    return ValueLine(
        "o", "who", Decimal(qty), Proxy(Decimal(amount), "src"), duration, Decimal(drop), factors
    )


def sroi(*lines: ValueLine, rate: str = "0.035", investment: str = "1000") -> Sroi:
    return Sroi("t", Decimal(investment), "2024/25", Decimal(rate), "Green Book", lines)


def test_one_outcome_over_three_years_by_hand() -> None:
    r = calculate(sroi(line("10", "100", 3, drop="0.5", deadweight="0.2"), rate="0.1"))
    # year 1: 10 x 100 x 0.8 = 800; year 2: 400; year 3: 200
    # PV = 800/1.1 + 400/1.21 + 200/1.331 = (800 x 1.21 + 400 x 1.1 + 200) / 1.331
    #    = (968 + 440 + 200) / 1.331 = 1608 / 1.331
    [v] = r.lines
    assert v.by_year == (800, 400, 200)
    assert r.total == F(1608) / F("1.331")
    assert r.ratio == F(1608) / F("1.331") / 1000
    assert r.to_json()["present_value"] == Decimal("1208.11")  # 1208.114...
    assert r.ratio_shown == Decimal("1.21")
    assert r.sentence == "£1.21 of social value for every £1 invested"


def test_no_discount_and_no_drop_off_is_plain_arithmetic() -> None:
    r = calculate(sroi(line("4", "250", 2, attribution="0.5"), rate="0"))
    assert r.total == 1000  # 4 x 250 x 0.5 = 500 a year, two years
    assert r.ratio == 1


def test_sensitivity_moves_each_assumption_against_the_result() -> None:
    r = calculate(sroi(line("10", "100", 1, deadweight="0.2"), rate="0", investment="100"))
    got = dict(r.sensitivity)
    # base: 10 x 100 x 0.8 = 800 -> 8; deadweight 0.3 -> 700 -> 7; attribution 0.1 -> 720 -> 7.2
    assert r.ratio == 8
    assert got["deadweight up 10 percentage points on every outcome"] == 7
    assert got["attribution up 10 percentage points on every outcome"] == F(72, 10)
    assert got["displacement up 10 percentage points on every outcome"] == F(72, 10)
    assert got["drop-off up 10 percentage points on every outcome"] == 8  # one year only
    assert got["every financial proxy 20% lower"] == F(64, 10)  # 10 x 80 x 0.8 = 640


def test_a_unit_cost_proxy_is_the_cba_services_uprated_value() -> None:
    # The expected value is cba's own uprating (checked against HM Treasury's series in
    # tests/cba); here: the proxy is that figure, and its source says where it came from.
    lookup = unit_cost_proxies(None)
    amount, source = lookup("HE4.0", "fiscal", "2024/25")
    [expected] = cba_service.uprate("HE4.0", "2024/25").values
    assert amount == expected.uprated == Decimal("152.68")
    assert "HE4.0" in source and "£109 in 2011/12 prices" in source
    with pytest.raises(WholeplaceError, match="has no social value"):
        lookup("HE4.0", "social", "2024/25")


def test_a_unit_cost_proxy_without_the_database_is_refused_plainly() -> None:
    s = Sroi(
        "t",
        Decimal(1),
        "2024/25",
        Decimal(0),
        "s",
        (ValueLine("o", "w", Decimal(1), Proxy(None, None, "HE4.0"), 1, Decimal(0), {}),),
    )
    from wholeplace.outcomes.model import Framework
    from wholeplace.outcomes.service import sroi as service_sroi

    with pytest.raises(WholeplaceError, match="HE4.0"):
        service_sroi(Framework((), (), (), (), s), None)
