"""XLSX helpers for finance users: styled headers, £ formats, frozen header rows.

Numbers are stored as numbers (never as text), so a sheet can be summed, filtered and
pivoted. A ``gbp_m`` column holds the same exact pounds as a ``gbp`` column but *displays*
them in millions, so nothing is lost to rounding.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from wholeplace.disclosure import SECONDARY, SUPPRESSED
from wholeplace.reports.atomic import atomic_path

# Money is shown with its sign in every workbook (issue 12: "£#,##0.00 for money"), so a
# figure copied out of its column still says what it is.
GBP = '"£"#,##0.00;[Red]-"£"#,##0.00'
GBP_POUND = GBP
RATIO = "0.00"
GBP_M = '"£"#,##0.0,,"m";[Red]-"£"#,##0.0,,"m"'
GBP_WHOLE = '"£"#,##0;[Red]-"£"#,##0'
PCT = "0.0%;[Red]-0.0%"
INT = "#,##0"

Kind = Literal["text", "gbp", "gbp_pound", "gbp_m", "gbp_whole", "pct", "ratio", "int", "bool"]
FORMATS: dict[str, str] = {
    "gbp": GBP,
    "gbp_pound": GBP_POUND,
    "ratio": RATIO,
    "gbp_m": GBP_M,
    "gbp_whole": GBP_WHOLE,
    "pct": PCT,
    "int": INT,
}
WIDTHS: dict[str, int] = {
    "gbp": 18,
    "gbp_pound": 18,
    "ratio": 9,
    "gbp_m": 12,
    "gbp_whole": 12,
    "pct": 9,
    "int": 10,
    "bool": 10,
}

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
TITLE_FONT = Font(bold=True, size=14)
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))


@dataclass(frozen=True)
class Col:
    header: str
    kind: Kind = "text"
    width: int | None = None


def _cell_value(v: Any, kind: str) -> Any:
    if v is None:
        return None
    if kind in ("gbp", "gbp_pound", "gbp_m", "gbp_whole"):
        if v in (SUPPRESSED, SECONDARY):
            # a figure withheld by disclosure control keeps its mark in a money column
            return v
        # Exact to the penny; openpyxl writes Decimals as numbers.
        return Decimal(v)
    if kind == "pct":
        return float(v)
    if kind == "int":
        return int(v)
    if kind == "bool":
        return "yes" if v else "no"
    return v


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def _cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut between words where it has to be cut
    (a word longer than the limit is cut in the word)."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" -,&")
    # "Schedule - NHS Lancashire and" reads as a cut: drop a dangling joining word too
    while head and head.rsplit(" ", 1)[-1].lower() in _JOINING and " " in head:
        head = head.rsplit(" ", 1)[0].rstrip(" -,&")
    return head if head and len(head) <= limit else text[:limit]


_JOINING = frozenset({"and", "or", "of", "the", "for", "to", "in", "on", "by", "a", "an", "&"})


def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\), not cut
    mid-word."""
    # "/" becomes "-" so that 2024/25 reads 2024-25, as the report files are named
    clean = "".join(ch for ch in title.replace("/", "-") if ch not in "[]:*?\\")
    base = _cut(clean, 31) or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name = _cut(base, 31 - len(suffix)) + suffix
        i += 1
    used.add(name.lower())
    return name


def write_table(
    ws: Worksheet,
    cols: Sequence[Col],
    rows: Iterable[Sequence[Any]],
    *,
    start_row: int = 1,
    total: Sequence[Any] | None = None,
    freeze: bool = True,
) -> int:
    """Write a header row and ``rows`` from ``start_row``; return the next free row."""
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=start_row, column=j, value=c.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(
            horizontal="left" if c.kind == "text" else "right", vertical="center", wrap_text=True
        )
        letter = get_column_letter(j)
        width = c.width or WIDTHS.get(c.kind, 24)
        current = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(width, current)
    r = start_row + 1
    first = r
    for row in rows:
        _put_row(ws, cols, row, r)
        r += 1
    if total is not None:
        _put_row(ws, cols, total, r)
        for j in range(1, len(cols) + 1):
            ws.cell(row=r, column=j).font = TOTAL_FONT
            ws.cell(row=r, column=j).border = TOTAL_BORDER
        r += 1
    if freeze and ws.freeze_panes is None:
        freeze_header(ws, start_row)
    if r > first and total is None:
        ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(cols))}{r - 1}"
    return r


