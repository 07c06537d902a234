"""The estate and area-profile pages (issue 16 through issue 13's pattern): figures from a
hand calculation on the test place's estate (tests/helpers/web_place.py), counts under 5
suppressed on the pages, ``<script>`` in an asset's name escaped, an unknown area 404, and
the JSON twins exactly the command line's ``--json``."""

from __future__ import annotations

import html as markup
import json
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_place import build_place, sign_in

from wholeplace.cli import app as cli
from wholeplace.money import round_half_up
from wholeplace.web import Place, create_app

SCRIPT = "<script>alert(1)</script>"


def _text(html: str, element_id: str) -> str:
    """The words of the element with ``element_id`` (tags dropped, spaces collapsed)."""
    start = html.index(">", html.index(f'id="{element_id}"')) + 1
    chunk = html[start : html.index("</p>", start)]
    return " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", chunk)).split())


def _row(html: str, element_id: str, starts: str) -> str:
    """The row of a table whose text begins with ``starts``."""
    start = html.index(f'id="{element_id}"')
    table = html[start : html.index("</table>", start)]
    for row in table.split("<tr")[1:]:
        words = " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", "<tr" + row)).split())
        if words.startswith(starts):
            return words
    raise AssertionError(f"no row {starts!r} in {element_id}")


def annuity(years: int) -> Fraction:
    """Sum of 1 / 1.035^t for t = 1 .. years, exactly (Green Book, 3.5%)."""
    return sum((Fraction(1000, 1035) ** t for t in range(1, years + 1)), Fraction(0))


def test_estate_figures_by_hand(client: TestClient) -> None:
    """The council: C1 1,000 m² £50,000 40% used, C2 200 m² £10,000 90% used, both offices:
    £60,000 over 1,200 m² = £50.00 per m²; utilisation (1,000 x 40 + 200 x 90) / 1,200 =
    58,000 / 1,200 = 48.33 -> 48.3%. The trust: H1 400 m², £20,000, 50% used.
    C1 and H1 are under-used, of different partners, 424 m apart (300, 300): keep C1 (the
    larger), vacate H1: saving £20,000 a year, 400 x 50% = 200 m² moved into C1's spare
    1,000 x 60% = 600 m², at £100 = £20,000; no receipt (no value per m² given);
    NPV = -20,000 + 20,000 x (sum of 1/1.035^t, t = 1..10)."""
    sign_in(client, "mem")
    data = client.get("/api/estate").json()
    assert data["assets"] == 3
    assert data["estate"] == [
        {
            "partner": "cc",
            "use": "Office",
            "assets": 2,
            "gia_m2": "1200.00",
            "running_cost": "60000.00",
            "cost_per_m2": "50.00",
            "utilisation": "48.3",
        },
        {
            "partner": "trust",
            "use": "Clinic",
            "assets": 1,
            "gia_m2": "400.00",
            "running_cost": "20000.00",
            "cost_per_m2": "50.00",
            "utilisation": "50.0",
        },
    ]
    [g] = data["opportunities"]["co_locations"]
    npv = round_half_up(-20_000 + 20_000 * annuity(10), 2)
    assert npv == Decimal("146332.11")
    assert (g["keep"], g["vacate"], g["pairs"][0]["distance_m"]) == ("cc/C1", ["trust/H1"], "424.3")
    assert (g["saving_a_year"], g["receipt"], g["moving_cost"]) == ("20000.00", "0.00", "20000.00")
    assert (g["space_moved_m2"], g["spare_m2"], g["npv"]) == ("200.00", "600.00", str(npv))
    # one reason each; then the dearest first: C1 £50,000, H1 £20,000, C2 £10,000
    disposals = data["opportunities"]["disposals"]
    assert [(d["asset"], d["reasons"]) for d in disposals] == [
        ("cc/C1", ["under-used: 40.0% of its space in use (under 75%)"]),
        ("trust/H1", ["under-used: 50.0% of its space in use (under 75%)"]),
        ("cc/C2", ["poor condition (D)"]),
    ]
    # the target 2025/26: receipts £100,000, savings £15,000; C2 disposed (£150,000 and
    # £10,000 a year) is delivered, H1 agreed (£80,000 and £20,000) is in the pipeline
    [year] = data["ope"]["years"]
    assert year == {
        "year": "2025/26",
        "target_receipts": "100000.00",
        "delivered_receipts": "150000.00",
        "pipeline_receipts": "80000.00",
        "target_savings": "15000.00",
        "delivered_savings": "10000.00",
        "pipeline_savings": "20000.00",
    }


