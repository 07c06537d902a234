"""Estimates from HM Treasury's Country and Regional Analysis, apportioned by a driver."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.engine import duckdb_tables
from wholeplace.errors import InputError
from wholeplace.money import to_money
from wholeplace.partners import Partner, upsert
from wholeplace.spend.consolidate import consolidate
from wholeplace.spend.estimate import cra_total, estimate_from_cra
from wholeplace.workspace import Workspace

CRA = "hmt-cra-pesa/CRA_2018_Database_for_Publication_rvsd.xlsx"


@pytest.fixture(scope="module")
def wm_social_protection_cg(reference: Path) -> Decimal:
    """West Midlands, '10. Social protection', central government, 2017-18, in £ thousand:
    summed here straight from the sheet, by column position, as a check on the reader."""
    book = openpyxl.load_workbook(reference / CRA, read_only=True)
    total = 0
    for r in book["CRA 2018 database"].iter_rows(min_row=2, values_only=True):
        if r[12] == "ENGLAND_West Midlands" and r[4] == "10. Social protection" and r[10] == "CG":
            total += r[18] or 0
    book.close()
    return Decimal(total)


@pytest.fixture
def place(ws: Workspace) -> Workspace:
    with ws.write("test"):
        upsert(ws, [Partner("dwp", "DWP", "dwp", "DWP", "Central government")])
        ws.con.execute("INSERT INTO areas VALUES ('N', 'North', 600000), ('S', 'South', 400000)")
    return ws


def test_regional_total_matches_the_sheet(reference: Path, wm_social_protection_cg) -> None:
    t = cra_total(
        reference / CRA, region="West Midlands", function="10", year="2017/18", level=("CG",)
    )
    assert t.amount_gbp == wm_social_protection_cg * 1000
    assert t.matched_functions == ("10. Social protection",)


def test_population_share_marked_as_estimate(
    place: Workspace, reference: Path, wm_social_protection_cg
) -> None:
    # Testshire: 1,000,000 residents (the ws fixture) of a region of 5,900,000.
    (e,) = estimate_from_cra(
        place,
        reference / CRA,
        partner="dwp",
        region="West Midlands",
        functions=["10"],
        year="2017-18",
        region_driver=5_900_000,
        level=("CG",),
    )
    expected = to_money(wm_social_protection_cg * 1000 * 1_000_000 / 5_900_000)
    assert e.amount_gbp == expected
    rows = place.con.execute(
        "SELECT service, amount_gbp, is_estimate, estimate_method, source FROM spend_lines"
    ).fetchall()
    assert len(rows) == 1
    service, amount, is_est, method, source = rows[0]
    assert (service, amount, is_est) == ("SSB", expected, True)
    assert "population share" in method and "16.9492%" in method  # 1.0m / 5.9m
    assert "Country and Regional Analysis" in source
    m = consolidate(duckdb_tables(place), "2017/18", "group")
    assert m.estimated_gbp == m.total_gbp == expected  # shown as estimated in the map


def test_driver_per_area_sums_to_the_place_to_the_penny(place: Workspace, reference: Path) -> None:
    est = estimate_from_cra(
        place,
        reference / CRA,
        partner="dwp",
        region="West Midlands",
        functions=["10.2", "10.5"],
        service_codes=["SSB.PENSION", "EMP"],
        year="2017/18",
        region_driver=100_000,
        driver="claimants",
        area_driver={"N": Decimal(700), "S": Decimal(300)},
    )
    for e in est:
        assert sum(e.by_area.values()) == e.amount_gbp
        assert e.share == Decimal("0.01")
    got = dict(
        place.con.execute(
            "SELECT service || ' ' || area, amount_gbp FROM spend_lines ORDER BY 1"
        ).fetchall()
    )
    assert set(got) == {"EMP N", "EMP S", "SSB.PENSION N", "SSB.PENSION S"}
    pension = est[0]
    assert got["SSB.PENSION N"] + got["SSB.PENSION S"] == pension.amount_gbp
    assert abs(got["SSB.PENSION N"] - pension.amount_gbp * Decimal("0.7")) <= Decimal("0.01")


def test_bad_requests_name_the_fix(place: Workspace, reference: Path) -> None:
    with pytest.raises(InputError) as e:
        cra_total(reference / CRA, region="Atlantis", function="10", year="2017/18")
    assert "region" in e.value.problems[0].fix
    with pytest.raises(InputError) as e:
        cra_total(reference / CRA, region="West Midlands", function="10", year="2019/20")
    assert "2017-18" in e.value.problems[0].fix
    with pytest.raises(InputError) as e:
        estimate_from_cra(
            place,
            reference / CRA,
            partner="dwp",
            region="West Midlands",
            functions=["4"],  # economic affairs: no default service
            year="2017/18",
            region_driver=100,
        )
    assert {p.column for p in e.value.problems} == {"service", "driver"}
    assert place.con.execute("SELECT count(*) FROM spend_lines").fetchall() == [(0,)]


def test_cli_estimate_json(place: Workspace, reference: Path) -> None:
    path = place.path
    place.close()
    out = CliRunner().invoke(
        app,
        [
            "spend",
            "estimate",
            "--source",
            "cra",
            "--file",
            str(reference / CRA),
            "--partner",
            "dwp",
            "--region",
            "West Midlands",
            "--function",
            "7",
            "--service",
            "NHS",
            "--year",
            "2017/18",
            "--region-driver",
            "5900000",
            "--workspace",
            str(path),
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    (data,) = json.loads(out.output)
    assert data["function"] == "7. Health"
    # The region's health spending summed here from the published sheet (CG and PC, the
    # default levels, 2017-18 in column S, £ thousand), then Testshire's 1.0m of 5.9m people.
    book = openpyxl.load_workbook(reference / CRA, read_only=True)
    thousands = sum(
        (
            Decimal(str(r[18]))
            for r in book["CRA 2018 database"].iter_rows(min_row=2, values_only=True)
            if r[12] == "ENGLAND_West Midlands"
            and r[4] == "7. Health"
            and r[10] in ("CG", "PC")
            and r[18] not in (None, "")
        ),
        Decimal(0),
    )
    book.close()
    assert thousands > 0
    assert Decimal(data["region_gbp"]) == thousands * 1000
    assert Decimal(data["estimate_gbp"]) == to_money(thousands * 1000 * 1_000_000 / 5_900_000)
