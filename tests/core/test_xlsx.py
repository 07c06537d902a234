from __future__ import annotations

import os
import stat
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from wholeplace.reports.xlsx import (
    GBP,
    Col,
    autosize,
    freeze_header,
    new_workbook,
    save_atomic,
    title,
    write_table,
)


def test_freeze_header_keeps_rows_to_the_header_in_view() -> None:
    wb = new_workbook()
    ws = wb.create_sheet("S")
    freeze_header(ws, 3)
    assert ws.freeze_panes == "A4"
    freeze_header(ws, 1)
    assert ws.freeze_panes == "A2"
    with pytest.raises(ValueError):
        freeze_header(ws, 0)


def test_autosize_fits_the_longest_value() -> None:
    wb = new_workbook()
    ws = wb.create_sheet("S")
    ws["A1"] = "A long sheet title that should not set the width"
    ws["A3"] = "Service"
    ws["A4"] = "Adult social care"  # 17 characters -> 19
    ws["B3"] = "£"
    ws["B4"] = Decimal("1234567.8")  # shown 1,234,567.80: 12 characters -> 14
    ws["C4"] = 7  # 1 character -> 3, raised to the minimum 8
    ws["D4"] = "x" * 100  # capped at 60
    ws["E4"] = "two\nlines, the longer one"  # 21 characters -> 23
    autosize(ws, start_row=3)
    w = {c: ws.column_dimensions[c].width for c in "ABCDE"}
    assert w == {"A": 19, "B": 14, "C": 8, "D": 60, "E": 23}


def test_autosize_from_row_1_measures_the_title_too() -> None:
    wb = new_workbook()
    ws = wb.create_sheet("S")
    ws["A1"] = "Title of twenty chars"  # 21 characters -> 23
    ws["A3"] = "short"
    autosize(ws)
    assert ws.column_dimensions["A"].width == 23


def test_save_atomic_round_trips_and_is_0644(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Spend")
    start = title(ws, "Spend", "by partner")
    assert start == 4
    nxt = write_table(
        ws, [Col("Partner"), Col("£", "gbp")], [["LCC", Decimal("12.34")]], start_row=start
    )
    assert nxt == 6
    old = os.umask(0o077)
    try:
        out = save_atomic(wb, tmp_path / "r.xlsx")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    back = openpyxl.load_workbook(out)["Spend"]
    assert back["A5"].value == "LCC"
    assert back["B5"].value == pytest.approx(12.34)
    assert back["B5"].number_format == GBP
    assert back.freeze_panes == "A5"
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]
