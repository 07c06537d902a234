"""The spend service called directly, as a notebook or the web application calls it.

Figures are docs/spend.md's worked example (Valeshire), hand-checked there: five partners,
£1,670,750,000.75 imported, two Better Care Fund payments between partners (£15m + £20m)
eliminated, £590m of DWP spend estimated, 1,100,000 residents.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from wholeplace.errors import WholeplaceError
from wholeplace.partners import import_partners
from wholeplace.spend import service
from wholeplace.workspace import Workspace

DOC = Path(__file__).resolve().parents[2] / "docs" / "spend.md"


@pytest.fixture
def valeshire(tmp_path: Path) -> Workspace:
    text = DOC.read_text(encoding="utf-8")
    files = dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", text, re.S))
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    ws = Workspace.create(tmp_path / "valeshire", "Valeshire", population=1_100_000)
    import_partners(ws, tmp_path / "partners.csv")
    done = service.import_lines(ws, tmp_path / "spend-2024-25.csv")
    assert done.to_json() == {
        "file": "spend-2024-25.csv",
        "rows": 12,
        "total_gbp": "1670750000.75",
        "partner_years": [
            {"partner": "cc", "year": "2024/25", "total_gbp": "480500000.50", "replaced_rows": 0},
            {"partner": "dc", "year": "2024/25", "total_gbp": "15250000.25", "replaced_rows": 0},
            {"partner": "dwp", "year": "2024/25", "total_gbp": "590000000.00", "replaced_rows": 0},
            {"partner": "icb", "year": "2024/25", "total_gbp": "525000000.00", "replaced_rows": 0},
            {
                "partner": "police",
                "year": "2024/25",
                "total_gbp": "60000000.00",
                "replaced_rows": 0,
            },
        ],
        "notices": [],
    }
    yield ws
    ws.close()


def test_build_map_by_group_with_the_latest_year(valeshire: Workspace) -> None:
    assert valeshire.name == "Valeshire"  # reading a setting first must not upset the engine
    res = service.build_map(valeshire, by="group", per_head=True)
    assert (res.place, res.year, res.by, res.per_head) == ("Valeshire", "2024/25", "group", True)
    m = res.map
    # the table in docs/spend.md: £, share, £ per head (£ / 1,100,000, half-up to the penny)
    assert [(r.label, r.amount_gbp, f"{r.share:.1%}", r.per_head_gbp) for r in m.rows] == [
        ("DWP", Decimal("590000000.00"), "36.1%", Decimal("536.36")),
        ("NHS", Decimal("505000000.00"), "30.9%", Decimal("459.09")),
        ("County council", Decimal("465500000.50"), "28.5%", Decimal("423.18")),
        ("Police", Decimal("60000000.00"), "3.7%", Decimal("54.55")),
        ("District councils", Decimal("15250000.25"), "0.9%", Decimal("13.86")),
    ]
    assert m.total_gbp == Decimal("1635750000.75")
    assert m.per_head_gbp == Decimal("1487.05")
    assert m.estimated_gbp == Decimal("590000000.00")
    rec = m.reconciliation
    assert (rec.imported_gbp, rec.consolidated_gbp, rec.eliminated_gbp) == (
        Decimal("1670750000.75"),
        Decimal("1635750000.75"),
        Decimal("35000000.00"),
    )
    assert rec.holds
    out = res.to_json()
    assert (out["year"], out["by"], out["total_gbp"], out["per_head_gbp"]) == (
        "2024/25",
        "group",
        "1635750000.75",
        "1487.05",
    )


def test_build_map_takes_either_year_form_and_refuses_what_it_cannot_do(
    valeshire: Workspace,
) -> None:
    assert service.build_map(valeshire, "2024-25", "partner").year == "2024/25"
    with pytest.raises(WholeplaceError, match=r"No spend for 2023/24"):
        service.build_map(valeshire, "2023/24")
    with pytest.raises(WholeplaceError, match=r"--by 'colour' is not known"):
        service.build_map(valeshire, by="colour")
    with pytest.raises(WholeplaceError, match=r"--engine 'polars' is not known"):
        service.build_map(valeshire, engine="polars")


def test_write_report_html_and_xlsx(valeshire: Workspace, tmp_path: Path) -> None:
    html, xlsx = service.report_paths(tmp_path, "2024/25")
    assert (html.name, xlsx.name) == ("spend-2024-25.html", "spend-2024-25.xlsx")
    res = service.write_report(valeshire, html)
    assert res.to_json() == {"out": str(html), "year": "2024/25"}
    page = html.read_text(encoding="utf-8")
    assert "Valeshire" in page and "2024/25" in page

    assert service.write_report(valeshire, xlsx, "2024/25").year == "2024/25"
    book = openpyxl.load_workbook(xlsx, read_only=True)
    summary = {  # a figure that is a formula has wholeplace's own beside it (column C)
        row[0]: row[2] if str(row[1]).startswith("=") else row[1]
        for row in book["Summary"].iter_rows(values_only=True)
        if row and isinstance(row[0], str)
    }
    assert summary["Financial year"] == "2024/25"
    assert Decimal(str(summary["Consolidated public spending £"])) == Decimal("1635750000.75")
    assert Decimal(str(summary["Imported lines £"])) == Decimal("1670750000.75")
    assert Decimal(str(summary["Eliminated (payments between partners) £"])) == Decimal("35000000")
    assert summary["Reconciliation holds"] == "yes"
    book.close()


def test_write_report_refuses_an_unknown_suffix_before_reading(
    valeshire: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(WholeplaceError) as e:
        service.write_report(valeshire, tmp_path / "spend.csv")
    assert str(e.value) == "Cannot write the spend report as '.csv': use one of .html, .xlsx, .pdf"
    assert not (tmp_path / "spend.csv").exists()
