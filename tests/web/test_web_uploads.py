"""Uploads: the importer's problems as a table, nothing stored on a bad file, the total
changing on a good one, an analyst held to their own partner, size and name limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_place import build_place, csrf_of, sign_in

from wholeplace.web import Place, create_app
from wholeplace.web.uploads import safe_name

BAD = (
    "partner,year,service,amount_gbp\n"
    "cc,2025/26,Adult social care,100.00\n"
    "cc,2025/26,Adult social care,ten pounds\n"
    "cc,2025/26,Space travel,5.00\n"
)
# 2025/26: 100.00 + 23.45 = 123.45
GOOD = (
    "partner,year,service,amount_gbp\ncc,2025/26,Adult social care,100.00\ncc,2025/26,EDU,23.45\n"
)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[Path, Place]]:
    folder = build_place(tmp_path)
    place = Place.open(folder, max_upload=64 * 1024)
    yield folder, place
    place.close()


@pytest.fixture
def web(fresh: tuple[Path, Place]) -> Iterator[TestClient]:
    with TestClient(create_app(fresh[1])) as c:
        yield c


def _upload(client: TestClient, name: str, body: bytes | str, **data: str) -> tuple[int, str]:
    csrf = csrf_of(client.get("/uploads").text)
    content = body.encode("utf-8") if isinstance(body, str) else body
    r = client.post(
        "/uploads/spend", data={"csrf": csrf, **data}, files={"file": (name, content, "text/csv")}
    )
    return r.status_code, r.text


def _count(client: TestClient) -> int:
    return sum(
        1
        for e in client.get("/api/audit", params={"limit": 5000}).json()
        if "import" in e["action"]
    )


def test_bad_file_shows_every_problem_by_row_and_stores_nothing(web: TestClient) -> None:
    sign_in(web, "admin")
    before = _count(web)
    status, html = _upload(web, "spend 2025.csv", BAD)
    assert status == 400
    assert 'id="problem-table"' in html
    assert "Nothing was stored" in html
    # row 3: the amount; row 4: the service (rows counted as a spreadsheet shows them)
    rows = html.split('<tr class="govuk-table__row">')[2:]
    cells = [" ".join(r.split()) for r in rows]
    assert any(">3</td>" in c and "amount_gbp" in c and "ten pounds" in c for c in cells)
    assert any(">4</td>" in c and "service" in c and "Space travel" in c for c in cells)
    assert all("spend 2025.csv" in c for c in cells)  # the name the user gave, not a path
    assert _count(web) == before
    assert "2025/26" not in web.get("/api/spend/drill").json()["year"]


def test_good_file_changes_the_total(web: TestClient) -> None:
    sign_in(web, "admin")
    # seen once before the upload: the server keeps these views until its next write
    assert "£3,250.75" in web.get("/").text
    assert "£3,250.75" in web.get("/spend").text
    assert web.get("/api/spend/map").json()["total_gbp"] == "3250.75"
    status, html = _upload(web, "spend.csv", GOOD)
    assert status == 200, html
    assert "Imported 2 lines (£123.45) from spend.csv." in html
    # the newest year is shown: 123.45 is all of 2025/26
    assert "£123.45" in web.get("/").text
    assert "£123.45" in web.get("/spend").text
    assert web.get("/api/spend/map").json()["total_gbp"] == "123.45"
    assert web.get("/api/spend/drill", params={"year": "2025/26"}).json()["total_gbp"] == "123.45"
    # and 2024/25 is as it was
    assert web.get("/api/spend/drill", params={"year": "2024/25"}).json()["total_gbp"] == "3250.75"


def test_analyst_uploads_only_for_their_own_partner(web: TestClient) -> None:
    sign_in(web, "bob")  # the trust's analyst
    status, html = _upload(web, "ours.csv", GOOD)  # rows that name the council
    assert status == 400
    assert "this file is being imported for partner &#39;trust&#39;" in html
    status, _html = _upload(web, "ours.csv", GOOD, partner="cc")
    assert status == 403
    status, html = _upload(
        web, "ours.csv", "year,service,amount_gbp\n2025/26,NHS.ACUTE,10.00\n", partner="trust"
    )
    assert status == 200 and "Imported 1 lines (£10.00)" in html
    sign_in(web, "admin")
    assert web.get("/api/spend/drill", params={"year": "2025/26"}).json()["total_gbp"] == "10.00"


def test_oversized_upload_is_refused_and_nothing_stored(web: TestClient) -> None:
    sign_in(web, "admin")
    before = _count(web)
    big = GOOD + "cc,2025/26,EDU,1.00\n" * 5000  # about 100 KB, over the 64 KiB limit
    status, html = _upload(web, "big.csv", big)
    assert status == 413 and "bigger than this server accepts" in html
    assert _count(web) == before


def test_upload_name_cannot_leave_the_place(web: TestClient, fresh: tuple[Path, Place]) -> None:
    sign_in(web, "admin")
    status, html = _upload(web, "../../../escaped.csv", GOOD)
    assert status == 200 and "from escaped.csv" in html
    root = fresh[0].parent
    assert not list(root.rglob("escaped.csv"))  # the scratch copy is gone, and was inside
    status, html = _upload(web, "payload.exe", GOOD)
    assert status == 400 and "not a CSV or XLSX file" in html


def test_safe_name() -> None:
    assert safe_name("../../x.csv") == "x.csv"
    assert safe_name("C:\\Users\\me\\..\\spend.XLSX") == "spend.XLSX"
    assert safe_name("a<b>\x00.csv") == "a_b_.csv"
    with pytest.raises(Exception, match="not a CSV or XLSX"):
        safe_name("x.csv/..")


def test_partner_upload_escapes_hostile_names(web: TestClient) -> None:
    sign_in(web, "admin")
    csrf = csrf_of(web.get("/uploads").text)
    hostile = "<script>alert(1)</script>"
    body = f'id,name,type,group,sector\nevil,"{hostile}",voluntary,"{hostile}",voluntary\n'
    r = web.post(
        "/uploads/partners",
        data={"csrf": csrf},
        files={"file": ("partners.csv", body.encode(), "text/csv")},
    )
    assert r.status_code == 200 and "Imported 1 partners." in r.text
    status, _ = _upload(
        web, "evil.csv", "year,service,amount_gbp\n2024/25,EDU,5.00\n", partner="evil"
    )
    assert status == 200
    for page in ("/", "/spend", "/uploads", "/users", "/spend?group=" + hostile):
        text = web.get(page).text
        assert hostile not in text, page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in web.get("/spend?group=" + hostile).text
