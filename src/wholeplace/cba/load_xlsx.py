"""Reading the XLSX appraisal template into the same checked mapping as a YAML file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from wholeplace.cba.checks import SourceMap
from wholeplace.errors import InputError, Problem, Problems
from wholeplace.tabular import same_column_twice
from wholeplace.workbook_limits import check_workbook, reading_workbook

COST_COLUMNS = ["description", "agency", "type", "confidence"]
OUTCOME_COLUMNS = [
    "description",
    "unit_cost",
    "value",
    "value_type",
    "value_year",
    "agency",
    "transfer",
    "engagement",
    "success",
    "deadweight",
    "persistence",
    "confidence",
    "cashable",
    "per",
    # optional: separate grades, and the additionality factors beyond deadweight with sources
    "impact_confidence",
    "value_confidence",
    "leakage",
    "displacement",
    "substitution",
    "attribution",
    "deadweight_source",
    "leakage_source",
    "displacement_source",
    "substitution_source",
    "attribution_source",
]
_YCOL = re.compile(r"^y(?:ear)?\s*(\d+)$", re.I)


def read_xlsx(path: Path) -> SourceMap:
    check_workbook(path)
    with reading_workbook(path):
        return _read_xlsx(path)


def _read_xlsx(path: Path) -> SourceMap:
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    label = path.name
    missing = [s for s in ("Appraisal", "Costs", "Outcomes") if s not in wb.sheetnames]
    if missing:
        raise InputError(
            [
                Problem(
                    label,
                    None,
                    None,
                    ", ".join(wb.sheetnames),
                    f"sheets missing: {', '.join(missing)}",
                    "start from `wholeplace cba template OUT.xlsx`",
                )
            ]
        )
    root = SourceMap()
    root.line = 1
    head = SourceMap()
    head.sheet = "Appraisal"
    head.line = 1
    for r, row in enumerate(wb["Appraisal"].iter_rows(values_only=True), start=1):
        if not row or row[0] is None:
            continue
        key = str(row[0]).strip().lower()
        if key in ("field", "setting"):
            continue
        val = row[1] if len(row) > 1 else None
        if key == "optimism_bias" and isinstance(val, str):
            val = [x.strip() for x in val.split(",") if x.strip()]
        if key in ("price_year", "start_year") and val is not None:
            val = str(val)
        head[key] = val
        head.lines[key] = r
    root["appraisal"] = head
    root.lines["appraisal"] = 1
    for sheet, key, cols, series_key in (
        ("Costs", "costs", COST_COLUMNS, "amounts"),
        ("Outcomes", "outcomes", OUTCOME_COLUMNS, "cohort"),
    ):
        items: list[SourceMap] = []
        header: list[str] | None = None
        for r, row in enumerate(wb[sheet].iter_rows(values_only=True), start=1):
            vals = list(row)
            if header is None:
                if vals and str(vals[0] or "").strip().lower() == "description":
                    header = [str(v or "").strip().lower() for v in vals]
                    _refuse_same_column_twice(label, sheet, r, header, vals, cols)
                continue
            if not any(v not in (None, "") for v in vals):
                continue
            item = SourceMap()
            item.sheet = sheet
            item.line = r
            year_vals: list[Any] = []
            for h, v in zip(header, vals, strict=False):
                ym = _YCOL.match(h)
                if ym:
                    year_vals.append(0 if v is None else v)
                elif h in cols and v not in (None, ""):
                    if h in ("persistence", "value_type") and isinstance(v, str) and "," in v:
                        v = [x.strip() for x in v.split(",") if x.strip()]
                    if h == "transfer":
                        v = str(v).strip().lower() in ("true", "yes", "y", "1")
                    item[h] = v
                    item.lines[h] = r
            item[series_key] = year_vals
            item.lines[series_key] = r
            items.append(item)
        root[key] = items
        root.lines[key] = 1
    wb.close()
    return root


def _refuse_same_column_twice(
    label: str, sheet: str, r: int, header: list[str], cells: list[Any], cols: list[str]
) -> None:
    """Two header cells read as the same column (``value`` twice, or ``Y1`` beside
    ``Year 1``): the later one would overwrite the earlier without a word, or add a year."""
    keys = []
    for h in header:
        ym = _YCOL.match(h)
        keys.append(f"year {int(ym.group(1))}" if ym else h if h in cols else "")
    p = Problems(label, sheet=sheet)
    same_column_twice(p, r, keys, ["" if c is None else c for c in cells])
    p.raise_if_any()
