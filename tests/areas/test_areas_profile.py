"""`wholeplace areas profile`: the figures of a crafted place worked by hand, the real
indices of deprivation for Preston, suppression, and the command's refusals."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from areas_helpers import vale
from typer.testing import CliRunner

from wholeplace.area_spend import spend_by_area
from wholeplace.areas import import_boundaries
from wholeplace.assets import service
from wholeplace.assets.neighbourhoods import area_profiles, import_domains, write_profiles
from wholeplace.assets.profiles import similar_areas
from wholeplace.cli import app
from wholeplace.workspace import Workspace

PRESTON_LSOAS = "boundaries-lancashire/lsoa_2011_E07000123.geojson"
DOMAINS = "deprivation-iod2019/File_2_-_IoD2019_Domains_of_Deprivation.csv"
POP = "deprivation-iod2019/File_6_-_IoD2019_Population_Denominators.csv"


def _sqrt4(x: Fraction) -> Decimal:
    """The square root of ``x`` to 4 places, half up, from exact arithmetic."""
    return (Decimal(x.numerator) / Decimal(x.denominator)).sqrt().quantize(Decimal("0.0001"))


def test_vale_one_by_hand(tmp_path: Path) -> None:
    """Indicators imd_decile (1, 2, 9, 10: range 9) and rough_sleepers (7, 3, 0, 12:
    range 12). From One (1, 7): Two (1/9)² + (4/12)² = 10/81; Three (8/9)² + (7/12)² =
    1,465/1,296; Four 1 + (5/12)² = 169/144, distance 13/12 = 1.0833. Medians: deciles
    (2 + 9) / 2 = 5.5, sleepers (3 + 7) / 2 = 5; mean of the two most like One (Two,
    Three): decile (2 + 9) / 2 = 5.5, sleepers (3 + 0) / 2 = 1.5.

    Spend: £100,000.01 on no area, by population 1,000 : 400 : 1,600 : 1,000 of 4,000:
    10,000,001 pennies make 2,500,000.25, 1,000,000.1, 4,000,000.4, 2,500,000.25; the
    floors sum to 10,000,000 and the penny left goes to the largest remainder (Three):
    £25,000.00, £10,000.00, £40,000.01, £25,000.00. One: (150,000 + 25,000) / 1,000 =
    £175.00 a head; the place (280,000 + 100,000.01) / 4,000 = 95.0000025 = £95.00."""
    place = vale(tmp_path)
    ws = Workspace.open(place, read_only=True)
    try:
        found = area_profiles(ws, "V1", spend_by_area(ws, "population"), k=2)
        everyone = area_profiles(ws, None, spend_by_area(ws, "population"), k=3)
    finally:
        ws.close()
    (one,) = found.areas
    assert one.population == 1000 and one.decile == 1
    assert [(c, d) for c, _, d in one.similar] == [
        ("V2", _sqrt4(Fraction(10, 81))),
        ("V3", _sqrt4(Fraction(1465, 1296))),
    ]
    assert [(c, d) for c, _, d in everyone.areas[0].similar][2] == ("V4", Decimal("1.0833"))
    figures = {f.indicator: (f.value, f.rank, f.place, f.similar) for f in one.figures}
    assert figures == {
        "imd_decile": (1, 4, Decimal("5.5"), Decimal("5.5")),
        "rough_sleepers": (7, 2, 5, Decimal("1.5")),
    }
    assert one.spend is not None and one.spend.allocated == Decimal("25000.00")
    assert one.per_head == Decimal("175.00")
    allocated = {a.code: a.spend.allocated for a in everyone.areas if a.spend}
    assert allocated == {
        "V1": Decimal("25000.00"),
        "V2": Decimal("10000.00"),
        "V3": Decimal("40000.01"),
        "V4": Decimal("25000.00"),
    }
    assert sum(allocated.values()) == Decimal("100000.01")
    assert (found.place_population, found.place_per_head) == (4000, Decimal("95.00"))
    assert found.summary == (
        "One (V1): population 1,000; IMD decile 1 (1 = the most deprived tenth of "
        "England); 0 of the partners' assets; public spend £175 a head against £95 for "
        "Vale; most like Two, Three."
    )


def test_without_allocation_county_spend_is_left_out(tmp_path: Path) -> None:
    """Own spend only: One 150,000 / 1,000 = £150.00; Four has none; the place
    280,000 / 4,000 = £70.00."""
    place = vale(tmp_path)
    ws = Workspace.open(place, read_only=True)
    try:
        found = area_profiles(ws, None, spend_by_area(ws))
    finally:
        ws.close()
    per_head = {a.code: a.per_head for a in found.areas}
    assert per_head == {
        "V1": Decimal("150.00"),
        "V2": Decimal("125.00"),
        "V3": Decimal("50.00"),
        "V4": None,
    }
    assert found.place_per_head == Decimal("70.00")


def test_counts_under_5_are_suppressed_in_html_and_xlsx(tmp_path: Path) -> None:
    """Two's 3 and Three's 0 rough sleepers are shown as <5 in both files and left off
    the map; One's 7 and Four's 12 are shown; --json keeps the figures."""
    place = vale(tmp_path)
    ws = Workspace.open(place, read_only=True)
    try:
        write_profiles(ws, tmp_path / "a.html", indicator="rough_sleepers")
        write_profiles(ws, tmp_path / "a.xlsx")
        raw = area_profiles(ws, "V2")
    finally:
        ws.close()
    html = (tmp_path / "a.html").read_text(encoding="utf-8")
    rows = {
        code: html.split(f'<tr><th scope="row">{code} ')[1].split("</tr>")[0]
        for code in ("V1", "V2", "V3", "V4")
    }
    cells = {c: r.split('<td class="num">')[3].split("</td>")[0] for c, r in rows.items()}
    assert cells == {"V1": "7", "V2": "&lt;5", "V3": "&lt;5", "V4": "12"}
    mapped = html.split('id="area-map"')[1].split("</svg>")[0]
    assert 'data-code="V2"' in mapped and "Two: no figure" in mapped
    assert "One: 7" in mapped
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["Areas"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Code")
    col = header.index("Rough sleepers")
    values = {r[0]: r[col] for r in sheet.iter_rows(values_only=True) if r[0] in ("V1", "V2", "V3")}
    assert values == {"V1": 7, "V2": "<5", "V3": "<5"}
    assert next(f.value for f in raw.areas[0].figures if f.indicator == "rough_sleepers") == 3


def test_population_under_5_is_suppressed(tmp_path: Path) -> None:
    from wholeplace.assets.neighbourhood_report import published

    assert [published(v) for v in (None, 3, 4, 5, 1234)] == ["", "<5", "<5", "5", "1,234"]


def test_preston_013a_from_the_published_files(tmp_path: Path, reference: Path) -> None:
    """IoD2019 File 2, Preston 013A (E01025231): IMD decile 5; income 8, employment 8,
    education 9, health 3, crime 1, housing 10, living environment 1. File 6: 1,403
    people; Preston 140,431 (SOURCES.md): a place made without a population of its own
    takes the sum of its areas'."""
    ws = Workspace.create(tmp_path / "preston", "Preston")
    try:
        _preston_013a(ws, reference)
    finally:
        ws.close()


