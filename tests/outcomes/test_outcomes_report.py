"""The reports: HTML (escaped, offline, a table behind every chart), XLSX, and the errors."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from outcomes_example import cli, cli_json

HOSTILE = '<script>alert("x")</script>'


def with_data(example: tuple[str, Path], name: str = HOSTILE) -> str:
    w, folder = example
    text = (folder / "outcomes.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Repeat domestic abuse call-outs", f"name: '{name}'")
    text = text.replace(
        "description: Parents into work\n    gross", "description: '=1+1'\n    gross"
    )
    (folder / "outcomes.yaml").write_text(text, encoding="utf-8")
    cli_json("outcomes", "import-framework", str(folder / "outcomes.yaml"), "-w", w)
    cli_json("outcomes", "import-data", str(folder / "data.csv"), "--dataset", "q2", "-w", w)
    return w


def test_html_is_self_contained_and_escapes_what_people_wrote(example: tuple[str, Path]) -> None:
    w = with_data(example)
    out = example[1] / "outcomes.html"
    res = cli_json("outcomes", "report", "--out", str(out), "-w", w)
    assert res["out"] == [str(out)]
    html = out.read_text(encoding="utf-8")
    assert HOSTILE not in html and "&lt;script&gt;alert(" in html
    assert html.count("plotly.js v") == 1  # plotly.js embedded once, offline
    assert "<script src" not in html  # nothing fetched
    # every chart has its table: 4 indicators with data, 4 charts, 4 tables of figures
    assert html.count('<figure class="trend">') == 4
    assert html.count("the figures behind the chart") == 4
    assert "Assurance" in html and "Services: how much, how well, anyone better off" in html


def test_public_html_is_plain_and_leaves_out_services_and_assurance(
    example: tuple[str, Path],
) -> None:
    w = with_data(example, "Repeat call-outs")
    cli_json("outcomes", "review", "q2", "--by", "A", "-w", w)
    cli_json("outcomes", "approve", "q2", "--by", "B", "--exception", "why", "-w", w)
    out = example[1] / "public.html"
    assert cli("outcomes", "report", "--public", "--out", str(out), "-w", w).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Our outcomes: how the area is doing" in html
    assert "What the work itself achieved" in html and "What it is worth" in html
    assert 'id="assurance"' not in html and 'id="services"' not in html
    assert "1 figure left out as small numbers" in html


def test_xlsx_has_every_sheet_and_neutralises_formulas(example: tuple[str, Path]) -> None:
    w = with_data(example)
    out = example[1] / "outcomes.xlsx"
    assert cli("outcomes", "report", "--out", str(out), "-w", w).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "Scorecard",
        "Observations",
        "Turning the curve",
        "Gross and net",
        "SROI",
        "Assurance",
    ]
    claims = [row[0] for row in wb["Gross and net"].iter_rows(min_row=2, values_only=True)]
    assert "'=1+1" in claims  # text, never a live formula
    sroi = {r[0]: r[1] for r in wb["SROI"].iter_rows(max_row=6, values_only=True)}
    assert sroi["Social value for every £1 (£)"] == "5.36"
    assert sroi["Present value of outcomes (£)"] == 268164.86


def test_an_unknown_suffix_and_no_framework_are_refused_plainly(
    example: tuple[str, Path], tmp_path: Path
) -> None:
    w, folder = example
    res = cli("outcomes", "report", "--out", str(folder / "r.pdf"), "-w", w)
    assert res.exit_code == 2
    assert "Cannot write the outcomes report as '.pdf'" in " ".join(res.output.split())
    assert not (folder / "r.pdf").exists()
    empty = str(tmp_path / "empty")
    assert cli("init", empty, "--name", "E").exit_code == 0
    res = cli("outcomes", "report", "-w", empty, "--json")
    assert res.exit_code == 2 and "No outcomes framework imported yet" in res.stdout


def test_the_money_behind_an_outcome_comes_from_the_spend_map(example: tuple[str, Path]) -> None:
    w, folder = example
    text = (folder / "outcomes.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "partners: [cc, police]\n", "partners: [cc, police]\n    spend_services: [CSC, POL]\n"
    )
    (folder / "outcomes.yaml").write_text(text, encoding="utf-8")
    cli_json("outcomes", "import-framework", str(folder / "outcomes.yaml"), "-w", w)
    before = cli_json("outcomes", "report", "-w", w)
    assert before["outcomes"][0]["money"] is None  # no spend imported yet
    (folder / "spend.csv").write_text(
        "partner,year,service,amount_gbp\n"
        "cc,2024/25,CSC,1000000.00\n"
        "cc,2024/25,ASC,5000000.00\n"
        "police,2024/25,POL,2500000.50\n"
        "police,2024/25,POL,0.25\n",
        encoding="utf-8",
    )
    res = cli("spend", "import", str(folder / "spend.csv"), "-w", w)
    assert res.exit_code == 0, res.output
    money = cli_json("outcomes", "report", "-w", w)["outcomes"][0]["money"]
    # by hand: CSC 1,000,000.00; POL 2,500,000.50 + 0.25 = 2,500,000.75; ASC is not named
    assert money["year"] == "2024/25"
    assert {x["service"]: x["amount"] for x in money["services"]} == {
        "CSC": "1000000.00",
        "POL": "2500000.75",
    }
    assert money["total"] == "3500000.75"
    out = folder / "o.html"
    assert cli("outcomes", "report", "--public", "--out", str(out), "-w", w).exit_code == 0
    assert "The money behind it" in out.read_text(encoding="utf-8")
