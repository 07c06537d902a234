import json
from pathlib import Path

from typer.testing import CliRunner

from wholeplace.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.output


def test_init_partners_log_round_trip(tmp_path: Path) -> None:
    place = tmp_path / "p"
    code, out = run("init", str(place), "--name", "Shire", "--population", "1000", "--json")
    assert code == 0
    assert json.loads(out)["migrations"][0] == "0001_core.sql"
    code, out = run(
        "partners",
        "add",
        "--id",
        "cc",
        "--name",
        "Shire CC",
        "--type",
        "County Council",
        "--group",
        "County council",
        "--sector",
        "Local government",
        "-w",
        str(place),
    )
    assert code == 0, out
    code, out = run("partners", "list", "--json", "-w", str(place))
    assert json.loads(out)[0]["type"] == "county council"
    code, out = run("log", "--json", "-w", str(place))
    assert [e["action"] for e in json.loads(out)] == ["partners add", "init"]


def test_import_errors_exit_2_with_json_problems(tmp_path: Path) -> None:
    place = tmp_path / "p"
    run("init", str(place), "--name", "Shire")
    bad = tmp_path / "bad.csv"
    bad.write_text("partner,year,service,amount_gbp\nnobody,2024/25,EDU,ten\n")
    code, out = run("spend", "import", str(bad), "--json", "-w", str(place))
    assert code == 2
    data = json.loads(out)
    assert data["error"] == "2 problems found; nothing was written"
    assert {(p["row"], p["column"], p["value"]) for p in data["problems"]} == {
        (2, "partner", "nobody"),
        (2, "amount_gbp", "ten"),
    }


def test_missing_workspace_is_a_plain_error(tmp_path: Path) -> None:
    code, out = run("spend", "map", "-w", str(tmp_path / "nowhere"))
    assert code == 2
    assert "No place found" in out and "wholeplace init" in out
    assert "Traceback" not in out
