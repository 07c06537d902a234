"""The spend report (HTML and XLSX), checked against sums computed here from the input lines."""

from __future__ import annotations

import csv
import json
import math
import os
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from wholeplace.areas import import_areas, import_boundaries
from wholeplace.partners import add_partner
from wholeplace.reports.atomic import atomic_path, write_text_atomic
from wholeplace.reports.bubbles import Bubble, BubbleGroup, layout
from wholeplace.reports.maps import SCALE
from wholeplace.spend import import_spend
from wholeplace.spend.report import gather, html_text, write_html, write_xlsx

SVG = "{http://www.w3.org/2000/svg}"
YEAR = "2024/25"
PREV = "2023/24"

PARTNERS = [
    ("cc", "Testshire County Council", "county council", "County council", "Local government"),
    ("da", "Aford Borough Council", "district", "District councils", "Local government"),
    ("db", "Bton District Council", "district", "District councils", "Local government"),
    ("icb", "NHS Testshire ICB", "nhs commissioner", "NHS", "Health"),
    ("trust", "Testshire Hospitals NHS Trust", "nhs trust", "NHS", "Health"),
    ("pol", "Testshire Police", "police", "Police and fire", "Police"),
    ("dwp", "Department for Work and Pensions", "dwp", "DWP", "Central government"),
]
NAMES = {p[0]: p[1] for p in PARTNERS}
GROUPS = {p[0]: p[3] for p in PARTNERS}
AREAS = {"A1": ("North Testshire", 400_000), "A2": ("South Testshire", 350_000),
         "A3": ("East Testshire", 250_000)}  # fmt: skip

# partner, service, area, customer group, amount, counterparty, estimate method, source
LINES: list[tuple[str, str, str, str, str, str, str, str]] = [
    ("cc", "EDU", "A1", "Children", "412345678.91", "", "", ""),
    ("cc", "EDU", "A2", "Children", "301000000.10", "", "", ""),
    ("cc", "ASC", "A1", "Older people", "250000000.00", "", "", ""),
    ("cc", "ASC", "A3", "Older people", "99999999.99", "", "", ""),
    ("cc", "ASC", "", "Older people", "25000000.00", "icb", "", ""),  # pooled budget
    ("cc", "HTS", "A2", "All residents", "12349999.99", "ACME Roads Ltd", "", ""),
    ("da", "HSG", "A1", "All residents", "12350000.00", "", "", ""),
    ("da", "ENV", "A1", "All residents", "8765432.10", "", "", ""),
    ("db", "HSG", "A2", "All residents", "15432100.55", "", "", ""),
    ("db", "PLN", "A3", "", "4100000.45", "", "", ""),
    ("icb", "NHS.PRIMARY", "A1", "All residents", "180000000.00", "", "", ""),
    ("icb", "NHS.PRESCRIBING", "A2", "All residents", "95555555.55", "", "", ""),
    ("icb", "NHS.ACUTE", "", "All residents", "420000000.00", "trust", "", ""),
    ("trust", "NHS.ACUTE", "A1", "All residents", "510000000.01", "", "", ""),
    ("trust", "NHS.MENTAL", "A3", "Adults", "77000000.77", "", "", ""),
    ("pol", "POL", "A1", "All residents", "120000000.00", "", "split by population", "PCC budget"),
    ("pol", "POL", "A2", "All residents", "105000000.00", "", "split by population", "PCC budget"),
    ("pol", "POL", "A3", "All residents", "75000000.00", "", "split by population", "PCC budget"),
    ("dwp", "SSB.PENSION", "A1", "Older people", "640000000.00", "", "DWP stat-xplore share",
     "DWP benefit expenditure 2024"),
    ("dwp", "SSB.HB", "A2", "All residents", "210987654.32", "", "caseload x average award",
     "DWP housing benefit caseload"),
]  # fmt: skip


def _write_lines(path: Path, year: str, lines: list[tuple[str, ...]], factor: Decimal) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            ["partner", "year", "service", "area", "customer_group", "amount_gbp",
             "counterparty", "estimate", "estimate_method", "source"]
        )  # fmt: skip
        for p, svc, area, cg, amount, cp, method, source in lines:
            a = (Decimal(amount) * factor).quantize(Decimal("0.01"), ROUND_HALF_UP)
            w.writerow([p, year, svc, area, cg, a, cp, "yes" if method else "no", method, source])


def _square(x: float, y: float, d: float = 0.2) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]],
    }


