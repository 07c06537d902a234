"""The Shapley value of a cooperative game: each player's average marginal contribution.

``value`` is any function from a coalition (a frozenset of players) to its worth. For up
to :data:`EXACT_LIMIT` players the value is computed exactly (rational arithmetic over
all 2^n coalitions); beyond that it is estimated by sampling random orders of the players
(Castro, Gomez & Tejada 2009), reproducibly from a seed, with a standard error per player.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Generic, TypeVar

EXACT_LIMIT = 15

P = TypeVar("P", bound=Hashable)
# The worth of a coalition of players.
Value = Callable[[frozenset[P]], Decimal | int | Fraction]


@dataclass
class ShapleyResult(Generic[P]):
    players: list[P]
    values: dict[P, Fraction]
    method: str  # "exact" | "sampled"
    samples: int = 0
    seed: int | None = None
    std_error: dict[P, float] | None = None


def _frac(x: Decimal | int | Fraction) -> Fraction:
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    return Fraction(Decimal(str(x)))


def shapley_exact(players: Sequence[P], value: Value[P]) -> ShapleyResult[P]:
    """Exact Shapley value: phi_i = sum over S not containing i of
    |S|! (n-|S|-1)! / n! * (v(S + i) - v(S))."""
    ps = list(players)
    n = len(ps)
    if n == 0:
        return ShapleyResult([], {}, "exact")
    if len(set(ps)) != n:
        raise ValueError("players must be distinct")
    # Worth of every coalition, indexed by bitmask, evaluated once.
    worth: list[Fraction] = []
    for mask in range(1 << n):
        worth.append(_frac(value(frozenset(ps[i] for i in range(n) if mask >> i & 1))))
    size = [bin(m).count("1") for m in range(1 << n)]
    weight = [
        Fraction(math.factorial(k) * math.factorial(n - k - 1), math.factorial(n)) for k in range(n)
    ]
    out: dict[P, Fraction] = {}
    for i, p in enumerate(ps):
        bit = 1 << i
        # Marginal contributions summed by coalition size, then weighted once per size.
        by_size = [Fraction(0)] * n
        for mask in range(1 << n):
            if mask & bit:
                continue
            by_size[size[mask]] += worth[mask | bit] - worth[mask]
        out[p] = sum((w * s for w, s in zip(weight, by_size, strict=True)), Fraction(0))
    return ShapleyResult(ps, out, "exact")


def shapley_sampled(
    players: Sequence[P], value: Value[P], samples: int = 2000, seed: int = 0
) -> ShapleyResult[P]:
    """Monte-Carlo estimate from ``samples`` random orders of the players.

    Each order's marginal contributions add up to v(N) - v(empty), so the estimates are
    efficient exactly, whatever the number of samples.
    """
    ps = list(players)
    n = len(ps)
    if samples < 1:
        raise ValueError("samples must be at least 1")
    rng = random.Random(seed)
    cache: dict[frozenset[P], Fraction] = {}

    def v(s: frozenset[P]) -> Fraction:
        if s not in cache:
            cache[s] = _frac(value(s))
        return cache[s]

    total = {p: Fraction(0) for p in ps}
    sq = {p: 0.0 for p in ps}
    order = list(ps)
    for _ in range(samples):
        rng.shuffle(order)
        coalition: frozenset[P] = frozenset()
        before = v(coalition)
        for p in order:
            coalition = coalition | {p}
            after = v(coalition)
            m = after - before
            total[p] += m
            sq[p] += float(m) ** 2
            before = after
    means = {p: total[p] / samples for p in ps}
    se: dict[P, float] = {}
    for p in ps:
        mean = float(means[p])
        var = max(sq[p] / samples - mean * mean, 0.0)
        se[p] = math.sqrt(var / samples) if samples > 1 else float("nan")
    _ = n
    return ShapleyResult(ps, means, "sampled", samples, seed, se)


def shapley(
    players: Sequence[P],
    value: Value[P],
    *,
    exact_limit: int = EXACT_LIMIT,
    samples: int = 2000,
    seed: int = 0,
) -> ShapleyResult[P]:
    """Exact for up to ``exact_limit`` players, sampled beyond."""
    if len(players) <= exact_limit:
        return shapley_exact(players, value)
    return shapley_sampled(players, value, samples, seed)
