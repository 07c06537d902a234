"""Monte-Carlo uncertainty, vectorised with numpy.

Every output of the model is linear in each outcome line's rate product
``engagement x success x (1 - deadweight)``, its unit value and each cost line's scale,
so one draw needs no loop over years: the year structure (cohorts, persistence, optimism
bias) is folded once into per-line coefficient vectors, and a draw is a handful of
``(draws x lines)`` array products. Floats are used here only; reported figures from
``cba run`` stay exact Decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from wholeplace.cba.appraisal import ADDITIONALITY, Appraisal, Dist
from wholeplace.money import round_half_up

OUTPUTS = (
    "pv_costs",
    "pv_fiscal",
    "pv_fiscal_cashable",
    "pv_economic",
    "pv_social",
    "net_present_budget_impact",
    "net_present_public_value",
    "financial_roi",
    "public_value_roi",
)
PERCENTILES = (5, 10, 25, 50, 75, 90, 95)


@dataclass
class Simulation:
    draws: int
    seed: int | None
    outputs: dict[str, np.ndarray]
    uncertain_inputs: list[str] = field(default_factory=list)

    @property
    def prob_financial_roi_above_1(self) -> float:
        return float(np.mean(self.outputs["financial_roi"] > 1.0))

    @property
    def prob_public_value_positive(self) -> float:
        return float(np.mean(self.outputs["net_present_public_value"] > 0.0))

    def summary(self) -> dict[str, Any]:
        stats: dict[str, Any] = {}
        for name in OUTPUTS:
            x = self.outputs[name]
            x = x[np.isfinite(x)]
            if x.size == 0:
                stats[name] = None
                continue
            pct = np.percentile(x, PERCENTILES)
            ndp = 4 if name.endswith("roi") else 2
            stats[name] = {
                "mean": round(float(x.mean()), ndp),
                **{f"p{p}": round(float(v), ndp) for p, v in zip(PERCENTILES, pct, strict=True)},
            }
        return {
            "draws": self.draws,
            "seed": self.seed,
            "uncertain_inputs": self.uncertain_inputs,
            "prob_financial_roi_above_1": round(self.prob_financial_roi_above_1, 4),
            "prob_public_value_positive": round(self.prob_public_value_positive, 4),
            "outputs": stats,
        }


POINT_ESTIMATE = (
    "cba run: every distribution at its centre (the mode of a triangular, the midpoint of a "
    "uniform, the mean of a normal or beta); uncertainty multipliers on costs and unit values "
    "at 1 (amounts as written)"
)
SIMULATION = (
    "cba simulate: the mean and percentiles of {draws:,} draws (seed {seed}), every "
    "distribution drawn, uncertainty multipliers included"
)


def side_by_side(app: Appraisal, sim: Simulation, point: dict[str, Any]) -> dict[str, Any]:
    """The simulation's summary beside the point estimate (``point``, ``cba run``'s JSON),
    each labelled, with the inputs whose centre and mean differ: the ``cba simulate`` JSON,
    and what the report shows."""
    return {
        **sim.summary(),
        "point_estimate": {k: point[k] for k in OUTPUTS},
        "method": {
            "point_estimate": POINT_ESTIMATE,
            "simulation": SIMULATION.format(draws=sim.draws, seed=sim.seed),
        },
        "centres": [c.to_json() for c in centres(app)],
    }


@dataclass(frozen=True)
class Centre:
    """One uncertain input: the value ``cba run`` takes and the mean the simulation draws
    around. Where they differ, the point estimate and the simulation mean differ too."""

    input: str
    distribution: str  # e.g. "triangular(low 0.9, mode 1.0, high 1.3)"
    point: Decimal  # what cba run uses
    point_is: str  # "mode", "midpoint", "mean", or "multiplier not applied" (1)
    mean: Decimal  # the distribution's mean (before clipping to 0..1 for rates)

    def to_json(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "distribution": self.distribution,
            "point_estimate_uses": round_half_up(self.point, 4),
            "point_estimate_is": self.point_is,
            "simulation_mean": round_half_up(self.mean, 4),
        }


def dist_mean(d: Dist) -> Decimal:
    """The mean of a distribution, exactly."""
    p = d.params
    if d.kind == "triangular":
        return (p["low"] + p["mode"] + p["high"]) / 3
    if d.kind == "uniform":
        return (p["low"] + p["high"]) / 2
    if d.kind == "normal":
        return p["mean"]
    return d.central()  # beta: cba run already uses its mean


def centres(app: Appraisal) -> list[Centre]:
    """Every uncertain input with what the point estimate uses and what the draws average."""
    out: list[Centre] = []
    what = {"triangular": "mode", "uniform": "midpoint", "normal": "mean", "beta": "mean"}

    def add(name: str, d: Dist, point: Decimal | None = None) -> None:
        shown = f"{d.kind}({', '.join(f'{k} {v}' for k, v in d.params.items())})"
        if point is None:
            out.append(Centre(name, shown, d.central(), what[d.kind], dist_mean(d)))
        else:
            out.append(Centre(name, shown, point, "multiplier not applied", dist_mean(d)))

    s = app.settings
    if s.discount_rate_dist is not None:
        add("discount_rate", s.discount_rate_dist)
    for k, c in enumerate(app.costs):
        if c.multiplier_dist is not None:
            add(f"costs[{k}].uncertainty ({c.description})", c.multiplier_dist, Decimal(1))
    for i, o in enumerate(app.outcomes):
        for key, d in o.dists.items():
            point = Decimal(1) if key == "uncertainty" else None
            add(f"outcomes[{i}].{key} ({o.description})", d, point)
    return out


def _sample(
    rng: np.random.Generator, d: Dist | None, centre: float, n: int, clip01: bool
) -> np.ndarray | float:
    """``n`` draws of ``d`` (or the constant ``centre`` when the input is certain)."""
    if d is None:
        return centre
    p = {k: float(v) for k, v in d.params.items()}
    if d.kind == "triangular":
        if p["low"] == p["high"]:
            x: np.ndarray = np.full(n, p["low"])
        else:
            x = rng.triangular(p["low"], p["mode"], p["high"], n)
    elif d.kind == "uniform":
        x = rng.uniform(p["low"], p["high"], n)
    elif d.kind == "normal":
        x = rng.normal(p["mean"], p["sd"], n)
    else:
        lo, hi = p.get("low", 0.0), p.get("high", 1.0)
        x = lo + (hi - lo) * rng.beta(p["alpha"], p["beta"], n)
    if clip01:
        x = np.clip(x, 0.0, 1.0)
    return x


def _discount_factors(
    rng: np.random.Generator, app: Appraisal, draws: int, uncertain: list[str]
) -> np.ndarray:
    """Discount factors: (n,) when the rate is certain, (draws, n) when it is not."""
    s = app.settings
    years = np.arange(s.years, dtype=float)
    r = _sample(rng, s.discount_rate_dist, float(s.discount_rate), draws, clip01=True)
    if s.discount_rate_dist is not None:
        uncertain.append("discount_rate")
    if s.discount_schedule is not None:  # a named schedule is certain: its factors, as floats
        df = np.array([float(f) for f in s.discount_factors()])
    else:
        df = 1.0 / (1.0 + np.asarray(r, dtype=float))[..., None] ** years

    return df


def _pv_costs(
    rng: np.random.Generator, app: Appraisal, df: np.ndarray, draws: int, uncertain: list[str]
) -> np.ndarray | float:
    """PV of each cost line's bias-adjusted amounts, times its (uncertain) multiplier."""
    s = app.settings
    pv_costs: np.ndarray | float = 0.0
    if app.costs:
        amounts = np.array(
            [
                [float(a) * (1.0 + float(s.optimism_bias[c.confidence])) for a in c.amounts]
                for c in app.costs
            ]
        )
        pv_lines = df @ amounts.T  # (C,) or (draws, C)
        mult = np.ones((draws, len(app.costs)))
        for k, c in enumerate(app.costs):
            if c.multiplier_dist is not None:
                mult[:, k] = _sample(rng, c.multiplier_dist, 1.0, draws, clip01=False)
                uncertain.append(f"costs[{k}].uncertainty")
        pv_costs = (mult * pv_lines).sum(axis=1)

    return pv_costs


