"""How much is spent here, by whom, on what, where: the place's consolidated spend map.

Public API: the operations of :mod:`wholeplace.spend.service` and their results::

    from wholeplace.spend import build_map, import_lines, write_report

    import_lines(ws, Path("county.csv"))
    m = build_map(ws, by="partner")     # the latest year; m.to_json() is `--json`
    write_report(ws, Path("reports/spend-2024-25.html"))
"""

from wholeplace.spend.consolidate import SpendMap, consolidate
from wholeplace.spend.importer import ImportResult, import_spend
from wholeplace.spend.service import (
    EstimateResult,
    LinesImport,
    MapResult,
    OutturnAuthorities,
    OutturnImport,
    ReportResult,
    ServiceList,
    SuppliersResult,
    TransactionsImport,
    build_map,
    estimate,
    import_lines,
    import_outturn,
    import_transactions,
    outturn_authorities,
    services,
    suppliers,
    write_report,
    write_reports,
)

__all__ = [
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
    "consolidate",
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
