"""The one rule for matching names; expected keys worked by hand from the rules in
``wholeplace.labels``' docstring."""

from __future__ import annotations

from pathlib import Path

import pytest

from wholeplace.labels import detail_text, header_key, match_key
from wholeplace.workspace import Workspace


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


def test_detail_text_reads_as_words() -> None:
    detail = {
        "year": "2024-25",
        "partners_added": 2,
        "total_gbp": "1670750000.75",
        "authorities": ["E1", "E2"],
        "replaced": {},
        "forecast": False,
        "by": {"partner_id": "cc"},
    }
    assert detail_text(detail) == (
        "year 2024-25; partners added 2; total (£) 1670750000.75; authorities E1, E2; "
        "replaced (); forecast no; by (partner id cc)"
    )


def test_the_audit_log_shows_details_in_words(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from wholeplace.cli import app

    place = tmp_path / "p"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(place), "--name", "Shire"]).exit_code == 0
    with Workspace.open(place) as ws, ws.write("spend import", detail={"partner_years": 5}):
        pass
    out = runner.invoke(app, ["log", "-w", str(place)], env={"COLUMNS": "200"}).output
    assert "partner years 5" in out
    assert "partner_years=5" not in out and "{" not in out


def test_in_words_turns_a_key_into_a_heading() -> None:
    from wholeplace.labels import in_words

    assert in_words("imd_decile") == "IMD decile"
    assert in_words("crime_rate") == "Crime rate"
    assert in_words("pv_costs") == "PV costs"
    assert in_words("population") == "Population"
    assert in_words("Under 5s") == "Under 5s"  # already words: unchanged
    assert in_words("total_gbp") == "Total (£)"
    assert in_words("partner_years", capital=False) == "partner years"
