"""Co-location and disposal candidates in the shared register.

**Co-location**: under-used buildings of *different* partners within a straight-line
distance the place sets (``within_m``, default 500 m). Two buildings within it are a pair;
pairs that share a building join one group (so A-B and B-C make the group A, B, C even
when A and C are further apart). In each group the largest building (gross internal
area) is kept and the others are vacated; the estimate is

- the running cost saved each year: the vacated buildings' running costs;
- the receipt: the vacated freeholds' floor area times the value per m² the user gives
  (a leasehold is handed back, with no receipt);
- the one-off cost of moving: the space in use in the vacated buildings (floor area times
  utilisation) times the moving cost per m²;
- its net present value: receipt - moving cost in year 0, plus the saving in each year
  1 .. ``years``, each times the discount factor of that year (the factors are given by the
  caller: the Green Book schedule of the cost-benefit engine, ``cba.discounting``).

**Disposal**: every asset with at least one reason: under-used, poor condition (C or D),
running cost per m² more than 1.5 times the register's median, or declared surplus;
ranked by the number of reasons, then by running cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from wholeplace.assets.geo import distance_m
from wholeplace.assets.model import Asset, shown
from wholeplace.money import ZERO, round_half_up, to_money

HIGH_COST_RATIO = Decimal("1.5")


@dataclass(frozen=True)
class Criteria:
    within_m: Decimal = Decimal(500)
    # by road: with travel times given, buildings are close when the time between them is
    # at most this many minutes, and the straight-line distance is not used
    within_minutes: Decimal | None = None
    under_used_pct: Decimal = Decimal(75)  # a building using less of its space is under-used
    years: int = 10
    move_cost_per_m2: Decimal = Decimal(100)
    value_per_m2: Decimal = ZERO

    def to_json(self) -> dict[str, Any]:
        return {k: None if v is None else str(v) for k, v in self.__dict__.items()}


def under_used(a: Asset, c: Criteria) -> bool:
    return a.utilisation is not None and a.utilisation < c.under_used_pct


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    distance_m: Decimal | None
    minutes: Decimal | None = None


@dataclass
class CoLocation:
    rank: int
    keep: Asset
    vacate: list[Asset]
    pairs: list[Pair]
    saving_a_year: Decimal
    receipt: Decimal
    moving_cost: Decimal
    space_moved_m2: Decimal
    spare_m2: Decimal
    npv: Decimal
    reasons: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return self.space_moved_m2 <= self.spare_m2

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "keep": self.keep.key,
            "vacate": [a.key for a in self.vacate],
            "pairs": [
                {
                    "a": p.a,
                    "b": p.b,
                    "distance_m": None if p.distance_m is None else str(p.distance_m),
                    "minutes": None if p.minutes is None else str(p.minutes),
                }
                for p in self.pairs
            ],
            "saving_a_year": str(self.saving_a_year),
            "receipt": str(self.receipt),
            "moving_cost": str(self.moving_cost),
            "space_moved_m2": str(self.space_moved_m2),
            "spare_m2": str(self.spare_m2),
            "fits": self.fits,
            "npv": str(self.npv),
            "reasons": list(self.reasons),
        }


def _point(a: Asset) -> tuple[Decimal, Decimal]:
    assert a.easting is not None and a.northing is not None
    return (a.easting, a.northing)


def pairs_within(assets: Sequence[Asset], within_m: Decimal) -> list[Pair]:
    """Every pair of located assets of different partners within ``within_m``."""
    located = sorted((a for a in assets if a.located), key=lambda a: (a.easting, a.key))
    out = []
    for i, a in enumerate(located):
        for b in located[i + 1 :]:
            assert a.easting is not None and b.easting is not None
            if b.easting - a.easting > within_m:
                break  # sorted by easting: every later one is further east still
            if a.partner == b.partner:
                continue
            d = distance_m(_point(a), _point(b))
            if d <= within_m:
                first, second = sorted((a.key, b.key))
                out.append(Pair(first, second, d))
    return sorted(out, key=lambda p: (p.a, p.b))


def pairs_by_road(
    assets: Sequence[Asset], minutes: Mapping[tuple[str, str], Decimal], within: Decimal
) -> list[Pair]:
    """Every pair of assets of different partners whose travel time (either way round, as
    the user gave it; the shorter if both) is at most ``within`` minutes; pairs without a
    time are not close."""
    keys = {a.key: a for a in assets}
    out: dict[tuple[str, str], Pair] = {}
    for (x, y), m in minutes.items():
        if x in keys and y in keys and keys[x].partner != keys[y].partner and m <= within:
            first, second = sorted((x, y))
            best = out.get((first, second))
            if best is None or (best.minutes is not None and m < best.minutes):
                out[(first, second)] = Pair(first, second, None, m)
    return [out[k] for k in sorted(out)]


def _groups(pairs: Sequence[Pair]) -> list[list[str]]:
    parent: dict[str, str] = {}

    def root(k: str) -> str:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    for p in pairs:
        ra, rb = root(p.a), root(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for k in parent:
        groups.setdefault(root(k), []).append(k)
    return [sorted(g) for g in groups.values()]


def _used_m2(a: Asset) -> Decimal:
    if a.gia_m2 is None:
        return ZERO
    util = a.utilisation if a.utilisation is not None else Decimal(100)
    return round_half_up(a.gia_m2 * util / 100, 2)


def co_locations(
    assets: Sequence[Asset],
    c: Criteria,
    factors: Sequence[Decimal],
    minutes: Mapping[tuple[str, str], Decimal] | None = None,
) -> list[CoLocation]:
    """The co-location candidates, best net present value first. ``factors``: discount
    factors for years 0 .. ``c.years`` (at least ``c.years + 1`` of them)."""
    if len(factors) <= c.years:
        raise ValueError(f"need {c.years + 1} discount factors, got {len(factors)}")
    by_key = {a.key: a for a in assets if under_used(a, c)}
    if c.within_minutes is not None:
        pairs = pairs_by_road(list(by_key.values()), minutes or {}, c.within_minutes)
    else:
        pairs = pairs_within(list(by_key.values()), c.within_m)
    out = []
    for group in _groups(pairs):
        members = [by_key[k] for k in group]
        keep = min(members, key=lambda a: (-(a.gia_m2 or ZERO), a.key))
        vacate = [a for a in members if a is not keep]
        reasons = []
        saving = ZERO
        for a in vacate:
            if a.running_cost is None:
                reasons.append(f"{a.key}: running cost not given, counted as £0")
            saving += a.running_cost or ZERO
        receipt = ZERO
        for a in vacate:
            if a.tenure.casefold().startswith("freehold") and a.gia_m2 is not None:
                receipt += to_money(a.gia_m2 * c.value_per_m2)
            elif c.value_per_m2 and a.tenure.casefold().startswith("freehold"):
                reasons.append(f"{a.key}: a freehold with no floor area given, no receipt")
            elif c.value_per_m2:
                reasons.append(
                    f"{a.key}: not a freehold ({a.tenure or 'tenure not given'}), no receipt"
                )
        moved = sum((_used_m2(a) for a in vacate), ZERO)
        spare = ZERO
        if keep.gia_m2 is not None:
            spare = keep.gia_m2 - _used_m2(keep)
        moving = to_money(moved * c.move_cost_per_m2)
        value = Fraction(receipt) - Fraction(moving)
        value += sum(Fraction(saving) * Fraction(factors[t]) for t in range(1, c.years + 1))
        # once, to the penny: rounding to 4 places first would turn £0.004951 into £0.01
        npv = round_half_up(value, 2)
        group_pairs = [p for p in pairs if p.a in group]
        if moved > spare:
            reasons.append(
                f"the space in use moved ({moved} m²) is more than the "
                f"{spare} m² spare in {keep.key}"
            )
        out.append(
            CoLocation(
                0, keep, vacate, group_pairs, saving, receipt, moving, moved, spare, npv, reasons
            )
        )
    out.sort(key=lambda g: (-g.npv, g.keep.key))
    for i, g in enumerate(out, start=1):
        g.rank = i
    return out


@dataclass
class Disposal:
    rank: int
    asset: Asset
    reasons: list[str]
    # the areas within the distance the place set, with their indicators (need)
    around: dict[str, dict[str, Decimal]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        a = self.asset
        return {
            "rank": self.rank,
            "asset": a.key,
            "name": a.name,
            "running_cost": None if a.running_cost is None else str(a.running_cost),
            "cost_per_m2": None if a.cost_per_m2 is None else str(a.cost_per_m2),
            "utilisation": None if a.utilisation is None else str(a.utilisation),
            "condition": a.condition,
            "areas": list(a.areas),
            "reasons": list(self.reasons),
            "areas_around": [
                {"code": code, "values": {k: shown(v) for k, v in values.items()}}
                for code, values in self.around.items()
            ],
        }


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The middle value (the mean of the middle two for an even count)."""
    s = sorted(values)
    if not s:
        return None
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def disposals(assets: Sequence[Asset], c: Criteria) -> tuple[list[Disposal], Decimal | None]:
    """The disposal candidates, most reasons first, and the median cost per m² used."""
    mid = median([p for a in assets if (p := a.cost_per_m2) is not None])
    high = None if mid is None else to_money(mid * HIGH_COST_RATIO)
    out = []
    for a in assets:
        reasons = []
        if under_used(a, c):
            reasons.append(
                f"under-used: {a.utilisation}% of its space in use (under {c.under_used_pct}%)"
            )
        if a.condition in ("C", "D"):
            reasons.append(f"poor condition ({a.condition})")
        per_m2 = a.cost_per_m2
        if per_m2 is not None and high is not None and per_m2 > high:
            reasons.append(
                f"high running cost: £{per_m2:,} per m² a year, more than "
                f"£{high:,} (1.5 times the register's median)"
            )
        if a.surplus:
            reasons.append("declared surplus")
        if reasons:
            out.append(Disposal(0, a, reasons))
    out.sort(key=lambda d: (-len(d.reasons), -(d.asset.running_cost or ZERO), d.asset.key))
    for i, d in enumerate(out, start=1):
        d.rank = i
    return out, mid
