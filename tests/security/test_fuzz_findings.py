"""Crashes the fuzz test (test_fuzz.py) found, each pinned by the smallest input that showed it.

Each was a traceback where the problem table belongs (issue 11, item 4); each is now refused
with the problem table, exit code 2 on the command line, and nothing written.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from importlib import resources
from pathlib import Path

import fuzz_seeds as seeds
import pytest
from fuzzing import workbook_bytes
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.workspace import Workspace

SHARING = Path(str(resources.files("wholeplace") / "data" / "sharing"))

# Each command that reads a YAML file a person gives, with the arguments around the file.
YAML_COMMANDS = [
    pytest.param(lambda f: ["cba", "run", f], id="cba run"),
    pytest.param(lambda f: ["sharing", "pool", f], id="sharing pool"),
    pytest.param(lambda f: ["sharing", "gainshare", f], id="sharing gainshare"),
    pytest.param(lambda f: ["sharing", "pbr", "forecast", f], id="sharing pbr forecast"),
    pytest.param(
        lambda f: ["sharing", "pbr", "claim", f, str(SHARING / "families_example.csv")],
        id="sharing pbr claim",
    ),
    pytest.param(
        lambda f: ["parameters", "set", "discount_rate.green_book", f, "-w", "{place}"],
        id="parameters set",
    ),
]


def _invoke(tmp_path: Path, argv: list[str]) -> tuple[int, dict[str, object], str]:
    place = tmp_path / "place"
    if "{place}" in argv and not place.exists():
        Workspace.create(place, "P").close()
    argv = [str(place) if a == "{place}" else a for a in argv]
    res = CliRunner().invoke(app, [*argv, "--json"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, json.loads(res.stdout) if res.exit_code == 2 else {}, res.output


# Found by the fuzz test's "yaml-syntax" strategy: PyYAML's constructors raise ValueError,
# KeyError or AttributeError (not a YAMLError) for an explicit tag whose value does not fit.
@pytest.mark.parametrize("command", YAML_COMMANDS)
@pytest.mark.parametrize(
    "value", ["!!int abc", "!!float x", "!!bool maybe", "!!timestamp 2024-13-45x", "!!int 0x"]
)
def test_a_tag_its_value_does_not_fit_is_refused(tmp_path: Path, command, value: str) -> None:
    f = tmp_path / "tagged.yaml"
    f.write_text(f"name: {value}\nvalues:\n  x: {value}\n", encoding="utf-8")
    code, out, text = _invoke(tmp_path, command(str(f)))
    assert code == 2, text
    (problem,) = out["problems"]  # type: ignore[misc]
    assert problem["file"] == "tagged.yaml" and "tag" in problem["message"]


# Found by the "random-bytes", "empty" and "encoding" strategies: the sharing files and a
# place's parameters were decoded without a check, so UnicodeDecodeError reached the user.
@pytest.mark.parametrize("command", YAML_COMMANDS)
@pytest.mark.parametrize(
    "content",
    [
        pytest.param("name: Café\n".encode("utf-16"), id="utf-16"),
        pytest.param("name: Café\n".encode("cp1252"), id="windows-1252"),
        pytest.param(b"\xff", id="one-byte"),
    ],
)
def test_a_yaml_file_not_in_utf8_is_refused(tmp_path: Path, command, content: bytes) -> None:
    f = tmp_path / "notes.yaml"
    f.write_bytes(content)
    code, out, text = _invoke(tmp_path, command(str(f)))
    assert code == 2, text
    (problem,) = out["problems"]  # type: ignore[misc]
    assert problem["file"] == "notes.yaml" and "not UTF-8" in problem["message"]
    assert "UTF-8" in problem["fix"]


# Found by the "truncated" strategy on a forecast: its scheme path cut short named a
# folder (IsADirectoryError); the "unicode" one made a name too long for the file system.
@pytest.mark.parametrize("scheme", ["{folder}", "x" * 300 + ".yaml"])
def test_a_forecast_naming_a_folder_or_an_impossible_scheme_is_refused(
    tmp_path: Path, scheme: str
) -> None:
    doc = seeds.forecast_doc()
    if scheme == "{folder}":  # a folder beside the forecast, named as a scheme file
        (tmp_path / "scheme.yaml").mkdir()
        scheme = "scheme.yaml"
    doc["scheme"] = scheme
    f = tmp_path / "forecast.yaml"
    f.write_bytes(seeds.dump_yaml(doc))
    code, out, text = _invoke(tmp_path, ["sharing", "pbr", "forecast", str(f)])
    assert code == 2, text
    (problem,) = out["problems"]  # type: ignore[misc]
    assert "cannot be read" in problem["message"]


def test_parameters_set_on_a_folder_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "values.yaml"
    folder.mkdir()
    code, out, text = _invoke(
        tmp_path, ["parameters", "set", "discount_rate.green_book", str(folder), "-w", "{place}"]
    )
    assert code == 2, text
    with Workspace.open(tmp_path / "place") as ws:
        assert ws.con.execute("SELECT count(*) FROM parameter_overrides").fetchone() == (0,)


# Found by the "deep-nesting" strategy on a cost-benefit appraisal's by-agency JSON: the
# JSON parser recursed past Python's limit (RecursionError).
def test_gainshare_json_nested_thousands_deep_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "by_agency.json"
    f.write_text('{"la": {"costs": ' + "[" * 100_000 + "]" * 100_000 + "}}", encoding="utf-8")
    code, out, text = _invoke(tmp_path, ["sharing", "gainshare", str(f), "--rule", "equal"])
    assert code == 2, text
    (problem,) = out["problems"]  # type: ignore[misc]
    assert problem["file"] == "by_agency.json" and "cannot read this JSON" in problem["message"]


# Found by the "wrong-values" strategy on the Unit Cost Database: a word in the GDP deflator
# table of the Lookups sheet raised the formula reader's own FormulaError.
@pytest.mark.parametrize("value", ["*a", "n/a", True])
def test_unit_cost_workbook_with_a_word_in_its_deflator_table_is_refused(
    ws: Workspace, tmp_path: Path, value: object
) -> None:
    from wholeplace.cba import service as cba

    sheets = {name: [list(r) for r in rows] for name, rows in seeds.UNITCOSTS.items()}
    sheets["Lookups"][6][2] = value  # 2012/13's change on the previous year
    f = tmp_path / "ucd v1.4.xlsx"
    f.write_bytes(workbook_bytes(sheets))
    with pytest.raises(InputError) as e:
        cba.import_unitcosts(ws, f)
    (p,) = e.value.problems
    assert (p.sheet, p.row, p.column) == ("Lookups", 7, "Change on previous year")
    assert ws.con.execute("SELECT count(*) FROM cba_unit_costs").fetchone() == (0,)


def test_unit_cost_workbook_seed_is_read(ws: Workspace, tmp_path: Path) -> None:
    """The fuzz test's seed is a valid workbook (hand-checked: 4 codes, 6 values)."""
    from wholeplace.cba import service as cba

    f = tmp_path / "ucd v1.4.xlsx"
    f.write_bytes(workbook_bytes(seeds.UNITCOSTS))
    res = cba.import_unitcosts(ws, f)
    assert res.imported == 4 and res.values == 6
    # =3308/40 is evaluated exactly: 82.7; =SUM(H4:H4) is the next row's 45
    assert cba.show("CR1.1", ws).entry.values["fiscal"].amount == Decimal("82.7")
    assert cba.show("HE1.0", ws).entry.values["fiscal"].amount == Decimal("45")


