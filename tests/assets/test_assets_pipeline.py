"""OPE targets against delivery and the pipeline, worked by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from assets_helpers import add_partners

from wholeplace.assets import service
from wholeplace.errors import InputError
from wholeplace.workspace import Workspace

REGISTER = "UPRN,AssetCode\n1,A\n2,D\n"
TARGETS = 'year,receipts,savings\n2025/26,"500,000","50,000"\n2026-27,300000,80000\n'
PIPELINE = """asset,stage,year,receipt,saving
cc/D,disposed,2025/26,"120,000","40,000"
icb/B,Marketed,2026/27,"400,000","20,000"
cc/A,identified,2027/28,0,"50,000"
"""


def place(ws: Workspace, tmp: Path) -> None:
    add_partners(ws, "cc", "icb")
    (tmp / "cc.csv").write_text(REGISTER, encoding="utf-8")
    (tmp / "icb.csv").write_text("UPRN,AssetCode\n3,B\n", encoding="utf-8")
    service.import_register(ws, tmp / "cc.csv", "cc")
    service.import_register(ws, tmp / "icb.csv", "icb")


def test_targets_against_delivery_by_hand(ws: Workspace, tmp_path: Path) -> None:
    """2025/26: D disposed, £120,000 of the £500,000 target; its £40,000 a year saved of
    £50,000. 2026/27: B marketed, £400,000 in the pipeline against £300,000; D's saving
    continues (£40,000 delivered), B's £20,000 in the pipeline, of £80,000. 2027/28: no
    target; A identified, £20,000 + £50,000 = £70,000 a year in the pipeline."""
    place(ws, tmp_path)
    (tmp_path / "t.csv").write_text(TARGETS, encoding="utf-8")
    (tmp_path / "p.csv").write_text(PIPELINE, encoding="utf-8")
    assert service.import_targets(ws, tmp_path / "t.csv") == 2
    assert service.import_pipeline(ws, tmp_path / "p.csv") == 3
    progress = service.ope_progress(ws)
    rows = [
        (
            y.year,
            y.target_receipts,
            y.delivered_receipts,
            y.pipeline_receipts,
            y.target_savings,
            y.delivered_savings,
            y.pipeline_savings,
        )
        for y in progress.years
    ]
    D = Decimal
    assert rows == [
        ("2025/26", D(500000), D(120000), D(0), D(50000), D(40000), D(0)),
        ("2026/27", D(300000), D(0), D(400000), D(80000), D(40000), D(20000)),
        ("2027/28", None, D(0), D(0), None, D(40000), D(70000)),
    ]
    assert progress.by_stage == {"identified": 1, "agreed": 0, "marketed": 1, "disposed": 1}


def test_pipeline_problems_by_row(ws: Workspace, tmp_path: Path) -> None:
    place(ws, tmp_path)
    (tmp_path / "p.csv").write_text(
        "asset,stage,year,receipt,saving\ncc/Z,disposed,2025/26,1,1\n"
        "cc/A,sold,2025/26,1,1\ncc/D,agreed,last year,1,1\nicb/B,agreed,2025/26,-5,1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        service.import_pipeline(ws, tmp_path / "p.csv")
    assert [(p.row, p.column) for p in exc.value.problems] == [
        (2, "asset"),
        (3, "stage"),
        (4, "year"),
        (5, "receipt"),
    ]
    assert service.ope_progress(ws).pipeline == []


def test_the_report_shows_the_targets(ws: Workspace, tmp_path: Path) -> None:
    place(ws, tmp_path)
    (tmp_path / "t.csv").write_text(TARGETS, encoding="utf-8")
    (tmp_path / "p.csv").write_text(PIPELINE, encoding="utf-8")
    service.import_targets(ws, tmp_path / "t.csv")
    service.import_pipeline(ws, tmp_path / "p.csv")
    service.write_report(ws, tmp_path / "r.html")
    service.write_report(ws, tmp_path / "r.xlsx")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="ope"' in html and "£500,000" in html and "£120,000" in html
