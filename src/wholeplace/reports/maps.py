"""Choropleth maps drawn offline as inline SVG from GeoJSON geometries.

No tiles, no web map library: each area's polygons are projected with a simple
equirectangular projection scaled at the mean latitude (x = lon * cos(mean lat), y = lat),
which keeps shapes right at the scale of a county. Coordinates that are clearly not
degrees (e.g. British National Grid metres) are drawn as they are.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from html import escape  # quotes too: these strings go into attributes
from typing import Any

# Sequential, colour-blind-safe, prints in grey scale (ColorBrewer YlGnBu, 5 classes).
SCALE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA = "#e0e0e0"


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    value: Decimal | None


def _rings(geometry: Mapping[str, Any]) -> Iterable[Sequence[Sequence[float]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        yield from coords
    elif kind == "MultiPolygon":
        for poly in coords:
            yield from poly


def _projection(
    geometries: Iterable[Mapping[str, Any]],
) -> tuple[Callable[[float, float], tuple[float, float]], tuple[float, float, float, float]]:
    pts = [(p[0], p[1]) for g in geometries for ring in _rings(g) for p in ring]
    if not pts:
        raise ValueError("no coordinates to draw")
    lats = [p[1] for p in pts]
    degrees = all(-180 <= p[0] <= 180 and -90 <= p[1] <= 90 for p in pts)
    k = math.cos(math.radians((min(lats) + max(lats)) / 2)) if degrees else 1.0

    def project(lon: float, lat: float) -> tuple[float, float]:
        return lon * k, -lat

    xs, ys = zip(*(project(*p) for p in pts), strict=True)
    return project, (min(xs), min(ys), max(xs), max(ys))


def _label_point(
    rings: Iterable[Sequence[Sequence[float]]],
    project: Callable[[float, float], tuple[float, float]],
) -> tuple[float, float] | None:
    """Centroid of the largest ring (projected): where an area's name goes."""
    best: tuple[float, float, float] | None = None
    for ring in rings:
        pts = [project(p[0], p[1]) for p in ring]
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if a and (best is None or abs(a) > best[0]):
            best = (abs(a), cx / (3 * a), cy / (3 * a))
    return None if best is None else (best[1], best[2])


