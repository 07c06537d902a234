"""Risk-share rules: how a pooled budget's overspend (or underspend) is split.

A rule is a list of *tiers* over the size of the variance, each with its own split, plus
optional *caps* per partner. "The host absorbs the first £X" is a first tier split
wholly to the host. Every split goes through :func:`wholeplace.money.apportion`, so
shares always add up to the variance to the penny.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wholeplace.money import ZERO, apportion, fmt_gbp, to_money
from wholeplace.sharing.common import Issues

SPLIT_KINDS = ("proportional", "proportional_cash", "equal", "host", "fixed")


@dataclass(frozen=True)
class Split:
    """How one band of a variance is divided.

    ``proportional``: by each partner's contribution that year (cash and in kind);
    ``proportional_cash``: by cash contributions only; ``equal``; ``host``: all to the
    host partner; ``fixed``: by the fractions in ``shares`` (which sum to 1).
    """

    kind: str
    shares: dict[str, Decimal] = field(default_factory=dict)

    def describe(self, names: dict[str, str] | None = None) -> str:
        names = names or {}
        if self.kind == "proportional":
            return "in proportion to contributions"
        if self.kind == "proportional_cash":
            return "in proportion to cash contributions"
        if self.kind == "equal":
            return "equally"
        if self.kind == "host":
            return "by the host alone"
        parts = [f"{names.get(p, p)} {pct(s)}" for p, s in self.shares.items()]
        return "in fixed shares (" + ", ".join(parts) + ")"


@dataclass(frozen=True)
class Tier:
    """A band of the variance from the previous tier's ``up_to`` to this one's."""

    up_to: Decimal | None
    split: Split


@dataclass(frozen=True)
class RiskRule:
    tiers: tuple[Tier, ...]
    caps: dict[str, Decimal] = field(default_factory=dict)

    def describe(self, names: dict[str, str] | None = None) -> str:
        parts = []
        lower = ZERO
        for t in self.tiers:
            band = (
                f"the first {fmt_gbp(t.up_to, pence=False)}"
                if lower == 0 and t.up_to is not None
                else f"from {fmt_gbp(lower, pence=False)} to {fmt_gbp(t.up_to, pence=False)}"
                if t.up_to is not None
                else ("all of it" if lower == 0 else f"above {fmt_gbp(lower, pence=False)}")
            )
            parts.append(f"{band} is shared {t.split.describe(names)}")
            lower = t.up_to if t.up_to is not None else lower
        text = "; ".join(parts)
        if self.caps:
            names = names or {}
            caps = ", ".join(
                f"{names.get(p, p)} pays at most {fmt_gbp(c, pence=False)}"
                for p, c in self.caps.items()
            )
            text += (
                f"; {caps} (the excess is shared among the others in proportion to their shares)"
            )
        return text


@dataclass
class SplitResult:
    shares: dict[str, Decimal]
    steps: list[str]
    warnings: list[str]


def pct(fraction: Decimal) -> str:
    """0.5 -> '50%', 0.125 -> '12.5%'."""
    return f"{(fraction * 100).normalize():f}%"


def simple_rule(kind: str, shares: dict[str, Decimal] | None = None) -> RiskRule:
    return RiskRule((Tier(None, Split(kind, shares or {})),))


def split_variance(
    amount: Decimal,
    rule: RiskRule,
    partners: list[str],
    host: str,
    contributions: dict[str, Decimal],
    cash: dict[str, Decimal] | None = None,
    names: dict[str, str] | None = None,
) -> SplitResult:
    """Split a non-negative ``amount`` among ``partners`` by ``rule``.

    The tiers are bands of ``amount`` itself; caps then limit each partner's total and
    the excess goes to the uncapped partners in proportion to what they already bear.
    """
    amount = to_money(amount)
    if amount < 0:
        raise ValueError("split_variance takes the size of the variance (not negative)")
    names = names or {}
    cash = cash if cash is not None else contributions
    shares = {p: ZERO for p in partners}
    steps: list[str] = []
    warnings: list[str] = []
    lower = ZERO
    for tier in rule.tiers:
        if lower >= amount:
            break
        upper = amount if tier.up_to is None else min(amount, tier.up_to)
        band = upper - lower
        if band > 0:
            weights = _weights(tier.split, partners, host, contributions, cash)
            for p, s in zip(partners, apportion(band, weights), strict=True):
                shares[p] += s
            steps.append(
                f"{fmt_gbp(band)} (from {fmt_gbp(lower)} to {fmt_gbp(upper)}) shared "
                f"{tier.split.describe(names)}"
            )
        lower = upper if tier.up_to is not None else amount
    if lower < amount:  # the last tier had an upper bound below the variance
        weights = _weights(Split("proportional"), partners, host, contributions, cash)
        band = amount - lower
        for p, s in zip(partners, apportion(band, weights), strict=True):
            shares[p] += s
        steps.append(f"{fmt_gbp(band)} above the last tier shared in proportion to contributions")
    _apply_caps(shares, rule.caps, partners, host, steps, warnings, names)
    assert sum(shares.values(), ZERO) == amount
    return SplitResult(shares, steps, warnings)


def _weights(
    split: Split,
    partners: list[str],
    host: str,
    contributions: dict[str, Decimal],
    cash: dict[str, Decimal],
) -> list[Decimal]:
    if split.kind == "equal":
        return [Decimal(1)] * len(partners)
    if split.kind == "host":
        return [Decimal(1 if p == host else 0) for p in partners]
    if split.kind == "fixed":
        return [split.shares.get(p, ZERO) for p in partners]
    basis = cash if split.kind == "proportional_cash" else contributions
    w = [basis.get(p, ZERO) for p in partners]
    # Nobody contributed (a year with no money in yet): share equally rather than fail.
    return w if sum(w) > 0 else [Decimal(1)] * len(partners)


def _apply_caps(
    shares: dict[str, Decimal],
    caps: dict[str, Decimal],
    partners: list[str],
    host: str,
    steps: list[str],
    warnings: list[str],
    names: dict[str, str],
) -> None:
    capped: set[str] = set()
    while True:
        over = {p: shares[p] - caps[p] for p in partners if p in caps and shares[p] > caps[p]}
        if not over:
            return
        excess = sum(over.values(), ZERO)
        for p, e in over.items():
            shares[p] -= e
            capped.add(p)
            steps.append(
                f"{names.get(p, p)} capped at {fmt_gbp(caps[p])}; {fmt_gbp(e)} passed to the others"
            )
        takers = [p for p in partners if p not in capped]
        if not takers:
            shares[host] += excess
            warnings.append(
                f"every partner reached its cap; the host {names.get(host, host)} carries the "
                f"remaining {fmt_gbp(excess)} beyond its cap"
            )
            caps = {k: v for k, v in caps.items() if k != host}
            capped.add(host)
            continue
        weights = [shares[p] for p in takers]
        if sum(weights) <= 0:
            weights = [Decimal(1)] * len(takers)
        for p, s in zip(takers, apportion(excess, weights), strict=True):
            shares[p] += s


def parse_rule(raw: Any, where: str, partners: list[str], issues: Issues) -> RiskRule | None:
    """Read a rule from YAML: a split name, or ``{host_absorbs_first, tiers, split, caps}``."""
    if raw is None:
        return simple_rule("proportional")
    if isinstance(raw, str) or (isinstance(raw, dict) and "fixed" in raw):
        split = parse_split(raw, where, partners, issues)
        return RiskRule((Tier(None, split),)) if split else None
    if not isinstance(raw, dict):
        issues.add(where, raw, "a risk-share rule must be a name or a mapping", _RULE_FIX)
        return None
    unknown = set(raw) - {"host_absorbs_first", "tiers", "split", "caps"}
    if unknown:
        issues.add(
            where,
            ", ".join(sorted(unknown)),
            "unknown key in the rule",
            "use host_absorbs_first, tiers, split and caps",
        )
    tiers: list[Tier] = []
    if raw.get("host_absorbs_first") is not None:
        x = issues.money(f"{where}.host_absorbs_first", raw["host_absorbs_first"])
        if x is not None:
            tiers.append(Tier(x, Split("host")))
    if "tiers" in raw:
        _tiers(raw["tiers"], where, partners, issues, tiers)
        if tiers and tiers[-1].up_to is None and "split" in raw:
            issues.add(
                f"{where}.split",
                raw["split"],
                "the last tier already shares everything above it, so this split would never apply",
                "remove split, or give the last tier an up_to",
            )
    # What lies above the last bounded band (the host's, or the last tier's) is shared by
    # ``split``, proportionally when the rule names none.
    if not tiers or tiers[-1].up_to is not None:
        split = parse_split(raw.get("split", "proportional"), f"{where}.split", partners, issues)
        if split:
            tiers.append(Tier(None, split))
    return RiskRule(tuple(tiers), _caps(raw.get("caps"), where, partners, issues))


def _tiers(raw: object, where: str, partners: list[str], issues: Issues, tiers: list[Tier]) -> None:
    """Append the tiers listed in ``raw`` to ``tiers`` (after any host tier)."""
    if not isinstance(raw, list) or not raw:
        issues.add(f"{where}.tiers", raw, "tiers must be a list", _RULE_FIX)
        return
    prev = tiers[-1].up_to if tiers else ZERO
    for i, t in enumerate(raw, start=1):
        w = f"{where}.tiers[{i}]"
        if not isinstance(t, dict) or "split" not in t:
            issues.add(
                w, t, "each tier needs a 'split' (and an 'up_to' except the last)", _RULE_FIX
            )
            continue
        up = None
        if t.get("up_to") is not None:
            up = issues.money(f"{w}.up_to", t["up_to"])
            if up is not None and prev is not None and up <= prev:
                issues.add(
                    f"{w}.up_to",
                    t["up_to"],
                    "tiers must rise: this up_to is not above the previous one",
                    "list the tiers from the smallest threshold to the largest",
                )
        elif i < len(raw):
            issues.add(w, t, "only the last tier may leave out 'up_to'", "add an up_to amount")
        split = parse_split(t["split"], f"{w}.split", partners, issues)
        if split:
            tiers.append(Tier(up, split))
        prev = up


def _caps(raw: object, where: str, partners: list[str], issues: Issues) -> dict[str, Decimal]:
    caps: dict[str, Decimal] = {}
    if raw is None:
        return caps
    if not isinstance(raw, dict):
        issues.add(
            f"{where}.caps",
            raw,
            "caps must map partners to amounts",
            "write caps: {partner_id: 15000}",
        )
        return caps
    for p, v in raw.items():
        if p not in partners:
            issues.add(f"{where}.caps", p, "unknown partner", f"use one of: {', '.join(partners)}")
            continue
        c = issues.money(f"{where}.caps.{p}", v)
        if c is not None:
            caps[p] = c
    return caps


_RULE_FIX = (
    "write a rule such as 'proportional', 'equal', 'host', {fixed: {a: 60, b: 40}}, or "
    "{host_absorbs_first: 20000, tiers: [{up_to: 100000, split: proportional}, {split: equal}], "
    "caps: {b: 15000}}"
)


def parse_split(raw: Any, where: str, partners: list[str], issues: Issues) -> Split | None:
    if isinstance(raw, str):
        kind = raw.strip().lower().replace(" ", "_").replace("-", "_")
        if kind in ("proportional", "proportional_to_contributions", "contributions"):
            return Split("proportional")
        if kind in ("proportional_cash", "cash"):
            return Split("proportional_cash")
        if kind in ("equal", "equally"):
            return Split("equal")
        if kind in ("host", "host_only"):
            return Split("host")
        issues.add(where, raw, "unknown way to split", _RULE_FIX)
        return None
    if isinstance(raw, dict) and set(raw) == {"fixed"} and isinstance(raw["fixed"], dict):
        shares: dict[str, Decimal] = {}
        ok = True
        for p, v in raw["fixed"].items():
            if p not in partners:
                issues.add(
                    f"{where}.fixed", p, "unknown partner", f"use one of: {', '.join(partners)}"
                )
                ok = False
                continue
            s = issues.percent(f"{where}.fixed.{p}", v)
            if s is None:
                ok = False
            else:
                shares[p] = s
        if ok and sum(shares.values(), ZERO) != 1:
            issues.add(
                f"{where}.fixed",
                ", ".join(f"{p}: {pct(s)}" for p, s in shares.items()),
                f"fixed shares add up to {pct(sum(shares.values(), ZERO))}, not 100%",
                "make the percentages add up to exactly 100",
            )
            ok = False
        return Split("fixed", shares) if ok else None
    issues.add(where, raw, "unknown way to split", _RULE_FIX)
    return None
