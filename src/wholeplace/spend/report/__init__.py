"""The spend report: everything the place's consolidated spend shows, as HTML or XLSX.

:func:`gather` reads the workspace once into a typed :class:`SpendReport` (aggregates as
Ibis expressions over :func:`~wholeplace.engine.duckdb_tables`, money as Decimal);
:func:`write_html` and :func:`write_xlsx` only lay that object out, so both files show the
same figures. One module each: :mod:`.data` (the figures), :mod:`.gathering` (reading
them), :mod:`.html` and :mod:`.xlsx` (the writers).
"""

from __future__ import annotations

from wholeplace.spend.report.data import (
    VIEWS,
    ChangeRow,
    DrillRow,
    EstimatedPartner,
    EstimateRow,
    LineRow,
    SpendReport,
)
from wholeplace.spend.report.gathering import (
    MAX_XLSX_LINES,
    drilldown_expr,
    estimates_expr,
    gather,
    lines_expr,
)
from wholeplace.spend.report.html import html_text, write_html
from wholeplace.spend.report.xlsx import write_xlsx

__all__ = [
    "MAX_XLSX_LINES",
    "VIEWS",
    "ChangeRow",
    "DrillRow",
    "EstimateRow",
    "EstimatedPartner",
    "LineRow",
    "SpendReport",
    "drilldown_expr",
    "estimates_expr",
    "gather",
    "html_text",
    "lines_expr",
    "write_html",
    "write_xlsx",
]