def breaks(values: Sequence[Decimal], classes: int = len(SCALE)) -> list[Decimal]:
    """Upper bounds of quantile classes: each colour holds about as many areas.

    Equal intervals let one or two outliers (unitary councils, which fund schools and
    social care) wash every other area into a single colour; quantiles keep the
    differences between the rest visible.
    """
    ordered = sorted(values)
    n = len(ordered)
    if ordered[0] == ordered[-1]:
        return [ordered[-1]]
    bounds: list[Decimal] = []
    for i in range(1, classes + 1):
        b = ordered[max(0, -(-n * i // classes) - 1)]
        if not bounds or b > bounds[-1]:
            bounds.append(b)
    return bounds


SCHEMES = {"quantiles": "quantiles", "natural-breaks": "natural breaks (Fisher-Jenks)"}
# Fisher-Jenks is exact but quadratic in the number of values: above this many it is run
# on evenly spaced values of the sorted list (every n-th), which keeps it deterministic.
JENKS_SAMPLE = 2000


def class_bounds(
    values: Sequence[Decimal], scheme: str = "quantiles", classes: int = len(SCALE)
) -> list[Decimal]:
    """Upper bounds of ``classes`` classes of ``values`` by ``scheme`` (``quantiles``: each
    class holds about as many areas; ``natural-breaks``: Fisher-Jenks, the classes that
    keep each as alike as can be), computed by mapclassify. Each bound is snapped down to
    the largest value it covers, so the legend shows figures that occur and an area's
    class is the same as mapclassify's; empty classes are dropped."""
    import warnings

    import numpy as np

    if scheme not in SCHEMES:
        raise ValueError(f"unknown classification {scheme!r}: use {' or '.join(SCHEMES)}")
    ordered = sorted(values)
    if not ordered:
        return []
    if ordered[0] == ordered[-1]:
        return [ordered[-1]]
    k = min(classes, len(set(ordered)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Numba not installed": the pure version is exact
        import mapclassify

        if scheme == "quantiles":
            bins = mapclassify.Quantiles(np.array([float(v) for v in ordered]), k=k).bins
        else:
            step = max(1, len(ordered) // JENKS_SAMPLE)
            sample = np.array([float(v) for v in ordered[::step]] + [float(ordered[-1])])
            bins = mapclassify.FisherJenks(sample, k=k).bins
    bounds: list[Decimal] = []
    i = 0
    for b in [float(x) for x in bins[:-1]] + [float(ordered[-1])]:
        while i + 1 < len(ordered) and float(ordered[i + 1]) <= b:
            i += 1
        if float(ordered[i]) <= b and (not bounds or ordered[i] > bounds[-1]):
            bounds.append(ordered[i])
    if bounds[-1] != ordered[-1]:
        bounds.append(ordered[-1])
    return bounds


def merge_narrow(bounds: Sequence[Decimal], min_width: Decimal) -> list[Decimal]:
    """``bounds`` with no two neighbouring classes' tops closer than ``min_width``.

    Two classes whose tops differ by less than a meaningful difference tell the reader of
    a difference that is not one: where they do, the lower class is merged into the one
    above (its top bound dropped), and the merged class is checked again against the one
    below it. The highest bound is always kept, so the top class still ends at the largest
    value."""
    out = list(bounds)
    i = 1
    while i < len(out):
        if out[i] - out[i - 1] < min_width:
            del out[i - 1]
            i = max(1, i - 1)
        else:
            i += 1
    return out


def meaningful_difference(values: Sequence[Decimal], share: Decimal = Decimal("0.02")) -> Decimal:
    """The smallest difference between classes worth a colour: ``share`` (2 %) of the
    median value, in whole pounds rounded up, and never under £1 (the legend's unit)."""
    ordered = sorted(values)
    if not ordered:
        return Decimal(1)
    n = len(ordered)
    median = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
    return max(Decimal(1), (abs(median) * share).to_integral_value(rounding=ROUND_CEILING))


def class_colour(i: int, classes: int) -> str:
    """Spread fewer classes than colours over the whole scale, so the top class is darkest."""
    if classes <= 1:
        return SCALE[-1]
    return SCALE[round(i * (len(SCALE) - 1) / (classes - 1))]


def colour_for(value: Decimal, bounds: Sequence[Decimal]) -> str:
    for i, b in enumerate(bounds):
        if value <= b:
            return class_colour(i, len(bounds))
    return SCALE[-1]


@dataclass(frozen=True)
class _Canvas:
    """Projected coordinates to the SVG's pixels."""

    project: Callable[[float, float], tuple[float, float]]
    x0: float
    y0: float
    scale: float
    pad: int

    def px(self, x: float, y: float) -> tuple[float, float]:
        """A projected point in pixels."""
        return (x - self.x0) * self.scale + self.pad, (y - self.y0) * self.scale + self.pad

    def xy(self, p: Sequence[float]) -> str:
        """A longitude/latitude point as an SVG path coordinate."""
        x, y = self.px(*self.project(p[0], p[1]))
        return f"{x:.1f},{y:.1f}"


def _area_paths(
    drawn: Sequence[MapArea],
    geometries: Mapping[str, Mapping[str, Any]],
    canvas: _Canvas,
    bounds: list[Decimal],
    fmt: Callable[[Decimal], str],
) -> list[str]:
    parts = []
    for a in drawn:
        d = "".join(
            "M" + "L".join(canvas.xy(p) for p in ring) + "Z"
            for ring in _rings(geometries[a.code])
            if ring
        )
        fill = NO_DATA if a.value is None else colour_for(a.value, bounds)
        shown = "no figure" if a.value is None else fmt(a.value)
        parts.append(
            f'<path class="area" data-code="{escape(a.code)}" d="{d}" fill="{fill}" '
            f'fill-rule="evenodd" stroke="#fff" stroke-width="0.8">'
            f"<title>{escape(a.name)}: {escape(shown)}</title></path>"
        )
    return parts


def _area_labels(
    drawn: Sequence[MapArea], geometries: Mapping[str, Mapping[str, Any]], canvas: _Canvas
) -> list[str]:
    """Names on the map so that it reads on paper, where there are no tooltips."""
    parts = []
    for a in drawn:
        at = _label_point(_rings(geometries[a.code]), canvas.project)
        if at is None:
            continue
        lx, ly = canvas.px(*at)
        parts.append(
            f'<text class="area-label" x="{lx:.1f}" y="{ly:.1f}" font-size="11" '
            f'text-anchor="middle" aria-hidden="true">{escape(a.name)}</text>'
        )
    return parts


def _map_legend(
    y: float,
    pad: int,
    legend_title: str,
    values: list[Decimal],
    bounds: list[Decimal],
    no_figure: bool,
    fmt: Callable[[Decimal], str],
) -> list[str]:
    """The classes' colours and ranges, from ``y`` down; grey for no figure."""
    parts = [
        f'<g class="legend"><text x="{pad}" y="{y + 12:.0f}" font-size="13" '
        f'font-weight="700">{escape(legend_title)}</text>'
    ]
    y += 22
    lower = min(values) if values else None
    for i, b in enumerate(bounds):
        lo_txt = fmt(lower) if i == 0 and lower is not None else f"over {fmt(bounds[i - 1])}"
        single = len(bounds) == 1 or (i == 0 and lower == b)  # a class of one figure
        label = fmt(b) if single else f"{lo_txt} to {fmt(b)}"
        colour = class_colour(i, len(bounds))
        parts.append(
            f'<rect x="{pad}" y="{y:.0f}" width="18" height="16" fill="{colour}" '
            f'stroke="#555"/><text x="{pad + 26}" y="{y + 13:.0f}" font-size="13">'
            f"{escape(label)}</text>"
        )
        y += 22
    if no_figure or not bounds:
        parts.append(
            f'<rect x="{pad}" y="{y:.0f}" width="18" height="16" fill="{NO_DATA}" '
            f'stroke="#555"/><text x="{pad + 26}" y="{y + 13:.0f}" font-size="13">'
            "No figure (no population or no spend allocated)</text>"
        )
    parts.append("</g>")
    return parts


def choropleth_svg(
    geometries: Mapping[str, Mapping[str, Any]],
    areas: Sequence[MapArea],
    *,
    title: str,
    fmt: Callable[[Decimal], str],
    legend_title: str,
    width: int = 720,
    svg_id: str = "map",
    labels: bool = True,
    scheme: str | None = None,
    min_width: Decimal | None = None,
) -> str:
    """A map of ``areas`` coloured by value, as a standalone ``<svg>`` (valid XML).

    Only areas with a geometry are drawn; each has a ``<title>`` tooltip with its name
    and value. Areas without a value are grey and said to have no figure. ``scheme``
    (``quantiles`` or ``natural-breaks``) classes the values with mapclassify
    (:func:`class_bounds`) and the legend says which; without it, :func:`breaks`.
    ``min_width`` merges classes whose tops are closer than it (:func:`merge_narrow`), and
    the legend says so.
    """
    drawn = [a for a in areas if a.code in geometries]
    if not drawn:
        raise ValueError("none of the areas has a boundary")
    project, (x0, y0, x1, y1) = _projection(geometries[a.code] for a in drawn)
    pad = 12
    map_w = width - 2 * pad
    scale = map_w / max(x1 - x0, 1e-12)
    canvas = _Canvas(project, x0, y0, scale, pad)
    map_h = (y1 - y0) * scale
    values = [a.value for a in drawn if a.value is not None]
    if scheme is None:
        bounds = breaks(values) if values else []
    else:
        bounds = class_bounds(values, scheme)
        apart = ""
        if min_width is not None:
            bounds = merge_narrow(bounds, min_width)
            apart = f"; class tops at least {fmt(min_width)} apart"
        n = len(bounds)
        legend_title = (
            f"{legend_title} ({n} class{'' if n == 1 else 'es'}, {SCHEMES[scheme]}{apart})"
        )
    legend_h = 26 + 22 * (len(bounds) + 1)
    height = int(map_h + 2 * pad + legend_h)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(svg_id)}" class="choropleth" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(svg_id)}-title">',
        f'<title id="{escape(svg_id)}-title">{escape(title)}</title>',
        "<style>.choropleth path:hover{stroke:#000;stroke-width:2}"
        ".choropleth text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,"
        "sans-serif;fill:#111}"
        ".choropleth .area-label{paint-order:stroke;stroke:#fff;stroke-width:3px;"
        "pointer-events:none}</style>",
    ]
    parts.extend(_area_paths(drawn, geometries, canvas, bounds, fmt))
    if labels:
        parts.extend(_area_labels(drawn, geometries, canvas))
    no_figure = any(a.value is None for a in drawn)
    parts.extend(
        _map_legend(map_h + 2 * pad + 4, pad, legend_title, values, bounds, no_figure, fmt)
    )
    parts.append("</svg>")
    return "".join(parts)
