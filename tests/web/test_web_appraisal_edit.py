"""Editing an appraisal in the browser and comparing appraisals (issue 13: "cost-benefit
appraisals: upload or edit, run, compare, and download HTML and XLSX").

The appraisal typed into the form, worked by hand (two years at 25 %, optimism bias 0 for
grade 1, so the amounts are as typed):
    costs    1,000 in year 0 and 500 in year 1: PV 1,000 + 500 / 1.25 = 1,400.00
    social   30 a head, 10 people in year 1:    PV 300 / 1.25          =   240.00
    net present public value 240 - 1,400 = -1,160.00
Edited so the year-1 cost is 750: PV costs 1,000 + 750 / 1.25 = 1,600.00, NPPV -1,360.00.
"""

from __future__ import annotations

import html
import io
import json
import re
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_place import csrf_of, sign_in

from wholeplace.cba import analysis_service
from wholeplace.cba import service as cba_service
from wholeplace.cli import app as cli
from wholeplace.spend.service import plain
from wholeplace.web import Place

EXAMPLE = resources.files("wholeplace") / "data" / "cba" / "example_appraisal.yaml"

HAND = {
    "s-name": "Hand worked",
    "s-price_year": "2015/16",
    "s-start_year": "2015/16",
    "s-years": "2",
    "s-discount_rate": "0.25",
    "s-optimism_bias": "0, 0.1, 0.2, 0.3, 0.4, 0.5",
    "c-0-description": "Council team",
    "c-0-agency": "Council",
    "c-0-type": "revenue",
    "c-0-confidence": "1",
    "c-0-amounts": "1000, 500",
    "o-0-description": "Wellbeing",
    "o-0-value": "30",
    "o-0-value_type": "social",
    "o-0-cohort": "0, 10",
    "o-0-success": "1",
    "o-0-confidence": "1",
}


def _fields(page: str) -> dict[str, str]:
    """The editor's text fields and their values, as a browser would send them back."""
    found = re.findall(r'name="([^"]+)" type="text" value="([^"]*)"', page)
    return {k: html.unescape(v) for k, v in found}


def _post(client: TestClient, fields: dict[str, str], action: str = "run", **more: str):
    csrf = csrf_of(client.get("/appraisals").text)
    data = {"csrf": csrf, "label": "hand.yaml", "action": action, **fields, **more}
    return client.post("/appraisals/edit", data=data)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _cli_json(*args: str) -> object:
    out = CliRunner().invoke(cli, [*args, "--json"])
    assert out.exit_code == 0, out.stdout
    return json.loads(out.stdout)


def test_the_editor_shows_the_example_as_fields(client: TestClient) -> None:
    sign_in(client, "mem")
    r = client.get("/appraisals/edit")
    assert r.status_code == 200
    fields = _fields(r.text)
    assert fields["s-name"] == "Key workers for families with multiple problems"
    assert fields["s-discount_rate"] == "0.035"
    assert fields["c-0-amounts"] == "180000, 180000, 180000, 0, 0"
    assert fields["o-0-success"] == "{dist: triangular, low: 0.15, mode: 0.25, high: 0.35}"
    assert 'id="o-0-transfer" name="o-0-transfer" type="checkbox" value="true" checked' in r.text


def test_the_example_sent_back_unchanged_is_cba_run(client: TestClient, app_place: Place) -> None:
    """The JSON is `cba run --workspace PLACE --json`'s: the service the command calls, on
    this place (its partners name the agencies)."""
    sign_in(client, "mem")
    fields = _fields(client.get("/appraisals/edit").text) | {"o-0-transfer": "true"}
    r = _post(client, fields, "json", label="example_appraisal.yaml")
    assert r.status_code == 200
    with app_place.read() as ws, resources.as_file(EXAMPLE) as path:
        assert r.json() == plain(cba_service.run(path, ws).to_json())
    page = _post(client, fields)
    assert "£635,537.63" in _flat(page.text)  # PV of costs, worked by hand in docs/cba.md


def test_typed_in_appraisal_gives_the_hand_worked_figures(client: TestClient) -> None:
    sign_in(client, "mem")
    got = _post(client, HAND, "json").json()
    assert got["pv_costs"] == "1400.00"
    assert got["pv_social"] == "240.00"
    assert got["net_present_public_value"] == "-1160.00"
    page = _flat(_post(client, HAND).text)
    assert "Present value of costs</th> <td" in page and "£1,400.00" in page
    edited = _post(client, HAND | {"c-0-amounts": "1000, 750"}, "json").json()
    assert edited["pv_costs"] == "1600.00"
    assert edited["net_present_public_value"] == "-1360.00"
    assert "£1,600.00" in _flat(_post(client, HAND | {"c-0-amounts": "1000, 750"}).text)