@dataclass
class _Terms:
    """Per outcome component: its PV coefficients by year, and its draws."""

    coef_rows: list[np.ndarray] = field(default_factory=list)
    factor_cols: list[np.ndarray] = field(default_factory=list)
    cash_cols: list[np.ndarray] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    transfer: list[bool] = field(default_factory=list)


def _outcome_terms(
    rng: np.random.Generator, app: Appraisal, draws: int, uncertain: list[str]
) -> _Terms:
    s = app.settings
    n = s.years
    # Outcomes: coefficient K[j, y] per component j = (1 - bias) x unit value x
    # sum_t cohort[t] x persistence[y - t]; a draw scales it by the rate product.
    coef_rows: list[np.ndarray] = []
    factor_cols: list[np.ndarray] = []
    cash_cols: list[np.ndarray] = []
    kinds: list[str] = []
    transfer: list[bool] = []
    for i, o in enumerate(app.outcomes):
        reach = np.zeros(n)
        for t, people in enumerate(o.cohort):
            for k, p in enumerate(o.persistence):
                if t + k < n:
                    reach[t + k] += float(people) * float(p)
        keep = float(o.kept(s.optimism_bias))
        rates = {}
        # The additionality factors are drawn after the original four, so a seed gives the
        # same draws as before for an appraisal that does not use them.
        for key in ("engagement", "success", "deadweight", "cashable", *ADDITIONALITY):
            d = o.dists.get(key)
            if d is not None:
                uncertain.append(f"outcomes[{i}].{key}")
            rates[key] = _sample(rng, d, float(getattr(o, key)), draws, clip01=True)
        product = rates["engagement"] * rates["success"] * (1.0 - rates["deadweight"])
        for key in ADDITIONALITY:
            product = product * (1.0 - rates[key])
        value_scale: np.ndarray | float = 1.0
        vd = o.dists.get("value")
        if vd is not None and o.components:
            uncertain.append(f"outcomes[{i}].value")
            centre = float(o.components[0].base_value)
            draw = _sample(rng, vd, centre, draws, clip01=False)
            value_scale = np.asarray(draw) / centre if centre else np.zeros(draws)
        ud = o.dists.get("uncertainty")
        if ud is not None:
            uncertain.append(f"outcomes[{i}].uncertainty")
            value_scale = value_scale * np.asarray(_sample(rng, ud, 1.0, draws, clip01=False))
        for comp in o.components:
            coef_rows.append(keep * float(comp.unit_value) * reach)
            factor_cols.append(np.broadcast_to(product * value_scale, (draws,)))
            cash_cols.append(np.broadcast_to(np.asarray(rates["cashable"], float), (draws,)))
            kinds.append(comp.value_type)
            transfer.append(o.transfer or comp.transfer)

    return _Terms(coef_rows, factor_cols, cash_cols, kinds, transfer)


