"""The one rule for matching names; expected keys worked by hand from the rules in
``wholeplace.labels``' docstring."""

from __future__ import annotations

import pytest

from wholeplace.labels import header_key, match_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Adult Social Care", "adult social care"),
        ("  adult   social-care. ", "adult social care"),
        ("ADULT_SOCIAL_CARE", "adult social care"),
        ("Highways & Transport", "highways and transport"),
        ("A&E", "a and e"),
        ("Children's social care", "children s social care"),
        ("10.2 Old age", "10 2 old age"),
        ("Ynys Môn", "ynys mon"),
        ("Straße", "strasse"),
        ("Amount (£)", "amount"),
        ("x²", "x2"),
        ("Police\u00a0and\tcrime\ncommissioner", "police and crime commissioner"),
        ("", ""),
        ("  --  ", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_match_key(text: object, key: str) -> None:
    assert match_key(text) == key


def test_labels_a_person_calls_the_same_share_a_key() -> None:
    same = ["Fire & Rescue", "fire and rescue", "FIRE-AND-RESCUE", "Fire and Rescue."]
    assert {match_key(s) for s in same} == {"fire and rescue"}


def test_a_key_is_its_own_key() -> None:
    for s in ["Highways & Transport", "Ynys Môn", "10.2 Old age", "A&E"]:
        assert match_key(match_key(s)) == match_key(s)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (" Amount (GBP) ", "amount_gbp"),
        ("Amount (£)", "amount_gbp"),
        ("£m", "gbpm"),
        ("Partner ID", "partner_id"),
        ("population_served", "population_served"),
        ("Reporting-Group", "reporting_group"),
        ("R&D", "r_and_d"),
        ("", ""),
        (None, ""),
    ],
)
def test_header_key(text: object, key: str) -> None:
    assert header_key(text) == key


def test_in_words_turns_a_key_into_a_heading() -> None:
    from wholeplace.labels import in_words

    assert in_words("imd_decile") == "IMD decile"
    assert in_words("crime_rate") == "Crime rate"
    assert in_words("pv_costs") == "PV costs"
    assert in_words("population") == "Population"
    assert in_words("Under 5s") == "Under 5s"  # already words: unchanged
