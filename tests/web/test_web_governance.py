"""The governance register on the web (issue 13): the page and its JSON twin over the register
of docs/web.md's "Governance on the web" (three agreements, three flows of data), checked on
days worked by hand there; the upload with its problem table and nothing stored; CSRF; who
may do what; a partner's name with ``<script>`` in it; the report downloads, audited.

The days, worked by hand (docs/web.md): ISA-2 has no ``expires``, so it ends on its review
date, 2026-11-29; ISA-3 ends 2027-01-15 (31 + 15 = 46 days after 2026-11-30) and its review
date 2026-06-30 was 31 + 31 + 30 + 31 + 30 = 153 days before; ISA-1 ends 2027-03-31
(31 + 31 + 28 + 31 = 121 days after 2026-11-30; 15 + 28 + 31 = 74 after 2027-01-16).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from governance_place import DOC, REGISTER, build_governance_place
from openpyxl import load_workbook
from typer.testing import CliRunner
from web_place import csrf_of, sign_in

from wholeplace.cli import app as cli
from wholeplace.partners import add_partner
from wholeplace.web import Place
from wholeplace.workspace import Workspace

BAD = REGISTER.replace("parties: [trust, cc]", "parties: [nhs, cc]").replace(
    "review_date: 2026-12-31", "review_date: soon"
)
SCRIPT = "<script>alert('wp')</script>"
TODAY = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def place_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_governance_place(tmp_path_factory.mktemp("gov"), "Testshire Police " + SCRIPT)


@pytest.fixture(scope="module")
def app_place(place_dir: Path) -> Iterator[Place]:
    """The place with its clock at noon on 30 November 2026: "today" on the page."""
    p = Place.open(place_dir, clock=lambda: TODAY)
    yield p
    p.close()


def _upload(client: TestClient, body: str, name: str = "governance.yaml", csrf: str | None = None):
    token = csrf if csrf is not None else csrf_of(client.get("/governance").text)
    files = {"file": (name, body.encode("utf-8"), "application/yaml")}
    return client.post("/governance/upload", data={"csrf": token}, files=files)


def _imports(client: TestClient) -> int:
    sign_in(client, "admin")
    return sum(e["action"] == "governance import" for e in client.get("/api/audit").json())


def _text(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:p|table)>', html, re.S)
    assert found, element_id
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.fixture
def member(client: TestClient) -> TestClient:
    sign_in(client, "mem")
    r = _upload(client, REGISTER)
    assert r.status_code == 200, r.text
    return client


def test_the_page_answers_first_with_the_flow_without_an_agreement(member: TestClient) -> None:
    html = member.get("/governance", params={"as_of": "2026-11-30"}).text
    assert _text(html, "governance-answer") == (
        "1 of 3 flows of data has no current agreement that covers it on 30 November 2026: F2."
    )
    # the answer and the flows without one come before the register itself
    assert html.index("flows-without-agreement") < html.index("governance-agreements")
    uncovered = _text(html, "flows-without-agreement")
    assert "F2" in uncovered and "F1" not in uncovered and "F3" not in uncovered
    # parties by their names, not their ids
    agreements = _text(html, "governance-agreements")
    assert "Testshire Hospitals NHS Trust, Testshire County Council" in agreements
    assert "6(1)(e) public task; 9(2)(h) health or social care" in agreements
    # each agreement's state, in words: ISA-2 ended yesterday, ISA-3 ends in 46 days and was
    # due for review 153 days ago, ISA-1 ends in 121 days (more than 90: no warning)
    rows = {m[0]: m[1] for m in re.findall(r"\((ISA-\d)\)</th>(.*?)</tr>", html, re.S)}
    assert "Expired" in rows["ISA-2"] and "1 day ago" in rows["ISA-2"]
    assert "Ends soon" in rows["ISA-3"] and "in 46 days" in rows["ISA-3"]
    assert "Review overdue" in rows["ISA-3"] and "153 days ago" in rows["ISA-3"]
    assert "In force" in rows["ISA-1"] and "Expired" not in rows["ISA-1"]


def _heat_cells(html: str, table_id: str) -> dict[tuple[int, int], str]:
    """The heat map's cells by (likelihood, impact), each as the words it says."""
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert found, table_id
    cells: dict[tuple[int, int], str] = {}
    for impact, row in re.findall(r">Impact (\d)</th>(.*?)</tr>", found.group(0), re.S):
        for likelihood, td in enumerate(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S), 1):
            cells[likelihood, int(impact)] = " ".join(re.sub(r"<[^>]+>", " ", td).split())
    return cells


