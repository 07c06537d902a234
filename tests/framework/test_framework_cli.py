"""`wholeplace framework ...` end to end: the place's own statements and their versions,
answers, the report (HTML escaped, XLSX, JSON), export and comparison, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from framework_helpers import add_three
from typer.testing import CliRunner

from wholeplace import framework
from wholeplace.cli import app
from wholeplace.framework import service, store
from wholeplace.workspace import Workspace


@pytest.fixture
def place(tmp_path: Path) -> Path:
    folder = tmp_path / "place"
    ws = Workspace.create(folder, "Testshire")
    add_three(ws)
    ws.close()
    return folder


def run(*args: str, ok: bool = True) -> str:
    res = CliRunner().invoke(app, list(args))
    if ok:
        assert res.exit_code == 0, res.output
    return res.output


def test_statements_the_place_adds_edits_and_retires_are_versioned(place: Path) -> None:
    w = ["-w", str(place)]
    listed = json.loads(run("framework", "statements", "--json", *w))
    assert (listed["version"], len(listed["statements"])) == ("alps-2015/1", 45)
    run("framework", "start", "before", *w)
    added = json.loads(
        run(
            "framework",
            "statement",
            "add",
            "--level",
            "Securing stewardship",
            "--dimension",
            "data",
            "--text",
            "Partners publish spending over £500 monthly.",
            "--question",
            "Does every partner publish it?",
            "--evidence",
            "Links",
            "--evidence",
            "The publication log",
            "--reason",
            "Board, 3 March",
            "--json",
            *w,
        )
    )
    assert added["statement"]["id"] == "SW-DA-P1"
    assert added["framework_version"] == "alps-2015/1+1"
    run(
        "framework",
        "statement",
        "edit",
        "SW-DA-3",
        "--text",
        "Our own words now.",
        "--reason",
        "Plainer",
        *w,
    )
    out = json.loads(
        run("framework", "statement", "retire", "PF-DL-5", "--reason", "Not for us", "--json", *w)
    )
    assert out["framework_version"] == "alps-2015/1+3"
    run("framework", "start", "after", *w)
    with Workspace.open(place) as ws:
        before, after = store.assessments(ws)
        assert before.framework.version == "alps-2015/1"
        assert after.framework.version == "alps-2015/1+3"
        assert before.framework.statement("PF-DL-5") is not None
        assert "PF-DL-5" not in {s.id for s in after.framework.active}
        edited = after.framework.statement("SW-DA-3")
        assert edited is not None
        assert (edited.text, edited.origin) == ("Our own words now.", "edited")
        assert len(after.framework.active) == 45
        actions = [e.action for e in ws.audit_log(5)]
        assert actions == [
            "framework start",
            "framework statement retire",
            "framework statement edit",
            "framework statement add",
            "framework start",
        ]
        assert ws.audit_log(2)[1].detail["reason"] == "Not for us"
    # an answer to a retired statement is refused in the new assessment, kept in the old
    bad = run("framework", "answer", "PF-DL-5", "met", "--partner", "vale", *w, ok=False)
    assert "unknown statement id" in bad
    run("framework", "answer", "PF-DL-5", "met", "--partner", "vale", "--assessment", "before", *w)


def test_bad_changes_to_the_framework(place: Path) -> None:
    w = ["-w", str(place)]
    res = CliRunner().invoke(
        app,
        [
            "framework",
            "statement",
            "add",
            "--level",
            "stewards",
            "--dimension",
            "data",
            "--text",
            " ",
            "--question",
            "Q?",
            "--evidence",
            "E",
            "--reason",
            "",
            "--json",
            *w,
        ],
    )
    assert res.exit_code == 2
    problems = json.loads(res.stdout)["problems"]
    assert [p["column"] for p in problems] == ["statement.level", "statement.text", "--reason"]
    res = CliRunner().invoke(
        app, ["framework", "statement", "retire", "XX-YY-1", "--reason", "r", *w]
    )
    assert res.exit_code == 2 and "no such statement" in res.output


def test_answers_and_errors_on_the_command_line(place: Path) -> None:
    w = ["-w", str(place)]
    out = json.loads(
        run(
            "framework",
            "answer",
            "sw-da-1",
            "Partly met",
            "--partner",
            "icb",
            "--evidence",
            "x.html",
            "--note",
            "n",
            "--json",
            *w,
        )
    )
    assert (out["statement_id"], out["answer"], out["evidence"]) == ("SW-DA-1", "partly", "x.html")
    res = CliRunner().invoke(
        app, ["framework", "answer", "SW-DA-9", "perhaps", "--partner", "fire", "--json", *w]
    )
    assert res.exit_code == 2
    got = {(p["column"], p["value"]) for p in json.loads(res.stdout)["problems"]}
    assert got == {("--partner", "fire"), ("ANSWER", "perhaps"), ("STATEMENT_ID", "SW-DA-9")}
    res = CliRunner().invoke(app, ["framework", "questionnaire", "q.csv", "--json", *w])
    assert res.exit_code == 2
    assert json.loads(res.stdout)["problems"][0]["message"] == "not an .xlsx file name"
    res = CliRunner().invoke(app, ["framework", "plan", "set", "SW-DA-1", "--due", "soon", *w])
    assert res.exit_code == 2 and "not a date" in res.output
    res = CliRunner().invoke(app, ["framework", "report", "--as-of", "yesterday", *w])
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_a_bad_questionnaire_prints_the_problem_table(place: Path, tmp_path: Path) -> None:
    w = ["-w", str(place)]
    q = tmp_path / "q.xlsx"
    run("framework", "questionnaire", str(q), *w)
    wb = openpyxl.load_workbook(q)
    wb["Answers"]["G7"] = "yes please"
    wb.save(q)
    res = CliRunner().invoke(app, ["framework", "import", str(q), *w])
    assert res.exit_code == 2
    assert "2 problems found; nothing was written" in res.output
    assert "Traceback" not in res.output
    res = CliRunner().invoke(app, ["framework", "import", str(q), "--json", *w])
    got = [
        (p["sheet"], p["row"], p["column"], p["value"]) for p in json.loads(res.stdout)["problems"]
    ]
    assert got == [("Answers", 3, "partner", None), ("Answers", 7, "answer", "yes please")]


def _answer_all(place: Path) -> None:
    with Workspace.open(place) as ws:
        framework.add_statement(
            ws,
            "transformation",
            "data",
            "<script>alert('x')</script> shared data",
            ["Q?"],
            ["E"],
            "test",
        )
        service.start_assessment(ws, "2025/26")
        for p, sid, a in [
            ("vale", "SW-DA-1", "met"),
            ("icb", "SW-DA-1", "not met"),
            ("police", "SW-DA-1", "partly"),
            ("vale", "TR-ST-1", "partly"),
            ("vale", "TR-DA-P1", "partly"),
        ]:
            service.answer(ws, p, sid, a, note="<b>bold</b> & =cmd")


def test_the_report_in_html_xlsx_and_json(place: Path, tmp_path: Path) -> None:
    _answer_all(place)
    w = ["-w", str(place)]
    html = tmp_path / "r.html"
    run("framework", "report", "--out", str(html), "--as-of", "2026-01-01", *w)
    text = html.read_text(encoding="utf-8")
    # SW-DA-1: met 2 + not met 0 + partly 1 = 3 of 6 points; TR-ST-1 and TR-DA-P1 1 of 2
    # each; overall 5 of 10
    assert '<strong>50.0%</strong> <span class="band">developing</span>' in text
    assert "3 of 6 points" in text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; =cmd" in text
    assert "<b>bold</b>" not in text
    assert "https://" not in text.split("<body>")[1].split("Method and sources")[0]
    assert "<script" not in text  # offline: no scripts at all, and the place's text escaped
    xlsx = tmp_path / "r.xlsx"
    run("framework", "report", "--out", str(xlsx), *w)
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Grid", "Partners", "Disagreements", "Plan", "Evidence", "Answers"]
    notes = [c.value for c in wb["Answers"]["E"]][1:]
    assert notes == ["<b>bold</b> & =cmd"] * 5
    data = json.loads(run("framework", "report", "--json", "--as-of", "2026-01-01", *w))
    assert data["scores"]["overall"] == {
        "points": 5,
        "out_of": 10,
        "answered": 5,
        "not_applicable": 0,
        "score": "1/2",
        "pct": "50.0",
    }
    assert [d["statement_id"] for d in data["disagreements"]] == ["SW-DA-1"]
    assert data["completion"] == {"statements": 46, "answered": {"icb": 1, "police": 1, "vale": 3}}


def test_export_is_anonymous_and_compare_ranks_against_other_places(
    place: Path, tmp_path: Path
) -> None:
    _answer_all(place)
    w = ["-w", str(place)]
    out = tmp_path / "export.json"
    run("framework", "export", str(out), *w)
    text = out.read_text(encoding="utf-8")
    for secret in ("vale", "icb", "police", "Testshire", "bold", "cmd", "script", "P1"):
        assert secret not in text, secret
    data = json.loads(text)
    assert data["partners"] == 3 and data["answers"] == 5
    # another place: stewardship x data 6 of 8 (75 %), a third: 1 of 4 (25 %)
    other = json.loads(text)
    cell = next(
        c for c in other["cells"] if (c["level"], c["dimension"]) == ("stewardship", "data")
    )
    cell.update(points=6, out_of=8)
    (tmp_path / "b.json").write_text(json.dumps(other), encoding="utf-8")
    cell.update(points=1, out_of=4)
    (tmp_path / "c.json").write_text(json.dumps(other), encoding="utf-8")
    got = json.loads(
        run(
            "framework", "compare", str(tmp_path / "b.json"), str(tmp_path / "c.json"), "--json", *w
        )
    )
    sd = next(c for c in got["cells"] if (c["level"], c["dimension"]) == ("stewardship", "data"))
    # here 3/6 = 50 %; others 75 % and 25 %: median 50 %, rank 2 of 3 (one place scores more)
    assert sd == {
        "level": "stewardship",
        "dimension": "data",
        "ours_pct": "50.0",
        "others_pct": {"A": "75.0", "B": "25.0"},
        "median_pct": "50.0",
        "rank": 2,
        "of": 3,
    }
    broken = tmp_path / "broken.json"
    cell.update(points=5, out_of=4)
    broken.write_text(json.dumps(other), encoding="utf-8")
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["framework", "compare", str(broken), str(tmp_path / "junk.json"), "--json", *w]
    )
    assert res.exit_code == 2
    problems = json.loads(res.stdout)["problems"]
    assert [(p["file"], p["column"]) for p in problems] == [
        ("broken.json", "cells[2].points"),
        ("junk.json", None),
    ]


def test_a_questionnaire_with_the_answer_column_twice_is_refused(
    place: Path, tmp_path: Path
) -> None:
    """Issue 11, item 6: the questionnaire reader finds its columns by their own header
    matching, and took the last of two 'answer' columns without a word."""
    w = ["-w", str(place)]
    q = tmp_path / "q.xlsx"
    run("framework", "questionnaire", str(q), "--partner", "police", *w)
    wb = openpyxl.load_workbook(q)
    ws = wb["Answers"]
    assert (ws["G6"].value, ws["J6"].value) == ("answer", None)
    ws["G7"], ws["J6"], ws["J7"] = (
        "met",
        "Answer",
        "not met",
    )  # a second answer column: which one is the partner's answer?
    wb.save(q)
    res = CliRunner().invoke(app, ["framework", "import", str(q), "--json", *w])
    assert res.exit_code == 2, res.output
    [p] = json.loads(res.stdout)["problems"]
    assert (p["sheet"], p["row"], p["column"]) == ("Answers", 6, "answer")
    assert p["value"] == "'answer' (column 7 (G)) and 'Answer' (column 10 (J))"
