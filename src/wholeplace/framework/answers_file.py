"""Reading partners' answers: the filled-in questionnaire (XLSX) or a CSV of answers.

Validated like every importer: every problem of the file is collected (file, sheet, row,
column, value, fix) and raised at once, and nothing is written unless the whole file is
right. A row left blank is skipped, so a partner can import a questionnaire half done.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wholeplace.errors import Problem, Problems
from wholeplace.framework.model import ANSWER_FIX, Framework, parse_answer
from wholeplace.framework.questionnaire import (
    ANSWERS_SHEET,
    HEADER_ROW,
    LISTS_SHEET,
    PARTNER_CELL,
    RESPONDENT_CELL,
)
from wholeplace.framework.scoring import Answer
from wholeplace.labels import header_key
from wholeplace.reports.xlsx import FORMULA_TRIGGERS
from wholeplace.tabular import read_table, same_column_twice
from wholeplace.workbook_limits import check_workbook

MAX_TEXT = 2000  # characters of evidence or note: a link or a few sentences
CSV_COLUMNS = ("partner", "statement_id", "answer", "evidence", "note")


@dataclass
class AnswersFile:
    """The answers of one file, all checked."""

    file: str
    answers: list[Answer]
    assessment: str | None = None  # the assessment a questionnaire was made for
    respondent: str | None = None
    blank_rows: int = 0
    partners: list[str] = field(default_factory=list)


def _text(v: object) -> str:
    """A cell as text; the apostrophe ``save_atomic`` put before formula-like text is
    taken off again, so a note that began with ``-`` comes back as it was."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    if s.startswith("'") and s[1:].startswith(FORMULA_TRIGGERS):
        s = s[1:]
    return s


class _Rows:
    """Checks shared by the two formats, one row at a time."""

    def __init__(self, problems: Problems, fw: Framework, partners: Collection[str]) -> None:
        self.p = problems
        self.ids = {s.id for s in fw.active}
        self.retired = {s.id for s in fw.statements if s.retired}
        self.partners = partners
        self.seen: dict[tuple[str, str], int] = {}
        self.answers: list[Answer] = []
        self.blank = 0

    def partner(self, value: str, row: int | None, column: str, where: str) -> str | None:
        known = ", ".join(sorted(self.partners)) or "(none yet: import partners first)"
        if not value:
            self.p.add(row, column, None, "no partner given", f"{where} (one of: {known})")
            return None
        if value not in self.partners:
            match = next((k for k in self.partners if k.casefold() == value.casefold()), None)
            if match is None:
                self.p.add(row, column, value, "unknown partner", f"use one of: {known}")
                return None
            return match
        return value

    def row(
        self,
        line: int,
        partner: str | None,
        cells: dict[str, Any],
        source: str,
        columns: dict[str, str],
    ) -> None:
        typed = _text(cells.get("statement_id"))
        sid = typed.upper()
        raw_answer = _text(cells.get("answer"))
        evidence = _text(cells.get("evidence"))
        note = _text(cells.get("note"))
        bad = False
        for key in ("answer", "evidence", "note"):
            v = cells.get(key)
            if (isinstance(v, str) and v.strip().startswith("=")) or _is_formula(v):
                self.p.add(
                    line, columns[key], v, "a formula, not an answer", "type the text itself"
                )
                bad = True
        if bad:
            return
        if not (sid or raw_answer or evidence or note):
            return
        if not raw_answer:
            if evidence or note:
                self.p.add(
                    line,
                    columns["answer"],
                    None,
                    "evidence or a note but no answer",
                    ANSWER_FIX,
                )
            else:
                self.blank += 1
            return
        if not sid:
            self.p.add(
                line,
                columns["statement_id"],
                None,
                "an answer with no statement id",
                "put the statement's id (such as SW-DA-1) in this row",
            )
            return
        ok = True
        if sid in self.retired:
            self.p.add(
                line,
                columns["statement_id"],
                sid,
                "this statement was retired before the assessment started",
                "leave the row out",
            )
            ok = False
        elif sid not in self.ids:
            self.p.add(
                line,
                columns["statement_id"],
                typed,
                "unknown statement id",
                "use the ids of a fresh questionnaire (`wholeplace framework questionnaire`)",
            )
            ok = False
        answer = parse_answer(raw_answer)
        if answer is None:
            self.p.add(line, columns["answer"], raw_answer, "not an answer", ANSWER_FIX)
            ok = False
        for key, text in (("evidence", evidence), ("note", note)):
            if len(text) > MAX_TEXT:
                self.p.add(
                    line,
                    columns[key],
                    text[:40] + "...",
                    f"longer than {MAX_TEXT} characters",
                    "give a link or a file name, and keep the note short",
                )
                ok = False
        if partner is None or not ok or answer is None:
            return
        if (partner, sid) in self.seen:
            self.p.add(
                line,
                columns["statement_id"],
                sid,
                f"{partner} answers this statement twice (also in row {self.seen[(partner, sid)]})",
                "keep one row per statement",
            )
            return
        self.seen[(partner, sid)] = line
        self.answers.append(
            Answer(partner, sid, answer, evidence or None, note or None, None, source)
        )


def _is_formula(v: object) -> bool:
    # openpyxl gives array and data-table formulas as objects, not text
    return type(v).__name__ in ("ArrayFormula", "DataTableFormula")


