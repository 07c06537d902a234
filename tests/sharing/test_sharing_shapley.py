"""The Shapley value on games with known answers, and its axioms."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wholeplace.sharing.shapley import shapley, shapley_exact, shapley_sampled


def glove(s: frozenset) -> int:
    # One left glove (L), two right gloves (R1, R2); a pair is worth 1.
    return min(int("L" in s), len(s & {"R1", "R2"}))


def test_glove_game():
    r = shapley_exact(["L", "R1", "R2"], glove)
    assert r.values == {"L": Fraction(2, 3), "R1": Fraction(1, 6), "R2": Fraction(1, 6)}


def test_airport_game_is_serial_cost_sharing():
    # Runway costs 1, 3, 6 for small, medium, large planes; cost of a group = its largest need.
    # Known answer (Littlechild & Owen): 1/3, 1/3 + 2/2, 1/3 + 2/2 + 3/1.
    cost = {"s": 1, "m": 3, "l": 6}
    r = shapley_exact(list(cost), lambda s: max((cost[p] for p in s), default=0))
    assert r.values == {"s": Fraction(1, 3), "m": Fraction(4, 3), "l": Fraction(13, 3)}


def test_majority_game():
    # Any two of three win: everyone is symmetric, 1/3 each.
    r = shapley_exact(["a", "b", "c"], lambda s: 1 if len(s) >= 2 else 0)
    assert set(r.values.values()) == {Fraction(1, 3)}


def test_weighted_voting_game():
    # Weights 50, 49, 1 with quota 51: the big player is pivotal in 4 of 6 orders.
    w = {"big": 50, "mid": 49, "tiny": 1}
    r = shapley_exact(list(w), lambda s: 1 if sum(w[p] for p in s) >= 51 else 0)
    assert r.values == {"big": Fraction(2, 3), "mid": Fraction(1, 6), "tiny": Fraction(1, 6)}


def brute_force(players, v):
    n = len(players)
    perms = list(itertools.permutations(players))
    out = dict.fromkeys(players, Fraction(0))
    for order in perms:
        s = frozenset()
        for p in order:
            out[p] += Fraction(v(s | {p})) - Fraction(v(s))
            s = s | {p}
    return {p: x / len(perms) for p, x in out.items()} if n else {}


games = st.integers(min_value=1, max_value=5).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.integers(-50, 100), min_size=2**n, max_size=2**n),
        st.lists(st.integers(-50, 100), min_size=2**n, max_size=2**n),
    )
)


def as_game(n, table):
    players = [f"p{i}" for i in range(n)]

    def v(s):
        if not s:
            return 0
        return table[sum(1 << int(p[1:]) for p in s)]

    return players, v


@settings(max_examples=60)
@given(games)
def test_matches_brute_force_and_axioms(game):
    n, t1, t2 = game
    players, v = as_game(n, t1)
    _, w = as_game(n, t2)
    phi = shapley_exact(players, v).values
    assert phi == brute_force(players, v)
    # Efficiency: the values add up to what the grand coalition is worth.
    assert sum(phi.values()) == v(frozenset(players)) - v(frozenset())
    # Additivity: the value of v + w is the value of v plus the value of w.
    psi = shapley_exact(players, w).values
    both = shapley_exact(players, lambda s: v(s) + w(s)).values
    assert all(both[p] == phi[p] + psi[p] for p in players)


def test_symmetry():
    # b and c are interchangeable: v(S + b) = v(S + c) for every S without them.
    def v(s):
        return 10 * len(s & {"b", "c"}) + (30 if "a" in s and s & {"b", "c"} else 0)

    phi = shapley_exact(["a", "b", "c"], v).values
    assert phi["b"] == phi["c"]
    assert phi["a"] != phi["b"]


def test_null_player_gets_nothing():
    def v(s):
        return 100 if {"a", "b"} <= s else 0  # "z" never adds anything

    phi = shapley_exact(["a", "z", "b"], v).values
    assert phi == {"a": 50, "z": 0, "b": 50}


def test_decimal_values_are_exact():
    phi = shapley_exact(
        ["x", "y"], lambda s: Decimal("0.10") * len(s) + (Decimal("0.01") if len(s) == 2 else 0)
    ).values
    assert phi == {"x": Fraction(21, 200), "y": Fraction(21, 200)}


def test_sampling_is_efficient_reproducible_and_close():
    players = ["L", "R1", "R2"]
    a = shapley_sampled(players, glove, samples=3000, seed=7)
    b = shapley_sampled(players, glove, samples=3000, seed=7)
    assert a.values == b.values
    assert sum(a.values.values()) == 1
    exact = shapley_exact(players, glove).values
    for p in players:
        assert abs(float(a.values[p] - exact[p])) < 4 * a.std_error[p] + 1e-9


def test_more_than_exact_limit_players_are_sampled():
    # 20 players in an additive game (v = sum of own worths): every order gives each player
    # exactly its own worth, so even a small sample is exact; efficiency holds for any game.
    worth = {i: i * 3 + 1 for i in range(20)}
    r = shapley(list(worth), lambda s: sum(worth[p] for p in s), samples=50, seed=1)
    assert r.method == "sampled"
    assert r.values == worth
    sq = shapley(list(worth), lambda s: len(s) ** 2, samples=50, seed=1)
    assert sum(sq.values.values()) == 400
    assert shapley(list(range(15)), lambda s: len(s) ** 2).method == "exact"


def test_distinct_players_required():
    with pytest.raises(ValueError):
        shapley_exact(["a", "a"], lambda s: 0)
