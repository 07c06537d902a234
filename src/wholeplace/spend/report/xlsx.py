"""The spend report as an XLSX workbook: one sheet per view, numbers as numbers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wholeplace.spend.consolidate import ZERO, MapRow, SpendMap
from wholeplace.spend.report.data import SpendReport

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from wholeplace.reports.xlsx import Kind


def _map_sheet(
    wb: Workbook,
    name: str,
    heading: str,
    m: SpendMap,
    *,
    per_head: bool,
    groups: dict[str, str] | None = None,
    chart: str = "",
) -> None:
    from openpyxl.utils import get_column_letter

    from wholeplace.reports.palette import colours
    from wholeplace.reports.xlsx import Col, Series, add_chart, title, write_table

    ws = wb.create_sheet(name)
    r = title(ws, heading)
    cols = [Col("Key"), Col("Name", width=44)]
    if groups is not None:
        cols.append(Col("Group", width=30))
    cols += [Col("£", "gbp"), Col("£m", "gbp_m")]
    cols += [Col("Share", "pct"), Col("Of which estimated £", "gbp")]
    if per_head:
        cols += [Col("Population", "int"), Col("£ per head", "gbp")]

    def row(x: MapRow) -> list[Any]:
        out: list[Any] = [x.key, x.label]
        if groups is not None:
            out.append(groups.get(x.key, ""))
        out += [x.amount_gbp, x.amount_gbp, x.share, x.estimated_gbp]
        if per_head:
            out += [x.population, x.per_head_gbp]
        return out

    total: list[Any] = ["Total", ""] + ([""] if groups is not None else [])
    total += [m.total_gbp, m.total_gbp, Decimal(1), m.estimated_gbp]
    if per_head:
        total += [m.population, m.per_head_gbp]
    write_table(ws, cols, [row(x) for x in m.rows], start_row=r, total=total)
    if chart and m.rows:
        # the chart beside the table, drawn from its £ column (not the total row), each bar
        # in the colour the HTML report gives it
        pounds = 4 if groups is not None else 3
        add_chart(
            ws,
            chart,
            kind="bar",
            labels=2,
            rows=(r + 1, r + len(m.rows)),
            series=[Series("Spending (£)", pounds)],
            anchor=f"{get_column_letter(len(cols) + 2)}{r}",
            point_colours=list(colours(x.label for x in m.rows).values()),
            horizontal=True,
        )


def _allocated_sheet(wb: Workbook, data: SpendReport) -> None:
    """Each area's own spend, its allocated share of the spend on no area, and per head."""
    from wholeplace.reports.xlsx import Col, title, write_table
    from wholeplace.spend.consolidate import NOT_ALLOCATED

    a = data.allocation
    assert a is not None
    ws = wb.create_sheet("Allocated")
    r = title(
        ws,
        f"Spending on no area allocated by {a.driver}",
        a.not_allocated,
    )
    own = {x.key: x for x in data.maps["area"].rows if x.key != NOT_ALLOCATED}
    codes = sorted(set(own) | set(a.parts))
    write_table(
        ws,
        [
            Col("Area"),
            Col("Own spending £", "gbp"),
            Col(f"Allocated by {a.driver} £", "gbp"),
            Col("£ per head with allocated", "gbp"),
        ],
        (
            [
                c,
                own[c].amount_gbp if c in own else ZERO,
                a.parts.get(c, ZERO),
                data.allocated_per_head.get(c),
            ]
            for c in codes
        ),
        start_row=r,
        total=["Total", sum((x.amount_gbp for x in own.values()), ZERO), a.allocated, None],
    )


