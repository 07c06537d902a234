"""Gain-share: turn "who gains" into "who should gain".

Each partner invests (costs) and gains (cashable benefits) year by year. Before any
agreement a partner's net position is its own benefits less its own costs. A rule says
what each partner *should* end up with; the transfers are the difference, year by year,
and always sum to zero in every year to the penny.

Rules (see docs/sharing.md):

* ``proportional_to_investment``, ``equal``, ``fixed``, ``proportional_to_benefit`` and
  ``shapley`` share each year's joint net benefit (all benefits less all costs) by a
  weight per partner fixed for the agreement (from the undiscounted totals);
* ``recover_outlay_first`` pays each year's benefits first to the investors until their
  outlay is recovered (in proportion to what is outstanding), and shares the rest by a
  second rule (equal unless stated).

The Shapley game: a coalition that includes every *essential* partner (default: every
partner that invests) can run the whole programme, paying all of its costs and counting
only its own members' benefits, and will do so only if that is worth it:
``v(S) = max(0, benefits(S) - costs(all))``; coalitions missing an essential partner are
worth nothing. Each partner then gets its average marginal contribution.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

from wholeplace.errors import InputError
from wholeplace.money import ZERO, apportion, fmt_gbp, round_half_up, to_money
from wholeplace.sharing.common import (
    Issues,
    integer_weights,
    load_yaml,
    round_to_total,
    shape_guard,
    year_key,
)
from wholeplace.sharing.rules import pct
from wholeplace.sharing.shapley import EXACT_LIMIT, ShapleyResult, shapley

RULES = (
    "proportional_to_investment",
    "equal",
    "fixed",
    "recover_outlay_first",
    "proportional_to_benefit",
    "shapley",
)
DEFAULT_DISCOUNT = Decimal("0.035")  # HM Treasury Green Book social time preference rate
DEFAULT_RISK_CONCENTRATION = Decimal("0.9")
PV_PERIOD = "present value"


@dataclass
class PartnerFlows:
    id: str
    name: str
    costs: list[Decimal]
    benefits: list[Decimal]


@dataclass
class Rule:
    kind: str
    shares: dict[str, Decimal] = field(default_factory=dict)  # fixed
    then: Rule | None = None  # recover_outlay_first: how the rest is split

    def describe(self) -> str:
        if self.kind == "fixed":
            return (
                "fixed shares (" + ", ".join(f"{p} {pct(s)}" for p, s in self.shares.items()) + ")"
            )
        if self.kind == "recover_outlay_first":
            then = self.then.describe() if self.then else "equally"
            return f"investors recover their outlay first, then the rest is shared {then}"
        return {
            "proportional_to_investment": "in proportion to investment",
            "proportional_to_benefit": "in proportion to benefit",
            "equal": "equally",
            "shapley": "by the Shapley value (each partner's average marginal contribution)",
        }.get(self.kind, self.kind.replace("_", " "))


@dataclass
class Agreement:
    name: str
    years: list[str]
    partners: list[PartnerFlows]
    rule: Rule
    discount_rate: Decimal = DEFAULT_DISCOUNT
    essential: list[str] | None = None
    shapley_samples: int = 5000
    shapley_seed: int = 0
    shapley_exact_limit: int = EXACT_LIMIT
    risk_concentration: Decimal = DEFAULT_RISK_CONCENTRATION
    # What groups of partners are known to achieve on their own, overriding the default game.
    coalition_values: dict[frozenset[str], Decimal] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.partners]

    def flows(self, pid: str) -> PartnerFlows:
        return next(p for p in self.partners if p.id == pid)


@dataclass
class Position:
    undiscounted: Decimal
    discounted: Decimal


@dataclass
class PartnerOutcome:
    id: str
    name: str
    investment: Decimal
    benefit: Decimal
    before_by_year: list[Decimal]
    after_by_year: list[Decimal]
    transfer_by_year: list[Decimal]  # + receives, - pays
    before: Position
    after: Position
    worst_cumulative_after: Decimal
    outside_option: Decimal


@dataclass
class Payment:
    year: str
    payer: str
    receiver: str
    amount: Decimal


@dataclass
class GainShareResult:
    agreement: Agreement
    outcomes: list[PartnerOutcome]
    payments: list[Payment]
    weights: dict[str, Fraction]
    shapley: ShapleyResult[str] | None
    warnings: list[str]
    joint_net: Position

    def outcome(self, pid: str) -> PartnerOutcome:
        return next(o for o in self.outcomes if o.id == pid)

    def to_json(self) -> dict[str, Any]:
        a = self.agreement
        out: dict[str, Any] = {
            "agreement": a.name,
            "rule": a.rule.describe(),
            "years": a.years,
            "discount_rate": a.discount_rate,
            "joint_net": self.joint_net.__dict__,
            "partners": [
                {
                    "id": o.id,
                    "name": o.name,
                    "investment": o.investment,
                    "benefit": o.benefit,
                    "before": o.before.__dict__,
                    "after": o.after.__dict__,
                    "before_by_year": dict(zip(a.years, o.before_by_year, strict=True)),
                    "after_by_year": dict(zip(a.years, o.after_by_year, strict=True)),
                    "transfer_by_year": dict(zip(a.years, o.transfer_by_year, strict=True)),
                    "worst_cumulative_after": o.worst_cumulative_after,
                }
                for o in self.outcomes
            ],
            "payments": [p.__dict__ for p in self.payments],
            "warnings": self.warnings,
        }
        if self.shapley is not None:
            out["shapley"] = {
                "method": self.shapley.method,
                "samples": self.shapley.samples,
                "seed": self.shapley.seed,
                "values": {
                    str(p): to_money(Decimal(v.numerator) / Decimal(v.denominator))
                    for p, v in self.shapley.values.items()
                },
            }
        return out


# -- the calculation ----------------------------------------------------------------------


def discount_factors(n: int, rate: Decimal) -> list[Decimal]:
    """Green Book convention: the first year is year 0 (not discounted)."""
    with localcontext() as ctx:
        ctx.prec = 40
        return [Decimal(1) / (Decimal(1) + rate) ** t for t in range(n)]


def present_value(values: Sequence[Decimal], rate: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        pv = sum(
            (v * f for v, f in zip(values, discount_factors(len(values), rate), strict=True)),
            Decimal(0),
        )
    return to_money(pv)


def shapley_game(agreement: Agreement) -> tuple[list[str], Callable[[frozenset[str]], Decimal]]:
    ids = agreement.ids
    benefit = {p.id: sum(p.benefits, ZERO) for p in agreement.partners}
    all_costs = sum((sum(p.costs, ZERO) for p in agreement.partners), ZERO)
    essential = set(
        agreement.essential
        if agreement.essential is not None
        else [p.id for p in agreement.partners if sum(p.costs, ZERO) > 0]
    )

    known = agreement.coalition_values

    def v(coalition: frozenset[str]) -> Decimal:
        if coalition in known:
            return known[coalition]
        if not coalition:
            return ZERO
        if not essential <= coalition:
            return ZERO
        return max(ZERO, sum((benefit[p] for p in coalition), ZERO) - all_costs)

    return ids, v


def rule_weights(
    agreement: Agreement, rule: Rule
) -> tuple[dict[str, Fraction], ShapleyResult[str] | None]:
    ids = agreement.ids
    inv = {p.id: sum(p.costs, ZERO) for p in agreement.partners}
    ben = {p.id: sum(p.benefits, ZERO) for p in agreement.partners}
    sh = None
    if rule.kind == "proportional_to_investment":
        raw = {p: Fraction(inv[p]) for p in ids}
    elif rule.kind == "proportional_to_benefit":
        raw = {p: Fraction(ben[p]) for p in ids}
    elif rule.kind == "fixed":
        raw = {p: Fraction(rule.shares.get(p, ZERO)) for p in ids}
    elif rule.kind == "shapley":
        players, v = shapley_game(agreement)
        sh = shapley(
            players,
            v,
            exact_limit=agreement.shapley_exact_limit,
            samples=agreement.shapley_samples,
            seed=agreement.shapley_seed,
        )
        raw = {p: sh.values[p] for p in ids}
    else:
        raw = {p: Fraction(1) for p in ids}
    total = sum(raw.values(), Fraction(0))
    if total == 0:
        raw = {p: Fraction(1) for p in ids}
        total = Fraction(len(ids))
    return {p: w / total for p, w in raw.items()}, sh


def _split(amount: Decimal, weights: dict[str, Fraction], ids: list[str]) -> list[Decimal]:
    if any(w < 0 for w in weights.values()):
        # A Shapley value can be negative (a partner that destroys value); share signed.
        return round_to_total([Fraction(amount) * weights[p] for p in ids], amount)
    return apportion(amount, integer_weights([weights[p] for p in ids]))


def compute_gainshare(agreement: Agreement) -> GainShareResult:
    ids = agreement.ids
    ny = len(agreement.years)
    rule = agreement.rule
    weights_rule = rule.then if rule.kind == "recover_outlay_first" and rule.then else rule
    if rule.kind == "recover_outlay_first" and rule.then is None:
        weights_rule = Rule("equal")
    weights, sh = rule_weights(agreement, weights_rule)
    before = {
        p.id: [b - c for b, c in zip(p.benefits, p.costs, strict=True)] for p in agreement.partners
    }
    if rule.kind == "recover_outlay_first":
        after = _recover_outlay_first(agreement, weights)
    else:
        after = {pid: [ZERO] * ny for pid in ids}
        for y in range(ny):
            joint_y = sum((before[pid][y] for pid in ids), ZERO)
            for pid, s in zip(ids, _split(joint_y, weights, ids), strict=True):
                after[pid][y] = s
    outcomes = _outcomes(agreement, before, after)
    rate = agreement.discount_rate
    joint_years = [sum((before[pid][y] for pid in ids), ZERO) for y in range(ny)]
    joint = Position(sum(joint_years, ZERO), present_value(joint_years, rate))
    payments = settle(agreement.years, outcomes)
    warnings = gainshare_warnings(agreement, outcomes, joint)
    return GainShareResult(agreement, outcomes, payments, weights, sh, warnings, joint)


def _recover_outlay_first(
    agreement: Agreement, weights: dict[str, Fraction]
) -> dict[str, list[Decimal]]:
    """Each year's benefits repay the investors' outstanding outlay first (in proportion to
    what each is owed); the rest is shared by ``weights``. Returns the net by year."""
    ids = agreement.ids
    after = {pid: [ZERO] * len(agreement.years) for pid in ids}
    outstanding = {pid: ZERO for pid in ids}
    for y in range(len(agreement.years)):
        for p in agreement.partners:
            outstanding[p.id] += p.costs[y]
        pot = sum((p.benefits[y] for p in agreement.partners), ZERO)
        repay = min(pot, sum(outstanding.values(), ZERO))
        received = {pid: ZERO for pid in ids}
        if repay > 0:
            for pid, r in zip(ids, apportion(repay, [outstanding[i] for i in ids]), strict=True):
                received[pid] += r
                outstanding[pid] -= r
        rest = pot - repay
        if rest > 0:
            for pid, r in zip(ids, _split(rest, weights, ids), strict=True):
                received[pid] += r
        for p in agreement.partners:
            after[p.id][y] = received[p.id] - p.costs[y]
    return after


def _outcomes(
    agreement: Agreement,
    before: dict[str, list[Decimal]],
    after: dict[str, list[Decimal]],
) -> list[PartnerOutcome]:
    rate = agreement.discount_rate
    outcomes: list[PartnerOutcome] = []
    _, game = shapley_game(agreement)
    for p in agreement.partners:
        transfer = [a - b for a, b in zip(after[p.id], before[p.id], strict=True)]
        cum, worst = ZERO, ZERO
        for a in after[p.id]:
            cum += a
            worst = min(worst, cum)
        outside = game(frozenset({p.id})) if agreement.rule.kind == "shapley" else ZERO
        outcomes.append(
            PartnerOutcome(
                p.id,
                p.name,
                sum(p.costs, ZERO),
                sum(p.benefits, ZERO),
                before[p.id],
                after[p.id],
                transfer,
                Position(sum(before[p.id], ZERO), present_value(before[p.id], rate)),
                Position(sum(after[p.id], ZERO), present_value(after[p.id], rate)),
                worst,
                outside,
            )
        )
    return outcomes


def settle(years: list[str], outcomes: list[PartnerOutcome]) -> list[Payment]:
    """Who pays whom each year. Payers settle with receivers in the order the partners
    are listed (largest first would be no fairer, and listed order is easier to check);
    every amount is exact, so each payer pays and each receiver gets exactly its transfer."""
    payments: list[Payment] = []
    for y, year in enumerate(years):
        payers = [(o.id, -o.transfer_by_year[y]) for o in outcomes if o.transfer_by_year[y] < 0]
        receivers = [(o.id, o.transfer_by_year[y]) for o in outcomes if o.transfer_by_year[y] > 0]
        i = j = 0
        owes = payers[0][1] if payers else ZERO
        due = receivers[0][1] if receivers else ZERO
        while i < len(payers) and j < len(receivers):
            amount = min(owes, due)
            payments.append(Payment(year, payers[i][0], receivers[j][0], amount))
            owes -= amount
            due -= amount
            if owes == 0:
                i += 1
                owes = payers[i][1] if i < len(payers) else ZERO
            if due == 0:
                j += 1
                due = receivers[j][1] if j < len(receivers) else ZERO
    return payments


def gainshare_warnings(
    agreement: Agreement, outcomes: list[PartnerOutcome], joint: Position
) -> list[str]:
    out: list[str] = []
    if joint.undiscounted <= 0:
        out.append(
            f"the programme as a whole does not pay back: joint net benefit "
            f"{fmt_gbp(joint.undiscounted)} ({fmt_gbp(joint.discounted)} discounted); "
            "any split only shares a loss"
        )
    for o in outcomes:
        if o.before.undiscounted < 0:
            out.append(
                f"without an agreement {o.name} ends {fmt_gbp(o.before.undiscounted)}: it pays "
                "while others gain, so it has no reason to invest"
            )
        for label, value in (
            ("undiscounted", o.after.undiscounted),
            ("discounted", o.after.discounted),
        ):
            if value < o.outside_option:
                out.append(
                    f"{o.name} ends {fmt_gbp(value)} ({label}), worse off than not joining "
                    f"({fmt_gbp(o.outside_option)}): it has reason to walk away"
                )
                break
    exposure = {o.id: -o.worst_cumulative_after for o in outcomes if o.worst_cumulative_after < 0}
    total = sum(exposure.values(), ZERO)
    if len(outcomes) > 1 and total > 0:
        for o in outcomes:
            e = exposure.get(o.id, ZERO)
            if e / total >= agreement.risk_concentration:
                out.append(
                    f"{o.name} carries {round_half_up(e / total * 100, 0)}% of the money at risk "
                    f"(its cumulative position falls to {fmt_gbp(-e)} before the gains arrive): "
                    "the agreement puts nearly all the risk on one partner"
                )
    return out


# -- reading input ------------------------------------------------------------------------


def from_agency_matrix(
    matrix: Mapping[str, Any] | list[Any],
    *,
    years: list[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[list[str], list[PartnerFlows]]:
    """Adapter for a cost-benefit appraisal's who-pays-who-gains matrix.

    Accepts ``{agency: {"costs": [...by year], "benefits": [...by year]}}``, the same
    wrapped as ``{"by_agency": {...}}``, or a list of ``{"agency": ..., "costs": ...,
    "benefits": ...}``. Lists are by year in order; missing years count as zero.

    ``wholeplace cba --json`` today gives present values per agency instead
    (``{agency: {"pv_costs": ..., "pv_fiscal_cashable": ...}}``); those become a single
    period called ``present value`` (costs = ``pv_costs``, benefits =
    ``pv_fiscal_cashable``, the savings that can actually be moved between partners), to
    be used with a discount rate of 0 since they are already discounted.
    """
    if isinstance(matrix, Mapping) and isinstance(matrix.get("by_agency"), (Mapping, list)):
        matrix = matrix["by_agency"]
    items: list[tuple[str, Mapping[str, Any]]]
    if isinstance(matrix, list):
        items = [(str(r["agency"]), r) for r in matrix]
    else:
        items = [(str(k), v) for k, v in matrix.items()]
    if items and all("pv_costs" in v for _, v in items):
        years = [PV_PERIOD]
        items = [
            (a, {"costs": [v["pv_costs"]], "benefits": [v.get("pv_fiscal_cashable", 0)]})
            for a, v in items
        ]
    issues = Issues("agency matrix")
    length = max((len(v.get(k) or []) for _, v in items for k in ("costs", "benefits")), default=0)
    years = years or [f"year {i}" for i in range(1, length + 1)]
    partners: list[PartnerFlows] = []
    for agency, v in items:
        series: dict[str, list[Decimal]] = {}
        for key in ("costs", "benefits"):
            vals = list(v.get(key) or [])
            if len(vals) > len(years):
                issues.add(
                    f"{agency}.{key}",
                    len(vals),
                    f"more {key} than years",
                    f"give at most {len(years)} values",
                )
            nums = [issues.money(f"{agency}.{key}[{i + 1}]", x) for i, x in enumerate(vals)]
            series[key] = [n if n is not None else ZERO for n in nums] + [ZERO] * (
                len(years) - len(vals)
            )
        partners.append(
            PartnerFlows(
                agency,
                (names or {}).get(agency, agency),
                series["costs"][: len(years)],
                series["benefits"][: len(years)],
            )
        )
    issues.raise_if_any()
    return years, partners


def load_agreement(path: Path | str, rule_override: str | None = None) -> Agreement:
    path = Path(path)
    if path.suffix.lower() == ".json":
        import json

        try:
            raw = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            from wholeplace.errors import Problem

            raise InputError(
                [
                    Problem(
                        path.name,
                        getattr(exc, "lineno", None),
                        None,
                        None,
                        f"cannot read this JSON ({exc})",
                        "save the appraisal again with wholeplace cba ... --json",
                    )
                ]
            ) from exc
        if not isinstance(raw, dict) or "partners" not in raw:
            raw = {"agency_matrix": raw}
    else:
        raw = load_yaml(path)
    return parse_agreement(raw, path.name, rule_override)


@shape_guard("gainshare_example.yaml")
def parse_agreement(
    raw: dict[str, Any], file: str = "gainshare.yaml", rule_override: str | None = None
) -> Agreement:
    """An agreement from the mapping an agreement file holds. Financial years may be written
    in any form :func:`wholeplace.years.parse_year` accepts; the agreement holds their
    labels (``2024/25``)."""
    issues = Issues(file)
    years = [year_key(y) for y in raw.get("years") or []]
    partners: list[PartnerFlows] = []
    if raw.get("agency_matrix") is not None:
        try:
            years, partners = from_agency_matrix(raw["agency_matrix"], years=years or None)
        except (AttributeError, KeyError, TypeError) as exc:
            issues.add(
                "agency_matrix",
                None,
                f"the agency matrix has an unexpected shape ({exc})",
                "give {agency: {costs: [...], benefits: [...]}}",
            )
    else:
        years, partners = _partner_flows(raw.get("partners"), years, issues)
    ids = [p.id for p in partners]
    rule = parse_gain_rule(
        rule_override if rule_override else raw.get("rule", "shapley"), "rule", ids, issues
    )
    # Present values from an appraisal are already discounted.
    rate = ZERO if years == [PV_PERIOD] else DEFAULT_DISCOUNT
    if raw.get("discount_rate") is not None:
        r = issues.percent("discount_rate", raw["discount_rate"])
        rate = r if r is not None else rate
    conc = DEFAULT_RISK_CONCENTRATION
    if raw.get("risk_concentration") is not None:
        c = issues.percent("risk_concentration", raw["risk_concentration"])
        conc = c if c is not None else conc
    sh = _shapley_settings(raw.get("shapley") or {}, ids, issues)
    issues.raise_if_any()
    return Agreement(
        str(raw.get("name") or "Gain-share agreement"),
        years,
        partners,
        rule,
        rate,
        sh.essential,
        sh.samples,
        sh.seed,
        sh.exact_limit,
        conc,
        sh.coalitions,
    )


def _partner_flows(
    praw: object, years: list[str], issues: Issues
) -> tuple[list[str], list[PartnerFlows]]:
    """Each partner's costs and benefits by year (years named ``year 1``... if not given)."""
    if not isinstance(praw, dict) or not praw:
        issues.add(
            "partners",
            praw,
            "no partners given",
            "add 'partners:' with, for each, costs: [...] and benefits: [...] by year",
        )
        praw = {}
    if not years:
        n = max(
            (len(v.get("costs") or []) for v in praw.values() if isinstance(v, dict)), default=0
        )
        years = [f"year {i}" for i in range(1, n + 1)]
    partners: list[PartnerFlows] = []
    for pid, v in praw.items():
        where = f"partners.{pid}"
        if not isinstance(v, dict):
            issues.add(
                where,
                v,
                "each partner needs costs and benefits",
                "write costs: [..] and benefits: [..]",
            )
            continue
        series: dict[str, list[Decimal]] = {}
        for key in ("costs", "benefits"):
            vals = v.get(key, [0] * len(years))
            if not isinstance(vals, list):
                vals = [vals]
            if len(vals) != len(years):
                issues.add(
                    f"{where}.{key}",
                    f"{len(vals)} values",
                    f"{key} must have one value per year ({len(years)} years: {', '.join(years)})",
                    "add or remove values so each year has one (use 0 for none)",
                )
            nums = [issues.money(f"{where}.{key}[{i + 1}]", x) for i, x in enumerate(vals)]
            series[key] = [n if n is not None else ZERO for n in nums]
        partners.append(
            PartnerFlows(str(pid), str(v.get("name") or pid), series["costs"], series["benefits"])
        )
    return years, partners


