"""Difference in differences: the estimate and its interval by hand, the reasons when either
cannot be given, and the framework's checks of a comparison."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from wholeplace.errors import InputError
from wholeplace.outcomes.did import difference_in_differences
from wholeplace.outcomes.load import parse_framework
from wholeplace.outcomes.model import Claim, Comparison
from wholeplace.outcomes.observations import Observation
from wholeplace.outcomes.scorecard import Z_95

END = {"2023/24 Q4": date(2024, 3, 31), "2024/25 Q2": date(2024, 9, 30)}
CLAIM = Claim(
    "c", "C", Decimal(1), "u", {}, "i",
    comparison=Comparison("A", "B", "2023/24 Q4", "2024/25 Q2", "alike"),
)  # fmt: skip


def o(area: str, period: str, value: str, num: int | None = None, den: int | None = None):  # type: ignore[no-untyped-def]
    return Observation("i", period, END[period], area, Decimal(value), num, den, "")


def test_a_share_with_counts_by_hand() -> None:
    # A: 0.5 of 100 -> 0.4 of 100; B: 0.5 of 100 -> 0.5 of 100. DiD = -0.1.
    # variance = 3 x 0.25/100 + 0.24/100 = 0.0099; half = 1.96 x sqrt(0.0099)
    obs = [
        o("A", "2023/24 Q4", "0.5", 50, 100),
        o("A", "2024/25 Q2", "0.4", 40, 100),
        o("B", "2023/24 Q4", "0.5", 50, 100),
        o("B", "2024/25 Q2", "0.5", 50, 100),
        o("place", "2024/25 Q2", "9"),  # not an area of the comparison
    ]
    d = difference_in_differences(CLAIM, obs)
    assert d is not None and d.estimate == Fraction(-1, 10) and d.reason is None
    half = Z_95 * math.sqrt(0.0099)
    assert d.interval == pytest.approx((-0.1 - half, -0.1 + half), rel=1e-12)


def test_no_interval_without_counts_or_in_mixed_units() -> None:
    plain = [o(a, p, v) for a, p, v in (("A", "2023/24 Q4", "3"), ("A", "2024/25 Q2", "1"))]
    plain += [o(a, p, v) for a, p, v in (("B", "2023/24 Q4", "3"), ("B", "2024/25 Q2", "2"))]
    d = difference_in_differences(CLAIM, plain)
    assert d is not None and d.estimate == -1 and d.interval is None
    assert d.reason is not None and d.reason.startswith("no interval: the counts")
    mixed = [
        o("A", "2023/24 Q4", "50", 50, 100),  # a percentage
        o("A", "2024/25 Q2", "0.4", 40, 100),  # a share
        o("B", "2023/24 Q4", "0.5", 50, 100),
        o("B", "2024/25 Q2", "0.5", 50, 100),
    ]
    d = difference_in_differences(CLAIM, mixed)
    assert d is not None and d.interval is None
    assert d.reason == "no interval: the values are not the rates in one unit"


def test_a_missing_value_gives_no_estimate() -> None:
    d = difference_in_differences(CLAIM, [o("A", "2023/24 Q4", "1")])
    assert d is not None and d.estimate is None
    assert d.reason == "no value for A in 2024/25 Q2, B in 2023/24 Q4, B in 2024/25 Q2"
    assert difference_in_differences(Claim("x", "X", Decimal(1), "u", {}), []) is None


YAML = """outcomes:
  - id: o
    title: O
    partners: []
    indicators:
      - id: i
        name: I
        definition: d
        source: s
        unit: u
        polarity: lower
        frequency: quarterly
        owner: cc
        baseline: {value: 12, date: 2024-03-31}
        target: {value: 9, date: 2026-03-31}
        quality: {accuracy: 4, completeness: 4, uniqueness: 4, consistency: 4, timeliness: 4,
                  validity: 4}
claims:
  - id: c
    description: C
    gross: 1
    unit: u
    indicator: i
    comparison: {area: A, comparison: B, before: Q4 2023-24, after: 2024/25 Q2, source: alike}
"""


def test_the_framework_reads_and_checks_a_comparison(tmp_path: Path) -> None:
    fw = parse_framework(YAML, "f.yaml", None)
    assert fw.claims[0].comparison == Comparison("A", "B", "2023/24 Q4", "2024/25 Q2", "alike")
    for wrong, column in (
        ("after: 2024/25 Q2", "after: 2023/24 Q3"),  # not after the before period
        ("after: 2024/25 Q2", "after: 2024-07"),  # not a quarter
        ("comparison: B", "comparison: A"),  # the same area
    ):
        with pytest.raises(InputError) as e:
            parse_framework(YAML.replace(wrong, column), "f.yaml", None)
        assert len(e.value.problems) == 1
    with pytest.raises(InputError):
        parse_framework(YAML.replace("    indicator: i\n", ""), "f.yaml", None)