def simulate(app: Appraisal, draws: int, seed: int | None = None) -> Simulation:
    """``draws`` Monte-Carlo runs of ``app`` with its distributions; floats, vectorised."""
    rng = np.random.default_rng(seed)
    uncertain: list[str] = []
    # The draws are made in this order (rate, costs, outcomes), so a seed repeats a run.
    df = _discount_factors(rng, app, draws, uncertain)
    pv_costs = _pv_costs(rng, app, df, draws, uncertain)
    terms = _outcome_terms(rng, app, draws, uncertain)
    coef_rows, factor_cols, cash_cols = terms.coef_rows, terms.factor_cols, terms.cash_cols
    kinds, transfer = terms.kinds, terms.transfer
    zeros = np.zeros(draws)
    pv_costs = np.broadcast_to(np.asarray(pv_costs, float), (draws,))
    if coef_rows:
        coef = np.vstack(coef_rows)  # (J, n)
        pv_unit = df @ coef.T  # (J,) or (draws, J)
        factors = np.column_stack(factor_cols)  # (draws, J)
        pv = factors * pv_unit
        kinds_a = np.array(kinds)
        fiscal_m = kinds_a == "fiscal"
        pv_fiscal = pv[:, fiscal_m].sum(axis=1)
        pv_cash = (pv * np.column_stack(cash_cols))[:, fiscal_m].sum(axis=1)
        pv_transfer = pv[:, fiscal_m & np.array(transfer)].sum(axis=1)
        pv_econ = pv[:, kinds_a == "economic"].sum(axis=1)
        pv_social = pv[:, kinds_a == "social"].sum(axis=1)
    else:
        pv_fiscal = pv_cash = pv_transfer = pv_econ = pv_social = zeros
    public = pv_fiscal - pv_transfer + pv_econ + pv_social
    with np.errstate(divide="ignore", invalid="ignore"):
        fin_roi = np.where(pv_costs > 0, pv_fiscal / pv_costs, np.nan)
        pub_roi = np.where(pv_costs > 0, public / pv_costs, np.nan)
    outputs = {
        "pv_costs": np.array(pv_costs),
        "pv_fiscal": pv_fiscal,
        "pv_fiscal_cashable": pv_cash,
        "pv_economic": pv_econ,
        "pv_social": pv_social,
        "net_present_budget_impact": pv_fiscal - pv_costs,
        "net_present_public_value": public - pv_costs,
        "financial_roi": fin_roi,
        "public_value_roi": pub_roi,
    }
    return Simulation(draws, seed, outputs, uncertain)
