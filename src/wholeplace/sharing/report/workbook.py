"""A report as an XLSX workbook for finance users: one sheet per section, money as numbers
formatted in pounds, headers in the house style (``wholeplace.reports.xlsx``), printed on
A4 one page wide with the header repeated (``save_atomic`` sets every sheet up)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from wholeplace.reports.xlsx import GBP, sheet_name
from wholeplace.sharing.report.document import Report, Section, Table

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# These schedules are annexed to legal agreements and show the currency, as docs/sharing.md
# says: the house money format, which carries the £ sign.
MONEY_FORMAT = GBP


def _paragraphs(ws: Worksheet, paragraphs: list[str], r: int) -> int:
    from openpyxl.styles import Alignment

    for p in paragraphs:
        ws.cell(r, 1, p).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
        ws.row_dimensions[r].height = max(15, 15 * (len(p) // 110 + 1))
        r += 1
    return r


def _table(ws: Worksheet, t: Table, r: int, freeze: bool) -> int:
    """Write ``t`` from row ``r`` (after a blank row); return the row after it."""
    from openpyxl.styles import Font

    from wholeplace.reports.xlsx import HEADER_FILL, HEADER_FONT, freeze_header

    r += 1
    ws.cell(r, 1, t.title).font = Font(bold=True)
    r += 1
    for c, col in enumerate(t.columns, start=1):
        cell = ws.cell(r, c, col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    if freeze:
        freeze_header(ws, r)
    for row in t.rows:
        r += 1
        for c, v in enumerate(row, start=1):
            cell = ws.cell(r, c, v)
            if isinstance(v, Decimal):
                cell.number_format = MONEY_FORMAT
    return r + 1


def _sheet(wb: Workbook, s: Section, used: set[str]) -> None:
    from wholeplace.reports.xlsx import TITLE_FONT, autosize

    ws = wb.create_sheet(sheet_name(s.title, used))
    ws.append([s.title])
    ws["A1"].font = TITLE_FONT
    r = _paragraphs(ws, s.paragraphs, 2)
    tables_from = r + 2  # the first table's header row: paragraphs do not set widths
    for t in s.tables:
        # The header of a sheet's only table at the top stays in view.
        r = _table(ws, t, r, freeze=s.tables[0] is t and not s.paragraphs)
    if s.tables:
        autosize(ws, start_row=tables_from, minimum=12)
    else:
        ws.column_dimensions["A"].width = 15


def build_workbook(report: Report) -> Workbook:
    from wholeplace.reports.xlsx import new_workbook

    wb = new_workbook()
    used: set[str] = set()
    for s in report.sections:
        _sheet(wb, s, used)
    return wb
