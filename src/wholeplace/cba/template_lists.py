"""The XLSX template's drop-down lists and its unit-cost lookup.

The lists live on sheets of the workbook (a list typed into a validation is limited to 255
characters, and a sheet lets the user add a partner). The lookup is INDEX/MATCH, not
VLOOKUP or XLOOKUP: INDEX/MATCH works in every Excel since 2007, LibreOffice and Google
Sheets, and does not break when a column is inserted in the Unit costs sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from wholeplace.cba.agencies import is_unattributed
from wholeplace.cba.unitcost_book import KINDS, UnitCostBook
from wholeplace.partners import Partner
from wholeplace.reports.xlsx import GBP_POUND, HEADER_FILL, HEADER_FONT
from wholeplace.years import start_of, year_label

UNIT_COSTS_SHEET = "Unit costs"
LISTS_SHEET = "Lists"
COST_TYPES = ("capital", "revenue", "in_kind")
CONFIDENCE_GRADES = (1, 2, 3, 4, 5, 6)
ROWS = 200
"""Rows of Costs and Outcomes that carry the drop-downs and the lookup formulas."""
FIRST_YEAR = 2000
"""The years offered start here: the Unit Cost Database's values are from 2002/03 on."""
LOOKUP_HEADERS = (
    "unit cost (looked up)",
    "unit (looked up)",
    "fiscal value £ (looked up)",
    "fiscal value's price year (looked up)",
)
"""Columns the importer does not read (it reads only the template's own headers)."""
_UNIT_COST_HEADER = [
    "code",
    "description",
    "unit",
    "agency",
    "category",
    "fiscal value £",
    "price year",
]


@dataclass(frozen=True)
class Lists:
    partners: list[str]
    years: list[str]
    # each partner's group (the spend map's), beside it; empty without a place
    groups: list[str] = field(default_factory=list)


def lists_for(
    book: UnitCostBook, agencies: Iterable[str], place: Sequence[Partner] | None = None
) -> Lists:
    """Partners: without a place, the Unit Cost Database's agencies and the appraisal's own,
    in alphabetical order ("Multiple" is the database's word for a cost of no single agency,
    not a partner). With the place's partners, those by name in the register's order, each
    with its group, then any other agency the appraisal names (the database's generic
    agencies are left out: the place's names are the ones its spend map uses).
    Years: every financial year from 2000/01 to the last of the deflator series."""
    own = {a for a in agencies if a and not is_unattributed(a)}
    groups: list[str] = []
    if place is not None:
        partners = [p.name for p in place]
        groups = [p.group for p in place]
        extra = sorted(own - set(partners), key=str.lower)
        partners += extra
        groups += [""] * len(extra)
    else:
        names = {e.agency for e in book.entries} | own
        partners = sorted((n for n in names if not is_unattributed(n)), key=str.lower)
    last = book.deflators.years[-1].year if book.deflators and book.deflators.years else None
    end = start_of(last) if last else FIRST_YEAR + 30
    years = [year_label(y) for y in range(FIRST_YEAR, end + 1)]
    return Lists(partners, years, groups)


def _header(ws: Worksheet) -> None:
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL


def _column(ws: Worksheet, col: int, heading: str, values: Iterable[object]) -> str:
    """Write a list down column ``col`` and return its absolute range for a validation."""
    ws.cell(row=1, column=col, value=heading)
    n = 1
    for n, v in enumerate(values, start=2):
        ws.cell(row=n, column=col, value=v)
    letter = get_column_letter(col)
    return f"'{ws.title}'!${letter}$2:${letter}${max(n, 2)}"


def _validate(ws: Worksheet, col: int, source: str, prompt: str, strict: bool) -> DataValidation:
    """A drop-down on rows 2..ROWS of column ``col``. Not strict where the cell may also hold
    something the list does not (a partner of the place's own, two value types)."""
    dv = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
    dv.showDropDown = False  # openpyxl's name is inverted: False shows the arrow
    dv.promptTitle = ws.cell(row=1, column=col).value
    dv.prompt = prompt
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.errorStyle = "stop" if strict else "warning"
    dv.error = f"Choose from the list ({source.split('!')[0]} sheet)" + (
        "" if strict else ", or keep what you typed"
    )
    letter = get_column_letter(col)
    dv.add(f"{letter}2:{letter}{ROWS + 1}")
    ws.add_data_validation(dv)
    return dv


