"""The spend workbook's Summary follows its sheets (issue 12): the Summary's totals are
formulas on the By group sheet, whose total, shares, £m and £ per head are formulas on
its amounts, so changing a group's £ changes every figure drawn from it, as the partner x
service matrix does. Checked by recomputing the workbook after an edit with the
``formulas`` library (an Excel formula engine in Python), as Excel would on opening it.

The place: population 1,000; four lines of 2024/25, in pounds

    cc   (County council)     EDU 100.00, ASC 60.00   = 160.00
    dc   (District councils)  HSG  40.00             =  40.00
    icb  (NHS)                NHS.ACUTE 300.00        = 300.00      total 500.00

By group, largest first: NHS (row 4), County council (row 5), District councils (row 6),
Total (row 7). The edit: County council 160 -> 260, so the total is 300 + 260 + 40 = 600,
the NHS's share 300 / 600 = 50.0%, £ per head 600 / 1,000 = 0.60.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from spend_helpers import HEADER, add_partners, write

from wholeplace.spend import service as spend_service
from wholeplace.workspace import Workspace

formulas = pytest.importorskip("formulas")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    ws = Workspace.create(tmp_path / "place", "Testshire", population=1000)
    add_partners(ws)
    lines = write(
        tmp_path / "lines.csv",
        HEADER
        + "cc,2024/25,EDU,,A1,,100.00,\n"
        + "cc,2024/25,ASC,,,,60.00,\n"
        + "dc,2024/25,HSG,,A1,,40.00,\n"
        + "icb,2024/25,NHS.ACUTE,,A2,,300.00,\n",
    )
    spend_service.import_lines(ws, lines)
    out = tmp_path / "r.xlsx"
    spend_service.write_report(ws, out, "2024/25")
    ws.close()
    return out


def _values(path: Path, inputs: dict[str, float], cells: list[str]) -> dict[str, float]:
    """``cells`` ("Sheet!A1") recomputed after setting ``inputs``, as Excel would."""
    name = path.name

    def key(ref: str) -> str:
        sheet, cell = ref.split("!")
        return f"'[{name}]{sheet.upper()}'!{cell}"

    model = formulas.ExcelModel().loads(str(path)).finish()
    solved = model.calculate(
        inputs={key(k): v for k, v in inputs.items()}, outputs=[key(c) for c in cells]
    )
    return {c: float(solved[key(c)].value[0][0]) for c in cells}


def test_the_summary_is_formulas_on_the_by_group_sheet(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    summary, by = wb["Summary"], wb["By group"]
    assert [by.cell(r, 2).value for r in range(4, 8)] == [
        "NHS",
        "County council",
        "District councils",
        None,
    ]
    assert by["C7"].value == "=SUM(C4:C6)"
    assert by["E4"].value == "=IF(C$7=0,0,C4/C$7)"
    rows = {summary.cell(r, 1).value: r for r in range(1, summary.max_row + 1)}
    total = rows["Consolidated public spending £"]
    assert summary.cell(total, 2).value == "='By group'!C7"
    assert summary.cell(total, 3).value == 500  # wholeplace's own figure beside it
    assert summary.cell(rows["£ per head"], 2).value == "='By group'!H7"
    # the group table: each group's £ and share from the By group sheet
    nhs = rows["NHS"]
    assert [summary.cell(nhs, c).value for c in (2, 4)] == ["='By group'!C4", "='By group'!E4"]


def test_changing_a_group_changes_the_summary(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    rows = {c.value: c.row for c in wb["Summary"]["A"]}
    total = f"Summary!B{rows['Consolidated public spending £']}"
    per_head = f"Summary!B{rows['£ per head']}"
    nhs_share = f"Summary!D{rows['NHS']}"
    cells = [total, per_head, nhs_share, "By group!E4"]
    # as written: the figures wholeplace computed (500, 0.50, 300 / 500 = 60%)
    assert _values(book, {}, cells) == {
        total: 500.0,
        per_head: 0.5,
        nhs_share: 0.6,
        "By group!E4": 0.6,
    }
    # after the edit: County council 160 -> 260
    assert _values(book, {"By group!C5": 260}, cells) == {
        total: 600.0,
        per_head: 0.6,
        nhs_share: 0.5,
        "By group!E4": 0.5,
    }
