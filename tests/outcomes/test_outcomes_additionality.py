"""Gross and net: each step by hand, and net never above gross (hypothesis)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholeplace.outcomes import Claim, Factor, gross_and_net, net_of
from wholeplace.outcomes.model import FACTORS


def claim(gross: str, reference: str | None = None, **shares: str) -> Claim:
    factors = {k: Factor(Decimal(v), f"source of {k}") for k, v in shares.items()}
    ref = None if reference is None else Decimal(reference)
    return Claim("c", "a claim", Decimal(gross), "people", factors, None, ref, "comparison")


def test_greater_manchester_73_gross_is_35_net_of_a_38_point_reference_case() -> None:
    g = gross_and_net(claim("73", reference="38"))
    assert (g.gross, g.net) == (73, 35)  # 73 - 38
    assert g.net_share_of_gross == Fraction(35, 73)
    [step] = g.steps
    assert (step.factor, step.share, step.taken, step.left) == ("deadweight", None, 38, 35)
    assert step.source == "comparison"


def test_every_factor_in_the_guides_order_by_hand() -> None:
    g = gross_and_net(
        claim("120", leakage="0.1", displacement="0.25", deadweight="0.2", attribution="0.15")
    )
    # 120 x 0.9 = 108; x 0.75 = 81; x 0.8 = 64.8; x 0.85 = 55.08
    assert [(s.factor, s.taken, s.left) for s in g.steps] == [
        ("leakage", 12, 108),
        ("displacement", 27, 81),
        ("deadweight", Fraction(162, 10), Fraction(648, 10)),
        ("attribution", Fraction(972, 100), Fraction(5508, 100)),
    ]
    assert g.to_json()["net"] == Decimal("55.08")


def test_substitution_is_applied_before_deadweight() -> None:
    # 100 x (1 - 0.5) = 50, then deadweight 0.5 of the 50 = 25 left
    g = gross_and_net(claim("100", substitution="0.5", deadweight="0.5"))
    assert [s.factor for s in g.steps] == ["substitution", "deadweight"]
    assert g.net == 25


def test_a_third_is_kept_exact_and_shown_to_six_places() -> None:
    g = gross_and_net(claim("1", deadweight="0.333333"))
    assert g.net == Fraction(666667, 1000000)
    g = gross_and_net(claim("10", reference="3"))
    assert g.to_json()["net_share_of_gross"] == Decimal("0.7")


SHARE = st.fractions(min_value=0, max_value=1, max_denominator=1000)


@given(
    gross=st.fractions(min_value=0, max_value=10**9, max_denominator=100),
    shares=st.fixed_dictionaries({k: SHARE for k in FACTORS}),
)
def test_net_is_between_zero_and_gross_for_shares_from_0_to_1(
    gross: Fraction, shares: dict[str, Fraction]
) -> None:
    factors = {
        k: Factor(Decimal(v.numerator) / Decimal(v.denominator), "s") for k, v in shares.items()
    }
    net, steps = net_of(gross, factors)
    assert 0 <= net <= gross
    assert sum((s.taken for s in steps), Fraction(0)) == gross - net  # nothing lost or made


def test_the_json_of_a_claim_and_its_steps_by_hand() -> None:
    # 90 gross; leakage 1/3 (0.333...3 to 28 digits) of 90 = 30 less 3E-26, 60 left; a
    # reference case of 15: 45 left; attribution 0.2 of 45 = 9, 36 net; 36 / 90 = 0.4.
    # Shown to six places, the 3E-26 goes: 30, 60, 45, 9, 36, and the share 0.333333.
    c = Claim(
        "jobs",
        "jobs created",
        Decimal(90),
        "jobs",
        {
            "leakage": Factor(Decimal(1) / Decimal(3), "survey"),
            "attribution": Factor(Decimal("0.2"), "partners"),
        },
        "ind-1",
        Decimal(15),
        "comparison area",
    )
    j = gross_and_net(c).to_json()
    assert j == {
        "id": "jobs",
        "description": "jobs created",
        "unit": "jobs",
        "indicator": "ind-1",
        "gross": Decimal(90),
        "net": Decimal(36),
        "net_share_of_gross": Decimal("0.4"),
        "steps": [
            {
                "factor": "leakage",
                "share": Decimal("0.333333"),
                "taken": Decimal(30),
                "left": Decimal(60),
                "source": "survey",
            },
            {
                "factor": "deadweight",
                "share": None,
                "taken": Decimal(15),
                "left": Decimal(45),
                "source": "comparison area",
            },
            {
                "factor": "attribution",
                "share": Decimal("0.2"),
                "taken": Decimal(9),
                "left": Decimal(36),
                "source": "partners",
            },
        ],
    }


def test_factors_after_a_reference_case_are_still_applied() -> None:
    # 50 - 10 = 40; attribution 0.25 of 40 = 10: 30 net
    net, steps = net_of(Fraction(50), {"attribution": Factor(Decimal("0.25"), "s")}, Fraction(10))
    assert net == 30
    assert [(s.factor, s.taken, s.left) for s in steps] == [
        ("deadweight", 10, 40),
        ("attribution", 10, 30),
    ]
    assert steps[0].source == ""  # a reference case given without its source


def test_a_reference_case_without_a_source_shows_an_empty_source() -> None:
    c = Claim("c", "d", Decimal(5), "u", {}, None, Decimal(2), None)
    [step] = gross_and_net(c).steps
    assert (step.source, step.left) == ("", 3)


def test_net_share_of_a_gross_of_one_and_of_nothing() -> None:
    g = gross_and_net(claim("1", deadweight="0.25"))
    assert g.net_share_of_gross == Fraction(3, 4)  # 0.75 of 1
    g = gross_and_net(claim("0", deadweight="0.25"))
    assert g.net_share_of_gross is None and g.to_json()["net_share_of_gross"] is None


def test_a_figure_is_fixed_once_worked_out() -> None:
    g = gross_and_net(claim("10", deadweight="0.5"))
    with pytest.raises(FrozenInstanceError):
        g.net = Fraction(10)  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        g.steps[0].left = Fraction(10)  # type: ignore[misc]
