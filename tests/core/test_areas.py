from __future__ import annotations

from pathlib import Path

import pytest

from wholeplace.areas import Area, import_boundaries, read_areas
from wholeplace.errors import InputError
from wholeplace.workspace import Workspace


def test_read_areas(tmp_path: Path) -> None:
    f = tmp_path / "areas.csv"
    f.write_text('Area code,Area name,Population\nE1,One,"1,200"\nE2,,\n')
    assert read_areas(f) == [Area("E1", "One", 1200), Area("E2", "E2", None)]


def test_every_bad_area_row_is_listed(tmp_path: Path) -> None:
    f = tmp_path / "areas.csv"
    f.write_text("code,name,population\n,No code,1\nE1,One,1\nE1,Again,1\nE2,Two,-5\nE3,Three,x\n")
    with pytest.raises(InputError) as e:
        read_areas(f)
    assert [(p.file, p.row, p.column, p.value, p.message) for p in e.value.problems] == [
        ("areas.csv", 2, "code", "", "missing"),
        ("areas.csv", 4, "code", "E1", "duplicate area"),
        ("areas.csv", 5, "population", "-5", "not a whole number of people"),
        ("areas.csv", 6, "population", "x", "not a whole number of people"),
    ]


def test_boundaries_list_every_bad_feature_and_write_nothing(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "b.geojson"
    f.write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"properties": {"name": "x"}, "geometry": {"type": "Polygon"}},'
        '{"properties": {"code": "E1"}, "geometry": {"type": "Point"}},'
        '{"properties": {"code": "E2"}, "geometry": {"type": "Polygon", "coordinates": []}}]}'
    )
    with pytest.raises(InputError) as e:
        import_boundaries(ws, f)
    assert [(p.row, p.column, p.value) for p in e.value.problems] == [
        (1, "code", None),
        (2, "geometry", "Point"),
        (3, "geometry", "E2"),  # no coordinates: nothing to draw
    ]
    assert ws.con.execute("SELECT count(*) FROM boundaries").fetchone() == (0,)


@pytest.mark.parametrize(
    ("text", "message"), [("not json", "not GeoJSON"), ('{"features": []}', "no features")]
)
def test_unreadable_boundaries(ws: Workspace, tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "b.geojson"
    f.write_text(text)
    with pytest.raises(InputError, match=message) as e:
        import_boundaries(ws, f)
    assert [p.file for p in e.value.problems] == ["b.geojson"]
