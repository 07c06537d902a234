"""Sharing amounts given to more than the penny are rounded with a notice, as the spend
imports give it (issue 11, item 6): in the command's output and in ``notices`` in --json."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from wholeplace.commands.sharing import app

DATA = Path(str(resources.files("wholeplace") / "data" / "sharing"))
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def _pool_yaml(tmp_path: Path) -> Path:
    # the shipped example with the ICB's 2024-25 contribution given to a tenth of a penny
    text = (DATA / "pool_example.yaml").read_text(encoding="utf-8")
    assert "    icb: 300000\n" in text
    f = tmp_path / "pool.yaml"
    f.write_text(text.replace("    icb: 300000\n", "    icb: 300000.005\n"), encoding="utf-8")
    return f


def test_pool_yaml_rounded_amount_is_noticed(tmp_path):
    f = _pool_yaml(tmp_path)
    res = run("pool", str(f), "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    [notice] = out["notices"]
    assert notice["kind"] == "rounded" and notice["count"] == 1 and notice["file"] == "pool.yaml"
    assert notice["message"] == (
        "1 amount had more than 2 decimal places and was rounded to the penny (half up): "
        "at contributions.2024-25.icb"
    )
    # 300000.005 rounded half up is 300000.01
    y = next(y for y in out["years"] if y["year"] == "2024/25")
    icb = next(r for r in y["partners"] if r["partner"] == "icb")
    assert Decimal(str(icb["cash"])) == Decimal("300000.01")
    text = run("pool", str(f))
    assert text.exit_code == 0
    assert "note:" in text.output and "rounded to the penny" in text.output


def test_pool_yaml_to_the_penny_has_no_notice():
    out = json.loads(run("pool", str(DATA / "pool_example.yaml"), "--json").output)
    assert out["notices"] == []


def test_pool_workbook_rounded_amount_is_noticed(tmp_path):
    from pool_workbook import write_pool_workbook

    f = tmp_path / "pool.xlsx"
    write_pool_workbook(
        f,
        [
            ["year", "partner", "cash", "in_kind"],
            ["2024-25", "lcc", 500000, 100000],
            ["2024-25", "icb", 300000.125, None],
            ["2024-25", "bc", 100000, None],
            ["2025-26", "lcc", 520000, 100000.999],
            ["2025-26", "icb", 310000, None],
            ["2025-26", "bc", 70000, None],
        ],
    )
    out = json.loads(run("pool", str(f), "--json").output)
    [notice] = out["notices"]
    assert notice["count"] == 2 and notice["file"] == "pool.xlsx"
    assert "2 amounts had more than 2 decimal places" in notice["message"]


def test_recharges_rounded_cost_is_noticed(tmp_path):
    # the shipped staff list, with S1's cost to a tenth of a penny (line 2 of the CSV)
    text = (DATA / "staff_example.csv").read_text(encoding="utf-8")
    f = tmp_path / "staff.csv"
    f.write_text(text.replace(",lcc,60000,", ",lcc,60000.004,"), encoding="utf-8")
    res = run("recharges", str(f), "--json")
    assert res.exit_code == 0, res.output
    [notice] = json.loads(res.output)["notices"]
    assert notice["file"] == "staff.csv" and notice["count"] == 1 and notice["rows"] == [2]
    assert notice["message"].endswith("row 2")
    plain = run("recharges", str(f))
    assert "note:" in plain.output and "rounded to the penny" in plain.output
    ok = json.loads(run("recharges", str(DATA / "staff_example.csv"), "--json").output)
    assert ok["notices"] == []


def test_gainshare_rounded_flow_is_noticed(tmp_path):
    text = (DATA / "gainshare_example.yaml").read_text(encoding="utf-8")
    old = "benefits: [0, 60000, 90000, 90000]"
    assert old in text
    f = tmp_path / "gain.yaml"
    f.write_text(text.replace(old, "benefits: [0, 60000.555, 90000, 90000]"), encoding="utf-8")
    res = run("gainshare", str(f), "--json")
    assert res.exit_code == 0, res.output
    [notice] = json.loads(res.output)["notices"]
    assert notice["count"] == 1 and "partners.police.benefits[2]" in notice["message"]
    plain = run("gainshare", str(f))
    assert "note:" in plain.output and "rounded to the penny" in plain.output
