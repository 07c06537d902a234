"""Gross and net: each step by hand, and net never above gross (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

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