@dataclass
class _ShapleySettings:
    essential: list[str] | None = None
    samples: int = 5000
    seed: int = 0
    exact_limit: int = EXACT_LIMIT
    coalitions: dict[frozenset[str], Decimal] = field(default_factory=dict)


def _shapley_settings(sh: object, ids: list[str], issues: Issues) -> _ShapleySettings:
    if not isinstance(sh, dict):
        issues.add(
            "shapley",
            sh,
            "shapley settings must be a mapping",
            "write shapley: {essential: [lcc], samples: 5000, seed: 1}",
        )
        return _ShapleySettings()
    coalitions: dict[frozenset[str], Decimal] = {}
    for key, value in (sh.get("coalitions") or {}).items():
        members = frozenset(m.strip() for m in str(key).replace(",", "+").split("+") if m.strip())
        unknown = sorted(members - set(ids))
        if unknown or not members:
            issues.add(
                f"shapley.coalitions.{key}",
                key,
                f"unknown partner {', '.join(unknown)}",
                f"name a group as partner ids joined by +, e.g. {'+'.join(ids[:2])}",
            )
            continue
        m = issues.money(f"shapley.coalitions.{key}", value, allow_negative=True)
        if m is not None:
            coalitions[members] = m
    essential = sh.get("essential")
    if essential is not None:
        for e in essential:
            if e not in ids:
                issues.add(
                    "shapley.essential", e, "unknown partner", f"use one of: {', '.join(ids)}"
                )
    return _ShapleySettings(
        [str(e) for e in essential] if essential is not None else None,
        int(sh.get("samples", 5000)),
        int(sh.get("seed", 0)),
        int(sh.get("exact_limit", EXACT_LIMIT)),
        coalitions,
    )


