"""Comparing places: an anonymised export of one assessment's scores, and the comparison
of this place's scores with other places' exports.

The export holds scores only: per cell and overall (points and out of), per shipped
statement, the number of partners and answers, the framework version and the month of
the assessment. No place or partner names, no evidence, no notes; statements a place added
itself are left out, since their text could name it, and so are shipped statements it has
reworded, since their scores no longer answer the same question.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from wholeplace.errors import Problems
from wholeplace.framework.model import DIMENSIONS, LEVELS, Framework
from wholeplace.framework.scoring import CELLS, Cell, Score, Scores
from wholeplace.money import round_half_up

FORMAT = "wholeplace-framework-results"
FORMAT_VERSION = 1
MAX_BYTES = 1 << 20


def export_json(
    fw: Framework, scores: Scores, month: str, partners: int, answers: int
) -> dict[str, Any]:
    """The anonymised results of one assessment."""

    def pts(s: Score) -> dict[str, Any]:
        return {
            "points": s.points,
            "out_of": s.out_of,
            "pct": None if s.pct is None else str(s.pct),
        }

    shipped_ids = {s.id for s in fw.active if s.origin == "shipped"}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "framework": {"id": fw.id, "edition": fw.edition, "version": fw.version},
        "assessed": month,
        "partners": partners,
        "answers": answers,
        "cells": [
            {"level": lv, "dimension": dm, **pts(scores.cells[(lv, dm)])} for lv, dm in CELLS
        ],
        "overall": pts(scores.overall),
        "statements": [
            {"id": sid, **pts(sc)}
            for sid, sc in scores.by_statement.items()
            if sid in shipped_ids and sc.answered
        ],
    }


@dataclass(frozen=True)
class OtherPlace:
    label: str  # A, B, C... in the order given
    file: str
    framework: str
    assessed: str
    cells: dict[Cell, Score]
    overall: Score


def read_export(path: Path, label: str) -> OtherPlace:
    """Another place's export, checked (every problem listed, as for any input)."""
    p = Problems(path.name)
    if not path.is_file():
        p.add(None, None, str(path), "file not found", "check the path")
        raise p.error()
    if path.stat().st_size > MAX_BYTES:
        p.add(None, None, path.stat().st_size, "too large for an export", "give the exported JSON")
        raise p.error()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        p.add(
            getattr(exc, "lineno", None),
            None,
            None,
            f"not JSON ({exc})",
            "give the file `wholeplace framework export` wrote",
        )
        raise p.error() from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        p.add(
            None,
            "format",
            None if not isinstance(data, dict) else data.get("format"),
            "not a wholeplace framework export",
            "give the file `wholeplace framework export` wrote",
        )
        raise p.error()
    if data.get("format_version") != FORMAT_VERSION:
        p.add(
            None,
            "format_version",
            data.get("format_version"),
            "unknown format version",
            f"export it again with a wholeplace that writes version {FORMAT_VERSION}",
        )
    cells: dict[Cell, Score] = {}
    raw_cells = data.get("cells")
    if not isinstance(raw_cells, list):
        p.add(None, "cells", None, "missing", "export it again")
        raw_cells = []
    for i, c in enumerate(raw_cells):
        where = f"cells[{i}]"
        if not isinstance(c, dict):
            p.add(None, where, c, "not an object", "export it again")
            continue
        key = (c.get("level"), c.get("dimension"))
        if key[0] not in LEVELS or key[1] not in DIMENSIONS:
            p.add(None, where, f"{key[0]} x {key[1]}", "unknown cell", "export it again")
            continue
        s = _score(c, where, p)
        if s is not None:
            cells[(str(key[0]), str(key[1]))] = s
    missing = [f"{lv} x {dm}" for lv, dm in CELLS if (lv, dm) not in cells]
    if raw_cells and missing and len(p) == 0:
        p.add(None, "cells", ", ".join(missing), "cells missing", "export it again")
    overall = _score(data.get("overall"), "overall", p)
    p.raise_if_any()
    assert overall is not None
    fw = data.get("framework")
    if not isinstance(fw, dict):
        fw = {}
    return OtherPlace(
        label, path.name, str(fw.get("version", "")), str(data.get("assessed", "")), cells, overall
    )


def _score(c: object, where: str, p: Problems) -> Score | None:
    if not isinstance(c, dict):
        p.add(None, where, None, "missing", "export it again")
        return None
    points, out_of = c.get("points"), c.get("out_of")
    ok = (
        isinstance(points, int)
        and isinstance(out_of, int)
        and not isinstance(points, bool)
        and not isinstance(out_of, bool)
        and 0 <= points <= out_of
        and out_of % 2 == 0
    )
    if not ok:
        p.add(
            None,
            f"{where}.points",
            f"{points}/{out_of}",
            "not a score (whole points from 0 to out_of, out_of even)",
            "export it again",
        )
        return None
    assert isinstance(points, int) and isinstance(out_of, int)
    return Score(points, out_of // 2)


@dataclass(frozen=True)
class CellComparison:
    level: str
    dimension: str
    ours: Score
    others: dict[str, Score]  # label -> score

    @property
    def median(self) -> Fraction | None:
        vals = sorted(f for s in self.others.values() if (f := s.fraction) is not None)
        if not vals:
            return None
        mid = len(vals) // 2
        return vals[mid] if len(vals) % 2 else (vals[mid - 1] + vals[mid]) / 2

    @property
    def rank(self) -> int | None:
        """1 + the number of places scoring more than this one; None if it has no score."""
        mine = self.ours.fraction
        if mine is None:
            return None
        return 1 + sum(
            1 for s in self.others.values() if (f := s.fraction) is not None and f > mine
        )

    @property
    def places(self) -> int:
        return 1 + sum(1 for s in self.others.values() if s.fraction is not None)

    def to_json(self) -> dict[str, Any]:
        m = self.median
        return {
            "level": self.level,
            "dimension": self.dimension,
            "ours_pct": _pct(self.ours.fraction),
            "others_pct": {k: _pct(v.fraction) for k, v in self.others.items()},
            "median_pct": _pct(m),
            "rank": self.rank,
            "of": self.places,
        }


def _pct(f: Fraction | None) -> str | None:
    return None if f is None else str(round_half_up(f * 100, 1))


@dataclass(frozen=True)
class Comparison:
    others: list[OtherPlace]
    cells: list[CellComparison]
    overall: CellComparison

    def to_json(self) -> dict[str, Any]:
        return {
            "places": [
                {"label": o.label, "file": o.file, "framework": o.framework, "assessed": o.assessed}
                for o in self.others
            ],
            "cells": [c.to_json() for c in self.cells],
            "overall": self.overall.to_json(),
        }


def labels(n: int) -> list[str]:
    """``A``, ``B``, ... ``Z``, ``AA``, ``AB``..."""
    out = []
    for i in range(n):
        s, k = "", i
        while True:
            s = chr(65 + k % 26) + s
            k = k // 26 - 1
            if k < 0:
                break
        out.append(s)
    return out


def compare(scores: Scores, others: Sequence[OtherPlace]) -> Comparison:
    cells = [
        CellComparison(lv, dm, scores.cells[(lv, dm)], {o.label: o.cells[(lv, dm)] for o in others})
        for lv, dm in CELLS
    ]
    overall = CellComparison("all", "all", scores.overall, {o.label: o.overall for o in others})
    return Comparison(list(others), cells, overall)


def pct_text(f: Fraction | None) -> str:
    return "" if f is None else f"{round_half_up(f * 100, 1)}%"
