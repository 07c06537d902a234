"""A withheld population is not given away by spend and spend per head (review of issue 13).

An area's own section shows its public spend, so beside it its spend per head would give a
withheld population back: spend / spend per head = population. Wherever the population is
withheld (``<5`` or ``c``), so is the spend per head (shown ``c``), in the CLI's reports
(HTML, PDF, XLSX), on the web pages and in a release (page, JSON, CSV). The analysts'
views (``--json``, the signed-in JSON twins) keep every figure, as docs/areas.md says.

Hand-built place Brook: Alder 3 people, Bank 10, Cross 20 (total 33), one partner spending
£300.00 in Alder, £500.00 in Bank and £400.00 in Cross in 2024/25. By hand:
- Alder: population 3 -> ``<5``; per head 300 / 3 = £100.00 -> withheld, ``c``;
- Bank: population 10 -> ``c`` (secondary: 33 - 20 - 10 would give 3 away); per head
  500 / 10 = £50.00 -> withheld, ``c`` (else 500 / 50 = 10, then 33 - 10 - 20 = 3);
- Cross: population 20; per head 400 / 20 = £20.00, shown;
- the place: 33 people, (300 + 500 + 400) / 33 = 36.3636..., £36.36 a head.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_place import PASSWORD, sign_in

from wholeplace.areas import import_areas
from wholeplace.assets import service
from wholeplace.cli import app
from wholeplace.partners import add_partner
from wholeplace.spend import import_lines
from wholeplace.web import Place, create_app, release_figures
from wholeplace.web.users import add_user
from wholeplace.workspace import Workspace

AREAS = "code,name,population\nA1,Alder,3\nA2,Bank,10\nA3,Cross,20\n"
DECILES = "code,decile\nA1,1\nA2,5\nA3,9\n"
LINES = (
    "partner,year,service,area,customer_group,amount_gbp,counterparty\n"
    "cc,2024/25,Adult social care,A1,Older people,300.00,\n"
    "cc,2024/25,Adult social care,A2,Older people,500.00,\n"
    "cc,2024/25,Adult social care,A3,Older people,400.00,\n"
)
# what must never reach the public: the two withheld populations and the per-head figures
# they would follow from
# (£500, Bank's spend, is shown: "£50" is matched only as a whole figure)
HIDDEN_PER_HEAD = re.compile(r"(?<![\d,.])(£?100(\.00)?|£?50(\.00)?)(?![\d,.]|\.\d)")


def _place(tmp_path: Path, lines: str = LINES) -> Path:
    ws = Workspace.create(tmp_path / "place", "Brook")
    try:
        add_partner(
            ws,
            {
                "id": "cc",
                "name": "Brook Council",
                "type": "county council",
                "group": "Local government",
                "sector": "local government",
            },
        )
        for name, text in (("areas.csv", AREAS), ("deciles.csv", DECILES), ("lines.csv", lines)):
            (tmp_path / name).write_text(text, encoding="utf-8")
        import_areas(ws, tmp_path / "areas.csv")
        service.import_indicator(
            ws, tmp_path / "deciles.csv", "imd_decile", "decile", source="Crafted", as_of="2019"
        )
        import_lines(ws, tmp_path / "lines.csv")
        add_user(ws, "mem", "partnership member", PASSWORD, None)
    finally:
        ws.close()
    return tmp_path / "place"


def _cli(*args: str) -> str:
    res = CliRunner().invoke(app, ["areas", "profile", *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def _no_hidden(text: str) -> None:
    found = [
        m.group(0) for m in HIDDEN_PER_HEAD.finditer(text) if "£" in m.group(0) or "." in m.group(0)
    ]
    assert not found, found


def test_the_html_report_withholds_spend_per_head_with_the_population(tmp_path: Path) -> None:
    place = _place(tmp_path)
    out = tmp_path / "profiles.html"
    _cli("--all", "--out", str(out), "-w", str(place))
    html = out.read_text(encoding="utf-8")
    _no_hidden(html)
    table = html.split('<h2 id="areas">')[1].split("</table>")[0]
    last = {
        code: table.split(f'<tr><th scope="row">{code} ')[1].split("</tr>")[0].split("<td")[-1]
        for code in ("A1", "A2", "A3")
    }
    assert [c.split(">")[1].split("<")[0] for c in last.values()] == ["c", "c", "£20"]
    alder = html.split('id="area-A1"')[1].split("</section>")[0]
    # the spend itself is shown; the per head that would divide it back to 3 people is not
    assert "£300" in alder and "Population &lt;5" in alder and "a head c (confidential)" in alder
    assert "spend per head" in html.split('id="method"')[1]


def test_one_areas_report_withholds_what_the_table_of_all_withholds(tmp_path: Path) -> None:
    # Bank's own profile used to show "population 10": with Cross's 20 and the place's 33
    # on the other pages, 33 - 10 - 20 = 3
    place = _place(tmp_path)
    out = tmp_path / "bank.html"
    _cli("A2", "--out", str(out), "-w", str(place))
    html = out.read_text(encoding="utf-8")
    _no_hidden(html)
    assert "population c;" in html and "population 10" not in html
    assert "Population c;" in html.split('id="area-A2"')[1]


def test_the_xlsx_withholds_it_too(tmp_path: Path) -> None:
    place = _place(tmp_path)
    out = tmp_path / "profiles.xlsx"
    _cli("--all", "--out", str(out), "-w", str(place))
    sheet = openpyxl.load_workbook(out)["Areas"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "Code")
    at = {h: header.index(h) for h in ("Population", "Public spend (£)", "£ per head")}
    got = {r[0]: tuple(r[i] for i in at.values()) for r in rows if r[0] in ("A1", "A2", "A3")}
    assert got == {
        "A1": ("<5", 300, "c"),
        "A2": ("c", 500, "c"),
        "A3": (20, 400, 20),
    }
    for r in rows:
        for v in r:
            assert v not in (3, 10, 100, 50), r


def test_spend_allocated_by_population_is_withheld_with_it(tmp_path: Path) -> None:
    # £330.00 on no area, by population 3 : 10 : 20 of 33: £30.00, £100.00 and £200.00.
    # Cross's £200.00 for 20 people is £10.00 a person, so Alder's £30.00 would give 3.
    lines = LINES + "cc,2024/25,Adult social care,,Older people,330.00,\n"
    place = _place(tmp_path, lines)
    out = tmp_path / "profiles.xlsx"
    _cli("--all", "--allocate-by", "population", "--out", str(out), "-w", str(place))
    rows = list(openpyxl.load_workbook(out)["Areas"].iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "Code")
    at = [header.index(h) for h in ("Allocated (£)", "£ per head")]
    got = {r[0]: tuple(r[i] for i in at) for r in rows if r[0] in ("A1", "A2", "A3")}
    # Cross: (400 + 200) / 20 = £30.00 a head
    assert got == {"A1": ("c", "c"), "A2": ("c", "c"), "A3": (200, 30)}


def test_the_analysts_json_keeps_every_figure(tmp_path: Path) -> None:
    place = _place(tmp_path)
    found = json.loads(_cli("--all", "--json", "-w", str(place)))
    alder = next(a for a in found["areas"] if a["code"] == "A1")
    assert (alder["population"], alder["per_head_gbp"]) == (3, "100.00")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    place = Place.open(_place(tmp_path))
    try:
        with TestClient(create_app(place)) as c:
            sign_in(c, "mem")
            yield c
    finally:
        place.close()


def test_the_web_pages_withhold_it(client: TestClient) -> None:
    every = client.get("/areas").text
    _no_hidden(every)
    assert "£20.00" in every and "£36.36" in every
    for code, population in (("A1", "&lt;5"), ("A2", "c")):
        page = client.get(f"/areas/{code}").text
        _no_hidden(page)
        assert f"Population {population};" in page and "a head c (confidential)" in page
        assert 'id="area-confidential"' in page
    # the member's JSON twin is the analysts' view (docs/web.md): every figure as it is
    alder = client.get("/api/areas/A1").json()["areas"][0]
    assert (alder["population"], alder["per_head_gbp"]) == (3, "100.00")


def test_the_release_figures_withhold_it(tmp_path: Path) -> None:
    ws = Workspace.open(_place(tmp_path))
    try:
        section = release_figures.areas(ws, "2024/25")
    finally:
        ws.close()
    values = {r["code"]: r["values"] for r in section["table"]}
    assert {c: (v["population"], v["per_head_gbp"]) for c, v in values.items()} == {
        "A1": ("<5", "c"),
        "A2": ("c", "c"),
        "A3": ("20", "20.00"),
    }
    assert section["total"]["values"] == {"population": "33", "per_head_gbp": "36.36"}
    assert section["chart"]["values"] == ["20.00"]
    public: dict[str, Any] = {"place": "Brook", "sections": [section]}
    text = json.dumps(public)
    _no_hidden(text)
    assert '"3"' not in text and '"10"' not in text
    table = list(csv.reader(io.StringIO(release_figures.figures_csv(public, "2024/25"))))
    cells = [r[-1] for r in table[1:]]
    assert not {"3", "10", "100.00", "50.00"} & set(cells)
    # what is left is consistent with both hidden areas, never one: 33 - 20 = 13 together
    assert Decimal(section["total"]["values"]["per_head_gbp"]) == Decimal("36.36")


ALDER_ONLY = (
    "partner,year,service,area,customer_group,amount_gbp,counterparty\n"
    "cc,2024/25,Adult social care,A1,Older people,300.00,\n"
)


def test_only_the_small_area_spends(tmp_path: Path) -> None:
    """The case as found in review: £300.00 in Alder (3 people) alone. Its section showed
    £300 and £100.00 a head, and 300 / 100 = 3. Now nothing the public reads (report,
    workbook, page, release JSON and CSV) holds £100.00 or the 3."""
    place = _place(tmp_path, ALDER_ONLY)
    out = tmp_path / "alder.html"
    _cli("A1", "--out", str(out), "-w", str(place))
    html = out.read_text(encoding="utf-8")
    _no_hidden(html)
    assert "£300" in html and "Population &lt;5" in html
    book = tmp_path / "alder.xlsx"
    _cli("--all", "--out", str(book), "-w", str(place))
    for row in openpyxl.load_workbook(book)["Areas"].iter_rows(values_only=True):
        assert not {3, 100, "3", "100.00"} & set(row), row
    site = Place.open(place)
    try:
        with TestClient(create_app(site)) as c:
            sign_in(c, "mem")
            page = c.get("/areas/A1").text
            _no_hidden(page)
            assert "£300.00" in page and "a head c (confidential)" in page
    finally:
        site.close()
    ws = Workspace.open(place)
    try:
        section = release_figures.areas(ws, "2024/25")
    finally:
        ws.close()
    public: dict[str, Any] = {"place": "Brook", "sections": [section]}
    text = json.dumps(public)
    _no_hidden(text)
    assert '"3"' not in text
    # the place: 300 / 33 = 9.0909..., £9.09 a head, with its 33 people: 300 again, no 3
    assert section["total"]["values"] == {"population": "33", "per_head_gbp": "9.09"}
    cells = [r[-1] for r in csv.reader(io.StringIO(release_figures.figures_csv(public, "")))]
    assert not {"3", "100.00"} & set(cells)