def write_xlsx(data: SpendReport, out: Path | str) -> Path:
    """Write the XLSX workbook atomically: one sheet per view, numbers as numbers."""
    from wholeplace.reports.xlsx import new_workbook, save_atomic

    wb = new_workbook()
    _summary_sheet(wb, data)
    _map_sheet(
        wb,
        "By group",
        "Spending by group",
        data.maps["group"],
        per_head=True,
        chart=f"Spending by group, {data.year}",
    )
    _map_sheet(
        wb,
        "By partner",
        "Spending by partner",
        data.maps["partner"],
        per_head=False,
        groups=data.partner_groups,
        chart=f"Spending by partner, {data.year}",
    )
    _service_sheet(wb, data)
    formulas = _matrix_sheet(wb, data)
    _map_sheet(wb, "By area", "Spending by area, with £ per head", data.maps["area"], per_head=True)
    if data.allocation is not None:
        _allocated_sheet(wb, data)
    _map_sheet(
        wb,
        "By customer group",
        "Spending by customer group",
        data.maps["customer_group"],
        per_head=False,
    )
    if len(data.history_years) > 1:
        _year_on_year_sheet(wb, data)
    _eliminations_sheet(wb, data)
    _reconciliation_sheet(wb, data)
    _basis_sheet(wb, data)
    _estimates_sheet(wb, data)
    _lines_sheet(wb, data)
    formulas += _summary_formulas(wb, data)
    return save_atomic(wb, out, formula_cells=formulas)


# The By group sheet: title, a gap, the header on row 3, the groups from row 4, then Total;
# columns C (£), D (£m), E (share), F (of which estimated £), G (population), H (£ per head).
_GROUP_FIRST = 4


def _summary_formulas(wb: Workbook, data: SpendReport) -> list[tuple[str, str]]:
    """The Summary's figures as formulas on the By group sheet, whose totals, shares, £m and
    £ per head are formulas on its amounts: changing a group's £ there changes its share,
    the total and every Summary figure drawn from them, as the partner x service matrix
    does. wholeplace's own figure stays beside each formula (column C) to compare.
    Returns the cells holding formulas (save_atomic keeps them live)."""
    from wholeplace.reports.xlsx import TOTAL_FONT

    n = len(data.maps["group"].rows)
    last, total = _GROUP_FIRST + n - 1, _GROUP_FIRST + n
    by = wb["By group"]
    kept: list[tuple[str, str]] = []

    def put(ws: Worksheet, coord: str, formula: str) -> None:
        ws[coord] = formula
        kept.append((ws.title, coord))

    for r in range(_GROUP_FIRST, total + 1):
        put(by, f"D{r}", f"=C{r}")
        put(by, f"E{r}", f"=IF(C${total}=0,0,C{r}/C${total})")
        put(by, f"H{r}", f'=IF(N(G{r})=0,"",ROUND(C{r}/G{r},2))')
    for col in "CF":
        put(by, f"{col}{total}", f"=SUM({col}{_GROUP_FIRST}:{col}{last})")
    summary = wb["Summary"]
    rows = {summary.cell(r, 1).value: r for r in range(1, summary.max_row + 1)}
    summary.cell(3, 3, "wholeplace's figure").font = TOTAL_FONT
    for label, formula in (
        ("Consolidated public spending £", f"='By group'!C{total}"),
        ("Consolidated public spending £m", f"='By group'!C{total}"),
        ("£ per head", f"='By group'!H{total}"),
        ("Of which estimated £", f"='By group'!F{total}"),
        (
            "Estimated share",
            f"=IF('By group'!C{total}=0,0,'By group'!F{total}/'By group'!C{total})",
        ),
    ):
        r = rows[label]
        figure = summary.cell(r, 2)
        exact = summary.cell(r, 3, figure.value)
        exact.number_format = figure.number_format
        put(summary, figure.coordinate, formula)
    # the group table under the pairs: each group's £ and share from the By group sheet
    head = rows["Group"]
    for i in range(n + 1):
        r, src = head + 1 + i, _GROUP_FIRST + i
        put(summary, f"B{r}", f"='By group'!C{src}")
        put(summary, f"C{r}", f"=B{r}")
        put(summary, f"D{r}", f"='By group'!E{src}")
    return kept


