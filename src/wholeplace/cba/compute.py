"""The appraisal model: the HM Treasury / New Economy cost-benefit method, exactly.

An appraisal (YAML, or the XLSX template) becomes typed objects; :func:`compute` turns
them into present values, ROIs, the payback year and the who-pays-who-gains matrix.

Arithmetic and rounding rule
----------------------------
* Unit values are uprated from their own price year to the appraisal's price year with
  the GDP deflator series and rounded half-up to the penny (the figure a person sees with
  ``wholeplace unitcosts uprate``); every later step uses that penny value.
* Everything after that is exact Decimal arithmetic at 40 significant digits: optimism
  bias, net outcomes, persistence, discounting. No intermediate figure is rounded.
* Each reported figure is rounded half-up to the penny (ratios to 2 decimal places) from
  its own exact value, so a reported total can differ from the sum of its reported parts
  by a few pence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from wholeplace.cba.agencies import is_unattributed
from wholeplace.cba.appraisal import (
    ONE,
    ZERO,
    Appraisal,
    Component,
    CostLine,
    OutcomeLine,
    Settings,
)
from wholeplace.cba.deflators import PRECISION
from wholeplace.money import round_half_up, to_money

# -- results -------------------------------------------------------------------------


@dataclass
class YearFigures:
    index: int
    year: str
    discount_factor: Decimal
    costs: Decimal = ZERO
    fiscal: Decimal = ZERO
    fiscal_cashable: Decimal = ZERO
    transfers: Decimal = ZERO
    economic: Decimal = ZERO
    social: Decimal = ZERO

    def pv(self, name: str) -> Decimal:
        flow: Decimal = getattr(self, name)
        return flow * self.discount_factor


@dataclass
class LineDetail:
    """Every intermediate step of one line, for the audit workbook."""

    kind: str  # cost | outcome
    description: str
    agency: str
    value_type: str
    bias: Decimal
    net_outcomes: list[Decimal]
    gross: list[Decimal]  # before optimism bias
    adjusted: list[Decimal]  # after optimism bias
    cashable: list[Decimal]
    unit_value: Decimal | None = None
    transfer: bool = False
    # outcome lines: people by year at each step from gross to net outcomes, (label, values)
    outcome_steps: list[tuple[str, list[Decimal]]] = field(default_factory=list)
    grades: dict[str, int] = field(default_factory=dict)  # what set the optimism bias


@dataclass
class Result:
    appraisal: Appraisal
    years: list[YearFigures]
    lines: list[LineDetail]
    by_agency: dict[str, dict[str, Decimal]]
    pv: dict[str, Decimal]  # exact present values
    payback_index: int | None  # discounted
    # each agency's nominal flows by year (after optimism bias): costs, fiscal, cashable
    agency_flows: dict[str, dict[str, list[Decimal]]] = field(default_factory=dict)
    payback_index_undiscounted: int | None = None
    # the outcome lines whose fiscal benefits fall to each agency, in file order
    agency_lines: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def pv_public_value(self) -> Decimal:
        return self.pv["fiscal"] - self.pv["transfers"] + self.pv["economic"] + self.pv["social"]

    @property
    def financial_roi(self) -> Decimal | None:
        return None if self.pv["costs"] == 0 else _div(self.pv["fiscal"], self.pv["costs"])

    @property
    def public_value_roi(self) -> Decimal | None:
        return None if self.pv["costs"] == 0 else _div(self.pv_public_value, self.pv["costs"])

    @property
    def npv_budget(self) -> Decimal:
        return self.pv["fiscal"] - self.pv["costs"]

    @property
    def npv_public(self) -> Decimal:
        return self.pv_public_value - self.pv["costs"]

    def to_json(self) -> dict[str, Any]:
        """The documented ``--json`` shape: money as decimal strings (via print_json)."""
        s = self.appraisal.settings
        cum_c = cum_f = ZERO
        by_year = []
        for y in self.years:
            cum_c += y.pv("costs")
            cum_f += y.pv("fiscal")
            by_year.append(
                {
                    "year": y.year,
                    "index": y.index,
                    "discount_factor": round_half_up(y.discount_factor, 6),
                    "costs": to_money(y.costs),
                    "fiscal": to_money(y.fiscal),
                    "fiscal_cashable": to_money(y.fiscal_cashable),
                    "transfers": to_money(y.transfers),
                    "economic": to_money(y.economic),
                    "social": to_money(y.social),
                    "pv_costs": to_money(y.pv("costs")),
                    "pv_fiscal": to_money(y.pv("fiscal")),
                    "pv_economic": to_money(y.pv("economic")),
                    "pv_social": to_money(y.pv("social")),
                    "cumulative_pv_costs": to_money(cum_c),
                    "cumulative_pv_fiscal": to_money(cum_f),
                }
            )
        return {
            "pv_costs": to_money(self.pv["costs"]),
            "pv_fiscal": to_money(self.pv["fiscal"]),
            "pv_fiscal_cashable": to_money(self.pv["fiscal_cashable"]),
            "pv_economic": to_money(self.pv["economic"]),
            "pv_social": to_money(self.pv["social"]),
            "net_present_budget_impact": to_money(self.npv_budget),
            "net_present_public_value": to_money(self.npv_public),
            "financial_roi": ratio(self.financial_roi),
            "public_value_roi": ratio(self.public_value_roi),
            "payback_year": _label(s, self.payback_index),
            "payback_year_undiscounted": _label(s, self.payback_index_undiscounted),
            "discount": discount_json(s),
            "by_agency": {
                a: {
                    **{k: to_money(v) for k, v in row.items()},
                    "by_year": {
                        k: [to_money(x) for x in xs]
                        for k, xs in self.agency_flows.get(a, {}).items()
                    },
                    "outcome_lines": list(self.agency_lines.get(a, [])),
                    **self.to_attribute(a),
                }
                for a, row in self.by_agency.items()
            },
            "by_year": by_year,
            "warnings": list(self.warnings),
        }

    def to_attribute(self, agency: str) -> dict[str, list[str]]:
        """For "Multiple" (no one): the lines whose values it holds, which gain-share names
        when it refuses to make it pay (``sharing.gain_sharing.unattributed``)."""
        if not is_unattributed(agency):
            return {}
        lines = [ln.description for ln in self.lines if ln.agency == agency]
        return {"lines_to_attribute": list(dict.fromkeys(lines))}


def _label(s: Settings, index: int | None) -> str | None:
    return None if index is None else s.year_label(index)


def discount_json(s: Settings) -> dict[str, Any]:
    """How the appraisal discounts, for machines (a gain-share agreement carries it on):
    the schedule's name (``flat`` for one rate) and its bands of rates by year."""
    if s.discount_schedule is None:
        return {"name": "flat", "bands": [{"from_year": 0, "rate": s.discount_rate}]}
    return {
        "name": s.discount_schedule.name,
        "bands": [{"from_year": y, "rate": r} for y, r in s.discount_schedule.bands],
    }


