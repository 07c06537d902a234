"""The JSON the framework commands print, figure by figure, from answers scored by hand.

Every figure below is worked out in the comments from the rule (met 2, partly 1, not met 0,
n/a left out; points over 2 x answers counted; percentages half-up to one place), never read
back from the code.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest
from framework_helpers import answers

from wholeplace.framework.model import shipped
from wholeplace.framework.scoring import (
    Answer,
    AnswerChange,
    PlanEntry,
    Score,
    disagreements,
    improvement_plan,
    progress,
    score,
)

FW = shipped()
TEXT = {s.id: s.text for s in FW.statements}
GRID = [
    (lv, dm)
    for lv in ("stewardship", "performance", "transformation")
    for dm in ("strategy", "delivery", "data")
]


def js(points: int, answered: int, na: int, frac: str | None, pct: str | None) -> dict[str, Any]:
    """A score as the JSON spells it, every field written out by hand."""
    return {
        "points": points,
        "out_of": 2 * answered,
        "answered": answered,
        "not_applicable": na,
        "score": frac,
        "pct": pct,
    }


NONE = js(0, 0, 0, None, None)


def grid(**filled: dict[str, Any]) -> list[dict[str, Any]]:
    """The nine cells in the order the JSON lists them; ``filled`` by 'level_dimension'."""
    return [{"level": lv, "dimension": dm, **filled.get(f"{lv}_{dm}", NONE)} for lv, dm in GRID]


def test_a_score_in_json() -> None:
    # 7 points over 2 x 5 = 10: 7/10, 70.0 %
    assert Score(7, 5, 1).to_json() == js(7, 5, 1, "7/10", "70.0")
    # 8 over 12 is 2/3 in lowest terms; 66.666... half-up 66.7
    assert Score(8, 6).to_json() == js(8, 6, 0, "2/3", "66.7")
    # nothing scored but 0 points over 1 answer: 0/1, 0.0 %
    assert Score(0, 1).to_json() == js(0, 1, 0, "0/1", "0.0")
    # only not applicable: no score at all
    assert Score(0, 0, 2).to_json() == js(0, 0, 2, None, None)


def test_an_answer_in_json() -> None:
    at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    a = Answer("vale", "SW-DA-1", "partly", "minutes 12", "see note", at, "vale.xlsx")
    assert a.to_json() == {
        "partner": "vale",
        "statement_id": "SW-DA-1",
        "answer": "partly",
        "evidence": "minutes 12",
        "note": "see note",
        "answered_at": "2026-03-01T09:30:00+00:00",
        "source": "vale.xlsx",
    }
    assert Answer("icb", "PF-DL-1", "met").to_json()["answered_at"] is None


# after: a partly + met in stewardship x data, b n/a there, c met in performance x delivery
AFTER = [
    ("a", "SW-DA-1", "partly"),
    ("a", "SW-DA-2", "met"),
    ("b", "SW-DA-3", "n/a"),
    ("c", "PF-DL-1", "met"),
]
# before: a met and b not met, both in stewardship x data
BEFORE = [("a", "SW-DA-1", "met"), ("b", "SW-DA-1", "not_met")]


def test_every_score_of_an_assessment_in_json() -> None:
    data = score(FW, answers(AFTER)).to_json()
    # stewardship x data: 1 + 2 = 3 points over 2 x 2 = 4, b's n/a left out: 3/4, 75.0 %
    sw_da = js(3, 2, 1, "3/4", "75.0")
    # performance x delivery: 2 of 2: 1/1, 100.0 %
    pf_dl = js(2, 1, 0, "1/1", "100.0")
    assert data["cells"] == grid(stewardship_data=sw_da, performance_delivery=pf_dl)
    assert data["levels"] == {"stewardship": sw_da, "performance": pf_dl, "transformation": NONE}
    assert data["dimensions"] == {"strategy": NONE, "delivery": pf_dl, "data": sw_da}
    # overall: 5 points over 2 x 3 = 6: 5/6 = 83.333... %, 83.3
    assert data["overall"] == js(5, 3, 1, "5/6", "83.3")
    assert data["partners"] == {
        "a": {
            "overall": js(3, 2, 0, "3/4", "75.0"),
            "cells": grid(stewardship_data=js(3, 2, 0, "3/4", "75.0")),
        },
        "b": {
            "overall": js(0, 0, 1, None, None),
            "cells": grid(stewardship_data=js(0, 0, 1, None, None)),
        },
        "c": {"overall": pf_dl, "cells": grid(performance_delivery=pf_dl)},
    }


def test_progress_in_json() -> None:
    data = progress("2025", FW, answers(BEFORE), "2026", FW, answers(AFTER)).to_json()
    assert (data["before"], data["after"]) == ("2025", "2026")
    # overall: before 2 of 4 = 1/2 (50.0 %), after 5/6; 5/6 - 1/2 = 1/3: +33.3 points
    assert data["overall"] == {
        "before": js(2, 2, 0, "1/2", "50.0"),
        "after": js(5, 3, 1, "5/6", "83.3"),
        "change_pct_points": "33.3",
    }
    cells = {(c["level"], c["dimension"]): c for c in data["cells"]}
    assert [k for k in cells] == GRID
    # stewardship x data: 1/2 -> 3/4, +25.0 points
    assert cells[("stewardship", "data")] == {
        "level": "stewardship",
        "dimension": "data",
        "before": js(2, 2, 0, "1/2", "50.0"),
        "after": js(3, 2, 1, "3/4", "75.0"),
        "change_pct_points": "25.0",
    }
    # performance x delivery: nothing before, so no change to show
    assert cells[("performance", "delivery")]["before"] == NONE
    assert cells[("performance", "delivery")]["change_pct_points"] is None
    assert data["partners"] == {
        # a: met (2 of 2, 100.0 %) -> partly + met (3 of 4, 75.0 %): -25.0 points
        "a": {
            "before": js(2, 1, 0, "1/1", "100.0"),
            "after": js(3, 2, 0, "3/4", "75.0"),
            "change_pct_points": "-25.0",
        },
        # b: not met (0 of 2) -> only n/a: no score after, no change
        "b": {
            "before": js(0, 1, 0, "0/1", "0.0"),
            "after": js(0, 0, 1, None, None),
            "change_pct_points": None,
        },
        # c: not in the earlier assessment at all
        "c": {"before": NONE, "after": js(2, 1, 0, "1/1", "100.0"), "change_pct_points": None},
    }
    assert data["changes"] == [
        {
            "partner": "a",
            "statement_id": "SW-DA-1",
            "before": "met",
            "after": "partly",
            "direction": "worse",
        },
        {
            "partner": "a",
            "statement_id": "SW-DA-2",
            "before": None,
            "after": "met",
            "direction": "changed",
        },
        {
            "partner": "b",
            "statement_id": "SW-DA-1",
            "before": "not_met",
            "after": None,
            "direction": "changed",
        },
        {
            "partner": "b",
            "statement_id": "SW-DA-3",
            "before": None,
            "after": "n/a",
            "direction": "changed",
        },
        {
            "partner": "c",
            "statement_id": "PF-DL-1",
            "before": None,
            "after": "met",
            "direction": "changed",
        },
    ]


def test_the_direction_of_a_change() -> None:
    assert AnswerChange("a", "X", "not_met", "partly").direction == "better"
    assert AnswerChange("a", "X", "met", "not_met").direction == "worse"
    # the same points either side (only a direct construction can say so)
    assert AnswerChange("a", "X", "partly", "partly").direction == "same"
    # to or from not applicable has no direction on the scale
    assert AnswerChange("a", "X", "n/a", "met").direction == "changed"
    assert AnswerChange("a", "X", "met", "n/a").direction == "changed"


def test_a_disagreement_in_json() -> None:
    given = answers(
        [
            ("c", "PF-DA-1", "not_met"),
            ("a", "PF-DA-1", "met"),
            ("b", "PF-DA-1", "partly"),
            ("d", "PF-DA-1", "n/a"),
        ]
    )
    (d,) = disagreements(FW, given)
    # met 2 and not met 0: two steps apart, one pair (a, c); partly is one step from each
    assert d.to_json() == {
        "statement_id": "PF-DA-1",
        "level": "performance",
        "dimension": "data",
        "text": TEXT["PF-DA-1"],
        "spread": 2,
        "pairs": 1,
        "met_by": ["a"],
        "not_met_by": ["c"],
        "answers": {"a": "met", "b": "partly", "c": "not_met"},
    }
    # a partner's answers sorted by name; n/a left out
    assert list(d.answers) == ["a", "b", "c"]


def test_a_gap_in_json() -> None:
    given = answers(
        [("b", "SW-ST-3", "not_met"), ("a", "SW-ST-3", "partly"), ("c", "SW-ST-3", "met")]
    )
    entries = {"SW-ST-3": PlanEntry("SW-ST-3", "Treasurer", date(2026, 3, 31), "by March")}
    gaps = improvement_plan(FW, given, entries, {"TR-DL-1": "stale: checked 2024"})
    assert [g.to_json() for g in gaps] == [
        {
            "statement_id": "SW-ST-3",
            "level": "stewardship",
            "dimension": "strategy",
            "text": TEXT["SW-ST-3"],
            # 1 + 0 + 2 = 3 points over 2 x 3 = 6: 1/2, 50.0 %
            "score": js(3, 3, 0, "1/2", "50.0"),
            "short": {"a": "partly", "b": "not_met"},
            "owner": "Treasurer",
            "due": "2026-03-31",
            "note": "by March",
            "evidence_says": None,
        },
        {
            "statement_id": "TR-DL-1",
            "level": "transformation",
            "dimension": "delivery",
            "text": TEXT["TR-DL-1"],
            "score": NONE,
            "short": {},
            "owner": None,
            "due": None,
            "note": None,
            "evidence_says": "stale: checked 2024",
        },
    ]


def test_two_partners_are_enough_to_disagree() -> None:
    given = answers([("a", "SW-DA-1", "met"), ("b", "SW-DA-1", "not_met")])
    assert [(d.statement.id, d.pairs, d.spread) for d in disagreements(FW, given)] == [
        ("SW-DA-1", 1, 2)
    ]


def test_a_wider_spread_ranks_first_when_the_pairs_tie() -> None:
    # steps=0 lists every statement two partners scored; neither below has a pair two steps
    # apart, so the spread decides: SW-DA-2 (1 step) before SW-DA-1 (0 steps), though the
    # statement order alone would put SW-DA-1 first
    given = answers(
        [
            ("a", "SW-DA-1", "met"),
            ("b", "SW-DA-1", "met"),
            ("a", "SW-DA-2", "met"),
            ("b", "SW-DA-2", "partly"),
        ]
    )
    found = disagreements(FW, given, steps=0)
    assert [(d.statement.id, d.pairs, d.spread) for d in found] == [
        ("SW-DA-2", 0, 1),
        ("SW-DA-1", 0, 0),
    ]


def test_an_answer_made_without_a_source_has_none() -> None:
    assert Answer("a", "SW-DA-1", "met").to_json() == {
        "partner": "a",
        "statement_id": "SW-DA-1",
        "answer": "met",
        "evidence": None,
        "note": None,
        "answered_at": None,
        "source": "",
    }


def test_answers_scores_and_findings_cannot_be_changed_once_made() -> None:
    # value objects: shared between the scores, the plan and the reports, so frozen
    given = answers([("a", "SW-DA-1", "met"), ("b", "SW-DA-1", "not_met")])
    (d,) = disagreements(FW, given)
    (g,) = improvement_plan(FW, given, {})
    made = [
        Answer("a", "X", "met"),
        Score(1, 1),
        d,
        PlanEntry("X"),
        g,
        AnswerChange("a", "X", None, "met"),
    ]
    for thing in made:
        field = dataclasses.fields(thing)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(thing, field, None)
