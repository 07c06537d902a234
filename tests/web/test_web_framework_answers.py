"""Answering the self-assessment in the browser (issue 13): the questionnaire as a form, an
upload of answers, assessments, disagreements, the plan, progress and the downloads, over
the same services as ``wholeplace framework ...``.

The hand calculation (docs/web.md, "Self-assessment on the web"): SW-DA-1 (stewardship x
data) answered met by the county council (2 points), partly met by the ICB (1) and not met
by the police (0) is 3 of 2 x 3 = 6 points, 50.0 %; the county council alone 2 of 2, 100.0 %.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from framework_helpers import add_three
from typer.testing import CliRunner
from web_place import PASSWORD, csrf_of, sign_in

from wholeplace import framework as fw
from wholeplace.cli import app as cli
from wholeplace.framework import report_service, service
from wholeplace.web import Place, create_app
from wholeplace.web.users import add_user
from wholeplace.workspace import Workspace

USERS = {
    "vana": ("partner analyst", "vale"),
    "pana": ("partner analyst", "police"),
    "mem": ("partnership member", None),
    "admin": ("administrator", None),
    "board": ("board viewer", None),
}
Site = tuple[TestClient, Place, Path]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Place, Path]]:
    folder = tmp_path / "vale"
    with Workspace.create(folder, "Valeshire") as ws:
        add_three(ws)
        for name, (role, partner) in USERS.items():
            add_user(ws, name, role, PASSWORD, partner)
    place = Place.open(folder)
    try:
        with TestClient(create_app(place)) as client:
            yield client, place, folder
    finally:
        place.close()


def _answers(place: Place, assessment: str = "2025/26") -> dict[tuple[str, str], str]:
    with place.read() as ws:
        r = report_service.build_report(ws, None, assessment_name=assessment)
    return {(a.partner, a.statement_id): a.answer for a in r.answers}


def _answer(client: TestClient, statement: str, answer: str, **fields: str) -> Any:
    page = client.get("/framework/answers", params={"partner": fields.get("partner", "")})
    data = {"csrf": csrf_of(page.text), "statement": statement, "answer": answer} | fields
    return client.post("/framework/answers", data=data, follow_redirects=False)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_three_partners_answer_through_the_form_and_the_scores_follow(site: Site) -> None:
    client, place, folder = site
    sign_in(client, "mem")
    r = client.post(
        "/framework/assessments",
        data={"csrf": csrf_of(client.get("/framework/assessments").text), "name": "2025/26"},
    )
    assert r.status_code == 200 and "Started assessment 2025/26." in r.text
    sign_in(client, "vana")
    r = _answer(client, "SW-DA-1", "met", evidence="spend-2024-25.html")
    assert r.status_code == 303
    page = _flat(client.get(r.headers["location"]).text)
    # the county council alone: met = 2 of 2 points
    assert 'id="partner-score">100.0% (2 of 2 points)' in page
    assert 'id="SW-DA-1-given">met</span>' in page
    sign_in(client, "mem")
    assert _answer(client, "SW-DA-1", "partly met", partner="icb").status_code == 303
    sign_in(client, "pana")
    assert _answer(client, "SW-DA-1", "not met", note="No agreement yet").status_code == 303
    page = _flat(client.get("/framework/answers").text)
    # police alone: 0 of 2; the partnership: 2 + 1 + 0 = 3 of 2 x 3 = 6 points, 50.0 %
    assert 'id="partner-score">0.0% (0 of 2 points)' in page
    assert 'id="partnership-score">50.0% (3 of 6 points)' in page
    assert _answers(place) == {
        ("vale", "SW-DA-1"): "met",
        ("icb", "SW-DA-1"): "partly",
        ("police", "SW-DA-1"): "not_met",
    }
    grid = client.get("/api/framework/scores").json()
    assert (grid["overall"]["points"], grid["overall"]["out_of"], grid["overall"]["pct"]) == (
        3,
        6,
        "50.0",
    )
    # the disagreement: vale met, police not met, one pair two steps apart
    d = client.get("/api/framework/disagreements").json()["disagreements"]
    assert [(x["statement_id"], x["met_by"], x["not_met_by"], x["pairs"]) for x in d] == [
        ("SW-DA-1", ["vale"], ["police"], 1)
    ]
    # each JSON twin is the command line's --json
    for path, args in (
        ("/api/framework/disagreements", ["disagreements"]),
        ("/api/framework/assessments", ["assessments"]),
        ("/api/framework/plan", ["plan"]),
    ):
        run = CliRunner().invoke(cli, ["framework", *args, "--json", "-w", str(folder)])
        assert run.exit_code == 0, run.output
        assert client.get(path).json() == json.loads(run.stdout), path


def test_an_analyst_cannot_answer_for_another_partner(site: Site) -> None:
    client, place, _folder = site
    sign_in(client, "vana")
    # a forged partner field: refused, and nothing written for anyone
    r = _answer(client, "SW-DA-1", "not met", partner="police")
    assert r.status_code == 403
    with place.read() as ws:
        assert service.assessments(ws).assessments == []
    # nor may they read another partner's answers or questionnaire
    assert client.get("/framework/answers", params={"partner": "police"}).status_code == 403
    got = client.get("/framework/questionnaire.xlsx", params={"partner": "police"})
    assert got.status_code == 403
    # without a partner field the answer is their own partner's
    assert _answer(client, "SW-DA-1", "met").status_code == 303
    assert _answers(place, service_name(place)) == {("vale", "SW-DA-1"): "met"}
    # an upload naming another partner: the importer refuses the row, nothing is written
    csv = "partner,statement_id,answer\nvale,SW-DA-2,met\npolice,SW-DA-1,not met\n"
    page = client.get("/framework/answers").text
    r2 = client.post(
        "/framework/import",
        data={"csrf": csrf_of(page)},
        files={"file": ("answers.csv", csv.encode(), "text/csv")},
    )
    assert r2.status_code == 400
    flat = _flat(r2.text)
    assert '<td class="govuk-table__cell">3</td>' in flat and "<code>police</code>" in flat
    assert _answers(place, service_name(place)) == {("vale", "SW-DA-1"): "met"}


def service_name(place: Place) -> str:
    with place.read() as ws:
        return service.assessments(ws).assessments[-1].name


def test_bad_answers_show_the_problem_table_and_write_nothing(site: Site) -> None:
    client, place, _folder = site
    sign_in(client, "admin")
    r = _answer(client, "SW-DA-1", "", partner="vale")
    assert r.status_code == 400
    flat = _flat(r.text)
    assert 'id="problem-table"' in flat and "not an answer" in flat
    assert "use one of: met, partly met, not met, not applicable" in flat
    r = _answer(client, "NO-SUCH-1", "met", partner="vale")
    assert r.status_code == 400 and "unknown statement id" in r.text
    # a note longer than the questionnaire's cell takes (2,000 characters)
    r = _answer(client, "SW-DA-1", "met", partner="vale", note="x" * 2001)
    assert r.status_code == 400 and "longer than 2000 characters" in r.text
    with place.read() as ws:
        assert service.assessments(ws).assessments == []


def test_every_form_needs_its_csrf_token(site: Site) -> None:
    client, place, _folder = site
    sign_in(client, "mem")
    for path, data in (
        ("/framework/assessments", {"name": "2025/26"}),
        ("/framework/answers", {"partner": "vale", "statement": "SW-DA-1", "answer": "met"}),
        ("/framework/plan", {"statement": "SW-DA-1", "owner": "Board"}),
    ):
        for token in ({}, {"csrf": "forged"}):
            r = client.post(path, data=data | token)
            assert r.status_code == 403, (path, token)
    files = {"file": ("a.csv", b"partner,statement_id,answer\nvale,SW-DA-1,met\n", "text/csv")}
    assert client.post("/framework/import", data={"csrf": "x"}, files=files).status_code == 403
    with place.read() as ws:
        assert service.assessments(ws).assessments == []


def test_script_in_a_statement_or_a_note_is_shown_as_text(site: Site) -> None:
    client, place, _folder = site
    evil = "<script>alert(1)</script>"
    with place.write("test") as ws:
        service.start_assessment(ws, "2025/26")
        fw.add_statement(
            ws, "stewardship", "data", "Shared " + evil, ["Is it? " + evil], ["A file"], "test"
        )
    sign_in(client, "mem")
    # the statement added after the start is not in 2025/26: a new assessment has it
    client.post(
        "/framework/assessments",
        data={"csrf": csrf_of(client.get("/framework/assessments").text), "name": "2026/27"},
    )
    r = _answer(client, "SW-DA-P1", "not met", partner="vale", note="We " + evil)
    assert r.status_code == 303
    for path in (
        "/framework/answers?partner=vale",
        "/framework/plan",
        "/framework/disagreements",
        "/framework/progress",
    ):
        text = client.get(path).text
        assert evil not in text, path
    page = client.get("/framework/answers?partner=vale").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    plan = client.get("/framework/plan").text
    assert "Shared &lt;script&gt;" in plan


def test_upload_and_downloads(site: Site) -> None:
    client, place, folder = site
    sign_in(client, "mem")
    csrf = csrf_of(client.get("/framework/assessments").text)
    client.post("/framework/assessments", data={"csrf": csrf, "name": "2025/26"})
    # the questionnaire for the county council, filled in offline and uploaded again
    got = client.get("/framework/questionnaire.xlsx", params={"partner": "vale"})
    assert got.status_code == 200 and got.headers["content-type"].startswith(
        "application/vnd.openxmlformats"
    )
    wb = openpyxl.load_workbook(io.BytesIO(got.content))
    assert wb["Answers"]["B3"].value == "vale"
    csv = (
        "partner,statement_id,answer,evidence,note\n"
        "vale,SW-DA-1,met,,\nicb,SW-DA-1,partly met,,\npolice,SW-DA-1,not met,,\n"
    )
    page = client.get("/framework/answers?partner=vale").text
    r = client.post(
        "/framework/import",
        data={"csrf": csrf_of(page)},
        files={"file": ("answers.csv", csv.encode(), "text/csv")},
    )
    assert r.status_code == 200, r.text
    assert "Imported 3 answers from answers.csv into assessment 2025/26" in r.text
    # a bad row: the importer's table (row, column, value, fix), nothing written
    bad = "partner,statement_id,answer\nvale,SW-DA-2,lots\n"
    r = client.post(
        "/framework/import",
        data={"csrf": csrf_of(page)},
        files={"file": ("bad.csv", bad.encode(), "text/csv")},
    )
    flat = _flat(r.text)
    assert r.status_code == 400 and "<code>lots</code>" in flat and "not an answer" in flat
    assert len(_answers(place)) == 3
    # the report, as HTML and XLSX, and the anonymised export; each in the audit log
    sign_in(client, "board")
    html = client.get("/framework/report", params={"format": "html"})
    assert html.status_code == 200 and "attachment" in html.headers["content-disposition"]
    assert "50.0" in html.text
    xlsx = client.get("/framework/report", params={"format": "xlsx"})
    assert xlsx.status_code == 200
    openpyxl.load_workbook(io.BytesIO(xlsx.content))
    export = client.get("/framework/export.json").json()
    assert export["overall"]["points"] == 3 and export["overall"]["out_of"] == 6
    assert "vale" not in json.dumps(export)
    # the board reads, never writes or answers
    assert client.get("/framework/answers").status_code == 403
    with place.read() as ws:
        actions = [e.action for e in ws.audit_log(limit=50)]
    for action in (
        "framework questionnaire download",
        "framework report export",
        "framework export",
        "framework import",
        "framework start",
    ):
        assert action in actions, action


def test_plan_set_and_progress(site: Site) -> None:
    client, place, folder = site
    with place.write("test") as ws:
        service.start_assessment(ws, "2025/26")
        for p, a in (("vale", "met"), ("icb", "partly"), ("police", "not met")):
            service.answer(ws, p, "SW-DA-1", a)
    sign_in(client, "mem")
    page = client.get("/framework/plan").text
    r = client.post(
        "/framework/plan",
        data={
            "csrf": csrf_of(page),
            "statement": "SW-DA-1",
            "owner": "Head of finance",
            "due": "2026-03-31",
            "note": "",
        },
    )
    assert r.status_code == 200 and "The plan for" in r.text
    gap = next(
        g
        for g in client.get("/api/framework/plan").json()["gaps"]
        if g["statement_id"] == "SW-DA-1"
    )
    assert (gap["owner"], gap["due"], gap["score"]["pct"]) == (
        "Head of finance",
        "2026-03-31",
        "50.0",
    )
    r = client.post(
        "/framework/plan",
        data={"csrf": csrf_of(page), "statement": "SW-DA-1", "due": "31/03/2026"},
    )
    assert r.status_code == 400 and "not a date" in r.text
    # one assessment: no progress yet, said on the page
    assert "No assessment before" in client.get("/framework/progress").text
    with place.write("test") as ws:
        service.start_assessment(ws, "2026/27")
        for p, a in (("vale", "met"), ("icb", "met"), ("police", "partly")):
            service.answer(ws, p, "SW-DA-1", a)
    # 2026/27: 2 + 2 + 1 = 5 of 6 = 83.3 %; from 50.0 % that is 1/3 x 100 = 33.3 points up
    flat = _flat(client.get("/framework/progress").text)
    assert "50.0%</td>" in flat and "83.3%</td>" in flat and "+33.3" in flat
    run = CliRunner().invoke(cli, ["framework", "progress", "--json", "-w", str(folder)])
    assert client.get("/api/framework/progress").json() == json.loads(run.stdout)
    # an analyst reads the plan but may not set it
    sign_in(client, "vana")
    assert client.get("/framework/plan").status_code == 200
    r = client.post("/framework/plan", data={"csrf": csrf_of(page), "statement": "SW-DA-1"})
    assert r.status_code == 403


def test_docs_web_md_gives_the_figures_these_tests_check() -> None:
    """The worked example of docs/web.md, "Self-assessment on the web": the figures the
    tests above get from the pages."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
    section = " ".join(doc.split("## Self-assessment on the web")[1].split("\n## ")[0].split())
    for figure in (
        "the council's score is 2 of 2 points, **100.0%**",
        "the police's score is 0 of 2, **0.0%**",
        "the partnership's is 2 + 1 + 0 = **3 of 6 points, 50.0%**",
        "met, met, partly met: 2 + 2 + 1 = 5 of 6, **83.3%**",
        "(5/6 − 3/6) × 100 = **+33.3** points",
    ):
        assert figure in section, figure


def test_xlsx_downloads_neutralise_a_note_that_is_a_formula(site: Site) -> None:
    """A note or evidence typed as a formula comes out of the questionnaire and the report
    as text (prefixed with ``'``), never a formula a spreadsheet would run."""
    client, place, _folder = site
    with place.write("test") as ws:
        service.start_assessment(ws, "2025/26")
    sign_in(client, "admin")
    payload = '=HYPERLINK("http://attacker.invalid/","PWN1")'
    r = _answer(client, "SW-DA-1", "not met", partner="vale", note=payload, evidence="+PWN2")
    assert r.status_code == 303
    for path, params in (
        ("/framework/questionnaire.xlsx", {"partner": "vale"}),
        ("/framework/report", {"format": "xlsx"}),
    ):
        wb = openpyxl.load_workbook(io.BytesIO(client.get(path, params=params).content))
        found = 0
        for sheet in wb.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    v = cell.value
                    if isinstance(v, str) and "PWN" in v:
                        found += 1
                        assert cell.data_type == "s" and v.startswith("'"), (path, v)
        assert found >= 2, path
