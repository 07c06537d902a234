"""The appraisal model: the HM Treasury / New Economy cost-benefit method, exactly.

This module is the model's front door, kept so that ``from wholeplace.cba import model``
goes on working; the code lives in one module per concern:

* :mod:`wholeplace.cba.appraisal`: the typed appraisal (settings, costs, outcomes);
* :mod:`wholeplace.cba.discounting`: flat rates and the Green Book schedule;
* :mod:`wholeplace.cba.compute`: present values, ROIs, payback, who pays and who gains;
* :mod:`wholeplace.cba.load` (with :mod:`~wholeplace.cba.checks` and
  :mod:`~wholeplace.cba.load_xlsx`): reading YAML and the XLSX template;
* :mod:`wholeplace.cba.template`: writing the XLSX template.

See :mod:`wholeplace.cba.compute` for the arithmetic and rounding rule.
"""

from __future__ import annotations

from wholeplace.cba.appraisal import (
    COST_TYPES,
    DEFAULT_OPTIMISM_BIAS,
    DIST_PARAMS,
    ONE,
    RATIO,
    VALUE_TYPES,
    ZERO,
    Appraisal,
    Component,
    CostLine,
    Dist,
    OutcomeLine,
    Settings,
    scale_cohorts,
    with_component_value,
    with_outcome,
    with_settings,
)
from wholeplace.cba.compute import LineDetail, Result, YearFigures, compute
from wholeplace.cba.load import build_appraisal, load_appraisal, loads_appraisal
from wholeplace.cba.template import write_template

__all__ = [
    "COST_TYPES",
    "DEFAULT_OPTIMISM_BIAS",
    "DIST_PARAMS",
    "ONE",
    "RATIO",
    "VALUE_TYPES",
    "ZERO",
    "Appraisal",
    "Component",
    "CostLine",
    "Dist",
    "LineDetail",
    "OutcomeLine",
    "Result",
    "Settings",
    "YearFigures",
    "build_appraisal",
    "compute",
    "load_appraisal",
    "loads_appraisal",
    "scale_cohorts",
    "with_component_value",
    "with_outcome",
    "with_settings",
    "write_template",
]
