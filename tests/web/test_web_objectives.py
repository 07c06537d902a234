"""Shared objectives on the web (issue 13: every capability gets its pages): the analysis on
/objectives and as /api/objectives (exactly `wholeplace objectives report --json`), uploads
of the customer groups and objectives files, and the report downloaded as HTML and XLSX.

The place is the web tests' (tests/helpers/web_place.py). Its 2024/25 spend, consolidated:
the council spends £1,000.00 on Older people and £250.50 on Children and families (its
£300.00 to the trust eliminated); the trust £2,000.25 on Older people. The groups file below
makes "Children and families" a spend label of Families with children. The objectives: the
council and the trust both reduce Emergency hospital admissions of Older people (an
overlap), and the trust also increases Care home placements for them, so the two partners
pursue different outcomes for the one group (different approaches); no conflict. By hand:

- spend with an objective: £1,000.00 (council, Older people) + £2,000.25 (trust, Older
  people) = £3,000.25;
- spend with no objective: the council's £250.50 on Families with children;
- on no group of the place: £0.00; total £3,000.25 + £250.50 = £3,250.75, the spend map's;
- share with an objective: 3,000.25 / 3,250.75 = 0.922941... -> 92.3%.

docs/web.md ("Objectives on the web") works the same example.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from objectives_files import GROUPS, OBJECTIVES, SENTENCE
from typer.testing import CliRunner
from web_place import build_place, csrf_of, sign_in

from wholeplace.cli import app as cli
from wholeplace.web import Place, create_app

DOC = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")

# row 2: no such partner; row 3: a direction that is none of the three
BAD = (
    "partner,objective,customer_group,outcome,direction,target,measure\n"
    "nosuch,Help older people stay at home,Older people,Admissions,reduce,,per 1000\n"
    "cc,Fewer admissions,Older people,Admissions,upwards,,per 1000\n"
)

SERVED = Decimal("1000.00") + Decimal("2000.25")
WITHOUT = Decimal("250.50")
TOTAL = SERVED + WITHOUT
SUMMARY = (
    "3 objectives of 2 partners: 1 overlap, 0 conflicts, "
    "1 customer group with different approaches."
)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def place_dir(tmp_path: Path) -> Path:
    return build_place(tmp_path)


@pytest.fixture
def app_place(place_dir: Path) -> Iterator[Place]:
    p = Place.open(place_dir)
    yield p
    p.close()


@pytest.fixture
def client(app_place: Place) -> Iterator[TestClient]:
    with TestClient(create_app(app_place)) as c:
        yield c


def upload(client: TestClient, route: str, name: str, text: str, csrf: str | None = None):
    token = csrf if csrf is not None else csrf_of(client.get("/objectives").text)
    files = {"file": (name, text.encode("utf-8"), "text/csv")}
    return client.post(route, data={"csrf": token}, files=files)


def upload_both(client: TestClient, objectives: str = OBJECTIVES) -> None:
    r = upload(client, "/objectives/groups", "groups.csv", GROUPS)
    assert r.status_code == 200, r.text
    assert "Customer groups from groups.csv: 2 added, 0 replaced." in r.text
    r = upload(client, "/objectives/import", "objectives.csv", objectives)
    assert r.status_code == 200, r.text
    assert "Imported 3 objectives from objectives.csv." in r.text


def test_the_page_and_api_show_the_hand_computed_figures(client: TestClient) -> None:
    sign_in(client, "mem")
    upload_both(client)
    page = client.get("/objectives")
    assert page.status_code == 200
    text = _flat(page.text)
    # the answer first, then which objectives the spend serves, by partner name
    assert text.index(SUMMARY) < text.index(SENTENCE) < text.index("Which objectives the spend")
    assert "Testshire County Council" in text and "Testshire Hospitals NHS Trust" in text
    assert (
        'Testshire County Council</th><td class="govuk-table__cell">Families with children'
        '</td><td class="govuk-table__cell"><strong>No objective</strong>'
    ) in text
    assert "£3,000.25" in text and "£250.50" in text and "£2,000.25" in text
    # the chart and the table behind it: the partners' rows, in their own colours
    assert 'id="chart-data"' in text and 'id="objectives-spend-table"' in text
    chart = json.loads(page.text.split('id="chart-data">')[1].split("</script>")[0])
    assert chart["labels"] == ["Families with children", "Older people"]
    by_name = {s["name"]: s["values"] for s in chart["series"]}
    assert by_name == {
        "Testshire County Council": ["250.50", "1000.00"],
        "Testshire Hospitals NHS Trust": ["0.00", "2000.25"],
    }
    assert all(s["colour"].startswith("#") for s in chart["series"])
    assert sum(Decimal(v) for vs in by_name.values() for v in vs) == TOTAL
    # the JSON: the command line's, with the hand's figures in it
    data = client.get("/api/objectives").json()
    assert data["summary"] == SUMMARY
    cells = {(c["partner"], c["customer_group"]): c for c in data["matrix"]["cells"]}
    assert cells[("cc", "Older people")]["spend_gbp"] == "1000.00"
    assert cells[("trust", "Older people")]["spend_gbp"] == "2000.25"
    assert cells[("cc", "Families with children")]["spend_gbp"] == "250.50"
    assert cells[("cc", "Families with children")]["objectives"] == []
    assert data["matrix"]["unmatched_spend"] == []
    served = sum(
        (Decimal(c["spend_gbp"]) for c in cells.values() if c["objectives"] and c["spend_gbp"]),
        Decimal(0),
    )
    assert served == SERVED == Decimal("3000.25")
    assert [f["outcome"] for f in data["overlaps"]] == ["Emergency hospital admissions"]
    assert data["conflicts"] == []
    assert [f["customer_group"] for f in data["different_approaches"]] == ["Older people"]


def test_the_api_is_exactly_the_commands_json(place_dir: Path) -> None:
    p = Place.open(place_dir)
    try:
        with TestClient(create_app(p)) as client:
            sign_in(client, "admin")
            upload_both(client)
            api = client.get("/api/objectives", params={"year": "2024/25"}).json()
            latest = client.get("/api/objectives").json()
    finally:
        p.close()  # the server's hold on the place, so the command line may open it
    out = CliRunner().invoke(
        cli, ["objectives", "report", "--year", "2024/25", "-w", str(place_dir), "--json"]
    )
    assert out.exit_code == 0, out.stdout
    assert api == json.loads(out.stdout) == latest


def test_a_year_the_place_does_not_hold_is_refused(client: TestClient) -> None:
    sign_in(client, "board")
    # no objectives yet: the page says what to do, the API refuses with the same words
    page = client.get("/objectives")
    assert page.status_code == 200 and "No objectives imported yet" in page.text
    assert client.get("/api/objectives").status_code == 400
    sign_in(client, "mem")
    upload_both(client)
    sign_in(client, "board")
    assert 'option value="2024/25" selected' in client.get("/objectives").text
    r = client.get("/objectives", params={"year": "2019/20"})
    assert r.status_code == 400 and "No spend for 2019/20" in r.text
    r = client.get("/api/objectives", params={"year": "2019/20"})
    assert r.status_code == 400 and "No spend for 2019/20" in r.json()["error"]


def test_a_bad_upload_shows_the_problem_table_and_stores_nothing(client: TestClient) -> None:
    sign_in(client, "admin")
    r = upload(client, "/objectives/groups", "groups.csv", GROUPS)
    assert r.status_code == 200
    before = client.get("/api/audit").json()
    r = upload(client, "/objectives/import", "bad.csv", BAD)
    assert r.status_code == 400
    text = _flat(r.text)
    assert 'id="problem-table"' in text
    rows = text.split('id="problem-table"')[1]
    # row 2's partner, row 3's direction: file, row, column, value
    cell = '<td class="govuk-table__cell">'
    assert f"{cell}bad.csv</td> {cell}</td> " in rows
    assert f"{cell}2</td> {cell}partner</td>" in rows
    assert "<code>nosuch</code>" in rows
    assert f"{cell}3</td> {cell}direction</td>" in rows
    assert "<code>upwards</code>" in rows
    # nothing stored: still no objectives, and no new entry in the audit log
    assert client.get("/api/objectives").status_code == 400
    assert client.get("/api/audit").json() == before


def test_an_upload_without_the_forms_token_is_refused(client: TestClient) -> None:
    sign_in(client, "mem")
    for route, name, text in (
        ("/objectives/groups", "groups.csv", GROUPS),
        ("/objectives/import", "objectives.csv", OBJECTIVES),
    ):
        r = upload(client, route, name, text, csrf="forged")
        assert r.status_code == 403, route
    assert "Customer groups from" not in client.get("/objectives").text
    assert not [e for e in client.get("/api/audit").json() if e["action"].startswith("objectives")]


def test_a_board_viewer_reads_but_cannot_upload_and_an_analyst_reads_neither(
    client: TestClient,
) -> None:
    sign_in(client, "mem")
    upload_both(client)
    sign_in(client, "board")
    page = client.get("/objectives")
    assert page.status_code == 200 and SENTENCE in _flat(page.text)
    assert 'id="objectives-upload"' not in page.text  # no form to fill in
    csrf = csrf_of(page.text)  # the sign-out form's: a real token of this session
    r = upload(client, "/objectives/import", "objectives.csv", OBJECTIVES, csrf=csrf)
    assert r.status_code == 403
    assert upload(client, "/objectives/groups", "g.csv", GROUPS, csrf=csrf).status_code == 403
    sign_in(client, "ana")
    for path in ("/objectives", "/api/objectives", "/objectives/report.xlsx"):
        assert client.get(path).status_code == 403, path
    assert "£2,000.25" not in client.get("/objectives").text


def test_an_objective_named_with_script_is_escaped(client: TestClient) -> None:
    sign_in(client, "admin")
    # a customer group's name reaches the chart's JSON too (its bars' labels)
    group = "</script><script>alert(3)</script>"
    r = upload(client, "/objectives/groups", "g.csv", GROUPS.replace("Families with", group))
    assert r.status_code == 200, r.text
    hostile = OBJECTIVES.replace(
        "Help older people stay at home", '"<script>alert(1)</script>"'
    ).replace("Care home placements", "</script><img src=x onerror=alert(2)>")
    r = upload(client, "/objectives/import", "objectives.csv", hostile)
    assert r.status_code == 200, r.text
    text = client.get("/objectives").text
    for markup in ("<script>alert(", "<img src=x", "</script><script>"):
        assert markup not in text, markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # shown, as text
    assert "&lt;img src=x onerror=alert(2)&gt;" in text
    chart = text.split('id="chart-data">')[1].split("</script>")[0]
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(3)" in chart
    assert json.loads(chart)["labels"][0] == group + " children"
    html = client.get("/objectives/report.html").text
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_the_report_downloads_as_html_and_xlsx_and_each_is_audited(client: TestClient) -> None:
    sign_in(client, "mem")
    upload_both(client)
    r = client.get("/objectives/report.html", params={"year": "2024/25"})
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="objectives-2024-25.html"'
    assert SUMMARY in _flat(r.text)
    r = client.get("/objectives/report.xlsx")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="objectives-2024-25.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "Matrix" in wb.sheetnames and "Overlaps" in wb.sheetnames
    values = [c.value for row in wb["Matrix"].iter_rows() for c in row]
    assert Decimal("2000.25") in [Decimal(str(v)) for v in values if isinstance(v, float | int)]
    log = client.get("/api/audit").json()
    exports = [e for e in log if e["action"] == "objectives export"]
    assert [e["detail"] for e in exports] == [
        {"output": "xlsx", "year": "2024/25"},
        {"output": "html", "year": "2024/25"},
    ]
    assert {e["who"] for e in exports} == {"mem@testclient"}
    imports = [e for e in log if e["action"] in ("objectives import", "objectives groups")]
    assert len(imports) == 2 and {e["who"] for e in imports} == {"mem@testclient"}


def test_docs_web_md_works_this_example() -> None:
    section = _flat(DOC.split("## Objectives on the web")[1].split("\n## ")[0])
    for figure in (
        "£1,000.00 + £2,000.25 = **£3,000.25**",
        "£250.50",
        "£3,000.25 + £250.50 = £3,250.75",
        "**92.3%**",
        SUMMARY,
        SENTENCE,
    ):
        assert figure in section, figure
    assert Decimal("3250.75") == SERVED + WITHOUT


def test_groups_from_the_spend_as_the_command_line_takes_them(
    client: TestClient, tmp_path: Path
) -> None:
    """`objectives groups --from-spend` on the web. The place's 2024/25 spend map names two
    customer groups, Children and families (the council's £250.50) and Older people (£1,000.00
    and £2,000.25), and the place has none yet: 2 added, 0 replaced, each group named as its
    spend label. A second time every label has its group: 0 added. With the objectives file
    the money is the worked example's, by hand: £3,000.25 of £3,250.75 (92.3%) to groups with
    an objective, £250.50 (Children and families) to none."""
    sign_in(client, "mem")
    page = client.get("/objectives").text
    assert 'id="groups-from-spend"' in page
    token = csrf_of(page)
    assert client.post("/objectives/groups/from-spend", data={"csrf": "forged"}).status_code == 403
    r = client.post("/objectives/groups/from-spend", data={"csrf": token, "year": "2024/25"})
    assert r.status_code == 200, r.text
    said = "Customer groups from spend map 2024/25: 2 added, 0 replaced."
    assert said in r.text
    assert said in _flat(DOC.split("## Objectives on the web")[1].split("\n## ")[0])
    assert (
        "<li>Children and families (spend labels: Children and families)</li>"
        "<li>Older people (spend labels: Older people)</li>" in r.text
    )
    # the command line, on a place of its own with the same spend, says the same
    other = build_place(tmp_path / "cli")
    res = CliRunner().invoke(cli, ["objectives", "groups", "--from-spend", "-w", str(other)])
    assert res.exit_code == 0, res.output
    assert said in _flat(res.output)
    again = client.post("/objectives/groups/from-spend", data={"csrf": token})
    assert "Customer groups from spend map 2024/25: 0 added, 0 replaced." in again.text
    bad = client.post("/objectives/groups/from-spend", data={"csrf": token, "year": "2031/32"})
    assert bad.status_code == 400
    assert "No spend for 2031/32. Years with spend: 2024/25." in bad.text
    r = upload(client, "/objectives/import", "objectives.csv", OBJECTIVES)
    assert r.status_code == 200, r.text
    assert SENTENCE in _flat(client.get("/objectives").text)
    sign_in(client, "admin")
    log = [e for e in client.get("/api/audit").json() if e["action"] == "objectives groups"]
    assert [(e["who"], e["detail"]) for e in log] == [
        ("mem@testclient", {"source": "spend map 2024/25", "added": 0, "replaced": 0}),
        ("mem@testclient", {"source": "spend map 2024/25", "added": 2, "replaced": 0}),
    ]
    sign_in(client, "board")
    page = client.get("/objectives").text
    assert 'id="groups-from-spend"' not in page
    r = client.post("/objectives/groups/from-spend", data={"csrf": csrf_of(page)})
    assert r.status_code == 403
