"""Area profiles on real files: Preston's 86 LSOA boundaries, the indices of deprivation
2019 and the population denominators, and an asset placed in its LSOA."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from assets_helpers import add_partners, lad_features

from wholeplace.areas import import_boundaries
from wholeplace.assets import service
from wholeplace.errors import InputError
from wholeplace.workspace import Workspace

PRESTON_LSOAS = "boundaries-lancashire/lsoa_2011_E07000123.geojson"
IMD = "deprivation-iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"
POP = "deprivation-iod2019/File_6_-_IoD2019_Population_Denominators.csv"
IMD_SOURCE = "MHCLG, English indices of deprivation 2019, File 1"


def preston(ws: Workspace, reference: Path) -> None:
    import_boundaries(ws, reference / PRESTON_LSOAS, "LSOA11CD")
    service.import_indicator(
        ws,
        reference / IMD,
        "imd_decile",
        "Index of Multiple Deprivation (IMD) Decile",
        source=IMD_SOURCE,
        as_of="2019",
        higher_is="better",
    )
    service.import_indicator(
        ws,
        reference / POP,
        "population",
        "Total population: mid 2015 (excluding prisoners)",
        source="MHCLG, IoD2019 File 6",
        as_of="mid-2015",
    )


def test_preston_profiles_from_the_published_files(ws: Workspace, reference: Path) -> None:
    """86 LSOAs (SOURCES.md); Preston 013A (E01025231) is in IMD decile 5; the mid-2015
    populations of Preston's LSOAs add up to the published district total, 140,431."""
    preston(ws, reference)
    found = service.profiles(ws)
    assert len(found.areas) == 86
    by_code = {a.code: a for a in found.areas}
    assert by_code["E01025231"].values["imd_decile"] == 5
    total = sum(a.values["population"] for a in found.areas)
    assert total == 140_431
    assert [i.name for i in found.indicators] == ["imd_decile", "population"]
    assert found.indicators[0].source == IMD_SOURCE


def test_an_asset_is_placed_in_one_lsoa_and_shows_in_its_profile(
    ws: Workspace, reference: Path, tmp_path: Path
) -> None:
    """Preston's centre as ONS publishes it (BNG_E, BNG_N of the district) lies in exactly
    one of Preston's 86 LSOAs; the asset there appears in that area's profile only."""
    preston(ws, reference)
    add_partners(ws, "preston")
    (centre,) = lad_features(reference, "E07000123")
    e, n = centre["properties"]["BNG_E"], centre["properties"]["BNG_N"]
    path = tmp_path / "preston.csv"
    path.write_text(
        f"UPRN,AssetCode,PropertyName,GeoX,GeoY,BuildingSize,Running cost,Utilisation\n"
        f'10001,P1,Centre,{e},{n},500,"25,000",60\n',
        encoding="utf-8",
    )
    service.import_register(ws, path, "preston")
    (asset,) = service.register(ws)
    assert len(asset.areas) == 1
    holding = [a for a in service.profiles(ws).areas if a.assets]
    assert [a.code for a in holding] == list(asset.areas)
    assert holding[0].running_cost == Decimal("25000.00")


def test_an_indicator_for_another_place_is_refused(ws: Workspace, reference: Path) -> None:
    import_boundaries(ws, reference / PRESTON_LSOAS, "LSOA11CD")
    other = reference / "boundaries-lancashire/lsoa_2011_E07000117.geojson"
    with pytest.raises(InputError) as exc:
        service.import_indicator(ws, other, "x", "LSOA11NM", source="s", as_of="2019")
    assert exc.value.problems  # a GeoJSON is not a table: refused, nothing written


def test_report_writes_html_and_xlsx(ws: Workspace, reference: Path, tmp_path: Path) -> None:
    preston(ws, reference)
    for name in ("estate.html", "estate.xlsx"):
        service.write_report(ws, tmp_path / name, indicator="imd_decile")
        assert (tmp_path / name).stat().st_size > 0
    html = (tmp_path / "estate.html").read_text(encoding="utf-8")
    assert 'id="profile-map"' in html and "E01025231" in html


