"""Counts of people under 5 are suppressed in the published report."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from assets_helpers import square, with_squares

from wholeplace.assets import service
from wholeplace.workspace import Workspace


def test_counts_under_5_are_shown_as_under_5(ws: Workspace, tmp_path: Path) -> None:
    with_squares(
        ws, tmp_path, square("VALE1", 349000, 449000, 1500), square("VALE2", 350500, 449000, 1500)
    )
    (tmp_path / "c.csv").write_text("code,children\nVALE1,3\nVALE2,12\n", encoding="utf-8")
    service.import_indicator(
        ws, tmp_path / "c.csv", "children", "children", source="s", as_of="2025", counts=True
    )
    service.write_report(ws, tmp_path / "r.html")
    service.write_report(ws, tmp_path / "r.xlsx")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    row1 = html.split("<td>VALE1")[1].split("</tr>")[0]
    row2 = html.split("<td>VALE2")[1].split("</tr>")[0]
    assert "&lt;5" in row1 and ">3" not in row1
    assert "12 (1)" in row2
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Areas"]
    values = {r[0]: r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert values == {"VALE1": "<5", "VALE2": 12}
    # the machine-readable profile (not published) keeps the figure
    assert service.profiles(ws, "VALE1").areas[0].values["children"] == 3
