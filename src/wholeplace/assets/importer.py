"""Reading one partner's register into the shared layout, every row checked first.

Each problem is reported by row with its fix, and nothing is kept if there is one
(:class:`wholeplace.errors.Problems`). What is worth knowing but not wrong is a finding:
rows with no location (they cannot be placed or paired), and the same UPRN held by another
partner (two partners in one building is what co-location looks for, not an error).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from wholeplace.assets.geo import BadLocation, Location, PlaceShape, locate
from wholeplace.assets.layouts import KNOWN, MONEY_FIELDS, NUMBER_FIELDS, Layout
from wholeplace.assets.model import CONDITIONS, Asset
from wholeplace.errors import InputError, Notice, Problems
from wholeplace.labels import header_key, match_key
from wholeplace.money import MoneyError, parse_amount_exact, to_money
from wholeplace.tabular import Row, TableFile, read_table

NULLS = {"", "n/a", "na", "not applicable", "-", "null", "none"}
MAX_GIA_M2 = Decimal(1_000_000)  # the largest hospital in England is about 200,000 m²
# Running cost per m² a year above which a figure is taken for a mistake (floor area in
# hectares or ft², cost in pence): offices cost about £100-£400, hospitals up to £1,000.
MAX_COST_PER_M2 = Decimal(5_000)
UPRN_RE = re.compile(r"[0-9]{1,12}")


@dataclass
class RegisterRead:
    """What was read from one file: the assets, the layout used and what to know."""

    file: str
    partner: str
    layout: str
    assets: list[Asset]
    filtered_out: int = 0
    notices: list[Notice] = field(default_factory=list)

    @property
    def unlocated(self) -> list[Asset]:
        return [a for a in self.assets if not a.located]

    @property
    def outside(self) -> list[Asset]:
        """Located, but in none of the place's areas (kept with ``keep_outside``)."""
        return [a for a in self.assets if a.located and not a.areas]


def _read(path: Path, layout: Layout | None, sheet: str | None) -> tuple[TableFile, Layout]:
    from wholeplace.assets.layouts import IGNORED

    ignore = dict.fromkeys(IGNORED, "")
    if layout is not None:
        return read_table(path, required=layout.required, aliases=ignore, sheet=sheet), layout
    last: InputError | None = None
    for known in KNOWN:
        try:
            return read_table(path, required=known.required, aliases=ignore, sheet=sheet), known
        except InputError as exc:
            if not all(p.message.startswith("no header row") for p in exc.problems):
                raise
            last = exc
    assert last is not None
    p = Problems(path.name, sheet=sheet)
    p.add(
        last.problems[0].row,
        None,
        last.problems[0].value,
        "not a layout wholeplace knows (a Transparency Code register has a UPRN column; an "
        "ERIC site return has Trust Code and Site Code)",
        "give --mapping MAP.csv naming which column holds which field (docs/assets.md)",
    )
    raise p.error()


def _cell(row: Row, key: str) -> str:
    v = row.values.get(key, "").strip()
    return "" if v.casefold() in NULLS else v


def read_register(
    path: Path,
    partner: str,
    *,
    layout: Layout | None = None,
    place: PlaceShape | None = None,
    filters: Sequence[tuple[str, str]] = (),
    sheet: str | None = None,
    keep_outside: bool = False,
) -> RegisterRead:
    """Read and check ``path``; raise the problem table if any row is wrong.

    ``keep_outside``: an asset located outside every area of ``place`` is kept (councils
    hold land beyond their borders) rather than refused as a mistyped location."""
    table, layout = _read(Path(path), layout, sheet)
    problems = Problems(table.label, sheet=table.sheet)
    present = {
        f: tuple(k for k in keys if k in table.columns) for f, keys in layout.columns.items()
    }
    wanted = []
    for column, value in filters:
        key = header_key(column)
        if key not in table.columns:
            problems.add(
                table.header_row,
                column,
                value,
                "--filter names a column the file lacks",
                f"use one of: {', '.join(table.original_columns.values())[:300]}",
            )
        wanted.append((key, match_key(value)))
    problems.raise_if_any()
    out: list[Asset] = []
    refs: dict[str, int] = {}
    rounded: list[int] = []
    skipped = 0
    for row in table.rows:
        if any(match_key(row.values.get(k, "")) != v for k, v in wanted):
            skipped += 1
            continue
        asset = _asset(row, partner, present, table, place, problems, rounded, keep_outside)
        if asset is None:
            continue
        if asset.ref in refs:
            problems.add(
                row.number,
                "ref",
                asset.ref,
                f"the same asset as row {refs[asset.ref]} (same reference)",
                "keep one row per asset, or give each its own asset reference",
            )
            continue
        refs[asset.ref] = row.number
        out.append(asset)
    problems.raise_if_any()
    notices = []
    if rounded:
        notices.append(Notice.rounded(table.label, len(rounded), rounded[:5]))
    return RegisterRead(table.label, partner, layout.name, out, skipped, notices)


