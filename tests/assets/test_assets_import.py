"""`wholeplace assets import`: the real published registers, coordinate conversion against
published points, and every problem by row with its fix."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from assets_helpers import add_partners, lad_features, square, with_lad_boundaries, with_squares
from typer.testing import CliRunner

from wholeplace.assets import service
from wholeplace.assets.geo import from_degrees, from_grid, locate
from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.workspace import Workspace

TRAFFORD = "assets-council-land/trafford_land_and_building_assets.csv"
CHELT_2021 = "assets-council-land/cheltenham_local_authority_land_and_assets_2021.csv"
CHELT_2023 = "assets-council-land/cheltenham_local_authority_land_and_assets_2023.csv"
ERIC = "nhs-estates-eric/ERIC_Site.csv"
LSC_ICB = ("Integrated Care Board", "NHS LANCASHIRE AND SOUTH CUMBRIA ICB")


def problems_of(exc: pytest.ExceptionInfo[InputError]) -> list[tuple[int | None, str]]:
    return [(p.row, p.message) for p in exc.value.problems]


# -- coordinates -------------------------------------------------------------------------


def test_published_district_centres_convert_within_5_m(reference: Path) -> None:
    """ONS publishes each district's centre both as grid metres (BNG_E, BNG_N) and as
    degrees (LONG, LAT, 5 places, about 1 m). Converted either way they agree within 5 m,
    the Helmert transformation's accuracy; the ballpark conversion is about 100 m out."""
    codes = ("E08000009", "E07000078", "E07000123", "E07000121", "E06000009")
    for f in lad_features(reference, *codes):
        p = f["properties"]
        grid = from_degrees(p["LONG"], p["LAT"])
        assert abs(grid.easting - p["BNG_E"]) <= 5, p["LAD24NM"]
        assert abs(grid.northing - p["BNG_N"]) <= 5, p["LAD24NM"]
        back = from_grid(p["BNG_E"], p["BNG_N"])
        # 5 m is about 0.00005 degrees of latitude and 0.00008 of longitude here
        assert abs(back.latitude - Decimal(str(p["LAT"]))) <= Decimal("0.00005")
        assert abs(back.longitude - Decimal(str(p["LONG"]))) <= Decimal("0.00008")


def test_locate_tells_the_system_from_the_numbers_and_refuses_swaps() -> None:
    assert locate(395522, 223084).easting == 395522  # Cheltenham, grid metres
    assert locate(-2.3520922, 53.3879587).longitude == Decimal("-2.352092")  # degrees
    with pytest.raises(ValueError, match="wrong way round"):
        locate(53.457484, -2.365856)
    with pytest.raises(ValueError, match="not a British National Grid"):
        locate(0, 223084, "EPSG:27700")


# -- the real published registers -------------------------------------------------------


def test_trafford_register_as_published_has_one_row_with_swapped_coordinates(
    ws: Workspace, reference: Path, tmp_path: Path
) -> None:
    """Row 387 (Davyhulme Youth Centre) gives GeoX 53.457484, GeoY -2.365856: latitude
    and longitude the wrong way round. Nothing is written."""
    add_partners(ws, "trafford")
    with pytest.raises(InputError) as exc:
        service.import_register(ws, reference / TRAFFORD, "trafford")
    assert problems_of(exc) == [(387, "longitude and latitude are the wrong way round")]
    assert service.register(ws) == []


def test_trafford_register_with_that_row_fixed_lies_in_trafford(
    ws: Workspace, reference: Path, tmp_path: Path
) -> None:
    """608 assets (SOURCES.md), 235 without coordinates. Against Trafford's boundary, four
    lie outside (a council holds land beyond it: row 123 is in Warrington), refused until
    ``--outside keep``; every other located asset is placed in Trafford, E08000009."""
    lines = (reference / TRAFFORD).read_text(encoding="utf-8").split("\n")
    lines[386] = lines[386].replace("53.457484,-2.365856", "-2.365856,53.457484")
    fixed = tmp_path / "trafford.csv"
    fixed.write_text("\n".join(lines), encoding="utf-8")
    add_partners(ws, "trafford")
    with_lad_boundaries(ws, reference, tmp_path, "E08000009")
    with pytest.raises(InputError) as exc:
        service.import_register(ws, fixed, "trafford")
    assert [r for r, _ in problems_of(exc)] == [44, 97, 123, 124]
    assert all("outside the place" in m for _, m in problems_of(exc))
    res = service.import_register(ws, fixed, "trafford", keep_outside=True)
    assert (res.imported, res.unlocated, res.outside) == (608, 235, 4)
    assets = {a.ref: a for a in service.register(ws)}
    town_hall = assets["TMBC0001/T0000003"]
    assert town_hall.name == "Altrincham Town Hall"
    assert town_hall.uprn == "100012797623"
    assert town_hall.gia_m2 == Decimal("415.05")
    assert town_hall.areas == ("E08000009",)
    assert town_hall.address == "Market Street, Altrincham"
    assert sum(1 for a in assets.values() if a.areas == ("E08000009",)) == 608 - 235 - 4


