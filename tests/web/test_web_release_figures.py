"""Releases holding more than spend (issue 13): the residents' outcomes scorecard and the
area profiles, frozen when prepared, with disclosure control applied once so the page and
the public JSON show the same cells.

The place is tests/helpers/release_place.py: the test place of web_place.py (T1 North 600
people, T2 South 400, the place 1,000; rough sleepers T1 3, T2 12) with T3, 3 people,
imported by code alone and named by its boundary file's LSOA11NM; £1,200.00 of adult
social care in T1; and an outcomes framework with admissions 18 (baseline 20, target 15,
lower is better: amber) and reablement 3 of 4 (a count under 5: left out of the public
scorecard).

By hand, the areas table of the release:
- T1: population 600; rough sleepers 3 -> ``<5``; spend per head 1,200.00 / 600 = £2.00;
- T2: population 400, but T3's 3 is suppressed and the place's 1,000 is shown beside them,
  so one suppressed population would follow from the total: the next smallest, T2's 400,
  is withheld as ``c`` (secondary suppression); rough sleepers 12;
- T3 (Testshire 001C): population 3 -> ``<5``;
- the place: population 1,000; spend per head 1,200.00 / 1,000 = £1.20.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from release_place import PREPARED, PUBLISHED, RELEASE, build_release_place, put
from web_place import Clock, api_routes, csrf_of, sign_in, table_rows

from wholeplace.spend import import_lines
from wholeplace.web import Place, create_app, publishing, release_figures
from wholeplace.workspace import Workspace

TITLES_AREAS = release_figures.TITLES["areas"]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Place, Clock]]:
    folder = build_release_place(tmp_path)
    clock = Clock(PUBLISHED)
    place = Place.open(folder, clock=clock)
    try:
        with TestClient(create_app(place)) as client:
            yield client, place, clock
    finally:
        place.close()


def _section(data: list[dict[str, Any]], item: str) -> dict[str, Any]:
    sections = data[-1]["content"]["sections"]
    found: dict[str, Any] = next(s for s in sections if s["item"] == item)
    return found


def test_the_areas_table_is_suppressed_alike_on_the_page_and_in_the_public_json(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, _place, _clock = site
    page = client.get(f"/published/{RELEASE}")
    assert page.status_code == 200
    rows = table_rows(page.text, "release-table-areas")
    # Area | population | IMD decile | rough sleepers | spend per head
    assert rows["North (T1)"] == ["600", "2", "<5", "£2.00"]
    assert rows["South (T2)"] == ["c", "8", "12", ""]
    assert rows["Testshire 001C (T3)"] == ["<5", "", "", ""]
    assert rows["Testshire"] == ["1,000", "", "", "£1.20"]
    assert "shown as c (confidential)" in page.text
    area = _section(client.get(f"/api/published/{RELEASE}").json(), "areas")
    by_code = {r["code"]: r["values"] for r in area["table"]}
    assert by_code["T1"] == {
        "population": "600",
        "imd_decile": "2",
        "rough_sleepers": "<5",
        "per_head_gbp": "2.00",
    }
    assert (by_code["T2"]["population"], by_code["T3"]["population"]) == ("c", "<5")
    assert area["total"]["values"] == {"population": "1,000", "per_head_gbp": "1.20"}
    assert area["chart"] == {
        "labels": ["North (T1)"],
        "values": ["2.00"],
        "title": "Public spend per head by area",
    }
    # no figure the page hides is anywhere in the public JSON
    text = json.dumps(area)
    assert '"3"' not in text and '"400"' not in text


def test_the_outcomes_scorecard_is_the_residents_version(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, _place, _clock = site
    page = client.get(f"/published/{RELEASE}").text
    rows = table_rows(page, "release-table-outcomes")
    assert rows["Emergency admissions of people aged 65 and over"] == [
        "Older people live independently",
        "per 1,000",
        "20",
        "15",
        "2024/25 Q1",
        "18",
        "improving, short of target",
    ]
    # 3 of 4 still at home: a count under 5, not published
    assert rows["Still at home 91 days after reablement"][4:] == ["", "", "no figure published"]
    outcomes = _section(client.get(f"/api/published/{RELEASE}").json(), "outcomes")
    assert "0.75" not in json.dumps(outcomes)
    assert "(1 left out)" in outcomes["note"]


def test_published_figures_do_not_change_with_the_place(
    site: tuple[TestClient, Place, Clock], tmp_path: Path
) -> None:
    client, place, _clock = site
    before = client.get(f"/api/published/{RELEASE}").json()
    with place.write("test") as ws:
        import_lines(
            ws,
            put(
                tmp_path,
                "t2.csv",
                "partner,year,service,area,customer_group,amount_gbp,counterparty\n"
                "cc,2024/25,Adult social care,T2,Older people,800.00,\n",
            ),
        )
    assert client.get(f"/api/published/{RELEASE}").json() == before


def test_a_figure_the_place_does_not_hold_is_refused_with_the_problem_table(
    tmp_path: Path,
) -> None:
    ws = Workspace.create(tmp_path / "bare", "Bare")
    try:
        with pytest.raises(publishing.InputError) as caught:
            publishing.create(ws, "Nothing", "", None, ["outcomes", "areas"], [], "m", PREPARED)
    finally:
        ws.close()
    assert [(p.column, p.value) for p in caught.value.problems] == [
        ("items", "outcomes"),
        ("items", "areas"),
    ]


def test_members_can_choose_the_new_figures(site: tuple[TestClient, Place, Clock]) -> None:
    client, _place, _clock = site
    sign_in(client, "mem")
    page = client.get("/publishing").text
    assert 'value="outcomes"' in page and 'value="areas"' in page
    assert csrf_of(page)
    # T3 was imported by code alone: its boundary file's LSOA11NM names it on its page
    assert '<h1 class="govuk-heading-l">Testshire 001C (T3)</h1>' in client.get("/areas/T3").text


# Every JSON route the public can reach, and where its suppression is tested: a new one
# fails this test until its JSON is shown to carry exactly what its page shows.
PUBLIC_JSON = {
    "/api/me": "no figures: who is signed in",
    "/api/docs": "no figures: the OpenAPI page",
    "/api/published": "the stored content of each release (this module)",
    "/api/published/{release}": "the stored content of each release (this module)",
    "/api/outcomes": "the residents' scorecard (tests/web/test_web_outcomes.py)",
}


def test_every_public_json_route_is_one_whose_suppression_is_tested(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, _place, _clock = site
    public = {
        r.path
        for r in api_routes(client.app.routes)  # type: ignore[attr-defined]
        if r.path.startswith("/api/") and (r.openapi_extra or {}).get("x-permission") == "public"
    }
    assert public == set(PUBLIC_JSON)
    # the public's scorecard JSON has no figure of a count under 5, as its page has none
    data = client.get("/api/outcomes").json()
    reablement = next(r for r in data["scorecard"] if r["indicator"] == "reablement")
    assert (reablement["latest"], data["suppressed"]) == (None, 1)


def _csv(client: TestClient, path: str) -> list[dict[str, str]]:
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text)))


def test_the_csv_holds_the_same_suppressed_cells_one_row_per_figure(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, _place, _clock = site
    page = client.get(f"/published/{RELEASE}").text
    assert f'href="/published/{RELEASE}/1/figures.csv"' in page
    rows = _csv(client, f"/published/{RELEASE}/1/figures.csv")
    areas = TITLES_AREAS
    population = {
        r["row"]: r["value"] for r in rows if (r["section"], r["measure"]) == (areas, "Population")
    }
    assert population == {
        "North (T1)": "600",
        "South (T2)": "c",
        "Testshire 001C (T3)": "<5",
        "Testshire": "1,000",
    }
    sleepers = [r for r in rows if r["measure"] == "Rough sleepers"]
    assert [(r["row"], r["value"]) for r in sleepers] == [
        ("North (T1)", "<5"),
        ("South (T2)", "12"),
    ]
    assert {(r["time_period"], r["time_identifier"], r["place"]) for r in rows} == {
        ("202425", "Financial year", "Testshire")
    }
    assert "0.75" not in {r["value"] for r in rows} and "400" not in {r["value"] for r in rows}


def test_the_csv_of_a_spend_release_and_who_may_read_it(
    site: tuple[TestClient, Place, Clock],
) -> None:
    """The test place's own release (headline and spend by group, published 2 January
    2025): consolidated £3,250.75, NHS £2,000.25 and Local government £1,250.50."""
    client, _place, clock = site
    rows = _csv(client, "/published/testshire-spend-2024-25/1/figures.csv")
    found = {(r["row"], r["measure"]): r["value"] for r in rows}
    assert found[("", "Consolidated spend (£)")] == "3250.75"
    assert found[("NHS", "Spend (£)")] == "2000.25"
    assert found[("Local government", "Spend (£)")] == "1250.50"
    assert found[("Total", "Spend (£)")] == "3250.75"
    # before 09:30 the public reads no figure of it, as with the page
    clock.at = PREPARED
    assert client.get(f"/published/{RELEASE}/1/figures.csv").status_code == 404
    assert client.get(f"/published/{RELEASE}/2/figures.csv").status_code == 404


def test_text_a_spreadsheet_would_run_is_made_inert(tmp_path: Path) -> None:
    content = {
        "place": '=HYPERLINK("http://attacker.invalid")',
        "sections": [
            {
                "item": "areas",
                "title": "Areas",
                "columns": [{"key": "population", "label": "@SUM(A1)", "kind": "count"}],
                "table": [{"label": "+cmd", "values": {"population": "-5"}}],
                "total": {"label": "\tX", "values": {"population": "<5"}},
            }
        ],
    }
    rows = list(csv.reader(io.StringIO(release_figures.figures_csv(content, "2024/25"))))
    assert rows[1] == [
        "202425",
        "Financial year",
        '\'=HYPERLINK("http://attacker.invalid")',
        "Areas",
        "'+cmd",
        "'@SUM(A1)",
        "-5",
    ]
    assert rows[2][4:] == ["'\tX", "'@SUM(A1)", "<5"]
