"""Risk-share rules: each rule, tiers, caps, and the penny-exact invariant."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wholeplace.errors import InputError
from wholeplace.money import apportion
from wholeplace.sharing.common import Issues, round_to_total
from wholeplace.sharing.rules import RiskRule, Split, Tier, parse_rule, simple_rule, split_variance

P = ["a", "b", "c"]
CONTRIB = {"a": Decimal(600), "b": Decimal(300), "c": Decimal(100)}
D = Decimal


def split(amount: str, rule: RiskRule, contrib=CONTRIB, cash=None) -> dict[str, Decimal]:
    return split_variance(D(amount), rule, P, "a", contrib, cash).shares


def test_proportional_to_contributions():
    assert split("1000", simple_rule("proportional")) == {"a": D(600), "b": D(300), "c": D(100)}


def test_proportional_cash_ignores_in_kind():
    cash = {"a": D(100), "b": D(300), "c": D(100)}
    got = split("1000", simple_rule("proportional_cash"), cash=cash)
    assert got == {"a": D(200), "b": D(600), "c": D(200)}


def test_equal_gives_odd_penny_to_first():
    assert split("100", simple_rule("equal")) == {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}


def test_fixed_shares():
    rule = simple_rule("fixed", {"a": D("0.5"), "b": D("0.25"), "c": D("0.25")})
    assert split("80", rule) == {"a": D(40), "b": D(20), "c": D(20)}


def test_host_absorbs_first_then_shares():
    rule = RiskRule((Tier(D(100), Split("host")), Tier(None, Split("equal"))))
    # First 100 to the host (a), remaining 300 equally.
    assert split("400", rule) == {"a": D(200), "b": D(100), "c": D(100)}
    # A variance smaller than the host's band stays with the host.
    assert split("60", rule) == {"a": D(60), "b": D(0), "c": D(0)}


def test_tiers_apply_different_rules_above_thresholds():
    rule = RiskRule((Tier(D(1000), Split("proportional")), Tier(None, Split("fixed", {"b": D(1)}))))
    assert split("1500", rule) == {"a": D(600), "b": D(800), "c": D(100)}


def test_cap_excess_redistributed_in_proportion_to_shares():
    rule = RiskRule((Tier(None, Split("equal")),), caps={"c": D(10)})
    # Equal thirds of 90 are 30 each; c is capped at 10 and its 20 goes 30:30 to a and b.
    assert split("90", rule) == {"a": D(40), "b": D(40), "c": D(10)}


def test_cap_cascade_and_everyone_capped_falls_to_host():
    rule = RiskRule((Tier(None, Split("equal")),), caps={"a": D(10), "b": D(10), "c": D(10)})
    res = split_variance(D(90), rule, P, "a", CONTRIB)
    assert res.shares == {"a": D(70), "b": D(10), "c": D(10)}
    assert any("every partner reached its cap" in w for w in res.warnings)


def test_zero_contributions_fall_back_to_equal():
    zero = {p: D(0) for p in P}
    assert split("3", simple_rule("proportional"), contrib=zero) == {p: D(1) for p in P}


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
weights = st.lists(st.decimals(min_value=0, max_value=10**6, places=3), min_size=1, max_size=12)


@given(amount=amounts, ws=weights)
def test_apportion_always_sums_to_amount(amount, ws):
    if sum(ws) == 0:
        ws = ws + [Decimal(1)]
    for a in (amount, -amount):
        shares = apportion(a, ws)
        assert sum(shares) == a
        assert all(s == s.quantize(Decimal("0.01")) for s in shares)


@settings(max_examples=200)
@given(
    amount=amounts,
    contrib=st.lists(st.decimals(min_value=0, max_value=10**7, places=2), min_size=3, max_size=3),
    host_first=st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2)),
    threshold=st.decimals(min_value=1, max_value=10**8, places=2),
    cap=st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2)),
)
def test_risk_share_always_sums_to_variance(amount, contrib, host_first, threshold, cap):
    tiers = []
    if host_first is not None:
        tiers.append(Tier(host_first, Split("host")))
        threshold = max(threshold, host_first + 1)
    tiers += [
        Tier(threshold, Split("proportional")),
        Tier(None, Split("fixed", {"a": D("0.3"), "b": D("0.7")})),
    ]
    rule = RiskRule(tuple(tiers), caps={} if cap is None else {"c": cap})
    res = split_variance(amount, rule, P, "a", dict(zip(P, contrib, strict=True)))
    assert sum(res.shares.values()) == amount
    if cap is not None:
        assert res.shares["c"] <= cap


@given(
    vals=st.lists(
        st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=97),
        min_size=1,
        max_size=10,
    )
)
def test_round_to_total_is_exact_and_close(vals):
    from fractions import Fraction

    total = sum(vals, Fraction(0))
    target = Decimal(round(total * 100)) / 100
    got = round_to_total(vals, target)
    assert sum(got) == target
    assert all(
        abs(Fraction(g) - v) < Fraction(len(vals) + 1, 100) for g, v in zip(got, vals, strict=True)
    )


def test_parse_rule_reports_every_problem():
    issues = Issues("pool.yaml")
    parse_rule(
        {
            "host_absorbs_first": "lots",
            "tiers": [{"up_to": 500, "split": "proportional"}, {"up_to": 100, "split": "sideways"}],
            "caps": {"zz": 10},
        },
        "overspend",
        P,
        issues,
    )
    text = "\n".join(str(p) for p in issues.problems)
    assert "overspend.host_absorbs_first" in text and "'lots'" in text
    assert "tiers must rise" in text
    assert "unknown way to split" in text and "sideways" in text
    assert "unknown partner" in text and "zz" in text
    with pytest.raises(InputError):
        issues.raise_if_any()


def test_fixed_shares_must_add_to_100():
    issues = Issues("pool.yaml")
    parse_rule({"fixed": {"a": 60, "b": 30}}, "overspend", P, issues)
    assert any("add up to 90%, not 100%" in p.message for p in issues.problems)
