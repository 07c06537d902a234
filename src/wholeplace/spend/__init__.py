"""How much is spent here, by whom, on what, where: the place's consolidated spend map.

Public API: the operations of :mod:`wholeplace.spend.service` (with
:mod:`~wholeplace.spend.national_service` and :mod:`~wholeplace.spend.transactions_service`)
and their results::

    from wholeplace.spend import build_map, import_lines, write_report

    import_lines(ws, Path("county.csv"))
    m = build_map(ws, by="partner")     # the latest year; m.to_json() is `--json`
    write_report(ws, Path("reports/spend-2024-25.html"))
"""

from wholeplace.spend.consolidate import SpendMap, consolidate
from wholeplace.spend.importer import ImportResult, import_spend
from wholeplace.spend.national_service import (
    OutturnAuthorities,
    OutturnImport,
    import_outturn,
    outturn_authorities,
)
from wholeplace.spend.service import (
    Drill,
    EstimateResult,
    LinesImport,
    MapResult,
    ReportResult,
    ServiceList,
    build_map,
    build_maps,
    drill,
    estimate,
    import_lines,
    services,
    write_report,
    write_reports,
)
from wholeplace.spend.transactions_service import (
    SuppliersResult,
    TransactionsImport,
    import_transactions,
    suppliers,
)

# The public API: a few domain names and the services and results of the *service modules'
# __all__, listed again here (not computed) so that readers and type checkers see them.
__all__ = [
    "Drill",
    "EstimateResult",
    "ImportResult",
    "LinesImport",
    "MapResult",
    "OutturnAuthorities",
    "OutturnImport",
    "ReportResult",
    "ServiceList",
    "SpendMap",
    "SuppliersResult",
    "TransactionsImport",
    "build_map",
    "build_maps",
    "consolidate",
    "drill",
    "estimate",
    "import_lines",
    "import_outturn",
    "import_spend",
    "import_transactions",
    "outturn_authorities",
    "services",
    "suppliers",
    "write_report",
    "write_reports",
]