def test_most_similar_areas_by_hand() -> None:
    """Ranges: a 9 - 1 = 8, b 30 - 10 = 20. From X: Y is ((1-2)/8)² + 0 = 1/64, distance
    0.125; Z (4/8)² + (10/20)² = 1/2, 0.7071; W 1 + 1 = 2, 1.4142. V lacks b: left out."""
    from wholeplace.assets.profiles import similar_areas

    indicators = {
        "a": {"X": Decimal(1), "Y": Decimal(2), "Z": Decimal(5), "W": Decimal(9), "V": Decimal(1)},
        "b": {"X": Decimal(10), "Y": Decimal(10), "Z": Decimal(20), "W": Decimal(30)},
    }
    assert similar_areas("X", indicators) == [
        ("Y", Decimal("0.1250")),
        ("Z", Decimal("0.7071")),
        ("W", Decimal("1.4142")),
    ]
    assert similar_areas("X", indicators, k=1) == [("Y", Decimal("0.1250"))]


def test_preston_013a_is_compared_with_the_most_similar_areas(
    ws: Workspace, reference: Path
) -> None:
    preston(ws, reference)
    (one,) = service.profiles(ws, "E01025231").areas
    assert len(one.similar) == 5
    assert [d for _, d in one.similar] == sorted(d for _, d in one.similar)
    assert "E01025231" not in [c for c, _ in one.similar]


LOOKUP = (
    "lookups-lsoa2011/LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)"
    "_Lookup_for_England_and_Wales_(Version_2).csv"
)


def test_2021_codes_are_kept_under_the_place_s_2011_codes(
    ws: Workspace, reference: Path, tmp_path: Path
) -> None:
    """Of Preston's 86 LSOAs, the published lookup keeps 85 codes in 2021 and recodes one,
    E01025280 -> E01034346. A file by 2021 code gives all 86 areas, that one converted;
    without the lookup its row is left out."""
    import_boundaries(ws, reference / PRESTON_LSOAS, "LSOA11CD")
    codes = sorted(service.profiles(ws).areas, key=lambda a: a.code)
    lines = ["LSOA21CD,score"]
    for i, a in enumerate(codes, start=1):
        lines.append(f"{'E01034346' if a.code == 'E01025280' else a.code},{i}")
    (tmp_path / "i2021.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    without = service.import_indicator(
        ws, tmp_path / "i2021.csv", "score", "score", source="s", as_of="2021"
    )
    assert (without.indicator.areas, without.left_out, without.converted) == (85, 1, 0)
    res = service.import_indicator(
        ws,
        tmp_path / "i2021.csv",
        "score",
        "score",
        source="s",
        as_of="2021",
        lookup=reference / LOOKUP,
    )
    assert (res.indicator.areas, res.left_out, res.converted) == (86, 0, 1)
    position = [a.code for a in codes].index("E01025280") + 1
    (one,) = service.profiles(ws, "E01025280").areas
    assert one.values["score"] == position


