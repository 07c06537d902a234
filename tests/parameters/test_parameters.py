"""Parameters as data: every file names its source, and a place's own value is used and audited."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from wholeplace import parameters
from wholeplace.cli import app
from wholeplace.errors import InputError

D = Decimal
SRC = Path(resources.files("wholeplace"))  # type: ignore[arg-type]
runner = CliRunner()


def _files() -> list[Path]:
    return sorted((SRC / "parameters").rglob("*.yaml"))


def test_there_are_parameter_files_and_names_match_them() -> None:
    assert len(_files()) >= 3
    assert parameters.names() == sorted(
        str(p.relative_to(SRC / "parameters").with_suffix("")).replace("/", ".") for p in _files()
    )


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_every_parameter_file_names_source_edition_licence_and_dates(path: Path) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("description", "edition", "licence", "kind"):
        assert str(raw.get(key) or "").strip(), f"{path.name}: no {key}"
    for key in ("title", "publisher", "url"):
        assert str(raw["source"].get(key) or "").strip(), f"{path.name}: source has no {key}"
    assert raw["source"]["url"].startswith("https://")
    assert raw["values"], f"{path.name}: no values"
    for d in raw["values"]:
        date.fromisoformat(str(d))  # every value keyed by its effective date


def test_shipped_data_files_carry_provenance_too() -> None:
    """The payment-by-results scheme and the service taxonomy name the same fields."""
    pbr = yaml.safe_load((SRC / "data/sharing/troubled_families_2012.yaml").read_text("utf-8"))
    tax = yaml.safe_load((SRC / "data/taxonomy/taxonomy.yaml").read_text("utf-8"))
    for raw in (pbr, tax):
        prov = raw["provenance"]
        for key in ("title", "publisher", "url"):
            assert prov["source"][key]
        assert prov["edition"] and prov["licence"]
        eff = prov["effective"]
        assert date.fromisoformat(str(eff["from"]))
    assert str(pbr["provenance"]["effective"]["from"]) == "2012-04-01"
    assert str(pbr["provenance"]["effective"]["to"]) == "2015-03-31"


def test_load_the_green_book_schedule_and_grades() -> None:
    gb = parameters.load("discount_rate.green_book")
    assert gb.value == ((0, D("0.035")), (31, D("0.03")), (76, D("0.025")))
    assert gb.effective_from == date(2003, 1, 1) and gb.override is None
    assert gb.parameter.source.publisher == "HM Treasury"
    ob = parameters.load("optimism_bias.confidence_grades")
    assert ob.value == {
        1: D("0"),
        2: D("0.05"),
        3: D("0.10"),
        4: D("0.15"),
        5: D("0.25"),
        6: D("0.40"),
    }
    with pytest.raises(InputError):  # before the first effective date there is no value
        parameters.load("discount_rate.green_book_health", on=date(2010, 1, 1))
    with pytest.raises(InputError):
        parameters.load("discount_rate.nonsense")


def test_override_checked_used_reset_and_audited(ws) -> None:
    name = "discount_rate.green_book"
    with pytest.raises(InputError):
        parameters.override(ws, name, {"2020-04-01": [{"from_year": 1, "rate": 0.05}]}, "x")
    with pytest.raises(InputError):
        parameters.override(ws, name, {"2020-04-01": [{"from_year": 0, "rate": 1.5}]}, "x")
    with pytest.raises(InputError):
        parameters.override(ws, name, {"2020-04-01": [{"from_year": 0, "rate": 0.05}]}, " ")
    ov = parameters.override(ws, name, {"2020-04-01": [{"from_year": 0, "rate": 0.05}]}, "why")
    assert ov.values == {date(2020, 4, 1): ((0, D("0.05")),)}
    got = parameters.load(name, ws=ws)
    assert got.value == ((0, D("0.05")),) and got.override is not None
    # before the override takes effect the shipped value still applies
    assert parameters.load(name, on=date(2019, 1, 1), ws=ws).value[0] == (0, D("0.035"))
    assert parameters.load(name).override is None  # without the place: the shipped value
    assert parameters.reset(ws, name) is True and parameters.reset(ws, name) is False
    assert parameters.load(name, ws=ws).override is None
    actions = [(e.action, e.detail.get("name")) for e in ws.audit_log()]
    assert actions[:2] == [("parameters.reset", name), ("parameters.set", name)]


def _appraisal(tmp_path: Path) -> Path:
    f = tmp_path / "a.yaml"
    f.write_text(
        "appraisal: {name: T, price_year: 2015/16, start_year: 2015/16, years: 2, "
        "discount_rate: green_book}\n"
        "costs:\n  - {description: c, agency: Council, type: revenue, confidence: 2, "
        "amounts: [0, 1100]}\n",
        encoding="utf-8",
    )
    return f


def test_an_override_is_used_by_cba_run_and_appears_in_the_log(tmp_path: Path) -> None:
    place = tmp_path / "place"
    assert runner.invoke(app, ["init", str(place), "--name", "P"]).exit_code == 0
    f = _appraisal(tmp_path)
    # shipped: 1100 x 1.05 (grade 2 bias) / 1.035 = 1115.942028... -> £1,115.94
    res = runner.invoke(app, ["cba", "run", str(f), "-w", str(place), "--json"])
    assert json.loads(res.stdout)["pv_costs"] == "1115.94"
    ov = tmp_path / "ov.yaml"
    ov.write_text('values:\n  "2015-04-01": [{from_year: 0, rate: 0.10}]\n', encoding="utf-8")
    res = runner.invoke(
        app,
        ["parameters", "set", "discount_rate.green_book", str(ov), "--reason", "local test",
         "-w", str(place), "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    grades = tmp_path / "grades.yaml"
    grades.write_text(
        'reason: our own evidence\nvalues:\n  "2015-04-01": {1: 0, 2: 0.5, 3: 0.5, 4: 0.5, '
        "5: 0.5, 6: 0.5}\n",
        encoding="utf-8",
    )
    res = runner.invoke(
        app,
        ["parameters", "set", "optimism_bias.confidence_grades", str(grades), "-w", str(place)],
    )
    assert res.exit_code == 0, res.output
    # the place's own: 1100 x 1.5 / 1.10 = £1,500.00
    res = runner.invoke(app, ["cba", "run", str(f), "-w", str(place), "--json"])
    assert json.loads(res.stdout)["pv_costs"] == "1500.00"
    # the same appraisal outside the place still uses the shipped parameters
    res = runner.invoke(app, ["cba", "run", str(f), "-w", str(tmp_path), "--json"])
    assert json.loads(res.stdout)["pv_costs"] == "1115.94"
    log = json.loads(runner.invoke(app, ["log", "-w", str(place), "--json"]).stdout)
    sets = [e for e in log if e["action"] == "parameters.set"]
    assert [e["detail"]["name"] for e in sets] == [
        "optimism_bias.confidence_grades",
        "discount_rate.green_book",
    ]
    assert sets[1]["detail"]["reason"] == "local test"
    assert sets[1]["detail"]["values"] == {"2015-04-01": [{"from_year": 0, "rate": "0.1"}]}
    shown = json.loads(
        runner.invoke(
            app, ["parameters", "show", "discount_rate.green_book", "-w", str(place), "--json"]
        ).stdout
    )
    assert shown["overridden"] and shown["override"]["reason"] == "local test"
    res = runner.invoke(
        app, ["parameters", "reset", "discount_rate.green_book", "-w", str(place), "--json"]
    )
    assert json.loads(res.stdout) == {"name": "discount_rate.green_book", "reset": True}


def test_parameters_list_json(tmp_path: Path) -> None:
    res = runner.invoke(app, ["parameters", "list", "-w", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    rows = {r["name"]: r for r in json.loads(res.stdout)}
    assert rows["discount_rate.green_book"]["value"][1] == {"from_year": 31, "rate": "0.03"}
    assert rows["discount_rate.green_book_health"]["value"][0]["rate"] == "0.015"
    assert not any(r["overridden"] for r in rows.values())


def test_set_needs_a_place_and_a_valid_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rate: 0.1\n", encoding="utf-8")
    res = runner.invoke(
        app, ["parameters", "set", "discount_rate.green_book", str(bad), "-w", str(tmp_path)]
    )
    assert res.exit_code == 2  # no place here
    place = tmp_path / "p"
    runner.invoke(app, ["init", str(place), "--name", "P"])
    res = runner.invoke(
        app,
        ["parameters", "set", "discount_rate.green_book", str(bad), "-w", str(place), "--json"],
    )
    assert res.exit_code == 2 and json.loads(res.stdout)["problems"][0]["column"] == "values"