def test_a_bad_field_is_shown_by_row_column_value_and_fix(client: TestClient) -> None:
    sign_in(client, "admin")
    before = len(client.get("/api/audit").json())
    second = {
        "c-1-description": "Nurse",
        "c-1-agency": "NHS",
        "c-1-confidence": "1",
        "c-1-amounts": "250, lots",
    }
    r = _post(client, HAND | second | {"o-0-success": "{dist: uniform, low: 0.9, high: 0.1}"})
    assert r.status_code == 400
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", r.text, re.S)
    cells = [re.findall(r"<td class=\"govuk-table__cell\">(.*?)</td>", row, re.S) for row in rows]
    cells = [[re.sub(r"</?code>", "", c).strip() for c in row] for row in cells if row]
    assert [
        "hand.yaml",
        "Costs",
        "2",
        "costs[1].amounts[1]",
        "lots",
        "not a number of zero or more",
        "give amounts in pounds as numbers of zero or more",
    ] in cells
    assert ["hand.yaml", "Outcomes", "1", "outcomes[0].success"] in [c[:4] for c in cells]
    # the fields are marked, and keep what was typed to be put right
    assert (
        'govuk-input--error" id="c-1-amounts" name="c-1-amounts" type="text" value="250, lots"'
        in r.text
    )
    assert 'govuk-input--error" id="o-0-success"' in r.text
    assert len(client.get("/api/audit").json()) == before  # nothing run, nothing recorded
    bad_yaml = _post(client, HAND | {"o-0-success": "{dist: [uniform"})
    assert bad_yaml.status_code == 400 and "not valid YAML" in bad_yaml.text
    as_json = _post(client, HAND | second, "json")
    assert as_json.status_code == 400
    assert as_json.json()["problems"][0]["column"] == "costs[1].amounts[1]"


def test_downloads_are_read_back_by_the_command_line(client: TestClient, tmp_path: Path) -> None:
    sign_in(client, "admin")
    saved = _post(client, HAND, "save-yaml")
    assert saved.headers["content-disposition"] == 'attachment; filename="hand.yaml"'
    (tmp_path / "hand.yaml").write_bytes(saved.content)
    got = _cli_json("cba", "run", str(tmp_path / "hand.yaml"))
    assert isinstance(got, dict) and got["pv_costs"] == "1400.00"
    xlsx = _post(client, HAND | {"c-0-amounts": "1000, 750"}, "save-xlsx")
    assert xlsx.headers["content-disposition"] == 'attachment; filename="hand.xlsx"'
    (tmp_path / "hand.xlsx").write_bytes(xlsx.content)
    got = _cli_json("cba", "run", str(tmp_path / "hand.xlsx"))
    assert isinstance(got, dict) and got["pv_costs"] == "1600.00"
    report = _post(client, HAND, "report-html")
    assert report.headers["content-disposition"] == 'attachment; filename="hand-report.html"'
    assert "1,400.00" in report.text
    book = _post(client, HAND, "report-xlsx")
    assert book.headers["content-disposition"] == 'attachment; filename="hand-report.xlsx"'
    assert openpyxl.load_workbook(io.BytesIO(book.content)).sheetnames
    log = client.get("/api/audit").json()[:4]
    assert [e["action"] for e in log] == ["appraisal export"] * 4
    assert log[0]["detail"] == {"file": "hand.yaml", "output": "report-xlsx", "edited": True}


def test_lines_are_added_and_removed(client: TestClient) -> None:
    sign_in(client, "mem")
    added = _post(client, HAND, "add-cost")
    assert added.status_code == 200
    assert 'id="c-1-description"' in added.text and _fields(added.text)["c-1-type"] == "revenue"
    assert 'id="o-1-description"' in _post(client, HAND, "add-outcome").text
    # a new line left blank is left out; a line marked remove is removed
    blank = _post(client, HAND | {"c-1-type": ""}, "json").json()
    assert blank["pv_costs"] == "1400.00"
    nurse = {"c-1-description": "Nurse", "c-1-agency": "NHS", "c-1-confidence": "1"}
    two = HAND | nurse | {"c-1-amounts": "100, 125"}  # PV 100 + 125 / 1.25 = 200
    assert _post(client, two, "json").json()["pv_costs"] == "1600.00"
    assert _post(client, two | {"c-0-remove": "1"}, "json").json()["pv_costs"] == "200.00"


