"""The appraisal report in the one report layout (issue 12): its answer sentence, worked by
hand; its palette; its print and phone styles; and the XLSX Summary as live formulas.

The appraisal is test_cba_exact's, worked by hand there (25 % discount, factors 1, 0.8, 0.64):

    PV costs:   Council 1100 + 440 = 1540; NHS 200 + 64 = 264; total 1804
    PV fiscal:  NHS 320 + 640 + 204.8 = 1164.8; Council (a transfer) 0.64 x 500 = 320; 1484.8
    financial ROI 1484.8 / 1804 = 0.8230.. -> £0.82 per £1
    Council net 320 - 1540 = -1220 (pays); NHS 1164.8 - 264 = 900.8 (gains)
    cumulative PV fiscal 320, 960, 1484.8 never reaches cumulative PV costs 1100, 1540, 1804:
    no payback within the 3 years.

With the Council's team cut to 100 and 50, the Council's PV costs are 100 x 1.1 + 50 x 1.1 x
0.8 = 154 and the total 418: ROI 1484.8 / 418 = 3.5521.. -> £3.55; the Council nets
320 - 154 = 166 and gains too; in year 0 fiscal 320 already covers costs 110 and stays ahead
(960 >= 354, 1484.8 >= 418): payback in 2015/16.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
from cba_exact import EXACT_APPRAISAL as TEXT

from wholeplace.cba import model
from wholeplace.cba import report as cba_report
from wholeplace.cba.service import analyse
from wholeplace.cba.unitcosts import curated_book
from wholeplace.reports.palette import GAIN, LOSS, preferred_colour


def _result(text: str = TEXT) -> model.Result:
    return model.compute(model.loads_appraisal(text, "exact.yaml", curated_book()))


def test_answer_sentence_is_worked_from_the_result() -> None:
    a = cba_report.answer(_result())
    assert a.sentence == (
        "Every £1 spent returns £0.82 to the public purse; Council pays, NHS gains; "
        "no payback within its 3 years."
    )
    figures = {f.what: f.value for f in a.figures}
    assert figures["net present budget impact"] == "-£319.20"  # 1484.8 - 1804
    assert figures["net present public value"] == "-£199.20"  # 1604.8 - 1804
    assert figures["present value of the costs, 2015/16 prices"] == "£1,804.00"


def test_answer_with_payback_and_every_agency_gaining() -> None:
    cheaper = TEXT.replace("amounts: [1000, 500, 0]", "amounts: [100, 50, 0]")
    assert cheaper != TEXT
    a = cba_report.answer(_result(cheaper))
    assert a.sentence == (
        "Every £1 spent returns £3.55 to the public purse; Council and NHS gain; "
        "payback in 2015/16."
    )


def test_html_opens_with_the_answer_then_tables_then_method(tmp_path: Path) -> None:
    r = _result()
    page = cba_report.html_text(r, analyse(r, draws=200, seed=1), place="Testshire")
    answer = page.index('<p class="answer">Every £1 spent returns £0.82')
    assert answer < page.index('id="who-h"') < page.index('id="method-h"') < page.index("<footer")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media print" in page and "thead { display: table-header-group; }" in page
    assert "@page wide { size: A4 landscape" in page
    assert "break-inside: avoid" in page
    # every table scrolls in its own box on a phone
    assert page.count("<table") == page.count('<div class="table-box" tabindex="0"><table')
    footer = page[page.index("<footer") :]
    assert "Testshire" in footer and "wholeplace" in footer
    # gains blue and losses orange (Okabe-Ito), never Plotly's default red against blue
    assert f'"color":"{GAIN}"' in page and f'"color":"{LOSS}"' in page
    assert '"colorway":["#0072B2","#E69F00"' in page  # not Plotly's default colours
    # money axes in £ with k/m units, not Plotly's bare "500k"
    ticks = re.findall(r'"ticktext":(\[[^\]]*\])', page)
    assert ticks and all(t.startswith("£") or t.startswith("-£") for t in json.loads(ticks[0]))
    assert "-£1.5k" in json.loads(ticks[0]) and "£500" in json.loads(ticks[0])


def test_footer_lists_the_input_file_with_its_checksum(tmp_path: Path) -> None:
    import hashlib

    f = tmp_path / "exact.yaml"
    f.write_text(TEXT, encoding="utf-8")
    r = model.compute(model.load_appraisal(f, curated_book()))
    page = cba_report.html_text(r, analyse(r, draws=200, seed=1), sources=[f])
    digest = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    footer = page[page.index("<footer") :]
    assert "exact.yaml" in footer and digest in footer


def test_partner_colour_is_the_same_in_two_reports() -> None:
    """The NHS is the NHS colour in the appraisal's agency table and in any other chart."""
    r = _result()
    page = cba_report.html_text(r, analyse(r, draws=200, seed=1))
    nhs = preferred_colour("NHS")
    assert preferred_colour("NHS Testshire ICB") == nhs
    assert re.search(rf'style="color: {nhs}">&#9632;</span> NHS<', page)


