"""Appraisals in the browser's terms: upload the shipped example, read its figures (the same
as `wholeplace cba run --json`; PV of costs £635,537.63 is worked by hand in docs/cba.md),
download its HTML and XLSX reports; a bad file gets the problem table."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from importlib import resources

import openpyxl
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_place import csrf_of, sign_in

from wholeplace.cli import app as cli

EXAMPLE = resources.files("wholeplace") / "data" / "cba" / "example_appraisal.yaml"


def _run(client: TestClient, output: str, name: str = "example.yaml", body: bytes | None = None):
    csrf = csrf_of(client.get("/appraisals").text)
    content = EXAMPLE.read_bytes() if body is None else body
    return client.post(
        "/appraisals/run",
        data={"csrf": csrf, "output": output},
        files={"file": (name, content, "application/yaml")},
    )


def test_run_on_the_page_matches_the_cli(client: TestClient) -> None:
    sign_in(client, "mem")
    r = _run(client, "page")
    assert r.status_code == 200, r.text
    flat = " ".join(r.text.split())
    assert "Present value of costs</th> <td" in flat and "£635,537.63" in flat
    cli_json = json.loads(CliRunner().invoke(cli, ["cba", "run", str(EXAMPLE), "--json"]).stdout)
    npv = cli_json["net_present_public_value"]
    pounds = f"£{Decimal(npv):,.2f}"
    assert pounds in flat


def test_download_html_and_xlsx_and_audit(client: TestClient) -> None:
    sign_in(client, "admin")
    html = _run(client, "html")
    assert html.status_code == 200
    assert html.headers["content-disposition"] == 'attachment; filename="example-report.html"'
    assert "635,537.63" in html.text
    xlsx = _run(client, "xlsx")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames
    actions = [e["action"] for e in client.get("/api/audit").json()[:2]]
    assert actions == ["appraisal export", "appraisal export"]


def test_bad_appraisal_gets_the_problem_table(client: TestClient) -> None:
    sign_in(client, "mem")
    r = _run(client, "page", body=b"name: x\nsettings: [1, 2\n")
    assert r.status_code == 400 and 'id="problem-table"' in r.text
    r = _run(client, "page", name="evil.exe")
    assert r.status_code == 400 and "not a YAML or YML or XLSX file" in r.text


def test_analysts_and_board_cannot_run_appraisals(client: TestClient) -> None:
    for name in ("ana", "board"):
        sign_in(client, name)
        assert client.get("/appraisals").status_code == 403
