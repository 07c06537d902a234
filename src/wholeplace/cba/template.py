"""Writing the XLSX appraisal template, blank or filled in with an appraisal."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wholeplace.cba.appraisal import ADDITIONALITY, DEFAULT_OPTIMISM_BIAS, Appraisal, Settings
from wholeplace.cba.load_xlsx import COST_COLUMNS, OUTCOME_COLUMNS
from wholeplace.cba.template_lists import add_lists, lists_for
from wholeplace.cba.unitcost_book import UnitCostBook
from wholeplace.partners import Partner
from wholeplace.reports.xlsx import HEADER_FILL, HEADER_FONT, freeze_header, save_atomic

SETTINGS_HELP = [
    ("name", "Name of the proposal"),
    ("price_year", "Prices of this financial year, YYYY/YY"),
    ("start_year", "First year of the appraisal (year 0, not discounted), YYYY/YY"),
    ("years", "How many years the appraisal runs"),
    ("discount_rate", "green_book (the Green Book's declining schedule), or a flat rate: 0.035"),
    ("optimism_bias", "Optional: bias for grades 1..6, e.g. 0, 0.05, 0.1, 0.15, 0.25, 0.4"),
    ("deflators", "Optional: hmt-2024-10 (default) or ucd-v1.4 (the Unit Cost Database's own)"),
]


def _rate(s: Settings | None) -> float | str:
    if s is None:
        return "green_book"
    if s.discount_schedule is not None:
        return s.discount_schedule.name
    return float(s.discount_rate)


def write_template(
    app: Appraisal | None,
    path: Path,
    book: UnitCostBook | None = None,
    place: Sequence[Partner] | None = None,
) -> None:
    """The XLSX template, filled in from ``app`` (e.g. the shipped example) if given, with
    drop-downs and a lookup of ``book``'s unit costs (the shipped curated set by default)."""
    import openpyxl

    from wholeplace.cba.unitcosts import curated_book

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Appraisal"
    ws.append(["field", "value", "help"])
    s = app.settings if app else None
    values = {
        "name": s.name if s else "",
        "price_year": s.price_year if s else "2015/16",
        "start_year": s.start_year if s else "2015/16",
        "years": s.years if s else 5,
        "discount_rate": _rate(s),
        "optimism_bias": ", ".join(
            str(v) for _, v in sorted((s.optimism_bias if s else DEFAULT_OPTIMISM_BIAS).items())
        ),
        "deflators": app.deflators if app else "",
    }
    for key, help_ in SETTINGS_HELP:
        ws.append([key, values[key], help_])
    n = s.years if s else 5
    yc = [f"Y{i}" for i in range(n)]
    wc = wb.create_sheet("Costs")
    wc.append(COST_COLUMNS + yc)
    for c in app.costs if app else ():
        wc.append([c.description, c.agency, c.type, c.confidence, *[float(a) for a in c.amounts]])
    wo = wb.create_sheet("Outcomes")
    wo.append(OUTCOME_COLUMNS + yc)
    for o in app.outcomes if app else ():
        entered = o.unit_cost is None and o.components
        comp = o.components[0] if o.components else None
        # One agency for the line's fiscal value, or none where the unit cost shares it out
        # (it is shared again when the file is read).
        gains = {c.agency for c in o.components if c.value_type == "fiscal"}
        wo.append(
            [
                o.description,
                o.unit_cost or "",
                float(comp.base_value) if entered and comp else None,
                ", ".join(dict.fromkeys(c.value_type for c in o.components)) or None,
                comp.base_year if entered and comp else None,
                gains.pop() if len(gains) == 1 else None,
                o.transfer,
                float(o.engagement),
                float(o.success),
                float(o.deadweight),
                ", ".join(str(p) for p in o.persistence),
                o.confidence if o.value_confidence is None else None,
                float(o.cashable),
                o.per or None,
                o.confidence if o.value_confidence is not None else None,
                o.value_confidence,
                *[float(getattr(o, k)) or None for k in ADDITIONALITY],
                *[o.sources.get(k) for k in ("deadweight", *ADDITIONALITY)],
                *[float(c) for c in o.cohort],
            ]
        )
    book = book if book is not None else curated_book()
    agencies = [c.agency for c in app.costs] if app else []
    outcomes = app.outcomes if app else ()
    agencies += [c.agency for o in outcomes for c in o.components if c.value_type == "fiscal"]
    formulas = add_lists(wb, book, lists_for(book, agencies, place))
    guide = wb.create_sheet("Guide")
    for line in (
        "How to fill in this appraisal (see docs/cba.md)",
        "Costs: one row per cost; type is capital, revenue or in_kind; confidence 1-6 sets the "
        "optimism bias (1: 0%, 2: 5%, 3: 10%, 4: 15%, 5: 25%, 6: 40%); Y0.. are amounts in "
        "pounds in each year.",
        "Outcomes: unit_cost is a Unit Cost Database code, with per: what one outcome is worth "
        "(year, week, incident... as the unit cost's unit; a weekly cost is x 52 for per year) "
        "(or leave it blank and give value, "
        "value_type fiscal/economic/social and, for fiscal, agency); rates are fractions 0-1; "
        "persistence is the share kept in each year after the outcome, comma separated; "
        "Y0.. is the cohort: people starting in each year.",
        "Optional on outcomes: impact_confidence and value_confidence instead of confidence "
        "(separate grades for the evidence of impact and the unit value); leakage, "
        "displacement, substitution and attribution (fractions 0-1, each with its *_source).",
        "Drop-downs: agency offers the partners of the Lists sheet (written with --workspace, "
        "the place's partners by name, as the spend map names them, with their groups; add your "
        "own there, or "
        "type another name: it is accepted with a warning); unit_cost offers the codes of the "
        "Unit costs sheet, and the four 'looked up' columns after the years show the chosen "
        "code's description, unit, fiscal value and its price year. They are for reading: "
        "`cba run` reads only the columns above.",
        "Run it with: wholeplace cba run THIS_FILE.xlsx",
    ):
        guide.append([line])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
        sheet.column_dimensions["A"].width = 40
        if sheet.title != "Guide":
            freeze_header(sheet, 1)
    save_atomic(wb, path, formula_cells=formulas)
