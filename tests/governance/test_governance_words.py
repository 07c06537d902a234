"""What each warning says and its JSON, and the heat map's JSON, worked out by hand from the
date rules in docs/governance.md (as of 1 April 2025)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from wholeplace.governance.checks import heat_map, heat_map_json, warnings
from wholeplace.governance.model import Agreement, Board, DataFlow, Member, Register, Risk

AS_OF = date(2025, 4, 1)
FLOW = DataFlow("F1", "icb", "cc", ("NHS number",), "Direct-Care")


def agreement(
    aid: str = "A",
    ends_in: int = 365,
    *,
    expires_in: int | None = None,
    uses: tuple[str, ...] = ("direct care",),
    parties: tuple[str, ...] = ("icb", "cc"),
) -> Agreement:
    """Agreement ``aid`` listing flow F1, titled "Agreement A", reviewed ``ends_in`` days on."""
    return Agreement(
        aid,
        f"Agreement {aid}",
        parties,
        "purpose",
        uses,
        ("6(1)(e)",),
        (),
        False,
        ("x",),
        "6 years",
        "encrypted",
        AS_OF + timedelta(days=ends_in),
        None if expires_in is None else AS_OF + timedelta(days=expires_in),
        ("F1",),
    )


def risk(rid: str, review_in: int, li: int = 3, im: int = 4, rli: int = 2, rim: int = 4) -> Risk:
    return Risk(rid, "r", "owner", li, im, (), rli, rim, AS_OF + timedelta(days=review_in))


def said(reg: Register) -> list[tuple[str, str, str, str, int | None]]:
    return [(w.kind, w.subject, w.message, w.fix, w.days) for w in warnings(reg, AS_OF)]


RENEW = "renew it, or stop the data flows it covers"
BEFORE_IT_ENDS = "review and renew it before it ends"


def test_an_agreement_ended_or_ending_in_words() -> None:
    # 1 April less 3 days is 29 March; less 1 day, 31 March
    assert said(Register(agreements=[agreement(ends_in=-3)])) == [
        ("agreement_expired", "A", "Agreement A (A) expired on 2025-03-29, 3 days ago", RENEW, -3)
    ]
    assert said(Register(agreements=[agreement(ends_in=-1)]))[0][2] == (
        "Agreement A (A) expired on 2025-03-31, 1 day ago"
    )
    assert said(Register(agreements=[agreement(ends_in=0)])) == [
        ("agreement_expiring", "A", "Agreement A (A) ends on 2025-04-01, today", BEFORE_IT_ENDS, 0)
    ]
    assert said(Register(agreements=[agreement(ends_in=1)]))[0][2] == (
        "Agreement A (A) ends on 2025-04-02, in 1 day"
    )
    assert said(Register(agreements=[agreement(ends_in=30)]))[0][2] == (
        "Agreement A (A) ends on 2025-05-01, in 30 days"
    )


def test_a_review_overdue_in_words_and_not_after_the_agreement_ends() -> None:
    # reviewed due 27 March (5 days ago), in force until 200 days on
    assert said(Register(agreements=[agreement(ends_in=-5, expires_in=200)])) == [
        (
            "agreement_review_overdue",
            "A",
            "Agreement A (A) was due for review on 2025-03-27, 5 days ago",
            "review it and record the next review date",
            -5,
        )
    ]
    # ends today: still in force, so both the end and the late review are warned
    assert [w[0] for w in said(Register(agreements=[agreement(ends_in=-5, expires_in=0)]))] == [
        "agreement_expiring",
        "agreement_review_overdue",
    ]
    # ended yesterday: only that it expired
    assert [w[0] for w in said(Register(agreements=[agreement(ends_in=-5, expires_in=-1)]))] == [
        "agreement_expired"
    ]


COVER = "put an information-sharing agreement in place, or stop the flow"


def test_a_flow_without_an_agreement_in_words() -> None:
    assert said(Register(data_flows=[FLOW])) == [
        (
            "flow_without_agreement",
            "F1",
            "data flow F1 (icb to cc, for Direct-Care) has no agreement in force: "
            "no agreement lists it",
            COVER,
            None,
        )
    ]
    reg = Register(data_flows=[FLOW], agreements=[agreement("A", -1), agreement("B", -10)])
    # 1 April less 10 days is 22 March
    assert said(reg)[2][2] == (
        "data flow F1 (icb to cc, for Direct-Care) has no agreement in force: its agreements "
        "have expired: A (ended 2025-03-31), B (ended 2025-03-22)"
    )


USE = "add the use to the agreement (with its legal basis), or stop using the data for it"


def test_a_use_not_covered_in_words() -> None:
    reg = Register(data_flows=[FLOW], agreements=[agreement(uses=("research",))])
    assert said(reg) == [
        (
            "purpose_not_covered",
            "F1",
            "data flow F1 is used for 'Direct-Care', which its agreement A (uses: research) "
            "does not cover",
            USE,
            None,
        )
    ]
    reg = Register(
        data_flows=[FLOW],
        agreements=[agreement("A", uses=("research", "audit")), agreement("B", uses=("planning",))],
    )
    assert said(reg)[0][2] == (
        "data flow F1 is used for 'Direct-Care', which its agreements A (uses: research; audit), "
        "B (uses: planning) do not cover"
    )


def test_parties_must_be_in_one_agreement() -> None:
    expected = [
        (
            "parties_not_covered",
            "F1",
            "data flow F1 goes from icb to cc, but no agreement in force has both as parties",
            "add the missing partner to the agreement",
            None,
        )
    ]
    assert said(Register(data_flows=[FLOW], agreements=[agreement(parties=("icb", "dc"))])) == (
        expected
    )
    # icb in one agreement and cc in another: neither has both
    two = [agreement("A", parties=("icb", "dc")), agreement("B", parties=("cc", "dc"))]
    assert said(Register(data_flows=[FLOW], agreements=two)) == expected


def test_a_board_and_a_risk_in_words_and_json() -> None:
    reg = Register(
        boards=[Board("b2", "Board two", (Member("B", "cc", "sro"),))],
        risks=[risk("R", -2)],
        agreements=[agreement(ends_in=-1)],
    )
    ws = warnings(reg, AS_OF)
    # agreements first, then boards, then risks
    assert [w.to_json() for w in ws] == [
        {
            "kind": "agreement_expired",
            "subject": "A",
            "message": "Agreement A (A) expired on 2025-03-31, 1 day ago",
            "fix": RENEW,
            "days": -1,
        },
        {
            "kind": "board_without_chair",
            "subject": "b2",
            "message": "board Board two (b2) has no chair",
            "fix": "name its chair (role: chair)",
            "days": None,
        },
        {
            "kind": "risk_review_overdue",
            "subject": "R",
            # due 30 March
            "message": "risk R (r) was due for review on 2025-03-30, 2 days ago (owner: owner)",
            "fix": "review the risk, its score and mitigations, and set the next review date",
            "days": -2,
        },
    ]
    assert AS_OF - timedelta(days=2) == reg.risks[0].review_date


def test_the_heat_maps_in_json() -> None:
    # R1: likelihood 4 x impact 4 = 16, residual 3 x 3 = 9; R2: 3 x 4 = 12, residual 3 x 3
    r1, r2 = risk("R1", 10, 4, 4, 3, 3), risk("R2", 10, 3, 4, 3, 3)
    # the corners: likelihood 1 x impact 5 (top left), 5 x 1 (bottom right)
    r3, r4 = risk("R3", 10, 1, 5, 1, 1), risk("R4", 10, 5, 1, 1, 1)
    grid = heat_map([r1, r2, r3, r4])
    assert len(grid) == 5 and all(len(row) == 5 for row in grid)
    assert grid[0][0].risks == ("R3",) and grid[4][4].risks == ("R4",)
    assert heat_map_json(grid) == [
        {"likelihood": 1, "impact": 5, "score": 5, "band": "medium", "risks": ["R3"]},
        {"likelihood": 3, "impact": 4, "score": 12, "band": "high", "risks": ["R2"]},
        {"likelihood": 4, "impact": 4, "score": 16, "band": "very high", "risks": ["R1"]},
        {"likelihood": 5, "impact": 1, "score": 5, "band": "medium", "risks": ["R4"]},
    ]
    assert heat_map_json(heat_map([r1, r2, r3, r4], residual=True)) == [
        {"likelihood": 3, "impact": 3, "score": 9, "band": "medium", "risks": ["R1", "R2"]},
        {"likelihood": 1, "impact": 1, "score": 1, "band": "low", "risks": ["R3", "R4"]},
    ]


def test_a_warning_and_a_heat_cell_cannot_be_changed_once_made() -> None:
    # they are handed to the report, the workbook and the JSON alike
    (w,) = warnings(Register(data_flows=[FLOW]), AS_OF)
    cell = heat_map([risk("R", 10)])[0][0]
    for thing, name in ((w, "kind"), (cell, "risks")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(thing, name, None)


def test_every_flow_is_checked_after_one_without_an_agreement() -> None:
    f2 = DataFlow("F2", "icb", "police", ("NHS number",), "direct care")
    # F1 is listed by no agreement; F2 by A, whose parties leave out the police
    a = dataclasses.replace(agreement(), flows=("F2",))
    assert [
        (w.kind, w.subject)
        for w in warnings(Register(data_flows=[FLOW, f2], agreements=[a]), AS_OF)
    ] == [
        ("flow_without_agreement", "F1"),
        ("parties_not_covered", "F2"),
    ]


def test_one_agreement_with_both_parties_is_enough() -> None:
    # B leaves out cc, but A has both icb and cc: covered
    two = [agreement("A"), agreement("B", parties=("icb", "dc"))]
    assert said(Register(data_flows=[FLOW], agreements=two)) == []
