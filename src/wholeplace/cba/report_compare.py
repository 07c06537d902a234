"""``cba compare --out``: several options side by side, for the board that chooses between
them, in the one report layout (HTML, PDF) and as a workbook."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.money import fmt_gbp
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.layout import Answer, Headline, input_files, render_report
from wholeplace.reports.xlsx import GBP_POUND, RATIO, Col, new_workbook, save_atomic, write_table

# (key in --json, label in words, kind): the outputs compared, in the order shown
ROWS: tuple[tuple[str, str, str], ...] = (
    ("pv_costs", "Present value of costs", "gbp"),
    ("pv_fiscal", "Present value of fiscal benefits", "gbp"),
    ("pv_fiscal_cashable", "Of which cashable", "gbp"),
    ("pv_economic", "Present value of economic benefits", "gbp"),
    ("pv_social", "Present value of social benefits", "gbp"),
    ("net_present_budget_impact", "Net present budget impact", "gbp"),
    ("net_present_public_value", "Net present public value", "gbp"),
    ("financial_roi", "Financial ROI (£ per £1)", "roi"),
    ("public_value_roi", "Public value ROI (£ per £1)", "roi"),
    ("payback_year", "Payback year (discounted)", "text"),
)


def _shown(v: Any, kind: str) -> str:
    if v is None:
        return "none" if kind == "text" else "n/a"
    if kind == "gbp":
        return fmt_gbp(Decimal(v))
    if kind == "roi":
        return f"£{v}"
    return str(v)


def answer(options: Sequence[dict[str, Any]]) -> Answer:
    """Which option gives the most net present public value, and what it returns per £1."""
    best = max(options, key=lambda o: Decimal(o["net_present_public_value"]))
    roi = best["financial_roi"]
    returns = "" if roi is None else f", and returns £{roi} to the public purse for every £1"
    sentence = (
        f"Of {len(options)} options, {best['name']} gives the most public value: "
        f"{fmt_gbp(Decimal(best['net_present_public_value']))} net present public value"
        f"{returns}."
    )
    figures = [
        Headline(fmt_gbp(Decimal(o["net_present_public_value"])), o["name"]) for o in options
    ]
    return Answer(sentence, figures)


def html_text(options: Sequence[dict[str, Any]], sources: Sequence[Path] = ()) -> str:
    rows = [[label, *(_shown(o[key], kind) for o in options)] for key, label, kind in ROWS]
    return render_report(
        "cba_compare.html",
        title="Options compared",
        answer=answer(options),
        inputs=input_files(sources),
        names=[o["name"] for o in options],
        rows=rows,
    )


def write_html(options: Sequence[dict[str, Any]], path: Path, sources: Sequence[Path]) -> Path:
    return write_text_atomic(path, html_text(options, sources))


def write_xlsx(options: Sequence[dict[str, Any]], path: Path) -> Path:
    """One sheet, the outputs down and the options across, money as £ and ROIs as 0.00."""
    wb = new_workbook()
    ws = wb.create_sheet("Options compared")
    cols = [Col("Output", width=38), *(Col(o["name"], "text", width=24) for o in options)]
    rows = [[label, *(o[key] for o in options)] for key, label, _ in ROWS]
    write_table(ws, cols, rows)
    for r, (_, _, kind) in enumerate(ROWS, start=2):
        for c in range(2, len(options) + 2):
            cell = ws.cell(r, c)
            if kind != "text" and cell.value is not None:
                cell.value = Decimal(cell.value)
                cell.number_format = GBP_POUND if kind == "gbp" else RATIO
    return save_atomic(wb, path)