def _summary_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import Col, title, write_pairs, write_table

    rec = data.reconciliation
    when = data.generated_at.strftime("%d %B %Y")
    ws = wb.create_sheet("Summary")
    r = title(ws, f"Public spending in {data.place}, {data.year}", f"wholeplace report, {when}")
    r = write_pairs(
        ws,
        [
            ("Place", data.place, "text"),
            ("Financial year", data.year, "text"),
            ("Population", data.population, "int"),
            ("Consolidated public spending £", data.total_gbp, "gbp"),
            ("Consolidated public spending £m", data.total_gbp, "gbp_m"),
            ("£ per head", data.per_head_gbp, "gbp"),
            ("Of which estimated £", data.estimated_gbp, "gbp"),
            ("Estimated share", data.estimated_share, "pct"),
            ("Imported lines £", rec.imported_gbp, "gbp"),
            ("Eliminated (payments between partners) £", rec.eliminated_gbp, "gbp"),
            ("Reconciliation holds", "yes" if rec.holds else "NO", "text"),
            ("Partners", len(data.maps["partner"].rows), "int"),
            ("Lines imported for the year", data.line_count, "int"),
        ],
        start_row=r,
    )
    h = data.headline
    write_table(
        ws,
        [Col("Group", width=38), Col("£", "gbp"), Col("£m", "gbp_m"), Col("Share", "pct")],
        [[x.label, x.amount_gbp, x.amount_gbp, x.share] for x in h.rows],
        start_row=r + 1,
        total=["Total", h.total_gbp, h.total_gbp, Decimal(1)],
        freeze=False,
    )


def _service_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import Col, title, write_table

    ws = wb.create_sheet("By service")
    r = title(ws, "Spending by service", "Service divisions (SeRCOP, extended) and services")
    svc = data.maps["service"]
    write_table(
        ws,
        [
            Col("Division", width=36),
            Col("Service code", width=16),
            Col("Service", width=44),
            Col("£", "gbp"),
            Col("£m", "gbp_m"),
            Col("Share", "pct"),
            Col("Of which estimated £", "gbp"),
        ],
        [
            [div, x.key, x.label, x.amount_gbp, x.amount_gbp, x.share, x.estimated_gbp]
            for div, x in data.services_by_division()
        ],
        start_row=r,
        total=["Total", "", "", svc.total_gbp, svc.total_gbp, Decimal(1), svc.estimated_gbp],
    )


def _year_on_year_sheet(wb: Workbook, data: SpendReport) -> None:
    """Every year the place holds, by group then by partner, each level with its total
    row; a line with an estimate held flat is flagged in the last column."""
    from wholeplace.reports.xlsx import TOTAL_BORDER, TOTAL_FONT, Col, title, write_table

    years = data.history_years
    ws = wb.create_sheet("Year on year")
    r = title(ws, f"Year on year, {years[0]} to {data.year}", "Estimates held flat are flagged")
    cols = [
        Col("Level"),
        Col("Key"),
        Col("Name", width=40),
        *(Col(f"{y} £", "gbp") for y in years),
        Col("Change £", "gbp"),
        Col("Change %", "pct"),
        Col("Estimate held flat", width=24),
    ]
    totals = data.history_totals()
    total_change = totals[-1] - totals[-2]
    rows: list[list[Any]] = []
    total_rows: list[int] = []
    for lvl in ("group", "partner"):
        for h in data.history_rows(lvl):
            flat = f"held flat in {', '.join(h.held_flat)}" if h.held_flat else ""
            rows.append([lvl, h.key, h.label, *h.amounts, h.change_gbp, h.change_ratio, flat])
        total_rows.append(r + 1 + len(rows))
        ratio = total_change / totals[-2] if totals[-2] else None
        rows.append(["Total", "", f"All {lvl}s", *totals, total_change, ratio, ""])
    write_table(ws, cols, rows, start_row=r)
    for row in total_rows:
        for c in range(1, len(cols) + 1):
            ws.cell(row=row, column=c).font = TOTAL_FONT
            ws.cell(row=row, column=c).border = TOTAL_BORDER


