"""The framework as data: the shipped file is whole, and a bad file is refused with every
problem listed."""

from __future__ import annotations

import re

import pytest

from wholeplace.errors import InputError
from wholeplace.framework.model import (
    CHECKS,
    DIMENSION_CODES,
    DIMENSIONS,
    LEVEL_CODES,
    LEVELS,
    Framework,
    check_cells,
    parse_answer,
    parse_framework,
    shipped,
)


def test_every_cell_has_four_to_six_statements() -> None:
    fw = shipped()
    for level in LEVELS:
        for dimension in DIMENSIONS:
            n = len(fw.in_cell(level, dimension))
            assert 4 <= n <= 6, (level, dimension, n)
    assert check_cells(fw) == []
    assert len(fw.statements) == 45


def test_every_statement_has_text_questions_and_evidence() -> None:
    for s in shipped().statements:
        assert len(s.text) > 40, s.id
        assert s.questions and all(q.strip().endswith("?") for q in s.questions), s.id
        assert s.evidence and all(e.strip() for e in s.evidence), s.id
        assert not s.retired and s.origin == "shipped"


def test_ids_are_unique_and_name_their_cell() -> None:
    fw = shipped()
    ids = [s.id for s in fw.statements]
    assert len(ids) == len(set(ids))
    for s in fw.statements:
        assert re.fullmatch(r"[A-Z]{2}-[A-Z]{2}-[1-9]", s.id)
        assert s.id.startswith(f"{LEVEL_CODES[s.level]}-{DIMENSION_CODES[s.dimension]}-")


def test_source_edition_and_the_checks_the_place_can_make() -> None:
    fw = shipped()
    assert fw.version == "alps-2015/1"
    assert fw.source.publisher.startswith("CIPFA")
    assert "Aligning local public services" in fw.source.title
    assert fw.source.year == 2015
    assert fw.level_names == {
        "stewardship": "Securing stewardship",
        "performance": "Supporting performance",
        "transformation": "Enabling transformation",
    }
    assert list(fw.dimension_names.values()) == ["Strategy", "Delivery", "Data"]
    checks = {s.check: s.id for s in fw.statements if s.check}
    assert checks == {
        "consolidated_return": "SW-DA-1",
        "spend_by_need": "TR-DA-1",
        "joint_appraisal": "PF-ST-4",
        "outcomes_scorecard": "PF-ST-1",
        "sharing_agreement": "SW-DL-1",
        "information_sharing": "SW-DA-2",
    }
    assert set(checks) == set(CHECKS)


def test_the_framework_survives_its_own_json() -> None:
    fw = shipped()
    assert Framework.from_json(fw.to_json()) == fw


BAD = """
id: test
title: Test
edition: "1"
source: {title: T, publisher: P, year: 2015, url: "https://example.org"}
levels: [{key: stewardship, name: S}, {key: performance, name: P}, {key: transformation, name: T}]
dimensions: [{key: strategy, name: S}, {key: delivery, name: D}, {key: data, name: A}]
statements:
  - {id: SW-DA-1, level: stewardship, dimension: data, text: One, questions: ["Q?"], evidence: [E]}
  - {id: SW-DA-1, level: stewardship, dimension: data, text: Two, questions: ["Q?"], evidence: [E]}
  - {id: SW-DA-2, level: stewardship, dimension: data, text: Three, evidence: [E]}
  - {id: SW-DA-3, level: stewards, dimension: data, text: Four, questions: ["Q?"], evidence: []}
  - {id: PF-DA-1, level: stewardship, dimension: data, text: Five, questions: ["Q?"], evidence: [E]}
  - {id: SW-DA-4, level: stewardship, dimension: data, text: Six, questions: ["Q?"], evidence: [E],
     check: magic}
"""


def test_a_bad_framework_file_lists_every_problem() -> None:
    with pytest.raises(InputError) as e:
        parse_framework(BAD, "bad.yaml")
    got = {(p.column, p.message) for p in e.value.problems}
    assert got == {
        ("statements[2].id", "duplicate statement id"),
        ("statements[3].questions", "a statement needs at least one question"),
        ("statements[4].level", "unknown level"),
        ("statements[4].evidence", "a statement needs the evidence that would show it is met"),
        ("statements[5].id", "the id does not name its cell"),
        ("statements[6].check", "unknown check"),
    }
    assert all(p.file == "bad.yaml" for p in e.value.problems)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("met", "met"),
        ("Met", "met"),
        ("partly met", "partly"),
        ("Partly", "partly"),
        ("PARTIALLY MET", "partly"),
        ("not met", "not_met"),
        ("Not-met", "not_met"),
        ("not applicable", "n/a"),
        ("N/A", "n/a"),
        ("n.a.", "n/a"),
        ("maybe", None),
        ("", None),
        (None, None),
    ],
)
def test_answers_are_read_leniently(text: str | None, code: str | None) -> None:
    assert parse_answer(text) == code