_GAIN_FIX = (
    "use one of: " + ", ".join(RULES) + " (fixed as {fixed: {a: 60, b: 40}}; "
    "recover_outlay_first as {recover_outlay_first: equal})"
)


def parse_gain_rule(raw: Any, where: str, ids: list[str], issues: Issues) -> Rule:
    if isinstance(raw, str):
        kind = raw.strip().lower().replace("-", "_").replace(" ", "_")
        aliases = {
            "investment": "proportional_to_investment",
            "benefit": "proportional_to_benefit",
            "recover_outlay": "recover_outlay_first",
            "recover_first": "recover_outlay_first",
        }
        kind = aliases.get(kind, kind)
        if kind in RULES and kind != "fixed":
            return Rule(kind, then=Rule("equal") if kind == "recover_outlay_first" else None)
        if kind.startswith("fixed:"):
            # command-line form: fixed:lcc=60,police=40 (partner ids keep their case)
            shares: dict[str, Any] = {}
            for part in raw.strip()[6:].split(","):
                k, _, val = part.partition("=")
                shares[k.strip()] = val.strip()
            return parse_gain_rule({"fixed": shares}, where, ids, issues)
        issues.add(where, raw, "unknown gain-share rule", _GAIN_FIX)
        return Rule("equal")
    if isinstance(raw, dict) and len(raw) == 1:
        key, val = next(iter(raw.items()))
        if key == "fixed" and isinstance(val, dict):
            shares_d: dict[str, Decimal] = {}
            for p, s in val.items():
                if str(p) not in ids:
                    issues.add(
                        f"{where}.fixed", p, "unknown partner", f"use one of: {', '.join(ids)}"
                    )
                    continue
                d = issues.percent(f"{where}.fixed.{p}", s)
                if d is not None:
                    shares_d[str(p)] = d
            total = sum(shares_d.values(), ZERO)
            if shares_d and total != 1:
                issues.add(
                    f"{where}.fixed",
                    ", ".join(f"{p}: {pct(s)}" for p, s in shares_d.items()),
                    f"fixed shares add up to {pct(total)}, not 100%",
                    "make them add up to exactly 100",
                )
            return Rule("fixed", shares_d)
        if key == "recover_outlay_first":
            then = parse_gain_rule(val or "equal", f"{where}.recover_outlay_first", ids, issues)
            if then.kind in ("recover_outlay_first",):
                issues.add(
                    where,
                    val,
                    "the rest cannot itself be 'recover outlay first'",
                    "use equal, fixed, shapley...",
                )
            return Rule("recover_outlay_first", then=then)
    issues.add(where, raw, "unknown gain-share rule", _GAIN_FIX)
    return Rule("equal")


def shapley_money(result: ShapleyResult[str], total: Decimal) -> dict[str, Decimal]:
    """Shapley values in pennies that sum exactly to ``total`` (the grand coalition's worth)."""
    vals = [result.values[p] for p in result.players]
    return dict(zip([str(p) for p in result.players], round_to_total(vals, total), strict=True))