def _matrix_sheet(wb: Workbook, data: SpendReport) -> list[tuple[str, str]]:
    """The partner x service matrix (CIPFA's ALPS layout): services down, partners across,
    totals both ways as SUM formulas, so a cell changed changes its totals. Returns the
    formula cells (sheet, coordinate), kept as formulas when the workbook is saved."""
    from openpyxl.utils import get_column_letter

    from wholeplace.reports.xlsx import (
        GBP,
        TOTAL_BORDER,
        TOTAL_FONT,
        Col,
        print_setup,
        title,
        write_table,
    )

    m = data.matrix()
    name = "Partner by service"
    ws = wb.create_sheet(name)
    r = title(ws, f"Consolidated spending by service and partner, {data.year}, £")
    cols = [Col("Division", width=28), Col("Service", width=36)]
    cols += [Col(p_name, "gbp") for _, p_name in m.partners] + [Col("Total", "gbp")]
    first, last = 3, 2 + len(m.partners)  # the partners' columns
    top, bottom = r + 1, r + len(m.services)
    rows = [
        [div, s_name, *(m.cell(code, p) for p, _ in m.partners), None]
        for div, code, s_name in m.services
    ]
    write_table(ws, cols, rows, start_row=r, total=["Total", "", *([None] * (last - 1))])
    formulas: list[tuple[str, str]] = []

    def put(row: int, col: int, formula: str) -> None:
        cell = ws.cell(row=row, column=col, value=formula)
        cell.number_format = GBP
        formulas.append((name, cell.coordinate))

    a, z = get_column_letter(first), get_column_letter(last)
    for row in range(top, bottom + 2):  # each service's total, and the grand total
        put(row, last + 1, f"=SUM({a}{row}:{z}{row})")
    for col in range(first, last + 1):
        letter = get_column_letter(col)
        put(bottom + 1, col, f"=SUM({letter}{top}:{letter}{bottom})")
    for col in range(1, len(cols) + 1):
        ws.cell(row=bottom + 1, column=col).font = TOTAL_FONT
        ws.cell(row=bottom + 1, column=col).border = TOTAL_BORDER
    ws.freeze_panes = ws.cell(row=top, column=first)  # services and partners stay in view
    print_setup(ws, landscape=True, header_rows=r)
    return formulas


def _eliminations_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import Col, title, write_table

    ws = wb.create_sheet("Eliminations")
    r = title(ws, "Eliminations: payments between partners, counted once")
    elim = data.eliminations
    names = data.service_names
    write_table(
        ws,
        [
            Col("Payer"),
            Col("Payer name", width=36),
            Col("Payee"),
            Col("Payee name", width=36),
            Col("Service", width=16),
            Col("Service name", width=36),
            Col("Lines", "int"),
            Col("£", "gbp"),
        ],
        [
            [e.payer, e.payer_name, e.payee, e.payee_name, e.service]
            + [names.get(e.service, e.service), e.lines, e.amount_gbp]
            for e in elim
        ],
        start_row=r,
        total=["Total", *[""] * 5, sum(e.lines for e in elim), data.reconciliation.eliminated_gbp],
    )


def _reconciliation_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import title, write_pairs

    rec = data.reconciliation
    ws = wb.create_sheet("Reconciliation")
    r = title(ws, "Reconciliation", "Imported lines = consolidated total + eliminations")
    pairs: list[tuple[str, object, Kind]] = [
        ("Imported lines £", rec.imported_gbp, "gbp"),
        ("Consolidated total £", rec.consolidated_gbp, "gbp"),
        ("Eliminated £", rec.eliminated_gbp, "gbp"),
        ("Difference £", rec.difference_gbp, "gbp"),
        ("Holds", "yes" if rec.holds else "NO", "text"),
    ]
    write_pairs(ws, pairs + _capital_pairs(data), start_row=r)


def _capital_pairs(data: SpendReport) -> list[tuple[str, object, Kind]]:
    """Capital, reconciled on its own: the figures above are revenue (never added in)."""
    if not data.has_capital:
        return []
    cap = data.headline.capital
    return [
        ("Capital: imported lines £", cap.imported_gbp, "gbp"),
        ("Capital: consolidated £", cap.consolidated_gbp, "gbp"),
        ("Capital: eliminated £", cap.eliminated_gbp, "gbp"),
        ("Capital reconciliation holds", "yes" if cap.holds else "NO", "text"),
        ("Revenue and capital combined £", data.headline.combined_gbp, "gbp"),
    ]


