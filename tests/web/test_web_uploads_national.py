"""Uploads of transactions and revenue outturn through the web (issue 13, uploads page): the
same services as `wholeplace spend import-transactions` and `import-outturn`, the importer's
problems as a table by row, nothing stored on a bad file, and an analyst held to their own
partner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from place_state import snapshot_of
from web_place import build_place, csrf_of, sign_in

from wholeplace.web import Place, create_app

# the council's payments in May 2024 (2024/25); row 3 has a bad date and a bad amount
BAD = (
    "Supplier Name,Payment Date,Net Amount,Service Area\n"
    "Acme,01/05/2024,100.00,Adult Social Care\n"
    "Beta,32/05/2024,lots,Adult Social Care\n"
)
# 100.00 + 23.45 = 123.45
GOOD = (
    "Supplier Name,Payment Date,Net Amount,Service Area\n"
    "Acme,01/05/2024,100.00,Adult Social Care\n"
    "Beta,15/05/2024,23.45,Education\n"
)
DOC = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
RS_2017_18 = "revenue-outturn-rs/RS_2017-18_data_by_LA.xlsx"


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Place]:
    place = Place.open(build_place(tmp_path))
    yield place
    place.close()


@pytest.fixture
def web(fresh: Place) -> Iterator[TestClient]:
    with TestClient(create_app(fresh)) as c:
        yield c


def _post(
    client: TestClient, route: str, name: str, body: bytes | str, **data: str
) -> tuple[int, str]:
    csrf = csrf_of(client.get("/uploads").text)
    content = body.encode("utf-8") if isinstance(body, str) else body
    r = client.post(route, data={"csrf": csrf, **data}, files={"file": (name, content)})
    return r.status_code, r.text


def _state(place: Place) -> dict[str, list[str]]:
    with place.read() as ws:
        return snapshot_of(ws.con)


def _total(client: TestClient, year: str) -> str:
    total: str = client.get("/api/spend/drill", params={"year": year}).json()["total_gbp"]
    return total


def _problem_rows(html: str) -> list[str]:
    body = html.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    return [" ".join(r.split()) for r in body.split('<tr class="govuk-table__row">')[1:]]


def test_bad_transactions_show_each_problem_by_row_and_store_nothing(
    web: TestClient, fresh: Place
) -> None:
    sign_in(web, "ana")  # the council's analyst
    before = _state(fresh)
    status, html = _post(web, "/uploads/transactions", "may 2024.csv", BAD)
    assert status == 400
    assert "Nothing was stored" in html
    rows = _problem_rows(html)
    assert len(rows) == 2
    assert '<td class="govuk-table__cell">3</td>' in rows[0] and ">date<" in rows[0]
    assert "32/05/2024" in rows[0] and "not a date" in rows[0]
    assert ">amount<" in rows[1] and "lots" in rows[1] and "not an amount of money" in rows[1]
    assert all("may 2024.csv" in r for r in rows)
    assert _state(fresh) == before


def test_good_transactions_change_the_total(web: TestClient) -> None:
    sign_in(web, "ana")
    assert _total(web, "2024/25") == "3250.75"
    status, html = _post(web, "/uploads/transactions", "may 2024.csv", GOOD)
    assert status == 200, html
    assert "Imported 2 payments (£123.45) from may 2024.csv, 2024/25." in html
    assert 'count as "other": Education (£23.45)' in html  # not mapped to a service
    # the council's 2024/25 lines are re-built from its payments: 123.45 replaces its
    # 1,000.00 + 250.50 + 300.00 (the 300.00 paid to the trust was eliminated), so the
    # consolidated total is the trust's 2,000.25 + 123.45 = 2,123.70
    assert _total(web, "2024/25") == "2123.70"
    assert "the total goes from £3,250.75 to **£2,123.70**" in " ".join(DOC.split())
    # the same file again is skipped, and changes nothing
    status, html = _post(web, "/uploads/transactions", "again.csv", GOOD)
    assert status == 200 and "skipped: the same file (checksum) was imported for cc" in html
    assert _total(web, "2024/25") == "2123.70"


def test_an_analyst_uploads_only_their_own_partners_payments(web: TestClient, fresh: Place) -> None:
    sign_in(web, "ana")
    before = _state(fresh)
    status, html = _post(web, "/uploads/transactions", "x.csv", GOOD, partner="trust")
    assert status == 403 and "only your own partner" in html
    status, _html = _post(web, "/uploads/outturn", "x.xlsx", b"", partner="trust", authority="1")
    assert status == 403
    status, html = _post(web, "/uploads/outturn", "x.xlsx", b"", authority="E3421", all="yes")
    assert status == 403 and "Only an administrator may import every authority" in html
    assert _state(fresh) == before
    # a partner column naming the trust is not followed: the payments are the council's
    named = "partner,Supplier Name,Payment Date,Net Amount\ntrust,Acme,01/05/2024,7.00\n"
    status, html = _post(web, "/uploads/transactions", "named.csv", named)
    assert status == 200 and "Imported 1 payments (£7.00)" in html
    with fresh.read() as ws:
        stored = ws.con.execute("SELECT partner, amount_gbp FROM transactions").fetchall()
    assert [(p, str(a)) for p, a in stored] == [("cc", "7.00")]
    # the council's 2024/25 is now its 7.00 of payments: 2,000.25 + 7.00
    assert _total(web, "2024/25") == "2007.25"
    # the trust's analyst: the payments are the trust's, whatever the file says
    sign_in(web, "bob")
    status, html = _post(web, "/uploads/transactions", "t.csv", GOOD)
    assert status == 200 and "Imported 2 payments (£123.45)" in html
    # the council's 7.00 + the trust's 123.45 (its 2,000.25 of lines replaced)
    assert _total(web, "2024/25") == "130.45"


def test_members_and_board_cannot_upload(web: TestClient) -> None:
    for who in ("mem", "board"):
        sign_in(web, who)
        r = web.post("/uploads/transactions", data={"csrf": "x"}, files={"file": ("a.csv", b"")})
        assert r.status_code == 403
        r = web.post("/uploads/outturn", data={"csrf": "x"}, files={"file": ("a.xlsx", b"")})
        assert r.status_code == 403


def test_outturn_without_an_authority_says_what_to_give(web: TestClient, fresh: Place) -> None:
    sign_in(web, "admin")
    before = _state(fresh)
    status, html = _post(web, "/uploads/outturn", "rs.xlsx", b"PK")
    assert status == 400 and "no authority was chosen" in html
    assert "or tick every authority" in html
    status, html = _post(web, "/uploads/outturn", "rs.csv", b"a,b\n", authority="E3421")
    assert status == 400 and "not a XLSX or XLS file" in html
    assert _state(fresh) == before


def test_published_outturn_is_imported_for_the_chosen_partner(
    web: TestClient, reference: Path
) -> None:
    sign_in(web, "admin")
    data = (reference / RS_2017_18).read_bytes()
    status, html = _post(
        web, "/uploads/outturn", "RS_2017-18.xlsx", data, authority="E10000028", partner="cc"
    )
    assert status == 200, html[:2000]
    # RS 2017-18 row 425, Staffordshire: TOTAL SERVICE EXPENDITURE 883,567 (£ thousand)
    assert "Imported the 2017/18 outturn of Staffordshire" in html
    assert "£883,567,000.00 (net current expenditure, from £ thousand)" in html
    assert _total(web, "2017/18") == "883567000.00"
    assert _total(web, "2024/25") == "3250.75"  # the other year as it was
