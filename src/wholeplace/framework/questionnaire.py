"""The fill-in questionnaire: one XLSX a partner answers offline and the place imports.

Layout (docs/framework.md, "The questionnaire"): an *Instructions* sheet; an *Answers*
sheet with the partner in cell B3 (a drop-down of the place's partners) and one row per
statement, where only the answer (a drop-down), evidence and note cells can be edited;
a hidden *Lists* sheet holding the drop-downs' values and what the file was made for
(place, assessment, framework version). The workbook's structure is protected so sheets
cannot be added, renamed or removed, and every text goes through ``save_atomic``, which
neutralises anything a spreadsheet would run as a formula.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from wholeplace.framework.model import ANSWER_WORDS, Framework, cell_label
from wholeplace.framework.scoring import Answer
from wholeplace.reports.xlsx import HEADER_FILL, HEADER_FONT, TITLE_FONT, new_workbook, save_atomic

ANSWERS_SHEET = "Answers"
LISTS_SHEET = "Lists"
INSTRUCTIONS_SHEET = "Instructions"
PARTNER_CELL = "B3"
RESPONDENT_CELL = "B4"
HEADER_ROW = 6
# The columns of the answers table, in order; the importer finds them by these headers.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("statement_id", 11),
    ("cell", 22),
    ("statement", 60),
    ("questions", 48),
    ("what would show it is met", 40),
    ("the place's own data says", 36),
    ("answer", 16),
    ("evidence", 36),
    ("note", 36),
)
EDITABLE = ("answer", "evidence", "note")
INPUT_FILL = PatternFill("solid", fgColor="FFF8E1")
WRAP = Alignment(wrap_text=True, vertical="top")

INSTRUCTIONS = [
    "How to fill in this questionnaire",
    "",
    "1. On the Answers sheet, choose your organisation in cell B3 (the drop-down lists the "
    "partners of the place). Put your name in B4 if you like.",
    "2. For each statement, read the questions and what would show it is met, then choose an "
    "answer from the drop-down in the answer column: met, partly met, not met or not applicable.",
    "3. In the evidence column, give a link or a file name that shows your answer is right. "
    "In the note column, add anything the partnership should know.",
    "4. Leave a row blank if you cannot answer yet: a blank row is skipped, not counted as "
    "not met. You can import the file again later; a new answer replaces the earlier one.",
    "5. The column 'the place's own data says' shows what the place's data already shows "
    "(for example whether this year's spend map reconciles). It is there to help you; your "
    "answer is still yours.",
    "6. Save the file as .xlsx and send it back, or import it yourself with "
    "`wholeplace framework import FILE`. If anything is wrong, nothing is imported and every "
    "problem is listed with its sheet, row and column and how to fix it.",
    "",
    "Only the yellow cells can be edited; the rest of the sheet is protected against "
    "accidental changes (no password). Do not add, rename or remove sheets.",
    "",
    "Scoring: met = 2 points, partly met = 1, not met = 0; not applicable is left out. A "
    "cell's score is its points over twice the number of answers counted.",
]


@dataclass(frozen=True)
class QuestionnaireInfo:
    """What the questionnaire was made for: written into its hidden Lists sheet."""

    place: str
    assessment: str
    framework_version: str
    partners: Sequence[tuple[str, str]]  # (id, name)
    partner: str | None = None
    respondent: str | None = None


def write_questionnaire(
    path: Path,
    fw: Framework,
    info: QuestionnaireInfo,
    answers: Sequence[Answer] = (),
    checks: Mapping[str, str] | None = None,
) -> Path:
    """Write the questionnaire for ``info.partner`` (or for any partner to choose), with
    that partner's earlier ``answers`` filled in and ``checks`` (statement id -> what the
    place's data says) shown beside the statements it concerns."""
    checks = checks or {}
    wb = new_workbook()
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET), fw, info)
    ws = wb.create_sheet(ANSWERS_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    _lists(lists, info)
    ws.cell(row=1, column=1, value=f"{fw.title}: {info.place}, assessment {info.assessment}")
    ws.cell(row=1, column=1).font = TITLE_FONT
    ws.cell(row=3, column=1, value="Partner").font = Font(bold=True)
    ws.cell(row=4, column=1, value="Respondent").font = Font(bold=True)
    for ref, value in ((PARTNER_CELL, info.partner), (RESPONDENT_CELL, info.respondent)):
        ws[ref] = value
        ws[ref].fill = INPUT_FILL
        ws[ref].protection = Protection(locked=False)
    names = ", ".join(f"{pid} = {name}" for pid, name in info.partners)
    ws.cell(row=3, column=3, value=f"Choose from the list: {names}").font = Font(italic=True)
    n_partners = max(len(info.partners), 1)
    partner_list = DataValidation(
        type="list",
        formula1=f"{LISTS_SHEET}!$A$2:$A${n_partners + 1}",
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Unknown partner",
        error="Choose your organisation's id from the list.",
    )
    ws.add_data_validation(partner_list)
    partner_list.add(PARTNER_CELL)
    for j, (header, width) in enumerate(COLUMNS, start=1):
        c = ws.cell(row=HEADER_ROW, column=j, value=header)
        c.font = HEADER_FONT
        c.fill = HEADER_FILL
        c.alignment = WRAP
        ws.column_dimensions[c.column_letter].width = width
    mine = {a.statement_id: a for a in answers if a.partner == info.partner}
    first = HEADER_ROW + 1
    r = first
    for s in fw.active:
        a = mine.get(s.id)
        values = [
            s.id,
            cell_label(fw, s.level, s.dimension),
            s.text,
            "\n".join(f"• {q}" for q in s.questions),
            "\n".join(f"• {e}" for e in s.evidence),
            checks.get(s.id, ""),
            None if a is None else ANSWER_WORDS[a.answer],
            None if a is None else a.evidence,
            None if a is None else a.note,
        ]
        for j, v in enumerate(values, start=1):
            c = ws.cell(row=r, column=j, value=v)
            c.alignment = WRAP
            if COLUMNS[j - 1][0] in EDITABLE:
                c.fill = INPUT_FILL
                c.protection = Protection(locked=False)
        r += 1
    last = max(r - 1, first)
    answer_col = _letter(ws, "answer")
    choice = DataValidation(
        type="list",
        formula1='"' + ",".join(ANSWER_WORDS.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not an answer",
        error="Choose met, partly met, not met or not applicable.",
    )
    ws.add_data_validation(choice)
    choice.add(f"{answer_col}{first}:{answer_col}{last}")
    ws.freeze_panes = ws.cell(row=first, column=4)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # people widen columns to read; that is harmless
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    wb.security = _locked_structure()
    wb.active = wb.sheetnames.index(ANSWERS_SHEET)
    return save_atomic(wb, path)


def _letter(ws: Worksheet, header: str) -> str:
    j = next(i for i, (h, _) in enumerate(COLUMNS, start=1) if h == header)
    return str(ws.cell(row=HEADER_ROW, column=j).column_letter)


def _locked_structure() -> object:
    from openpyxl.workbook.protection import WorkbookProtection

    return WorkbookProtection(lockStructure=True)


def _instructions(ws: Worksheet, fw: Framework, info: QuestionnaireInfo) -> None:
    ws.column_dimensions["A"].width = 110
    for i, line in enumerate(INSTRUCTIONS, start=1):
        c = ws.cell(row=i, column=1, value=line)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            c.font = TITLE_FONT
    r = len(INSTRUCTIONS) + 2
    about = [
        f"Place: {info.place}",
        f"Assessment: {info.assessment}",
        f"Framework: {fw.title}, version {info.framework_version}",
        f"After: {fw.source.publisher}, {fw.source.title} ({fw.source.year}); "
        "the statements are wholeplace's own words.",
    ]
    for line in about:
        ws.cell(row=r, column=1, value=line)
        r += 1
    ws.protection.sheet = True


def _lists(ws: Worksheet, info: QuestionnaireInfo) -> None:
    ws.cell(row=1, column=1, value="partner")
    for i, (pid, _name) in enumerate(info.partners, start=2):
        ws.cell(row=i, column=1, value=pid)
    ws.cell(row=1, column=3, value="key")
    ws.cell(row=1, column=4, value="value")
    for i, (k, v) in enumerate(
        (
            ("place", info.place),
            ("assessment", info.assessment),
            ("framework_version", info.framework_version),
        ),
        start=2,
    ):
        ws.cell(row=i, column=3, value=k)
        ws.cell(row=i, column=4, value=v)
    ws.protection.sheet = True
