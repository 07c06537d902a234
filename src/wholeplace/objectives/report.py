"""The objectives report: one self-contained HTML page, or a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from wholeplace.objectives.findings import Finding
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.layout import Answer, render_report
from wholeplace.reports.xlsx import Col, autosize, new_workbook, save_atomic, title, write_table

if TYPE_CHECKING:  # the service imports this module when it writes
    from wholeplace.objectives.service import Analysis


def write_html(a: Analysis, out: Path) -> Path:
    page = render_report(
        "objectives_report.html",
        title="Objectives and customer groups",
        answer=Answer(a.summary),
        place=a.place,
        a=a,
    )
    write_text_atomic(out, page)
    return out


def _finding_rows(items: list[Finding]) -> list[list[object]]:
    return [
        [
            i,
            f.subtype.replace("_", " "),
            f.customer_group or "",
            f.outcome or f.resource or "",
            ", ".join(f.partners),
            ", ".join(o.where for o in f.rows),
            f.explanation,
            f.recommendation,
        ]
        for i, f in enumerate(items, start=1)
    ]


FINDING_COLS = [
    Col("#", "int"),
    Col("Kind"),
    Col("Customer group"),
    Col("Outcome or resource"),
    Col("Partners"),
    Col("Rows"),
    Col("What we found", width=70),
    Col("Recommendation", width=60),
]


def write_xlsx(a: Analysis, out: Path) -> Path:
    wb = new_workbook()
    m, f = a.matrix, a.findings
    ws = wb.create_sheet("Summary")
    r = title(ws, "Objectives and customer groups", f"{a.place}. {a.summary}")
    write_table(
        ws,
        [Col("Finding"), Col("Count", "int")],
        [
            ["Overlaps (streamline)", len(f.overlaps)],
            ["Conflicts (align)", len(f.conflicts)],
            ["Different approaches (align delivery)", len(f.different_approaches)],
            ["Objectives", len(a.objectives)],
        ],
        start_row=r,
    )
    ws = wb.create_sheet("Matrix")
    r = title(
        ws,
        "Objectives by partner and customer group",
        f"Spend: the spend map of {m.spend_year}" if m.spend_year else "No spend map yet",
    )
    cols = [Col("Partner"), Col("Partner name")]
    for g in m.groups:
        cols += [Col(f"{g}: objectives", width=30), Col(f"{g}: £", "gbp")]
    rows = []
    for p in m.partners:
        row: list[object] = [p, m.partner_names[p]]
        for g in m.groups:
            c = m.cell(p, g)
            row += [c.arrows(), c.amount_gbp]
        rows.append(row)
    write_table(ws, cols, rows, start_row=r)
    for name, items in (
        ("Overlaps", f.overlaps),
        ("Conflicts", f.conflicts),
        ("Different approaches", f.different_approaches),
    ):
        ws = wb.create_sheet(name)
        r = title(ws, name, "Each finding names the rows of the objectives files behind it")
        write_table(ws, FINDING_COLS, _finding_rows(items), start_row=r)
    ws = wb.create_sheet("Objectives")
    write_table(
        ws,
        [
            Col(h)
            for h in (
                "Partner",
                "Objective",
                "Customer group",
                "Outcome",
                "Direction",
                "Target",
                "Measure",
                "Resource",
                "File",
                "Sheet",
            )
        ]
        + [Col("Row", "int")],
        [
            [
                o.partner,
                o.objective,
                o.customer_group,
                o.outcome,
                o.direction,
                o.target,
                o.measure,
                o.resource,
                o.file,
                o.sheet,
                o.row,
            ]
            for o in a.objectives
        ],
    )
    autosize(ws)
    if m.unmatched:
        ws = wb.create_sheet("Unmatched spend")
        write_table(
            ws,
            [Col("Partner"), Col("Customer group in the spend lines"), Col("£", "gbp")],
            [
                [p, label, amt]
                for p, d in sorted(m.unmatched.items())
                for label, amt in sorted(d.items())
            ],
        )
    save_atomic(wb, out)
    return out