# Found by the "out-of-range" strategy on the appraisal template: with its settings wrong, an
# appraisal's lines were still checked against its number of years, unbounded: years 1e17
# asked for a list of 10^17 values (MemoryError), 1e30 for more than an index holds.
@pytest.mark.parametrize("years", ["1e17", "1e30", ".inf", "1000000000", "101"])
def test_an_appraisal_of_impossibly_many_years_is_refused(tmp_path: Path, years: str) -> None:
    f = tmp_path / "long.yaml"
    f.write_text(
        "appraisal: {name: x, price_year: 2015/16, start_year: 2015/16, "
        f"years: {years}, discount_rate: 0.035}}\n"
        "costs:\n  - {description: a, agency: LA, confidence: 1, amounts: [1, 2]}\n",
        encoding="utf-8",
    )
    code, out, text = _invoke(tmp_path, ["cba", "run", str(f)])
    assert code == 2, text
    assert [p["column"] for p in out["problems"]] == ["appraisal.years"]  # type: ignore[union-attr]


# Found while reading the code the fuzz test pointed at (the same kind as the years above,
# a count from a file sizing a loop): a forecast ran a year for each year of its results lag,
# and the Shapley rule took 2^exact_limit groups or `samples` orders, all unbounded, so a
# few bytes of YAML kept the machine busy for hours.
@pytest.mark.parametrize("lag", [11, 1_000_000_000, "²"])
def test_a_forecast_with_a_results_lag_beyond_ten_years_is_refused(
    tmp_path: Path, lag: object
) -> None:
    doc = seeds.forecast_doc()
    doc["result_lag_years"] = lag
    shutil.copy(seeds.shipped("sharing", doc["scheme"]), tmp_path / doc["scheme"])
    f = tmp_path / "forecast.yaml"
    f.write_bytes(seeds.dump_yaml(doc))
    code, out, text = _invoke(tmp_path, ["sharing", "pbr", "forecast", str(f)])
    assert code == 2, text
    (problem,) = out["problems"]  # type: ignore[misc]
    assert problem["column"] == "result_lag_years" and "0 to 10" in problem["message"]


