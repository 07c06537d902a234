"""The sharing schedules name partners by name, and `--workspace` takes the names from the
place's partner register (issue 12: "lcc pays bc" is not a legal schedule)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from wholeplace.commands.sharing import app
from wholeplace.partners import Partner, upsert
from wholeplace.workspace import Workspace

DATA = Path(str(resources.files("wholeplace") / "data" / "sharing"))
runner = CliRunner()

# One investor (a: costs 500) and four partners that each gain 250, shared equally with no
# discounting: the net gain 4 x 250 - 500 = 500 is 100 each, so a ends +100 after receiving
# 600, and b, c, d and e each pay 250 - 100 = 150; payers settle in the order listed.
FIVE = """\
name: Five
years: ["2025-26"]
discount_rate: 0
partners:
  a: {costs: [500], benefits: [0]%s}
  b: {costs: [0], benefits: [250]}
  c: {costs: [0], benefits: [250]}
  d: {costs: [0], benefits: [250]}
  e: {costs: [0], benefits: [250]}
rule: %s
"""
PLACE = [
    Partner("a", "Lancashire County Council", "county council", "County council", "LG"),
    Partner("b", "Burnley Borough Council", "district", "District councils", "LG"),
    Partner("c", "Lancashire Police", "police", "Police", "Police"),
    Partner("d", "NHS Lancashire ICB", "nhs commissioner", "NHS", "Health"),
    Partner("e", "DWP", "dwp", "DWP", "Central government"),
    Partner("icb", "NHS Integrated Care Board", "nhs commissioner", "NHS", "Health"),
    Partner("lcc", "Lancashire County Council (host)", "county council", "County", "LG"),
    Partner("bc", "Borough Council", "district", "District councils", "LG"),
]


def _place(tmp_path: Path) -> Path:
    where = tmp_path / "place"
    ws = Workspace.create(where, "Lancashire")
    with ws.write("partners"):
        upsert(ws, PLACE)
    ws.close()
    return where


def _payments(output: str) -> list[list[str]]:
    rows = []
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) == 4 and cells[0] == "2025/26":
            rows.append(cells)
    return rows


def test_payments_name_partners_by_name_not_id(tmp_path: Path) -> None:
    f = tmp_path / "five.yaml"
    f.write_text(FIVE % (", name: Investor", "equal"))
    res = runner.invoke(app, ["gainshare", str(f)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert _payments(res.output) == [
        ["2025/26", who, "Investor", "£150.00"] for who in ("b", "c", "d", "e")
    ]


def test_workspace_names_every_partner_as_the_place_does(tmp_path: Path) -> None:
    place = _place(tmp_path)
    f = tmp_path / "five.yaml"
    f.write_text(FIVE % ("", "'fixed:a=20,b=20,c=20,d=20,e=20'"))
    res = runner.invoke(app, ["gainshare", str(f), "--workspace", str(place)])
    assert res.exit_code == 0, res.output
    # fixed equal shares: the same 150 from each of b..e to a as the equal rule
    assert _payments(res.output) == [
        ["2025/26", "Burnley Borough Council", "Lancashire County Council", "£150.00"],
        ["2025/26", "Lancashire Police", "Lancashire County Council", "£150.00"],
        ["2025/26", "NHS Lancashire ICB", "Lancashire County Council", "£150.00"],
        ["2025/26", "DWP", "Lancashire County Council", "£150.00"],
    ]
    assert "fixed shares (Lancashire County Council 20%, Burnley Borough Council 20%" in (
        " ".join(res.output.split())
    )
    res = runner.invoke(app, ["gainshare", str(f), "-w", str(place), "--json"])
    data = json.loads(res.output)
    assert data["rule"].startswith("fixed shares (Lancashire County Council 20%")


def test_workspace_names_the_pool_partners(tmp_path: Path) -> None:
    place = _place(tmp_path)
    res = runner.invoke(
        app, ["pool", str(DATA / "pool_example.yaml"), "--workspace", str(place), "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["partners"] == {
        "lcc": "Lancashire County Council (host)",
        "icb": "NHS Integrated Care Board",
        "bc": "Borough Council",
    }


def test_an_id_the_place_does_not_know_is_refused_and_nothing_written(tmp_path: Path) -> None:
    place = _place(tmp_path)
    f = tmp_path / "five.yaml"
    f.write_text(FIVE.replace("  e: {", "  zz: {") % ("", "equal"))
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["gainshare", str(f), "-w", str(place), "-o", str(out), "--json"])
    assert res.exit_code == 2
    (problem,) = json.loads(res.output)["problems"]
    assert (problem["file"], problem["value"]) == ("five.yaml", "zz")
    assert problem["message"] == "not a partner of the place"
    assert "a (Lancashire County Council)" in problem["fix"]
    assert not out.exists()


def test_workspace_names_the_recharges_partners(tmp_path: Path) -> None:
    """A post of £1,000 employed by lcc, 50 % for lcc and 50 % for bc: each quarter
    £125.00 is borne by each, so Borough Council is billed £500.00 over the year, and its
    schedule says so by name."""
    place = _place(tmp_path)
    staff = tmp_path / "staff.csv"
    staff.write_text("staff_id,name,employer,annual_cost,lcc,bc\nS1,Post,lcc,1000,50,50\n")
    out = tmp_path / "r.html"
    res = runner.invoke(
        app, ["recharges", str(staff), "-w", str(place), "-o", str(out)], env={"COLUMNS": "200"}
    )
    assert res.exit_code == 0, res.output
    assert "│ Borough Council " in res.output and "│ bc " not in res.output
    html = out.read_text(encoding="utf-8")
    assert (
        "Lancashire County Council (host) bills Borough Council £500.00 over the year for "
        "Lancashire County Council (host)&#x27;s staff."
        in html
        or "Lancashire County Council (host) bills Borough Council £500.00 over the year for "
        "Lancashire County Council (host)'s staff."
        in html
    )
    data = json.loads(
        runner.invoke(app, ["recharges", str(staff), "-w", str(place), "--json"]).output
    )
    assert data["partner_names"] == {
        "lcc": "Lancashire County Council (host)",
        "bc": "Borough Council",
    }
    assert data["by_partner"]["bc"]["billed"] == "500.00"