def build(ws, tmp_path: Path, *, boundaries: bool = True, prev: bool = False) -> None:
    for pid, name, typ, group, sector in PARTNERS:
        add_partner(ws, {"id": pid, "name": name, "type": typ, "group": group, "sector": sector})
    areas = tmp_path / "areas.csv"
    areas.write_text(
        "code,name,population\n" + "".join(f"{c},{n},{p}\n" for c, (n, p) in AREAS.items())
    )
    import_areas(ws, areas)
    if boundaries:
        # A3 deliberately has no boundary: it must be left off the map, not break it.
        geo = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"code": "A1"}, "geometry": _square(-2.6, 53.9)},
                {"type": "Feature", "properties": {"code": "A2"}, "geometry": _square(-2.4, 53.7)},
            ],
        }
        (tmp_path / "b.geojson").write_text(json.dumps(geo))
        import_boundaries(ws, tmp_path / "b.geojson")
    _write_lines(tmp_path / "spend.csv", YEAR, LINES, Decimal(1))
    import_spend(ws, tmp_path / "spend.csv")
    if prev:
        _write_lines(tmp_path / "prev.csv", PREV, LINES, Decimal("0.9"))
        import_spend(ws, tmp_path / "prev.csv")


# -- sums computed here, independently of the code under test -----------------------------


def internal(cp: str) -> bool:
    return cp in NAMES


def sums(key, factor: Decimal = Decimal(1)) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for line in LINES:
        if not internal(line[5]):
            a = (Decimal(line[4]) * factor).quantize(Decimal("0.01"), ROUND_HALF_UP)
            out[key(line)] += a
    return dict(out)


BY_PARTNER = sums(lambda ln: ln[0])
BY_GROUP = sums(lambda ln: GROUPS[ln[0]])
BY_AREA = sums(lambda ln: ln[2])
IMPORTED = sum((Decimal(ln[4]) for ln in LINES), Decimal(0))
ELIMINATED = sum((Decimal(ln[4]) for ln in LINES if internal(ln[5])), Decimal(0))
CONSOLIDATED = IMPORTED - ELIMINATED
ESTIMATED = sum((Decimal(ln[4]) for ln in LINES if ln[6]), Decimal(0))


def m(amount: Decimal) -> str:
    """£m to one decimal place, half up: the figure a reader sees."""
    return f"£{(amount / 1_000_000).quantize(Decimal('0.1'), ROUND_HALF_UP):,}m"


def pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def svg_by_id(html: str, svg_id: str) -> ET.Element:
    match = re.search(rf'<svg[^>]*id="{svg_id}".*?</svg>', html, re.S)
    assert match, f"no <svg id={svg_id}>"
    return ET.fromstring(match.group(0))


# -- HTML ---------------------------------------------------------------------------------


@pytest.fixture
def place(ws, tmp_path):
    build(ws, tmp_path)
    return ws


@pytest.fixture
def html(place, tmp_path) -> str:
    out = tmp_path / "report.html"
    write_html(gather(place, YEAR), out)
    return out.read_text(encoding="utf-8")


def test_bubble_diagram_has_a_circle_per_group_and_partner_with_right_labels(html):
    svg = svg_by_id(html, "bubbles")
    groups = svg.findall(f".//{SVG}circle[@class='bubble-group']")
    partners = svg.findall(f".//{SVG}circle[@class='bubble-partner']")
    assert sorted(c.get("data-key") for c in groups) == sorted(BY_GROUP)
    assert sorted(c.get("data-key") for c in partners) == sorted(BY_PARTNER)
    for c in partners:
        pid = c.get("data-key")
        assert Decimal(c.get("data-amount-gbp")) == BY_PARTNER[pid]
        assert c.find(f"{SVG}title").text.startswith(f"{NAMES[pid]}: {m(BY_PARTNER[pid])}")
    for c in groups:
        g = c.get("data-key")
        assert c.find(f"{SVG}title").text == f"{g}: {m(BY_GROUP[g])}"
    # The visible labels carry the same £m figures (12,349,999.99 and 12,350,000.00
    # straddle a rounding boundary; both partners are big enough to be labelled).
    texts = {t.text for t in svg.iter(f"{SVG}text")}
    for pid in ("cc", "icb", "trust", "dwp"):
        assert m(BY_PARTNER[pid]) in texts
    for g, amount in BY_GROUP.items():
        assert f"{g} {m(amount)}" in texts


