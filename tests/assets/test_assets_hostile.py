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


# Text a spreadsheet would run as a formula, by what it starts with (reports/xlsx.py)
FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(1)"]


def test_estate_workbook_neutralises_formula_like_text(ws: Workspace, tmp_path: Path) -> None:
    """`wholeplace assets report --out estate.xlsx`: text from the register (ref, name,
    postcode, tenure, use), the areas (names) and an indicator (source and date, which keep
    a leading tab or carriage return) is written with a leading apostrophe; no cell holds a
    formula."""
    from typer.testing import CliRunner

    from wholeplace.areas import import_areas
    from wholeplace.cli import app

    add_partners(ws, "cc")
    (tmp_path / "areas.csv").write_text(
        'code,name,population\nVALE1,"=1+1",100\nVALE2,"@SUM(1)",200\n', encoding="utf-8"
    )
    import_areas(ws, tmp_path / "areas.csv")
    with_squares(ws, tmp_path, square("VALE1", 349000, 449000, 1500))
    rows = "".join(
        f'{i + 1},"{f}","{f}","{f}","{f}","{f}",349500,449500,100,1000,40,yes\n'
        for i, f in enumerate(FORMULAS)
    )
    (tmp_path / "cc.csv").write_text(
        "UPRN,AssetCode,PropertyName,PostCode,TenureType,OtherDetail,GeoX,GeoY,BuildingSize,"
        "running_cost,utilisation,surplus\n" + rows,
        encoding="utf-8",
    )
    service.import_register(ws, tmp_path / "cc.csv", "cc")
    (tmp_path / "i.csv").write_text("code,x\nVALE1,3\n", encoding="utf-8")
    service.import_indicator(
        ws, tmp_path / "i.csv", "x", "x", source="\t=1+1", as_of="\r-1", higher_is="worse"
    )
    ws.close()
    out = tmp_path / "estate.xlsx"
    res = CliRunner().invoke(
        app, ["assets", "report", "--out", str(out), "-w", str(ws.path), "--json"]
    )
    assert res.exit_code == 0, res.output
    book = openpyxl.load_workbook(out)
    texts: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@", "\t", "\r"))]
    register = [r for r in book["Register"].iter_rows(min_row=2, values_only=True)]
    # ref, name, postcode (upper-cased), tenure, use of each asset: every one neutralised
    assert sorted(r[1] for r in register) == sorted("'" + f for f in FORMULAS)
    assert {r[3] for r in register} == {"'" + f for f in FORMULAS}
    assert {r[4] for r in register} == {"'" + f.upper() for f in FORMULAS}
    assert {r[7] for r in register} == {r[8] for r in register} == {r[3] for r in register}
    areas = {r[0]: r[1] for r in book["Areas"].iter_rows(min_row=2, values_only=True)}
    assert areas["VALE1"] == "'=1+1"
    sources = list(book["Sources"].iter_rows(min_row=2, values_only=True))
    # read back, the XML of the sheet gives the carriage return as a line feed
    assert sources in ([("x", "'\t=1+1", "'\r-1", "worse")], [("x", "'\t=1+1", "'\n-1", "worse")])
