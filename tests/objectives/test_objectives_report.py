"""The objectives report as HTML, XLSX and JSON; the spend map's £ by partner x group."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from test_objectives_docs import DOC, doc_files
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.spend import service as spend_service
from wholeplace.workspace import Workspace


@pytest.fixture
def place(tmp_path: Path) -> str:
    for name, body in doc_files(DOC.read_text(encoding="utf-8")).items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    w = str(tmp_path / "place")
    r = CliRunner()
    assert r.invoke(app, ["init", w, "--name", "Vale <&> shire"]).exit_code == 0
    for args in (
        ["partners", "import", "partners.csv"],
        ["spend", "import", "spend-2024-25.csv"],
        ["objectives", "groups", "groups.csv"],
        ["objectives", "import", "objectives.csv"],
    ):
        res = r.invoke(app, [args[0], args[1], str(tmp_path / args[2]), "-w", w])
        assert res.exit_code == 0, res.output
    return w


def test_html_is_offline_escaped_and_accessible(place: str, tmp_path: Path) -> None:
    out = tmp_path / "objectives.html"
    res = CliRunner().invoke(app, ["objectives", "report", "--out", str(out), "-w", place])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "Vale &lt;&amp;&gt; shire" in html and "Vale <&> shire" not in html
    assert not re.search(r"(src|href)=\"https?://", html)  # nothing fetched
    assert html.count("<caption>") == html.count("<table")
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "Money with no objective: cc spends £30,000,000 on Families with children" in html
    assert "Streamline" in html and "Align delivery for Older people" in html


def test_xlsx_has_every_sheet_and_exact_money(place: str, tmp_path: Path) -> None:
    out = tmp_path / "objectives.xlsx"
    res = CliRunner().invoke(app, ["objectives", "report", "--out", str(out), "-w", place])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "Summary",
        "Matrix",
        "Overlaps",
        "Conflicts",
        "Different approaches",
        "Objectives",
        "Unmatched spend",
    ]
    m = wb["Matrix"]
    header = [c.value for c in m[4]]
    row = {c: v.value for c, v in zip(header, m[5], strict=True)}
    assert row["Partner"] == "cc" and row["Older people: £"] == Decimal("80000000")
    assert wb["Overlaps"].max_row == 4 + 2  # title, gap, header, two overlaps


def test_json_with_out_names_the_file(place: str, tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    res = CliRunner().invoke(
        app, ["objectives", "report", "--out", str(out), "-w", place, "--json"]
    )
    data = json.loads(res.stdout)
    assert data["out"] == [str(out)] and len(data["conflicts"]) == 2


def test_unknown_suffix_and_no_objectives_exit_2(place: str, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["objectives", "report", "--out", "x.docx", "-w", place])
    assert res.exit_code == 2 and "use one of .html, .xlsx, .pdf" in " ".join(res.output.split())
    assert not Path("x.docx").exists()
    empty = str(tmp_path / "empty")
    CliRunner().invoke(app, ["init", empty, "--name", "E"])
    res = CliRunner().invoke(app, ["objectives", "report", "-w", empty])
    assert res.exit_code == 2 and "No objectives imported yet" in res.output


def test_report_without_spend_shows_no_money(tmp_path: Path) -> None:
    for name, body in doc_files(DOC.read_text(encoding="utf-8")).items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    w = str(tmp_path / "p")
    r = CliRunner()
    r.invoke(app, ["init", w, "--name", "P"])
    r.invoke(app, ["partners", "import", str(tmp_path / "partners.csv"), "-w", w])
    r.invoke(app, ["objectives", "groups", str(tmp_path / "groups.csv"), "-w", w])
    r.invoke(app, ["objectives", "import", str(tmp_path / "objectives.csv"), "-w", w])
    data = json.loads(r.invoke(app, ["objectives", "report", "-w", w, "--json"]).stdout)
    assert data["matrix"]["spend_year"] is None
    assert {c["spend_gbp"] for c in data["matrix"]["cells"]} == {None}


def test_groups_from_spend(tmp_path: Path) -> None:
    for name, body in doc_files(DOC.read_text(encoding="utf-8")).items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    w = str(tmp_path / "p")
    r = CliRunner()
    r.invoke(app, ["init", w, "--name", "P"])
    r.invoke(app, ["partners", "import", str(tmp_path / "partners.csv"), "-w", w])
    r.invoke(app, ["spend", "import", str(tmp_path / "spend-2024-25.csv"), "-w", w])
    r.invoke(app, ["objectives", "groups", str(tmp_path / "groups.csv"), "-w", w])
    # Every label of the map is a group or a spend label already: nothing to add.
    data = json.loads(
        r.invoke(app, ["objectives", "groups", "--from-spend", "-w", w, "--json"]).stdout
    )
    assert data["added"] == 0
    p2 = str(tmp_path / "p2")
    r.invoke(app, ["init", p2, "--name", "P2"])
    r.invoke(app, ["partners", "import", str(tmp_path / "partners.csv"), "-w", p2])
    r.invoke(app, ["spend", "import", str(tmp_path / "spend-2024-25.csv"), "-w", p2])
    data = json.loads(
        r.invoke(app, ["objectives", "groups", "--from-spend", "-w", p2, "--json"]).stdout
    )
    assert [g["name"] for g in data["customer_groups"]] == [
        "Families",
        "Families with children",
        "Older people",
        "Pensioners",
        "Working-age adults",
    ]


def test_spend_by_partner_and_group_sums_to_the_map(place: str) -> None:
    with Workspace.open(place) as ws:
        by_group = spend_service.spend_by_partner_and_customer_group(ws)
        by_partner = spend_service.build_map(ws, by="partner").map
    sums: dict[str, Decimal] = {}
    for r in by_group.rows:
        sums[r.partner] = sums.get(r.partner, Decimal(0)) + r.amount_gbp
    assert sums == {r.key: r.amount_gbp for r in by_partner.rows}
    assert sums["cc"] == Decimal("150000000.00")  # 80 + 40 + 30; the 5 paid to icb eliminated
