"""Boundaries are checked when they are imported (issue 11, items 4 and 5).

Malformed GeoJSON (features that are not objects, properties as a list, a geometry that is a
string, nesting deep enough to exhaust the parser, coordinates "nonsense") is refused with
the problem table naming the feature by its index and code, exit 2 and an unchanged place.
A polygon that crosses itself is repaired with shapely's make_valid, kept and reported. A
place holding bad boundaries from before these checks still gets its spend report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from place_state import small_place, snapshot
from typer.testing import CliRunner

from wholeplace.areas import boundaries, import_boundaries
from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.workspace import Workspace

DEMO = Path(__file__).parents[2] / "src" / "wholeplace" / "data" / "demo" / "boundaries.geojson"


def square(x: float, y: float, d: float = 0.1) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]],
    }


def feature(code: str, geometry: object) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


def collection(*features: object, **extra: object) -> str:
    return json.dumps({"type": "FeatureCollection", **extra, "features": list(features)})


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """A place with areas A1 and A2 (populations), spend in A1, and A2's boundary."""
    p = small_place(tmp_path)
    (tmp_path / "areas.csv").write_text("code,name,population\nA1,North,600\nA2,South,400\n")
    (tmp_path / "by-area.csv").write_text(
        "partner,year,service,area,amount_gbp\ncc,2024/25,EDU,A1,600.00\ncc,2024/25,ASC,A2,100.00\n"
    )
    (tmp_path / "a2.geojson").write_text(collection(feature("A2", square(-2.4, 53.7))))
    for argv in (
        ["areas", "import", str(tmp_path / "areas.csv")],
        ["spend", "import", str(tmp_path / "by-area.csv")],
        ["areas", "boundaries", str(tmp_path / "a2.geojson")],
    ):
        res = CliRunner().invoke(app, [*argv, "-w", str(p)])
        assert res.exit_code == 0, res.output
    return p


