"""A report as an XLSX workbook for finance users: one sheet per section, money as numbers
formatted in pounds, printable landscape on one page width."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from wholeplace.money import fmt_gbp
from wholeplace.sharing.report.document import Report, Section, Table

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

MONEY_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00'
HEADER_FILL = "DCE6F1"


def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name


def _paragraphs(ws: Worksheet, paragraphs: list[str], r: int) -> int:
    from openpyxl.styles import Alignment

    for p in paragraphs:
        ws.cell(r, 1, p).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
        ws.row_dimensions[r].height = max(15, 15 * (len(p) // 110 + 1))
        r += 1
    return r


def _table(ws: Worksheet, t: Table, r: int, widths: dict[int, int], freeze: bool) -> int:
    """Write ``t`` from row ``r`` (after a blank row); return the row after it."""
    from openpyxl.styles import Font, PatternFill

    r += 1
    ws.cell(r, 1, t.title).font = Font(bold=True)
    r += 1
    for c, col in enumerate(t.columns, start=1):
        cell = ws.cell(r, c, col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        widths[c] = max(widths.get(c, 0), len(col) + 2)
    if freeze:
        ws.freeze_panes = ws.cell(r + 1, 1)
    for row in t.rows:
        r += 1
        for c, v in enumerate(row, start=1):
            cell = ws.cell(r, c, v)
            if isinstance(v, Decimal):
                cell.number_format = MONEY_FORMAT
                widths[c] = max(widths.get(c, 0), len(fmt_gbp(v)) + 2)
            else:
                widths[c] = max(widths.get(c, 0), min(len(str(v or "")) + 2, 60))
    return r + 1


def _sheet(wb: Workbook, s: Section, used: set[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet_name(s.title, used))
    ws.append([s.title])
    ws["A1"].font = Font(bold=True, size=14)
    r = _paragraphs(ws, s.paragraphs, 2)
    widths: dict[int, int] = {}
    for t in s.tables:
        # The header of a sheet's only table at the top stays in view.
        r = _table(ws, t, r, widths, freeze=s.tables[0] is t and not s.paragraphs)
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = max(w, 12)
    if not widths:
        ws.column_dimensions["A"].width = 15
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def build_workbook(report: Report) -> Workbook:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for s in report.sections:
        _sheet(wb, s, used)
    return wb
