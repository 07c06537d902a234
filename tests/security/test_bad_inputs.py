"""Hostile values in files a person gives are refused with the problem table (issue 11, item 4).

YAML keys that are lists or mappings, YAML and JSON nested past any real file, CSV fields
longer than a spreadsheet cell, and populations that are not a number of people: each gives
the standard problem table, exit code 2 and an unchanged place, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from place_state import small_place, snapshot
from typer.testing import CliRunner

from wholeplace.areas import read_areas
from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.yaml_files import load_yaml_text

SHARING = Path(__file__).parents[2] / "src" / "wholeplace" / "data" / "sharing"
MAX_FIELD_CHARS = 32_767  # docs/formats.md (the last test checks the code says the same)


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_place(tmp_path_factory.mktemp("inputs"))


def _refused(argv: list[str], *says: str, place: Path | None = None) -> dict[str, object]:
    """Run ``argv`` with --json; it must exit 2 with the problem table, changing nothing."""
    import json

    before = snapshot(place) if place else None
    res = CliRunner().invoke(app, [*argv, "--json"])
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    out = json.loads(res.stdout)
    assert out["problems"], out
    text = json.dumps(out)
    for s in says:
        assert s in text, text
    if place:
        assert snapshot(place) == before
    return out


# -- YAML: keys that are lists or mappings -----------------------------------------------------

# name -> (file, the line the problem names: where the key's list or mapping is written)
UNHASHABLE = {
    "a list as a key": ("? [a, b]\n: 1\n", 1),
    "a flow list as a key": ("{[1]: 2}\n", 1),
    "a mapping as a key": ("appraisal:\n  ? {x: 1}\n  : 2\n", 2),
    "an alias of a list as a key": ("a: &l [1, 2]\n*l : 3\n", 1),
}


@pytest.mark.parametrize("body", list(UNHASHABLE))
@pytest.mark.parametrize(
    "argv",
    [["cba", "run"], ["sharing", "pool"], ["sharing", "gainshare"], ["sharing", "pbr", "forecast"]],
    ids=" ".join,
)
def test_yaml_key_that_is_a_list_or_mapping(tmp_path: Path, argv: list[str], body: str) -> None:
    f = tmp_path / "hostile.yaml"
    text, row = UNHASHABLE[body]
    f.write_text(text, encoding="utf-8")
    out = _refused([*argv, str(f)], "a key that is a list or a mapping", "hostile.yaml")
    (problem,) = out["problems"]  # type: ignore[misc]
    assert problem["row"] == row


def test_parameters_set_refuses_a_list_key_and_writes_nothing(place: Path, tmp_path: Path) -> None:
    f = tmp_path / "own.yaml"
    f.write_text("reason: test\nvalues:\n  ? [2024-04-01]\n  : 0.035\n", encoding="utf-8")
    _refused(
        ["parameters", "set", "discount_rate.green_book", str(f), "-w", str(place)],
        "a key that is a list or a mapping",
        place=place,
    )


def test_load_yaml_text_names_the_line_of_the_key() -> None:
    with pytest.raises(InputError) as e:
        load_yaml_text("name: pool\nyears:\n  ? [2024, 2025]\n  : 1\n", "pool.yaml")
    (p,) = e.value.problems
    assert (p.file, p.row) == ("pool.yaml", 3)
    assert "plain name" in p.fix


def test_deeply_nested_yaml_mappings_are_refused(tmp_path: Path) -> None:
    """Flow mappings 100,000 deep: the composer's recursion must not escape as a traceback."""
    f = tmp_path / "deep.yaml"
    f.write_text("x: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n", encoding="utf-8")
    _refused(["sharing", "pool", str(f)], "nested more than 50 levels", "deep.yaml")


def test_deeply_nested_json_agreement_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "cba.json"
    f.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _refused(["sharing", "gainshare", str(f)], "cba.json")


# -- CSV fields longer than a spreadsheet cell ----------------------------------------------

# Between the limit (32,767, an Excel cell) and Python's csv limit (131,072), and beyond both.
LENGTHS = [MAX_FIELD_CHARS + 1, 200_000]
TX_HEAD = "Payment Date,Net Amount,Supplier Name,Service Area\n"


