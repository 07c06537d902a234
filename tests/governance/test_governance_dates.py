"""The date rules at their boundaries: agreements ending, flows left uncovered, risk reviews."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from wholeplace.governance.checks import heat_map, warnings
from wholeplace.governance.model import Agreement, Board, DataFlow, Member, Register, Risk, band

AS_OF = date(2025, 4, 1)


def agreement(
    aid: str = "A",
    ends_in: int = 365,
    *,
    expires_in: int | None = None,
    uses: tuple[str, ...] = ("direct care",),
    flows: tuple[str, ...] = ("F1",),
    parties: tuple[str, ...] = ("icb", "cc"),
) -> Agreement:
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
        flows,
    )


FLOW = DataFlow("F1", "icb", "cc", ("NHS number",), "Direct-Care")


def kinds(reg: Register) -> list[tuple[str, str, int | None]]:
    return [(w.kind, w.subject, w.days) for w in warnings(reg, AS_OF)]


@pytest.mark.parametrize(
    ("ends_in", "expected"),
    [
        (-1, [("agreement_expired", "A", -1)]),  # ended yesterday
        (0, [("agreement_expiring", "A", 0)]),  # ends today: still in force, warned
        (89, [("agreement_expiring", "A", 89)]),
        (90, [("agreement_expiring", "A", 90)]),  # day 90 counts
        (91, []),
    ],
)
def test_expiry_boundaries(ends_in: int, expected: list) -> None:
    assert kinds(Register(agreements=[agreement(ends_in=ends_in)], data_flows=[FLOW])) == (
        expected + ([("flow_without_agreement", "F1", None)] if ends_in < 0 else [])
    )


def test_expires_date_wins_over_the_review_date_and_review_can_be_overdue() -> None:
    a = agreement(ends_in=-1, expires_in=200)  # review was yesterday, in force till day 200
    assert kinds(Register(agreements=[a])) == [("agreement_review_overdue", "A", -1)]
    a = agreement(ends_in=0, expires_in=200)  # review today: not overdue
    assert kinds(Register(agreements=[a])) == []
    a = agreement(ends_in=300, expires_in=90)  # ends on its expires date, in 90 days
    assert kinds(Register(agreements=[a])) == [("agreement_expiring", "A", 90)]


def test_flow_with_no_agreement_and_with_only_an_expired_one() -> None:
    (w,) = warnings(Register(data_flows=[FLOW]), AS_OF)
    assert w.kind == "flow_without_agreement" and "no agreement lists it" in w.message
    reg = Register(data_flows=[FLOW], agreements=[agreement(ends_in=-1)])
    w = warnings(reg, AS_OF)[1]
    assert w.kind == "flow_without_agreement"
    assert "its agreements have expired: A (ended 2025-03-31)" in w.message
    # an expired agreement and one in force: covered
    reg = Register(data_flows=[FLOW], agreements=[agreement("A", -1), agreement("B", 0)])
    assert [x.kind for x in warnings(reg, AS_OF)] == ["agreement_expired", "agreement_expiring"]


def test_purpose_and_parties_not_covered() -> None:
    reg = Register(data_flows=[FLOW], agreements=[agreement(uses=("research",))])
    assert kinds(reg) == [("purpose_not_covered", "F1", None)]
    # one agreement in force covering the use is enough
    reg = Register(
        data_flows=[FLOW],
        agreements=[agreement("A", uses=("research",)), agreement("B", uses=("direct care",))],
    )
    assert kinds(reg) == []
    reg = Register(data_flows=[FLOW], agreements=[agreement(parties=("icb", "dc"))])
    assert kinds(reg) == [("parties_not_covered", "F1", None)]


def test_a_board_without_a_chair() -> None:
    reg = Register(
        boards=[
            Board("b1", "Board one", (Member("A", "cc", "chair"),)),
            Board("b2", "Board two", (Member("B", "cc", "sro"), Member("C", "icb", "member"))),
        ]
    )
    assert kinds(reg) == [("board_without_chair", "b2", None)]


def risk(rid: str, review_in: int, li: int = 3, im: int = 4, rli: int = 2, rim: int = 4) -> Risk:
    return Risk(rid, "r", "owner", li, im, (), rli, rim, AS_OF + timedelta(days=review_in))


def test_risk_review_overdue_from_the_day_after() -> None:
    reg = Register(risks=[risk("yesterday", -1), risk("today", 0), risk("tomorrow", 1)])
    assert kinds(reg) == [("risk_review_overdue", "yesterday", -1)]


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (12, "high"),
        (15, "very high"),
        (25, "very high"),
    ],
)
def test_bands(score: int, expected: str) -> None:
    assert band(score) == expected


def test_scores_and_heat_map() -> None:
    r1, r2 = risk("R1", 10, 4, 4, 3, 3), risk("R2", 10, 3, 4, 3, 3)
    assert (r1.score, r1.band, r1.residual_score, r1.residual_band) == (
        16,
        "very high",
        9,
        "medium",
    )
    grid = heat_map([r1, r2])
    assert [c.impact for c in (row[0] for row in grid)] == [5, 4, 3, 2, 1]
    assert grid[1][3].risks == ("R1",) and grid[1][2].risks == ("R2",)  # impact 4, L 4 and 3
    residual = heat_map([r1, r2], residual=True)
    assert residual[2][2].risks == ("R1", "R2")  # both at L3 x I3 = 9
    assert sum(len(c.risks) for row in residual for c in row) == 2
