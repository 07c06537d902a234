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
DWP = "Department for Work and Pensions"


@pytest.fixture(scope="module")
def wm_rows(reference: Path) -> list[tuple[object, ...]]:
    """West Midlands, '10. Social protection', 2017-18 rows, read straight from the sheet
    by column position (not by the reader under test): (department, CAP/CUR, level, £k)."""
    book = openpyxl.load_workbook(reference / CRA, read_only=True)
    rows = [
        (r[0], r[9], r[10], r[18] or 0)
        for r in book["CRA 2018 database"].iter_rows(min_row=2, values_only=True)
        if r[12] == "ENGLAND_West Midlands" and r[4] == "10. Social protection"
    ]
    book.close()
    return rows


def summed(rows, *, dept: str | None, cap_cur: str, levels=("CG",)) -> Decimal:
    """£ thousand of the rows of ``dept`` (any when None), ``cap_cur`` and ``levels``."""
    return Decimal(
        sum(
            v
            for d, c, lv, v in rows
            if (dept is None or d == dept) and c == cap_cur and lv in levels
        )
    )


@pytest.fixture
def wm_social_protection_cg(wm_rows) -> Decimal:
    """DWP's current spending on social protection in the West Midlands, CG, £ thousand."""
    return summed(wm_rows, dept=DWP, cap_cur="CUR")


@pytest.fixture
def place(ws: Workspace) -> Workspace:
    with ws.write("test"):
        upsert(ws, [Partner("dwp", "DWP", "dwp", "DWP", "Central government")])
        ws.con.execute("INSERT INTO areas VALUES ('N', 'North', 600000), ('S', 'South', 400000)")
    return ws


def test_regional_total_matches_the_sheet(reference: Path, wm_rows) -> None:
    # every department's current spending (the reader itself names no department)
    t = cra_total(
        reference / CRA, region="West Midlands", function="10", year="2017/18", level=("CG",)
    )
    assert t.amount_gbp == summed(wm_rows, dept=None, cap_cur="CUR") * 1000
    assert t.matched_functions == ("10. Social protection",)
    cap = cra_total(
        reference / CRA,
        region="West Midlands",
        function="10",
        year="2017/18",
        level=("CG",),
        spending="capital",
    )
    assert cap.amount_gbp == summed(wm_rows, dept=None, cap_cur="CAP") * 1000


def test_estimate_counts_only_the_partners_department(
    place: Workspace, reference: Path, wm_rows
) -> None:
    """Issue 10: function 10 without a department counted HMRC and five pension schemes
    as DWP, and DWP's capital with its current spending."""
    (e,) = estimate_from_cra(
        place,
        reference / CRA,
        partner="dwp",  # type dwp: the default department is DWP's
        region="West Midlands",
        functions=["10"],
        year="2017/18",
        region_driver=5_900_000,
    )
    dwp_current = summed(wm_rows, dept=DWP, cap_cur="CUR", levels=("CG", "PC"))
    everyone = summed(wm_rows, dept=None, cap_cur="CUR", levels=("CG", "PC")) + summed(
        wm_rows, dept=None, cap_cur="CAP", levels=("CG", "PC")
    )
    assert e.total.departments == (DWP,)
    assert e.total.amount_gbp == dwp_current * 1000
    assert dwp_current == Decimal(14_442_083)  # £ thousand, as the sheet shows it
    assert everyone == Decimal(19_068_080)  # what the old estimate counted: 32 % more
    assert e.amount_gbp == to_money(dwp_current * 1000 * 1_000_000 / 5_900_000)
    (method,) = place.con.execute("SELECT estimate_method FROM spend_lines").fetchone()
    assert DWP in method and "current" in method


