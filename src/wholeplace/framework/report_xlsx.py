"""The framework report as an XLSX workbook: the grid (coloured, with the band in words),
partners against the partnership, disagreements, the plan, the place's own evidence and
every answer. Scores are stored as numbers (fractions of 1, shown as percentages)."""

from __future__ import annotations

from pathlib import Path

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from wholeplace.framework.model import ANSWER_WORDS, DIMENSIONS, LEVELS, cell_label
from wholeplace.framework.report import FrameworkReport, band
from wholeplace.framework.scoring import CELLS, Score
from wholeplace.reports.xlsx import (
    HEADER_FILL,
    HEADER_FONT,
    PCT,
    Col,
    autosize,
    new_workbook,
    save_atomic,
    title,
    write_pairs,
    write_table,
)


def _pct(s: Score) -> float | None:
    f = s.fraction
    return None if f is None else float(f)


def _heat_cell(ws: Worksheet, row: int, col: int, s: Score) -> None:
    name, fill, ink = band(s)
    c = ws.cell(row=row, column=col, value=_pct(s))
    c.number_format = PCT
    c.fill = PatternFill("solid", fgColor=fill.lstrip("#"))
    c.font = Font(color=ink.lstrip("#"), bold=True)
    c.alignment = Alignment(horizontal="center")
    words = ws.cell(row=row + 1, column=col, value=name)
    words.fill = PatternFill("solid", fgColor=fill.lstrip("#"))
    words.font = Font(color=ink.lstrip("#"))
    words.alignment = Alignment(horizontal="center")


def _grid(wb: object, r: FrameworkReport) -> None:
    ws = wb.create_sheet("Grid")  # type: ignore[attr-defined]
    fw = r.framework
    row = title(ws, f"How aligned are the partners of {r.place}?", r.headline())
    row = write_pairs(
        ws,
        [
            ("Assessment", r.assessment.name, "text"),
            ("Framework version", fw.version, "text"),
            ("Evidence checked on", r.on.isoformat(), "text"),
            ("Overall score", _pct(r.scores.overall), "pct"),
            ("Partners answered", len(r.partners), "int"),
            ("Disagreements", len(r.disagreements), "int"),
            ("Gaps in the plan", len(r.gaps), "int"),
        ],
        start_row=row,
    )
    row += 1
    headers = ["Level", *[fw.dimension_names[d] for d in DIMENSIONS], "All dimensions"]
    for j, h in enumerate(headers, start=1):
        c = ws.cell(row=row, column=j, value=h)
        c.font, c.fill = HEADER_FONT, HEADER_FILL
    row += 1
    for lv in LEVELS:
        ws.cell(row=row, column=1, value=fw.level_names[lv]).font = Font(bold=True)
        for j, dm in enumerate(DIMENSIONS, start=2):
            _heat_cell(ws, row, j, r.scores.cells[(lv, dm)])
        _heat_cell(ws, row, len(DIMENSIONS) + 2, r.scores.levels[lv])
        row += 2
    ws.cell(
        row=row + 1,
        column=1,
        value=(
            "Scoring: met = 2, partly met = 1, not met = 0, not applicable left out; "
            "score = points / (2 x answers counted). Bands: strong 75% and over, developing 50%, "
            "weak 25%, very weak below 25%."
        ),
    )
    for col in "BCDE":
        ws.column_dimensions[col].width = 16


def _partners(wb: object, r: FrameworkReport) -> None:
    ws = wb.create_sheet("Partners")  # type: ignore[attr-defined]
    fw = r.framework
    cols = [Col("Partner"), Col("Name", width=30)]
    cols += [Col(cell_label(fw, *c), "pct", 14) for c in CELLS]
    cols += [Col("Overall", "pct", 12), Col("Statements answered", "int")]
    rows = [
        [
            "partnership",
            "all partners pooled",
            *[_pct(r.scores.cells[c]) for c in CELLS],
            _pct(r.scores.overall),
            len(r.answers),
        ]
    ]
    done = r.completion()
    for pid, name in r.partners.items():
        cells = r.scores.partners[pid]
        rows.append(
            [
                pid,
                name,
                *[_pct(cells[c]) for c in CELLS],
                _pct(r.scores.partner_overall[pid]),
                done[pid],
            ]
        )
    write_table(ws, cols, rows)


def write_xlsx(r: FrameworkReport, path: Path) -> Path:
    wb = new_workbook()
    _grid(wb, r)
    _partners(wb, r)
    ws = wb.create_sheet("Disagreements")
    write_table(
        ws,
        [
            Col("Rank", "int"),
            Col("Statement"),
            Col("Cell", width=30),
            Col("Text", width=60),
            Col("Met according to"),
            Col("Not met according to"),
            Col("Pairs two steps apart", "int"),
        ],
        [
            [
                i,
                d.statement.id,
                cell_label(r.framework, *d.statement.cell),
                d.statement.text,
                ", ".join(d.met_by),
                ", ".join(d.not_met_by),
                d.pairs,
            ]
            for i, d in enumerate(r.disagreements, start=1)
        ],
    )
    ws = wb.create_sheet("Plan")
    write_table(
        ws,
        [
            Col("#", "int"),
            Col("Statement"),
            Col("Cell", width=30),
            Col("Text", width=60),
            Col("Score", "pct"),
            Col("Partners short of it", width=30),
            Col("The place's data says", width=40),
            Col("Owner"),
            Col("Due"),
            Col("Overdue", "bool"),
            Col("Note", width=30),
        ],
        [
            [
                i,
                g.statement.id,
                cell_label(r.framework, *g.statement.cell),
                g.statement.text,
                _pct(g.score),
                "; ".join(f"{p}: {ANSWER_WORDS[a]}" for p, a in g.short.items()),
                g.evidence_says or "",
                g.owner or "",
                "" if g.due is None else g.due.isoformat(),
                g.overdue(r.on),
                g.note or "",
            ]
            for i, g in enumerate(r.gaps, start=1)
        ],
    )
    ws = wb.create_sheet("Evidence")
    write_table(
        ws,
        [
            Col("Statement"),
            Col("Check"),
            Col("Status"),
            Col("Stale", "bool"),
            Col("Reason", width=70),
            Col("As of"),
            Col("Stale from"),
        ],
        [
            [
                f.statement_id,
                f.check,
                ANSWER_WORDS[f.status],
                f.stale,
                f.reason,
                "" if f.as_of is None else f.as_of.isoformat(),
                "" if f.stale_from is None else f.stale_from.isoformat(),
            ]
            for f in r.evidence
        ],
    )
    ws = wb.create_sheet("Answers")
    write_table(
        ws,
        [
            Col("Partner"),
            Col("Statement"),
            Col("Answer"),
            Col("Evidence", width=40),
            Col("Note", width=40),
            Col("Source"),
        ],
        [
            [
                a.partner,
                a.statement_id,
                ANSWER_WORDS[a.answer],
                a.evidence or "",
                a.note or "",
                a.source,
            ]
            for a in r.answers
        ],
    )
    autosize(wb["Answers"], start_row=1)
    return save_atomic(wb, path)