def test_the_risk_heat_maps_count_the_worked_registers_risks(member: TestClient) -> None:
    """docs/web.md's register, placed by hand: before mitigation R1 is likelihood 4 by impact
    4 = 16, very high; R2 3 x 4 = 12, high; R3 2 x 2 = 4, low (one risk in each of three
    cells). After: R1 and R2 both 2 x 3 = 6, medium, two risks in one cell; R3 1 x 2 = 2,
    low. The other 22 and 23 cells are empty but still say their band and score."""
    html = member.get("/governance", params={"as_of": "2026-11-30"}).text
    before = _heat_cells(html, "heat-inherent")
    after = _heat_cells(html, "heat-residual")
    assert len(before) == len(after) == 25
    assert before[4, 4] == "1 risk very high (16): R1"
    assert before[3, 4] == "1 risk high (12): R2"
    assert before[2, 2] == "1 risk low (4): R3"
    assert after[2, 3] == "2 risks medium (6): R1, R2"
    assert after[1, 2] == "1 risk low (2): R3"
    assert sum("risk" in words for words in before.values()) == 3
    assert sum("risk" in words for words in after.values()) == 2
    assert before[5, 5] == "very high (25)" and after[1, 1] == "low (1)"
    assert _text(html, "heat-inherent-words") == (
        "Before mitigation: 3 risks, 1 very high, 1 high, 0 medium, 1 low."
    )
    assert _text(html, "heat-residual-words") == (
        "After mitigation (residual): 3 risks, 0 very high, 0 high, 2 medium, 1 low."
    )
    # docs/web.md works the same placing and says the same sentences
    section = " ".join(DOC.split("## Governance on the web")[1].split("\n## ")[0].split())
    for said in (
        "R1 is likelihood 4 by impact 4 = 16, very high",
        "R2 3 × 4 = 12, high",
        "R3 2 × 2 = 4, low",
        "R1 and R2 are both 2 × 3 = 6, medium, two risks in one cell",
        "R3 1 × 2 = 2, low",
        _text(html, "heat-inherent-words"),
        _text(html, "heat-residual-words"),
    ):
        assert said in section, said
    # the same cells as the downloaded workbook's heat map: one grid, drawn twice
    wb = load_workbook(BytesIO(member.get("/governance/report?format=xlsx").content))
    assert wb["Heat map"].cell(row=4, column=5).value == "very high (16): R1"


@pytest.mark.parametrize(
    ("as_of", "answer"),
    [
        (
            "2026-11-29",
            "Every flow of data (3) has a current agreement that covers it on 29 November 2026.",
        ),
        (
            "2027-01-16",
            "2 of 3 flows of data have no current agreement that covers them on "
            "16 January 2027: F2 and F3.",
        ),
    ],
)
def test_the_answer_on_other_days(member: TestClient, as_of: str, answer: str) -> None:
    html = member.get("/governance", params={"as_of": as_of}).text
    assert _text(html, "governance-answer") == answer
    assert " ".join(answer.split()) in " ".join(DOC.split())


def test_today_is_the_servers_day_in_london(member: TestClient) -> None:
    html = member.get("/governance").text
    assert 'value="2026-11-30"' in html
    assert "on 30 November 2026: F2." in _text(html, "governance-answer")


def test_the_json_is_the_command_lines(member: TestClient, tmp_path: Path) -> None:
    """`/api/governance?as_of=DATE` is `governance report --as-of DATE --json` over a place
    holding the same partners and register."""
    got = member.get("/api/governance", params={"as_of": "2026-11-30"}).json()
    folder = tmp_path / "place"
    ws = Workspace.create(folder, "Testshire")
    try:
        for pid in ("cc", "trust", "police"):
            add_partner(
                ws, {"id": pid, "name": pid, "type": "other", "group": "G", "sector": "other"}
            )
    finally:
        ws.close()
    (tmp_path / "governance.yaml").write_text(REGISTER, encoding="utf-8")
    runner = CliRunner()
    w = ["--workspace", str(folder)]
    r = runner.invoke(cli, ["governance", "import", str(tmp_path / "governance.yaml"), *w])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["governance", "report", "--as-of", "2026-11-30", "--json", *w])
    assert r.exit_code == 0, r.output
    assert got == json.loads(r.stdout)
    assert [(x["kind"], x["subject"], x["days"]) for x in got["warnings"]] == [
        ("agreement_expired", "ISA-2", -1),
        ("agreement_expiring", "ISA-3", 46),
        ("agreement_review_overdue", "ISA-3", -153),
        ("flow_without_agreement", "F2", None),
    ]


def test_a_bad_date_is_refused_with_a_fix(member: TestClient) -> None:
    page = member.get("/governance", params={"as_of": "soon"})
    assert page.status_code == 400 and "write it as 2025-03-31" in page.text
    api = member.get("/api/governance", params={"as_of": "2026-02-30"})
    assert api.status_code == 400 and "2025-03-31" in api.json()["error"]