def test_cheltenham_2021_register_repeats_five_assets(ws: Workspace, reference: Path) -> None:
    """Windows-1252, header columns given twice (not read), and five asset codes twice:
    each a problem naming the row of its first appearance (CSV line numbers: quoted fields
    hold line breaks)."""
    add_partners(ws, "cheltenham")
    with pytest.raises(InputError) as exc:
        service.import_register(ws, reference / CHELT_2021, "cheltenham")
    assert [(p.row, p.value) for p in exc.value.problems] == [
        (932, "09/00069/Land"),
        (1932, "09/00996/SITE"),
        (2231, "09/04835/Land and Building"),
        (2508, "09/02667/Land and Building"),
        (2718, "09/04837/Land and Building"),
    ]


def test_cheltenham_2023_register_grid_references(
    ws: Workspace, reference: Path, tmp_path: Path
) -> None:
    """459 assets, all with grid references; leading zeros of UPRNs dropped
    (010000480247 is UPRN 10000480247). 16 lie outside Cheltenham's boundary."""
    add_partners(ws, "cheltenham")
    with_lad_boundaries(ws, reference, tmp_path, "E07000078")
    res = service.import_register(ws, reference / CHELT_2023, "cheltenham", keep_outside=True)
    assert (res.imported, res.unlocated, res.outside) == (459, 0, 16)
    first = next(a for a in service.register(ws) if a.ref == "10/00022/LAND")
    assert first.uprn == "10000480247" and first.easting == 395522


def test_eric_site_return_lancashire_and_south_cumbria(ws: Workspace, reference: Path) -> None:
    """ERIC for one ICB: 80 sites (SOURCES.md), kept without a location (ERIC gives only
    the postcode). Royal Preston Hospital (RXN02), from the published row:
    energy 1,535,174 + 5,144,945 + 4,265 + 323,118 = 7,007,502;
    rates 1,574,267; maintenance 4,837,396 + 94,988 = 4,932,384;
    other 70,028 + 472,713 + 2,897,393 + 1,506,388 = 4,946,522;
    running cost 18,460,675; over 124,236 m² = £148.59 per m²;
    backlog 4,376,182 + 34,780,562 + 11,653,892 + 6,898,840 = 57,709,476;
    no floor area empty or under-used: utilisation 100%."""
    add_partners(ws, "nhs")
    res = service.import_register(ws, reference / ERIC, "nhs", filters=[LSC_ICB])
    assert (res.imported, res.unlocated, res.filtered_out) == (80, 80, 2869 - 80)
    rph = next(a for a in service.register(ws) if a.ref == "RXN02")
    assert rph.cost_energy == Decimal("7007502")
    assert rph.cost_rates == Decimal("1574267")
    assert rph.cost_maintenance == Decimal("4932384")
    assert rph.cost_other == Decimal("4946522")
    assert rph.running_cost == Decimal("18460675")
    assert rph.cost_per_m2 == Decimal("148.59")
    assert rph.backlog == Decimal("57709476")
    assert rph.utilisation == Decimal("100.0")
    assert (rph.postcode, rph.tenure) == ("PR2 9HT", "Freehold")


# -- crafted files: every problem by row, with its fix ------------------------------------

