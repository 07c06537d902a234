"""Sensitivity, break-even, duration and Monte-Carlo simulation."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from wholeplace.cba import model
from wholeplace.cba import montecarlo as simulate
from wholeplace.cba import sensitivity_analysis as sensitivity
from wholeplace.cba.unitcosts import curated_book

D = Decimal
EXAMPLE = Path(model.__file__).parent.parent / "data" / "cba" / "example_appraisal.yaml"


@pytest.fixture(scope="module")
def app() -> model.Appraisal:
    return model.load_appraisal(EXAMPLE, curated_book())


def _certain(app: model.Appraisal) -> model.Appraisal:
    """The same appraisal with every distribution removed."""
    return replace(
        app,
        settings=replace(app.settings, discount_rate_dist=None),
        costs=tuple(replace(c, multiplier_dist=None) for c in app.costs),
        outcomes=tuple(replace(o, dists={}) for o in app.outcomes),
    )


def test_simulation_without_uncertainty_equals_the_exact_model(app: model.Appraisal) -> None:
    certain = _certain(app)
    r = model.compute(certain)
    sim = simulate.simulate(certain, 50, seed=1)
    expect = {
        "pv_costs": r.pv["costs"],
        "pv_fiscal": r.pv["fiscal"],
        "pv_fiscal_cashable": r.pv["fiscal_cashable"],
        "pv_economic": r.pv["economic"],
        "pv_social": r.pv["social"],
        "net_present_budget_impact": r.npv_budget,
        "net_present_public_value": r.npv_public,
        "financial_roi": r.financial_roi,
        "public_value_roi": r.public_value_roi,
    }
    for k, v in expect.items():
        assert np.allclose(sim.outputs[k], float(v), rtol=1e-12), k
    assert sim.uncertain_inputs == []


def test_simulation_is_repeatable_and_centred(app: model.Appraisal) -> None:
    a = simulate.simulate(app, 200_000, seed=7)
    b = simulate.simulate(app, 200_000, seed=7)
    assert np.array_equal(a.outputs["financial_roi"], b.outputs["financial_roi"])
    # PV fiscal is linear in each independent input, so its mean is the model at the inputs'
    # means: the triangulars are symmetric (mean = mode), the uniform's mean is its centre,
    # the beta(2, 18) mean is 0.1 - exactly what cba run uses.
    r = model.compute(app)
    for key, exact in (("pv_fiscal", r.pv["fiscal"]), ("pv_economic", r.pv["economic"])):
        x = a.outputs[key]
        se = x.std() / np.sqrt(x.size)
        assert abs(x.mean() - float(exact)) < 4 * se, key
    # costs: only the first line is uncertain, its multiplier triangular(0.9, 1.0, 1.3) with
    # mean (0.9 + 1.0 + 1.3) / 3 = 16/15, so the mean PV of costs is the model's plus 1/15 of
    # that line's PV.
    assert [c.multiplier_dist is not None for c in app.costs] == [True, False, False]
    line = r.lines[0]
    first_pv = sum(a * y.discount_factor for a, y in zip(line.adjusted, r.years, strict=True))
    expected = float(r.pv["costs"] + first_pv / 15)
    x = a.outputs["pv_costs"]
    assert abs(x.mean() - expected) < 4 * x.std() / np.sqrt(x.size)
    assert abs(x.mean() - float(r.pv["costs"])) > 10 * x.std() / np.sqrt(x.size)  # not 1.0
    assert 0.0 < a.prob_financial_roi_above_1 < 1.0
    s = a.summary()
    assert s["draws"] == 200_000 and set(s["outputs"]) == set(simulate.OUTPUTS)
    p = s["outputs"]["financial_roi"]
    assert p["p5"] <= p["p25"] <= p["p50"] <= p["p75"] <= p["p95"]


def test_a_normal_distribution_is_simulated(tmp_path: Path) -> None:
    # One fiscal outcome worth 1000 x success, cost 500: ROI > 1 iff success > 0.5. With
    # success ~ normal(0.65, 0.1), P = Phi((0.65 - 0.5) / 0.1) = Phi(1.5) = 0.933193; the mean
    # PV of benefits is 1000 x 0.65 = 650 with sd 100 (clipping at 0 and 1 moves the mean by
    # less than 0.01: P(x > 1) = Phi(-3.5) = 0.0002).
    text = """
appraisal: {name: T, price_year: 2015/16, start_year: 2015/16, years: 1, discount_rate: 0}
costs: [{description: C, agency: LA, type: revenue, confidence: 1, amounts: [500]}]
outcomes:
  - {description: O, value: 1000, agency: NHS, cohort: [1], confidence: 1,
     success: {dist: normal, mean: 0.65, sd: 0.1}}