def test_estate_page_shows_the_same_figures_with_a_table_behind_the_chart(
    client: TestClient,
) -> None:
    sign_in(client, "board")
    html = client.get("/estate").text
    assert "3 assets: 1 co-location candidate(s)" in _text(html, "estate-summary")
    council = _row(html, "estate-partners", "Testshire County Council")
    assert council == "Testshire County Council (cc) 2 1,200 £60,000.00"
    assert _row(html, "estate-partners", "Testshire Hospitals") == (
        "Testshire Hospitals NHS Trust (trust) 1 400 £20,000.00"
    )
    # the chart draws the table's running costs, exactly
    chart = json.loads(html.split('id="chart-data">')[1].split("</script>")[0])
    assert chart["values"] == ["60000.00", "20000.00"]
    uses = _row(html, "estate-uses", "Testshire County Council")
    assert uses == "Testshire County Council Office 2 1,200 £60,000.00 £50.00 48.3%"
    assert "£146,332.11" in _row(html, "co-locations", "1 cc/C1")
    ope = _row(html, "ope-years", "2025/26")
    assert ope == "2025/26 £100,000.00 £150,000.00 £80,000.00 £15,000.00 £10,000.00 £20,000.00"


def test_counts_under_5_are_suppressed_on_the_pages(client: TestClient) -> None:
    """T1 has 3 rough sleepers, T2 12: T1's shows as <5 (its rank too) on every page, and
    is left off the map of rough sleepers; the JSON, like the CLI's, keeps the figure."""
    sign_in(client, "mem")
    estate = client.get("/estate").text
    need = _row(estate, "disposals", "1 cc/C1")
    assert "T1: imd_decile 2, rough_sleepers <5" in need
    assert "rough_sleepers 3" not in need and "rough_sleepers 12" in need
    areas = client.get("/areas").text
    assert _row(areas, "areas-table", "T1 North") == "T1 North 600 2 (2) <5 2"
    assert _row(areas, "areas-table", "T2 South") == "T2 South 400 8 (1) 12 (1) 1"
    one = client.get("/areas/T1").text
    # the place's median of two areas, (3 + 12) / 2 = 7.5, would give the 3 away beside
    # T2's 12 (2 x 7.5 - 12 = 3): withheld on every area's page
    assert _row(one, "area-figures", "rough_sleepers") == "rough_sleepers <5 withheld 12"
    # T2's most similar area is T1: the mean of one area's 3 is the 3 itself, withheld too
    two = client.get("/areas/T2").text
    assert _row(two, "area-figures", "rough_sleepers") == ("rough_sleepers 12 1 withheld withheld")
    assert "7.5" not in two and "Withheld: a median or mean" in two
    # the decile is no count: its median (2 + 8) / 2 = 5 is shown
    assert _row(two, "area-figures", "imd_decile") == "imd_decile 8 1 5 2"
    mapped = client.get("/areas", params={"indicator": "rough_sleepers"}).text
    svg = mapped[mapped.index("<svg") : mapped.index("</svg>")]
    assert "North: 3" not in svg and "South: 12" in svg
    assert client.get("/api/areas/T1").json()["areas"][0]["indicators"][1]["value"] == "3"


def test_area_profile_by_hand(client: TestClient) -> None:
    """T1: population 600, decile 2 (rank 2 of 2: 1 is the highest), the place's median
    (2 + 8) / 2 = 5; the only other area, T2, is the most similar: each indicator scaled by
    its range puts T1 at (0, 0) and T2 at (1, 1), distance sqrt(2) = 1.4142. Its assets C1
    (1,000 m², £50,000) and H1 (400 m², £20,000): 1,400 m² and £70,000."""
    sign_in(client, "mem")
    [t1] = client.get("/api/areas/T1").json()["areas"]
    assert (t1["population"], t1["imd_decile"], t1["assets"]) == (600, "2", ["cc/C1", "trust/H1"])
    assert t1["indicators"][0] == {
        "indicator": "imd_decile",
        "value": "2",
        "rank": 2,
        "place_median": "5",
        "similar_mean": "8",
        "counts": False,
    }
    assert (t1["floor_area_m2"], t1["running_cost_gbp"]) == ("1400", "70000.00")
    assert t1["similar"] == [{"code": "T2", "name": "South", "distance": "1.4142"}]
    html = client.get("/areas/T1").text
    assert '<h1 class="govuk-heading-l">North (T1)</h1>' in html
    assert _text(html, "area-summary").startswith("Population 600; IMD decile 2")
    assert 'id="area-map"' in html and 'data-code="T1"' in html  # the service's choropleth
    assert (
        _row(html, "area-assets", "trust/H1")
        == "trust/H1 Health centre trust Clinic 400 £20,000.00"
    )


