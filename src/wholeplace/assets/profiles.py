"""Neighbourhood profiles: small-area (LSOA) indicators, and each area's picture of need,
population and the partners' assets in it, against the place.

An indicator is imported from a CSV or XLSX with one row per area: a code column (LSOA
2011 or 2021 codes, as the file has them) and the value column named. When the place has
boundaries, only the rows of its areas are kept (a national file of 32,844 LSOAs gives the
place's own), and a file holding none of them is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from wholeplace.assets.model import Asset, shown
from wholeplace.assets.opportunities import median
from wholeplace.errors import InputError, Problems
from wholeplace.labels import header_key
from wholeplace.tabular import TableFile, read_table

CODE_COLUMNS = ("lsoa_code_2011", "lsoa11cd", "lsoa21cd", "lsoa_code_2021", "lsoa_code", "code")
HIGHER_IS = ("worse", "better", "neutral")


@dataclass(frozen=True)
class IndicatorValues:
    name: str
    column: str
    values: dict[str, Decimal]
    file: str
    left_out: int  # rows of areas not in the place
    converted: int = 0  # rows given by 2021 code, kept under the 2011 code of the place


def _read(
    path: Path, column: str, code_column: str | None, sheet: str | None
) -> tuple[TableFile, str]:
    candidates = (header_key(code_column),) if code_column else CODE_COLUMNS
    last: InputError | None = None
    for code in candidates:
        try:
            return read_table(path, required=[code, header_key(column)], sheet=sheet), code
        except InputError as exc:
            if not all(p.message.startswith("no header row") for p in exc.problems):
                raise
            last = exc
    assert last is not None
    p = Problems(path.name, sheet=sheet)
    p.add(
        None,
        None,
        column,
        f"no header row with the column {column!r} and an area code column "
        f"({', '.join(candidates)})",
        "name the value column with --column and the code column with --code-column",
    )
    raise p.error()


def read_indicator(
    path: Path,
    name: str,
    column: str,
    *,
    code_column: str | None = None,
    sheet: str | None = None,
    place_codes: set[str] | None = None,
    lookup: dict[str, str] | None = None,
) -> IndicatorValues:
    table, code_key = _read(Path(path), column, code_column, sheet)
    value_key = header_key(column)
    problems = Problems(table.label, sheet=table.sheet)
    values: dict[str, Decimal] = {}
    left_out = 0
    converted = 0
    for row in table.rows:
        code = row.values.get(code_key, "").strip()
        if not code:
            continue
        if place_codes and code not in place_codes and lookup and code in lookup:
            code = lookup[code]
            converted += 1
        if place_codes and code not in place_codes:
            left_out += 1
            continue
        raw = row.values.get(value_key, "").strip()
        try:
            v = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            v = Decimal("NaN")
        # copy_abs, not abs(): abs() rounds to the context, and 1e999999999 overflowed
        if not v.is_finite() or v.copy_abs() >= Decimal(10) ** 14:
            problems.add(row.number, column, raw, "not a number", "write the figure as a number")
            continue
        if code in values:
            problems.add(
                row.number, code_key, code, "this area is given twice", "keep one row per area"
            )
            continue
        values[code] = v
    if not values and not problems:
        problems.add(
            None,
            code_key,
            None,
            "none of the place's areas is in the file" if place_codes else "no rows",
            "check the file holds the place's area codes (LSOA 2011 codes for 2011 boundaries)",
        )
    problems.raise_if_any()
    return IndicatorValues(name, column, values, table.label, left_out, converted)


def read_lookup(path: Path) -> dict[str, str]:
    """LSOA 2021 code -> LSOA 2011 code, from the ONS best-fit lookup (columns ``LSOA11CD``
    and ``LSOA21CD``, one row per 2011 LSOA), for the 2021 areas that one 2011 area alone
    maps to (unchanged or recoded). A 2021 area made of several 2011 areas is left out:
    its figure belongs to none of them alone."""
    table = read_table(path, required=["lsoa11cd", "lsoa21cd"])
    to_2011: dict[str, list[str]] = {}
    for row in table.rows:
        old, new = row.values["lsoa11cd"].strip(), row.values["lsoa21cd"].strip()
        if old and new:
            to_2011.setdefault(new, []).append(old)
    return {new: olds[0] for new, olds in to_2011.items() if len(olds) == 1}


@dataclass(frozen=True)
class Indicator:
    name: str
    source: str
    as_of: str
    higher_is: str
    areas: int
    counts: bool = False  # a count of people: figures under SUPPRESS_UNDER are not published

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class AreaSpend:
    """An area's public spend in one year, as the spend map gives it (the profiles do not
    compute spend: the edges pass the spend capability's figures in)."""

    year: str
    amount: Decimal
    per_head: Decimal | None
    # spend not on any area (county-level) given to this one by a driver, kept apart
    allocated: Decimal | None = None
    allocated_by: str | None = None
    per_head_with_allocated: Decimal | None = None
    # the place's whole spend on no area, of which ``allocated`` is this area's part
    on_no_area: Decimal | None = None

    def to_json(self) -> dict[str, Any]:
        def text(v: Decimal | None) -> str | None:
            return None if v is None else str(v)

        out = {
            "year": self.year,
            "amount_gbp": str(self.amount),
            "per_head_gbp": text(self.per_head),
            "allocated_gbp": text(self.allocated),
            "allocated_by": self.allocated_by,
            "per_head_with_allocated_gbp": text(self.per_head_with_allocated),
        }
        if self.on_no_area is not None:
            out["on_no_area_gbp"] = str(self.on_no_area)
        return out


