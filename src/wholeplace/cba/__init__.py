"""Cost-benefit appraisal: the HM Treasury / New Economy method and the Unit Cost Database.

The front door is :mod:`wholeplace.cba.service` (re-exported here): ``run``, ``simulate``,
``sensitivity``, ``compare``, ``template``, ``write_report`` and the unit cost operations, each
returning a typed result with ``to_json()``. Underneath: ``appraisal`` (the typed appraisal),
``discounting`` (flat rates and the Green Book schedule), ``compute`` (the exact model),
``load`` (YAML and the XLSX template), ``sensitivity_analysis`` and ``montecarlo`` (exploring
it),
``report`` (HTML and XLSX), ``unitcosts`` and ``deflators`` (the published workbooks).
"""

from wholeplace.cba.appraisal import Appraisal, Settings
from wholeplace.cba.compute import Result
from wholeplace.cba.discounting import Defaults, DiscountSchedule, defaults
from wholeplace.cba.service import (
    Comparison,
    DeflatorImport,
    Deflators,
    Option,
    RunResult,
    SearchResult,
    SensitivityResult,
    SimulationResult,
    TemplateResult,
    UnitCostDetail,
    UnitCostImport,
    Uprating,
    compare,
    deflators,
    import_deflators,
    import_unitcosts,
    load,
    run,
    search,
    sensitivity,
    show,
    simulate,
    template,
    uprate,
    write_report,
)

__all__ = [
    "Appraisal",
    "Comparison",
    "Defaults",
    "DeflatorImport",
    "Deflators",
    "DiscountSchedule",
    "Option",
    "Result",
    "RunResult",
    "SearchResult",
    "SensitivityResult",
    "Settings",
    "SimulationResult",
    "TemplateResult",
    "UnitCostDetail",
    "UnitCostImport",
    "Uprating",
    "compare",
    "defaults",
    "deflators",
    "import_deflators",
    "import_unitcosts",
    "load",
    "run",
    "search",
    "sensitivity",
    "show",
    "simulate",
    "template",
    "uprate",
    "write_report",
]
