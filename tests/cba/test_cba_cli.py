"""The `wholeplace unitcosts` and `wholeplace cba` commands, end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from wholeplace.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "src/wholeplace/data/cba/example_appraisal.yaml"
KEYS = [
    "pv_costs",
    "pv_fiscal",
    "pv_fiscal_cashable",
    "pv_economic",
    "pv_social",
    "net_present_budget_impact",
    "net_present_public_value",
    "financial_roi",
    "public_value_roi",
    "payback_year",
    "payback_year_undiscounted",
    "discount",
    "by_agency",
    "by_year",
    "warnings",
]


def cli(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout


def test_run_json_keys_and_decimal_strings(tmp_path: Path) -> None:
    code, out = cli("cba", "run", str(EXAMPLE), "--json", "-w", str(tmp_path))
    assert code == 0, out
    j = json.loads(out)
    assert list(j) == KEYS
    assert isinstance(j["pv_costs"], str) and j["pv_costs"].count(".") == 1
    assert j["payback_year"] == "2017/18"
    dwp = j["by_agency"]["DWP"]
    assert set(dwp) == {
        "pv_costs",
        "pv_fiscal",
        "pv_fiscal_cashable",
        "net_position",
        "by_year",
        "outcome_lines",
    }
    assert dwp["outcome_lines"] == ["Adults move from JSA into work (DWP savings)"]
    assert j["discount"] == {"name": "flat", "bands": [{"from_year": 0, "rate": "0.035"}]}
    # nominal flows by year: DWP pays the work coach (in kind, grade 1: no bias) for 3 years
    assert dwp["by_year"]["costs"] == ["15000.00", "15000.00", "15000.00", "0.00", "0.00"]
    la = j["by_agency"]["Local Authority"]["by_year"]["costs"]
    # 180,000 x 1.05 (grade 2) + 40,000 x 1.10 (grade 3) in year 0
    assert la == ["233000.00", "189000.00", "189000.00", "0.00", "0.00"]


def test_run_writes_offline_html_and_audit_xlsx(tmp_path: Path) -> None:
    html = tmp_path / "r.html"
    code, out = cli("cba", "run", str(EXAMPLE), "--out", str(html), "-w", str(tmp_path))
    assert code == 0, out
    page = html.read_text(encoding="utf-8")
    assert page.count("Plotly.newPlot") >= 4  # by year, agencies, tornado, simulated ROI
    # offline: plotly.js is inline; no <script src=...> fetches anything
    assert re.findall(r"<script[^>]*\bsrc=", page) == []
    assert "Who pays, who gains" in page and "Probability that financial ROI exceeds 1" in page
    xlsx = tmp_path / "r.xlsx"
    code, out = cli("cba", "run", str(EXAMPLE), "--out", str(xlsx), "-w", str(tmp_path))
    assert code == 0, out
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Summary", "Inputs", "Unit values", "Steps", "By year", "Agencies"]
    assert wb["By year"]["J2"].value == "=D2*C2"  # live formulas for the auditor
    summary = {r[0]: r for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
    j = json.loads(cli("cba", "run", str(EXAMPLE), "--json", "-w", str(tmp_path))[1])
    # the Summary's figure follows the By year sheet; wholeplace's own is beside it
    assert summary["Present value of costs"][1] == "='By year'!J7"
    assert summary["Present value of costs"][3] == float(j["pv_costs"])
    assert not list(tmp_path.glob(".*.tmp")) and not list(tmp_path.glob(".r.xlsx*"))


def test_bad_report_suffix_and_bad_file(tmp_path: Path) -> None:
    code, _ = cli("cba", "run", str(EXAMPLE), "--out", str(tmp_path / "r.docx"))
    assert code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "appraisal: {name: x, price_year: 2015/16, start_year: 2015/16, years: 1,\n"
        "  discount_rate: 2}\n"
    )
    res = runner.invoke(app, ["cba", "run", str(bad), "--json"])
    assert res.exit_code == 2
    j = json.loads(res.stdout)
    assert j["problems"][0]["column"] == "appraisal.discount_rate"
    assert j["problems"][0]["file"] == "bad.yaml" and j["problems"][0]["row"] == 2


def test_simulate_sensitivity_compare_template(tmp_path: Path) -> None:
    code, out = cli("cba", "simulate", str(EXAMPLE), "--draws", "20000", "--seed", "1", "--json")
    assert code == 0, out
    s = json.loads(out)
    assert s["draws"] == 20000 and 0 < s["prob_financial_roi_above_1"] < 1
    code, out = cli("cba", "sensitivity", str(EXAMPLE), "--json")
    assert code == 0, out
    sens = json.loads(out)
    assert sens["tornado"] and sens["break_even"] and len(sens["duration"]) == 5
    t = tmp_path / "t.xlsx"
    assert cli("cba", "template", str(t))[0] == 0
    code, out = cli("cba", "compare", str(EXAMPLE), str(t), "--json")
    assert code == 0, out
    a, b = json.loads(out)
    assert a["net_present_public_value"] == b["net_present_public_value"]
    assert cli("cba", "compare", str(EXAMPLE), str(t))[0] == 0


def test_unitcosts_commands_with_and_without_a_place(tmp_path: Path, reference: Path) -> None:
    code, out = cli(
        "unitcosts", "uprate", "CR1.0", "--to", "2015/16", "--deflators", "ucd-v1.4",
        "--json", "-w", str(tmp_path),
    )  # fmt: skip
    assert code == 0, out
    up = json.loads(out)
    assert up["values"][0]["uprated"] == "673.23"  # the workbook's own J3, rounded
    code, out = cli("unitcosts", "uprate", "CR1.0", "--to", "2015/16", "--json")
    # HM Treasury's October 2024 index: 500 x 77.3347 / 58.9756 = 655.6508...
    assert json.loads(out)["values"][0]["uprated"] == "655.65"
    place = tmp_path / "place"
    assert cli("init", str(place), "--name", "Testshire")[0] == 0
    wb = reference / "unit-cost-database" / "unit-cost-database-v1.2.xls"
    code, out = cli("unitcosts", "import", str(wb), "-w", str(place), "--json")
    assert code == 0, out
    imported = json.loads(out)
    assert imported["imported"] == 673
    # the workbook's own (2013) deflators are kept, but the place goes on with HMT's latest
    code, out = cli("unitcosts", "show", "CR1.0", "-w", str(place), "--json")
    assert json.loads(out)["values"]["fiscal"]["uprated_to"] == "2023/24"
    code, out = cli("unitcosts", "deflators", "use", imported["deflators"], "-w", str(place))
    assert code == 0, out
    code, out = cli("unitcosts", "show", "CR1.0", "-w", str(place), "--json")
    shown = json.loads(out)
    # v1.2 uprates to its own current year, 2014/15, with its own (2013) deflators
    assert shown["values"]["fiscal"]["uprated_to"] == "2014/15"
    assert shown["values"]["fiscal"]["uprated"] == shown["values"]["fiscal"]["published_updated"]
    code, out = cli("unitcosts", "search", "anti-social", "-w", str(place), "--json")
    assert code == 0 and len(json.loads(out)) >= 5
    code, out = cli("unitcosts", "show", "NOPE1", "-w", str(place))
    assert code == 2
    csvf = tmp_path / "d.csv"
    csvf.write_text("year,pct_change\n2014/15,0\n2015/16,10\n")
    code, out = cli("unitcosts", "deflators", "import", str(csvf), "-w", str(place), "--json")
    assert code == 0, out
    code, out = cli("unitcosts", "uprate", "CR1.1", "--to", "2015/16", "-w", str(place), "--json")
    assert code == 2  # the new series starts in 2014/15; CR1.1 is in 2002/03 prices
    code, out = cli("log", "-w", str(place), "--json")
    actions = [e["action"] for e in json.loads(out)]
    assert actions[:3] == [
        "unitcosts.deflators.import",
        "unitcosts.deflators.use",
        "unitcosts.import",
    ]


def test_audit_workbook_formulas_reproduce_the_figures(tmp_path: Path) -> None:
    """Evaluate the By-year sheet's Excel formulas by hand and compare with --json."""
    xlsx = tmp_path / "a.xlsx"
    assert cli("cba", "run", str(EXAMPLE), "--out", str(xlsx))[0] == 0
    j = json.loads(cli("cba", "run", str(EXAMPLE), "--json")[1])
    wb = openpyxl.load_workbook(xlsx)
    rate = wb["Inputs"]["B6"].value
    assert wb["Inputs"]["A6"].value == "Discount rate" and rate == 0.035
    by = wb["By year"]
    totals = {"pv_costs": 0.0, "pv_fiscal": 0.0, "pv_economic": 0.0, "pv_social": 0.0}
    for r in range(2, 2 + len(j["by_year"])):
        assert by[f"C{r}"].value == f"=1/(1+Inputs!B6)^B{r}"
        df = 1 / (1 + rate) ** by[f"B{r}"].value
        for col, src, key in (
            ("J", "D", "pv_costs"),
            ("K", "E", "pv_fiscal"),
            ("M", "H", "pv_economic"),
            ("N", "I", "pv_social"),
        ):
            assert by[f"{col}{r}"].value == f"={src}{r}*C{r}"
            totals[key] += by[f"{src}{r}"].value * df
    for key, v in totals.items():
        assert abs(v - float(j[key])) < 0.005, key
    steps = list(wb["Steps"].iter_rows(values_only=True))
    assert any(row[5].startswith("net outcomes") for row in steps[1:])
    unit = {r[0]: r for r in wb["Unit values"].iter_rows(min_row=2, values_only=True)}
    assert unit["Adults move from JSA into work (DWP savings)"][5] == 9724.61