@pytest.mark.parametrize(
    "settings",
    [{"samples": 100_001}, {"samples": 0}, {"samples": 10**12}, {"exact_limit": 16},
     {"exact_limit": 40}, {"samples": "many"}],
)  # fmt: skip
def test_a_shapley_rule_that_would_run_for_hours_is_refused(
    tmp_path: Path, settings: dict[str, object]
) -> None:
    doc = seeds.shipped_yaml("sharing", "gainshare_example.yaml")
    doc["shapley"] = {**doc["shapley"], **settings}
    f = tmp_path / "deal.yaml"
    f.write_bytes(seeds.dump_yaml(doc))
    code, out, text = _invoke(tmp_path, ["sharing", "gainshare", str(f)])
    assert code == 2, text
    (problem,) = out["problems"]  # type: ignore[misc]
    (key,) = settings
    assert problem["column"] == f"shapley.{key}"


def test_the_shapley_limits_still_accept_the_documented_settings(tmp_path: Path) -> None:
    doc = seeds.shipped_yaml("sharing", "gainshare_example.yaml")
    doc["shapley"] = {"essential": ["lcc"], "samples": 5000, "seed": 1, "exact_limit": 15}
    f = tmp_path / "deal.yaml"
    f.write_bytes(seeds.dump_yaml(doc))
    code, _, text = _invoke(tmp_path, ["sharing", "gainshare", str(f)])
    assert code == 0, text


# Found by the "wrong-values" strategy on a place's own parameters: values given as one value
# or a list, not keyed by date, reached the checker as they were (AttributeError).
@pytest.mark.parametrize("values", ["1899/00", "[0.1, 0.2]", "NaN", "0.035"])
def test_parameter_values_not_keyed_by_date_are_refused(tmp_path: Path, values: str) -> None:
    f = tmp_path / "own.yaml"
    f.write_text(f"reason: our own evidence\nvalues: {values}\n", encoding="utf-8")
    code, out, text = _invoke(
        tmp_path, ["parameters", "set", "discount_rate.green_book", str(f), "-w", "{place}"]
    )
    assert code == 2, text
    (problem,) = out["problems"]  # type: ignore[misc]
    assert problem["column"] == "values" and "mapping" in problem["message"]
    with Workspace.open(tmp_path / "place") as ws:
        assert ws.con.execute("SELECT count(*) FROM parameter_overrides").fetchone() == (0,)


