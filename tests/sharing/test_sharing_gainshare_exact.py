"""Gain-share figures and warnings worked by hand: who pays whom when several pay and several
receive, every warning a board reads, discounting, and the fall-back when no weights (issue 17).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction as F
from importlib import resources
from pathlib import Path

from wholeplace.sharing.gain_sharing import compute_gainshare, parse_agreement
from wholeplace.sharing.gain_sharing.compute import (
    discount_factors,
    present_value,
    shapley_money,
)

D = Decimal


def agreement(partners: dict[str, tuple[list, list]], rule: object, **extra: object):
    years = [f"{2025 + i}-{26 + i}" for i in range(len(next(iter(partners.values()))[0]))]
    doc = {
        "name": "T",
        "years": years,
        "partners": {
            p: {"name": p.upper(), "costs": c, "benefits": b} for p, (c, b) in partners.items()
        },
        "rule": rule,
        **extra,
    }
    return compute_gainshare(parse_agreement(doc))


def test_every_warning_a_board_reads() -> None:
    # A invests 100 and gains nothing; B gains 50. Joint net -50. Fixed 100 % to A: A ends -50,
    # B 0; so B pays A 50 (B's transfer: 0 - 50).
    r = agreement({"a": ([100], [0]), "b": ([0], [50])}, {"fixed": {"a": 100, "b": 0}})
    assert r.warnings == [
        "the programme as a whole does not pay back: joint net benefit -£50.00 (-£50.00 "
        "discounted); any split only shares a loss",
        "without an agreement A ends -£100.00: it pays while others gain, so it has no reason "
        "to invest",
        "A ends -£50.00 (undiscounted), worse off than not joining (£0.00): it has reason to "
        "walk away",
        "A carries 100% of the money at risk (its cumulative position falls to -£50.00 before "
        "the gains arrive): the agreement puts nearly all the risk on one partner",
    ]
    assert [(p.year, p.payer, p.receiver, p.amount) for p in r.payments] == [
        ("2025/26", "b", "a", D(50))
    ]


def test_a_programme_that_pays_back_with_risk_spread_has_no_warnings() -> None:
    # Joint net 100 - 60 = 40, shared equally: 20 each; A's transfer +80, B's -80.
    r = agreement({"a": ([60], [0]), "b": ([0], [100])}, "equal")
    assert r.warnings == [
        "without an agreement A ends -£60.00: it pays while others gain, so it has no reason "
        "to invest"
    ]
    assert [o.after.undiscounted for o in r.outcomes] == [D(20), D(20)]


def test_several_payers_settle_with_several_receivers_in_listed_order() -> None:
    # Benefits 50 (a) and 40 (b), nothing else: joint 90 shared equally, 22.50 each.
    # Transfers: a -27.50, b -17.50, c +22.50, d +22.50. a pays c 22.50 and d the 5.00 it
    # still owes; b pays d 17.50.
    r = agreement({"a": ([0], [50]), "b": ([0], [40]), "c": ([0], [0]), "d": ([0], [0])}, "equal")
    assert [o.transfer_by_year for o in r.outcomes] == [
        [D("-27.50")],
        [D("-17.50")],
        [D("22.50")],
        [D("22.50")],
    ]
    assert [(p.payer, p.receiver, p.amount) for p in r.payments] == [
        ("a", "c", D("22.50")),
        ("a", "d", D("5.00")),
        ("b", "d", D("17.50")),
    ]


def test_one_payer_two_receivers() -> None:
    # a gains 90, joint 90 shared equally: a pays b and c 30 each.
    r = agreement({"a": ([0], [90]), "b": ([0], [0]), "c": ([0], [0])}, "equal")
    assert [(p.payer, p.receiver, p.amount) for p in r.payments] == [
        ("a", "b", D(30)),
        ("a", "c", D(30)),
    ]


def test_discounting_year_zero_is_not_discounted() -> None:
    # At 10 %: 100 + 110 / 1.1 + 121 / 1.21 = 300 exactly.
    assert discount_factors(3, D("0.1"))[0] == 1
    assert discount_factors(3, D("0.1"))[2] * D("1.21") == 1
    assert present_value([D(100), D(110), D(121)], D("0.1")) == D("300.00")
    r = agreement(
        {"a": ([0, 0, 0], [100, 110, 121]), "b": ([0, 0, 0], [0, 0, 0])},
        "equal",
        discount_rate="10%",
    )
    assert (r.joint_net.undiscounted, r.joint_net.discounted) == (D(331), D(300))
    # a's before: 331 undiscounted, 300 discounted; after, half of each year: 50, 55, 60.50.
    a = r.outcomes[0]
    assert (a.before.undiscounted, a.before.discounted) == (D(331), D(300))
    assert a.after_by_year == [D(50), D(55), D("60.50")]
    assert (a.after.undiscounted, a.after.discounted) == (D("165.50"), D(150))


def test_proportional_to_investment_with_no_investment_shares_equally() -> None:
    r = agreement(
        {"a": ([0], [30]), "b": ([0], [0]), "c": ([0], [0])}, "proportional_to_investment"
    )
    assert [o.after.undiscounted for o in r.outcomes] == [D(10), D(10), D(10)]


def test_every_investor_is_essential_by_default_however_little_it_puts_in() -> None:
    # a invests 100, b 50p, c gains 200. By default both investors are essential, so only
    # the three together achieve anything: v(abc) = 200 - 100.50 = 99.50, every smaller group
    # 0. Each partner completes the group in 2 of the 6 orders: Shapley values 99.50 / 3 each,
    # so the joint 99.50 is shared equally: 33.17, 33.17, 33.16 (spare pennies to the first).
    r = agreement(
        {"a": (["100"], [0]), "b": (["0.50"], [0]), "c": ([0], [200])},
        "shapley",
    )
    assert [o.after.undiscounted for o in r.outcomes] == [D("33.17"), D("33.17"), D("33.16")]


def test_an_outlay_recovered_over_two_years_then_shared() -> None:
    # a invests 100 in year 1; b gains 60, 80 and 0.50. Year 1: all 60 repays a (40 still
    # owed): a -40, b 0. Year 2: 40 of the 80 clears a's outlay, the other 40 is shared
    # equally: a 60, b 20. Year 3: nothing owed, the 50p is shared equally: 25p each.
    r = agreement(
        {"a": ([100, 0, 0], [0, 0, 0]), "b": ([0, 0, 0], [60, 80, "0.50"])},
        {"recover_outlay_first": "equal"},
    )
    assert [o.after_by_year for o in r.outcomes] == [
        [D(-40), D(60), D("0.25")],
        [D(0), D(20), D("0.25")],
    ]


def example(**shapley: object):
    from wholeplace.sharing.gain_sharing import load_agreement

    path = Path(str(resources.files("wholeplace") / "data" / "sharing" / "gainshare_example.yaml"))
    agreement_ = load_agreement(path)
    return compute_gainshare(dataclasses.replace(agreement_, **shapley))


def test_the_worked_example_shares_11_11_8() -> None:
    # docs/sharing.md: v({council}) = 0, v({council, police}) = 40,000, v({council, NHS}) = 0,
    # v(all) = 200,000; average marginal contributions 73,333.33, 73,333.33, 53,333.33.
    r = example()
    assert r.weights == {"lcc": F(11, 30), "police": F(11, 30), "nhs": F(8, 30)}
    assert [o.after.undiscounted for o in r.outcomes] == [
        D("73333.34"),
        D("73333.34"),
        D("53333.32"),
    ]
    # Without naming the council essential it still is: it is the only investor.
    assert example(essential=None).weights == r.weights
    # Each partner's outside option is what it achieves alone: 0 for all three.
    assert [o.outside_option for o in r.outcomes] == [0, 0, 0]
    assert shapley_money(r.shapley, D(200000)) == {
        "lcc": D("73333.34"),  # 73,333.333.. thrice: the missing penny to the first
        "police": D("73333.33"),
        "nhs": D("53333.33"),
    }


# The six orders of docs/sharing.md and each partner's marginal contribution (council, police,
# NHS), as shares of the 200,000: one sampled order gives one of these.
ORDERS = {
    (F(0), F(1, 5), F(4, 5)),
    (F(0), F(1), F(0)),
    (F(1, 5), F(0), F(4, 5)),
    (F(1), F(0), F(0)),
}


def test_beyond_the_exact_limit_orders_are_sampled_with_the_seed_given() -> None:
    seen = set()
    for seed in range(8):
        r = example(shapley_exact_limit=2, shapley_samples=1, shapley_seed=seed)
        w = (r.weights["lcc"], r.weights["police"], r.weights["nhs"])
        assert w in ORDERS  # one order, not the exact average
        seen.add(w)
    assert len(seen) > 1  # different seeds draw different orders


def test_an_essential_partner_alone_is_worth_what_it_gains_alone() -> None:
    # a invests 100 and gains 150; b gains 50. v({a}) = 50, v({a, b}) = 100, v({b}) = 0.
    # Orders (a, b): a 50, b 50; (b, a): b 0, a 100. Shapley: a 75, b 25.
    r = agreement({"a": ([100], [150]), "b": ([0], [50])}, "shapley")
    assert r.weights == {"a": F(3, 4), "b": F(1, 4)}
    assert [o.outside_option for o in r.outcomes] == [D(50), D(0)]


def test_outlay_first_then_a_rule_other_than_equal() -> None:
    # a invests 100; b gains 300. 100 repays a; the other 200 by benefit, all b's: a 0, b 200.
    r = agreement(
        {"a": ([100], [0]), "b": ([0], [300])},
        {"recover_outlay_first": "proportional_to_benefit"},
    )
    assert [o.after_by_year for o in r.outcomes] == [[D(0)], [D(200)]]


def test_a_negative_year_is_split_as_the_negative_of_the_positive_split() -> None:
    # Joint -0.05 at 50:50:0: 2.5p each; the positive split gives the spare penny to the
    # first (3p, 2p), so the loss is -3p, -2p, 0.
    r = agreement(
        {"a": (["0.05"], [0]), "b": ([0], [0]), "c": ([0], [0])},
        {"fixed": {"a": 50, "b": 50, "c": 0}},
    )
    assert [o.after_by_year for o in r.outcomes] == [[D("-0.03")], [D("-0.02")], [D(0)]]
    r = agreement({"a": (["0.05"], [0]), "b": ([0], [0])}, "equal")
    assert [o.after_by_year for o in r.outcomes] == [[D("-0.03")], [D("-0.02")]]


def test_only_partners_whose_position_moves_pay_or_receive() -> None:
    # Benefits 90 (a) and 30 (d); joint 120 shared equally, 30 each: a pays b and c 30 each;
    # d's transfer is 0, so d neither pays nor receives.
    r = agreement({"a": ([0], [90]), "b": ([0], [0]), "c": ([0], [0]), "d": ([0], [30])}, "equal")
    assert [(p.payer, p.receiver, p.amount) for p in r.payments] == [
        ("a", "b", D(30)),
        ("a", "c", D(30)),
    ]


def test_three_payers_settle_with_one_receiver_in_listed_order() -> None:
    r = agreement({"a": ([0], [40]), "b": ([0], [40]), "c": ([0], [40]), "d": ([0], [0])}, "equal")
    assert [(p.payer, p.receiver, p.amount) for p in r.payments] == [
        ("a", "d", D(10)),
        ("b", "d", D(10)),
        ("c", "d", D(10)),
    ]
    r = agreement({"a": ([0], [120]), "b": ([0], [0]), "c": ([0], [0]), "d": ([0], [0])}, "equal")
    assert [(p.payer, p.receiver) for p in r.payments] == [("a", "b"), ("a", "c"), ("a", "d")]


def test_a_payment_of_pennies() -> None:
    r = agreement({"a": ([0], [1]), "b": ([0], [0])}, "equal")
    assert [(p.payer, p.receiver, p.amount) for p in r.payments] == [("a", "b", D("0.50"))]


def test_warnings_at_their_thresholds() -> None:
    # Joint exactly 0: it does not pay back.
    r = agreement({"a": ([50], [0]), "b": ([0], [50])}, {"fixed": {"a": 100, "b": 0}})
    assert r.warnings[0] == (
        "the programme as a whole does not pay back: joint net benefit £0.00 (£0.00 "
        "discounted); any split only shares a loss"
    )
    # Joint 50p, nobody ever below zero, b before exactly 0: no warning at all.
    r = agreement({"a": ([0], ["0.50"]), "b": ([0], [0])}, "equal")
    assert r.warnings == []
    # a is 50p down before b's pound arrives; with everything to a it carries all the risk.
    r = agreement(
        {"a": (["0.50", 0], [0, 0]), "b": ([0, 0], [0, 1])}, {"fixed": {"a": 100, "b": 0}}
    )
    assert r.warnings == [
        "without an agreement A ends -£0.50: it pays while others gain, so it has no reason "
        "to invest",
        "A carries 100% of the money at risk (its cumulative position falls to -£0.50 before "
        "the gains arrive): the agreement puts nearly all the risk on one partner",
    ]


def test_exactly_90_percent_of_the_risk_is_a_concentration() -> None:
    # a invests 100, b gains 200 a year later; fixed 90:10: year 1 -90 / -10, year 2 180 / 20.
    r = agreement({"a": ([100, 0], [0, 0]), "b": ([0, 0], [0, 200])}, {"fixed": {"a": 90, "b": 10}})
    assert r.warnings == [
        "without an agreement A ends -£100.00: it pays while others gain, so it has no reason "
        "to invest",
        "A carries 90% of the money at risk (its cumulative position falls to -£90.00 before "
        "the gains arrive): the agreement puts nearly all the risk on one partner",
    ]


def test_worse_off_only_once_discounted() -> None:
    # Everything to a: -100 then 105; undiscounted +5, at 10 % -100 + 105 / 1.1 = -4.55.
    r = agreement(
        {"a": ([100, 0], [0, 105]), "b": ([0, 0], [0, 0])},
        {"fixed": {"a": 100, "b": 0}},
        discount_rate="10%",
    )
    assert r.warnings[0] == (
        "A ends -£4.55 (discounted), worse off than not joining (£0.00): it has reason to walk away"
    )


def test_a_fixed_rule_has_no_outside_option_even_for_a_partner_that_could_go_alone() -> None:
    # a alone would be worth 150 - 100 = 50 under the Shapley game; under a fixed rule the
    # comparison is with not joining at all (0): a's 40 is no reason to walk away.
    r = agreement({"a": ([100], [150]), "b": ([0], [50])}, {"fixed": {"a": 40, "b": 60}})
    assert [o.outside_option for o in r.outcomes] == [0, 0]
    assert not any("walk away" in w for w in r.warnings)


def test_an_outlay_of_pennies_is_recovered_first() -> None:
    # a invests 50p, b gains 2: the 50p repays a, the other 1.50 is shared equally (75p
    # each): a ends 0.50 + 0.75 - 0.50 = 0.75, b 0.75.
    r = agreement({"a": (["0.50"], [0]), "b": ([0], [2])}, {"recover_outlay_first": "equal"})
    assert [o.after_by_year for o in r.outcomes] == [[D("0.75")], [D("0.75")]]


def test_a_partner_whose_position_does_not_move_is_left_out_even_when_listed_first() -> None:
    # d is listed first and its transfer is 0 (it gains 30, its equal share of 120).
    r = agreement({"d": ([0], [30]), "a": ([0], [90]), "b": ([0], [0]), "c": ([0], [0])}, "equal")
    assert [(p.payer, p.receiver, p.amount) for p in r.payments] == [
        ("a", "b", D(30)),
        ("a", "c", D(30)),
    ]
    # and the same when the unmoved partner would otherwise be first to receive
    r = agreement({"a": ([0], [90]), "d": ([0], [30]), "b": ([0], [0]), "c": ([0], [0])}, "equal")
    assert [(p.payer, p.receiver) for p in r.payments] == [("a", "b"), ("a", "c")]


def test_a_single_partner_carries_its_own_risk_without_a_warning() -> None:
    # One partner, 100 down before 150 comes back: nobody to concentrate the risk on.
    r = agreement({"a": ([100, 0], [0, 150])}, "equal")
    assert r.warnings == []
    assert r.outcomes[0].worst_cumulative_after == D(-100)


def test_a_schedule_of_rates_discounts_year_by_year_by_its_band() -> None:
    # One band is a flat rate, whatever discount_rate says: 1, 1/1.25 = 0.8, 0.8/1.25 = 0.64.
    assert discount_factors(3, D("0.1"), ((0, D("0.25")),)) == [D(1), D("0.8"), D("0.64")]
    # Two bands: 25 % for year 1, 50 % from year 2: 1, 4/5, 8/15, 16/45 (not 0.64, 0.512).
    two = discount_factors(4, D("0.1"), ((0, D("0.25")), (2, D("0.5"))))
    for f, e in zip(two, [F(1), F(4, 5), F(8, 15), F(16, 45)], strict=True):
        assert abs(F(f) - e) < F(1, 10**35)
    # Three bands: 25 % for year 1, 50 % from year 2, 100 % from year 4. Year t is discounted
    # by its own band's rate on top of year t - 1: 1, 4/5, 4/5 / 1.5 = 8/15, 8/15 / 1.5 = 16/45,
    # 16/45 / 2 = 8/45.
    bands = ((0, D("0.25")), (2, D("0.5")), (4, D(1)))
    got = discount_factors(5, D("0.1"), bands)
    exact = [F(1), F(4, 5), F(8, 15), F(16, 45), F(8, 45)]
    assert len(got) == 5
    for f, e in zip(got, exact, strict=True):
        assert abs(F(f) - e) < F(1, 10**35)
    # 45 in years 2 and 4: 45 x 8/15 + 45 x 8/45 = 24 + 8 = 32
    assert present_value([D(0), D(0), D(45), D(0), D(45)], D("0.1"), bands) == D(32)
    assert discount_factors(0, D("0.1"), bands) == []


def test_a_partner_paying_more_than_its_cash_savings_is_warned() -> None:
    # Each year A spends 90 and B saves 120, so the joint net is 30 a year, 15 each (equal):
    # A receives 105 and B pays 105 each year. B's savings are cash only in part: 30, 105 and 0,
    # so it is short by 105 - 30 = 75 in the first year and 105 - 0 = 105 in the third, 180 in
    # all; in the second year its payment equals its cash, which is enough. A's savings (none)
    # are all cash: nothing to say about A, and B, after it, is still looked at.
    doc = {
        "name": "T",
        "years": ["2025-26", "2026-27", "2027-28"],
        "partners": {
            "a": {"name": "A", "costs": [90, 90, 90], "benefits": [0, 0, 0]},
            "b": {"name": "B", "costs": [0, 0, 0], "benefits": [120, 120, 120]},
        },
        "rule": "equal",
    }
    ag = parse_agreement(doc)
    ag.partners[1].cashable = [D(30), D(105), D(0)]
    r = compute_gainshare(ag)
    assert [o.transfer_by_year for o in r.outcomes] == [[D(105)] * 3, [D(-105)] * 3]
    assert [w for w in r.warnings if "cashable" in w] == [
        "B pays more than its cashable savings in 2025/26, 2027/28: £180.00 in all must come "
        "from its budget, since the rest of its savings are not cash"
    ]
