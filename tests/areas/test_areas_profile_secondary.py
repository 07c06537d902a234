"""Secondary suppression of the area profiles report's population column (review of issue
13): the report shows the place's population beside the areas', so one area's population
under 5 would follow from the total less the others. The next smallest is withheld too, as
``c``, as the web's release figures do (wholeplace.disclosure.protect)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from wholeplace.areas import import_areas
from wholeplace.assets import service
from wholeplace.cli import app
from wholeplace.workspace import Workspace

# Hand-built: the place's population is its areas' sum, 3 + 10 + 20 = 33, shown as the
# table's total. Primary suppression alone shows "<5", 10, 20 and 33: 33 - 10 - 20 = 3.
# Secondary: the column (with its total) holds exactly one suppressed cell, so the next
# smallest, Bank's 10, is withheld as "c"; then 33 - 20 = 13 = the two together, and
# neither one follows.
AREAS = "code,name,population\nA1,Alder,3\nA2,Bank,10\nA3,Cross,20\n"
# an area is profiled once it has a figure: each its IMD decile
DECILES = "code,decile\nA1,1\nA2,5\nA3,9\n"


def _place(tmp_path: Path) -> Path:
    ws = Workspace.create(tmp_path / "place", "Brook")
    try:
        (tmp_path / "areas.csv").write_text(AREAS, encoding="utf-8")
        import_areas(ws, tmp_path / "areas.csv")
        (tmp_path / "deciles.csv").write_text(DECILES, encoding="utf-8")
        service.import_indicator(
            ws, tmp_path / "deciles.csv", "imd_decile", "decile", source="Crafted", as_of="2019"
        )
    finally:
        ws.close()
    return tmp_path / "place"


def _cli(*args: str) -> None:
    res = CliRunner().invoke(app, ["areas", "profile", *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output


def test_html_withholds_the_population_that_the_total_would_give_away(tmp_path: Path) -> None:
    place = _place(tmp_path)
    out = tmp_path / "profiles.html"
    _cli("--all", "--out", str(out), "-w", str(place))
    html = out.read_text(encoding="utf-8")
    table = html.split('<h2 id="areas">')[1].split("</table>")[0]
    cells = {
        code: table.split(f'<tr><th scope="row">{code} ')[1].split('<td class="num">')[1]
        for code in ("A1", "A2", "A3")
    }
    shown = {code: c.split("</td>")[0] for code, c in cells.items()}
    assert shown == {"A1": "&lt;5", "A2": "c", "A3": "20"}
    total = table.split("<tfoot>")[1].split('<td class="num">')[1].split("</td>")[0]
    assert total == "33"
    # each area's own section says the same
    bank = html.split('id="area-A2"')[1].split("</p>")[0]
    assert "Population c;" in bank and "10" not in bank
    assert "shown as c" in html.split('id="method"')[1]


def test_xlsx_withholds_it_too(tmp_path: Path) -> None:
    place = _place(tmp_path)
    out = tmp_path / "profiles.xlsx"
    _cli("--all", "--out", str(out), "-w", str(place))
    sheet = openpyxl.load_workbook(out)["Areas"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "Code")
    col = header.index("Population")
    values = {r[0]: r[col] for r in rows if r[0] in ("A1", "A2", "A3")}
    assert values == {"A1": "<5", "A2": "c", "A3": 20}


def test_the_docs_give_this_example() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "areas.md").read_text(encoding="utf-8")
    assert "areas of 3, 10 and 20 people with the total 33 are shown as `<5`, `c`, 20 and 33" in (
        " ".join(doc.split())
    )
