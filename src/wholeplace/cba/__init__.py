"""Cost-benefit appraisal: the HM Treasury / New Economy method and the Unit Cost Database.

The front door is :mod:`wholeplace.cba.service` (re-exported here): ``run``, ``template``,
``write_report`` and the unit cost operations, with ``simulate``, ``sensitivity`` and
``compare`` in :mod:`wholeplace.cba.analysis_service`, each returning a typed result with
``to_json()``. Underneath: ``appraisal`` (the typed appraisal),
``discounting`` (flat rates and the Green Book schedule), ``compute`` (the exact model),
``load`` (YAML and the XLSX template), ``sensitivity_analysis`` and ``montecarlo`` (exploring
it),
``report`` (HTML and XLSX), ``unitcosts`` and ``deflators`` (the published workbooks).
"""

from wholeplace.cba.analysis_service import (
    Comparison,
    Option,
    SensitivityResult,
    SimulationResult,
    compare,
    sensitivity,
    simulate,
)
from wholeplace.cba.appraisal import Appraisal, Settings
from wholeplace.cba.compute import Result
from wholeplace.cba.discounting import Defaults, DiscountSchedule, defaults
from wholeplace.cba.service import (
    DeflatorImport,
    Deflators,
    RunResult,
    SearchResult,
    TemplateResult,
    UnitCostDetail,
    UnitCostImport,
    Uprating,
    deflators,
    import_deflators,
    import_unitcosts,
    load,
    run,
    search,
    show,
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