def _put_row(ws: Worksheet, cols: Sequence[Col], row: Sequence[Any], r: int) -> None:
    for j, (c, v) in enumerate(zip(cols, row, strict=True), start=1):
        cell = ws.cell(row=r, column=j, value=_cell_value(v, c.kind))
        fmt = FORMATS.get(c.kind)
        if fmt:
            cell.number_format = fmt
        if c.kind == "text":
            cell.alignment = Alignment(vertical="top", wrap_text=c.width is not None)


def write_pairs(
    ws: Worksheet, pairs: Sequence[tuple[str, Any, Kind]], *, start_row: int = 1
) -> int:
    """Label / value rows (a summary block); return the next free row."""
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 38)
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width or 0, 20)
    r = start_row
    for label, value, kind in pairs:
        ws.cell(row=r, column=1, value=label).font = TOTAL_FONT
        cell = ws.cell(row=r, column=2, value=_cell_value(value, kind))
        fmt = FORMATS.get(kind)
        if fmt:
            cell.number_format = fmt
        if kind != "text":
            cell.alignment = Alignment(horizontal="right")
        r += 1
    return r


def title(ws: Worksheet, text: str, subtitle: str | None = None) -> int:
    """A sheet title (and subtitle) at the top; return the next free row after a gap."""
    ws.cell(row=1, column=1, value=text).font = TITLE_FONT
    if subtitle:
        ws.cell(row=2, column=1, value=subtitle).font = Font(italic=True, color="555555")
        return 4
    return 3


def freeze_header(ws: Worksheet, row: int) -> None:
    """Keep rows 1 to ``row`` (a title and the header row) in view while scrolling."""
    if row < 1:
        raise ValueError("the header row is row 1 or below")
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def autosize(ws: Worksheet, *, start_row: int = 1, minimum: int = 8, maximum: int = 60) -> None:
    """Set each column's width to its longest value from ``start_row`` down (pass the
    header row to leave a long title out), in characters plus 2 for padding, between
    ``minimum`` and ``maximum``. Numbers are measured as a finance format shows them
    (``1,234,567.89``); a multi-line text by its longest line."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=start_row):
        for cell in row:
            if cell.value is None:
                continue
            col = int(cell.column)
            widths[col] = max(widths.get(col, 0), _shown_length(cell.value))
    for col, n in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(n + 2, minimum), maximum)


def _shown_length(value: object) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, Decimal | float):
        return len(f"{value:,.2f}")
    if isinstance(value, int):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


# A spreadsheet runs text that begins with one of these as a formula (=HYPERLINK(...),
# =cmd|' /C calc'!A0, @SUM(...)): names in a partner's file must never reach a board member's
# Excel as live formulas. OWASP's remedy: a leading apostrophe, so the cell is plain text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` made inert in a spreadsheet: prefixed with ``'`` if it could start a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def neutralise_workbook(
    wb: Workbook,
    formula_sheets: Collection[str] = (),
    formula_cells: Collection[tuple[str, str]] = (),
) -> int:
    """Neutralise every text cell of ``wb`` outside ``formula_sheets``; how many were changed.

    ``formula_sheets`` are sheets the program fills itself, with its own formulas and no text
    from any input (the appraisal's "By year" sheet); ``formula_cells`` are single cells
    (sheet, coordinate) holding the program's own formulas on a sheet that also holds text
    from an input (a Summary whose figures follow the data sheets).
    """
    changed = 0
    keep = set(formula_cells)
    for ws in wb.worksheets:
        if ws.title in formula_sheets:
            continue
        for row in ws.iter_rows():
            for cell in row:
                if (ws.title, cell.coordinate) in keep:
                    continue
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                    cell.value = neutralise(cell.value)
                    changed += 1
    return changed


def save_atomic(
    wb: Workbook,
    path: Path | str,
    mode: int = 0o644,
    formula_sheets: Collection[str] = (),
    formula_cells: Collection[tuple[str, str]] = (),
) -> Path:
    """Save ``wb`` to ``path`` whole or not at all (see :mod:`wholeplace.reports.atomic`).

    Every sheet is finished first (:func:`finish_sheet`: its header frozen, A4 print set-up),
    so no writer can forget either.

    Text that a spreadsheet would run as a formula is neutralised first (see
    :func:`neutralise_workbook`), so every workbook the program writes is safe to open.
    """
    neutralise_workbook(wb, formula_sheets, formula_cells)
    for ws in wb.worksheets:
        finish_sheet(ws)
    with atomic_path(path, mode) as tmp:
        wb.save(tmp)
    return Path(path)


def print_setup(ws: Worksheet, *, landscape: bool = False, header_rows: int = 1) -> None:
    """A4, fitted to the page width, the header rows repeated on every printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_rows}"