def payback(costs: Sequence[Decimal], benefits: Sequence[Decimal]) -> int | None:
    """The first year after which cumulative benefits less costs stay at or above zero to
    the end of the appraisal, once something has been gained; None if there is none.

    A crossing that later costs undo is not payback: the position must hold to the end.
    """
    found: int | None = None
    position = gained = ZERO
    for i, (c, b) in enumerate(zip(costs, benefits, strict=True)):
        position += b - c
        gained += b
        if position < 0:
            found = None
        elif found is None and gained > 0:
            found = i
    return found


def _div(a: Decimal, b: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return a / b


def ratio(x: Decimal | None) -> Decimal | None:
    """A ROI as reported: half-up to 2 decimal places."""
    return None if x is None else round_half_up(x, 2)


# -- the computation -----------------------------------------------------------------


def compute(app: Appraisal) -> Result:
    """Present values, ROIs, payback and the agency matrix; exact Decimal throughout."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return _compute(app)


class _Ledger:
    """The running totals of one computation: by year, by agency, and each line's steps."""

    def __init__(self, app: Appraisal) -> None:
        s = app.settings
        self.n = s.years
        self.years = [
            YearFigures(i, s.year_label(i), f) for i, f in enumerate(s.discount_factors())
        ]
        self.lines: list[LineDetail] = []
        self.agency: dict[str, dict[str, Decimal]] = {}
        self.flows: dict[str, dict[str, list[Decimal]]] = {}
        self.agency_lines: dict[str, list[str]] = {}

    def agency_row(self, name: str) -> dict[str, Decimal]:
        self.flows.setdefault(
            name, {k: [ZERO] * self.n for k in ("costs", "fiscal", "fiscal_cashable")}
        )
        return self.agency.setdefault(
            name, {"pv_costs": ZERO, "pv_fiscal": ZERO, "pv_fiscal_cashable": ZERO}
        )

    def add_cost(self, c: CostLine, bias: Decimal) -> None:
        adjusted = [a * (ONE + bias) for a in c.amounts]
        row = self.agency_row(c.agency)
        for i, a in enumerate(adjusted):
            self.years[i].costs += a
            row["pv_costs"] += a * self.years[i].discount_factor
            self.flows[c.agency]["costs"][i] += a
        self.lines.append(
            LineDetail(
                "cost",
                c.description,
                c.agency,
                c.type,
                bias,
                [],
                list(c.amounts),
                adjusted,
                [],
                grades={"confidence": c.confidence},
            )
        )

    def add_component(
        self,
        o: OutcomeLine,
        comp: Component,
        steps: list[tuple[str, list[Decimal]]],
        bias: Decimal,
    ) -> None:
        net = steps[-1][1]
        n, years = self.n, self.years
        gross = [ZERO] * n
        for t, people in enumerate(net):
            if people == 0:
                continue
            for k, p in enumerate(o.persistence):
                if t + k < n:
                    gross[t + k] += people * comp.unit_value * p
        adjusted = [g * (ONE - bias) for g in gross]
        cash = [a * o.cashable for a in adjusted] if comp.value_type == "fiscal" else []
        for i, a in enumerate(adjusted):
            y = years[i]
            if comp.value_type == "fiscal":
                y.fiscal += a
                y.fiscal_cashable += cash[i]
                if o.transfer or comp.transfer:
                    y.transfers += a
            elif comp.value_type == "economic":
                y.economic += a
            else:
                y.social += a
        if comp.value_type == "fiscal":
            row = self.agency_row(comp.agency)
            named = self.agency_lines.setdefault(comp.agency, [])
            if o.description not in named:
                named.append(o.description)
            for i, a in enumerate(adjusted):
                row["pv_fiscal"] += a * years[i].discount_factor
                row["pv_fiscal_cashable"] += cash[i] * years[i].discount_factor
                self.flows[comp.agency]["fiscal"][i] += a
                self.flows[comp.agency]["fiscal_cashable"][i] += cash[i]
        self.lines.append(
            LineDetail(
                "outcome",
                o.description,
                comp.agency,
                comp.value_type,
                bias,
                net,
                gross,
                adjusted,
                cash,
                comp.unit_value,
                o.transfer or comp.transfer,
                steps,
                o.grades(),
            )
        )


def outcome_steps(o: OutcomeLine) -> list[tuple[str, list[Decimal]]]:
    """People by year from gross to net outcomes, one step per adjustment (the last is the
    net outcomes); an adjustment of zero is left out, except deadweight, always shown."""
    # Each step is cohort x (the rate so far), so the last is exactly net_outcomes().
    rate = o.engagement * o.success
    steps = [("gross outcomes (cohort x engagement x success)", [c * rate for c in o.cohort])]
    for name, share in o.adjustments().items():
        rate *= ONE - share
        if share == 0 and name != "deadweight":
            continue
        source = o.sources.get(name)
        label = f"after {name} (x (1 - {share}))" + (f"; source: {source}" if source else "")
        steps.append((label, [c * rate for c in o.cohort]))
    return steps


def long_flat_rate_warning(s: Settings) -> str | None:
    """A flat rate over more than 31 years (0..30) discounts the later years more heavily than
    the Green Book, whose rate falls to 3.0 % from year 31."""
    if s.discount_schedule is not None or s.years <= 31:
        return None
    return (
        f"the appraisal runs {s.years} years at a flat {s.discount_rate * 100:.2f}%; the Green "
        "Book's rate declines after year 30 (3.0% from year 31, 2.5% from year 76): write "
        "discount_rate: green_book (or leave it out) to use the declining schedule"
    )


def _compute(app: Appraisal) -> Result:
    s = app.settings
    ledger = _Ledger(app)
    for c in app.costs:
        ledger.add_cost(c, s.optimism_bias[c.confidence])
    for o in app.outcomes:
        steps = outcome_steps(o)
        for comp in o.components:
            ledger.add_component(o, comp, steps, ONE - o.kept(s.optimism_bias))
    years, agency = ledger.years, ledger.agency
    for row in agency.values():
        row["net_position"] = row["pv_fiscal"] - row["pv_costs"]
    pv = {
        k: sum((y.pv(k) for y in years), ZERO)
        for k in ("costs", "fiscal", "fiscal_cashable", "transfers", "economic", "social")
    }
    discounted = payback([y.pv("costs") for y in years], [y.pv("fiscal") for y in years])
    nominal = payback([y.costs for y in years], [y.fiscal for y in years])
    ordered = dict(sorted(agency.items(), key=lambda kv: kv[0].lower()))
    warning = long_flat_rate_warning(s)
    return Result(
        app,
        years,
        ledger.lines,
        ordered,
        pv,
        discounted,
        ledger.flows,
        nominal,
        ledger.agency_lines,
        [] if warning is None else [warning],
    )
