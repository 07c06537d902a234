"""Who invests, who gains, and how the partners split it: pooled budgets with risk-share
rules, gain-share (including the Shapley value), payment by results and section 113
recharges. All money is exact (Decimal) and every split is penny-exact.

The front door is the services (:mod:`wholeplace.sharing.service`)::

    from wholeplace import sharing

    result = sharing.pool("pool.yaml")
    sharing.write_report(result, "pool.html")
    result.to_json()  # what `wholeplace sharing pool pool.yaml --json` prints

Inside: ``pooled_budget`` (with ``rules``, the risk-share rules, and ``pool_workbook``),
``gain_sharing`` (agreement, compute, read; ``shapley``), ``pbr`` (scheme, records, dates,
claims, forecasting), ``staff_recharges``, and ``report`` (the document model, the HTML and
XLSX writers, and one builder per report). ``common`` holds what they share.
"""

from wholeplace.sharing.gain_sharing import Agreement, GainShareResult
from wholeplace.sharing.pbr import ClaimRun, Forecast, Funding, Scheme
from wholeplace.sharing.pooled_budget import Pool, PoolResult
from wholeplace.sharing.service import (
    SharingResult,
    build_report,
    gainshare,
    pbr_claim,
    pbr_forecast,
    pbr_funding,
    pool,
    recharges,
    template,
    write_report,
)
from wholeplace.sharing.staff_recharges import RechargeResult

__all__ = [
    # services
    "gainshare",
    "pbr_claim",
    "pbr_forecast",
    "pbr_funding",
    "pool",
    "recharges",
    "template",
    "build_report",
    "write_report",
    # results
    "ClaimRun",
    "Forecast",
    "Funding",
    "GainShareResult",
    "PoolResult",
    "RechargeResult",
    "SharingResult",
    # inputs the services also accept, for callers who build them in Python
    "Agreement",
    "Pool",
    "Scheme",
]
