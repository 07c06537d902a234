"""What the fuzz test (tests/security/test_fuzz.py) found in the assets importers (issue 11):
each a traceback before its fix, now the problem table with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from assets_helpers import add_partners

from wholeplace.assets import service
from wholeplace.errors import InputError
from wholeplace.workspace import Workspace


def _refused(ws: Workspace, path: Path, mapping: Path | None = None) -> list[tuple]:
    with pytest.raises(InputError) as exc:
        service.import_register(ws, path, "cc", mapping=mapping)
    assert service.register(ws) == []
    return [(p.row, p.column, p.value, p.message) for p in exc.value.problems]


TOO_BIG = "not a plausible figure (under 1,000,000,000,000 either way, and 0 or at least 0.000001)"


def test_a_huge_figure_in_two_columns_of_one_field_is_refused(
    ws: Workspace, tmp_path: Path
) -> None:
    """GeoX and Easting both fill x (summed): 9e999999 + 9e999999 overflowed Decimal."""
    add_partners(ws, "cc")
    path = tmp_path / "r.csv"
    path.write_text(
        "UPRN,AssetCode,GeoX,Easting,GeoY\n1,A,9e999999,9e999999,400000\n", encoding="utf-8"
    )
    # the coordinate refused is not reported a second time as "only one given"
    assert _refused(ws, path) == [(2, "GeoX", "9e999999", TOO_BIG)]


def test_huge_hours_are_refused(ws: Workspace, tmp_path: Path) -> None:
    """hours used x 100 / hours available overflowed when the hours were 1e999999."""
    add_partners(ws, "cc")
    path = tmp_path / "own.csv"
    path.write_text("Ref,Used,Open\nA,1e999999,2e999999\n", encoding="utf-8")
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "field,column\nref,Ref\nhours_used,Used\nhours_available,Open\n", encoding="utf-8"
    )
    assert _refused(ws, path, mapping) == [
        (2, "Used", "1e999999", TOO_BIG),
        (2, "Open", "2e999999", TOO_BIG),
    ]


def test_a_figure_just_under_the_bound_is_read(ws: Workspace, tmp_path: Path) -> None:
    """999,999,999,999 hours of 999,999,999,999.5 open: 99.99999999999949...% rounds to
    100.0 (one decimal place, half up)."""
    add_partners(ws, "cc")
    path = tmp_path / "own.csv"
    path.write_text("Ref,Used,Open\nA,999999999999,999999999999.5\n", encoding="utf-8")
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "field,column\nref,Ref\nhours_used,Used\nhours_available,Open\n", encoding="utf-8"
    )
    service.import_register(ws, path, "cc", mapping=mapping)
    assert [str(a.utilisation) for a in service.register(ws)] == ["100.0"]


def test_a_huge_indicator_value_is_refused(ws: Workspace, tmp_path: Path) -> None:
    """abs(1e999999999) overflowed Decimal's context: a traceback, now the problem table."""
    path = tmp_path / "i.csv"
    path.write_text("code,x\nA1,1e999999999\nA2,3\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        service.import_indicator(ws, path, "x", "x", source="s", as_of="2019")
    assert [(p.row, p.value, p.message) for p in exc.value.problems] == [
        (2, "1e999999999", "not a number")
    ]
    assert ws.con.execute("SELECT count(*) FROM area_indicators").fetchone() == (0,)


@pytest.mark.parametrize(
    ("importer", "header"),
    [
        (service.import_targets, "year,receipts,savings\n"),
        (service.import_pipeline, "asset,stage,year,receipt,saving\n"),
    ],
    ids=["targets", "pipeline"],
)
def test_a_file_with_a_header_and_no_rows_is_refused(
    ws: Workspace, tmp_path: Path, importer, header: str
) -> None:
    """A header and no rows reached DuckDB's executemany with nothing to insert: a
    traceback. It is refused with the problem table."""
    path = tmp_path / "f.csv"
    path.write_text(header, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        importer(ws, path)
    assert [p.message for p in exc.value.problems] == ["no rows"]


def test_one_huge_figure_is_refused(ws: Workspace, tmp_path: Path) -> None:
    """1e999999999 alone: the bound's own check, abs(), overflowed (the deep fuzz run found
    it in this branch's first fix; copy_abs() does not round)."""
    add_partners(ws, "cc")
    path = tmp_path / "r.csv"
    path.write_text("UPRN,AssetCode,GeoX,GeoY\n1,A,1e999999999,400000\n", encoding="utf-8")
    assert _refused(ws, path) == [(2, "GeoX", "1e999999999", TOO_BIG)]


def test_a_tiny_floor_area_is_refused(ws: Workspace, tmp_path: Path) -> None:
    """A floor area of 1e-999999999 m² passed "over 0" and overflowed the cost per m²."""
    add_partners(ws, "cc")
    path = tmp_path / "r.csv"
    path.write_text(
        "UPRN,AssetCode,BuildingSize,running_cost\n1,A,1e-999999999,96000\n", encoding="utf-8"
    )
    assert _refused(ws, path) == [(2, "BuildingSize", "1e-999999999", TOO_BIG)]