def _import(place: Path, tmp_path: Path, text: str) -> tuple[int, dict[str, Any]]:
    f = tmp_path / "hostile.geojson"
    f.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(app, ["areas", "boundaries", str(f), "-w", str(place), "--json"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, json.loads(res.stdout)


# name -> (the file, [(feature index, what the message says)])
REFUSED: dict[str, tuple[str, list[tuple[int | None, str]]]] = {
    "features that are not objects": (
        collection(5, "x", None),
        [(1, "feature 1 is not an object"), (2, "feature 2 is not an object"), (3, "feature 3")],
    ),
    "properties as a list": (
        collection({"type": "Feature", "properties": ["code", "A1"], "geometry": square(0, 50)}),
        [(1, "feature 1: properties is a list")],
    ),
    "geometry as a string": (
        collection(feature("A1", "Polygon")),
        [(1, "feature 1 (A1): geometry is a str")],
    ),
    "coordinates 'nonsense'": (
        collection(feature("A1", {"type": "Polygon", "coordinates": "nonsense"})),
        [(1, "feature 1 (A1): its coordinates are not a list of rings (found 'nonsense')")],
    ),
    "a MultiPolygon of numbers": (
        collection(feature("A1", {"type": "MultiPolygon", "coordinates": [[1, 2]]})),
        [(1, "feature 1 (A1): a ring is not a list of at least 4 points")],
    ),
    "coordinates as text": (
        collection(
            feature("A1", {"type": "Polygon", "coordinates": [[["1", "2"]] * 4]}),
        ),
        [(1, "feature 1 (A1): a point is not 2 or 3 numbers")],
    ),
    "coordinates as true/false": (
        collection(feature("A1", {"type": "Polygon", "coordinates": [[[True, 1]] * 4]})),
        [(1, "a point is not 2 or 3 numbers")],
    ),
    "a ring of two points": (
        collection(feature("A1", {"type": "Polygon", "coordinates": [[[0, 50], [1, 51]]]})),
        [(1, "a ring is not a list of at least 4 points")],
    ),
    "an infinite coordinate (1e400)": (
        collection(feature("A1", square(0, 50))).replace("50.1", "1e400", 1),
        [(1, "feature 1 (A1): a coordinate is not a finite number")],
    ),
    "a polygon with no area (a line)": (
        collection(
            feature(
                "A1", {"type": "Polygon", "coordinates": [[[0, 50], [1, 50], [2, 50], [0, 50]]]}
            )
        ),
        [(1, "feature 1 (A1): it is not a valid polygon")],
    ),
    "longitude -500": (
        collection(feature("A1", square(-500, 50))),
        [(1, "feature 1 (A1): its coordinates [-500, 50] are neither")],
    ),
    "a second feature out of range": (
        collection(feature("A1", square(-2.6, 53.9)), feature("A3", square(-2.5, 95))),
        [(2, "feature 2 (A3): the point [-2.5, 95] is outside the range of longitude/latitude")],
    ),
    "a coordinate system it cannot draw": (
        collection(
            feature("A1", square(-2.6, 53.9)),
            crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        ),
        [(None, "coordinates in urn:ogc:def:crs:EPSG::3857, which wholeplace cannot draw")],
    ),
    "metres beside the place's degrees": (
        collection(feature("A1", square(380_000, 430_000, 1000))),
        [(None, "these boundaries are in British National Grid metres (EPSG:27700)")],
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_malformed_boundaries_are_refused(place: Path, tmp_path: Path, case: str) -> None:
    text, expected = REFUSED[case]
    before = snapshot(place)
    code, out = _import(place, tmp_path, text)
    assert code == 2, out
    found = [(p["row"], p["message"]) for p in out["problems"]]
    assert len(found) == len(expected), found
    for (row, message), (want_row, says) in zip(found, expected, strict=True):
        assert row == want_row and says in message, found
    assert all(p["file"] == "hostile.geojson" for p in out["problems"])
    assert snapshot(place) == before


@pytest.mark.parametrize(
    "text",
    [
        '{"type": "FeatureCollection", "features": [' + "[" * 100_000 + "]" * 100_000 + "]}",
        '{"features": [' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "]}",
    ],
    ids=["100,000 nested lists", "100,000 nested objects"],
)
def test_deep_nesting_is_refused(place: Path, tmp_path: Path, text: str) -> None:
    before = snapshot(place)
    code, out = _import(place, tmp_path, text)
    assert code == 2
    assert [p["message"] for p in out["problems"]] == ["not GeoJSON: nested too deeply"]
    assert snapshot(place) == before


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(place: Path, tmp_path: Path, token: str) -> None:
    text = collection(feature("A1", square(-2.6, 53.9))).replace("-2.6", token, 1)
    code, out = _import(place, tmp_path, text)
    assert code == 2
    assert f"{token.lstrip('-')} is not a number JSON allows" in out["problems"][0]["message"]


def test_nonsense_coordinates_no_longer_break_later_reports(place: Path, tmp_path: Path) -> None:
    """Item 5: the polygon used to be kept, and every later `spend report` failed."""
    code, _ = _import(
        place, tmp_path, collection(feature("A1", {"type": "Polygon", "coordinates": "nonsense"}))
    )
    assert code == 2
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["spend", "report", "-w", str(place), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert 'data-code="A2"' in out.read_text(encoding="utf-8")


def test_a_polygon_crossing_itself_is_repaired_and_said(place: Path, tmp_path: Path) -> None:
    import shapely
    from shapely.geometry import shape

    bowtie = {"type": "Polygon", "coordinates": [[[0, 50], [1, 51], [1, 50], [0, 51], [0, 50]]]}
    code, out = _import(place, tmp_path, collection(feature("A1", bowtie)))
    assert code == 0, out
    assert out == {"imported": 1, "repaired": {"A1": "Self-intersection[0.5 50.5]"}}
    with Workspace.open(place) as ws:
        kept = shape(boundaries(ws)["A1"])
    # make_valid splits the bow tie at its crossing (0.5, 50.5) into two triangles, each
    # with a side of 1 degree and a height of 0.5: 0.25 each, 0.5 in all
    assert kept.is_valid and kept.geom_type == "MultiPolygon"
    assert kept.area == pytest.approx(0.5) and len(shapely.get_parts(kept)) == 2


def test_the_demo_boundaries_are_kept_and_two_repaired(ws: Workspace) -> None:
    """Published files cross themselves where they were simplified: two of the demo's
    fourteen districts (checked with shapely's explain_validity)."""
    res = import_boundaries(ws, DEMO)
    assert res.imported == 14
    assert set(res.repaired) == {"E07000118", "E07000123"}
    assert all(why.startswith("Self-intersection") for why in res.repaired.values())


def test_british_national_grid_is_read_when_it_is_the_place_s_system(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "bng.geojson"
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    f.write_text(collection(feature("A1", square(380_000, 430_000, 1000)), crs=crs))
    assert import_boundaries(ws, f).imported == 1


def test_a_file_in_the_wrong_system_for_its_declared_crs(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "b.geojson"
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    f.write_text(collection(feature("A1", square(380_000, 430_000, 1000)), crs=crs))
    with pytest.raises(InputError, match="outside the range of longitude/latitude"):
        import_boundaries(ws, f)


BAD_STORED = {
    "coordinates 'nonsense'": '{"type": "Polygon", "coordinates": "nonsense"}',
    "a geometry that is a string": '"Polygon"',
    "no coordinates": '{"type": "Polygon"}',
    "a point of text": '{"type": "Polygon", "coordinates": [[["a", "b"]]]}',
    "not JSON": "{not json",
}


@pytest.mark.parametrize("stored", list(BAD_STORED))
def test_bad_stored_boundaries_do_not_break_the_report(
    place: Path, tmp_path: Path, stored: str
) -> None:
    """A place whose boundaries were kept before they were checked: the bad one is left off
    the map (like an area without a boundary) and the report is written."""
    with Workspace.open(place) as ws:
        ws.con.execute(
            "INSERT INTO boundaries (code, geometry) VALUES ('A1', ?)", [BAD_STORED[stored]]
        )
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["spend", "report", "-w", str(place), "--out", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert 'data-code="A2"' in html and 'data-code="A1"' not in html
    xlsx = tmp_path / "r.xlsx"
    res = CliRunner().invoke(app, ["spend", "report", "-w", str(place), "--out", str(xlsx)])
    assert res.exit_code == 0, res.output
