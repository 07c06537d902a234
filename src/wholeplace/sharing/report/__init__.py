"""Reports for partnership boards and finance teams: HTML (with offline Plotly charts) and
XLSX (schedules formatted for finance users), from one small document model.

Each calculator's result becomes a :class:`Report` (``document``) through its builder (one
module per report: ``pool``, ``gainshare``, ``pbr``, ``recharges``); ``html_page`` and
``workbook`` render it, and :func:`write_report` writes it atomically, choosing the format by
the file's suffix.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.pdf import pdf_writer
from wholeplace.reports.writers import writer_for
from wholeplace.sharing.report.document import Report, Section, Table
from wholeplace.sharing.report.gainshare import gainshare_report
from wholeplace.sharing.report.pbr import claims_report, forecast_report, funding_report
from wholeplace.sharing.report.pool import pool_report
from wholeplace.sharing.report.recharges import recharges_report

__all__ = [
    "Report",
    "Section",
    "Table",
    "claims_report",
    "funding_report",
    "forecast_report",
    "gainshare_report",
    "pool_report",
    "recharges_report",
    "write_report",
]


def write_report(
    report: Report,
    out: Path | str,
    *,
    sources: Sequence[Path] = (),
    place: str | None = None,
) -> Path:
    """Write ``report`` as HTML, XLSX or PDF, chosen by ``out``'s suffix, atomically."""
    out = Path(out)

    def html(path: Path) -> Path:
        from wholeplace.sharing.report.html_page import render_html

        return write_text_atomic(path, render_html(report, place=place, sources=sources))

    def xlsx(path: Path) -> Path:
        from wholeplace.reports.xlsx import save_atomic
        from wholeplace.sharing.report.workbook import build_workbook

        return save_atomic(build_workbook(report), path)

    writers = {".html": html, ".xlsx": xlsx, ".pdf": pdf_writer(html)}
    writer_for(out, writers, "the sharing report")(out)
    return out