def _preston_013a(ws: Workspace, reference: Path) -> None:
    import_boundaries(ws, reference / PRESTON_LSOAS, "LSOA11CD")
    imported = import_domains(ws, reference / DOMAINS, source="MHCLG IoD2019 File 2", as_of="2019")
    assert [(r.indicator.name, r.indicator.areas) for r in imported][:2] == [
        ("imd_decile", 86),
        ("income_decile", 86),
    ]
    service.import_indicator(
        ws,
        reference / POP,
        "population",
        "Total population: mid 2015 (excluding prisoners)",
        source="MHCLG IoD2019 File 6",
        as_of="mid-2015",
        counts=True,
    )
    found = area_profiles(ws, "E01025231")
    write_profiles(ws, ws.path.parent / "preston.html")
    html = (ws.path.parent / "preston.html").read_text(encoding="utf-8")
    table = html.split('<h2 id="areas">')[1].split("</table>")[0]
    header = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table)
    row = table.split('<tr><th scope="row">E01025231 ')[1].split("</tr>")[0]
    cells = dict(zip(header[1:], re.findall(r'<td class="num">([^<]*)</td>', row), strict=False))
    assert cells["imd_decile"] == "5" and cells["crime_decile"] == "1"
    assert cells["housing_decile"] == "10" and cells["Population"] == "1,403"
    (a,) = found.areas
    assert (a.population, a.decile) == (1403, 5)
    # the name the ONS boundary file gives it (LSOA11NM), kept at import and shown
    assert a.name == "Preston 013A"
    assert '<tr><th scope="row">E01025231 Preston 013A</th>' in table
    assert {f.indicator: f.value for f in a.domains} == {
        "crime_decile": 1,
        "education_decile": 9,
        "employment_decile": 8,
        "environment_decile": 1,
        "health_decile": 3,
        "housing_decile": 10,
        "income_decile": 8,
    }
    assert found.place_population == 140431