"""
    p = tmp_path / "n.yaml"
    p.write_text(text)
    app = model.load_appraisal(p, curated_book())
    assert app.outcomes[0].dists["success"] == model.Dist(
        "normal", {"mean": D("0.65"), "sd": D("0.1")}
    )
    assert model.compute(app).pv["fiscal"] == D(650)  # the deterministic run uses the mean
    n = 400_000
    sim = simulate.simulate(app, n, seed=5)
    assert sim.uncertain_inputs == ["outcomes[0].success"]
    assert abs(sim.prob_financial_roi_above_1 - 0.933193) < 4 * (0.933193 * 0.066807 / n) ** 0.5
    x = sim.outputs["pv_fiscal"]
    assert abs(x.mean() - 650) < 4 * 100 / n**0.5
    assert abs(x.std() - 100) < 1


def test_probability_matches_a_hand_calculation(tmp_path: Path) -> None:
    # One fiscal outcome worth 1000 x success, cost 500: ROI > 1 iff success > 0.5.
    # With success ~ uniform(0, 1), P = 0.5; with triangular(0, 0.5, 1) also 0.5; with
    # uniform(0.4, 0.9): P = 0.4 / 0.5 = 0.8.
    text = """
appraisal: {name: T, price_year: 2015/16, start_year: 2015/16, years: 1, discount_rate: 0}
costs: [{description: C, agency: LA, type: revenue, confidence: 1, amounts: [500]}]
outcomes:
  - {description: O, value: 1000, agency: NHS, cohort: [1], confidence: 1,
     success: {dist: uniform, low: 0.4, high: 0.9}}
"""
    p = tmp_path / "u.yaml"
    p.write_text(text)
    sim = simulate.simulate(model.load_appraisal(p, curated_book()), 400_000, seed=3)
    assert abs(sim.prob_financial_roi_above_1 - 0.8) < 0.005


def test_tornado_covers_every_rate_value_and_cost(app: model.Appraisal) -> None:
    bars = sensitivity.tornado(app)
    labels = {b.label for b in bars}
    assert "Discount rate" in labels
    for o in app.outcomes:
        for key in ("engagement", "success", "deadweight"):
            assert f"{o.description}: {key}" in labels
        for c in o.components:
            assert f"{o.description}: {c.value_type} unit value" in labels
    for c in app.costs:
        assert f"{c.description}: cost" in labels
    swings = [b.swing for b in bars]
    assert swings == sorted(swings, reverse=True)
    # a 20% rise in success raises every benefit of that line by 20%
    base = model.compute(app).npv_public
    top = next(b for b in bars if b.label.endswith("(earnings and output): success"))
    assert top.npv_public_high > base > top.npv_public_low


def test_break_even_success_gives_roi_of_one(app: model.Appraisal) -> None:
    rows = sensitivity.break_even(app)
    overall = rows[0]
    assert overall.value is not None
    r = model.compute(app)
    assert abs(overall.value - r.pv["costs"] / r.pv["fiscal"]) < D("1e-25")
    for i, o in enumerate(app.outcomes):
        row = next((b for b in rows if b.label == f"{o.description}: success"), None)
        if row is None or row.value is None:
            continue
        moved = model.compute(model.with_outcome(app, i, success=row.value))
        assert abs(moved.financial_roi - 1) < D("1e-25"), o.description
        assert row.reachable == (0 <= row.value <= 1)


def test_duration_builds_up_to_the_full_appraisal(app: model.Appraisal) -> None:
    rows = sensitivity.duration(app)
    full = model.compute(app)
    assert [r.years for r in rows] == [1, 2, 3, 4, 5]
    assert rows[-1].npv_public == full.npv_public and rows[-1].pv_costs == full.pv["costs"]
    assert rows[0].pv_costs == full.years[0].costs  # year 0 undiscounted
    pv_fiscal = [r.pv_fiscal for r in rows]
    assert pv_fiscal == sorted(pv_fiscal)  # benefits never negative, so they only accumulate


def test_programme_length_keeps_benefits_of_people_already_helped(
    app: model.Appraisal,
) -> None:
    rows = sensitivity.programme_length(app)
    full = model.compute(app)
    assert rows[-1].npv_public == full.npv_public
    one = rows[0]
    # one year of the programme: only year-0 costs, but their benefits run on (persistence)
    assert one.pv_costs == full.years[0].costs
    assert one.pv_fiscal > sensitivity.duration(app)[0].pv_fiscal


def test_outcome_value_uncertainty_scales_benefits(tmp_path: Path) -> None:
    text = """
appraisal: {name: T, price_year: 2015/16, start_year: 2015/16, years: 1, discount_rate: 0}
costs: [{description: C, agency: LA, type: revenue, confidence: 1, amounts: [100]}]
outcomes:
  - {description: O, unit_cost: HE4.0, per: incident, cohort: [10], success: 1, confidence: 1,
     uncertainty: {dist: uniform, low: 0.5, high: 2.5}}
"""
    p = tmp_path / "v.yaml"
    p.write_text(text)
    a = model.load_appraisal(p, curated_book())
    exact = model.compute(a).pv["fiscal"]  # cba run ignores the multiplier
    assert exact == 10 * a.outcomes[0].components[0].unit_value
    sim = simulate.simulate(a, 200_000, seed=5)
    assert "outcomes[0].uncertainty" in sim.uncertain_inputs
    # uniform(0.5, 2.5) has mean 1.5
    assert abs(sim.outputs["pv_fiscal"].mean() / float(exact) - 1.5) < 0.01