def read_answers(path: Path, fw: Framework, partners: Collection[str]) -> AnswersFile:
    """The answers in ``path`` (the questionnaire, or a CSV with the columns partner,
    statement_id, answer, evidence, note), checked against ``fw`` and ``partners``."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_questionnaire(path, fw, partners)
    return _read_csv(path, fw, partners)


def made_for(path: Path) -> str | None:
    """The assessment a questionnaire was made for (its hidden Lists sheet), or None if the
    file is not one or cannot be read (reading it properly then says why)."""
    import openpyxl

    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return None
    try:
        check_workbook(path)
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:
        return None
    try:
        if LISTS_SHEET not in wb.sheetnames:
            return None
        return _meta(wb[LISTS_SHEET]).get("assessment") or None
    finally:
        wb.close()


def _meta(sheet: Any) -> dict[str, str]:
    return {
        _text(r[2]): _text(r[3])
        for r in sheet.iter_rows(min_row=2, max_col=4, values_only=True)
        if len(r) >= 4 and r[2]
    }


def _read_csv(path: Path, fw: Framework, partners: Collection[str]) -> AnswersFile:
    table = read_table(
        path,
        required=["partner", "statement_id", "answer"],
        aliases={"statement": "statement_id", "id": "statement_id"},
    )
    problems = Problems(path.name, sheet=table.sheet)
    rows = _Rows(problems, fw, partners)
    columns = {c: table.original_columns.get(c, c) for c in CSV_COLUMNS}
    for r in table.rows:
        cells = {c: r.values.get(c, "") for c in CSV_COLUMNS}
        if not any(cells.values()):
            continue
        partner = rows.partner(
            cells["partner"], r.number, columns["partner"], "name the partner in every row"
        )
        rows.row(r.number, partner, cells, path.name, columns)
    problems.raise_if_any()
    return AnswersFile(
        path.name,
        rows.answers,
        blank_rows=rows.blank,
        partners=sorted({a.partner for a in rows.answers}),
    )


def _read_questionnaire(path: Path, fw: Framework, partners: Collection[str]) -> AnswersFile:
    import openpyxl

    check_workbook(path)
    problems = Problems(path.name)
    try:
        wb = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:
        problems.extend([Problem.unreadable_workbook(path.name, exc)])
        raise problems.error() from exc
    if ANSWERS_SHEET not in wb.sheetnames:
        problems.add(
            None,
            None,
            ", ".join(wb.sheetnames),
            f"no sheet named {ANSWERS_SHEET!r}: this is not a wholeplace questionnaire",
            "make one with `wholeplace framework questionnaire OUT.xlsx`, or give the answers "
            "as a CSV with the columns partner, statement_id, answer, evidence, note",
        )
        raise problems.error()
    ws = wb[ANSWERS_SHEET]
    problems.sheet = ANSWERS_SHEET
    assessment = None
    if LISTS_SHEET in wb.sheetnames:
        assessment = _meta(wb[LISTS_SHEET]).get("assessment") or None
    header_at, columns = _header(ws)
    if header_at is None:
        problems.add(
            HEADER_ROW,
            None,
            None,
            "no header row with the columns statement_id and answer",
            "make a fresh questionnaire with `wholeplace framework questionnaire`",
        )
        raise problems.error()
    _refuse_same_column_twice(ws, header_at, problems)
    rows = _Rows(problems, fw, partners)
    partner_row = int(PARTNER_CELL[1:])
    partner = rows.partner(
        _text(ws[PARTNER_CELL].value),
        partner_row,
        "partner",
        f"choose your organisation in cell {PARTNER_CELL} from the drop-down",
    )
    names = {key: key for key in ("statement_id", "answer", "evidence", "note")}
    for r in ws.iter_rows(min_row=header_at + 1):
        cells = {key: r[j].value for key, j in columns.items() if j < len(r)}
        rows.row(r[0].row, partner, cells, path.name, names)
    problems.raise_if_any()
    respondent = _text(ws[RESPONDENT_CELL].value) or None
    source = path.name if respondent is None else f"{path.name} ({respondent})"
    answers = [
        Answer(a.partner, a.statement_id, a.answer, a.evidence, a.note, None, source)
        for a in rows.answers
    ]
    return AnswersFile(
        path.name,
        answers,
        assessment=assessment,
        respondent=respondent,
        blank_rows=rows.blank,
        partners=[] if partner is None else [partner],
    )


def _refuse_same_column_twice(ws: Any, header_at: int, problems: Problems) -> None:
    """Two header cells read as the same column (``Answer`` twice): :func:`_header` would
    read the last and drop the other's answers without a word."""
    cells = [c.value for c in ws[header_at]]
    keys = [header_key(v) if v is not None else "" for v in cells]
    wanted = ("statement_id", "answer", "evidence", "note")
    same_column_twice(
        problems,
        header_at,
        [k if k in wanted else "" for k in keys],
        ["" if v is None else v for v in cells],
    )
    problems.raise_if_any()


def _header(ws: Any) -> tuple[int | None, dict[str, int]]:
    """The header row of the answers table and the 0-based index of each column we read."""
    for r in ws.iter_rows(min_row=1, max_row=30):
        keys = {header_key(c.value): i for i, c in enumerate(r) if c.value is not None}
        if "statement_id" in keys and "answer" in keys:
            wanted = ("statement_id", "answer", "evidence", "note")
            return r[0].row, {k: keys[k] for k in wanted if k in keys}
    return None, {}
