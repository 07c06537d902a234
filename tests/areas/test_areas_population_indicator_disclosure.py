"""A population given as the indicator ``population`` is withheld wherever the areas'
populations are (review of issue 13): in its own column, on its map, and in the place's
median and the similar areas' mean, which would give a ``c`` back as they would a ``<5``.

Hand-built place Brook, its populations imported only as the indicator ``population``:
Alder 3, Bank 10, Cross 20 (total 33), shown as ``<5``, ``c``, 20 (docs/areas.md). By hand:
- the place's median of 3, 10 and 20 is 10: Bank's withheld 10, so it is withheld;
- Alder's most similar areas are Bank and Cross: their mean (10 + 20) / 2 = 15 beside
  Cross's 20 gives 2 x 15 - 20 = 10, so it is withheld;
- Bank's map tooltip and label would say 10: Bank is left off a map of population.
"""

from __future__ import annotations

import html as markup
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_place import PASSWORD, sign_in

from wholeplace.assets import service
from wholeplace.assets.neighbourhood_report import area_map
from wholeplace.assets.neighbourhoods import area_profiles
from wholeplace.web import Place, create_app
from wholeplace.web.users import add_user
from wholeplace.workspace import Workspace

POPULATIONS = "code,population\nA1,3\nA2,10\nA3,20\n"
DECILES = "code,decile\nA1,1\nA2,5\nA3,9\n"


def _place(tmp_path: Path) -> Path:
    ws = Workspace.create(tmp_path / "place", "Brook")
    try:
        for name, text in (("pops.csv", POPULATIONS), ("deciles.csv", DECILES)):
            (tmp_path / name).write_text(text, encoding="utf-8")
        service.import_indicator(
            ws, tmp_path / "pops.csv", "population", "population", source="Crafted", as_of="2021"
        )
        service.import_indicator(
            ws, tmp_path / "deciles.csv", "imd_decile", "decile", source="Crafted", as_of="2019"
        )
        add_user(ws, "mem", "partnership member", PASSWORD, None)
    finally:
        ws.close()
    return tmp_path / "place"


def _square(x: int) -> dict[str, object]:
    ring = [[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_the_median_the_mean_and_the_map_withhold_the_c(tmp_path: Path) -> None:
    ws = Workspace.open(_place(tmp_path))
    try:
        ps = area_profiles(ws, None, None)
    finally:
        ws.close()
    assert ps.population_hidden() == {"A1", "A2"}
    by_code = {a.code: a.figure("population") for a in ps.for_publication().areas}
    alder = by_code["A1"]
    assert alder is not None
    # the place's median 10 is Bank's; the mean of Bank and Cross, 15, gives Bank's 10
    assert (alder.place, alder.similar) == (None, None)
    assert (alder.place_withheld, alder.similar_withheld) == (True, True)
    # the analysts' JSON (the profiles before publication) keeps the figures
    raw = ps.areas[0].figure("population")
    assert raw is not None and raw.to_json()["place_median"] == "10"
    geometries = {code: _square(n) for n, code in enumerate(("A1", "A2", "A3"))}
    _chosen, svg = area_map(ps, geometries, "population", "quantiles")
    assert svg is not None
    titles = re.findall(r"<title>([^<]*)</title></path>", svg)
    assert "A3: 20" in titles and not [
        t for t in titles if t.startswith(("A1", "A2")) and t[-1].isdigit()
    ], titles


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    place = Place.open(_place(tmp_path))
    try:
        with TestClient(create_app(place)) as c:
            sign_in(c, "mem")
            yield c
    finally:
        place.close()


def _cells(page: str, table_id: str, row: str) -> list[str]:
    start = page.index(f'id="{table_id}"')
    table = page[start : page.index("</table>", start)]
    found = next(r for r in table.split("<tr")[1:] if row in r)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", found, re.S)
    return [" ".join(markup.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]


def test_the_web_pages_withhold_the_c_in_the_indicator_too(client: TestClient) -> None:
    every = client.get("/areas").text
    # Area | Population | imd_decile | population | Assets | per head
    assert _cells(every, "areas-table", 'data-code="A2"')[1:4] == ["c", "5 (2)", "c"]
    assert _cells(every, "areas-table", 'data-code="A1"')[1:4] == ["<5", "1 (3)", "<5"]
    bank = client.get("/areas/A2").text
    assert "Population c;" in bank
    # This area | rank | place median | similar mean
    row = _cells(bank, "area-figures", 'data-indicator="population"')
    assert row[1] == "c" and row[2] == "" and row[3] == "withheld"
    alder = _cells(client.get("/areas/A1").text, "area-figures", 'data-indicator="population"')
    assert alder[1:] == ["<5", "", "withheld", "withheld"]
