"""Where an asset is: coordinates converted with pyproj, and which of the place's areas
hold it (point in polygon, with shapely).

Registers give British National Grid eastings and northings (EPSG:27700) or WGS 84
longitude and latitude (EPSG:4326). Both are kept: distances are measured in grid metres,
maps are drawn in the boundaries' own system. pyproj converts with the best transformation
it has on the machine: without the OSTN15 grid file that is the 7-parameter Helmert
transformation "OSGB36 to WGS 84 (6)" (EPSG:5622, stated accuracy 2 m), never the ballpark
that ignores the datum (about 120 m off).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from wholeplace.geometry import BNG, crs_of_stored
from wholeplace.money import round_half_up

# Great Britain and its waters, as WGS 84 degrees and as grid metres: a point outside is
# in the wrong system, or swapped, or mistyped.
GB_DEGREES = (-9.0, 49.0, 2.5, 61.5)
GB_GRID = (0.0, 0.0, 700_000.0, 1_300_000.0)


class BadLocation(ValueError):
    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


@cache
def _to_grid() -> Any:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


@cache
def _to_degrees() -> Any:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class Location:
    easting: Decimal
    northing: Decimal
    longitude: Decimal
    latitude: Decimal


def _inside(x: float, y: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def from_degrees(longitude: float, latitude: float) -> Location:
    if not _inside(longitude, latitude, GB_DEGREES):
        if _inside(latitude, longitude, GB_DEGREES):
            raise BadLocation(
                "longitude and latitude are the wrong way round",
                "swap the two columns (or map them the other way round in --mapping)",
            )
        raise BadLocation(
            "not a longitude/latitude in Great Britain",
            "give WGS 84 degrees (longitude about -8 to 2, latitude 49 to 61)",
        )
    e, n = _to_grid().transform(longitude, latitude)
    return Location(
        round_half_up(e, 0),
        round_half_up(n, 0),
        round_half_up(longitude, 6),
        round_half_up(latitude, 6),
    )


def from_grid(easting: float, northing: float) -> Location:
    if not _inside(easting, northing, GB_GRID) or easting == 0 or northing == 0:
        raise BadLocation(
            "not a British National Grid easting/northing",
            "give eastings and northings in metres (e.g. 395522, 223084)",
        )
    lon, lat = _to_degrees().transform(easting, northing)
    return Location(
        round_half_up(easting, 0),
        round_half_up(northing, 0),
        round_half_up(lon, 6),
        round_half_up(lat, 6),
    )


def locate(x: float, y: float, crs: str = "") -> Location:
    """``x``, ``y`` in the system ``crs`` names (``WGS84``, ``EPSG:4326``, ``OSGB36``,
    ``EPSG:27700``, ``BNG``), or, when none is named, the one they fit."""
    c = crs.upper().replace(" ", "")
    if c in ("WGS84", "EPSG:4326", "4326", "LATLONG", "LONLAT"):
        return from_degrees(x, y)
    if c in ("OSGB36", "EPSG:27700", "27700", "BNG", "BRITISHNATIONALGRID", "OSGB"):
        return from_grid(x, y)
    if c:
        raise BadLocation(
            f"coordinate system {crs!r} is not one wholeplace converts",
            "give WGS84 or OSGB36 (British National Grid), or leave it blank",
        )
    if abs(x) <= 180 and abs(y) <= 90:
        return from_degrees(x, y)
    return from_grid(x, y)


class PlaceShape:
    """The place's areas as polygons: which hold a point, and whether any does."""

    def __init__(self, boundaries: Mapping[str, Mapping[str, Any]]) -> None:
        from shapely import STRtree
        from shapely.geometry import shape

        self.codes: list[str] = []
        geoms = []
        self.grid = False
        for code, geometry in sorted(boundaries.items()):
            self.grid = crs_of_stored(geometry) == BNG
            self.codes.append(code)
            geoms.append(shape(geometry))
        self._geoms = geoms
        self._tree = STRtree(geoms) if geoms else None
        self._grid_tree: Any = None

    def __bool__(self) -> bool:
        return bool(self.codes)

    def areas_of(self, location: Location) -> tuple[str, ...]:
        """The codes of the areas that hold ``location`` (on a boundary counts as in)."""
        if self._tree is None:
            return ()
        from shapely.geometry import Point

        if self.grid:
            point = Point(float(location.easting), float(location.northing))
        else:
            point = Point(float(location.longitude), float(location.latitude))
        hits = self._tree.query(point, predicate="intersects")
        return tuple(sorted(self.codes[i] for i in hits))

    def areas_near(self, location: Location, metres: Decimal) -> tuple[str, ...]:
        """The codes of the areas within ``metres`` of ``location`` (straight line, on the
        grid), the area holding it included."""
        if self._tree is None:
            return ()
        import numpy as np
        import shapely
        from shapely.geometry import Point

        if self._grid_tree is None:
            grid = self._geoms
            if not self.grid:
                to_grid = _to_grid()

                def project(xy: Any) -> Any:
                    return np.column_stack(to_grid.transform(xy[:, 0], xy[:, 1]))

                grid = [shapely.transform(g, project) for g in self._geoms]
            self._grid_tree = shapely.STRtree(grid)
        point = Point(float(location.easting), float(location.northing))
        hits = self._grid_tree.query(point, predicate="dwithin", distance=float(metres))
        return tuple(sorted(self.codes[i] for i in hits))


def distance_m(a: Sequence[Decimal], b: Sequence[Decimal]) -> Decimal:
    """Straight-line distance between two grid points, in metres to one place."""
    dx = float(a[0] - b[0])
    dy = float(a[1] - b[1])
    return round_half_up((dx * dx + dy * dy) ** 0.5, 1)