def test_estimated_partners_are_marked_in_the_bubbles_with_a_legend(html):
    svg = svg_by_id(html, "bubbles")
    estimated = {ln[0] for ln in LINES if ln[6]}
    for g in svg.iter(f"{SVG}g"):
        if "bubble-member" in (g.get("class") or ""):
            circle = g.find(f"{SVG}circle[@class='bubble-partner']")
            is_est = g.get("data-key") in estimated
            assert ("estimated" in g.get("class").split()) == is_est
            assert (circle.get("stroke-dasharray") is not None) == is_est
            hatched = [
                c for c in g.findall(f"{SVG}circle") if c.get("fill") == "url(#bubbles-hatch)"
            ]
            assert bool(hatched) == is_est
    legend = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    assert "includes estimated spend" in legend


def test_bubble_areas_share_one_scale_across_groups(html):
    svg = svg_by_id(html, "bubbles")
    ratios = [
        float(c.get("r")) ** 2 / float(c.get("data-amount-gbp"))
        for c in svg.findall(f".//{SVG}circle[@class='bubble-partner']")
    ]
    # Radii are written to 0.1 px, so allow for that rounding on the smallest bubble.
    assert max(ratios) / min(ratios) < 1.05


def _plotly_data(html: str, div_id: str) -> list[dict]:
    start = html.index(f'Plotly.newPlot(                        "{div_id}"')
    start = html.index("[", start)
    data, _ = json.JSONDecoder().raw_decode(html[start:])
    return data


def test_sunburst_drills_group_partner_service(html):
    (trace,) = _plotly_data(html, "drilldown-sunburst")
    assert trace["type"] == "sunburst"
    ids, parents, values = trace["ids"], trace["parents"], trace["values"]
    node = dict(zip(ids, zip(parents, values, strict=True), strict=True))
    assert {i for i, (p, _) in node.items() if p == ""} == set(BY_GROUP)
    for pid, total in BY_PARTNER.items():
        pnode = f"{GROUPS[pid]}/{pid}"
        assert node[pnode][0] == GROUPS[pid]
        leaves = [v for i, (p, v) in node.items() if p == pnode]
        assert math.isclose(sum(leaves), float(total), abs_tol=0.005)
    expected_leaves = {(ln[0], ln[1]) for ln in LINES if not internal(ln[5])}
    got_leaves = {tuple(i.split("/")[1:]) for i in ids if i.count("/") == 2}
    assert got_leaves == expected_leaves
    assert "%{customdata}" in trace["hovertemplate"]


def test_reconciliation_and_eliminations_shown_to_the_penny(html):
    assert IMPORTED == CONSOLIDATED + ELIMINATED  # the test's own arithmetic
    rec = re.search(r'<table id="reconciliation-table">.*?</table>', html, re.S).group(0)
    assert f'data-gbp="{IMPORTED}"' in rec
    assert f'data-gbp="{CONSOLIDATED}"' in rec
    assert f'data-gbp="{ELIMINATED}"' in rec
    for amount in (IMPORTED, CONSOLIDATED, ELIMINATED):
        assert pounds(amount) in rec
    assert "✔" in rec
    elim = html[html.index('id="eliminations"') : html.index('id="reconciliation"')]
    assert "Testshire County Council" in elim and "NHS Testshire ICB" in elim
    assert pounds(Decimal("25000000.00")) in elim and pounds(Decimal("420000000.00")) in elim


def test_headline_table_in_billions_and_millions(html):
    table = re.search(r'<table id="headline">.*?</table>', html, re.S).group(0)
    for g, amount in BY_GROUP.items():
        row = re.search(rf"<th scope=\"row\">{g}</th>(.*?)</tr>", table, re.S).group(1)
        bn = (amount / 1_000_000_000).quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert f"£{bn}bn" in row and m(amount) in row
    assert f"£{(CONSOLIDATED / 10**9).quantize(Decimal('0.1'), ROUND_HALF_UP)}bn" in table


def test_estimates_note_names_partners_methods_and_sources(html):
    note = html[html.index('id="estimates"') :]
    for method, source in {(ln[6], ln[7]) for ln in LINES if ln[6]}:
        assert method in note and source in note
    assert "Department for Work and Pensions" in note and "Testshire Police" in note
    assert m(ESTIMATED) in note