def test_profiles_show_the_spend_map_per_head(tmp_path: Path) -> None:
    """Spend lines with areas: VALE1 £150,000 over 1,000 people = £150.00 a head; VALE2
    £50,000 over 400 = £125.00; the profile shows the spend map's figures."""
    import json

    from assets_helpers import square, with_squares
    from typer.testing import CliRunner

    from wholeplace.areas import import_areas
    from wholeplace.cli import app
    from wholeplace.spend import service as spend_service

    ws = Workspace.create(tmp_path / "p", "Vale", population=1400)
    try:
        from assets_helpers import add_partners

        add_partners(ws, "cc")
        (tmp_path / "areas.csv").write_text(
            "code,name,population\nVALE1,One,1000\nVALE2,Two,400\n", encoding="utf-8"
        )
        import_areas(ws, tmp_path / "areas.csv")
        with_squares(
            ws,
            tmp_path,
            square("VALE1", 349000, 449000, 1500),
            square("VALE2", 350500, 449000, 1500),
        )
        (tmp_path / "spend.csv").write_text(
            "partner,year,service,area,amount_gbp\n"
            "cc,2024/25,HTS,VALE1,100000\ncc,2024/25,HTS,VALE1,50000\n"
            "cc,2024/25,HTS,VALE2,50000\n",
            encoding="utf-8",
        )
        spend_service.import_lines(ws, tmp_path / "spend.csv")
    finally:
        ws.close()
    res = CliRunner().invoke(app, ["assets", "profile", "-w", str(tmp_path / "p"), "--json"])
    assert res.exit_code == 0, res.output
    spend = {
        a["code"]: {k: a["spend"][k] for k in ("year", "amount_gbp", "per_head_gbp")}
        for a in json.loads(res.stdout)["areas"]
    }
    assert spend == {
        "VALE1": {"year": "2024/25", "amount_gbp": "150000.00", "per_head_gbp": "150.00"},
        "VALE2": {"year": "2024/25", "amount_gbp": "50000.00", "per_head_gbp": "125.00"},
    }
    out = tmp_path / "r.html"
    res = CliRunner().invoke(
        app, ["assets", "report", "--out", str(out), "-w", str(tmp_path / "p")]
    )
    assert res.exit_code == 0, res.output
    assert "£150 (2024/25)" in out.read_text(encoding="utf-8")


def test_county_spend_allocated_by_population_adds_back_to_the_penny(tmp_path: Path) -> None:
    """£100,000.01 on no area, split by population 1,000 : 400: exactly 71,428.578... and
    28,571.431...; pennies down 71,428.57 + 28,571.43 = 100,000.00, the penny left to the
    larger remainder (VALE1): 71,428.58 + 28,571.43 = 100,000.01. Per head with it:
    (150,000 + 71,428.58) / 1,000 = 221.43; (50,000 + 28,571.43) / 400 = 196.43 (196.428575
    half up)."""
    import json

    from assets_helpers import square, with_squares
    from typer.testing import CliRunner

    from wholeplace.areas import import_areas
    from wholeplace.cli import app
    from wholeplace.spend import service as spend_service

    ws = Workspace.create(tmp_path / "p", "Vale", population=1400)
    try:
        from assets_helpers import add_partners

        add_partners(ws, "cc")
        (tmp_path / "areas.csv").write_text(
            "code,name,population\nVALE1,One,1000\nVALE2,Two,400\n", encoding="utf-8"
        )
        import_areas(ws, tmp_path / "areas.csv")
        with_squares(
            ws,
            tmp_path,
            square("VALE1", 349000, 449000, 1500),
            square("VALE2", 350500, 449000, 1500),
        )
        (tmp_path / "spend.csv").write_text(
            "partner,year,service,area,amount_gbp\n"
            "cc,2024/25,HTS,VALE1,150000\ncc,2024/25,HTS,VALE2,50000\n"
            "cc,2024/25,ASC,,100000.01\n",
            encoding="utf-8",
        )
        spend_service.import_lines(ws, tmp_path / "spend.csv")
    finally:
        ws.close()
    w = str(tmp_path / "p")
    res = CliRunner().invoke(
        app, ["assets", "profile", "--allocate-by", "population", "-w", w, "--json"]
    )
    assert res.exit_code == 0, res.output
    spend = {a["code"]: a["spend"] for a in json.loads(res.stdout)["areas"]}
    assert {c: s["allocated_gbp"] for c, s in spend.items()} == {
        "VALE1": "71428.58",
        "VALE2": "28571.43",
    }
    total = sum(Decimal(s["allocated_gbp"]) for s in spend.values())
    assert total == Decimal("100000.01")
    assert {c: s["per_head_with_allocated_gbp"] for c, s in spend.items()} == {
        "VALE1": "221.43",
        "VALE2": "196.43",
    }
    assert {c: s["per_head_gbp"] for c, s in spend.items()} == {
        "VALE1": "150.00",
        "VALE2": "125.00",
    }
    res = CliRunner().invoke(app, ["assets", "profile", "--allocate-by", "nope", "-w", w])
    assert res.exit_code == 2
