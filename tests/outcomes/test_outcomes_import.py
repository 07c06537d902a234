"""Importing the framework and observations: every problem of a file at once, the problem
table, exit code 2, and nothing written."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from outcomes_example import cli, cli_json

from wholeplace.outcomes.observations import parse_period
from wholeplace.workspace import Workspace


def audit_count(w: str) -> int:
    ws = Workspace.open(Path(w), read_only=True)
    try:
        return len(ws.audit_log())
    finally:
        ws.close()


def problems(res: object) -> list[dict[str, object]]:
    assert res.exit_code == 2, res.output  # type: ignore[attr-defined]
    return json.loads(res.stdout)["problems"]  # type: ignore[attr-defined]


BAD_FRAMEWORK = """\
outcomes:
  - id: o1
    title: An outcome
    partners: [cc, nobody]
    indicators:
      - id: i1
        name: An indicator
        definition: d
        source: s
        unit: u
        polarity: sideways
        frequency: weekly
        owner: cc
        baseline: {value: 10, date: 2025-03-31}
        target: {value: 8, date: 2024-03-31}
        quality: {accuracy: 6, completeness: 3, uniqueness: 3, consistency: 3, timeliness: 3}
claims:
  - id: c1
    description: a claim
    gross: 10
    unit: people
    factors:
      deadweight: {share: 1.5, source: s}
      attribution: {share: 0.1}
sroi:
  name: s
  investment: 0
  price_year: 2024/99
  discount_rate: 0.035
  discount_source: Green Book
  outcomes:
    - description: o
      stakeholder: w
      quantity: 1
      proxy: {amount: 10}
      duration: 0