def test_a_file_opened_into_the_editor(client: TestClient) -> None:
    sign_in(client, "mem")
    csrf = csrf_of(client.get("/appraisals").text)
    body = EXAMPLE.read_bytes().replace(b"years: 5", b"years: 4")
    r = client.post(
        "/appraisals/edit/open",
        data={"csrf": csrf},
        files={"file": ("four.yaml", body, "application/yaml")},
    )
    # the file's problems, beside its fields to put them right in
    assert r.status_code == 400 and 'id="problem-table"' in r.text
    assert "the appraisal runs 4 years" in r.text
    assert _fields(r.text)["s-years"] == "4"
    assert 'name="label" value="four.yaml"' in r.text
    r = client.post(
        "/appraisals/edit/open",
        data={"csrf": csrf},
        files={"file": ("evil.exe", b"x", "application/octet-stream")},
    )
    assert r.status_code == 400 and "not a YAML or YML or XLSX file" in r.text


def _compare(client: TestClient, output: str, files: list[tuple[str, bytes]]):
    csrf = csrf_of(client.get("/appraisals").text)
    sent = [("files", (name, body, "application/yaml")) for name, body in files]
    return client.post("/appraisals/compare", data={"csrf": csrf, "output": output}, files=sent)


def test_compare_is_cba_compare(client: TestClient, app_place: Place, tmp_path: Path) -> None:
    sign_in(client, "mem")
    one = _post(client, HAND, "save-yaml").content
    two = _post(client, HAND | {"s-name": "Dearer", "c-0-amounts": "1000, 750"}, "save-yaml")
    files = [("one.yaml", one), ("two.yaml", two.content)]
    got = _compare(client, "json", files).json()
    for name, body in files:
        (tmp_path / name).write_bytes(body)
    with app_place.read() as ws:
        cli_json = plain(analysis_service.compare([tmp_path / n for n, _ in files], ws).to_json())
    assert isinstance(cli_json, list)
    for option in cli_json:
        option["file"] = Path(option["file"]).name
    assert got == cli_json
    assert [o["pv_costs"] for o in got] == ["1400.00", "1600.00"]
    page = _compare(client, "page", files)
    assert page.status_code == 200
    table = _flat(page.text.split('id="comparison"')[1].split("</table>")[0])
    assert "Hand worked" in table and "Dearer" in table
    assert (
        '£1,400.00</td><td class="govuk-table__cell govuk-table__cell--numeric">£1,600.00' in table
    )
    report = _compare(client, "html", files)
    assert report.headers["content-disposition"] == 'attachment; filename="comparison.html"'
    book = openpyxl.load_workbook(io.BytesIO(_compare(client, "xlsx", files).content))
    assert book.sheetnames


@pytest.mark.parametrize(
    ("files", "said"),
    [
        ([("one.yaml", b"appraisal: {name: x}\n")], "Choose from 2 to 10 appraisal files"),
        ([("a.yaml", b"appraisal: {name: x}\n")] * 2, 'id="problem-table"'),
    ],
)
def test_compare_refuses_one_file_or_a_bad_one(
    client: TestClient, files: list[tuple[str, bytes]], said: str
) -> None:
    sign_in(client, "mem")
    r = _compare(client, "page", files)
    assert r.status_code == 400 and said in r.text


def test_the_editor_needs_its_csrf_token_and_the_role(client: TestClient) -> None:
    sign_in(client, "mem")
    r = client.post("/appraisals/edit", data={"csrf": "forged", "action": "run", **HAND})
    assert r.status_code == 403
    for name in ("ana", "board"):
        sign_in(client, name)
        assert client.get("/appraisals/edit").status_code == 403
        r = client.post("/appraisals/edit", data={"csrf": "x", "action": "json", **HAND})
        assert r.status_code == 403


def test_docs_web_md_gives_these_figures() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "web.md"
    flat = _flat(doc.read_text(encoding="utf-8"))
    for figure in (
        "PV of costs £1,000 + £500 / 1.25 = **£1,400.00**",
        "£300 / 1.25 = £240.00; net present public value −£1,160.00",
        "£1,000 + £750 / 1.25 = **£1,600.00**",
    ):
        assert figure in flat
