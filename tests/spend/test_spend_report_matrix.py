"""The spend report's ALPS pieces (issue 12): the partner x service matrix, year on year in
every year the place holds with a total row and estimates held flat flagged, and what the
per-head map does not allocate, in words. Every figure worked by hand here:

    2024/25  cc  EDU          A1   100.00
             cc  ASC          --    60.00  paid to icb: eliminated (counted where icb spends it)
             dc  HSG          A1    40.00
             icb ASC          A2    25.00
             icb NHS.ACUTE    A2   300.00
             dwp SSB.PENSION  --    35.00  no area
    consolidated 100 + 40 + 25 + 300 + 35 = 500.00; not allocated to an area 35.00 = 7.0 %

    matrix   EDU: cc 100; HSG: dc 40; ASC: icb 25; NHS.ACUTE: icb 300; SSB.PENSION: dwp 35
             partners: icb 325, cc 100, dc 40, dwp 35; total 500

    2023/24  cc EDU 90.00; dc HSG 40.00 (an estimate, "held flat"); icb NHS.ACUTE 280.00 = 410
    2022/23  cc EDU 80.00 = 80

    year on year by partner (2022/23, 2023/24, 2024/25; change over the last year)
             icb  none, 280, 325   +45 = +16.1 % (45 / 280 = 0.1607)
             cc   80, 90, 100      +10 = +11.1 %
             dc   none, 40, 40     0, held flat in 2023/24
             dwp  none, none, 35   new
             total 80, 410, 500    +90 = +22.0 % (90 / 410 = 0.2195)
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from spend_helpers import add_partners, write

from wholeplace.spend import service as spend_service
from wholeplace.spend.report import gather, html_text, write_xlsx
from wholeplace.workspace import Workspace

HEADER = "partner,year,service,area,amount_gbp,counterparty,estimate,estimate_method\n"
LINES = """cc,2024/25,EDU,A1,100.00,,no,
cc,2024/25,ASC,,60.00,icb,no,
dc,2024/25,HSG,A1,40.00,,no,
icb,2024/25,ASC,A2,25.00,,no,
icb,2024/25,NHS.ACUTE,A2,300.00,,no,
dwp,2024/25,SSB.PENSION,,35.00,,no,
cc,2023/24,EDU,A1,90.00,,no,
dc,2023/24,HSG,A1,40.00,,yes,2022/23 cash figure held flat for this year (not uprated)
icb,2023/24,NHS.ACUTE,A2,280.00,,no,
cc,2022/23,EDU,A1,80.00,,no,
"""
D = Decimal


@pytest.fixture
def place(tmp_path: Path) -> Workspace:
    ws = Workspace.create(tmp_path / "place", "Shire")
    add_partners(ws)
    spend_service.import_lines(ws, write(tmp_path / "lines.csv", HEADER + LINES))
    return ws


def test_matrix_partners_across_services_down(place: Workspace) -> None:
    m = gather(place, "2024/25").matrix()
    assert [p for p, _ in m.partners] == ["icb", "cc", "dc", "dwp"]
    assert {code for _, code, _ in m.services} == {"EDU", "HSG", "ASC", "NHS.ACUTE", "SSB.PENSION"}
    assert m.cell("ASC", "icb") == D("25.00") and m.cell("ASC", "cc") is None  # eliminated
    assert [m.partner_total(p) for p, _ in m.partners] == [D(325), D(100), D(40), D(35)]
    assert m.service_total("NHS.ACUTE") == D(300) and m.total == D(500)


def test_matrix_in_html_and_xlsx(place: Workspace, tmp_path: Path) -> None:
    data = gather(place, "2024/25")
    page = html_text(data)
    table = page[
        page.index('id="matrix-table"') : page.index("</table>", page.index("matrix-table"))
    ]
    assert '<th scope="col" class="num">NHS Shire ICB</th>' in table
    foot = table[table.index("<tfoot>") :]
    # £m to one place: 325 -> £0.0m; the workbook holds the pounds
    assert foot.count('<td class="num">£0.0m</td>') == 5
    out = tmp_path / "r.xlsx"
    write_xlsx(data, out)
    ws = openpyxl.load_workbook(out)["Partner by service"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Division")
    assert rows[header][2:] == ("NHS Shire ICB", "Shire County Council", "Vale District Council",
                                "DWP", "Total")  # fmt: skip
    by_service = {r[1]: r for r in rows[header + 1 :] if r[0] != "Total"}
    acute = by_service[next(k for k in by_service if "cute" in str(k))]
    assert acute[2] == 300 and acute[3] is None
    n = header + 1  # the sheet's row number of the header (rows are 0-based)
    first, last = n + 1, n + len(by_service)
    acute_row = rows.index(acute) + 1  # the sheet's row number
    assert acute[6] == f"=SUM(C{acute_row}:F{acute_row})"
    total = next(r for r in rows if r[0] == "Total")
    assert total[2:] == (f"=SUM(C{first}:C{last})", f"=SUM(D{first}:D{last})",
                         f"=SUM(E{first}:E{last})", f"=SUM(F{first}:F{last})",
                         f"=SUM(C{last + 1}:F{last + 1})")  # fmt: skip
    assert ws.cell(row=last + 1, column=3).number_format == '"£"#,##0.00;[Red]-"£"#,##0.00'


def test_year_on_year_every_year_total_and_held_flat(place: Workspace, tmp_path: Path) -> None:
    data = gather(place, "2024/25")
    assert data.history_years == ["2022/23", "2023/24", "2024/25"]
    rows = {h.key: h for h in data.history_rows("partner")}
    assert [h.key for h in data.history_rows("partner")] == ["icb", "cc", "dc", "dwp"]
    assert rows["icb"].amounts == [None, D(280), D(325)]
    assert (rows["icb"].change_gbp, rows["icb"].change_ratio) == (D(45), D("0.1607"))
    assert rows["dc"].held_flat == ["2023/24"] and rows["cc"].held_flat == []
    assert rows["dwp"].change_gbp is None
    assert data.history_totals() == [D(80), D(410), D(500)]
    groups = {h.key: h for h in data.history_rows("group")}
    assert groups["District councils"].held_flat == ["2023/24"]
    page = html_text(data)
    yoy = page[page.index('id="year-on-year"') : page.index('id="eliminations"')]
    assert "Year on year: 2022/23 to 2024/25" in yoy
    assert '<span class="flag">Held flat</span> in 2023/24' in yoy
    assert '<td class="num">+16.1%</td>' in yoy and '<td class="num">+22.0%</td>' in yoy
    assert ">new<" in yoy
    out = tmp_path / "r.xlsx"
    write_xlsx(data, out)
    sheet = list(openpyxl.load_workbook(out)["Year on year"].iter_rows(values_only=True))
    header = next(r for r in sheet if r[0] == "Level")
    assert header[3:6] == ("2022/23 £", "2023/24 £", "2024/25 £")
    dc = next(r for r in sheet if r[0] == "partner" and r[1] == "dc")
    assert dc[3:] == (None, 40, 40, 0, 0, "held flat in 2023/24")
    totals = [r for r in sheet if r[0] == "Total"]
    assert len(totals) == 2  # one for the groups, one for the partners
    assert totals[1][3:8] == (80, 410, 500, 90, pytest.approx(0.2195, abs=1e-4))


def test_not_allocated_in_words_beside_the_map(place: Workspace) -> None:
    page = html_text(gather(place, "2024/25"))
    assert ('<p id="not-allocated">£35.00 (7.0% of the total) is not allocated to an area') in page