def test_spend_on_no_area_allocated_by_population(client: TestClient) -> None:
    """The £3,250.75 consolidated spend has no area: by population (600 and 400 of 1,000)
    T1 gets £1,950.45 and T2 £1,300.30, adding back to the penny; £3.25075 -> £3.25 a head
    in each and in the place."""
    sign_in(client, "mem")
    data = client.get("/api/areas", params={"allocate_by": "population"}).json()
    parts = {a["code"]: a["spend"]["allocated_gbp"] for a in data["areas"]}
    assert parts == {"T1": "1950.45", "T2": "1300.30"}
    assert sum(Decimal(v) for v in parts.values()) == Decimal("3250.75")
    assert {a["per_head_gbp"] for a in data["areas"]} == {"3.25"}
    assert data["place_per_head_gbp"] == "3.25"
    # every pound is on no area: each area's own is £0.00 in 2024/25 (the map's year, not
    # none), and each states the £3,250.75 its part was allocated from
    t1 = data["areas"][0]["spend"]
    assert (t1["year"], t1["amount_gbp"], t1["per_head_gbp"]) == ("2024/25", "0.00", "0.00")
    assert t1["on_no_area_gbp"] == "3250.75"
    page = client.get("/areas/T1", params={"allocate_by": "population"}).text
    assert _row(page, "area-figures", "Public spend (2024/25)") == ("Public spend (2024/25) £0.00")
    html = client.get("/areas", params={"allocate_by": "population"}).text
    assert _row(html, "areas-table", "T1 North").endswith("£3.25")


def test_unknown_area_is_404_with_a_plain_message(client: TestClient) -> None:
    sign_in(client, "mem")
    for code in ("E01000001", "<script>x"):
        page = client.get(f"/areas/{code}")
        assert page.status_code == 404
        assert "There is no area with that code in this place." in page.text
        assert "<script>x" not in page.text and "Traceback" not in page.text
        api = client.get(f"/api/areas/{code}")
        assert api.status_code == 404
        assert api.json() == {"error": "There is no area with that code in this place."}


def test_an_asset_name_with_script_is_escaped(client: TestClient) -> None:
    sign_in(client, "admin")
    for path in ("/estate", "/areas/T1"):
        html = client.get(path).text
        assert SCRIPT not in html and "<script>alert" not in html, path
        assert "Council offices &lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_who_sees_the_estate_and_areas(client: TestClient) -> None:
    """Consolidated views: every signed-in role (docs/web.md), never the public."""
    for path in ("/estate", "/areas", "/areas/T1"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login?next=" + path
    for path in ("/api/estate", "/api/areas", "/api/areas/T1"):
        assert client.get(path).status_code == 401
    assert 'href="/estate"' not in client.get("/published").text
    for name in ("admin", "ana", "mem", "board"):
        sign_in(client, name)
        home = client.get("/").text
        assert 'href="/estate"' in home and 'href="/areas"' in home, name
        assert client.get("/estate").status_code == 200, name


def test_the_json_twins_are_the_commands_json(tmp_path: Path) -> None:
    """/api/estate is `assets report --json` without its "out"; /api/areas and
    /api/areas/T1 are `areas profile --all --json` and `areas profile T1 --json`."""
    folder = build_place(tmp_path)
    runner = CliRunner()

    def run(*args: str) -> dict[str, object]:
        r = runner.invoke(cli, [*args, "-w", str(folder), "--json"])
        assert r.exit_code == 0, r.output
        out: dict[str, object] = json.loads(r.stdout)
        return out

    report = run("assets", "report", "--out", str(tmp_path / "estate.html"))
    report.pop("out")
    every = run("areas", "profile", "--all")
    one = run("areas", "profile", "T1")
    allocated = run("areas", "profile", "T1", "--allocate-by", "population")
    place = Place.open(folder)
    try:
        with TestClient(create_app(place)) as client:
            sign_in(client, "mem")
            assert client.get("/api/estate").json() == report
            assert client.get("/api/areas").json() == every
            assert client.get("/api/areas/T1").json() == one
            assert (
                client.get("/api/areas/T1", params={"allocate_by": "population"}).json()
                == allocated
            )
    finally:
        place.close()


def test_docs_web_md_worked_example_of_the_estate(client: TestClient) -> None:
    """docs/web.md's figures for the test place's estate are the pages' (each computed by
    hand in the tests above)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
    flat = " ".join(doc.split())
    for figure in (
        "£60,000.00 / 1,200 m² = **£50.00 per m²**",
        "(1,000 × 40 + 200 × 90) / 1,200 = **48.3%**",
        "= **£146,332.11**",
        "£1,950.45 to T1 and £1,300.30 to T2, **£3.25 a head**",
    ):
        assert figure in flat, figure
    sign_in(client, "mem")
    page = client.get("/estate").text
    for shown in ("£50.00", "48.3%", "£146,332.11"):
        assert shown in page
    allocated = client.get("/areas", params={"allocate_by": "population"}).text
    assert "£3.25" in allocated
