"""Bad objectives and customer-group files: every problem in the table, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from spend_helpers import add_partners
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.objectives import service
from wholeplace.workspace import Workspace

GROUPS = "customer_group,description,spend_labels\nOlder people,65+,Pensioners\nChildren,,\n"
HEADER = "partner,objective,customer_group,outcome,direction,target,measure\n"


@pytest.fixture
def place(ws: Workspace, tmp_path: Path) -> Workspace:
    add_partners(ws)  # cc, dc, icb, dwp
    (tmp_path / "groups.csv").write_text(GROUPS, encoding="utf-8")
    service.import_groups(ws, tmp_path / "groups.csv")
    return ws


def count(ws: Workspace) -> int:
    return int(ws.con.execute("SELECT count(*) FROM objectives").fetchall()[0][0])


def problems(ws: Workspace, path: Path) -> list[tuple[int | None, str | None, str | None]]:
    before = count(ws), len(ws.audit_log())
    with pytest.raises(InputError) as exc:
        service.import_objectives(ws, path)
    assert (count(ws), len(ws.audit_log())) == before  # nothing written, nothing logged
    return [(p.row, p.column, p.value) for p in exc.value.problems]


def test_every_bad_row_is_reported(place: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "objectives.csv"
    f.write_text(
        HEADER
        + "cc,Fewer falls,Older people,Falls,reduce,,falls per 1000\n"  # good
        + "ccc,Fewer falls,Older people,Falls,reduce,,falls per 1000\n"  # unknown partner
        + "dc,Warm homes,Older folk,Cold homes,reduce,,homes\n"  # unknown group
        + "icb,Admissions,Children,Admissions,lower,,rate\n"  # bad direction
        + "dwp,,Children,,increase,,\n"  # empty objective, outcome, measure
        + "cc,fewer  falls,pensioners,FALLS,reduce,,per 1000\n",  # duplicate of row 2
        encoding="utf-8",
    )
    found = problems(place, f)
    assert found == [
        (3, "partner", "ccc"),
        (4, "customer_group", "Older folk"),
        (5, "direction", "lower"),
        (6, "objective", None),
        (6, "outcome", None),
        (6, "measure", None),
        (7, "objective", "fewer  falls"),
    ]


def test_unknown_names_suggest_the_nearest(place: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "o.csv"
    f.write_text(HEADER + "icbb,A,Older peple,Falls,reduce,,m\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        service.import_objectives(place, f)
    fixes = [p.fix for p in exc.value.problems]
    assert fixes[0].startswith("did you mean 'icb'?")
    assert fixes[1].startswith("did you mean 'Older people'?")


def test_no_groups_yet_is_one_problem_with_the_fix(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    f = tmp_path / "o.csv"
    f.write_text(HEADER + "cc,A,Older people,Falls,reduce,,m\n", encoding="utf-8")
    (p,) = problems(ws, f)
    assert p == (None, "customer_group", None)


def test_missing_columns_and_empty_file(place: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "o.csv"
    f.write_text("partner,objective,customer_group,outcome\ncc,A,Children,B\n", encoding="utf-8")
    (p,) = problems(place, f)
    assert p[1] is None and p[0] == 1
    f.write_text(HEADER, encoding="utf-8")
    assert problems(place, f) == [(1, None, None)]


def test_xlsx_rows_are_excel_rows_with_the_sheet(place: Workspace, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.title = "Objectives"
    sh.append(["Objectives of the partnership"])  # a title row above the header
    sh.append(HEADER.strip().split(","))
    sh.append(["cc", "A", "Children", "Attendance", "increase", "95%", "attendance"])
    sh.append(["dc", "B", "Children", "Attendance", "sideways", "", "attendance"])
    wb.save(tmp_path / "o.xlsx")
    with pytest.raises(InputError) as exc:
        service.import_objectives(place, tmp_path / "o.xlsx")
    (p,) = exc.value.problems
    assert (p.file, p.sheet, p.row, p.column, p.value) == (
        "o.xlsx",
        "Objectives",
        4,
        "direction",
        "sideways",
    )


def test_reimport_replaces_a_partners_objectives(place: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "o.csv"
    f.write_text(
        HEADER + "cc,A,Children,Attendance,increase,,m\ncc,B,Children,Exclusions,reduce,,m\n"
        "dc,C,Older people,Falls,reduce,,m\n",
        encoding="utf-8",
    )
    service.import_objectives(place, f)
    f.write_text(HEADER + "cc,A,Children,Attendance,increase,,m\n", encoding="utf-8")
    res = service.import_objectives(place, f)
    assert res.replaced == {"cc": 2}
    assert count(place) == 2  # cc's one, dc's one kept


def test_bad_groups_file(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "g.csv"
    f.write_text(
        "customer_group,spend_labels\nOlder people,Pensioners\nolder-people,\nCarers,PENSIONERS\n"
        "(not stated),\n,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        service.import_groups(ws, f)
    assert [(p.row, p.column, p.value) for p in exc.value.problems] == [
        (3, "customer_group", "older-people"),
        (4, "spend_labels", "PENSIONERS"),
        (5, "customer_group", "(not stated)"),
    ]
    assert ws.con.execute("SELECT count(*) FROM customer_groups").fetchall()[0][0] == 0


def test_cli_bad_file_exits_2_with_the_problem_table(place: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "o.csv"
    f.write_text(HEADER + "cc,A,Children,Attendance,up,,m\n", encoding="utf-8")
    place.close()
    w = str(tmp_path / "place")
    res = CliRunner().invoke(app, ["objectives", "import", str(f), "-w", w, "--json"])
    assert res.exit_code == 2
    (p,) = json.loads(res.stdout)["problems"]
    assert (p["file"], p["row"], p["column"], p["value"]) == ("o.csv", 2, "direction", "up")
    assert p["fix"] == "use one of: increase, reduce, maintain"
    res = CliRunner().invoke(app, ["objectives", "import", str(f), "-w", w])
    assert res.exit_code == 2 and "Traceback" not in res.output
