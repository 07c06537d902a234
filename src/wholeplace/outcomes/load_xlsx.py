"""The outcomes framework from a workbook: one sheet per section, one row per item.

Sheets ``outcomes``, ``indicators`` (each naming its ``outcome``), and optionally
``services``, ``measures`` (each naming its ``service``) and ``claims``; columns as the YAML
fields, with ``baseline_value``, ``baseline_date``, ``target_value``, ``target_date``, the six
quality dimensions, and for claims each factor with its ``<factor>_source``. Lists
(``partners``, ``outcomes``, ``spend_services``) are comma-separated. The rows become the same
structure the YAML reader checks (every rule is applied once, in :mod:`.load`), each value
remembering its row, so a problem names the sheet and the Excel row. The SROI is given in YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from wholeplace.errors import Problems
from wholeplace.outcomes.load import build_framework
from wholeplace.outcomes.model import FACTORS, QUALITY_DIMENSIONS, Framework
from wholeplace.tabular import Row, read_table
from wholeplace.workbook_limits import check_workbook, reading_workbook
from wholeplace.yaml_files import LinedMap

TEXT = ("id", "name", "definition", "source", "unit", "polarity", "frequency", "owner")
LISTS = ("partners", "outcomes", "spend_services")


def _map(row: Row, keys: dict[str, Any]) -> LinedMap:
    m = LinedMap({k: v for k, v in keys.items() if v not in ("", None)})
    m.line = row.number
    m.lines = dict.fromkeys(m, row.number)
    return m


def _cell(row: Row, key: str) -> str:
    v = row.values.get(key, "")
    # a date cell reads as "2024-03-31 00:00:00"
    return v[:-9] if v.endswith(" 00:00:00") else v


def _list(text: str) -> list[str] | str:
    return [x.strip() for x in text.split(",") if x.strip()] if text else ""


def _whole(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _point(row: Row, name: str) -> LinedMap | str:
    value, on = _cell(row, f"{name}_value"), _cell(row, f"{name}_date")
    return _map(row, {"value": value, "date": on}) if value or on else ""


def _indicator(row: Row, extra: tuple[str, ...] = ()) -> LinedMap:
    keys: dict[str, Any] = {k: _cell(row, k) for k in (*TEXT, *extra)}
    keys["baseline"] = _point(row, "baseline")
    keys["target"] = _point(row, "target")
    keys["quality"] = _map(row, {d: _whole(_cell(row, d)) for d in QUALITY_DIMENSIONS})
    return _map(row, keys)


def _claim(row: Row) -> LinedMap:
    keys: dict[str, Any] = {
        k: _cell(row, k)
        for k in (
            "id",
            "description",
            "indicator",
            "gross",
            "unit",
            "reference",
            "reference_source",
        )
    }
    factors = {
        f: _map(row, {"share": _cell(row, f), "source": _cell(row, f"{f}_source")})
        for f in FACTORS
        if _cell(row, f) or _cell(row, f"{f}_source")
    }
    keys["factors"] = _map(row, factors) if factors else ""
    # the difference in differences' comparison: comparison_area, comparison_with, ...
    comparison = {
        k: _cell(row, f"comparison_{c}")
        for k, c in (
            ("area", "area"),
            ("comparison", "with"),
            ("before", "before"),
            ("after", "after"),
            ("source", "source"),
        )
    }
    keys["comparison"] = _map(row, comparison) if any(comparison.values()) else ""
    return _map(row, keys)


def _children(
    rows: list[Row], parent_key: str, make: Any, p: Problems, sheet: str, parents: set[str]
) -> dict[str, list[LinedMap]]:
    out: dict[str, list[LinedMap]] = {}
    for row in rows:
        parent = _cell(row, parent_key)
        if parent not in parents:
            p.add(
                row.number,
                parent_key,
                parent or None,
                f"not an {parent_key} of the {parent_key}s sheet"
                if parent_key == "outcome"
                else f"not a {parent_key} of the {parent_key}s sheet",
                f"name the {parent_key} by its id on the {parent_key}s sheet",
                sheet=sheet,
            )
            continue
        out.setdefault(parent, []).append(make(row))
    return out


def read_workbook(
    path: Path, partners: set[str], service_codes: set[str] | None = None
) -> tuple[Framework, str]:
    """The framework in the workbook ``path`` and the same as YAML text, to keep;
    ``service_codes``: the spend map's, its links are checked against (None: not checked)."""
    check_workbook(path)
    with reading_workbook(path):
        import openpyxl

        names = openpyxl.load_workbook(path, read_only=True).sheetnames
    p = Problems(path.name)
    for needed in ("outcomes", "indicators"):
        if needed not in names:
            p.add(
                None,
                None,
                needed,
                f"no sheet named {needed!r}",
                "see the workbook layout in docs/outcomes.md",
                sheet=needed,
            )
    p.raise_if_any()

    def rows(sheet: str, required: tuple[str, ...]) -> list[Row]:
        return read_table(path, required=required, sheet=sheet).rows if sheet in names else []

    outcome_rows = rows("outcomes", ("id", "title"))
    service_rows = rows("services", ("id", "name", "partner"))
    inds = _children(
        rows("indicators", ("outcome", "id")),
        "outcome",
        _indicator,
        p,
        "indicators",
        {_cell(r, "id") for r in outcome_rows},
    )
    meas = _children(
        rows("measures", ("service", "id", "category")),
        "service",
        lambda r: _indicator(r, ("category",)),
        p,
        "measures",
        {_cell(r, "id") for r in service_rows},
    )
    outcome_ids = {_cell(r, "id") for r in outcome_rows}
    links = {
        sheet: _children(
            rows(sheet, ("outcome", *required)),
            "outcome",
            lambda r, keys=keys: _map(r, {k: _cell(r, k) or None for k in keys}),
            p,
            sheet,
            outcome_ids,
        )
        for sheet, required, keys in (
            ("contributions", ("partner",), ("partner", "service", "customer_group")),
            ("appraisal_lines", ("appraisal", "line"), ("appraisal", "line")),
        )
    }
    p.raise_if_any()
    raw = LinedMap(
        outcomes=[
            _map(
                r,
                {
                    "id": _cell(r, "id"),
                    "title": _cell(r, "title"),
                    **{k: _list(_cell(r, k)) for k in ("partners", "spend_services")},
                    "indicators": inds.get(_cell(r, "id"), ""),
                    **{
                        sheet: found[_cell(r, "id")]
                        for sheet, found in links.items()
                        if _cell(r, "id") in found
                    },
                },
            )
            for r in outcome_rows
        ],
        services=[
            _map(
                r,
                {
                    "id": _cell(r, "id"),
                    "name": _cell(r, "name"),
                    "partner": _cell(r, "partner"),
                    "outcomes": _list(_cell(r, "outcomes")),
                    "measures": meas.get(_cell(r, "id"), ""),
                },
            )
            for r in service_rows
        ],
        claims=[_claim(r) for r in rows("claims", ("id", "gross"))],
    )
    fw = build_framework(raw, path.name, partners, service_codes)
    return fw, yaml.safe_dump(_plain(raw), sort_keys=False, allow_unicode=True)


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v