def test_report_is_self_contained_and_offline(html):
    assert not re.search(r"<script[^>]+src=[\"']?https?://", html, re.I)
    assert not re.search(r"<link[^>]+href=[\"']?https?://", html, re.I)
    assert not re.search(r"<img[^>]+src=[\"']?https?://", html, re.I)
    assert not re.search(r"@import\s+url\(\s*[\"']?https?://", html, re.I)
    # plotly.js is embedded, exactly once.
    assert len(re.findall(r"plotly\.js v\d+\.\d+\.\d+", html)) == 1


def test_map_drawn_only_when_boundaries_exist(html, ws, tmp_path):
    svg = svg_by_id(html, "per-head-map")
    paths = {p.get("data-code"): p for p in svg.iter(f"{SVG}path")}
    assert set(paths) == {"A1", "A2"}
    per_head = {
        a: (BY_AREA[a] / AREAS[a][1]).quantize(Decimal("0.01"), ROUND_HALF_UP) for a in ("A1", "A2")
    }
    for code, p in paths.items():
        name = AREAS[code][0]
        assert p.find(f"{SVG}title").text == f"{name}: £{per_head[code]:,.0f}"
    hi, lo = sorted(per_head, key=per_head.get, reverse=True)
    assert paths[hi].get("fill") == SCALE[-1]
    assert paths[lo].get("fill") == SCALE[0]


def test_no_map_without_boundaries(tmp_path, ws):
    build(ws, tmp_path, boundaries=False)
    text = html_text(gather(ws, YEAR))
    assert "per-head-map" not in text and 'class="choropleth"' not in text
    assert 'id="by-area"' in text  # the table by area is still there


def test_no_year_on_year_without_previous_year(html):
    assert 'id="year-on-year"' not in html


def test_year_on_year_change(ws, tmp_path):
    build(ws, tmp_path, prev=True)
    data = gather(ws, YEAR)
    assert data.previous_year == PREV
    before = sums(lambda ln: GROUPS[ln[0]], Decimal("0.9"))
    for row in data.change("group"):
        assert row.previous_gbp == before[row.key]
        assert row.current_gbp == BY_GROUP[row.key]
        assert row.change_gbp == BY_GROUP[row.key] - before[row.key]
    text = html_text(data)
    assert 'id="year-on-year"' in text
    out = tmp_path / "r.xlsx"
    write_xlsx(data, out)
    ws_yoy = openpyxl.load_workbook(out)["Year on year"]
    header = next(r for r in ws_yoy.iter_rows(values_only=True) if r[0] == "Level")
    assert header[3] == f"{PREV} £" and header[4] == f"{YEAR} £"
    got = {r[1]: (r[3], r[4], r[5]) for r in ws_yoy.iter_rows(values_only=True) if r[0] == "group"}
    for g, amount in BY_GROUP.items():
        prev_v, cur_v, change = (Decimal(str(v)) for v in got[g])
        assert (prev_v, cur_v, change) == (before[g], amount, amount - before[g])


# -- XLSX ---------------------------------------------------------------------------------

SHEETS = [
    "Summary", "By group", "By partner", "By service", "Partner by service", "By area",
    "By customer group",
    "Eliminations", "Reconciliation", "Basis", "Estimates", "Lines",
]  # fmt: skip


def _rows_after_header(sheet, first_header: str) -> list[tuple]:
    rows = list(sheet.iter_rows(values_only=True))
    i = next(i for i, r in enumerate(rows) if r[0] == first_header)
    return [r for r in rows[i + 1 :] if r[0] is not None]


def dec(v) -> Decimal:
    assert isinstance(v, (int, float)) and not isinstance(v, bool), f"{v!r} is not a number"
    return Decimal(str(v)).quantize(Decimal("0.01"))


def figures(ws) -> dict[str, object]:
    """A Summary's label -> figure: where the figure is a formula on the By group sheet,
    wholeplace's own figure beside it (column C)."""
    out = {}
    for r in ws.iter_rows(values_only=True):
        if r[0]:
            formula = isinstance(r[1], str) and r[1].startswith("=")
            out[r[0]] = r[2] if formula else r[1]
    return out


