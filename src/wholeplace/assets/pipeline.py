"""One Public Estate targets and the pipeline of assets being released.

Targets: capital receipts and running-cost savings by financial year (a CSV with columns
``year``, ``receipts``, ``savings``). Pipeline: one row per asset of the register (``asset``
as ``partner/ref``) with its ``stage`` (identified, agreed, marketed, disposed), the ``year``
of its receipt, the ``receipt`` and the running-cost ``saving`` a year. Against the targets,
**delivered** is what the disposed assets give in a year, and **in the pipeline** what the
others are expected to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.errors import Problems
from wholeplace.money import ZERO, MoneyError, parse_amount
from wholeplace.tabular import Row, read_table
from wholeplace.years import YearError, parse_year

STAGES = ("identified", "agreed", "marketed", "disposed")


@dataclass(frozen=True)
class Target:
    year: str
    receipts: Decimal
    savings: Decimal


@dataclass(frozen=True)
class PipelineItem:
    partner: str
    ref: str
    stage: str
    year: str
    receipt: Decimal
    saving: Decimal

    @property
    def key(self) -> str:
        return f"{self.partner}/{self.ref}"


def _money(row: Row, column: str, p: Problems) -> Decimal | None:
    raw = row.values.get(column, "").strip()
    try:
        v = parse_amount(raw or "0")
    except MoneyError as exc:
        p.add(row.number, column, raw, str(exc), "write an amount in pounds, e.g. 250,000")
        return None
    if v < 0:
        p.add(row.number, column, raw, "cannot be negative", "give the amount in pounds")
        return None
    return v


def _year(row: Row, p: Problems) -> str | None:
    raw = row.values.get("year", "").strip()
    try:
        return parse_year(raw)
    except YearError:
        p.add(row.number, "year", raw, "not a financial year", "write it as 2025/26")
        return None


def read_targets(path: Path) -> list[Target]:
    table = read_table(path, required=["year", "receipts", "savings"])
    p = Problems(table.label, sheet=table.sheet)
    out: dict[str, Target] = {}
    for row in table.rows:
        year, receipts, savings = (
            _year(row, p),
            _money(row, "receipts", p),
            _money(row, "savings", p),
        )
        if year is None or receipts is None or savings is None:
            continue
        if year in out:
            p.add(row.number, "year", year, "this year is given twice", "one row per year")
            continue
        out[year] = Target(year, receipts, savings)
    p.raise_if_any()
    return [out[y] for y in sorted(out)]


def read_pipeline(path: Path, register: set[str]) -> list[PipelineItem]:
    table = read_table(path, required=["asset", "stage", "year"])
    p = Problems(table.label, sheet=table.sheet)
    out: dict[str, PipelineItem] = {}
    for row in table.rows:
        key = row.values.get("asset", "").strip()
        stage = row.values.get("stage", "").strip().lower()
        bad = len(p)
        if key not in register:
            p.add(
                row.number,
                "asset",
                key,
                "not an asset of the register",
                "write it as partner/ref, as `wholeplace assets list` shows it",
            )
        if stage not in STAGES:
            p.add(row.number, "stage", stage, "not a stage", f"use one of: {', '.join(STAGES)}")
        year, receipt, saving = _year(row, p), _money(row, "receipt", p), _money(row, "saving", p)
        if len(p) > bad or year is None or receipt is None or saving is None:
            continue
        if key in out:
            p.add(row.number, "asset", key, "this asset is given twice", "one row per asset")
            continue
        partner, _, ref = key.partition("/")
        out[key] = PipelineItem(partner, ref, stage, year, receipt, saving)
    p.raise_if_any()
    return list(out.values())


@dataclass(frozen=True)
class YearAgainstTarget:
    year: str
    target_receipts: Decimal | None
    delivered_receipts: Decimal
    pipeline_receipts: Decimal
    target_savings: Decimal | None
    delivered_savings: Decimal  # a year, from the assets disposed in this year or before
    pipeline_savings: Decimal  # a year, from the others expected in this year or before

    def to_json(self) -> dict[str, Any]:
        return {k: (None if v is None else str(v)) for k, v in self.__dict__.items()}


def against_targets(
    targets: Sequence[Target], items: Sequence[PipelineItem]
) -> list[YearAgainstTarget]:
    """Each year of the targets or the pipeline: receipts in the year, and savings a year
    running by the end of it (a saving, once made, continues)."""
    by_year = {t.year: t for t in targets}
    years = sorted(set(by_year) | {i.year for i in items})
    out = []
    for y in years:
        done = [i for i in items if i.stage == "disposed"]
        rest = [i for i in items if i.stage != "disposed"]
        t = by_year.get(y)
        out.append(
            YearAgainstTarget(
                y,
                None if t is None else t.receipts,
                sum((i.receipt for i in done if i.year == y), ZERO),
                sum((i.receipt for i in rest if i.year == y), ZERO),
                None if t is None else t.savings,
                sum((i.saving for i in done if i.year <= y), ZERO),
                sum((i.saving for i in rest if i.year <= y), ZERO),
            )
        )
    return out
