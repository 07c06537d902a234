"""The appraisal explored: Monte-Carlo simulation, sensitivity (tornado, break-even, duration)
and options compared side by side, for every front end.

Like :mod:`wholeplace.cba.service`, whose loader and report defaults these share, each returns
a typed result whose ``to_json()`` is exactly what ``--json`` prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.cba import montecarlo as cba_sim
from wholeplace.cba import sensitivity_analysis as cba_sens
from wholeplace.cba.appraisal import Appraisal
from wholeplace.cba.compute import Result, compute, ratio
from wholeplace.cba.service import REPORT_DRAWS, REPORT_SEED, TORNADO_SWING, load
from wholeplace.money import round_half_up, to_money
from wholeplace.reports.pdf import pdf_writer
from wholeplace.reports.writers import writer_for
from wholeplace.workspace import Workspace


@dataclass(frozen=True)
class SimulationResult:
    """``cba simulate``: Monte-Carlo draws of the appraisal's uncertain inputs, beside the
    point estimate (``cba run``'s exact figures) and why the two differ."""

    appraisal: Appraisal
    simulation: cba_sim.Simulation
    point: Result

    def to_json(self) -> dict[str, Any]:
        return cba_sim.side_by_side(self.appraisal, self.simulation, self.point.to_json())


def simulate(
    file: Path | str,
    ws: Workspace | None = None,
    draws: int = REPORT_DRAWS,
    seed: int | None = REPORT_SEED,
) -> SimulationResult:
    """``draws`` Monte-Carlo runs; P(ROI > 1) and percentiles of every output, beside the
    point estimate. The defaults are the report's, so both give the same figures."""
    appraisal = load(file, ws)
    return SimulationResult(appraisal, cba_sim.simulate(appraisal, draws, seed), compute(appraisal))


@dataclass(frozen=True)
class SensitivityResult:
    """``cba sensitivity``: tornado, break-even points, duration and programme length."""

    appraisal: Appraisal
    swing: Decimal
    tornado: list[cba_sens.TornadoBar]
    break_even: list[cba_sens.BreakEven]
    duration: list[cba_sens.DurationRow]
    programme_length: list[cba_sens.DurationRow]
    grades: list[cba_sens.GradeRow]

    def to_json(self) -> dict[str, Any]:
        return {
            "swing": self.swing,
            "tornado": [
                {
                    "input": b.label,
                    "base": round_half_up(b.base_input, 4),
                    "low": round_half_up(b.low_input, 4),
                    "high": round_half_up(b.high_input, 4),
                    "npv_public_low": to_money(b.npv_public_low),
                    "npv_public_high": to_money(b.npv_public_high),
                    "npv_budget_low": to_money(b.npv_budget_low),
                    "npv_budget_high": to_money(b.npv_budget_high),
                }
                for b in self.tornado
            ],
            "break_even": [
                {
                    "input": b.label,
                    "current": b.current,
                    "break_even": None if b.value is None else round_half_up(b.value, 4),
                    "reachable": b.reachable,
                    "why_not": b.because or None,
                }
                for b in self.break_even
            ],
            "grades": [
                {
                    "input": g.label,
                    "grade": g.grade,
                    "one_better": g.better,
                    "one_worse": g.worse,
                    "npv_public_better": to_money(g.npv_public_better),
                    "npv_public_worse": to_money(g.npv_public_worse),
                    "npv_budget_better": to_money(g.npv_budget_better),
                    "npv_budget_worse": to_money(g.npv_budget_worse),
                }
                for g in self.grades
            ],
            "duration": [_duration_json(d) for d in self.duration],
            "programme_length": [_duration_json(d) for d in self.programme_length],
        }


def _duration_json(d: cba_sens.DurationRow) -> dict[str, Any]:
    return {
        "years": d.years,
        "pv_costs": to_money(d.pv_costs),
        "pv_fiscal": to_money(d.pv_fiscal),
        "net_present_budget_impact": to_money(d.npv_budget),
        "net_present_public_value": to_money(d.npv_public),
        "financial_roi": ratio(d.financial_roi),
    }


def sensitivity(
    file: Path | str, ws: Workspace | None = None, swing: Decimal = TORNADO_SWING
) -> SensitivityResult:
    """Each input moved down and up by ``swing``; break-even; the effect of duration."""
    appraisal = load(file, ws)
    return SensitivityResult(
        appraisal,
        swing,
        cba_sens.tornado(appraisal, swing),
        cba_sens.break_even(appraisal),
        cba_sens.duration(appraisal),
        cba_sens.programme_length(appraisal),
        cba_sens.grades(appraisal),
    )


def write_sensitivity(
    res: SensitivityResult, file: Path, out: Path | str, place: str | None = None
) -> Path:
    """``cba sensitivity --out``: the tables shown, as HTML, XLSX or PDF by suffix."""
    from wholeplace.cba.result_reports import sensitivity_report
    from wholeplace.reports.table_report import write_tables

    return write_tables(sensitivity_report(res, Path(file), place), out, "the sensitivity analysis")


def write_simulation(
    res: SimulationResult, file: Path, out: Path | str, place: str | None = None
) -> Path:
    """``cba simulate --out``: the tables shown, as HTML, XLSX or PDF by suffix."""
    from wholeplace.cba.result_reports import simulation_report
    from wholeplace.reports.table_report import write_tables

    return write_tables(simulation_report(res, Path(file), place), out, "the simulation")


@dataclass(frozen=True)
class Option:
    file: str
    appraisal: Appraisal
    result: Result

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "name": self.appraisal.settings.name, **self.result.to_json()}


@dataclass(frozen=True)
class Comparison:
    """``cba compare``: several options side by side, in the order given."""

    options: list[Option]

    def to_json(self) -> list[dict[str, Any]]:
        return [o.to_json() for o in self.options]


def compare(files: Sequence[Path | str], ws: Workspace | None = None) -> Comparison:
    options = []
    for f in files:
        a = load(f, ws)
        options.append(Option(str(f), a, compute(a)))
    return Comparison(options)


def write_comparison(comparison: Comparison, path: Path) -> Path:
    """``cba compare --out``: the options side by side as HTML, XLSX or PDF."""
    from wholeplace.cba import report_compare

    options = comparison.to_json()
    sources = [Path(o.file) for o in comparison.options]

    def html(p: Path) -> Path:
        return report_compare.write_html(options, p, sources)

    writers = {
        ".html": html,
        ".xlsx": lambda p: report_compare.write_xlsx(options, p),
        ".pdf": pdf_writer(html),
    }
    writer_for(path, writers, "the comparison")(path)
    return path