def test_xlsx_round_trip(place, tmp_path):
    out = tmp_path / "report.xlsx"
    write_xlsx(gather(place, YEAR), out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS  # no "Year on year" without a previous year

    by_partner = _rows_after_header(wb["By partner"], "Key")
    got = {r[0]: dec(r[3]) for r in by_partner if r[0] != "Total"}
    assert got == BY_PARTNER
    assert {r[0]: r[2] for r in by_partner if r[0] != "Total"} == GROUPS
    assert all(dec(r[4]) == dec(r[3]) for r in by_partner)  # £m column holds exact pounds
    total = next(r for r in by_partner if r[0] == "Total")
    assert dec(total[3]) == CONSOLIDATED

    by_group = _rows_after_header(wb["By group"], "Key")
    assert {r[0]: dec(r[2]) for r in by_group if r[0] != "Total"} == BY_GROUP

    by_area = _rows_after_header(wb["By area"], "Key")
    for r in by_area:
        if r[0] in AREAS:
            assert dec(r[2]) == BY_AREA[r[0]]
            assert r[6] == AREAS[r[0]][1]
            assert dec(r[7]) == (BY_AREA[r[0]] / AREAS[r[0]][1]).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
    assert dec(next(r for r in by_area if r[0] == "Total")[2]) == CONSOLIDATED

    by_service = _rows_after_header(wb["By service"], "Division")
    svc = sums(lambda ln: ln[1])
    assert {r[1]: dec(r[3]) for r in by_service if r[0] != "Total"} == svc

    lines = _rows_after_header(wb["Lines"], "Partner")
    assert len(lines) == len(LINES)
    assert sum(dec(r[8]) for r in lines) == IMPORTED
    assert sum(dec(r[8]) for r in lines if r[10] == "yes") == ELIMINATED

    rec = {r[0]: r[1] for r in wb["Reconciliation"].iter_rows(values_only=True) if r[0]}
    assert dec(rec["Imported lines £"]) == IMPORTED
    assert dec(rec["Consolidated total £"]) == CONSOLIDATED
    assert dec(rec["Eliminated £"]) == ELIMINATED
    assert rec["Holds"] == "yes"

    elim = _rows_after_header(wb["Eliminations"], "Payer")
    assert dec(next(r for r in elim if r[0] == "Total")[7]) == ELIMINATED

    est = _rows_after_header(wb["Estimates"], "Partner")
    assert dec(next(r for r in est if r[0] == "Total")[5]) == ESTIMATED

    summary = figures(wb["Summary"])
    assert dec(summary["Consolidated public spending £"]) == CONSOLIDATED
    assert dec(summary["£ per head"]) == (CONSOLIDATED / 1_000_000).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )


def test_xlsx_is_formatted_for_finance_users(place, tmp_path):
    out = tmp_path / "report.xlsx"
    write_xlsx(gather(place, YEAR), out)
    sheet = openpyxl.load_workbook(out)["By partner"]
    header_row = next(r[0].row for r in sheet.iter_rows() if r[0].value == "Key")
    assert sheet.freeze_panes == f"A{header_row + 1}"
    first = header_row + 1
    assert sheet.cell(header_row, 4).value == "£"
    assert sheet.cell(first, 4).number_format.startswith('"£"#,##0.00')
    assert ',,"m"' in sheet.cell(first, 5).number_format
    assert sheet.cell(header_row, 1).font.bold


# -- atomic writes ------------------------------------------------------------------------


def test_atomic_write_leaves_old_file_and_no_partial_file_on_failure(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old report")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half a rep")
        raise RuntimeError("disk full")
    assert target.read_text() == "old report"
    assert sorted(os.listdir(tmp_path)) == ["report.html"]
    write_text_atomic(target, "new report")
    assert target.read_text() == "new report"
    assert sorted(os.listdir(tmp_path)) == ["report.html"]


def test_failed_xlsx_write_leaves_nothing_behind(place, tmp_path):
    data = gather(place, YEAR)
    # A line whose amount cannot be written makes openpyxl fail half way through the book.
    broken = replace(data, lines=[*data.lines[:3], replace(data.lines[3], amount_gbp="n/a")])
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Exception):  # noqa: B017 - any failure will do; the point is the aftermath
        write_xlsx(broken, folder / "report.xlsx")
    assert os.listdir(folder) == []
    write_xlsx(data, folder / "report.xlsx")
    assert os.listdir(folder) == ["report.xlsx"]


def test_report_command_writes_both_files(place, tmp_path):
    from wholeplace.cli import app

    path = place.path
    place.close()
    runner = CliRunner()
    for name in ("r.html", "r.xlsx"):
        res = runner.invoke(
            app, ["spend", "report", "--out", str(tmp_path / name), "--workspace", str(path)]
        )
        assert res.exit_code == 0, res.output
    # The command's files carry the figures summed by hand from LINES, not just some bytes.
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    partners = svg_by_id(html, "bubbles").findall(f".//{SVG}circle[@class='bubble-partner']")
    assert {c.get("data-key"): Decimal(c.get("data-amount-gbp")) for c in partners} == BY_PARTNER
    assert m(CONSOLIDATED) in html
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    summary = figures(wb["Summary"])
    assert dec(summary["Consolidated public spending £"]) == CONSOLIDATED
    rec = {r[0]: r[1] for r in wb["Reconciliation"].iter_rows(values_only=True) if r[0]}
    assert dec(rec["Imported lines £"]) == IMPORTED
    assert dec(rec["Eliminated £"]) == ELIMINATED


