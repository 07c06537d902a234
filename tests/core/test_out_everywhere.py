"""``--out`` (and ``-o``) on every command that shows a result (issue 12): ``spend map``,
``spend suppliers``, ``cba sensitivity`` and ``cba simulate`` write HTML, XLSX or PDF in the
one layout, with ``Wrote FILE.``; the workbooks hold money as ``£#,##0.00`` numbers and
shares as ``0.0%``, labelled in words. Every expected figure is worked by hand below.

The place: four lines of 2024/25, in pounds

    cc  EDU         area A1  100.00
    cc  ASC         no area   60.00
    dc  HSG         area A1   40.00
    icb NHS.ACUTE   area A2  300.00      total 500.00

    by area: A2 300.00 (300/500 = 60.0%), A1 140.00 (28.0%), not allocated 60.00 (12.0%)

The appraisal is test_cba_exact's (see tests/cba/test_cba_report_layout.py): PV costs 1804,
PV fiscal 1484.80, economic and social 120, so net present budget impact
1484.80 - 1804 = -319.20, net present public value 1604.80 - 1804 = -199.20 and financial
ROI 1484.8 / 1804 = 0.823 (0.82). It has no distributions, so every draw is the point
estimate: financial ROI is never above 1 and public value never above £0 (0.0% both).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from cba_exact import EXACT_APPRAISAL as TEXT
from spend_helpers import HEADER, add_partners, write
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.partners import Partner, upsert
from wholeplace.spend import service as spend_service
from wholeplace.workspace import Workspace

MONEY = '"£"#,##0.00;[Red]-"£"#,##0.00'
SHARE = "0.0%;[Red]-0.0%"


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return res.exit_code, res.output


@pytest.fixture
def place(tmp_path: Path) -> Path:
    ws = Workspace.create(tmp_path / "place", "Testshire")
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
    ws.close()
    return tmp_path / "place"


def test_spend_map_out_xlsx_and_html(place: Path, tmp_path: Path) -> None:
    xlsx, html = tmp_path / "map.xlsx", tmp_path / "map.html"
    code, out = run("spend", "map", "--by", "area", "-w", str(place), "-o", str(xlsx))
    assert code == 0, out
    assert out.rstrip().endswith(f"Wrote {xlsx}.")
    ws = openpyxl.load_workbook(xlsx)["Spending by area"]
    assert [c.value for c in ws[1]] == ["Area", "Spending", "Share", "£ per head",
                                        "Of which estimated"]  # fmt: skip
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert (rows["A2"][1].value, rows["A2"][2].value) == (300, 0.6)
    assert (rows["A1"][1].value, rows["A1"][2].value) == (140, 0.28)
    assert rows["(not allocated to an area)"][1].value == 60
    assert rows["Total"][1].value == 500 and rows["Total"][2].value == 1
    assert rows["A2"][1].number_format == MONEY and rows["A2"][2].number_format == SHARE
    assert ws.freeze_panes == "A2"
    assert "Summary" in openpyxl.load_workbook(xlsx).sheetnames

    code, out = run("spend", "map", "--by", "area", "-w", str(place), "--out", str(html))
    assert code == 0 and f"Wrote {html}." in out
    page = html.read_text(encoding="utf-8")
    assert (
        '<p class="answer">The partners of Testshire spent £500.00 in 2024/25; the largest '
        "share by area is A2&#39;s, 60.0%.</p>"
    ) in page
    assert "£60.00 (12.0% of the total) is not allocated to an area" in page
    assert '<td class="num">£300.00</td>' in page and '<td class="num">60.0%</td>' in page


def test_spend_map_out_bad_suffix_writes_nothing(place: Path, tmp_path: Path) -> None:
    bad = tmp_path / "map.docx"
    code, out = run("spend", "map", "-w", str(place), "-o", str(bad))
    assert code == 2 and "use one of .html, .xlsx, .pdf" in out
    assert not bad.exists()


def test_spend_suppliers_out(tmp_path: Path) -> None:
    """hbc pays Acme 100.00 and 20.00; lcc pays Acme 30.00 and Hyndburn Borough Council
    250.00 (a payment between partners). Acme: 3 payments by 2 partners, £150.00."""
    ws = Workspace.create(tmp_path / "place", "Hyndburn and Lancashire")
    with ws.write("test"):
        upsert(ws, [Partner("hbc", "Hyndburn Borough Council", "district", "Districts", "LG"),
                    Partner("lcc", "Lancashire County Council", "county council", "County",
                            "LG")])  # fmt: skip
    ws.close()
    w = str(tmp_path / "place")
    f = tmp_path / "national.csv"
    f.write_text(
        "Partner,Payment Date,Net Amount,Supplier Name,Service Area\n"
        "hbc,01/05/2024,100.00,Acme Ltd,Adult Social Care\n"
        "hbc,02/05/2024,20.00,Acme Ltd,Adult Social Care\n"
        "lcc,02/05/2024,30.00,Acme Ltd,Adult Social Care\n"
        "lcc,02/05/2024,250.00,Hyndburn Borough Council,Adult Social Care\n",
        encoding="utf-8",
    )
    code, out = run("spend", "import-transactions", str(f), "-w", w)
    assert code == 0, out
    xlsx = tmp_path / "suppliers.xlsx"
    code, out = run("spend", "suppliers", "--shared", "-w", w, "-o", str(xlsx))
    assert code == 0 and f"Wrote {xlsx}." in out
    book = openpyxl.load_workbook(xlsx)
    assert book["Summary"]["A4"].value == "Acme Ltd was paid the most: £150.00 in 3 payments."
    ws = book[book.sheetnames[1]]
    assert [c.value for c in ws[1]] == ["Supplier", "Partners", "Payments", "Amount"]
    assert [c.value for c in ws[2]] == ["Acme Ltd", 2, 3, 150]
    assert ws["D2"].number_format == MONEY
    between = book["Payments between partners"]
    assert [c.value for c in between[2]][:2] == ["Lancashire County Council",
                                                 "Hyndburn Borough Council"]  # fmt: skip
    assert between["E2"].value == 250


def test_cba_sensitivity_out(tmp_path: Path) -> None:
    a = tmp_path / "exact.yaml"
    a.write_text(TEXT, encoding="utf-8")
    xlsx = tmp_path / "sens.xlsx"
    code, out = run("cba", "sensitivity", str(a), "-o", str(xlsx))
    assert code == 0 and f"Wrote {xlsx}." in out
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames[:4] == ["Summary", "Tornado", "Break-even", "Optimism bias"]
    ws = book["Duration"]
    assert [c.value for c in ws[1]][:3] == ["Years", "Present value of costs",
                                            "Present value of fiscal benefits"]  # fmt: skip
    last = [c.value for c in ws[4]]  # three years: the whole appraisal
    assert last[:5] == [3, 1804, 1484.8, -319.2, -199.2]
    assert ws["B4"].number_format == MONEY and ws["F4"].number_format == "0.00"
    assert round(last[5], 4) == round(1484.8 / 1804, 4)
    html = tmp_path / "sens.html"
    code, out = run("cba", "sensitivity", str(a), "--out", str(html))
    assert code == 0
    page = html.read_text(encoding="utf-8")
    assert '<td class="num">-£199.20</td>' in page
    assert "exact.yaml" in page[page.index("<footer") :]


def test_cba_simulate_out(tmp_path: Path) -> None:
    a = tmp_path / "exact.yaml"
    a.write_text(TEXT, encoding="utf-8")
    xlsx, html = tmp_path / "sim.xlsx", tmp_path / "sim.html"
    code, out = run("cba", "simulate", str(a), "--draws", "50", "-o", str(xlsx))
    assert code == 0 and f"Wrote {xlsx}." in out
    book = openpyxl.load_workbook(xlsx)
    ws = book["Present values"]
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=2)}
    # point estimate, mean and every percentile: the same, there being no uncertainty
    assert set(rows["Net present public value"][1:]) == {-199.2}
    assert ws["B2"].number_format == MONEY
    chances = book["Chances"]
    assert [c.value for c in chances[2]] == ["Financial ROI above 1", 0]
    assert chances["B2"].number_format == SHARE
    code, out = run("cba", "simulate", str(a), "--draws", "50", "-o", str(html))
    assert code == 0
    assert (
        "In 50 draws of Exact&#39;s uncertain inputs, financial ROI is above 1 in 0.0% of "
        "them, and net present public value above £0 in 0.0%."
    ) in html.read_text(encoding="utf-8")