def test_similar_areas_agree_with_the_exact_comparison(ws: Workspace, reference: Path) -> None:
    """The k-d tree finds the same five areas at the same distances as comparing every
    pair in exact fractions (``similar_areas``), for all 86 of Preston's LSOAs."""
    import_boundaries(ws, reference / PRESTON_LSOAS, "LSOA11CD")
    import_domains(ws, reference / DOMAINS, source="MHCLG IoD2019 File 2", as_of="2019")
    values: dict[str, dict[str, Decimal]] = {}
    for name, code, v in ws.con.execute("SELECT * FROM area_indicators").fetchall():
        values.setdefault(name, {})[code] = v
    found = area_profiles(ws)
    assert len(found.areas) == 86
    for a in found.areas:
        assert [(c, d) for c, _, d in a.similar] == similar_areas(a.code, values), a.code


def test_an_asset_on_real_boundaries_is_in_its_area_s_profile(
    ws: Workspace, reference: Path, tmp_path: Path
) -> None:
    """Preston's centre as ONS publishes it (BNG_E, BNG_N of the district): the asset there
    is placed by point-in-polygon in exactly one of Preston's LSOAs, and only that
    area's profile lists it."""
    from assets_helpers import add_partners, lad_features

    import_boundaries(ws, reference / PRESTON_LSOAS, "LSOA11CD")
    add_partners(ws, "preston")
    (centre,) = lad_features(reference, "E07000123")
    e, n = centre["properties"]["BNG_E"], centre["properties"]["BNG_N"]
    path = tmp_path / "p.csv"
    path.write_text(
        f"UPRN,AssetCode,PropertyName,GeoX,GeoY,BuildingSize,Running cost\n"
        f'10001,P1,Centre,{e},{n},500,"25,000"\n',
        encoding="utf-8",
    )
    service.import_register(ws, path, "preston")
    found = area_profiles(ws)
    holding = [a for a in found.areas if a.assets]
    assert len(holding) == 1 and holding[0].running_cost == Decimal("25000.00")


def _cli(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["areas", "profile", *args])
    return res.exit_code, res.output


