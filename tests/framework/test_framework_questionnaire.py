"""The XLSX questionnaire round trip, a questionnaire filled in badly, and CSV answers."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from framework_helpers import add_three

from wholeplace.errors import InputError
from wholeplace.framework import report_service, service, store
from wholeplace.framework.questionnaire import ANSWERS_SHEET, HEADER_ROW, LISTS_SHEET
from wholeplace.workspace import Workspace

FIRST = HEADER_ROW + 1  # the first statement's row
COL = {"statement_id": 1, "answer": 7, "evidence": 8, "note": 9}


def _row_of(sheet, sid: str) -> int:
    for r in range(FIRST, sheet.max_row + 1):
        if sheet.cell(r, COL["statement_id"]).value == sid:
            return r
    raise AssertionError(sid)


@pytest.fixture
def place(ws: Workspace) -> Workspace:
    add_three(ws)
    service.start_assessment(ws, "2025/26")
    return ws


def test_the_questionnaire_is_protected_with_drop_downs(place: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "q.xlsx"
    res = report_service.questionnaire(place, out, partner="icb")
    assert (res.assessment, res.statements, res.prefilled) == ("2025/26", 45, 0)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Instructions", ANSWERS_SHEET, LISTS_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert wb.security.lockStructure
    sheet = wb[ANSWERS_SHEET]
    assert sheet.protection.sheet
    assert sheet["B3"].value == "icb" and not sheet["B3"].protection.locked
    assert sheet.max_row == FIRST + 45 - 1
    assert sheet.cell(FIRST, 1).protection.locked  # the statement id cannot be edited
    assert not sheet.cell(FIRST, COL["answer"]).protection.locked
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    answer = rules[f"G{FIRST}:G{FIRST + 44}"]
    assert answer.type == "list"
    assert answer.formula1 == '"met,partly met,not met,not applicable"'
    assert rules["B3"].formula1 == f"{LISTS_SHEET}!$A$2:$A$4"
    assert [c.value for c in wb[LISTS_SHEET]["A"]][1:4] == ["icb", "police", "vale"]


def test_round_trip(place: Workspace, tmp_path: Path) -> None:
    # an earlier answer whose note would run as a formula in Excel
    service.answer(place, "police", "SW-ST-1", "partly", note='=HYPERLINK("http://x")')
    out = tmp_path / "q.xlsx"
    assert report_service.questionnaire(place, out, partner="police").prefilled == 1
    wb = openpyxl.load_workbook(out)
    sheet = wb[ANSWERS_SHEET]
    r = _row_of(sheet, "SW-ST-1")
    assert sheet.cell(r, COL["answer"]).value == "partly met"
    assert sheet.cell(r, COL["note"]).value == '\'=HYPERLINK("http://x")'  # plain text
    sheet["B4"] = "A. Respondent"
    fills = {
        "SW-DA-1": ("Met", "spend-2024-25.html", "- checked by the s151 officer"),
        "PF-DL-1": ("partly met", None, None),
        "TR-ST-1": ("Not met", None, "Our strategy is our own"),
        "TR-DA-2": ("not applicable", None, None),
    }
    for sid, (answer, evidence, note) in fills.items():
        row = _row_of(sheet, sid)
        sheet.cell(row, COL["answer"]).value = answer
        sheet.cell(row, COL["evidence"]).value = evidence
        sheet.cell(row, COL["note"]).value = note
    wb.save(out)
    done = service.import_answers(place, out)
    assert (done.assessment, len(done.answers), done.blank_rows) == ("2025/26", 5, 40)
    got = {
        (a.statement_id, a.answer, a.evidence, a.note, a.source)
        for a in store.answers(place, "2025/26")
    }
    assert got == {
        ("SW-ST-1", "partly", None, '=HYPERLINK("http://x")', "q.xlsx (A. Respondent)"),
        (
            "SW-DA-1",
            "met",
            "spend-2024-25.html",
            "- checked by the s151 officer",
            "q.xlsx (A. Respondent)",
        ),
        ("PF-DL-1", "partly", None, None, "q.xlsx (A. Respondent)"),
        ("TR-ST-1", "not_met", None, "Our strategy is our own", "q.xlsx (A. Respondent)"),
        ("TR-DA-2", "n/a", None, None, "q.xlsx (A. Respondent)"),
    }
    # and back out again: the same answers fill the next questionnaire
    again = tmp_path / "again.xlsx"
    assert report_service.questionnaire(place, again, partner="police").prefilled == 5


def test_a_questionnaire_filled_in_badly_is_refused_whole(place: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "q.xlsx"
    report_service.questionnaire(place, out)  # for any partner: B3 left to the respondent
    wb = openpyxl.load_workbook(out)
    sheet = wb[ANSWERS_SHEET]
    good, bad_answer, bad_id, formula = (FIRST, FIRST + 1, FIRST + 2, FIRST + 3)
    sheet.cell(good, COL["answer"]).value = "met"
    sheet.cell(bad_answer, COL["answer"]).value = "sometimes"
    sheet.protection.sheet = False  # someone unprotected it and typed over an id
    sheet.cell(bad_id, COL["statement_id"]).value = "XX-XX-9"
    sheet.cell(bad_id, COL["answer"]).value = "met"
    sheet.cell(formula, COL["answer"]).value = "=A1"
    wb.save(out)
    before = len(place.audit_log())
    with pytest.raises(InputError) as e:
        service.import_answers(place, out)
    got = [(p.sheet, p.row, p.column, p.value, p.message) for p in e.value.problems]
    assert got == [
        (ANSWERS_SHEET, 3, "partner", None, "no partner given"),
        (ANSWERS_SHEET, bad_answer, "answer", "sometimes", "not an answer"),
        (ANSWERS_SHEET, bad_id, "statement_id", "XX-XX-9", "unknown statement id"),
        (ANSWERS_SHEET, formula, "answer", "=A1", "a formula, not an answer"),
    ]
    assert all(p.file == "q.xlsx" and p.fix for p in e.value.problems)
    assert "met, partly met, not met, not applicable" in e.value.problems[1].fix
    assert store.answers(place, "2025/26") == []
    assert len(place.audit_log()) == before


def test_an_unknown_partner_and_a_workbook_that_is_not_a_questionnaire(
    place: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "q.xlsx"
    report_service.questionnaire(place, out)
    wb = openpyxl.load_workbook(out)
    wb[ANSWERS_SHEET]["B3"] = "fire"
    wb.save(out)
    with pytest.raises(InputError) as e:
        service.import_answers(place, out)
    [p] = e.value.problems
    assert (p.row, p.column, p.value, p.message) == (3, "partner", "fire", "unknown partner")
    assert p.fix == "use one of: icb, police, vale"
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(other)
    with pytest.raises(InputError) as e:
        service.import_answers(place, other)
    assert "not a wholeplace questionnaire" in e.value.problems[0].message


CSV_GOOD = """partner,statement_id,answer,evidence,note
vale,SW-DA-1,met,spend.html,
icb,sw-da-1,Partly met,,
police,SW-DA-1,N/A,,
"""

CSV_BAD = """partner,statement_id,answer,evidence,note
vale,SW-DA-1,met,,
,SW-DA-2,met,,
fire,SW-DA-3,met,,
vale,SW-DA-1,not met,,
vale,SW-DA-4,,minutes.pdf,
vale,NOPE,met,,
"""


def test_a_bad_first_import_starts_no_assessment(ws: Workspace, tmp_path: Path) -> None:
    add_three(ws)
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_BAD, encoding="utf-8")
    before = len(ws.audit_log())
    with pytest.raises(InputError):
        service.import_answers(ws, bad)
    assert store.assessments(ws) == [] and len(ws.audit_log()) == before
    good = tmp_path / "good.csv"
    good.write_text(CSV_GOOD, encoding="utf-8")
    done = service.import_answers(ws, good)
    assert [a.name for a in store.assessments(ws)] == [done.assessment]
    assert [e.action for e in ws.audit_log(2)] == ["framework import", "framework start"]


def test_answers_from_a_csv(place: Workspace, tmp_path: Path) -> None:
    good = tmp_path / "answers.csv"
    good.write_text(CSV_GOOD, encoding="utf-8")
    done = service.import_answers(place, good)
    assert done.partners == ["icb", "police", "vale"]
    assert sorted(
        (a.partner, a.statement_id, a.answer) for a in store.answers(place, "2025/26")
    ) == [
        ("icb", "SW-DA-1", "partly"),
        ("police", "SW-DA-1", "n/a"),
        ("vale", "SW-DA-1", "met"),
    ]


def test_a_bad_csv_lists_every_problem(place: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_BAD, encoding="utf-8")
    with pytest.raises(InputError) as e:
        service.import_answers(place, bad)
    got = [(p.row, p.column, p.value, p.message) for p in e.value.problems]
    assert got == [
        (3, "partner", None, "no partner given"),
        (4, "partner", "fire", "unknown partner"),
        (5, "statement_id", "SW-DA-1", "vale answers this statement twice (also in row 2)"),
        (6, "answer", None, "evidence or a note but no answer"),
        (7, "statement_id", "NOPE", "unknown statement id"),
    ]
    assert store.answers(place, "2025/26") == []


def test_answers_go_to_the_assessment_a_questionnaire_was_made_for(
    place: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "q.xlsx"
    report_service.questionnaire(place, out, partner="vale")
    service.start_assessment(place, "2026/27")  # started after the questionnaire was sent
    wb = openpyxl.load_workbook(out)
    wb[ANSWERS_SHEET].cell(FIRST, COL["answer"]).value = "met"
    wb.save(out)
    assert service.import_answers(place, out).assessment == "2025/26"
    assert store.answers(place, "2026/27") == []


def test_an_import_for_one_partner_refuses_another_partners_rows(
    place: Workspace, tmp_path: Path
) -> None:
    """``only_partner`` (a partner analyst's upload on the web): a row naming another partner
    is refused with its row and value, and nothing of the file is written."""
    f = tmp_path / "answers.csv"
    f.write_text(
        "partner,statement_id,answer\nvale,SW-DA-1,met\npolice,SW-DA-1,not met\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as got:
        service.import_answers(place, f, only_partner="vale")
    [p] = got.value.problems
    assert (p.row, p.column, p.value, p.message) == (3, "partner", "police", "unknown partner")
    assert store.answers(place, service.assessment(place).name) == []
    done = service.import_answers(place, f)  # without it, both partners' rows are taken
    assert len(done.answers) == 2


def test_an_answer_takes_evidence_and_a_note_of_2000_characters_at_most(
    place: Workspace,
) -> None:
    """As the questionnaire's cells: 2,001 characters of a note is refused, nothing written."""
    with pytest.raises(InputError) as got:
        service.answer(place, "vale", "SW-DA-1", "met", note="x" * 2001)
    assert [(p.column, p.message) for p in got.value.problems] == [
        ("--note", "longer than 2000 characters")
    ]
    done = service.answer(place, "vale", "SW-DA-1", "met", evidence="e" * 2000, source="web (x)")
    assert done.answer.source == "web (x)"