def allocate(amount: Decimal, driver: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """``amount`` split over the areas by ``driver`` (population or an indicator), to the
    penny, the parts adding back to ``amount`` exactly (:func:`wholeplace.allocation.allocate`)."""
    from wholeplace.allocation import allocate as shared

    return shared(amount, driver)


@dataclass
class AreaProfile:
    code: str
    name: str
    values: dict[str, Decimal]
    ranks: dict[str, int]  # 1 = the highest value among the place's areas
    assets: list[Asset] = field(default_factory=list)
    similar: list[tuple[str, Decimal]] = field(default_factory=list)  # code, distance
    # the spend map's figures for the area (a year's consolidated spend), where it has some
    spend: AreaSpend | None = None

    @property
    def floor_area_m2(self) -> Decimal:
        return sum((a.gia_m2 for a in self.assets if a.gia_m2 is not None), Decimal(0))

    @property
    def running_cost(self) -> Decimal:
        return sum((c for a in self.assets if (c := a.running_cost) is not None), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "values": {k: shown(v) for k, v in self.values.items()},
            "ranks": dict(self.ranks),
            "assets": [a.key for a in self.assets],
            "floor_area_m2": str(self.floor_area_m2),
            "running_cost": str(self.running_cost),
            "similar": [{"code": c, "distance": str(d)} for c, d in self.similar],
            "spend": None if self.spend is None else self.spend.to_json(),
        }


def build_profiles(
    codes: Sequence[str],
    names: dict[str, str],
    indicators: dict[str, dict[str, Decimal]],
    assets: Sequence[Asset],
) -> tuple[list[AreaProfile], dict[str, Decimal | None]]:
    """One profile per area code, and each indicator's median over the place's areas."""
    ranks: dict[str, dict[str, int]] = {}
    for name, values in indicators.items():
        ordered = sorted(values.values(), reverse=True)
        # ties share the best rank (1 + how many areas are strictly higher)
        first: dict[Decimal, int] = {}
        for i, v in enumerate(ordered, start=1):
            first.setdefault(v, i)
        ranks[name] = {c: first[v] for c, v in values.items()}
    out = []
    for code in sorted(codes):
        held = [a for a in assets if code in a.areas]
        out.append(
            AreaProfile(
                code,
                names.get(code, code),
                {n: v[code] for n, v in indicators.items() if code in v},
                {n: r[code] for n, r in ranks.items() if code in r},
                held,
            )
        )
    medians = {n: median(list(v.values())) for n, v in indicators.items()}
    return out, medians


def similar_areas(
    target: str, indicators: dict[str, dict[str, Decimal]], k: int = 5
) -> list[tuple[str, Decimal]]:
    """The ``k`` areas most like ``target``: the smallest straight-line distance over the
    indicators ``target`` has, each scaled by its range over the place's areas (so a decile
    and a population weigh alike); areas lacking one of them are left out. Distances to 4
    places; ties by code."""
    from fractions import Fraction

    from wholeplace.money import round_half_up

    names = [n for n, v in indicators.items() if target in v]
    spans = {}
    for n in names:
        values = indicators[n].values()
        span = max(values) - min(values)
        if span:
            spans[n] = Fraction(span)
    candidates = set.intersection(*(set(indicators[n]) for n in names)) if names else set()
    found = []
    for code in candidates - {target}:
        d2 = sum(
            ((Fraction(indicators[n][target]) - Fraction(indicators[n][code])) / s) ** 2
            for n, s in spans.items()
        )
        found.append((Fraction(d2), code))
    found.sort()
    return [(code, round_half_up(float(d2) ** 0.5, 4)) for d2, code in found[:k]]
