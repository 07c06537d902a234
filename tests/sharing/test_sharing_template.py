"""`wholeplace sharing template KIND OUT [--workspace]`: starting files (issue 12)."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wholeplace.commands.sharing import app
from wholeplace.partners import Partner, upsert
from wholeplace.sharing import service
from wholeplace.sharing.staff_recharges import load_recharges
from wholeplace.sharing.templates import write_template
from wholeplace.workspace import Workspace

DATA = Path(str(resources.files("wholeplace") / "data" / "sharing"))
runner = CliRunner()
PLACE = [
    Partner("lcc", "Lancashire County Council", "county council", "County council", "LG"),
    Partner("bc", "Burnley Borough Council", "district", "District councils", "LG"),
    Partner("icb", "NHS Lancashire ICB", "nhs commissioner", "NHS", "Health"),
]


@pytest.mark.parametrize(
    ("kind", "name", "example"),
    [
        ("pool", "p.yaml", "pool_example.yaml"),
        ("gainshare", "g.yaml", "gainshare_example.yaml"),
        ("recharges", "r.csv", "staff_example.csv"),
    ],
)
def test_without_a_place_the_template_is_the_worked_example_and_runs(
    tmp_path: Path, kind: str, name: str, example: str
) -> None:
    out = tmp_path / name
    res = runner.invoke(app, ["template", kind, str(out)], catch_exceptions=False)
    assert res.exit_code == 0
    assert " ".join(res.output.split()) == (
        f"Wrote {out}. Fill it in, then: wholeplace sharing {kind} {out}"
    )
    assert out.read_bytes() == (DATA / example).read_bytes()
    assert runner.invoke(app, [kind, str(out)]).exit_code == 0


def test_with_a_place_the_templates_name_its_partners(tmp_path: Path) -> None:
    may = date(2025, 5, 1)  # in 2025/26
    pool = write_template("pool", tmp_path / "p.yaml", PLACE, may)
    result = service.pool(pool, place=PLACE)
    assert result.pool.partners == {
        "lcc": "Lancashire County Council",
        "bc": "Burnley Borough Council",
        "icb": "NHS Lancashire ICB",
    }
    assert result.pool.host == "lcc" and [y.year for y in result.years] == ["2025/26"]
    assert [(r.partner, r.cash, r.net_cost) for r in result.years[0].rows] == [
        ("lcc", 0, 0),
        ("bc", 0, 0),
        ("icb", 0, 0),
    ]
    share = service.gainshare(
        write_template("gainshare", tmp_path / "g.yaml", PLACE, may), place=PLACE
    )
    assert [(p.id, p.name) for p in share.agreement.partners] == [(p.id, p.name) for p in PLACE]
    assert share.agreement.years == ["2025/26"]
    staff = write_template("recharges", tmp_path / "r.csv", PLACE, may)
    assert staff.read_text().splitlines() == [
        "staff_id,name,employer,annual_cost,lcc,bc,icb",
        "S1,A shared post,lcc,0,100,0,0",
    ]
    assert load_recharges(staff, None, "2025/26").partners == ["lcc", "bc", "icb"]


def test_template_command_reads_the_place(tmp_path: Path) -> None:
    where = tmp_path / "place"
    ws = Workspace.create(where, "Lancashire")
    with ws.write("partners"):
        upsert(ws, PLACE)
    ws.close()
    out = tmp_path / "p.yaml"
    res = runner.invoke(app, ["template", "pool", str(out), "--workspace", str(where)])
    assert res.exit_code == 0, res.output
    assert "  bc: Burnley Borough Council\n" in out.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["budget", "x.yaml"], "there is no 'budget' template"),
        (["pool", "x.csv"], "the pool template is a .yaml file"),
    ],
)
def test_a_wrong_kind_or_suffix_stops_and_writes_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / args[1]
    res = runner.invoke(app, ["template", args[0], str(out), "--json"])
    assert res.exit_code == 2
    assert message in json.loads(res.output)["error"]
    assert not out.exists()
