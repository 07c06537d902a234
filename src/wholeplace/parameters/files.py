"""Parameter files: YAML shipped in this package, each value keyed by its effective date.

A file holds ``description``, ``kind``, ``source`` (``title``, ``publisher``, ``url``),
``edition``, ``licence`` and ``values`` (``{"YYYY-MM-DD": value}``); optionally ``unit``,
``notes`` and further ``references``. Its name is its path below this folder with dots:
``discount_rate/green_book.yaml`` is ``discount_rate.green_book``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from wholeplace.errors import InputError, Problem

REQUIRED = ("description", "kind", "source", "edition", "licence", "values")
SOURCE_FIELDS = ("title", "publisher", "url")

# What a value of each kind looks like, after checking (see :func:`check_value`).
RateSchedule = tuple[tuple[int, Decimal], ...]  # (first year of the band, rate), sorted
RateByGrade = dict[int, Decimal]
Value = RateSchedule | RateByGrade


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    url: str


@dataclass(frozen=True)
class Parameter:
    """One shipped parameter: what it is, where it comes from, its values by date."""

    name: str
    description: str
    kind: str
    source: Source
    edition: str
    licence: str
    values: dict[date, Value]
    unit: str = ""
    notes: str = ""
    file: str = ""

    def value_on(self, on: date) -> tuple[date, Value] | None:
        """The value in force on ``on``: the latest one whose effective date is not after it."""
        return value_on(self.values, on)


def value_on(values: Mapping[date, Value], on: date) -> tuple[date, Value] | None:
    dates = [d for d in values if d <= on]
    if not dates:
        return None
    d = max(dates)
    return d, values[d]


def _folder() -> Traversable:
    return resources.files("wholeplace") / "parameters"


def _walk(folder: Traversable, prefix: str) -> dict[str, Traversable]:
    found: dict[str, Traversable] = {}
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.name.startswith("_"):
            found.update(_walk(entry, f"{prefix}{entry.name}."))
        elif entry.name.endswith(".yaml"):
            found[prefix + entry.name.removesuffix(".yaml")] = entry
    return found


def names() -> list[str]:
    """Every shipped parameter's name, sorted."""
    return sorted(_walk(_folder(), ""))


def parameter(name: str) -> Parameter:
    """The shipped parameter ``name`` with its provenance and every dated value."""
    files = _walk(_folder(), "")
    if name not in files:
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    None,
                    name,
                    "no such parameter",
                    "use one of: " + ", ".join(sorted(files)),
                )
            ]
        )
    entry = files[name]
    raw = yaml.safe_load(entry.read_text(encoding="utf-8"))
    return parse(raw, name, f"{name.replace('.', '/')}.yaml")


def parse(raw: Any, name: str, label: str) -> Parameter:
    """A parameter from a file's parsed YAML; every problem reported at once."""
    problems: list[Problem] = []

    def bad(column: str, value: Any, message: str, fix: str) -> None:
        shown = None if value is None else str(value)
        problems.append(Problem(label, None, column, shown, message, fix))

    if not isinstance(raw, dict):
        raise InputError([Problem(label, None, None, None, "not a mapping", "see docs/cba.md")])
    for key in REQUIRED:
        if raw.get(key) in (None, "", {}):
            bad(key, None, f"'{key}' is missing", f"add {key}: (every parameter names it)")
    src = raw.get("source") or {}
    if not isinstance(src, dict):
        bad("source", src, "not a mapping", "give source: {title: ..., publisher: ..., url: ...}")
        src = {}
    for key in SOURCE_FIELDS:
        if "source" in raw and not src.get(key):
            bad(f"source.{key}", None, f"the source has no {key}", f"add source.{key}")
    kind = str(raw.get("kind") or "")
    raw_values = raw.get("values") or {}
    if not isinstance(raw_values, dict):
        bad("values", raw_values, "not a mapping", 'key each value by its date: "2003-01-01": ...')
        raw_values = {}
    values, found = check_values(kind, raw_values, label)
    problems.extend(found)
    if problems:
        raise InputError(problems)
    return Parameter(
        name=name,
        description=str(raw["description"]).strip(),
        kind=kind,
        source=Source(*(str(src[k]).strip() for k in SOURCE_FIELDS)),
        edition=str(raw["edition"]).strip(),
        licence=str(raw["licence"]).strip(),
        values=values,
        unit=str(raw.get("unit") or "").strip(),
        notes=str(raw.get("notes") or "").strip(),
        file=label,
    )


def check_values(
    kind: str, raw: Mapping[Any, Any], label: str
) -> tuple[dict[date, Value], list[Problem]]:
    """Values keyed by effective date (``YYYY-MM-DD``), each checked as a ``kind``."""
    values: dict[date, Value] = {}
    problems: list[Problem] = []
    for key, v in raw.items():
        try:
            d = key if isinstance(key, date) else date.fromisoformat(str(key))
        except ValueError:
            problems.append(
                Problem(label, None, f"values.{key}", str(key), "not a date", "use YYYY-MM-DD")
            )
            continue
        try:
            values[d] = check_value(kind, v)
        except ValueError as exc:
            problems.append(
                Problem(label, None, f"values.{key}", str(v), str(exc), f"give a {kind} value")
            )
    return values, problems


def _rate(x: Any) -> Decimal:
    if isinstance(x, bool):
        raise ValueError("a rate must be a number")
    try:
        d = Decimal(repr(x)) if isinstance(x, float) else Decimal(str(x).strip())
    except InvalidOperation:
        raise ValueError(f"{x!r} is not a number") from None
    if not d.is_finite() or not Decimal(0) <= d < Decimal(1):
        raise ValueError(f"{x} is not a rate from 0 to under 1")
    return d


def check_value(kind: str, v: Any) -> Value:
    """A value of ``kind`` from YAML or JSON, checked; ``ValueError`` says what is wrong."""
    if kind == "rate_schedule":
        if not isinstance(v, list) or not v:
            raise ValueError("a rate schedule is a list of {from_year: N, rate: R}")
        bands: list[tuple[int, Decimal]] = []
        for band in v:
            if not isinstance(band, dict) or set(band) != {"from_year", "rate"}:
                raise ValueError("each band needs from_year and rate, and nothing else")
            y = band["from_year"]
            if isinstance(y, bool) or not isinstance(y, int) or y < 0:
                raise ValueError(f"from_year {y!r} is not a whole number of years")
            bands.append((y, _rate(band["rate"])))
        bands.sort()
        if bands[0][0] != 0:
            raise ValueError("the first band must start at year 0")
        if len({y for y, _ in bands}) != len(bands):
            raise ValueError("two bands start in the same year")
        return tuple(bands)
    if kind == "rate_by_grade":
        if not isinstance(v, dict) or not v:
            raise ValueError("give a rate for each grade, e.g. {1: 0, 2: 0.05}")
        grades: dict[int, Decimal] = {}
        for g, r in v.items():
            gi = int(str(g)) if str(g).strip().isdigit() else None
            if gi is None:
                raise ValueError(f"grade {g!r} is not a whole number")
            grades[gi] = _rate(r)
        return dict(sorted(grades.items()))
    raise ValueError(f"unknown kind {kind!r}: use rate_schedule or rate_by_grade")


def to_data(kind: str, v: Value) -> Any:
    """A checked value as plain JSON-able data (rates as decimal strings)."""
    if kind == "rate_schedule":
        assert isinstance(v, tuple)
        return [{"from_year": y, "rate": str(r)} for y, r in v]
    assert isinstance(v, dict)
    return {str(g): str(r) for g, r in v.items()}
