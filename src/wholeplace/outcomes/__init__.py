"""The outcomes capability (issue 15): an outcomes framework with indicators and RBA
performance measures, observations assured before they are published, effects shown gross
and net of deadweight, the social return on investment, and reports residents can read.

Public API: the operations of :mod:`wholeplace.outcomes.service` and their results::

    from wholeplace.outcomes import import_framework, import_observations, report

    import_framework(ws, Path("outcomes.yaml"))
    import_observations(ws, Path("q1.csv"), dataset="q1")
    r = report(ws, public=True)        # r.rows, r.claims, r.sroi, r.to_json()
"""

from wholeplace.outcomes.additionality import GrossNet, gross_and_net, net_of
from wholeplace.outcomes.model import Claim, Factor, Framework, Indicator, Sroi, ValueLine
from wholeplace.outcomes.scorecard import Row, wilson
from wholeplace.outcomes.service import (
    FrameworkImport,
    ObservationImport,
    Report,
    approve,
    datasets,
    framework,
    import_framework,
    import_observations,
    report,
    review,
    write_report,
)
from wholeplace.outcomes.sroi import ProxyLookup, SroiResult, calculate

__all__ = [
    "Claim",
    "Factor",
    "Framework",
    "FrameworkImport",
    "GrossNet",
    "Indicator",
    "ObservationImport",
    "ProxyLookup",
    "Report",
    "Row",
    "Sroi",
    "SroiResult",
    "ValueLine",
    "approve",
    "calculate",
    "datasets",
    "framework",
    "gross_and_net",
    "import_framework",
    "import_observations",
    "net_of",
    "report",
    "review",
    "wilson",
    "write_report",
]
