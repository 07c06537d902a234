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


def test_boundary_files_name_their_areas(ws: Workspace, tmp_path: Path) -> None:
    """ONS files name each area beside its code: LSOA21CD with LSOA21NM (any case), else
    LSOA11NM. A name given by `areas import` wins; one that is only the code does not."""
    import json

    from wholeplace.areas import area_names, feature_names, import_areas

    def square(props: dict[str, object], x: int) -> dict[str, object]:
        ring = [[x, 0], [x + 10, 0], [x + 10, 10], [x, 10], [x, 0]]
        return {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }

    features = [
        square({"LSOA21CD": "E01000001", "lsoa21nm": "City of London 001A"}, 0),
        square({"LSOA21CD": "E01000002", "LSOA11NM": "City of London 001B"}, 10),
        square({"LSOA21CD": "E01000003", "LSOA21NM": "  "}, 20),
        square({"LSOA21CD": "E01000005", "LSOA21NM": "Own name"}, 30),
    ]
    assert feature_names(features, "LSOA21CD") == {
        "E01000001": "City of London 001A",
        "E01000002": "City of London 001B",
        "E01000005": "Own name",
    }
    f = tmp_path / "b.geojson"
    f.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    a = tmp_path / "a.csv"
    a.write_text("code,name\nE01000001,E01000001\nE01000005,Named by the partnership\n")
    import_areas(ws, a)
    import_boundaries(ws, f, "LSOA21CD")
    assert area_names(ws) == {
        "E01000001": "City of London 001A",
        "E01000002": "City of London 001B",
        "E01000005": "Named by the partnership",
    }
