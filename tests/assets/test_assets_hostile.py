"""Text from a register and an indicator file is escaped in the HTML report and
neutralised in the workbook."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from assets_helpers import add_partners, square, with_squares

from wholeplace.assets import service
from wholeplace.workspace import Workspace

EVIL = "<script>alert(1)</script>"


def test_hostile_text_is_escaped(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws, "cc")
    with_squares(ws, tmp_path, square("VALE1", 349000, 449000, 1500))
    (tmp_path / "cc.csv").write_text(
        "UPRN,AssetCode,PropertyName,OtherDetail,GeoX,GeoY,Surplus\n"
        f'1,"=1+1","{EVIL}","{EVIL}",349500,449500,yes\n',
        encoding="utf-8",
    )
    service.import_register(ws, tmp_path / "cc.csv", "cc")
    (tmp_path / "i.csv").write_text("code,x\nVALE1,3\n", encoding="utf-8")
    service.import_indicator(ws, tmp_path / "i.csv", "x", "x", source=EVIL, as_of=EVIL)
    service.write_report(
        ws, tmp_path / "r.html", criteria=service.Criteria(), factors=[1] * 11, discounting=EVIL
    )
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    service.write_report(ws, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Register"]
    refs = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert refs == ["'=1+1"]
