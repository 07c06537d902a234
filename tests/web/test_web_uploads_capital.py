"""Uploads of detailed outturn, capital outturn and transactions with a mapping through the
web (issue 13, uploads page): the services of `wholeplace spend import-outturn-detail`,
`import-capital` and `import-transactions --mapping --strict`, the importer's problems by
row, nothing stored on error, the audit log, and a partner analyst kept to their partner.

The detailed return made up by hand (tests/spend/test_outturn_detail.py's): ENV published as
£100.5k, of which waste collection £60.25k is itemised and street cleansing is empty, so
£40,250.00 stays on ENV "not itemised"; HSG £10k, the homelessness subtotal £7k over its one
line, so £3,000.00 stays on HSG. Total £40,250 + £60,250 + £3,000 + £7,000 = £110,500.00.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from place_state import snapshot_of
from web_place import build_place, csrf_of, sign_in

from wholeplace.web import Place, create_app

COR = "capital-outturn/COR_2018-19_outputs_COR_B.xlsx"


def _cell(k: float | str | None) -> dict:
    return {"value_thousands": k}


def _detail(waste: float | str = 60.25) -> bytes:
    doc = {
        "by_year": {
            "2023-24": {
                "detailed_services": {
                    "RSX": {
                        "services": {
                            "Environmental and regulatory services": {
                                "net_current_expenditure": _cell(100.5)
                            },
                            "Housing services (GFRA only)": {"net_current_expenditure": _cell(10)},
                        }
                    },
                    "RO5": {
                        "services": {
                            "Waste collection": {"net_current_expenditure": _cell(waste)},
                            "Street cleansing (not chargeable to highways)": {
                                "net_current_expenditure": _cell(None)
                            },
                        }
                    },
                    "RO4": {
                        "services": {
                            "Bed and breakfast hotels": {"net_current_expenditure": _cell(3)},
                            "TOTAL HOMELESSNESS SERVICES": {"net_current_expenditure": _cell(7)},
                        }
                    },
                }
            }
        }
    }
    return json.dumps(doc).encode("utf-8")


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Place]:
    place = Place.open(build_place(tmp_path))
    yield place
    place.close()


@pytest.fixture
def web(fresh: Place) -> Iterator[TestClient]:
    with TestClient(create_app(fresh)) as c:
        yield c


def _post(client: TestClient, route: str, files: dict, **data: str) -> tuple[int, str]:
    csrf = csrf_of(client.get("/uploads").text)
    r = client.post(route, data={"csrf": csrf, **data}, files=files)
    return r.status_code, r.text


def _state(place: Place) -> dict[str, list[str]]:
    with place.read() as ws:
        return snapshot_of(ws.con)


def _lines(place: Place, partner: str, year: str) -> dict[str, str]:
    with place.read() as ws:
        rows = ws.con.execute(
            "SELECT service, amount_gbp FROM spend_lines WHERE partner = ? AND year = ?",
            [partner, year],
        ).fetchall()
    return {s: str(a) for s, a in rows}


def _problem_rows(html: str) -> list[list[str]]:
    body = html.split('id="problem-table"')[1].split("</tbody>")[0]
    rows = body.split('<tr class="govuk-table__row">')[2:]
    cells = [r.split('<td class="govuk-table__cell">')[1:] for r in rows]
    return [
        [
            " ".join(c.split("</td>")[0].replace("<code>", "").replace("</code>", "").split())
            for c in row
        ]
        for row in cells
    ]


def test_detailed_outturn_by_the_councils_analyst(web: TestClient, fresh: Place) -> None:
    sign_in(web, "ana")  # the council's analyst
    status, html = _post(
        web, "/uploads/outturn-detail", {"file": ("burnley.json", _detail())}, year="2023/24"
    )
    assert status == 200, html[-3000:]
    assert "as cc: 4 lines, £110,500.00" in " ".join(html.split())
    assert _lines(fresh, "cc", "2023/24") == {
        "ENV": "40250.00",
        "ENV.WASTE": "60250.00",
        "HSG": "3000.00",
        "HSG.HOMELESS": "7000.00",
    }
    assert 'id="detail-divisions"' in html
    sign_in(web, "admin")
    log = web.get("/api/audit").json()
    assert any(
        e["who"] == "ana@testclient"
        and e["action"] == "spend import-outturn-detail"
        and e["file"].endswith("burnley.json")
        and e["detail"]["partner"] == "cc"
        for e in log[:3]
    )


def test_a_bad_detailed_return_is_shown_by_its_line_and_nothing_stored(
    web: TestClient, fresh: Place
) -> None:
    sign_in(web, "ana")
    before = _state(fresh)
    status, html = _post(web, "/uploads/outturn-detail", {"file": ("b.json", _detail("lots"))})
    assert status == 400 and "Nothing was stored" in html
    [row] = _problem_rows(html)
    assert row[0] == "b.json"
    assert "RO5.services.Waste collection.net_current_expenditure" in row[3]
    assert row[4] == "lots"
    assert row[6]  # the fix
    status, html = _post(web, "/uploads/outturn-detail", {"file": ("b.csv", b"a,b\n")})
    assert status == 400 and "not a JSON file" in html
    assert _state(fresh) == before


def test_an_analyst_never_uploads_for_another_partner(web: TestClient, fresh: Place) -> None:
    sign_in(web, "ana")
    before = _state(fresh)
    files = {"file": ("b.json", _detail())}
    status, html = _post(web, "/uploads/outturn-detail", files, partner="trust")
    assert status == 403 and "only your own partner" in html
    files = {"file": ("c.xlsx", b"PK")}
    status, _html = _post(web, "/uploads/capital", files, partner="trust", authority="E3421")
    assert status == 403
    status, html = _post(web, "/uploads/capital", files, authority="E3421", all="yes")
    assert status == 403 and "Only an administrator may import every authority" in html
    assert _state(fresh) == before
    for who in ("mem", "board"):
        sign_in(web, who)
        r = web.post("/uploads/capital", data={"csrf": "x"}, files=files)
        assert r.status_code == 403


def test_capital_needs_an_authority_and_a_workbook(web: TestClient, fresh: Place) -> None:
    sign_in(web, "admin")
    before = _state(fresh)
    status, html = _post(web, "/uploads/capital", {"file": ("c.xlsx", b"PK")})
    assert status == 400 and "no authority was chosen" in html and "tick every authority" in html
    status, html = _post(
        web, "/uploads/capital", {"file": ("c.xlsx", b"not a workbook")}, authority="E3421"
    )
    assert status == 400 and 'id="problem-table"' in html
    assert _state(fresh) == before


def test_published_capital_outturn_for_the_chosen_partner(
    web: TestClient, fresh: Place, reference: Path
) -> None:
    sign_in(web, "admin")
    data = (reference / COR).read_bytes()
    status, html = _post(
        web, "/uploads/capital", {"file": ("COR.xlsx", data)}, authority="E10000028", partner="cc"
    )
    assert status == 200, html[-3000:]
    # COR B 2018-19, Staffordshire (E3421): FIN1-fingrandtot-amt 95,392.16 (£ thousand)
    flat = " ".join(html.split())
    assert "Imported the 2018/19 capital outturn of Staffordshire" in flat
    assert "£95,392,160.00 (capital expenditure financed" in flat


MAPPED = (
    "Supplier Name,Payment Date,Net Amount,Service Area\n"
    "Acme,01/05/2024,100.00,Adult Social Care\n"
    "Beta,15/05/2024,23.45,Schools team\n"
)


def test_transactions_with_a_mapping(web: TestClient, fresh: Place) -> None:
    sign_in(web, "ana")
    before = _state(fresh)
    # strict, and the mapping does not cover "Schools team": refused, nothing stored
    no_rule = b"service_area,service\nLibraries team,CUL\n"
    files = {"file": ("may.csv", MAPPED.encode()), "mapping": ("map.csv", no_rule)}
    status, html = _post(web, "/uploads/transactions", files, strict="yes")
    assert status == 400 and 'id="problem-table"' in html and "Schools team" in html
    assert _state(fresh) == before
    rule = b"service_area,service\nSchools team,EDU\n"
    files = {"file": ("may.csv", MAPPED.encode()), "mapping": ("map.csv", rule)}
    status, html = _post(web, "/uploads/transactions", files, strict="yes")
    assert status == 200, html[-3000:]
    assert "Imported 2 payments (£123.45)" in html
    lines = _lines(fresh, "cc", "2024/25")
    assert lines.get("EDU") == "23.45"  # by the mapping's rule, not "other"
    assert "OTH" not in lines


def test_docs_web_md_gives_the_detailed_figures() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "web.md"
    flat = " ".join(doc.read_text(encoding="utf-8").split())
    assert "£40,250.00 + £60,250.00 + £3,000.00 + £7,000.00 = **£110,500.00** in 4 lines" in flat
