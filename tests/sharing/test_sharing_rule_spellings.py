"""Risk-share rules, exactly: every YAML spelling of every rule, the plain-English text, the
steps shown to a board, the fall-back above the last tier, caps when the others hold nothing,
and every refusal down to the problem's column, value and fix.

Each expected figure is worked by hand in the comment beside it (issue 17)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
import yaml

from wholeplace.errors import InputError, Problem
from wholeplace.sharing.common import Issues
from wholeplace.sharing.pooled_budget import parse_pool
from wholeplace.sharing.rules import (
    SPLIT_KINDS,
    RiskRule,
    Split,
    Tier,
    parse_rule,
    parse_split,
    pct,
    simple_rule,
    split_variance,
)

D = Decimal
P = ["a", "b", "c"]
CONTRIB = {"a": D(600), "b": D(300), "c": D(100)}
NAMES = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
FIX = (
    "write a rule such as 'proportional', 'equal', 'host', {fixed: {a: 60, b: 40}}, or "
    "{host_absorbs_first: 20000, tiers: [{up_to: 100000, split: proportional}, {split: equal}], "
    "caps: {b: 15000}}"
)


def read(text: str) -> tuple[RiskRule | None, list[Problem]]:
    issues = Issues("pool.yaml")
    rule = parse_rule(yaml.safe_load(text), "overspend", P, issues)
    return rule, issues.problems


def ok(text: str) -> RiskRule:
    rule, problems = read(text)
    assert problems == []
    assert rule is not None
    return rule


def problem(column: str | None, value: str | None, message: str, fix: str) -> Problem:
    return Problem("pool.yaml", None, column, value, message, fix)


# -- every spelling ------------------------------------------------------------------------

ONE_TIER = {
    "proportional": "proportional",
    "Proportional to contributions": "proportional",
    "proportional-to-contributions": "proportional",
    "contributions": "proportional",
    "proportional_cash": "proportional_cash",
    "Proportional cash": "proportional_cash",
    "cash": "proportional_cash",
    "equal": "equal",
    "Equally": "equal",
    "host": "host",
    "host only": "host",
    "HOST-ONLY": "host",
}


@pytest.mark.parametrize(("spelling", "kind"), ONE_TIER.items())
def test_every_spelling_of_a_named_rule(spelling: str, kind: str) -> None:
    assert ok(f"'{spelling}'") == RiskRule((Tier(None, Split(kind)),))


def test_the_split_kinds_are_those_the_spellings_name() -> None:
    kinds = {ok(f"'{s}'").tiers[0].split.kind for s in ONE_TIER}
    kinds.add(ok("{fixed: {a: 100}}").tiers[0].split.kind)
    assert SPLIT_KINDS == ("proportional", "proportional_cash", "equal", "host", "fixed")
    assert kinds == set(SPLIT_KINDS)


def test_rules_cannot_be_changed_once_read() -> None:
    rule = ok("{host_absorbs_first: 10, split: equal}")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.caps = {}  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.tiers[0].up_to = None  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.tiers[0].split.kind = "equal"  # type: ignore[misc]
    assert Split("equal").shares == {} and Split("equal").shares is not Split("host").shares


def test_no_rule_means_proportional() -> None:
    assert ok("null") == RiskRule((Tier(None, Split("proportional")),))


@pytest.mark.parametrize("shares", ["{a: 60, b: 30, c: 10}", "{a: '60%', b: '30%', c: '10 %'}"])
def test_fixed_shares_as_numbers_or_percentages(shares: str) -> None:
    rule = ok(f"{{fixed: {shares}}}")
    assert rule == RiskRule(
        (Tier(None, Split("fixed", {"a": D("0.6"), "b": D("0.3"), "c": D("0.1")})),)
    )


def test_host_absorbs_first_alone_then_proportional() -> None:
    assert ok("{host_absorbs_first: 20000}").tiers == (
        Tier(D(20000), Split("host")),
        Tier(None, Split("proportional")),
    )


def test_host_absorbs_first_keeps_the_split_beside_it() -> None:
    # The split named beside host_absorbs_first shares what is above the host's band.
    rule = ok("{host_absorbs_first: 20000, split: equal}")
    assert rule.tiers == (Tier(D(20000), Split("host")), Tier(None, Split("equal")))
    # 26,000: the host (a) bears the first 20,000, the other 6,000 is 2,000 each.
    shares = split_variance(D(26000), rule, P, "a", CONTRIB).shares
    assert shares == {"a": D(22000), "b": D(2000), "c": D(2000)}


def test_host_absorbs_first_with_a_fixed_split_beside_it() -> None:
    rule = ok("{host_absorbs_first: 100, split: {fixed: {b: 75, c: 25}}}")
    assert rule.tiers == (
        Tier(D(100), Split("host")),
        Tier(None, Split("fixed", {"b": D("0.75"), "c": D("0.25")})),
    )
    # 500: a bears 100; 400 is 300 to b and 100 to c.
    assert split_variance(D(500), rule, P, "a", CONTRIB).shares == {
        "a": D(100),
        "b": D(300),
        "c": D(100),
    }


def test_host_band_then_tiers() -> None:
    rule = ok(
        "{host_absorbs_first: 1000, tiers: [{up_to: 5000, split: proportional}, {split: equal}]}"
    )
    assert rule.tiers == (
        Tier(D(1000), Split("host")),
        Tier(D(5000), Split("proportional")),
        Tier(None, Split("equal")),
    )


def test_tiers_whose_last_has_an_upper_bound_get_a_proportional_top() -> None:
    assert ok("{tiers: [{up_to: 5000, split: cash}]}").tiers == (
        Tier(D(5000), Split("proportional_cash")),
        Tier(None, Split("proportional")),
    )


def test_tiers_then_a_split_for_the_rest() -> None:
    assert ok("{tiers: [{up_to: 5000, split: equal}], split: host}").tiers == (
        Tier(D(5000), Split("equal")),
        Tier(None, Split("host")),
    )


def test_split_and_caps() -> None:
    rule = ok("{split: {fixed: {a: 50, b: 50}}, caps: {b: 15000, c: '£1,500'}}")
    assert rule == RiskRule(
        (Tier(None, Split("fixed", {"a": D("0.5"), "b": D("0.5")})),),
        {"b": D(15000), "c": D(1500)},
    )


def test_caps_alone_keep_the_proportional_split() -> None:
    assert ok("{caps: {c: 10}}") == RiskRule((Tier(None, Split("proportional")),), {"c": D(10)})


def test_proportional_cash_read_from_a_pool_file_splits_by_cash_only() -> None:
    raw = yaml.safe_load(
        """
        host: la
        partners: {la: Council, nhs: NHS}
        years: [2025-26]
        contributions: {2025-26: {la: {cash: 60, in_kind: 40}, nhs: 40}}
        outturn: {2025-26: 150}
        overspend: proportional_cash
        underspend: equal
        """
    )
    pool = parse_pool(raw)
    assert pool.overspend == RiskRule((Tier(None, Split("proportional_cash")),))
    from wholeplace.sharing.pooled_budget import compute_pool

    year = compute_pool(pool).years[0]
    # Budget 140 (60 + 40 in kind + 40), outturn 150: overspend 10, split by cash 60:40.
    # By all contributions (100:40) it would have been 7.14 / 2.86.
    assert [(r.partner, r.variance_share) for r in year.rows] == [("la", D(6)), ("nhs", D(4))]


# -- refusals --------------------------------------------------------------------------------


def test_a_fixed_split_naming_an_unknown_partner_is_refused() -> None:
    rule, problems = read("{fixed: {a: 60, zz: 40}}")
    assert rule is None
    assert problems == [problem("overspend.fixed", "zz", "unknown partner", "use one of: a, b, c")]


def test_a_pool_whose_fixed_split_names_an_unknown_partner_is_refused_with_the_table() -> None:
    raw = {
        "host": "a",
        "partners": {"a": "A", "b": "B"},
        "years": ["2025-26"],
        "contributions": {"2025-26": {"a": 60, "b": 40}},
        "outturn": {"2025-26": 110},
        "overspend": {"fixed": {"a": 60, "zz": 40}},
    }
    with pytest.raises(InputError) as err:
        parse_pool(raw, "pool.yaml")
    assert err.value.problems == [
        Problem("pool.yaml", None, "overspend.fixed", "zz", "unknown partner", "use one of: a, b")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", [problem("overspend", "5", "a risk-share rule must be a name or a mapping", FIX)]),
        ("sideways", [problem("overspend", "sideways", "unknown way to split", FIX)]),
        (
            "{weird: 1}",
            [
                problem(
                    "overspend",
                    "weird",
                    "unknown key in the rule",
                    "use host_absorbs_first, tiers, split and caps",
                )
            ],
        ),
        (
            "{fixed: [60, 40]}",
            [problem("overspend", "{'fixed': [60, 40]}", "unknown way to split", FIX)],
        ),
        (
            "{split: {fixed: {a: 60}, extra: 1}}",
            [
                problem(
                    "overspend.split",
                    "{'fixed': {'a': 60}, 'extra': 1}",
                    "unknown way to split",
                    FIX,
                )
            ],
        ),
        ("{tiers: equal}", [problem("overspend.tiers", "equal", "tiers must be a list", FIX)]),
        ("{tiers: []}", [problem("overspend.tiers", "[]", "tiers must be a list", FIX)]),
        (
            "{tiers: [{up_to: 10}]}",
            [
                problem(
                    "overspend.tiers[1]",
                    "{'up_to': 10}",
                    "each tier needs a 'split' (and an 'up_to' except the last)",
                    FIX,
                )
            ],
        ),
        (
            "{tiers: [{split: equal}, {up_to: 10, split: host}]}",
            [
                problem(
                    "overspend.tiers[1]",
                    "{'split': 'equal'}",
                    "only the last tier may leave out 'up_to'",
                    "add an up_to amount",
                )
            ],
        ),
        (
            "{tiers: [{up_to: 100, split: equal}, {up_to: 100, split: host}]}",
            [
                problem(
                    "overspend.tiers[2].up_to",
                    "100",
                    "tiers must rise: this up_to is not above the previous one",
                    "list the tiers from the smallest threshold to the largest",
                )
            ],
        ),
        (
            # The host's band counts as the first tier: a tier at the same amount does not rise.
            "{host_absorbs_first: 100, tiers: [{up_to: 100, split: equal}]}",
            [
                problem(
                    "overspend.tiers[1].up_to",
                    "100",
                    "tiers must rise: this up_to is not above the previous one",
                    "list the tiers from the smallest threshold to the largest",
                )
            ],
        ),
        (
            "{caps: [10]}",
            [
                problem(
                    "overspend.caps",
                    "[10]",
                    "caps must map partners to amounts",
                    "write caps: {partner_id: 15000}",
                )
            ],
        ),
        (
            "{caps: {zz: 10, b: -5}}",
            [
                problem("overspend.caps", "zz", "unknown partner", "use one of: a, b, c"),
                problem(
                    "overspend.caps.b",
                    "-5",
                    "the amount is negative",
                    "write the amount as a positive number",
                ),
            ],
        ),
        (
            "{fixed: {a: 60, b: 30}}",
            [
                problem(
                    "overspend.fixed",
                    "a: 60%, b: 30%",
                    "fixed shares add up to 90%, not 100%",
                    "make the percentages add up to exactly 100",
                )
            ],
        ),
        (
            "{fixed: {a: 60, b: lots}}",
            [
                problem(
                    "overspend.fixed.b",
                    "lots",
                    "this is not a percentage",
                    "write a percentage from 0 to 100, such as 40 or 40%",
                )
            ],
        ),
    ],
)
def test_every_refusal_names_column_value_and_fix(text: str, expected: list[Problem]) -> None:
    _, problems = read(text)
    assert problems == expected  # parse_pool raises these as the problem table


def test_a_bad_tier_split_is_named_by_its_place() -> None:
    _, problems = read("{tiers: [{up_to: 10, split: sideways}, {split: equal}]}")
    assert problems == [
        problem("overspend.tiers[1].split", "sideways", "unknown way to split", FIX)
    ]


def test_parse_split_is_refused_for_other_types() -> None:
    issues = Issues("pool.yaml")
    assert parse_split(7, "x", P, issues) is None
    assert issues.problems == [problem("x", "7", "unknown way to split", FIX)]


# -- the plain-English rule --------------------------------------------------------------------


def test_each_split_described() -> None:
    assert Split("proportional").describe() == "in proportion to contributions"
    assert Split("proportional_cash").describe() == "in proportion to cash contributions"
    assert Split("equal").describe() == "equally"
    assert Split("host").describe() == "by the host alone"
    fixed = Split("fixed", {"a": D("0.6"), "zz": D("0.4")})
    assert fixed.describe(NAMES) == "in fixed shares (Alpha 60%, zz 40%)"
    assert fixed.describe() == "in fixed shares (a 60%, zz 40%)"


def test_pct() -> None:
    assert pct(D("0.5")) == "50%"
    assert pct(D("0.125")) == "12.5%"
    assert pct(D(1)) == "100%"  # not 1E+2%
    assert pct(D("0.005")) == "0.5%"


def test_a_whole_rule_described() -> None:
    rule = RiskRule(
        (
            Tier(D(1000), Split("host")),
            Tier(D(5000), Split("proportional")),
            Tier(None, Split("equal")),
        ),
        {"b": D(1500)},
    )
    assert rule.describe(NAMES) == (
        "the first £1,000 is shared by the host alone; "
        "from £1,000 to £5,000 is shared in proportion to contributions; "
        "above £5,000 is shared equally; "
        "Beta pays at most £1,500 (the excess is shared among the others in proportion to "
        "their shares)"
    )
    # Without names the partners are named by their ids.
    assert rule.describe().endswith(
        "; b pays at most £1,500 (the excess is shared among the others in proportion to "
        "their shares)"
    )


def test_one_tier_rules_described() -> None:
    assert simple_rule("proportional_cash").describe() == (
        "all of it is shared in proportion to cash contributions"
    )
    assert RiskRule((Tier(D(2500), Split("equal")),)).describe() == (
        "the first £2,500 is shared equally"
    )
    two = RiskRule((Tier(D(2500), Split("equal")), Tier(D(9000), Split("host"))))
    assert two.describe() == (
        "the first £2,500 is shared equally; from £2,500 to £9,000 is shared by the host alone"
    )


# -- the split itself ---------------------------------------------------------------------------


def test_steps_name_each_band_in_pounds_and_pence() -> None:
    rule = RiskRule((Tier(D(100), Split("host")), Tier(None, Split("equal"))))
    res = split_variance(D("400.50"), rule, P, "a", CONTRIB, names=NAMES)
    # 100 to the host; 300.50 in thirds: 100.17 (first gets the odd penny), 100.17, 100.16.
    assert res.shares == {"a": D("200.17"), "b": D("100.17"), "c": D("100.16")}
    assert res.steps == [
        "£100.00 (from £0.00 to £100.00) shared by the host alone",
        "£300.50 (from £100.00 to £400.50) shared equally",
    ]
    assert res.warnings == []


def test_the_band_above_the_last_tier_is_shared_in_proportion_to_contributions() -> None:
    rule = RiskRule((Tier(D(1000), Split("equal")),))
    res = split_variance(D(1600), rule, P, "a", CONTRIB)
    # First 1,000 in thirds: 333.34, 333.33, 333.33. The 600 above, 600:300:100 of 1,000:
    # 360, 180, 60. Totals 693.34, 513.33, 393.33 (sum 1,600.00).
    assert res.shares == {"a": D("693.34"), "b": D("513.33"), "c": D("393.33")}
    assert res.steps == [
        "£1,000.00 (from £0.00 to £1,000.00) shared equally",
        "£600.00 above the last tier shared in proportion to contributions",
    ]


def test_a_variance_inside_the_first_tier_uses_that_tier_only() -> None:
    rule = RiskRule((Tier(D(1000), Split("host")), Tier(D(2000), Split("equal"))))
    res = split_variance(D(1000), rule, P, "a", CONTRIB)
    assert res.shares == {"a": D(1000), "b": D(0), "c": D(0)}
    assert res.steps == ["£1,000.00 (from £0.00 to £1,000.00) shared by the host alone"]


def test_a_caps_excess_when_the_others_hold_nothing_is_shared_equally() -> None:
    rule = RiskRule((Tier(None, Split("host")),), {"a": D(100)})
    res = split_variance(D(400), rule, P, "a", CONTRIB, names=NAMES)
    # The host bears all 400, is capped at 100; b and c hold nothing, so the 300 excess is
    # shared equally between them: 150 each.
    assert res.shares == {"a": D(100), "b": D(150), "c": D(150)}
    assert res.steps == [
        "£400.00 (from £0.00 to £400.00) shared by the host alone",
        "Alpha capped at £100.00; £300.00 passed to the others",
    ]


def test_cap_excess_follows_the_others_shares() -> None:
    rule = RiskRule((Tier(None, Split("proportional")),), {"a": D(500)})
    res = split_variance(D(1000), rule, P, "a", CONTRIB)
    # 600:300:100 -> a is over its cap by 100, which goes 300:100 to b and c: 75 and 25.
    assert res.shares == {"a": D(500), "b": D(375), "c": D(125)}


def test_everyone_capped_leaves_the_host_carrying_the_rest() -> None:
    rule = RiskRule((Tier(None, Split("equal")),), caps={"a": D(10), "b": D(10), "c": D(10)})
    res = split_variance(D(90), rule, P, "a", CONTRIB, names=NAMES)
    # 30 each; every partner is 20 over its cap, 60 in all, and nobody is left to take it: the
    # host (a) carries it beyond its cap, 10 + 60 = 70.
    assert res.shares == {"a": D(70), "b": D(10), "c": D(10)}
    assert res.warnings == [
        "every partner reached its cap; the host Alpha carries the remaining £60.00 beyond its cap"
    ]
    assert res.steps[1:] == [
        "Alpha capped at £10.00; £20.00 passed to the others",
        "Beta capped at £10.00; £20.00 passed to the others",
        "Gamma capped at £10.00; £20.00 passed to the others",
    ]


def test_a_cap_exactly_met_is_not_exceeded() -> None:
    rule = RiskRule((Tier(None, Split("equal")),), caps={"c": D(30)})
    res = split_variance(D(90), rule, P, "a", CONTRIB)
    assert res.shares == {"a": D(30), "b": D(30), "c": D(30)}
    assert len(res.steps) == 1


def test_cash_defaults_to_contributions_and_zero_cash_shares_equally() -> None:
    rule = simple_rule("proportional_cash")
    assert split_variance(D(100), rule, P, "a", CONTRIB).shares == {
        "a": D(60),
        "b": D(30),
        "c": D(10),
    }
    none = {p: D(0) for p in P}
    assert split_variance(D(3), rule, P, "a", CONTRIB, cash=none).shares == {p: D(1) for p in P}


def test_a_fixed_split_gives_nothing_to_a_partner_it_leaves_out() -> None:
    rule = simple_rule("fixed", {"a": D("0.25"), "c": D("0.75")})
    assert split_variance(D(100), rule, P, "b", CONTRIB).shares == {
        "a": D(25),
        "b": D(0),
        "c": D(75),
    }


def test_nothing_to_split() -> None:
    res = split_variance(D(0), simple_rule("equal"), P, "a", CONTRIB)
    assert res.shares == {"a": D(0), "b": D(0), "c": D(0)}
    assert res.steps == []


def test_a_negative_variance_is_refused() -> None:
    with pytest.raises(ValueError, match="takes the size of the variance"):
        split_variance(D("-0.01"), simple_rule("equal"), P, "a", CONTRIB)


# -- more of what the mutation run found ---------------------------------------------------


def test_a_split_beside_tiers_that_already_cover_everything_is_refused() -> None:
    # The last tier has no up_to, so it shares everything above the one before: a split
    # beside it would never apply. It used to be kept as a second, unreachable tier.
    rule, problems = read("{tiers: [{up_to: 10, split: equal}, {split: host}], split: equal}")
    assert problems == [
        problem(
            "overspend.split",
            "equal",
            "the last tier already shares everything above it, so this split would never apply",
            "remove split, or give the last tier an up_to",
        )
    ]


def test_two_caps_described() -> None:
    rule = RiskRule((Tier(None, Split("equal")),), {"b": D(1500), "c": D(10)})
    assert rule.describe(NAMES) == (
        "all of it is shared equally; Beta pays at most £1,500, Gamma pays at most £10 (the "
        "excess is shared among the others in proportion to their shares)"
    )


def test_a_negative_variance_is_refused_with_this_message() -> None:
    with pytest.raises(ValueError, match=r"^split_variance takes the size of the variance \(not"):
        split_variance(D(-1), simple_rule("equal"), P, "a", CONTRIB)


def test_contributions_of_pennies_are_still_proportional() -> None:
    # Contributions that add up to less than 1 (60p, 30p, 10p) are still shares: 6:3:1.
    pennies = {"a": D("0.60"), "b": D("0.30"), "c": D("0.10")}
    assert split_variance(D(100), simple_rule("proportional"), P, "a", pennies).shares == {
        "a": D(60),
        "b": D(30),
        "c": D(10),
    }


def test_a_caps_excess_follows_shares_of_pennies() -> None:
    # 1.00 at 1:3:96 is 0.01 / 0.03 / 0.96; c capped at 0.16 passes 0.80 to a and b 1:3,
    # 0.20 and 0.60 (not 0.40 each).
    contrib = {"a": D(1), "b": D(3), "c": D(96)}
    rule = RiskRule((Tier(None, Split("proportional")),), {"c": D("0.16")})
    assert split_variance(D(1), rule, P, "a", contrib).shares == {
        "a": D("0.21"),
        "b": D("0.63"),
        "c": D("0.16"),
    }


def test_every_problem_in_a_rule_is_reported_not_just_the_first() -> None:
    _, problems = read("{tiers: [{up_to: 10}, {up_to: lots, split: sideways}], other: 1, weird: 2}")
    assert problems == [
        problem(
            "overspend",
            "other, weird",
            "unknown key in the rule",
            "use host_absorbs_first, tiers, split and caps",
        ),
        problem(
            "overspend.tiers[1]",
            "{'up_to': 10}",
            "each tier needs a 'split' (and an 'up_to' except the last)",
            FIX,
        ),
        problem(
            "overspend.tiers[2].up_to",
            "lots",
            "this is not an amount of money",
            "write an amount such as 12500 or £12,500.00",
        ),
        problem("overspend.tiers[2].split", "sideways", "unknown way to split", FIX),
    ]
    _, problems = read("{fixed: {zz: 60, yy: 40}}")
    assert [(p.value, p.message) for p in problems] == [
        ("zz", "unknown partner"),
        ("yy", "unknown partner"),
    ]


def test_a_refused_fixed_split_gives_no_rule() -> None:
    for text in ("{fixed: {a: 60, b: 30}}", "{fixed: {a: 60, zz: 40}}", "{fixed: {a: x}}"):
        rule, problems = read(text)
        assert rule is None and problems, text


def test_a_rule_without_caps_has_none() -> None:
    assert ok("{host_absorbs_first: 10}") == RiskRule(
        (Tier(D(10), Split("host")), Tier(None, Split("proportional"))), {}
    )