def _text(row: Row, keys: Sequence[str]) -> str:
    return ", ".join(v for k in keys if (v := _cell(row, k)))


class _Bad(ValueError):
    def __init__(self, column: str, value: str, message: str, fix: str) -> None:
        super().__init__(message)
        self.column, self.value, self.message, self.fix = column, value, message, fix


def _number(row: Row, keys: Sequence[str], table: TableFile) -> Decimal | None:
    total: Decimal | None = None
    for k in keys:
        raw = _cell(row, k)
        if not raw:
            continue
        text = raw.replace(",", "").rstrip("%").strip()
        try:
            d = Decimal(text)
        except InvalidOperation:
            d = Decimal("NaN")
        if not d.is_finite():
            raise _Bad(table.original_columns.get(k, k), raw, "not a number", "write a number")
        total = d if total is None else total + d
    return total


def _money(row: Row, keys: Sequence[str], table: TableFile, rounded: list[int]) -> Decimal | None:
    total: Decimal | None = None
    for k in keys:
        raw = _cell(row, k)
        if not raw:
            continue
        column = table.original_columns.get(k, k)
        try:
            exact = parse_amount_exact(raw)
        except MoneyError as exc:
            raise _Bad(column, raw, str(exc), "write an amount in pounds, e.g. 12,345.67") from exc
        if exact < 0:
            raise _Bad(column, raw, "a cost cannot be negative", "give the cost for the year")
        if to_money(exact) != exact and row.number not in rounded:
            rounded.append(row.number)
        total = to_money(exact) + (total or 0)
    return total


def _asset(
    row: Row,
    partner: str,
    cols: Mapping[str, Sequence[str]],
    table: TableFile,
    place: PlaceShape | None,
    problems: Problems,
    rounded: list[int],
    keep_outside: bool,
) -> Asset | None:
    n = len(problems)

    def bad(column: str, value: object, message: str, fix: str) -> None:
        problems.add(row.number, column, value, message, fix)

    def col(field_name: str) -> str:
        keys = cols.get(field_name, ())
        return table.original_columns.get(keys[0], field_name) if keys else field_name

    numbers: dict[str, Decimal | None] = {}
    for f in (*NUMBER_FIELDS, *MONEY_FIELDS):
        try:
            if f in MONEY_FIELDS:
                numbers[f] = _money(row, cols.get(f, ()), table, rounded)
            else:
                numbers[f] = _number(row, cols.get(f, ()), table)
        except _Bad as b:
            bad(b.column, b.value, b.message, b.fix)
            numbers[f] = None
    uprn = _text(row, cols.get("uprn", ())) or None
    if uprn is not None:
        uprn = uprn.removesuffix(".0")
        if not UPRN_RE.fullmatch(uprn) or not uprn.strip("0"):
            bad(
                col("uprn"),
                uprn,
                "not a UPRN (1 to 12 digits)",
                "give the building's Unique Property Reference Number, or leave it blank",
            )
            uprn = None
        else:
            uprn = uprn.lstrip("0")
    location = _location(row, cols, numbers, bad, col)
    areas: tuple[str, ...] = ()
    if location is not None and place:
        areas = place.areas_of(location)
        if not areas and not keep_outside:
            bad(
                col("x") if cols.get("x") else col("longitude"),
                f"{location.easting}, {location.northing} (grid); "
                f"{location.longitude}, {location.latitude} (degrees)",
                "outside the place: in none of its areas' boundaries",
                "check the coordinates (a digit wrong, easting and northing swapped); for land "
                "the partner holds beyond the place, import with --outside keep",
            )
    gia = numbers["gia_m2"]
    if gia is not None and not (0 < gia <= MAX_GIA_M2):
        bad(
            col("gia_m2"),
            gia,
            f"not a plausible floor area (over 0 and up to {MAX_GIA_M2:,} m²)",
            "give the gross internal area in square metres (1 ft² = 0.0929 m²)",
        )
        gia = None
    utilisation = _utilisation(numbers, gia, bad, col)
    asset = Asset(
        partner=partner,
        ref=_text(row, cols.get("ref", ())) or uprn or f"row {row.number}",
        row=row.number,
        uprn=uprn,
        name=_text(row, cols.get("name", ())),
        address=_text(row, cols.get("address", ())),
        postcode=_text(row, cols.get("postcode", ())).upper(),
        easting=location.easting if location else None,
        northing=location.northing if location else None,
        longitude=location.longitude if location else None,
        latitude=location.latitude if location else None,
        tenure=_text(row, cols.get("tenure", ())),
        use=_text(row, cols.get("use", ())),
        type=_text(row, cols.get("type", ())),
        gia_m2=gia,
        cost_energy=numbers["cost_energy"],
        cost_rates=numbers["cost_rates"],
        cost_maintenance=numbers["cost_maintenance"],
        cost_other=numbers["cost_other"],
        cost_total=numbers["cost_total"],
        utilisation=utilisation,
        condition=_condition(row, cols, bad, col),
        backlog=numbers["backlog"],
        lease_end=_lease_end(row, cols, bad, col),
        surplus=_surplus(row, cols, bad, col),
        areas=areas,
    )
    per_m2 = asset.cost_per_m2
    if per_m2 is not None and per_m2 > MAX_COST_PER_M2:
        bad(
            col("gia_m2"),
            f"£{asset.running_cost:,} a year over {gia:,} m²",
            f"£{per_m2:,} per m² a year is not plausible (more than £{MAX_COST_PER_M2:,})",
            "check the floor area is in m² (not hectares or ft²) and the costs in pounds "
            "(not pence)",
        )
    return None if len(problems) > n else asset


