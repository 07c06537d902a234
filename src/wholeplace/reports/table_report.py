"""A report made of tables, in the one layout, as HTML, XLSX or PDF from one description.

The commands whose result is a few tables (``spend map``, ``spend suppliers``,
``cba sensitivity``, ``cba simulate``) describe it once as a :class:`TableReport`: the answer,
then :class:`TableSection` s (a heading, columns with their kind, rows, an optional total
row), then the method. :func:`write_tables` writes it by the file's suffix: the HTML page in
``base.html``'s layout (each table boxed, figures formatted as the command line shows them),
the workbook (one sheet per section, money as numbers formatted ``£#,##0.00``, shares
``0.0%``, headers frozen, A4 print set-up, sheet names cut between words) or the PDF printed
from the HTML. Both files come from the same rows, so they show the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.money import fmt_gbp, fmt_pct, to_money
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.html import millions
from wholeplace.reports.layout import Answer, InputFile, render_report
from wholeplace.reports.pdf import pdf_writer
from wholeplace.reports.writers import writer_for
from wholeplace.reports.xlsx import (
    Col,
    autosize,
    new_workbook,
    print_setup,
    save_atomic,
    sheet_name,
    title,
    write_pairs,
    write_table,
)

MONEY = ("gbp", "gbp_pound", "gbp_m", "gbp_whole")


@dataclass(frozen=True)
class TableSection:
    """One table: its heading (also the sheet's name), columns and rows, in display order."""

    heading: str
    columns: Sequence[Col]
    rows: Sequence[Sequence[Any]]
    total: Sequence[Any] | None = None
    note: str = ""
    # the sheet's name; by default the heading up to its colon ("Tornado: each input..."
    # is the sheet "Tornado"), cut between words to Excel's 31 characters
    sheet: str = ""


@dataclass(frozen=True)
class TableReport:
    """A report of tables: the answer, the sections, then the method in paragraphs."""

    title: str
    answer: Answer
    sections: Sequence[TableSection]
    method: Sequence[str] = ()
    lede: str = ""
    place: str | None = None
    inputs: Sequence[InputFile] = field(default_factory=tuple)
    landscape: bool = False


def shown(value: Any, kind: str) -> str:
    """A cell as the HTML page (and the command line) shows it."""
    if value is None or value == "":
        return ""
    if kind in ("gbp", "gbp_pound", "gbp_whole"):
        return fmt_gbp(Decimal(value), pence=kind != "gbp_whole")
    if kind == "gbp_m":
        return millions(Decimal(value))
    if kind == "pct":
        return fmt_pct(value)
    if kind == "ratio":
        return f"{Decimal(value):.2f}"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "bool":
        return "yes" if value else "no"
    return str(value)


def _cells(cols: Sequence[Col], row: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {"text": shown(v, c.kind), "num": c.kind != "text"} for c, v in zip(cols, row, strict=True)
    ]


def html_text(report: TableReport) -> str:
    sections = [
        {
            "id": f"section-{i}",
            "heading": s.heading,
            "note": s.note,
            "columns": [{"header": c.header, "num": c.kind != "text"} for c in s.columns],
            "rows": [_cells(s.columns, r) for r in s.rows],
            "total": None if s.total is None else _cells(s.columns, s.total),
        }
        for i, s in enumerate(report.sections, start=1)
    ]
    return render_report(
        "tables_report.html",
        title=report.title,
        answer=report.answer,
        place=report.place,
        inputs=report.inputs,
        landscape=report.landscape,
        lede=report.lede,
        sections=sections,
        method=list(report.method),
    )


def write_html(report: TableReport, path: Path) -> Path:
    return write_text_atomic(path, html_text(report))


def _pennies(cols: Sequence[Col], row: Sequence[Any]) -> list[Any]:
    """Money to the penny, as the HTML shows it (an appraisal's present values are exact
    fractions of a penny)."""
    return [
        to_money(Decimal(v)) if c.kind in MONEY and v is not None and v != "" else v
        for c, v in zip(cols, row, strict=True)
    ]


def write_xlsx(report: TableReport, path: Path) -> Path:
    """A Summary sheet (the answer and its figures), then one sheet per section."""
    wb = new_workbook()
    used: set[str] = set()
    summary = wb.create_sheet(sheet_name("Summary", used))
    r = title(summary, report.title, report.place)
    summary.cell(row=r, column=1, value=report.answer.sentence)
    r = write_pairs(
        summary, [(f.what, f.value, "text") for f in report.answer.figures], start_row=r + 2
    )
    for i, paragraph in enumerate(report.method):
        summary.cell(row=r + 1 + i, column=1, value=paragraph)
    for s in report.sections:
        ws = wb.create_sheet(sheet_name(s.sheet or s.heading.split(":")[0], used))
        rows = [_pennies(s.columns, r) for r in s.rows]
        total = None if s.total is None else _pennies(s.columns, s.total)
        write_table(ws, s.columns, rows, total=total)
        autosize(ws, minimum=10)
        for j, c in enumerate(s.columns, start=1):  # money needs room for "£1,234,567.89"
            letter = ws.cell(row=1, column=j).column_letter
            if c.kind != "text":
                ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width, 16)
        if s.note:
            ws.cell(row=len(s.rows) + 3 + (s.total is not None), column=1, value=s.note)
        print_setup(ws, landscape=report.landscape or len(s.columns) > 6)
    return save_atomic(wb, path)


def write_tables(report: TableReport, path: Path | str, what: str) -> Path:
    """Write ``report`` as ``.html``, ``.xlsx`` or ``.pdf`` by ``path``'s suffix; ``what``
    names it in the message for any other suffix."""
    out = Path(path)

    def html(p: Path) -> Path:
        return write_html(report, p)

    writer_for(
        out,
        {".html": html, ".xlsx": lambda p: write_xlsx(report, p), ".pdf": pdf_writer(html)},
        what,
    )(out)
    return out