def _csv_cases(long: str) -> dict[str, tuple[str, str, list[str]]]:
    """name -> (file name, its text, argv with {f} for the file and {w} for the place)."""
    tx = ["spend", "import-transactions", "{f}", "--partner", "cc", "-w", "{w}"]
    return {
        "partners import": (
            "partners.csv",
            f"id,name,type,group,sector\nx,{long},district,G,S\n",
            ["partners", "import", "{f}", "-w", "{w}"],
        ),
        "areas import": (
            "areas.csv",
            f"code,name,population\nE1,{long},100\n",
            ["areas", "import", "{f}", "-w", "{w}"],
        ),
        "spend import": (
            "spend.csv",
            f"partner,year,service,amount_gbp,subservice\ncc,2024/25,EDU,1.00,{long}\n",
            ["spend", "import", "{f}", "-w", "{w}"],
        ),
        "spend import, header row": (
            "spend.csv",
            f"partner,year,service,amount_gbp,{long}\ncc,2024/25,EDU,1.00,x\n",
            ["spend", "import", "{f}", "-w", "{w}"],
        ),
        "import-transactions, by the header": (
            "payments.csv",
            TX_HEAD + f"01/04/2024,100.00,{long},Roads\n",
            tx,
        ),
        "import-transactions, far below the header": (
            "payments.csv",
            TX_HEAD
            + "".join(f"0{1 + i % 9}/04/2024,{i}.00,Acme Ltd,Roads\n" for i in range(40_000))
            + f"02/04/2024,1.00,Acme,{long}\n",
            tx,
        ),
        "import-transactions, quoted over lines": (
            "payments.csv",
            TX_HEAD + f'01/04/2024,100.00,"Acme\n{long}",Roads\n',
            tx,
        ),
        "import-transactions --mapping": (
            "mapping.csv",
            f"service_area,service\n{long},HTS\n",
            [
                "spend",
                "import-transactions",
                "{p}",
                "--partner",
                "cc",
                "--mapping",
                "{f}",
                "-w",
                "{w}",
            ],
        ),
        "sharing recharges": (
            "staff.csv",
            f"staff_id,name,employer,annual_cost,lcc\nS1,{long},lcc,60000,100\n",
            ["sharing", "recharges", "{f}"],
        ),
        "unitcosts deflators import": (
            "deflators.csv",
            f"year,pct_change,source\n2014/15,1.5,{long}\n",
            ["unitcosts", "deflators", "import", "{f}", "-w", "{w}"],
        ),
    }


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("case", list(_csv_cases("x")))
def test_csv_field_longer_than_a_cell(place: Path, tmp_path: Path, case: str, length: int) -> None:
    name, text, argv = _csv_cases("L" * length)[case]
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    payments = tmp_path / "good-payments.csv"  # for the mapping's case
    payments.write_text(TX_HEAD + "01/04/2024,1.00,Acme,Roads\n", encoding="utf-8")
    argv = [a.format(f=f, w=place, p=payments) for a in argv]
    _refused(argv, f"longer than {MAX_FIELD_CHARS:,} characters", name, place=place)


