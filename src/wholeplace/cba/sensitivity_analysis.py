"""Sensitivity: a tornado of every rate and value, break-even points, and duration.

All figures come from re-running the exact model (:func:`compute`), so they agree with
``cba run`` to the penny.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, localcontext

from wholeplace.cba.appraisal import (
    ONE,
    ZERO,
    Appraisal,
    with_component_value,
    with_outcome,
    with_settings,
)
from wholeplace.cba.compute import Result, compute
from wholeplace.cba.deflators import PRECISION


@dataclass
class TornadoBar:
    label: str
    base_input: Decimal
    low_input: Decimal
    high_input: Decimal
    npv_public_low: Decimal
    npv_public_high: Decimal
    npv_budget_low: Decimal
    npv_budget_high: Decimal

    @property
    def swing(self) -> Decimal:
        return abs(self.npv_public_high - self.npv_public_low)


@dataclass
class BreakEven:
    label: str
    current: Decimal
    value: Decimal | None  # the input value at which financial ROI = 1; None if none exists
    reachable: bool  # within the input's allowed range

    def value_text(self, places: int, why_not: str = "") -> str:
        """The break-even value to ``places`` decimals, "none", or why it is not reachable."""
        if self.value is None:
            return "none"
        if self.reachable:
            return f"{self.value:.{places}f}"
        return f"not reachable (would need {self.value:.{places}f}{why_not})"


@dataclass
class DurationRow:
    years: int
    pv_costs: Decimal
    pv_fiscal: Decimal
    npv_budget: Decimal
    npv_public: Decimal
    financial_roi: Decimal | None


def _clamp_rate(x: Decimal) -> Decimal:
    return max(ZERO, min(ONE, x))


def _with_rate(app: Appraisal, base: Decimal, v: Decimal) -> Appraisal:
    """``app`` discounted at ``v`` instead of ``base``; a schedule is scaled by ``v / base``."""
    sched = app.settings.discount_schedule
    if sched is None:
        return with_settings(app, discount_rate=v)
    return with_settings(
        app, discount_rate=v, discount_schedule=sched.scaled(v / base if base else ONE)
    )


def tornado(app: Appraisal, swing: Decimal = Decimal("0.2")) -> list[TornadoBar]:
    """Move each input down and up by ``swing`` (relative; rates kept within 0..1)."""
    base = compute(app)
    bars: list[TornadoBar] = []
    lo_f, hi_f = ONE - swing, ONE + swing

    def bar(label: str, value: Decimal, lo: Decimal, hi: Decimal, make: object) -> None:
        r_lo = compute(make(lo))  # type: ignore[operator]
        r_hi = compute(make(hi))  # type: ignore[operator]
        bars.append(
            TornadoBar(
                label,
                value,
                lo,
                hi,
                r_lo.npv_public,
                r_hi.npv_public,
                r_lo.npv_budget,
                r_hi.npv_budget,
            )
        )

    r = app.settings.discount_rate
    bar("Discount rate", r, r * lo_f, r * hi_f, lambda v: _with_rate(app, r, v))
    for i, o in enumerate(app.outcomes):
        name = o.description
        for key in ("engagement", "success", "deadweight"):
            v = getattr(o, key)
            bar(
                f"{name}: {key}",
                v,
                _clamp_rate(v * lo_f),
                _clamp_rate(v * hi_f),
                lambda x, i=i, key=key: with_outcome(app, i, **{key: x}),
            )
        kinds = [c.value_type for c in o.components]
        for j, c in enumerate(o.components):
            # a unit cost's fiscal value shared among agencies is one bar per agency
            whose = f" ({c.agency})" if kinds.count(c.value_type) > 1 else ""
            bar(
                f"{name}: {c.value_type} unit value{whose}",
                c.unit_value,
                c.unit_value * lo_f,
                c.unit_value * hi_f,
                lambda x, i=i, j=j: with_component_value(app, i, j, x),
            )
    for k, cost in enumerate(app.costs):
        total = sum(cost.amounts, ZERO)

        def scaled(f: Decimal, k: int = k, total: Decimal = total) -> Appraisal:
            costs = list(app.costs)
            costs[k] = replace(costs[k], amounts=tuple(a * f / total for a in costs[k].amounts))
            return replace(app, costs=tuple(costs))

        if total:
            bar(f"{cost.description}: cost", total, total * lo_f, total * hi_f, scaled)
    del base
    bars.sort(key=lambda b: b.swing, reverse=True)
    return bars


def break_even(app: Appraisal) -> list[BreakEven]:
    """Inputs at which financial ROI = 1 (PV fiscal = PV costs), one input at a time.

    PV fiscal is linear in each outcome's success rate, so the break-even rate comes from
    two runs: ``s* = (PV costs - F(0)) / (F(1) - F(0))``.
    """
    base = compute(app)
    out: list[BreakEven] = []
    with localcontext() as ctx:
        ctx.prec = PRECISION
        costs = base.pv["costs"]
        fiscal = base.pv["fiscal"]
        m = None if fiscal == 0 else costs / fiscal
        out.append(BreakEven("All success rates, as a multiple of today's", ONE, m, m is not None))
        for i, o in enumerate(app.outcomes):
            if not any(c.value_type == "fiscal" for c in o.components):
                continue
            f0 = compute(with_outcome(app, i, success=ZERO)).pv["fiscal"]
            f1 = compute(with_outcome(app, i, success=ONE)).pv["fiscal"]
            if f1 == f0:
                out.append(BreakEven(f"{o.description}: success", o.success, None, False))
                continue
            s = (costs - f0) / (f1 - f0)
            out.append(BreakEven(f"{o.description}: success", o.success, s, ZERO <= s <= ONE))
    return out


def duration(app: Appraisal) -> list[DurationRow]:
    """The results if the appraisal stopped after 1, 2, ... of its years."""
    rows = []
    for h in range(1, app.settings.years + 1):
        cut = replace(
            app,
            settings=replace(app.settings, years=h),
            costs=tuple(replace(c, amounts=c.amounts[:h]) for c in app.costs),
            outcomes=tuple(replace(o, cohort=o.cohort[:h]) for o in app.outcomes),
        )
        r: Result = compute(cut)
        rows.append(
            DurationRow(
                h, r.pv["costs"], r.pv["fiscal"], r.npv_budget, r.npv_public, r.financial_roi
            )
        )
    return rows


def programme_length(app: Appraisal) -> list[DurationRow]:
    """The results if the intervention ran for only 1, 2, ... years.

    Costs and new cohorts stop after the first ``h`` years; the benefits of the people
    already helped still count over the whole appraisal period.
    """
    rows = []
    n = app.settings.years
    for h in range(1, n + 1):
        cut = replace(
            app,
            costs=tuple(replace(c, amounts=c.amounts[:h] + (ZERO,) * (n - h)) for c in app.costs),
            outcomes=tuple(
                replace(o, cohort=o.cohort[:h] + (ZERO,) * (n - h)) for o in app.outcomes
            ),
        )
        r = compute(cut)
        rows.append(
            DurationRow(
                h, r.pv["costs"], r.pv["fiscal"], r.npv_budget, r.npv_public, r.financial_roi
            )
        )
    return rows
