"""Sensitivity: a tornado of every rate and value, break-even points, and duration.

All figures come from re-running the exact model (:func:`compute`), so they agree with
``cba run`` to the penny.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, localcontext

from wholeplace.cba.appraisal import (
    ADDITIONALITY,
    ONE,
    ZERO,
    Appraisal,
    with_component_value,
    with_outcome,
    with_settings,
)
from wholeplace.cba.compute import Result, compute
from wholeplace.cba.deflators import PRECISION
from wholeplace.money import round_half_up


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
    # why not, when the value itself looks possible (a multiple of today's success rates
    # that would take one of them above 100 %)
    because: str = ""

    def value_text(self, places: int, why_not: str = "") -> str:
        """The break-even value to ``places`` decimals, "none", or why it is not reachable."""
        if self.value is None:
            return "none"
        if self.reachable:
            return f"{self.value:.{places}f}"
        reason = f"; {self.because}" if self.because else ""
        return f"not reachable (would need {self.value:.{places}f}{why_not}{reason})"


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
        used = [k for k in ADDITIONALITY if getattr(o, k) != 0]
        for key in ("engagement", "success", "deadweight", *used):
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
        out.append(_all_success(app, m))
        for i, o in enumerate(app.outcomes):
            if not any(c.value_type == "fiscal" for c in o.components):
                continue
            f0 = compute(with_outcome(app, i, success=ZERO)).pv["fiscal"]
            f1 = compute(with_outcome(app, i, success=ONE)).pv["fiscal"]
            if f1 == f0:
                out.append(BreakEven(f"{o.description}: success", o.success, None, False))
                continue
            s = (costs - f0) / (f1 - f0)
            because = ""
            if s > ONE:
                because = f"a success rate of {round_half_up(s * 100, 0)}%, above 100%"
            elif s < ZERO:
                because = "below 0%: the other benefits cover the costs without this one"
            label = f"{o.description}: success"
            out.append(BreakEven(label, o.success, s, ZERO <= s <= ONE, because))
    return out


@dataclass
class GradeRow:
    """Net present values with one confidence grade (or every grade) a step better or worse."""

    label: str
    grade: int | None  # now; None for the row that moves every grade
    better: int | None  # one grade firmer (less optimism bias); None if already the firmest
    worse: int | None
    npv_public_better: Decimal
    npv_public_worse: Decimal
    npv_budget_better: Decimal
    npv_budget_worse: Decimal


def grades(app: Appraisal) -> list[GradeRow]:
    """Sensitivity to the confidence grades: each grade of each line one step firmer and one
    step less firm (within the grades the bias table has), then every grade at once."""
    order = sorted(app.settings.optimism_bias)  # the grades the table has, firmest first
    rows: list[GradeRow] = []

    def step(g: int, k: int) -> int | None:
        j = order.index(g) + k
        return order[j] if 0 <= j < len(order) else None

    def row(label: str, g: int | None, b: int | None, w: int | None, make: object) -> None:
        # a grade already at the end of the table stays put, so that side equals today's
        r_b = compute(make(-1))  # type: ignore[operator]
        r_w = compute(make(1))  # type: ignore[operator]
        rows.append(
            GradeRow(
                label,
                g,
                b,
                w,
                r_b.npv_public,
                r_w.npv_public,
                r_b.npv_budget,
                r_w.npv_budget,
            )
        )

    def moved(c: int, k: int) -> int:
        return order[min(len(order) - 1, max(0, order.index(c) + k))]

    for k, cost in enumerate(app.costs):

        def cost_at(d: int, k: int = k) -> Appraisal:
            costs = list(app.costs)
            costs[k] = replace(costs[k], confidence=moved(costs[k].confidence, d))
            return replace(app, costs=tuple(costs))

        g = cost.confidence
        row(f"{cost.description}: cost confidence grade", g, step(g, -1), step(g, 1), cost_at)
    for i, o in enumerate(app.outcomes):
        for key, g in o.grades().items():
            field_ = "confidence" if key != "value_confidence" else "value_confidence"

            def out_at(d: int, i: int = i, f: str = field_, g: int = g) -> Appraisal:
                return with_outcome(app, i, **{f: moved(g, d)})

            what = key.replace("_", " ")
            row(f"{o.description}: {what} grade", g, step(g, -1), step(g, 1), out_at)

    def every(d: int) -> Appraisal:
        costs = tuple(replace(c, confidence=moved(c.confidence, d)) for c in app.costs)
        outs = tuple(
            replace(
                o,
                confidence=moved(o.confidence, d),
                value_confidence=None
                if o.value_confidence is None
                else moved(o.value_confidence, d),
            )
            for o in app.outcomes
        )
        return replace(app, costs=costs, outcomes=outs)

    row("Every grade at once", None, None, None, every)
    return rows


def _all_success(app: Appraisal, m: Decimal | None) -> BreakEven:
    """Every success rate times ``m``: reachable only if none of them would pass 100 %."""
    label = "All success rates, as a multiple of today's"
    if m is None:
        return BreakEven(label, ONE, None, False)
    over = [
        (o.description, o.success * m)
        for o in app.outcomes
        if any(c.value_type == "fiscal" for c in o.components) and o.success * m > ONE
    ]
    if not over:
        return BreakEven(label, ONE, m, m >= ZERO)
    worst = max(over, key=lambda x: x[1])
    because = f"{worst[0]} would need a success rate of {round_half_up(worst[1] * 100, 0)}%"
    return BreakEven(label, ONE, m, False, because)


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