def test_xlsx_summary_is_formulas_on_the_by_year_totals(tmp_path: Path) -> None:
    r = _result()
    j = r.to_json()
    out = cba_report.xlsx_report(r, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(out)
    summary = wb["Summary"]
    rows = {row[0].value: row for row in summary.iter_rows(min_row=2) if row[0].value}
    assert summary["A1"].value == "Output"
    assert "pv_costs" not in {c.value for c in summary["A"]}  # labels in words
    assert rows["Present value of costs"][1].value == "='By year'!J5"
    assert rows["Present value of costs"][1].number_format == '"£"#,##0.00;[Red]-"£"#,##0.00'
    assert rows["Financial ROI (£ per £1)"][1].number_format == "0.00"
    assert wb["Inputs"]["B6"].number_format == "0.0%;[Red]-0.0%"
    assert wb["Agencies"]["B2"].number_format == '"£"#,##0.00;[Red]-"£"#,##0.00'
    assert wb["Summary"].print_title_rows == "$1:$1"
    by = wb["By year"]
    assert by["J5"].value == "=SUM(J2:J4)" and by["O5"].value == "=SUM(O2:O4)"

    # evaluate the formulas by hand: the Summary follows the data sheet
    def total(col: str) -> Decimal:
        return sum(
            (Decimal(str(by[f"{src}{i}"].value)) * Decimal(1) / Decimal("1.25") ** (i - 2))
            for i in range(2, 5)
            for src in [{"J": "D", "K": "E", "M": "H", "N": "I", "O": "G"}[col]]
        )

    npv = total("K") - total("O") + total("M") + total("N") - total("J")
    assert npv == Decimal(j["net_present_public_value"]) == Decimal("-199.2")
    assert total("K") / total("J") == Decimal("1484.8") / Decimal("1804")
    assert "'By year'!O5" in rows["Net present public value"][1].value


def test_docs_worked_example_is_the_report_sentence() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "reports.md"
    text = " ".join(docs.read_text(encoding="utf-8").split())
    assert f'reads "{cba_report.answer(_result()).sentence}"' in text


def test_compare_writes_the_options_side_by_side(tmp_path: Path) -> None:
    """The exact appraisal (NPPV 1604.8 - 1804 = -199.20) against the cheaper one (1604.8 -
    418 = 1186.80, ROI 3.55): the cheaper gives the most public value."""
    from typer.testing import CliRunner

    from wholeplace.cli import app

    a = tmp_path / "a.yaml"
    a.write_text(TEXT, encoding="utf-8")
    b = tmp_path / "b.yaml"
    b.write_text(
        TEXT.replace("amounts: [1000, 500, 0]", "amounts: [100, 50, 0]").replace(
            "name: Exact", "name: Cheaper"
        ),
        encoding="utf-8",
    )
    for suffix in ("html", "xlsx"):
        out = tmp_path / f"options.{suffix}"
        res = CliRunner().invoke(
            app, ["cba", "compare", str(a), str(b), "--out", str(out)], env={"COLUMNS": "300"}
        )
        assert res.exit_code == 0, res.output
        assert f"Wrote {out}." in res.output
    page = (tmp_path / "options.html").read_text(encoding="utf-8")
    assert (
        '<p class="answer">Of 2 options, Cheaper gives the most public value: £1,186.80 net '
        "present public value, and returns £3.55 to the public purse for every £1.</p>"
    ) in page
    assert "a.yaml" in page[page.index("<footer") :]
    ws = openpyxl.load_workbook(tmp_path / "options.xlsx")["Options compared"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    npv = rows["Net present public value"]
    assert [c.value for c in npv[1:]] == [-199.2, 1186.8]
    assert npv[1].number_format == '"£"#,##0.00;[Red]-"£"#,##0.00'
    assert rows["Financial ROI (£ per £1)"][2].number_format == "0.00"
    assert rows["Payback year (discounted)"][2].value == "2015/16"