def _basis_sheet(wb: Workbook, data: SpendReport) -> None:
    """Each partner's basis (gross, net, payments), gross and net where income is stated."""
    from wholeplace.reports.xlsx import Col, title, write_table

    ws = wb.create_sheet("Basis")
    m = data.headline
    r = title(
        ws,
        "Basis of each partner's figures (revenue lines as imported)",
        " ".join(m.warnings) or "One basis: no warning.",
    )
    r = write_table(
        ws,
        [
            Col("Partner"),
            Col("Partner name", width=36),
            Col("Basis", width=24),
            Col("As imported £", "gbp"),
            Col("Income stated £", "gbp"),
            Col("Gross £", "gbp"),
            Col("Net £", "gbp"),
            Col("Specific grants £", "gbp"),
        ],
        [
            [b.partner, b.name, b.label, sum(b.by_basis.values(), ZERO), b.income_gbp]
            + [b.gross_gbp, b.net_gbp, b.grants_gbp]
            for b in m.bases
        ],
        start_row=r,
    )
    if m.not_eliminated:
        ws.cell(row=r + 1, column=1, value="Not eliminated: paid to a partner that reports net")
        write_table(
            ws,
            [Col("Payer"), Col("Payee"), Col("Service"), Col("£", "gbp")],
            [[e.payer, e.payee, e.service, e.amount_gbp] for e in m.not_eliminated],
            start_row=r + 2,
            freeze=False,
        )


# A sheet that lists objects, a column per attribute: (attribute, header, kind, width).
Columns = tuple[tuple[str, str, "Kind", int | None], ...]

_ESTIMATE_COLUMNS: Columns = (
    ("partner", "Partner", "text", None),
    ("partner_name", "Partner name", "text", 36),
    ("method", "Method", "text", 60),
    ("source", "Source", "text", 60),
    ("lines", "Lines", "int", None),
    ("amount_gbp", "£", "gbp", None),
)

# The Lines sheet: every field of LineRow.
_LINE_COLUMNS: Columns = (
    ("partner", "Partner", "text", None),
    ("partner_name", "Partner name", "text", 30),
    ("service", "Service", "text", None),
    ("service_name", "Service name", "text", 34),
    ("source_service", "Service as imported", "text", 30),
    ("subservice", "Subservice", "text", None),
    ("area", "Area", "text", None),
    ("customer_group", "Customer group", "text", None),
    ("amount_gbp", "£", "gbp", None),
    ("counterparty", "Paid to partner", "text", None),
    ("eliminated", "Eliminated", "bool", None),
    ("is_estimate", "Estimate", "bool", None),
    ("estimate_method", "Estimate method", "text", 30),
    ("source", "Source", "text", 30),
    ("source_row", "Source row", "int", None),
)


def _list_table(
    ws: Worksheet,
    columns: Columns,
    items: Iterable[object],
    *,
    start_row: int,
    total: Sequence[Any] | None = None,
) -> None:
    from wholeplace.reports.xlsx import Col, write_table

    write_table(
        ws,
        [Col(header, kind, width) for _, header, kind, width in columns],
        [[getattr(x, name) for name, *_ in columns] for x in items],
        start_row=start_row,
        total=total,
    )


def _estimates_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import title

    ws = wb.create_sheet("Estimates")
    r = title(
        ws, "Estimated lines in the consolidated total", "How each was estimated, and from what"
    )
    total = ["Total", "", "", "", sum(e.lines for e in data.estimates), data.estimated_gbp]
    _list_table(ws, _ESTIMATE_COLUMNS, data.estimates, start_row=r, total=total)


def _lines_sheet(wb: Workbook, data: SpendReport) -> None:
    from wholeplace.reports.xlsx import title

    ws = wb.create_sheet("Lines")
    sub = f"All {data.line_count:,} lines imported for {data.year}"
    if data.line_count > len(data.lines):
        sub += f" (the first {len(data.lines):,} listed; Excel cannot hold more)"
    r = title(ws, "Lines", sub)
    _list_table(ws, _LINE_COLUMNS, data.lines, start_row=r)