def _location(
    row: Row,
    cols: Mapping[str, Sequence[str]],
    numbers: Mapping[str, Decimal | None],
    bad: Any,
    col: Any,
) -> Location | None:
    crs = _text(row, cols.get("crs", ()))
    if numbers["longitude"] is not None or numbers["latitude"] is not None:
        x, y, crs, which = numbers["longitude"], numbers["latitude"], "WGS84", "longitude"
    else:
        x, y, which = numbers["x"], numbers["y"], "x"
    if x is None and y is None:
        return None
    if x is None or y is None:
        bad(
            col(which),
            f"{x}, {y}",
            "only one of the two coordinates is given",
            "give both, or neither",
        )
        return None
    try:
        return locate(float(x), float(y), crs)
    except BadLocation as b:
        bad(col(which), f"{x}, {y}" + (f" ({crs})" if crs else ""), b.message, b.fix)
        return None


def _utilisation(
    numbers: Mapping[str, Decimal | None], gia: Decimal | None, bad: Any, col: Any
) -> Decimal | None:
    from wholeplace.money import round_half_up

    given = numbers["utilisation"]
    if given is not None:
        if not 0 <= given <= 100:
            bad(
                col("utilisation"),
                given,
                "not a percentage from 0 to 100",
                "give the share of the space in use, e.g. 65 or 65%",
            )
            return None
        return round_half_up(given, 1)
    used, available = numbers["hours_used"], numbers["hours_available"]
    if used is not None and available is not None:
        if not (available > 0 and 0 <= used <= available):
            bad(
                col("hours_used"),
                f"{used} of {available}",
                "hours used must be from 0 to the hours available (over 0)",
                "give the hours a week the building is used and is open",
            )
            return None
        return round_half_up(used * 100 / available, 1)
    unused = numbers["unused_m2"]
    if unused is not None and gia:
        if not 0 <= unused <= gia:
            bad(
                col("unused_m2"),
                unused,
                f"empty or under-used space is more than the {gia} m²",
                "check the floor areas",
            )
            return None
        return round_half_up((gia - unused) * 100 / gia, 1)
    return None


def _condition(row: Row, cols: Mapping[str, Sequence[str]], bad: Any, col: Any) -> str | None:
    raw = _text(row, cols.get("condition", ()))
    if not raw:
        return None
    c = raw.upper().removeprefix("CONDITION").strip()
    if c not in CONDITIONS:
        bad(
            col("condition"),
            raw,
            "not a condition grade",
            "use A (good), B (satisfactory), C (poor) or D (bad)",
        )
        return None
    return c


def _lease_end(row: Row, cols: Mapping[str, Sequence[str]], bad: Any, col: Any) -> date | None:
    raw = _text(row, cols.get("lease_end", ()))
    if not raw:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    bad(col("lease_end"), raw, "not a date", "write it as 2031-03-31 or 31/03/2031")
    return None


def _surplus(row: Row, cols: Mapping[str, Sequence[str]], bad: Any, col: Any) -> bool:
    raw = match_key(_text(row, cols.get("surplus", ())))
    if raw in ("", "no", "n", "false", "0"):
        return False
    if raw in ("yes", "y", "true", "1", "surplus"):
        return True
    bad(col("surplus"), raw, "not yes or no", "write yes for an asset declared surplus, else no")
    return False
