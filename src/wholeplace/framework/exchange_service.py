"""Exchange with other places: this place's scores exported, anonymised, and compared with
other places' exports, for every front end (:mod:`wholeplace.framework.service` has the rest).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wholeplace.errors import InputError, Problem
from wholeplace.framework import store
from wholeplace.framework.exchange import Comparison, export_json, labels, read_export
from wholeplace.framework.exchange import compare as compare_scores
from wholeplace.framework.service import scores
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.workspace import Workspace


@dataclass(frozen=True)
class ExportResult:
    out: Path
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"out": str(self.out), **self.data}


def export(ws: Workspace, out: Path, assessment_name: str | None = None) -> ExportResult:
    """Write this place's scores, anonymised, for other places to compare with."""
    import json

    r = scores(ws, assessment_name)
    answered = store.answers(ws, r.assessment.name)
    data = export_json(
        r.assessment.framework,
        r.scores,
        r.assessment.started_at.strftime("%Y-%m"),
        len({a.partner for a in answered}),
        len(answered),
    )
    write_text_atomic(out, json.dumps(data, indent=2) + "\n")
    return ExportResult(Path(out), data)


@dataclass(frozen=True)
class CompareResult:
    assessment: str
    comparison: Comparison

    def to_json(self) -> dict[str, Any]:
        return {"assessment": self.assessment, **self.comparison.to_json()}


def compare(
    ws: Workspace, files: Sequence[Path], assessment_name: str | None = None
) -> CompareResult:
    """This place's scores beside other places' exports (labelled A, B, ... in order)."""
    problems: list[Problem] = []
    others = []
    for label, f in zip(labels(len(files)), files, strict=True):
        try:
            others.append(read_export(Path(f), label))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    r = scores(ws, assessment_name)
    return CompareResult(r.assessment.name, compare_scores(r.scores, others))