def add_lists(wb: Workbook, book: UnitCostBook, lists: Lists) -> list[tuple[str, str]]:
    """The Unit costs and Lists sheets, the drop-downs on the Appraisal, Costs and Outcomes
    sheets, and the lookup columns beside each outcome (after its year columns); returns the
    cells holding the lookup formulas, the only text that save_atomic must not neutralise."""
    uc = wb.create_sheet(UNIT_COSTS_SHEET)
    uc.append(_UNIT_COST_HEADER)
    for e in book.entries:
        fiscal = e.values.get(KINDS[0])
        uc.append(
            [
                e.code,
                e.description,
                e.unit,
                e.agency,
                e.category.title(),
                float(fiscal.amount) if fiscal else None,
                fiscal.year if fiscal else None,
            ]
        )
    for row in uc.iter_rows(min_row=2, min_col=6, max_col=6):
        row[0].number_format = GBP_POUND
    last = len(book.entries) + 1
    codes = f"'{UNIT_COSTS_SHEET}'!$A$2:$A${max(last, 2)}"
    li = wb.create_sheet(LISTS_SHEET)
    partners = _column(li, 1, "partners", lists.partners)
    value_types = _column(li, 2, "value types", KINDS)
    cost_types = _column(li, 3, "cost types", COST_TYPES)
    year_list = _column(li, 4, "financial years", lists.years)
    grades = _column(li, 5, "confidence grades", CONFIDENCE_GRADES)
    if lists.groups:
        _column(li, 6, "partner groups (of the partners in column A)", lists.groups)
        li.column_dimensions["F"].width = 30
    for ws in (uc, li):
        _header(ws)
        ws.column_dimensions["A"].width = 24

    ap = wb["Appraisal"]
    for r in range(2, ap.max_row + 1):
        if ap.cell(row=r, column=1).value in ("price_year", "start_year"):
            dv = DataValidation(type="list", formula1=f"={year_list}", allow_blank=False)
            dv.add(f"B{r}")
            ap.add_data_validation(dv)

    co = wb["Costs"]
    _validate(co, 2, partners, "The partner that bears this cost", strict=False)
    _validate(co, 3, cost_types, "capital, revenue or in_kind", strict=True)
    _validate(co, 4, grades, "1 (strong evidence) .. 6 (weak)", strict=True)

    ou = wb["Outcomes"]
    heads = [str(c.value) for c in ou[1]]
    col = {h: i + 1 for i, h in enumerate(heads)}
    _validate(ou, col["unit_cost"], codes, "A code from the Unit costs sheet", strict=True)
    _validate(ou, col["value_type"], value_types, "fiscal, economic or social", strict=False)
    _validate(ou, col["value_year"], year_list, "The price year of value", strict=True)
    _validate(ou, col["agency"], partners, "The partner that gains", strict=False)
    for name in ("confidence", "impact_confidence", "value_confidence"):
        _validate(ou, col[name], grades, "1 (strong evidence) .. 6 (weak)", strict=True)
    first = len(heads) + 1
    code_cell = get_column_letter(col["unit_cost"])
    for i, h in enumerate(LOOKUP_HEADERS):
        ou.cell(row=1, column=first + i, value=h)
        ou.column_dimensions[get_column_letter(first + i)].width = 40 if i == 0 else 16
    formulas: list[tuple[str, str]] = []
    # which Unit costs column each lookup returns: description, unit, fiscal value, year
    for i, src in enumerate(("B", "C", "F", "G")):
        target = f"'{UNIT_COSTS_SHEET}'!${src}$2:${src}${max(last, 2)}"
        for r in range(2, ROWS + 2):
            cell = ou.cell(
                row=r, column=first + i, value=lookup_formula(code_cell, r, target, codes)
            )
            formulas.append((ou.title, cell.coordinate))
            if src == "F":
                cell.number_format = GBP_POUND
    return formulas


def lookup_formula(code_col: str, row: int, target: str, codes: str) -> str:
    """Blank while the row has no code (so an empty row stays empty when Excel saves its
    results), else the matching cell of ``target``, else a word saying the code is unknown."""
    code = f"${code_col}{row}"
    return (
        f'=IF({code}="","",IFERROR(INDEX({target},MATCH({code},{codes},0)),'
        f'"not in the Unit costs sheet"))'
    )
