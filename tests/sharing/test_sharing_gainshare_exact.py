"""Gain-share figures and warnings worked by hand: who pays whom when several pay and several
receive, every warning a board reads, discounting, and the fall-back when no weights (issue 17).
"""

from __future__ import annotations

from decimal import Decimal

from wholeplace.sharing.gain_sharing import compute_gainshare, parse_agreement
from wholeplace.sharing.gain_sharing.compute import discount_factors, present_value

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
