"""Co-location by hand, with discount factors simple enough to follow (1, 1/2, 1/4): what is
kept, what is vacated, the receipt, the moving cost, the NPV, the reasons and the JSON, each
worked out in the test (issue 17: the figures a deliberate bug would change)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest

from wholeplace.assets.model import Asset
from wholeplace.assets.opportunities import (
    Criteria,
    co_locations,
    pairs_by_road,
    pairs_within,
    under_used,
)

D = Decimal
# years 0, 1 and 2: the saving counts in years 1 and 2 only
HALVES = [D(1), D("0.5"), D("0.25")]


def at(
    partner: str,
    ref: str,
    e: int,
    n: int,
    gia: int | None,
    util: str | None,
    cost: int | None,
    tenure: str = "Freehold",
) -> Asset:
    return Asset(
        partner=partner,
        ref=ref,
        row=1,
        easting=D(e),
        northing=D(n),
        gia_m2=None if gia is None else D(gia),
        utilisation=None if util is None else D(util),
        cost_other=None if cost is None else D(cost),
        tenure=tenure,
    )


# K is the largest, kept. V1 is 500 m from K (300, 400), V2 100 m; V1 and V2 424.3 m.
K = at("p1", "K", 0, 0, 1000, "50", 10_000)
V1 = at("p2", "V1", 300, 400, 200, "50", None, tenure="FREEHOLD (held since 1990)")
V2 = at("p3", "V2", 0, 100, 100, "20", 3_000, tenure="")


def test_a_group_of_three_by_hand() -> None:
    """Keep K; vacate V1 and V2.
    saving: V1 not given (counted as 0) + V2 3,000 = £3,000 a year
    receipt: V1 is a freehold (any capitals): 200 m² x £10 = £2,000; V2's tenure is not
        given: no receipt
    moved: V1 200 x 50% = 100 m², V2 100 x 20% = 20 m²: 120 m²; moving 120 x £100 = £12,000
    spare in K: 1,000 - 1,000 x 50% = 500 m²: it fits
    NPV = 2,000 - 12,000 + 3,000 x 1/2 + 3,000 x 1/4 = -10,000 + 2,250 = -£7,750"""
    c = Criteria(years=2, value_per_m2=D(10))
    [g] = co_locations([V2, K, V1], c, HALVES)
    assert g.to_json() == {
        "rank": 1,
        "keep": "p1/K",
        "vacate": ["p2/V1", "p3/V2"],
        "pairs": [
            {"a": "p1/K", "b": "p2/V1", "distance_m": "500.0", "minutes": None},
            {"a": "p1/K", "b": "p3/V2", "distance_m": "100.0", "minutes": None},
            # 300 east and 300 north: 300 x sqrt(2) = 424.26 m, to one place
            {"a": "p2/V1", "b": "p3/V2", "distance_m": "424.3", "minutes": None},
        ],
        "saving_a_year": "3000.00",
        "receipt": "2000.00",
        "moving_cost": "12000.00",
        "space_moved_m2": "120.00",
        "spare_m2": "500.00",
        "fits": True,
        "npv": "-7750.00",
        "reasons": [
            "p2/V1: running cost not given, counted as £0",
            "p3/V2: not a freehold (tenure not given), no receipt",
        ],
    }


def test_the_discount_factors_must_cover_every_year() -> None:
    with pytest.raises(ValueError, match="need 3 discount factors, got 2"):
        co_locations([K, V1], Criteria(years=2), HALVES[:2])


def test_no_receipt_asked_for_no_words_about_tenure() -> None:
    # value per m² 0 (the default): a leasehold gets no reason; saving 3,000;
    # moved 20 m², £2,000; NPV = -2,000 + 3,000 x (1/2 + 1/4) = £250
    [g] = co_locations([K, V2], Criteria(years=2), HALVES)
    assert (g.reasons, g.receipt, g.npv) == ([], D(0), D(250))


def test_a_move_that_does_not_fit_says_so() -> None:
    # keep K2 (100 m², 70% used: 30 m² spare); V (90 m², 50%): 45 m² to move
    k2 = at("p1", "K2", 0, 0, 100, "70", 1_000)
    v = at("p2", "V", 0, 10, 90, "50", 1_000)
    [g] = co_locations([k2, v], Criteria(years=2), HALVES)
    assert (g.space_moved_m2, g.spare_m2, g.fits) == (D(45), D(30), False)
    assert g.reasons == [
        "the space in use moved (45.00 m²) is more than the 30.00 m² spare in p1/K2"
    ]


def test_equal_floor_areas_keep_the_first_key_and_no_floor_area_leaves_no_space() -> None:
    # two of 100 m² each: keep p1/A; the other moves 100 x 10% = 10 m², into 90 spare
    a = at("p1", "A", 0, 0, 100, "10", 0)
    b = at("p2", "B", 0, 10, 100, "10", 0)
    [g] = co_locations([b, a], Criteria(years=2), HALVES)
    assert (g.keep.key, g.space_moved_m2, g.spare_m2) == ("p1/A", D(10), D(90))
    # neither has a floor area: keep the first key; nothing moved, nothing spare, it fits
    a0 = at("p1", "A", 0, 0, None, "10", 0)
    b0 = at("p2", "B", 0, 10, None, "10", 0)
    [g] = co_locations([b0, a0], Criteria(years=2, value_per_m2=D(5)), HALVES)
    assert (g.keep.key, g.space_moved_m2, g.spare_m2, g.fits) == ("p1/A", D(0), D(0), True)


def test_groups_of_equal_value_are_ranked_by_the_kept_buildings_key() -> None:
    # two identical pairs 10 km apart: the same NPV, so p1/A before p1/Z
    a = at("p1", "A", 0, 0, 100, "10", 100)
    a2 = at("p2", "A2", 0, 10, 50, "10", 100)
    z = at("p1", "Z", 10_000, 0, 100, "10", 100)
    z2 = at("p2", "Z2", 10_000, 10, 50, "10", 100)
    groups = co_locations([z, z2, a, a2], Criteria(years=2), HALVES)
    assert [(g.rank, g.keep.key) for g in groups] == [(1, "p1/A"), (2, "p1/Z")]
    assert groups[0].npv == groups[1].npv


def test_under_used_is_strictly_under_the_threshold() -> None:
    c = Criteria()  # under 75%
    assert under_used(at("p", "a", 0, 0, 1, "74.9", 0), c)
    assert not under_used(at("p", "a", 0, 0, 1, "75", 0), c)
    assert not under_used(at("p", "a", 0, 0, 1, None, 0), c)


def test_criteria_as_json() -> None:
    assert Criteria(within_minutes=D(15)).to_json() == {
        "within_m": "500",
        "within_minutes": "15",
        "under_used_pct": "75",
        "years": "10",
        "move_cost_per_m2": "100",
        "value_per_m2": "0.00",
    }
    assert Criteria().to_json()["within_minutes"] is None


def test_pairs_due_east_at_the_distance_and_past_a_building_of_the_same_partner() -> None:
    # sorted by easting: a (p1, 0), a2 (p1, 10), b (p2, 500 due east of a: exactly the
    # distance, so a pair); a2-b is 490 m. a-a2 share a partner: no pair, and b still pairs
    a = at("p1", "a", 0, 0, 1, "1", 0)
    a2 = at("p1", "a2", 10, 0, 1, "1", 0)
    b = at("p2", "b", 500, 0, 1, "1", 0)
    got = [(p.a, p.b, p.distance_m) for p in pairs_within([b, a2, a], D(500))]
    assert got == [("p1/a", "p2/b", D(500)), ("p1/a2", "p2/b", D(490))]


def test_road_pairs_either_way_round_the_shorter_and_up_to_the_limit() -> None:
    a = at("p1", "a", 0, 0, 1, "1", 0)
    b = at("p2", "b", 0, 0, 1, "1", 0)
    c = at("p3", "c", 0, 0, 1, "1", 0)
    a2 = at("p1", "a2", 0, 0, 1, "1", 0)
    minutes = {
        ("p1/a", "p2/b"): D(12),
        ("p2/b", "p1/a"): D(8),  # the shorter way round counts
        ("p3/c", "p1/a"): D(20),  # exactly the limit: close
        ("p1/a", "p1/a2"): D(1),  # one partner's: never a pair
        ("p1/a", "p9/gone"): D(1),  # not a building of the register
        ("p2/b", "p3/c"): D("20.5"),  # over the limit
    }
    got = [(p.a, p.b, p.minutes) for p in pairs_by_road([a, b, c, a2], minutes, D(20))]
    assert got == [("p1/a", "p2/b", D(8)), ("p1/a", "p3/c", D(20))]


def test_the_npv_is_rounded_once_to_the_penny() -> None:
    # vacate V (running cost £1 a year), no receipt, no moving cost; one year at a factor of
    # 0.004951: NPV = 1 x 0.004951 = £0.004951, which is £0.00 to the penny (half up). Rounded
    # first to 4 places (0.0050) and then to the penny it would be £0.01.
    k = at("p1", "K", 0, 0, 100, "10", 0)
    v = at("p2", "V", 0, 10, 50, "10", 1)
    c = Criteria(years=1, move_cost_per_m2=D(0))
    [g] = co_locations([k, v], c, [D(1), D("0.004951")])
    assert g.npv == D("0.00")


def test_a_move_that_just_fits() -> None:
    # keep K (100 m², 50% used: 50 spare); V (100 m², 50%): 50 m² to move, exactly the spare
    k = at("p1", "K", 0, 0, 100, "50", 0)
    v = at("p2", "V", 0, 10, 100, "50", 0)
    [g] = co_locations([k, v], Criteria(years=2), HALVES)
    assert (g.space_moved_m2, g.spare_m2, g.fits, g.reasons) == (D(50), D(50), True, [])


def test_the_largest_is_kept_whatever_its_key_and_space_to_the_hundredth() -> None:
    # BIG (p9, 1,000 m²) is kept before the smaller p1/small (333 m², 33.3% used):
    # moved 333 x 33.3 / 100 = 110.889, 110.89 m²; moving 110.89 x £100 = £11,089.00
    big = at("p9", "BIG", 0, 0, 1000, "10", 0)
    small = at("p1", "small", 0, 10, 333, "33.3", 0)
    [g] = co_locations([small, big], Criteria(years=2), HALVES)
    assert (g.keep.key, g.space_moved_m2, g.moving_cost) == ("p9/BIG", D("110.89"), D("11089.00"))


def test_the_best_npv_first_whatever_the_keys() -> None:
    # p1/A's pair saves £10 a year, p1/Z's £1,000: Z's ranks first.
    # NPV (moved 10% of 50 = 5 m², £500): A -500 + 10 x 0.75 = -492.50;
    # Z -500 + 1,000 x 0.75 = 250.00
    a = at("p1", "A", 0, 0, 100, "10", 0)
    a2 = at("p2", "A2", 0, 10, 50, "10", 10)
    z = at("p1", "Z", 10_000, 0, 100, "10", 0)
    z2 = at("p2", "Z2", 10_000, 10, 50, "10", 1000)
    groups = co_locations([a, a2, z, z2], Criteria(years=2), HALVES)
    assert [(g.rank, g.keep.key, g.npv) for g in groups] == [
        (1, "p1/Z", D("250.00")),
        (2, "p1/A", D("-492.50")),
    ]


def test_the_shorter_time_counts_whichever_is_given_first() -> None:
    a = at("p1", "a", 0, 0, 1, "1", 0)
    d = at("p4", "d", 0, 0, 1, "1", 0)
    minutes = {("p1/a", "p4/d"): D(5), ("p4/d", "p1/a"): D(9)}
    [p] = pairs_by_road([a, d], minutes, D(20))
    assert p.minutes == D(5)


def test_criteria_and_pairs_are_fixed_once_made() -> None:
    with pytest.raises(FrozenInstanceError):
        Criteria().years = 5  # type: ignore[misc]
    [p] = pairs_within([K, V1], D(500))
    with pytest.raises(FrozenInstanceError):
        p.a = "x"  # type: ignore[misc]


def test_a_freehold_without_floor_area_is_not_called_a_leasehold() -> None:
    # V1 as a freehold with no floor area: no receipt can be worked out, and the reason
    # says why (it used to say "not a freehold (FREEHOLD ...)")
    v = at("p2", "V1", 300, 400, None, "50", 1_000, tenure="Freehold")
    [g] = co_locations([K, v], Criteria(years=2, value_per_m2=D(10)), HALVES)
    assert g.reasons == ["p2/V1: a freehold with no floor area given, no receipt"]
    assert g.receipt == D(0)