# Found by the "sheets" strategy on the Unit Cost Database: a year repeated in the GDP
# deflator table of the Lookups sheet reached the place's table, whose key refused it
# (ConstraintException), after the workbook had been read as valid.
@pytest.mark.parametrize("rows", [[4, 5, 6, 6, 7, 8, 9], [4, 5, 6, 8, 9], [4, 6, 5, 7, 8, 9]])
def test_unit_cost_workbook_whose_deflator_years_do_not_follow_is_refused(
    ws: Workspace, tmp_path: Path, rows: list[int]
) -> None:
    from wholeplace.cba import service as cba

    sheets = {name: [list(r) for r in rows_] for name, rows_ in seeds.UNITCOSTS.items()}
    sheets["Lookups"] = sheets["Lookups"][:4] + [sheets["Lookups"][i] for i in rows]
    f = tmp_path / "ucd v1.4.xlsx"
    f.write_bytes(workbook_bytes(sheets))
    with pytest.raises(InputError) as e:
        cba.import_unitcosts(ws, f)
    (p,) = e.value.problems
    assert (p.sheet, p.column) == ("Lookups", "Year") and "follow" in p.message
    assert ws.con.execute("SELECT count(*) FROM cba_unit_costs").fetchone() == (0,)


# Found by the "broken-zip" strategy on partners, areas and spend workbooks: a workbook whose
# list of sheets is lost still opens, with no sheet at all (IndexError on the first sheet).
@pytest.mark.parametrize(
    "argv", [["partners", "import"], ["areas", "import"], ["spend", "import"]], ids=" ".join
)
def test_a_workbook_without_sheets_is_refused(tmp_path: Path, argv: list[str]) -> None:
    import io
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(workbook_bytes(seeds.PARTNERS))) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/workbook.xml"] = re.sub(rb"<sheet [^>]*/>", b"", parts["xl/workbook.xml"])
    f = tmp_path / "nothing.xlsx"
    with zipfile.ZipFile(f, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    code, out, text = _invoke(tmp_path, [*argv, str(f), "-w", "{place}"])
    assert code == 2, text
    (problem,) = out["problems"]  # type: ignore[misc]
    assert problem["file"] == "nothing.xlsx" and "no sheets" in problem["message"]


# Found by the "out-of-range" strategy on the appraisal (the CI run stalled on it): a
# confidence grade of 1e999999999 was turned into an int, a billion digits, before being
# looked up among the grades 1 to 6; so was a grade given to optimism_bias. Run in a child
# process with a time limit, as the old code never returned.
@pytest.mark.parametrize(
    "where",
    [
        "costs:\n  - {description: a, agency: LA, confidence: 1e999999999, amounts: [1, 2]}\n",
        "  optimism_bias: {1e999999999: 0.1}\n"
        "costs:\n  - {description: a, agency: LA, confidence: 1, amounts: [1, 2]}\n",
    ],
    ids=["confidence", "optimism_bias grade"],
)
def test_a_grade_of_a_billion_digits_is_refused_at_once(tmp_path: Path, where: str) -> None:
    import subprocess
    import sys

    f = tmp_path / "grades.yaml"
    f.write_text(
        "appraisal:\n  name: x\n  price_year: 2015/16\n  start_year: 2015/16\n  years: 2\n"
        "  discount_rate: 0.035\n" + where,
        encoding="utf-8",
    )
    res = subprocess.run(
        [sys.executable, "-m", "wholeplace.cli", "cba", "run", str(f), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 2, res.stderr[-2000:]
    (problem,) = json.loads(res.stdout)["problems"]
    assert problem["message"] == "not a confidence grade"


# Found by putting 1e999999999 in every value of every shipped YAML file (the fuzz test's
# "out-of-range" values, one path at a time): a payment-by-results criterion's percentage
# fall was compared as an exact Fraction of all its digits, and the claim never returned.
@pytest.mark.parametrize("percent", ["1e999999999", "101", "-5"])
def test_a_criterion_fall_beyond_100_percent_is_refused(tmp_path: Path, percent: str) -> None:
    import subprocess
    import sys

    doc = seeds.shipped_yaml("sharing", "troubled_families_2012.yaml")
    doc["results"][0]["all_of"][2]["percent"] = percent
    f = tmp_path / "scheme.yaml"
    f.write_bytes(seeds.dump_yaml(doc))
    argv = ["sharing", "pbr", "claim", str(f), str(SHARING / "families_example.csv")]
    res = subprocess.run(
        [sys.executable, "-m", "wholeplace.cli", *argv, "--as-of", "2015-03-31", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 2, res.stderr[-2000:]
    (problem,) = json.loads(res.stdout)["problems"]
    assert problem["column"] == "results[1].all_of[3].percent"


# Found by the same values: a criterion of 99999999999999999999 months took the claim's date
# past the calendar's end (OverflowError in the claims, after the scheme was read as valid).
@pytest.mark.parametrize("months", ["99999999999999999999", "121", "0"])
def test_a_criterion_of_impossibly_many_months_is_refused(tmp_path: Path, months: str) -> None:
    doc = seeds.shipped_yaml("sharing", "troubled_families_2012.yaml")
    doc["results"][1]["any_of"][0]["months"] = months
    f = tmp_path / "scheme.yaml"
    f.write_bytes(seeds.dump_yaml(doc))
    argv = ["sharing", "pbr", "claim", str(f), str(SHARING / "families_example.csv")]
    code, out, text = _invoke(tmp_path, [*argv, "--as-of", "2015-03-31"])
    assert code == 2, text
    # (the result left without its criterion is then unknown to the one that replaces it)
    assert "results[2].any_of[1].months" in [p["column"] for p in out["problems"]]  # type: ignore[union-attr]


# Found by the "out-of-range" strategy on the families file: a before or after value such as
# 1e999999999 (or 1e-999999999) reached the claims, whose sums and exact percentage falls
# overflowed (decimal.Overflow, InvalidOperation).
@pytest.mark.parametrize("value", ["1e999999999", "1e-999999999", "1e30", "1000000001"])
def test_a_families_value_beyond_any_count_is_refused(tmp_path: Path, value: str) -> None:
    rows = (SHARING / "families_example.csv").read_text(encoding="utf-8")
    assert "\nF001,Y1,offences,3,2," in rows
    f = tmp_path / "families.csv"
    f.write_text(rows.replace("\nF001,Y1,offences,3,2,", f"\nF001,Y1,offences,{value},2,"))
    argv = ["sharing", "pbr", "claim", str(SHARING / "troubled_families_2012.yaml"), str(f)]
    code, out, text = _invoke(tmp_path, [*argv, "--as-of", "2015-03-31"])
    assert code == 2, text
    (problem,) = out["problems"]  # type: ignore[misc]
    assert (problem["row"], problem["column"], problem["value"]) == (7, "before", value)


# Found by the deep run's "odd-dates" strategy on the families file: a family attached on
# 0001-01-01 has no financial year (YearError), and one on 9999-12-31 none some months on.
@pytest.mark.parametrize("when", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_a_families_date_outside_the_years_wholeplace_reads_is_refused(
    tmp_path: Path, when: str
) -> None:
    rows = (SHARING / "families_example.csv").read_text(encoding="utf-8")
    assert "\nF001,,attached,,,2012-06-01," in rows
    f = tmp_path / "families.csv"
    f.write_text(rows.replace("\nF001,,attached,,,2012-06-01,", f"\nF001,,attached,,,{when},"))
    argv = ["sharing", "pbr", "claim", str(SHARING / "troubled_families_2012.yaml"), str(f)]
    code, out, text = _invoke(tmp_path, [*argv, "--as-of", "2015-03-31"])
    assert code == 2, text
    (problem,) = out["problems"]  # type: ignore[misc]
    assert (problem["row"], problem["column"], problem["value"]) == (2, "start_date", when)
