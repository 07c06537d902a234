"""The partners' policy objectives against the customer groups they serve (issue 14).

Public API: the operations of :mod:`wholeplace.objectives.service` and their results::

    from wholeplace.objectives import analyse, import_groups, import_objectives

    import_groups(ws, Path("groups.csv"))
    import_objectives(ws, Path("objectives.csv"))
    a = analyse(ws)     # a.findings.overlaps / conflicts / different_approaches, a.matrix
"""

from wholeplace.objectives.findings import Finding, Findings, Objective, find
from wholeplace.objectives.service import (
    Analysis,
    GroupsImport,
    ObjectivesImport,
    ReportResult,
    analyse,
    import_groups,
    import_objectives,
    write_report,
)

__all__ = [
    "Analysis",
    "Finding",
    "Findings",
    "GroupsImport",
    "Objective",
    "ObjectivesImport",
    "ReportResult",
    "analyse",
    "find",
    "import_groups",
    "import_objectives",
    "write_report",
]