def test_transactions_fast_path_refuses_a_long_field_too(
    place: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big clean files are read in one pass (FAST_PATH_BYTES); a long field must stop it and
    send the file to the careful path, which names the row."""
    from wholeplace.spend.transactions import loading

    monkeypatch.setattr(loading, "FAST_PATH_BYTES", 0)
    f = tmp_path / "payments.csv"
    f.write_text(
        TX_HEAD + "01/04/2024,1.00,Acme,Roads\n" + f"02/04/2024,2.00,{'L' * 40_000},Roads\n"
    )
    out = _refused(
        ["spend", "import-transactions", str(f), "--partner", "cc", "-w", str(place)],
        f"longer than {MAX_FIELD_CHARS:,} characters",
        place=place,
    )
    (problem,) = out["problems"]  # type: ignore[misc]
    assert (problem["row"], problem["column"], problem["value"]) == (
        3,
        "supplier",
        "(40,000 characters)",
    )


def test_a_field_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    f = tmp_path / "areas.csv"
    f.write_text(f"code,name,population\nE1,{'n' * MAX_FIELD_CHARS},100\n", encoding="utf-8")
    (area,) = read_areas(f)
    assert len(area.name) == MAX_FIELD_CHARS
    f.write_text(f"code,name,population\nE1,{'n' * (MAX_FIELD_CHARS + 1)},100\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_areas(f)
    (p,) = e.value.problems
    assert (p.row, p.column, p.value) == (
        2,
        "name",
        "n" * 40 + f"... ({MAX_FIELD_CHARS + 1:,} characters)",
    )


def test_a_long_field_in_an_xlsx_is_refused_too(tmp_path: Path) -> None:
    """Excel and openpyxl cut a cell at 32,767 characters when they write it; a file made by
    other means can hold more, and openpyxl reads it whole."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["code", "name", "population"])
    wb.active.append(["E1", "n" * MAX_FIELD_CHARS, 100])
    wb.save(tmp_path / "made.xlsx")
    with (
        zipfile.ZipFile(tmp_path / "made.xlsx") as src,
        zipfile.ZipFile(tmp_path / "areas.xlsx", "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item, src.read(item).replace(b"n" * MAX_FIELD_CHARS, b"n" * 40_000))
    with pytest.raises(InputError, match="longer than 32,767 characters") as e:
        read_areas(tmp_path / "areas.xlsx")
    assert (e.value.problems[0].sheet, e.value.problems[0].row) == ("Sheet", 2)


# -- populations ------------------------------------------------------------------------------

BAD_POPULATIONS = {
    "1e99": "not a whole number of people",
    "12345678901234567890123": "more than 100,000,000 people",
    "100000001": "more than 100,000,000 people",
    "-5": "not a whole number of people",
    "0": "a population of 0 cannot give a figure per head",
    "nan": "not a whole number of people",
    "inf": "not a whole number of people",
    "1234.5": "not a whole number of people",
    "\u0661\u0662\u0663": "not a whole number of people",  # Arabic-Indic digits: 123
}


@pytest.mark.parametrize("value", list(BAD_POPULATIONS))
def test_area_population_refused(place: Path, tmp_path: Path, value: str) -> None:
    f = tmp_path / "areas.csv"
    f.write_text(f"code,name,population\nE1,One,{value}\n", encoding="utf-8")
    out = _refused(
        ["areas", "import", str(f), "-w", str(place)], BAD_POPULATIONS[value], place=place
    )
    (p,) = out["problems"]  # type: ignore[misc]
    assert (p["row"], p["column"], p["value"]) == (2, "population", value)


@pytest.mark.parametrize("value", list(BAD_POPULATIONS))
def test_partner_population_served_refused(place: Path, tmp_path: Path, value: str) -> None:
    f = tmp_path / "partners.csv"
    f.write_text(
        f"id,name,type,group,sector,population_served\nx,X,district,G,S,{value}\n",
        encoding="utf-8",
    )
    _refused(["partners", "import", str(f), "-w", str(place)], BAD_POPULATIONS[value], place=place)


@pytest.mark.parametrize("value", ["-22", *BAD_POPULATIONS])
def test_init_refuses_a_population_and_makes_no_place(tmp_path: Path, value: str) -> None:
    """Every population a file may not give, the command line may not either: ``1e99`` and
    ``nan`` got Typer's usage box (the option took only an int) instead of the table."""
    out = _refused(
        ["init", str(tmp_path / "p"), "--name", "X", f"--population={value}"],
        BAD_POPULATIONS.get(value, "not a whole number of people"),
    )
    (p,) = out["problems"]  # type: ignore[misc]
    assert (p["column"], p["value"]) == ("--population", value)
    assert not (tmp_path / "p").exists()


def test_init_reads_a_population_as_a_file_gives_it(tmp_path: Path) -> None:
    from wholeplace.workspace import Workspace

    res = CliRunner().invoke(
        app, ["init", str(tmp_path / "p"), "--name", "X", "--population", "91,000"]
    )
    assert res.exit_code == 0, res.output
    with Workspace.open(tmp_path / "p", read_only=True) as ws:
        assert ws.setting("population") == "91000"


@pytest.mark.parametrize("value", ["1e99", "nan", "12345678901234567890123"])
def test_partners_add_refuses_a_population_served(place: Path, value: str) -> None:
    argv = ["partners", "add", "--id", "x", "--name", "X", "--type", "district", "--group", "G"]
    _refused(
        [*argv, "--sector", "S", "--population-served", value, "-w", str(place)],
        BAD_POPULATIONS[value],
        place=place,
    )


def test_populations_at_the_limits_are_read(tmp_path: Path) -> None:
    f = tmp_path / "areas.csv"
    f.write_text('code,name,population\nE1,One,"91,000"\nE2,Two,91000.0\nE3,Three,100000000\n')
    assert [a.population for a in read_areas(f)] == [91_000, 91_000, 100_000_000]


def test_a_place_stored_with_a_negative_population_shows_no_figure_per_head(
    tmp_path: Path,
) -> None:
    """A place made before these checks may hold a negative population (the place's or an
    area's): per head is then left out, never negative (it was -£604m)."""
    from wholeplace.workspace import Workspace

    place = small_place(tmp_path)
    areas = tmp_path / "areas.csv"
    areas.write_text("code,name,population\nA1,North,600\nA2,South,400\n", encoding="utf-8")
    spend = tmp_path / "by-area.csv"
    spend.write_text("partner,year,service,area,amount_gbp\ncc,2024/25,EDU,A1,600.00\n")
    for argv in (["areas", "import", str(areas)], ["spend", "import", str(spend)]):
        assert CliRunner().invoke(app, [*argv, "-w", str(place)]).exit_code == 0
    with Workspace.open(place) as ws:  # what old code let through
        ws.con.execute("UPDATE settings SET value = '-22' WHERE key = 'population'")
        ws.con.execute("UPDATE areas SET population = -5 WHERE code = 'A1'")
    import json

    res = CliRunner().invoke(app, ["spend", "map", "--by", "area", "-w", str(place), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    # The place's own -22 is unusable, so its population is the sum of its areas' usable
    # ones (A2's 400). The by-area file replaced cc's 2024/25 lines, so the place spends
    # £600.00: £600.00 / 400 = £1.50 a head. A1's -5 gives A1 no figure.
    assert (data["population"], data["per_head_gbp"]) == (400, "1.50")
    assert {r["key"]: r["per_head_gbp"] for r in data["rows"]} == {"A1": None}
    res = CliRunner().invoke(
        app, ["spend", "report", "-w", str(place), "--out", str(tmp_path / "r.html")]
    )
    assert res.exit_code == 0, res.output
    assert "-£" not in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_the_limits_in_docs_are_the_code_s() -> None:
    from wholeplace import tabular
    from wholeplace.population import MAX_POPULATION

    assert tabular.MAX_FIELD_CHARS == MAX_FIELD_CHARS
    formats = (Path(__file__).parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
    assert f"**{MAX_FIELD_CHARS:,} characters**" in formats
    assert f"**{MAX_POPULATION:,}**" in formats
