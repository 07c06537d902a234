"""The `wholeplace sharing` commands, their --json output and their HTML / XLSX reports."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from wholeplace.commands.sharing import app

DATA = Path(str(resources.files("wholeplace") / "data" / "sharing"))
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


COMMANDS = {
    "pool": ["pool", str(DATA / "pool_example.yaml")],
    "gainshare": ["gainshare", str(DATA / "gainshare_example.yaml")],
    "claim": [
        "pbr",
        "claim",
        str(DATA / "troubled_families_2012.yaml"),
        str(DATA / "families_example.csv"),
        "--as-of",
        "2015-03-31",
    ],
    "forecast": ["pbr", "forecast", str(DATA / "pbr_forecast_example.yaml")],
    "recharges": [
        "recharges",
        str(DATA / "staff_example.csv"),
        "--actuals",
        str(DATA / "staff_actuals_example.csv"),
    ],
}


@pytest.mark.parametrize("name", COMMANDS)
def test_commands_json_and_reports(name, tmp_path):
    res = run(*COMMANDS[name], "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data
    human = run(*COMMANDS[name])
    assert human.exit_code == 0 and "£" in human.stdout
    html_out = tmp_path / f"{name}.html"
    assert run(*COMMANDS[name], "--out", str(html_out)).exit_code == 0
    html = html_out.read_text(encoding="utf-8")
    # plotly.js embedded exactly once (works offline), no script fetched from a CDN.
    assert html.count("* plotly.js v") == 1
    assert "<script src=" not in html
    xlsx_out = tmp_path / f"{name}.xlsx"
    assert run(*COMMANDS[name], "--out", str(xlsx_out)).exit_code == 0
    wb = openpyxl.load_workbook(xlsx_out)
    assert wb.sheetnames
    money_cells = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, int | float) and "£" in c.number_format
    ]
    assert money_cells, "money should be formatted for finance users"
    assert not list(tmp_path.glob(".*.tmp"))


def test_json_money_is_strings():
    data = json.loads(run(*COMMANDS["pool"], "--json").stdout)
    y = data["years"][0]
    assert y["variance"] == "150000.00" and y["balanced"] is True
    assert {p["partner"]: p["variance_share"] for p in y["partners"]} == {
        "lcc": "94964.79",
        "icb": "50035.21",
        "bc": "5000.00",
    }


def test_gainshare_rule_option_and_schedules(tmp_path):
    out = tmp_path / "gs.html"
    res = run(
        "gainshare",
        str(DATA / "gainshare_example.yaml"),
        "--rule",
        "fixed:lcc=50,police=30,nhs=20",
        "--out",
        str(out),
        "--json",
    )
    data = json.loads(res.stdout)
    assert {p["id"]: p["after"]["undiscounted"] for p in data["partners"]} == {
        "lcc": "100000.00",
        "police": "60000.00",
        "nhs": "40000.00",
    }
    html = out.read_text(encoding="utf-8")
    # One plain-English schedule per partner.
    for name in ("County Council", "Police", "NHS"):
        assert f"Schedule - {name}" in html
    assert "In 2025/26, Police pays £" in html


def test_pool_schedule_text(tmp_path):
    out = tmp_path / "pool.xlsx"
    run(*COMMANDS["pool"], "--out", str(out))
    wb = openpyxl.load_workbook(out)
    sheet = next(ws for ws in wb.worksheets if ws.title.startswith("Schedule - Borough"))
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "of which Borough Council bears £5,000.00" in text
    statement = wb.worksheets[0]
    values = [c.value for row in statement.iter_rows() for c in row]
    assert Decimal(str(94964.79)) in [Decimal(str(v)) for v in values if isinstance(v, float)]


def test_bad_input_is_plain_english_and_exit_2(tmp_path):
    f = tmp_path / "pool.yaml"
    f.write_text(
        "name: x\nhost: a\npartners: {a: A}\ncontributions: {2025: {a: lots}}\noutturn: {2025: 5}\n"
    )
    res = runner.invoke(app, ["pool", str(f), "--json"])
    assert res.exit_code == 2
    err = json.loads(res.stdout)
    p = err["problems"][0]
    assert (
        p["file"] == "pool.yaml" and p["column"] == "contributions.2025.a" and p["value"] == "lots"
    )
    assert p["fix"]


def test_unknown_report_type(tmp_path):
    res = runner.invoke(app, [*COMMANDS["pool"], "--out", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2
    assert not (tmp_path / "x.pdf").exists()


def test_registered_in_root_cli():
    from wholeplace.cli import app as root

    res = CliRunner().invoke(root, ["sharing", "--help"])
    assert res.exit_code == 0 and "gainshare" in res.stdout