"""


def test_a_bad_framework_gets_every_problem_and_nothing_is_written(
    example: tuple[str, Path],
) -> None:
    w, folder = example
    before = audit_count(w)
    (folder / "bad.yaml").write_text(BAD_FRAMEWORK, encoding="utf-8")
    found = problems(
        cli("outcomes", "import-framework", str(folder / "bad.yaml"), "-w", w, "--json")
    )
    got = {(p["sheet"], p["row"], p["column"], p["value"]) for p in found}
    assert got == {
        ("outcomes", 4, "partners", "nobody"),
        ("indicators", 11, "polarity", "sideways"),
        ("indicators", 12, "frequency", "weekly"),
        ("indicators", 15, "target", "2024-03-31"),  # not after the baseline's date
        ("indicators", 16, "accuracy", "6"),
        ("indicators", 16, "validity", None),
        ("claims", 23, "share", "1.5"),
        ("claims", 24, "source", None),  # a factor without its source
        ("sroi", 27, "investment", "0"),
        ("sroi", 28, "price_year", "2024/99"),
        ("sroi", 35, "source", None),
        ("sroi", 36, "duration", "0"),
    }
    assert all(p["file"] == "bad.yaml" and p["fix"] for p in found)
    assert audit_count(w) == before
    # the framework imported before is still the place's
    r = cli_json("outcomes", "report", "-w", w)
    assert [o["id"] for o in r["outcomes"]] == ["safe-families"]


def test_a_target_dated_before_its_baseline_is_refused(example: tuple[str, Path]) -> None:
    w, folder = example
    text = (folder / "outcomes.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "target: {value: 9.0, date: 2026-03-31}", "target: {value: 9.0, date: 2024-03-31}"
    )
    (folder / "t.yaml").write_text(text, encoding="utf-8")
    [p] = problems(cli("outcomes", "import-framework", str(folder / "t.yaml"), "-w", w, "--json"))
    assert (p["column"], p["message"]) == (
        "target",
        "the target date is not after the baseline date",
    )


def test_not_yaml_at_all_names_the_line(example: tuple[str, Path]) -> None:
    w, folder = example
    (folder / "x.yaml").write_text("outcomes:\n  - id: [unclosed\n", encoding="utf-8")
    [p] = problems(cli("outcomes", "import-framework", str(folder / "x.yaml"), "-w", w, "--json"))
    assert "not valid YAML" in str(p["message"])


@pytest.mark.parametrize(
    ("text", "frequency", "label", "end"),
    [
        ("2024-02", "monthly", "2024-02", date(2024, 2, 29)),  # a leap year
        ("2024/25 Q1", "quarterly", "2024/25 Q1", date(2024, 6, 30)),  # April to June
        ("Q4 2024-25", "quarterly", "2024/25 Q4", date(2025, 3, 31)),  # January to March
        ("2024-25 q3", "quarterly", "2024/25 Q3", date(2024, 12, 31)),
        ("2024-25", "annual", "2024/25", date(2025, 3, 31)),
    ],
)
def test_periods(text: str, frequency: str, label: str, end: date) -> None:
    p = parse_period(text, frequency)
    assert p is not None and (p.label, p.end) == (label, end)


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("2024-13", "monthly"),
        ("2024/25", "monthly"),
        ("2024/25 Q5", "quarterly"),
        ("2024-04", "quarterly"),
        ("2024/26", "annual"),
        ("2024/25 Q1", "annual"),
    ],
)
def test_not_periods(text: str, frequency: str) -> None:
    assert parse_period(text, frequency) is None


BAD_DATA = """indicator,period,area,value,numerator,denominator,note
repeat-dv,2024-04,place,11.5,,,
nothing,2024/25 Q1,place,1,,,
families-supported,2024-05,mars,12,,,
families-supported,2024-06,place,12%,,,
plans-on-time,2024-05,place,0.75,5,4,
plans-on-time,2024-06,place,0.5,,4,
families-supported,2024-04,place,120,,,
families-supported,2024-04,,121,,,
"""


def test_bad_observations_get_every_problem_and_nothing_is_written(
    example: tuple[str, Path],
) -> None:
    w, folder = example
    (folder / "bad.csv").write_text(BAD_DATA, encoding="utf-8")
    found = problems(cli("outcomes", "import-data", str(folder / "bad.csv"), "-w", w, "--json"))
    got = [(p["row"], p["column"], p["value"]) for p in found]
    assert got == [
        (2, "period", "2024-04"),  # a monthly period for a quarterly indicator
        (3, "indicator", "nothing"),
        (4, "area", "mars"),
        (5, "value", "12%"),
        (6, "denominator", "4"),
        (7, "numerator", None),
        (9, "period", "2024-04"),  # the same as row 8 (a blank area is the place)
    ]
    assert cli_json("outcomes", "datasets", "-w", w) == []


def test_observations_from_a_workbook_with_title_rows(example: tuple[str, Path]) -> None:
    w, folder = example
    wb = Workbook()
    ws = wb.active
    ws.append(["Riverton outcomes, quarter 2"])
    ws.append([])
    ws.append(["Indicator", "Period", "Area", "Value", "Numerator", "Denominator", "Note"])
    ws.append(["repeat-dv", "2024/25 Q2", "place", 10.8, None, None, None])
    ws.append(["plans-on-time", "2024-05", "place", 0.75, 3, 4, "small"])
    wb.save(folder / "q2.xlsx")
    res = cli_json("outcomes", "import-data", str(folder / "q2.xlsx"), "-w", w)
    assert (res["dataset"], res["rows"]) == ("q2", 2)
    r = cli_json("outcomes", "report", "-w", w)
    rows = {x["indicator"]: x for x in r["scorecard"]}
    assert rows["repeat-dv"]["latest"] == {"period": "2024/25 Q2", "value": "10.8"}
    assert rows["plans-on-time"]["latest"] == {"period": "2024-05", "value": "0.75"}


def test_data_before_any_framework_is_refused_plainly(tmp_path: Path) -> None:
    w = str(tmp_path / "p")
    assert cli("init", w, "--name", "P").exit_code == 0
    (tmp_path / "d.csv").write_text("indicator,period,value\nx,2024-04,1\n", encoding="utf-8")
    res = cli("outcomes", "import-data", str(tmp_path / "d.csv"), "-w", w)
    assert res.exit_code == 2
    assert "No outcomes framework imported yet" in res.output


def test_ids_given_twice_are_refused(example: tuple[str, Path]) -> None:
    w, folder = example
    text = (folder / "outcomes.yaml").read_text(encoding="utf-8")
    text = text.replace("  - id: into-work\n", "  - id: repeat-offending\n")
    text = text.replace("      - id: plans-on-time\n", "      - id: families-supported\n")
    (folder / "twice.yaml").write_text(text, encoding="utf-8")
    found = problems(
        cli("outcomes", "import-framework", str(folder / "twice.yaml"), "-w", w, "--json")
    )
    assert [(p["sheet"], p["column"], p["value"]) for p in found] == [
        ("measures", "id", "families-supported"),
        ("claims", "id", "repeat-offending"),
    ]
    assert all(str(p["message"]).startswith("id given twice (first on line ") for p in found)
