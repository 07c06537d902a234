"""Every page escapes what partners and users typed (issue 13, security tests): partner
names, groups and types, suppliers, service areas, values in the problem table, the names
in an appraisal or agreement, and what the audit log repeats, each given as ``<script>`` and
as an attribute breaking out of its quotes, never reach a page as markup."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import pytest
import yaml
from fastapi.testclient import TestClient
from web_place import api_routes, build_place, csrf_of, sign_in

from wholeplace.web import Place, create_app

SCRIPT = "<script>alert('wp')</script>"
BREAKOUT = '"><img src=x onerror=alert(2)>'
HOSTILE = (SCRIPT, BREAKOUT)
DATA = resources.files("wholeplace") / "data"


def _clean(text: str, where: str) -> None:
    """No hostile text as markup: neither whole, nor its tags (escaped, it is harmless
    text: ``&lt;script&gt;``, or ``\\u003cimg`` in a chart's JSON)."""
    for h in HOSTILE:
        assert h not in text, (where, h)
    assert "<script>alert" not in text, where
    assert "<img src=x" not in text, where


@pytest.fixture(scope="module")
def hostile_place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Place, dict]]:
    """The test place, then, through the web as its users would: a partner whose name,
    type, group and sector are hostile, its spend lines, and transactions whose supplier
    and service area are hostile."""
    place = Place.open(build_place(tmp_path_factory.mktemp("esc")))
    pages: dict[str, str] = {}
    with TestClient(create_app(place)) as client:
        sign_in(client, "admin")
        csrf = csrf_of(client.get("/uploads").text)

        def post(route: str, name: str, body: str | bytes, **data: str) -> str:
            content = body.encode("utf-8") if isinstance(body, str) else body
            r = client.post(route, data={"csrf": csrf, **data}, files={"file": (name, content)})
            assert r.status_code in (200, 400), (route, r.status_code)
            return r.text

        q = SCRIPT.replace('"', '""')
        b = BREAKOUT.replace('"', '""')
        partners = f'id,name,type,group,sector\nevil,"{q}",voluntary,"{b}","{q}"\n'
        pages["partners upload"] = post("/uploads/partners", "partners.csv", partners)
        spend = f'year,service,subservice,amount_gbp\n2024/25,EDU,"{q}",5.00\n'
        pages["spend upload"] = post("/uploads/spend", "evil.csv", spend, partner="evil")
        bad = f'year,service,amount_gbp\n2024/25,"{q}",1.00\n2024/25,EDU,"{b}"\n'
        pages["problem table"] = post("/uploads/spend", "bad.csv", bad, partner="evil")
        tx = (
            "Supplier Name,Payment Date,Net Amount,Service Area\n"
            f'"{q}",01/05/2024,10.00,"{b}"\n"{b}",02/05/2024,20.00,"{q}"\n'
        )
        pages["transactions upload"] = post("/uploads/transactions", "tx.csv", tx, partner="evil")
        a = yaml.safe_load((DATA / "cba/example_appraisal.yaml").read_text(encoding="utf-8"))
        a["appraisal"]["name"] = SCRIPT
        a["costs"][0]["agency"] = BREAKOUT
        a["costs"][1]["description"] = SCRIPT
        pages["appraisal result"] = post(
            "/appraisals/run", "a.yaml", yaml.safe_dump(a), output="page"
        )
        pool = yaml.safe_load((DATA / "sharing/pool_example.yaml").read_text(encoding="utf-8"))
        pool["name"] = SCRIPT
        pool["partners"]["icb"] = BREAKOUT
        pages["sharing result"] = post(
            "/sharing/run", "p.yaml", yaml.safe_dump(pool), kind="pool", output="page"
        )
        html = post("/appraisals/run", "a.yaml", yaml.safe_dump(a), output="html")
        pages["appraisal html report"] = html
        pages["appraisal editor"] = post("/appraisals/edit/open", "a.yaml", yaml.safe_dump(a))
        two = [("files", (n, yaml.safe_dump(a))) for n in ("a.yaml", "b.yaml")]
        compared = client.post("/appraisals/compare", data={"csrf": csrf}, files=two)
        pages["appraisal comparison"] = compared.text
        a["costs"][2]["amounts"] = [SCRIPT, 0, 0, 0, 0]  # bad values, in the problem table
        a["outcomes"][0]["success"] = BREAKOUT
        pages["appraisal editor problems"] = post(
            "/appraisals/edit/open", "a.yaml", yaml.safe_dump(a)
        )
    yield place, pages
    place.close()


def test_the_hostile_text_was_taken(hostile_place: tuple[Place, dict]) -> None:
    """The uploads worked (else the pages below would prove nothing)."""
    _place, pages = hostile_place
    assert "Imported 1 partners." in pages["partners upload"]
    assert "Imported 1 lines (£5.00)" in pages["spend upload"]
    assert "Imported 2 payments (£30.00)" in pages["transactions upload"]
    assert 'id="problem-table"' in pages["problem table"]
    assert 'id="appraisal-headline"' in pages["appraisal result"]
    assert 'id="appraisal-headline"' in pages["appraisal editor"]
    assert 'id="problem-table"' in pages["appraisal editor problems"]
    assert 'id="comparison"' in pages["appraisal comparison"]
    assert 'id="sharing-result"' in pages["sharing result"]


def test_upload_results_escape_it(hostile_place: tuple[Place, dict]) -> None:
    _place, pages = hostile_place
    for where, text in pages.items():
        _clean(text, where)
    assert "&lt;script&gt;alert(" in pages["problem table"]  # shown, as text


DOWNLOADS = {
    "text/csv",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.mark.parametrize("who", ["admin", "mem", "ana"])
def test_every_page_escapes_it(hostile_place: tuple[Place, dict], who: str) -> None:
    place, _pages = hostile_place
    app = create_app(place)
    seen = 0
    with TestClient(app) as client:
        sign_in(client, who)
        for route in api_routes(app.routes):
            if "GET" not in route.methods:
                continue
            for path in {
                route.path.replace("{partner}", p).replace("{username}", "admin")
                for p in ("evil", "cc")
            }:
                for query in ("", f"?year=2024/25&group={SCRIPT}&partner=evil"):
                    r = client.get(path + query)
                    kind = r.headers["content-type"]
                    if "attachment" in r.headers.get("content-disposition", ""):
                        # a download, never shown as a page: its cells are neutralised
                        # (tests/web/test_web_exports.py)
                        assert kind.split(";")[0] in DOWNLOADS, (path, kind)
                        continue
                    if not kind.startswith("text/html"):
                        # JSON holds the text as data, served as JSON with nosniff: a
                        # browser never runs it as a page
                        assert kind.startswith("application/json"), (path, kind)
                        assert r.headers["x-content-type-options"] == "nosniff"
                        continue
                    _clean(r.text, f"{who} {path}{query}")
                    seen += "&lt;script&gt;" in r.text or "&#34;&gt;&lt;img" in r.text
        # the hostile names are on the pages, escaped, not left out
        assert seen >= 3, seen
        for page in ("/spend?partner=evil", "/suppliers", "/audit"):
            r = client.get(page)
            if r.status_code == 200:
                _clean(r.text, page)
