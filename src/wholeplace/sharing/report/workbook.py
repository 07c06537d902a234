"""A report as an XLSX workbook for finance users: one sheet per section, money as numbers
formatted in pounds, headers in the house style (``wholeplace.reports.xlsx``), printed on
A4 one page wide with the header repeated (``save_atomic`` sets every sheet up)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

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
    for fig in s.figures:
        r = _native_chart(ws, fig, r)


def _native_chart(ws: Worksheet, fig: Any, r: int) -> int:
    """The HTML's Plotly chart as a native Excel chart: its figures written as a table
    under the sheet's tables (the table behind the chart), the chart drawn from those
    cells in the same colours. Returns the row after the table."""
    from wholeplace.reports.charts import trace_name
    from wholeplace.reports.xlsx import Series, add_chart

    traces = [t for t in fig.data if t.type in ("bar", "scatter")]
    if not traces:
        return r
    horizontal = all(getattr(t, "orientation", None) == "h" for t in traces)
    labels: list[Any] = []
    for t in traces:
        for x in t.y if horizontal else t.x:
            if x not in labels:
                labels.append(x)
    name = str(fig.layout.title.text or "Chart")
    table = Table(
        f"The figures of the chart: {name}",
        [_axis_title(fig, horizontal), *(trace_name(t) for t in traces)],
        [[str(x), *(_value_at(t, x, horizontal) for t in traces)] for x in labels],
    )
    header = r + 2
    after = _table(ws, table, r, freeze=False)
    add_chart(
        ws,
        name,
        kind="bar" if traces[0].type == "bar" else "line",
        labels=1,
        rows=(header + 1, header + len(labels)),
        series=[
            Series(trace_name(t), j, _colour(t), _dashed(t)) for j, t in enumerate(traces, start=2)
        ],
        anchor=f"A{after + 1}",
        horizontal=horizontal,
    )
    return after + 20  # room for the chart (9 cm is about 18 rows)


def _value_at(trace: Any, label: Any, horizontal: bool) -> Decimal | None:
    keys, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    for k, v in zip(keys, values, strict=True):
        if k == label and v is not None:
            return Decimal(str(v)).quantize(Decimal("0.01"))
    return None


def _colour(trace: Any) -> str | None:
    colour = trace.marker.color if trace.type == "bar" else trace.line.color
    return colour if isinstance(colour, str) and colour.startswith("#") else None


def build_workbook(report: Report) -> Workbook:
    from wholeplace.reports.xlsx import new_workbook

    wb = new_workbook()
    used: set[str] = set()
    for s in report.sections:
        _sheet(wb, s, used)
    return wb


def _dashed(trace: Any) -> bool:
    return trace.type == "scatter" and trace.line.dash in ("dash", "dot", "dashdot")


def _axis_title(fig: Any, horizontal: bool) -> str:
    axis = fig.layout.yaxis if horizontal else fig.layout.xaxis
    return str(axis.title.text or "")