def test_capital_is_estimated_apart(place: Workspace, reference: Path, wm_rows) -> None:
    cur, cap = estimate_from_cra(
        place,
        reference / CRA,
        partner="dwp",
        region="West Midlands",
        functions=["10"],
        year="2017/18",
        region_driver=5_900_000,
        spending=("current", "capital"),
    )
    assert (cur.total.spending, cap.total.spending) == ("current", "capital")
    assert (
        cap.total.amount_gbp
        == summed(wm_rows, dept=DWP, cap_cur="CAP") * 1000
        == Decimal(27_793_000)
    )
    got = place.con.execute(
        "SELECT account, basis, amount_gbp FROM spend_lines ORDER BY account"
    ).fetchall()
    assert got == [
        ("capital", "gross", cap.amount_gbp),
        ("revenue", "gross", cur.amount_gbp),
    ]
    # a later current-only estimate replaces the revenue line and leaves the capital one
    estimate_from_cra(
        place,
        reference / CRA,
        partner="dwp",
        region="West Midlands",
        functions=["10"],
        year="2017/18",
        region_driver=5_900_000,
    )
    assert place.con.execute(
        "SELECT account, count(*) FROM spend_lines GROUP BY 1 ORDER BY 1"
    ).fetchall() == [("capital", 1), ("revenue", 1)]


def test_a_partner_without_a_default_must_name_its_department(
    place: Workspace, reference: Path
) -> None:
    with place.write("test"):
        upsert(place, [Partner("ho", "Home Office", "other", "Central", "Central government")])
    with pytest.raises(InputError) as e:
        estimate_from_cra(
            place,
            reference / CRA,
            partner="ho",
            region="West Midlands",
            functions=["3"],
            service_codes=["JUS"],
            year="2017/18",
            region_driver=5_900_000,
        )
    (p,) = e.value.problems
    assert p.column == "department" and "--department" in p.fix and "dwp: " + DWP in p.fix
    with pytest.raises(InputError) as e:
        estimate_from_cra(
            place,
            reference / CRA,
            partner="ho",
            region="West Midlands",
            functions=["3"],
            service_codes=["JUS"],
            year="2017/18",
            region_driver=5_900_000,
            departments=["Home Ofice"],
        )
    (p,) = e.value.problems
    assert p.column == "Department Name" and "Home Office" in p.fix
    (est,) = estimate_from_cra(
        place,
        reference / CRA,
        partner="ho",
        region="West Midlands",
        functions=["3"],
        service_codes=["JUS"],
        year="2017/18",
        region_driver=5_900_000,
        departments=["Home Office"],
    )
    assert est.total.departments == ("Home Office",)


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
            "--department",
            "Department of Health and Social Care",
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
    assert data["departments"] == ["Department of Health and Social Care"]
    assert data["spending"] == "current"
    # The region's health spending by DHSC, current, summed here from the published sheet
    # (CG and PC, the default levels, 2017-18 in column S, £ thousand), then Testshire's
    # 1.0m of 5.9m people.
    book = openpyxl.load_workbook(reference / CRA, read_only=True)
    thousands = sum(
        (
            Decimal(str(r[18]))
            for r in book["CRA 2018 database"].iter_rows(min_row=2, values_only=True)
            if r[12] == "ENGLAND_West Midlands"
            and r[4] == "7. Health"
            and r[10] in ("CG", "PC")
            and r[0] == "Department of Health and Social Care"
            and r[9] == "CUR"
            and r[18] not in (None, "")
        ),
        Decimal(0),
    )
    book.close()
    assert thousands > 0
    assert Decimal(data["region_gbp"]) == thousands * 1000
    assert Decimal(data["estimate_gbp"]) == to_money(thousands * 1000 * 1_000_000 / 5_900_000)


def test_a_year_column_named_twice_is_refused(reference: Path, tmp_path: Path) -> None:
    """Issue 11, item 6: the CRA reader finds the year's column by its header, and took the
    first of two without a word."""
    wb = openpyxl.load_workbook(reference / CRA)
    ws = wb["CRA 2018 database"]
    head = {str(c.value).strip(): c.column for c in ws[1] if c.value is not None}
    first, second = head["2017-18"], head["2016-17"]
    ws.cell(1, second).value = "2017-18"  # the 2016-17 figures relabelled as 2017-18
    f = tmp_path / "cra.xlsx"
    wb.save(f)
    with pytest.raises(InputError) as e:
        cra_total(f, region="West Midlands", function="10", year="2017/18")
    [p] = e.value.problems
    letter = openpyxl.utils.get_column_letter
    a, b = sorted([first, second])
    assert (p.file, p.row, p.column) == ("cra.xlsx", 1, "2017-18")
    assert p.value == (
        f"'2017-18' (column {a} ({letter(a)})) and '2017-18' (column {b} ({letter(b)}))"
    )
