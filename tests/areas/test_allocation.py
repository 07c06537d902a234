"""Spend on no area allocated to the areas by a driver: it adds back to the penny, and the
spend report's per-head map shows it."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl
from areas_helpers import vale
from hypothesis import given
from hypothesis import strategies as st

from wholeplace.allocation import allocate
from wholeplace.spend import service as spend_service
from wholeplace.workspace import Workspace

amounts = st.decimals(min_value=Decimal("-1000000000"), max_value=Decimal("1000000000"), places=2)
drivers = st.dictionaries(
    st.text("ABCDEFGHIJ", min_size=1, max_size=3),
    st.decimals(min_value=Decimal(0), max_value=Decimal("100000"), places=4),
    min_size=1,
    max_size=40,
)


@given(amounts, drivers)
def test_allocation_adds_back_to_the_penny(amount: Decimal, driver: dict[str, Decimal]) -> None:
    parts = allocate(amount, driver)
    if not any(w > 0 for w in driver.values()):
        assert parts == {}
        return
    assert sum(parts.values()) == amount
    assert set(parts) == {c for c, w in driver.items() if w > 0}
    total = sum(driver.values())
    for code, part in parts.items():
        assert part.as_tuple().exponent == -2  # written as money: 25000.00, not 25000
        # each part is its exact share rounded down or up by at most a penny
        assert abs(part - amount * driver[code] / total) < Decimal("0.01")


def test_allocation_by_hand() -> None:
    """£100.00 over three equal areas: 3,333.33... pennies each, floors 3,333 x 3 = 9,999;
    the penny left goes to the first of the tied remainders (A). £0.05 by 1 : 0 : 4:
    B (0) gets nothing, A 1 penny, C 4 pennies."""
    third = {"A": Decimal(1), "B": Decimal(1), "C": Decimal(1)}
    assert allocate(Decimal("100.00"), third) == {
        "A": Decimal("33.34"),
        "B": Decimal("33.33"),
        "C": Decimal("33.33"),
    }
    assert allocate(Decimal("0.05"), {"A": Decimal(1), "B": Decimal(0), "C": Decimal(4)}) == {
        "A": Decimal("0.01"),
        "C": Decimal("0.04"),
    }


def test_the_spend_report_per_head_map_shows_allocated_county_spend(tmp_path: Path) -> None:
    """Vale (docs/areas.md): £100,000.01 on no area by population gives One £25,000.00
    (175.00 a head with its own £150,000), Two £10,000.00 (150.00), Three £40,000.01
    ((80,000 + 40,000.01) / 1,600 = 75.00000625: £75.00) and Four £25,000.00 (£25.00, no
    spend of its own, so absent from the map before)."""
    place = vale(tmp_path)
    ws = Workspace.open(place, read_only=True)
    try:
        spend_service.write_report(ws, tmp_path / "s.html", None, "population")
        spend_service.write_report(ws, tmp_path / "s.xlsx", None, "population")
        spend_service.write_report(ws, tmp_path / "plain.html")
    finally:
        ws.close()
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    svg = html.split('id="per-head-map"')[1].split("</svg>")[0]
    shown = dict(re.findall(r"<title>(\w+): (£[\d,]+)</title>", svg))
    assert shown == {"One": "£175", "Two": "£150", "Three": "£75", "Four": "£25"}
    assert "allocated to the 4 areas by population" in html
    assert "Not allocated:" in html
    plain = (tmp_path / "plain.html").read_text(encoding="utf-8")
    plain_svg = plain.split('id="per-head-map"')[1].split("</svg>")[0]
    assert "£175" not in plain_svg and 'data-code="V4"' not in plain_svg
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx")["Allocated"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r[0] in ("V3", "Total")}
    assert rows["V3"] == (80000, 40000.01, 75)  # a workbook holds binary floats
    assert rows["Total"][:2] == (280000, 100000.01)


def test_the_spend_map_by_area_allocates_to_the_penny(tmp_path: Path) -> None:
    """`spend map --by area --allocate-by population`: the same shares as the report
    (docs/areas.md), with per head; without --by area it is refused."""
    import json

    from typer.testing import CliRunner

    from wholeplace.cli import app

    place = str(vale(tmp_path))
    args = ["spend", "map", "--by", "area", "--allocate-by", "population", "-w", place]
    res = CliRunner().invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)["allocation"]
    assert [
        (p["key"], p["allocated_gbp"], p["per_head_with_allocated_gbp"]) for p in got["parts"]
    ] == [
        ("V1", "25000.00", "175.00"),
        ("V2", "10000.00", "150.00"),
        ("V3", "40000.01", "75.00"),
        ("V4", "25000.00", "25.00"),
    ]
    assert (got["amount_gbp"], got["allocated_gbp"]) == ("100000.01", "100000.01")
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0 and "Not allocated:" in res.output
    res = CliRunner().invoke(app, ["spend", "map", "--allocate-by", "population", "-w", place])
    assert res.exit_code == 2 and "--by area" in res.output