def test_a_bad_register_gets_the_problem_table_and_nothing_is_stored(
    member: TestClient,
) -> None:
    before = member.get("/api/governance", params={"as_of": "2026-11-30"}).json()
    imports = _imports(member)
    sign_in(member, "mem")
    r = _upload(member, BAD, "bad register.yaml")
    assert r.status_code == 400
    table = _text(r.text, "problem-table")
    body = r.text.split('id="problem-table"')[1].split("</table>")[0].split("<tbody")[1]
    cells = [
        [
            " ".join(re.sub(r"<[^>]+>", "", c).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]
    # file, sheet (section), row (line), column (field), value, problem, fix: docs/web.md
    assert [c[:5] for c in cells] == [
        ["bad register.yaml", "agreements", "8", "parties", "nhs"],
        ["bad register.yaml", "agreements", "16", "review_date", "soon"],
    ]
    assert all(c[6] for c in cells)  # each with its fix
    assert "not a partner of this place" in table
    assert "agreements line 8 column `parties` value `nhs`" in " ".join(DOC.split())
    assert "line 16 column `review_date` value `soon`" in " ".join(DOC.split())
    assert member.get("/api/governance", params={"as_of": "2026-11-30"}).json() == before
    assert _imports(member) == imports


def test_a_file_that_is_not_yaml_is_refused(member: TestClient) -> None:
    r = _upload(member, "id,name\n", "register.csv")
    assert r.status_code == 400 and "choose a .yaml or .yml file" in r.text


def test_the_upload_needs_the_forms_csrf_token(member: TestClient) -> None:
    imports = _imports(member)
    sign_in(member, "mem")
    r = _upload(member, BAD.replace("nhs", "trust").replace("soon", "2026-12-31"), csrf="forged")
    assert r.status_code == 403
    assert _imports(member) == imports


def test_an_upload_is_audited_with_its_checksum(member: TestClient) -> None:
    sign_in(member, "admin")
    latest = next(e for e in member.get("/api/audit").json() if e["action"] == "governance import")
    assert latest["who"].startswith("mem@")
    assert latest["sha256"] == hashlib.sha256(REGISTER.encode("utf-8")).hexdigest()


def test_who_may_read_upload_and_download(member: TestClient) -> None:
    for user in ("board", "ana"):
        sign_in(member, user)
        page = member.get("/governance", params={"as_of": "2026-11-30"})
        assert page.status_code == 200 and "F2" in _text(page.text, "governance-answer")
        assert "governance-form" not in page.text and "download-xlsx" not in page.text
        assert member.get("/api/governance").status_code == 200
        # a board viewer (or an analyst) cannot upload, even with a good token
        r = _upload(member, REGISTER, csrf=csrf_of(page.text))
        assert r.status_code == 403
        assert member.get("/governance/report", params={"format": "html"}).status_code == 403
    sign_in(member, "admin")
    assert _upload(member, REGISTER).status_code == 200


def test_a_partners_name_with_script_is_escaped(member: TestClient) -> None:
    html = member.get("/governance", params={"as_of": "2026-11-30"}).text
    assert SCRIPT not in html and "<script>alert" not in html
    assert "Testshire Police &lt;script&gt;alert(" in html
    # the police sends F2: its name is in the flows without an agreement
    assert (
        "Testshire Police &lt;script&gt;"
        in html.split('id="flows-without-agreement"')[1].split("</table>")[0]
    )


def test_the_report_downloads_are_audited(member: TestClient) -> None:
    r = member.get("/governance/report", params={"format": "xlsx", "as_of": "2026-11-30"})
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="governance-2026-11-30.xlsx"'
    wb = load_workbook(BytesIO(r.content))
    assert "Warnings" in wb.sheetnames
    cells = [str(c.value) for row in wb["Warnings"].iter_rows() for c in row if c.value]
    assert any("ISA-3" in c and "in 46 days" in c for c in cells)
    html = member.get("/governance/report", params={"as_of": "2026-11-30"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "4 warnings" in html.text
    assert member.get("/governance/report", params={"format": "doc"}).status_code == 404
    sign_in(member, "admin")
    exports = [e for e in member.get("/api/audit").json() if e["action"] == "governance export"]
    assert [e["detail"] for e in exports[:2]] == [
        {"as_of": "2026-11-30", "format": "html"},
        {"as_of": "2026-11-30", "format": "xlsx"},
    ]
    assert all(e["who"].startswith("mem@") for e in exports[:2])


def test_text_of_the_register_is_escaped_on_the_page_and_in_the_report(
    member: TestClient,
) -> None:
    hostile = REGISTER.replace("title: Safeguarding adults", f'title: "{SCRIPT}"').replace(
        "purpose: Protect adults at risk", 'purpose: "\\"><img src=x onerror=alert(2)>"'
    )
    assert _upload(member, hostile).status_code == 200
    for html in (
        member.get("/governance", params={"as_of": "2026-11-30"}).text,
        member.get("/governance/report", params={"as_of": "2026-11-30"}).text,
    ):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html
