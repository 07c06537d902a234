"""The governance report: one self-contained HTML page, or a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.styles import PatternFill

from wholeplace.governance.checks import HeatCell
from wholeplace.governance.model import ROLES
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.layout import Answer, render_report
from wholeplace.reports.xlsx import Col, new_workbook, save_atomic, title, write_table

if TYPE_CHECKING:  # the service imports this module when it writes
    from openpyxl.worksheet.worksheet import Worksheet

    from wholeplace.governance.service import Check

FILLS = {"low": "D4EDDA", "medium": "FFF3BF", "high": "FFD8A8", "very high": "F5C2C7"}


def write_html(c: Check, out: Path, *, place: str | None = None) -> Path:
    html = render_report(
        "governance_report.html",
        title="Governance register",
        answer=Answer(c.summary),
        place=place,
        c=c,
        roles=ROLES,
    )
    write_text_atomic(out, html)
    return out


def _heat(ws: Worksheet, grid: list[list[HeatCell]], start: int, caption: str) -> int:
    ws.cell(row=start, column=1, value=caption)
    cols = [Col("Impact \\ Likelihood")] + [Col(str(n), width=18) for n in range(1, 6)]
    rows = [[str(row[0].impact)] + [x.words for x in row] for row in grid]
    nxt = write_table(ws, cols, rows, start_row=start + 1, freeze=False)
    for i, row in enumerate(grid):
        for j, x in enumerate(row):
            ws.cell(row=start + 2 + i, column=2 + j).fill = PatternFill(
                "solid", fgColor=FILLS[x.band]
            )
    return nxt + 1


def write_xlsx(c: Check, out: Path) -> Path:
    wb = new_workbook()
    r = c.register
    ws = wb.create_sheet("Warnings")
    row = title(ws, "Governance register: warnings", c.summary)
    write_table(
        ws,
        [
            Col("Kind"),
            Col("About"),
            Col("What we found", width=70),
            Col("Fix", width=50),
            Col("Days", "int"),
        ],
        [[w.kind, w.subject, w.message, w.fix, w.days] for w in c.warnings],
        start_row=row,
    )
    ws = wb.create_sheet("Delivery models")
    write_table(
        ws,
        [
            Col(h)
            for h in (
                "Service",
                "Model",
                "Description",
                "Accountable body",
                "Commissioner",
                "Deliverer",
                "Boards",
            )
        ],
        [
            [
                m.service,
                m.model_label,
                m.description,
                m.accountable_body,
                m.commissioner,
                m.deliverer,
                ", ".join(m.boards),
            ]
            for m in r.delivery_models
        ],
    )
    ws = wb.create_sheet("Boards")
    write_table(
        ws,
        [Col("Board"), Col("Board name"), Col("Member"), Col("Organisation"), Col("Role")],
        [
            [b.id, b.name, m.name, m.organisation, ROLES[m.role]]
            for b in r.boards
            for m in b.members
        ],
    )
    ws = wb.create_sheet("Agreements")
    write_table(
        ws,
        [
            Col(h)
            for h in (
                "Agreement",
                "Title",
                "Parties",
                "Purpose",
                "Uses",
                "Article 6",
                "Article 9",
                "Special category",
                "Data items",
                "Retention",
                "Security",
                "Review date",
                "Expires",
                "Ends",
                "Flows",
            )
        ],
        [
            [
                a.id,
                a.title,
                ", ".join(a.parties),
                a.purpose,
                "; ".join(a.uses),
                ", ".join(a.article_6),
                ", ".join(a.article_9),
                "yes" if a.special_category else "no",
                "; ".join(a.data_items),
                a.retention,
                a.security,
                a.review_date,
                a.expires,
                a.ends,
                ", ".join(a.flows),
            ]
            for a in r.agreements
        ],
    )
    ws = wb.create_sheet("Data flows")
    write_table(
        ws,
        [Col(h) for h in ("Flow", "From", "To", "Data items", "Use")],
        [[f.id, f.source, f.recipient, "; ".join(f.data_items), f.use] for f in r.data_flows],
    )
    ws = wb.create_sheet("Risks")
    write_table(
        ws,
        [
            Col("Risk"),
            Col("Description", width=50),
            Col("Owner"),
            Col("Likelihood", "int"),
            Col("Impact", "int"),
            Col("Score", "int"),
            Col("Band"),
            Col("Mitigations", width=50),
            Col("Residual likelihood", "int"),
            Col("Residual impact", "int"),
            Col("Residual score", "int"),
            Col("Residual band"),
            Col("Review date"),
        ],
        [
            [
                x.id,
                x.risk,
                x.owner,
                x.likelihood,
                x.impact,
                x.score,
                x.band,
                "; ".join(x.mitigations),
                x.residual_likelihood,
                x.residual_impact,
                x.residual_score,
                x.residual_band,
                x.review_date,
            ]
            for x in r.risks
        ],
    )
    ws = wb.create_sheet("Heat map")
    nxt = _heat(ws, c.heat_map, 1, "Risks before mitigation")
    _heat(ws, c.residual_heat_map, nxt, "Residual risks, after mitigation")
    save_atomic(wb, out)
    return out