# -- the packing itself -------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=6),
        min_size=1,
        max_size=6,
    )
)
def test_bubble_layout_areas_proportional_nested_and_apart(amounts):
    groups = [
        BubbleGroup(
            f"g{i}", f"G{i}", [Bubble(f"p{i}.{j}", "P", Decimal(a)) for j, a in enumerate(gs)]
        )
        for i, gs in enumerate(amounts)
    ]
    lay = layout(groups)
    ratios = [
        lay.members[(g.key, b.key)].r ** 2 / float(b.amount_gbp) for g in groups for b in g.members
    ]
    assert max(ratios) / min(ratios) == pytest.approx(1.0, rel=1e-6)
    for g in groups:
        gc = lay.groups[g.key]
        members = [lay.members[(g.key, b.key)] for b in g.members]
        for c in members:
            assert math.dist((c.x, c.y), (gc.x, gc.y)) + c.r <= gc.r * (1 + 1e-6)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                assert math.dist((a.x, a.y), (b.x, b.y)) >= (a.r + b.r) * (1 - 1e-6)
    placed = list(lay.groups.values())
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            assert math.dist((a.x, a.y), (b.x, b.y)) >= (a.r + b.r) * (1 - 1e-6)


def test_bubbles_list_what_they_cannot_draw():
    from wholeplace.reports.bubbles import bubble_svg

    groups = [
        BubbleGroup("a", "Councils", [Bubble("x", "X Council", Decimal("5000000"))]),
        BubbleGroup(
            "b",
            "Others",
            [
                Bubble("y", "Y Trust", Decimal("2500000")),
                Bubble("z", "Z Refunds", Decimal("-1250000.00")),
            ],
        ),
    ]
    svg = ET.fromstring(bubble_svg(groups, title="t"))
    drawn = [c.get("data-key") for c in svg.iter(f"{SVG}circle") if c.get("data-key")]
    assert sorted(drawn) == ["a", "b", "x", "y"]
    (left_out,) = [t for t in svg.iter(f"{SVG}text") if "left-out" in (t.get("class") or "")]
    assert "Z Refunds" in left_out.text and "-£1.3m" in left_out.text


def test_bare_place_without_population_areas_or_estimates(tmp_path):
    from wholeplace.workspace import Workspace

    bare = Workspace.create(tmp_path / "bare", "Bareshire")
    try:
        add_partner(
            bare, {"id": "cc", "name": "Bare Council", "type": "unitary", "group": "Council",
                   "sector": "Local government"}
        )  # fmt: skip
        (tmp_path / "s.csv").write_text(
            "partner,year,service,amount_gbp\ncc,2024/25,EDU,1000.10\ncc,2024/25,ASC,2000.20\n"
        )
        import_spend(bare, tmp_path / "s.csv")
        data = gather(bare, YEAR)
        assert data.population is None and data.per_head_gbp is None
        text = html_text(data)
        assert "per-head-map" not in text
        assert "nothing is estimated" in text
        assert "No payments between partners" in text
        out = tmp_path / "bare.xlsx"
        write_xlsx(data, out)
        wb = openpyxl.load_workbook(out)
        rows = _rows_after_header(wb["By partner"], "Key")
        assert dec(rows[0][3]) == Decimal("3000.30")
    finally:
        bare.close()


def test_summary_comes_first_then_the_pictures(html):
    order = [
        html.index('id="summary"'),
        html.index('id="headline"'),
        html.index('id="bubbles"'),
        html.index('id="drilldown-sunburst"'),
        html.index('id="by-partner"'),
        html.index('id="reconciliation"'),
    ]
    assert order == sorted(order)
    partner_table = html[html.index('id="by-partner"') : html.index('id="by-service"')]
    for pid, name in NAMES.items():
        row = re.search(rf"<th scope=\"row\">{name}</th>\s*<td>([^<]*)</td>", partner_table)
        assert row and row.group(1) == GROUPS[pid]
