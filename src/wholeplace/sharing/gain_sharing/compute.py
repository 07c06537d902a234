"""The gain-share calculation: each partner's net position before and after the rule,
the transfers between them, who pays whom, and the warnings a board should read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from wholeplace.money import ZERO, apportion, fmt_gbp, round_half_up, to_money
from wholeplace.sharing.common import integer_weights, round_to_total
from wholeplace.sharing.gain_sharing.agreement import (
    Agreement,
    GainShareResult,
    PartnerOutcome,
    Payment,
    Position,
    Rule,
)
from wholeplace.sharing.shapley import ShapleyResult, shapley

Bands = Sequence[tuple[int, Decimal]]


def discount_factors(n: int, rate: Decimal, bands: Bands = ()) -> list[Decimal]:
    """Green Book convention: the first year is year 0 (not discounted).

    With ``bands`` (``(first year, rate)``, as a cost-benefit appraisal's schedule) the factor
    for year t is the product of ``1 / (1 + r_k)`` over k = 1..t, r_k being year k's rate:
    the same rule, and the same arithmetic, as :mod:`wholeplace.cba.discounting`.
    """
    with localcontext() as ctx:
        ctx.prec = 40
        if len(bands) <= 1:
            flat = bands[0][1] if bands else rate
            return [Decimal(1) / (Decimal(1) + flat) ** t for t in range(n)]
        out = [Decimal(1)]
        for k in range(1, n):
            r = [r for first, r in bands if first <= k][-1]
            out.append(out[-1] / (Decimal(1) + r))
        return out[:n]


def present_value(values: Sequence[Decimal], rate: Decimal, bands: Bands = ()) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        factors = discount_factors(len(values), rate, bands)
        pv = sum((v * f for v, f in zip(values, factors, strict=True)), Decimal(0))
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
    joint = Position(
        sum(joint_years, ZERO), present_value(joint_years, rate, agreement.discount_bands)
    )
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
    rate, bands = agreement.discount_rate, agreement.discount_bands
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
                sum(p.cashable_by_year(), ZERO),
                before[p.id],
                after[p.id],
                transfer,
                Position(sum(before[p.id], ZERO), present_value(before[p.id], rate, bands)),
                Position(sum(after[p.id], ZERO), present_value(after[p.id], rate, bands)),
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
    out.extend(_cash_warnings(agreement, outcomes))
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


def _cash_warnings(agreement: Agreement, outcomes: list[PartnerOutcome]) -> list[str]:
    """A partner asked to pay more in a year than its cashable savings that year must find the
    rest from its budget: its other savings (freed capacity, avoided demand) are real but are
    not cash it can hand over."""
    out: list[str] = []
    for o in outcomes:
        cash = agreement.flows(o.id).cashable_by_year()
        if cash == agreement.flows(o.id).benefits:
            continue  # every saving is cash: nothing to say
        short = [
            (year, -t - c)
            for year, t, c in zip(agreement.years, o.transfer_by_year, cash, strict=True)
            if -t > c
        ]
        if short:
            total = sum((x for _, x in short), ZERO)
            years = ", ".join(y for y, _ in short)
            out.append(
                f"{o.name} pays more than its cashable savings in {years}: "
                f"{fmt_gbp(total)} in all must come from its budget, since the rest of its "
                "savings are not cash"
            )
    return out


def shapley_money(result: ShapleyResult[str], total: Decimal) -> dict[str, Decimal]:
    """Shapley values in pennies that sum exactly to ``total`` (the grand coalition's worth)."""
    vals = [result.values[p] for p in result.players]
    return dict(zip([str(p) for p in result.players], round_to_total(vals, total), strict=True))