def test_the_command_writes_html_xlsx_and_json(tmp_path: Path) -> None:
    place = str(vale(tmp_path))
    code, out = _cli("V1", "--allocate-by", "population", "-w", place, "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["areas"][0]["per_head_gbp"] == "175.00"
    assert data["place_per_head_gbp"] == "95.00"
    assert "Euclidean" in data["similarity"]
    for name in ("v.html", "v.xlsx"):
        code, out = _cli("--all", "--out", str(tmp_path / name), "-w", place)
        assert code == 0, out
    html = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert 'id="answer"' in html and "Method and sources" in html
    assert "quantiles" in html and "SHA-256" in html


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "Say which area"),
        (("V1", "--all"), "Say which area"),
        (("V9",), "No area 'V9'"),
        (("--all", "--allocate-by", "nothing"), "Nothing to allocate by"),
        (("--all", "--out", "x.html", "--classes", "jenks"), "--classes 'jenks'"),
        (("--all", "--out", "x.html", "--indicator", "nope"), "No indicator 'nope'"),
        (("--all", "--out", "x.csv"), "Cannot write the area profiles as '.csv'"),
    ],
)
def test_the_command_refuses_with_a_fix(tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    place = str(vale(tmp_path))
    code, out = _cli(*[a if a != "x.html" else str(tmp_path / a) for a in args], "-w", place)
    assert code == 2, out
    assert says in " ".join(out.split())
    assert not (tmp_path / "x.html").exists()


def test_one_area_is_drawn_outlined_among_the_place_s(tmp_path: Path) -> None:
    """The profile of One maps all four areas, One outlined and drawn last; Two's and
    Three's rough sleepers (3 and 0) stay off the map."""
    place = vale(tmp_path)
    ws = Workspace.open(place, read_only=True)
    try:
        write_profiles(ws, tmp_path / "one.html", "V1", indicator="rough_sleepers")
    finally:
        ws.close()
    svg = (tmp_path / "one.html").read_text(encoding="utf-8").split('id="area-map"')[1]
    svg = svg.split("</svg>")[0]
    paths = re.findall(r'<path class="area" data-code="(\w+)"[^>]*stroke="(#\w+)"', svg)
    assert paths == [("V2", "#fff"), ("V3", "#fff"), ("V4", "#fff"), ("V1", "#000")]
    assert "Two: no figure" in svg and "Three: no figure" in svg and "Four: 12" in svg


def test_ties_for_the_most_similar_go_by_code() -> None:
    """T is (5, 5) and twelve areas lie at 5 from it on both ranges of 10: (5 ± 5, 5),
    (5, 5 ± 5), (5 ± 3, 5 ± 4) and (5 ± 4, 5 ± 3); each is 5/10 = 0.5 away exactly (3² + 4²
    = 5²), more ties than the k-d tree is asked for, and in binary floating point the
    (3, 4) ones come out a hair further than the others. Ties go by code: A and B, two
    of the (3, 4) ones; W, X, Y and Z lie on the axes."""
    from wholeplace.assets.neighbourhoods import similar_to

    points = [(0, 5), (10, 5), (5, 0), (5, 10), (2, 1), (8, 1), (2, 9), (8, 9), (1, 2), (9, 2)]
    points += [(1, 8), (9, 8)]
    names = ["W", "X", "Y", "Z", "H", "G", "F", "E", "D", "C", "B", "A"]
    x, y = {"T": Decimal(5)}, {"T": Decimal(5)}
    for n, (a, b) in zip(names, points, strict=True):
        x[n], y[n] = Decimal(a), Decimal(b)
    half = Decimal("0.5")
    assert similar_to({"x": x, "y": y}, ["T"], k=2) == {"T": [("A", half), ("B", half)]}


def test_an_asset_in_nested_areas_is_counted_once(tmp_path: Path) -> None:
    """Vale's district boundary (VD, around all four squares) and One both hold the asset
    at (349500, 449500): each area's profile lists it, the place counts it once."""
    from assets_helpers import square, with_squares

    place = vale(tmp_path)
    ws = Workspace.open(place)
    try:
        (tmp_path / "d").mkdir()
        with_squares(ws, tmp_path / "d", square("VD", 348900, 448900, 2200))
        path = tmp_path / "a.csv"
        path.write_text(
            "UPRN,AssetCode,PropertyName,GeoX,GeoY,BuildingSize,Running cost\n"
            '10001,A1,Hall,349500,449500,500,"25,000"\n',
            encoding="utf-8",
        )
        service.import_register(ws, path, "district")
        found = area_profiles(ws)
    finally:
        ws.close()
    assert {a.code: len(a.assets) for a in found.areas if a.assets} == {"V1": 1, "VD": 1}
    assert "; 1 of the partners' assets lie in them" in found.summary


def test_a_median_that_would_give_a_small_count_away_is_withheld(tmp_path: Path) -> None:
    """The Vale's rough sleepers 7, 3, 0, 12 (a count): the median (3 + 7) / 2 = 5 is the
    mean of a suppressed 3 and the shown 7, so 2 x 5 - 7 gives the 3 away; the report and
    pages leave it out, the analysts' JSON keeps it. The decile's median 5.5 is no count
    and is shown."""
    place = vale(tmp_path)
    ws = Workspace.open(place, read_only=True)
    try:
        found = area_profiles(ws, "V1", None, k=2)
        out = write_profiles(ws, tmp_path / "v1.html", "V1", None, k=2)
    finally:
        ws.close()
    sleepers = found.areas[0].figure("rough_sleepers")
    decile = found.areas[0].figure("imd_decile")
    assert sleepers is not None and decile is not None
    assert (sleepers.place, sleepers.place_withheld) == (Decimal(5), True)
    # One's two most similar areas are Two (3) and Three (0): their mean 1.5 is withheld
    assert sleepers.similar_withheld
    published = found.for_publication().areas[0].figure("rough_sleepers")
    assert published is not None and (published.place, published.similar) == (None, None)
    assert found.to_json()["areas"][0]["indicators"][1]["place_median"] == "5"
    assert not decile.place_withheld and decile.place == Decimal("5.5")
    html = (tmp_path / "v1.html").read_text(encoding="utf-8")
    row = html[html.index('<th scope="row">rough_sleepers') :].split("</tr>")[0]
    assert re.sub(r"<[^>]+>", " ", row).split() == ["rough_sleepers", "7", "2"]
    assert out.areas[0].figure("rough_sleepers") is not None