# How tall (in points) the rows above and including a header may be and still be frozen:
# taller, frozen rows would fill a laptop's screen (a sharing sheet's table under its
# paragraphs is printed with its header repeated, but not frozen). Ten rows of 15 points.
FREEZE_WITHIN_POINTS = 150.0
# Wider than this many columns, a sheet is printed landscape.
PORTRAIT_COLUMNS = 6


def header_row(ws: Worksheet) -> int | None:
    """The sheet's first header row (styled by :func:`write_table`), or ``None``."""
    for row in ws.iter_rows(min_col=1, max_col=1, max_row=min(ws.max_row, 60)):
        cell = row[0]
        colour = cell.fill.fgColor.rgb if cell.fill is not None else None
        if isinstance(colour, str) and colour.upper().endswith(str(HEADER_FILL.fgColor.rgb)[-6:]):
            return int(cell.row)
    return None


def frozen_rows(ws: Worksheet) -> int:
    """How many rows are frozen at the top (0 when none)."""
    if ws.freeze_panes is None:
        return 0
    return int(ws[ws.freeze_panes].row) - 1


def finish_sheet(ws: Worksheet) -> None:
    """What every sheet needs before it is saved, unless its writer chose otherwise: the
    header row frozen (when it is near the top) and the print set-up of :func:`print_setup`,
    landscape when wider than six columns, repeating the rows down to the header."""
    header = header_row(ws)
    if (
        ws.freeze_panes is None
        and header is not None
        and _height(ws, header) <= (FREEZE_WITHIN_POINTS)
    ):
        freeze_header(ws, header)
    pr = ws.sheet_properties.pageSetUpPr
    if pr is not None and pr.fitToPage:
        return  # the writer set it up itself (the partner x service matrix)
    frozen = frozen_rows(ws)
    print_setup(ws, landscape=ws.max_column > PORTRAIT_COLUMNS, header_rows=max(frozen, 1))
    if header is not None and header > frozen:
        ws.print_title_rows = f"{header}:{header}"


def _height(ws: Worksheet, rows: int) -> float:
    return sum(float(ws.row_dimensions[r].height or 15) for r in range(1, rows + 1))


@dataclass(frozen=True)
class Series:
    """One series of a native chart: its name in words, the column of its values and its
    colour (``#RRGGBB`` from :mod:`wholeplace.reports.palette`)."""

    name: str
    column: int
    colour: str | None = None
    dashed: bool = False  # a line drawn dashed (a gain-share's position without agreement)


def add_chart(
    ws: Worksheet,
    chart_title: str,
    *,
    kind: Literal["bar", "line"],
    labels: int,
    rows: tuple[int, int],
    series: Sequence[Series],
    anchor: str,
    axis: str = "£",
    point_colours: Sequence[str] = (),
    horizontal: bool = False,
) -> Any:
    """A native Excel chart of the cells ``rows`` (first, last) of ``ws``: the labels from
    column ``labels``, one series per :class:`Series`. The chart refers to the cells, so it
    follows an edit; ``point_colours`` colour each bar of a single series (one per label:
    each partner in its own colour)."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.marker import DataPoint
    from openpyxl.chart.series import SeriesLabel

    chart: Any = BarChart() if kind == "bar" else LineChart()
    if kind == "bar":
        chart.type = "bar" if horizontal else "col"
        chart.grouping = "clustered"
        if horizontal:  # the first row of the table at the top, as it reads
            chart.x_axis.scaling.orientation = "maxMin"
    chart.title = chart_title
    chart.y_axis.title = axis
    chart.y_axis.numFmt = GBP_WHOLE if axis == "£" else "General"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.legend = None if len(series) == 1 else chart.legend
    chart.width, chart.height = 18, 9
    first, last = rows
    for s in series:
        chart.add_data(Reference(ws, min_col=s.column, min_row=first, max_row=last))
        made = chart.series[-1]
        made.tx = SeriesLabel(v=s.name)
        if s.colour:
            fill = s.colour.lstrip("#").upper()
            if kind == "bar":
                made.graphicalProperties.solidFill = fill
            made.graphicalProperties.line.solidFill = fill
        if s.dashed:
            made.graphicalProperties.line.prstDash = "dash"
    if point_colours and len(series) == 1:
        for i, colour in enumerate(point_colours):
            point = DataPoint(idx=i)
            point.graphicalProperties.solidFill = colour.lstrip("#").upper()
            chart.series[0].dPt.append(point)
    chart.set_categories(Reference(ws, min_col=labels, min_row=first, max_row=last))
    ws.add_chart(chart, anchor)
    return chart
