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


def _pool(data: dict) -> None:
    # pool_example.yaml: the pool's 2024/25 overspend of 150,000 (docs/sharing.md).
    assert data["years"][0]["variance"] == "150000.00"
    assert data["balanced"] is True


def _gainshare(data: dict) -> None:
    # docs/sharing.md, "Worked example": totals, and each year's joint net benefit
    # (-200,000, 10,000, 190,000, 200,000) shared 11:11:8 by the Shapley value, penny-exact
    # (the odd penny of equal remainders to the first partner).
    assert data["joint_net"]["undiscounted"] == "200000.00"
    parts = {p["id"]: p for p in data["partners"]}
    assert {k: (p["investment"], p["benefit"]) for k, p in parts.items()} == {
        "lcc": ("300000.00", "100000.00"),
        "police": ("0.00", "240000.00"),
        "nhs": ("0.00", "160000.00"),
    }
    assert parts["lcc"]["before_by_year"] == {
        "2025/26": "-200000.00",
        "2026/27": "-80000.00",
        "2027/28": "40000.00",
        "2028/29": "40000.00",
    }
    # -200,000 + (20,000 - 100,000)/1.035 + 40,000/1.035^2 + 40,000/1.035^3
    assert parts["lcc"]["before"]["discounted"] == "-203876.55"
    assert parts["lcc"]["after_by_year"] == {
        "2025/26": "-73333.34",  # -200,000 x 11/30 = -73,333.33.., the odd penny first
        "2026/27": "3666.67",  # 10,000 x 11/30
        "2027/28": "69666.67",  # 190,000 x 11/30
        "2028/29": "73333.34",  # 200,000 x 11/30, the odd penny first
    }
    assert parts["nhs"]["after_by_year"]["2025/26"] == "-53333.33"  # -200,000 x 8/30
    assert data["payments"][:2] == [
        {"year": "2025/26", "payer": "police", "receiver": "lcc", "amount": "73333.33"},
        {"year": "2025/26", "payer": "nhs", "receiver": "lcc", "amount": "53333.33"},
    ]


def _claim(data: dict) -> None:
    # The 2012 framework: attachment fee 4,000 x 80 % / 60 % / 40 % by the year a family
    # joined (2012/13, 2013/14, 2014/15): 3,200, 2,400, 1,600; results paid at that year's
    # rate (education, crime and ASB 700 / 1,400 / 2,100; progress to work 100 / 200 / 300;
    # continuous employment 800 / 1,600 / 2,400).
    assert (data["families"], data["claimable"]) == (6, 4)
    claims = {
        c["family_id"]: (c["programme_year"], c["attachment_fee"], c["results_amount"])
        for c in data["claims"]
    }
    assert claims == {
        "F001": ("2012/13", "3200.00", "700.00"),
        "F002": ("2013/14", "2400.00", "1600.00"),
        "F003": ("2013/14", "2400.00", "200.00"),
        "F006": ("2014/15", "1600.00", "2100.00"),
    }
    # Attachment fees are paid on the authority's allocation, not per family (issue 10), so
    # the claim has no per-family fee total. The year-2 and year-3 result amounts are not
    # confirmed by the published sources: F002's 1,600 and F003's 200 (2013/14) and F006's
    # 2,100 (2014/15) = 3,900 of the 4,600; F001's 700 (2012/13) is confirmed.
    assert data["totals"] == {
        "education_crime_asb": "2800.00",  # 700 + 2,100
        "progress_to_work": "200.00",
        "continuous_employment": "1600.00",
        "results_total": "4600.00",
        "unconfirmed_total": "3900.00",
    }


def _forecast(data: dict) -> None:
    # Central: 40 % / 10 % / 10 % of each cohort achieve each result, paid a year later.
    central = data["scenarios"]["central"]
    assert [(y["year"], y["attachment_income"], y["results_income"]) for y in central["years"]] == [
        ("2012/13", "640000.00", "0.00"),  # 200 x 3,200
        ("2013/14", "480000.00", "74000.00"),  # 200 x 2,400; 200 x (.4 x 700 + .1 x 100 + .1 x 800)
        ("2014/15", "160000.00", "148000.00"),  # 100 x 1,600; 200 x (.4 x 1,400 + 20 + 160)
        ("2015/16", "0.00", "111000.00"),  # 100 x (.4 x 2,100 + .1 x 300 + .1 x 2,400)
    ]
    # income 1,613,000 less costs 4,000,000
    assert (central["income"], central["costs"], central["net"]) == (
        "1613000.00",
        "4000000.00",
        "-2387000.00",
    )