HEADER = "UPRN,AssetCode,PropertyName,GeoX,GeoY,BuildingSize,Running cost,Utilisation,Condition"
BAD = f"""{HEADER},Lease end
100012797623,A1,Fine,350500,450500,1000,"50,000",80,B,2031-03-31
12A,A2,Bad UPRN,350500,450500,100,,,,
,A3,Outside,360000,450500,100,,,,
,A4,One coordinate,350500,,100,,,,
,A5,No floor,350500,450500,0,,,,
,A6,Dear,350500,450500,10,"60,000",,,
,A7,Negative,350500,450500,100,-5,,,
,A8,Over full,350500,450500,100,,120,,
,A9,Grade,350500,450500,100,,,E,
,A10,Date,350500,450500,100,,,,31 March
,A1,Again,350500,450500,100,,,,
"""


def test_every_problem_by_row_and_nothing_written(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws, "cc")
    with_squares(ws, tmp_path, square("AREA1", 350000, 450000, 1000))
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        service.import_register(ws, path, "cc")
    found = [(p.row, p.column, p.message.split(" (")[0].split(":")[0]) for p in exc.value.problems]
    assert found == [
        (3, "UPRN", "not a UPRN"),
        (4, "GeoX", "outside the place"),
        (5, "GeoX", "only one of the two coordinates is given"),
        (6, "BuildingSize", "not a plausible floor area"),
        (7, "BuildingSize", "£6,000.00 per m² a year is not plausible"),
        (8, "Running cost", "a cost cannot be negative"),
        (9, "Utilisation", "not a percentage from 0 to 100"),
        (10, "Condition", "not a condition grade"),
        (11, "Lease end", "not a date"),
        (12, "ref", "the same asset as row 2"),
    ]
    assert all(p.fix for p in exc.value.problems)
    assert service.register(ws) == []


def test_cli_exit_2_with_the_problem_table_and_json(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws, "cc")
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    folder = str(ws.path)
    ws.close()
    run = CliRunner().invoke(
        app, ["assets", "import", str(path), "--partner", "cc", "-w", folder, "--json"]
    )
    assert run.exit_code == 2
    out = json.loads(run.stdout)
    assert out["error"].startswith("9 problems found")  # no boundaries: none is outside
    run = CliRunner().invoke(app, ["assets", "import", str(path), "--partner", "xx", "-w", folder])
    assert run.exit_code == 2 and "not a partner of this" in " ".join(run.stderr.split())


def test_mapping_file_reads_an_xlsx_and_sums_cost_columns(ws: Workspace, tmp_path: Path) -> None:
    """A register in no known layout, read through a mapping: two columns fill the
    maintenance cost (summed: 1,200.50 + 799.50 = 2,000.00), hours give utilisation
    (30 of 40 hours = 75.0%), and the same UPRN in another partner's register is a
    finding, not an error."""
    import openpyxl

    add_partners(ws, "cc", "icb")
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append(["Our register 2025"])
    sh.append([])
    sh.append(["Ref", "Building", "UPRN", "E", "N", "Repairs", "Planned", "Open hrs", "Used hrs"])
    sh.append(["H1", "Health centre", 10001, 350500, 450500, 1200.5, 799.5, 40, 30])
    wb.save(tmp_path / "reg.xlsx")
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "field,column\nref,Ref\nname,Building\nuprn,UPRN\nx,E\ny,N\n"
        "cost_maintenance,Repairs\ncost_maintenance,Planned\n"
        "hours_available,Open hrs\nhours_used,Used hrs\n",
        encoding="utf-8",
    )
    service.import_register(ws, tmp_path / "reg.xlsx", "icb", mapping=mapping)
    council = tmp_path / "cc.csv"
    council.write_text("UPRN,AssetCode,GeoX,GeoY\n10001,C1,350510,450500\n", encoding="utf-8")
    res = service.import_register(ws, council, "cc")
    assert [s.to_json() for s in res.shared_uprns] == [
        {"uprn": "10001", "assets": ["cc/C1", "icb/H1"]}
    ]
    h1 = next(a for a in service.register(ws) if a.ref == "H1")
    assert (h1.cost_maintenance, h1.utilisation) == (Decimal("2000.00"), Decimal("75.0"))


def test_mapping_with_an_unknown_field_is_refused(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws, "cc")
    mapping = tmp_path / "map.csv"
    mapping.write_text("field,column\nfloor,Area\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text("Area\n10\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        service.import_register(ws, tmp_path / "r.csv", "cc", mapping=mapping)
    assert exc.value.problems[0].message == "not a field of the register"