def _recharges(data: dict) -> None:
    # S1 60,000 (lcc) 50/30/20: 7,500 / 4,500 / 3,000 a quarter. S2 50,000.03 (icb) 25/60/15:
    # quarters 12,500.01 x 3 and 12,500.00, each split 3,125.00 / 7,500.01 (the spare penny to
    # the largest remainder) / 1,875.00. S3 30,000 (bc) 50/0/50: 3,750 / 0 / 3,750.
    # True-up: S1 actual 62,000 at 40/40/20 is 24,800 / 24,800 / 12,400 against 30,000 /
    # 18,000 / 12,000 billed; S3 actual 28,000 is 14,000 each against 15,000.
    assert data["by_partner"] == {
        "lcc": {
            **{q: "14375.00" for q in ("Q1", "Q2", "Q3", "Q4")},
            "billed": "57500.00",
            "true_up": "-6200.00",  # -5,200 - 1,000
            "final": "51300.00",
        },
        "icb": {
            **{q: "12000.01" for q in ("Q1", "Q2", "Q3")},
            "Q4": "12000.00",
            "billed": "48000.03",
            "true_up": "6800.00",
            "final": "54800.03",
        },
        "bc": {
            **{q: "8625.00" for q in ("Q1", "Q2", "Q3", "Q4")},
            "billed": "34500.00",
            "true_up": "-600.00",  # +400 - 1,000
            "final": "33900.00",
        },
    }
    assert data["true_up"] == [
        {"staff_id": "S1", "partner": "lcc", "amount": "-5200.00"},
        {"staff_id": "S1", "partner": "icb", "amount": "6800.00"},
        {"staff_id": "S1", "partner": "bc", "amount": "400.00"},
        {"staff_id": "S3", "partner": "lcc", "amount": "-1000.00"},
        {"staff_id": "S3", "partner": "bc", "amount": "-1000.00"},
    ]
    rec = data["reconciliation"]
    assert (rec["shared_cost"], rec["difference"], rec["balanced"]) == ("140000.03", "0.00", True)


CHECKS = {
    "pool": _pool,
    "gainshare": _gainshare,
    "claim": _claim,
    "forecast": _forecast,
    "recharges": _recharges,
}


@pytest.mark.parametrize("name", COMMANDS)
def test_commands_json_and_reports(name, tmp_path):
    res = run(*COMMANDS[name], "--json")
    assert res.exit_code == 0, res.output
    CHECKS[name](json.loads(res.stdout))
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
    res = runner.invoke(app, [*COMMANDS["pool"], "--out", str(tmp_path / "x.docx")])
    assert res.exit_code == 2
    assert not (tmp_path / "x.docx").exists()


def test_registered_in_root_cli():
    from wholeplace.cli import app as root

    res = CliRunner().invoke(root, ["sharing", "--help"])
    assert res.exit_code == 0 and "gainshare" in res.stdout


def test_a_fixed_gain_share_naming_an_unknown_partner_is_refused_with_the_table():
    res = runner.invoke(app, [*COMMANDS["gainshare"], "--rule", "fixed:lcc=60,zz=40", "--json"])
    assert res.exit_code == 2
    problems = [
        (p["column"], p["value"], p["message"], p["fix"])
        for p in json.loads(res.stdout)["problems"]
    ]
    assert problems == [
        ("rule.fixed", "zz", "unknown partner", "use one of: lcc, police, nhs"),
        (
            "rule.fixed",
            "lcc: 60%",
            "fixed shares add up to 60%, not 100%",
            "make them add up to exactly 100",
        ),
    ]


def test_the_claim_report_answers_first(tmp_path: Path) -> None:
    # docs/sharing.md: four of the six families have a result, £4,600.00 in all, of which
    # F002's £1,600, F003's £200 and F006's £2,100 = £3,900.00 rest on unconfirmed figures
    out = tmp_path / "claim.html"
    assert run(*COMMANDS["claim"], "--out", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    answer = html[html.index('id="answer"') :]
    answer = answer[: answer.index("</section>")]
    assert (
        "4 of the 6 families checked on 2015-03-31 have a result to claim, worth £4,600.00 "
        "in results payments; £3,900.00 of it rests on payments the published sources do "
        "not confirm."
    ) in answer
    assert "Source:" not in answer
