"""The scoring rule, disagreement and the plan's order, on answers worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from framework_helpers import answers

from wholeplace.framework.model import shipped
from wholeplace.framework.scoring import (
    PlanEntry,
    Score,
    disagreements,
    improvement_plan,
    pct_points,
    progress,
    score,
    score_of,
)

FW = shipped()
SW_DA = ("stewardship", "data")


def test_the_rule_met_two_partly_one_not_zero_not_applicable_left_out() -> None:
    # met 2 + partly 1 + not met 0, n/a left out: 3 points over 2 x 3 = 6
    s = score_of(
        answers([("a", "X", "met"), ("a", "Y", "partly"), ("a", "Z", "not_met"), ("a", "W", "n/a")])
    )
    assert (s.points, s.answered, s.out_of, s.not_applicable) == (3, 3, 6, 1)
    assert s.fraction == Fraction(1, 2)
    assert s.pct == Decimal("50.0")


def test_only_not_applicable_has_no_score() -> None:
    s = score_of(answers([("a", "X", "n/a")]))
    assert s.fraction is None and s.pct is None and s.not_applicable == 1


def test_percentages_round_half_up_from_the_exact_fraction() -> None:
    # one partly met and seven not met: 1/16 = 6.25 %, half-up 6.3 (half-even would say 6.2)
    rows = [("a", f"S{i}", "not_met") for i in range(7)] + [("a", "S7", "partly")]
    s = score_of(answers(rows))
    assert s.fraction == Fraction(1, 16)
    assert s.pct == Decimal("6.3")
    # 2 of 3 answers met = 4/6 = 66.666... %
    assert score_of(answers([("a", "X", "met"), ("a", "Y", "met"), ("a", "Z", "not_met")])).pct == (
        Decimal("66.7")
    )


def test_cell_partner_and_partnership_scores() -> None:
    given = answers(
        [
            # stewardship x data: vale met, met; icb partly, not met; police n/a, met
            ("vale", "SW-DA-1", "met"),
            ("vale", "SW-DA-2", "met"),
            ("icb", "SW-DA-1", "partly"),
            ("icb", "SW-DA-2", "not_met"),
            ("police", "SW-DA-1", "n/a"),
            ("police", "SW-DA-2", "met"),
            # performance x delivery: vale partly
            ("vale", "PF-DL-1", "partly"),
            # an answer to a statement not in the framework is ignored
            ("vale", "XX-XX-9", "met"),
        ]
    )
    s = score(FW, given, ["vale", "icb", "police", "dwp"])
    # pooled: 2 + 2 + 1 + 0 + 2 = 7 points over 2 x 5 answers counted = 10
    assert s.cells[SW_DA] == Score(7, 5, 1)
    assert s.cells[SW_DA].pct == Decimal("70.0")
    assert s.cells[("performance", "delivery")] == Score(1, 1, 0)
    assert s.cells[("transformation", "strategy")].fraction is None
    assert s.levels["stewardship"] == Score(7, 5, 1)
    assert s.dimensions["data"] == Score(7, 5, 1)
    assert s.overall == Score(8, 6, 1)
    assert s.overall.fraction == Fraction(8, 12)
    # each partner: vale 2+2 of 4 in the cell; 5 of 6 overall
    assert s.partners["vale"][SW_DA].fraction == Fraction(1)
    assert s.partner_overall["vale"].fraction == Fraction(5, 6)
    assert s.partner_overall["icb"].fraction == Fraction(1, 4)
    assert s.partner_overall["police"] == Score(2, 1, 1)
    assert s.partner_overall["dwp"] == Score()  # listed, no answers
    # against the partnership: vale's cell 100 % - 70 % = +30.0 points
    assert pct_points(s.partners["vale"][SW_DA], s.cells[SW_DA]) == Decimal("30.0")
    assert pct_points(s.partners["dwp"][SW_DA], s.cells[SW_DA]) is None
    assert s.by_statement["SW-DA-1"] == Score(3, 2, 1)


def test_disagreement_is_two_steps_and_ranked_by_pairs_then_level() -> None:
    given = answers(
        [
            # TR-ST-1: met, not met, not met -> 2 pairs two steps apart
            ("a", "TR-ST-1", "met"),
            ("b", "TR-ST-1", "not_met"),
            ("c", "TR-ST-1", "not_met"),
            # SW-ST-1: met, met, not met -> 2 pairs; a lower level, so first
            ("a", "SW-ST-1", "not_met"),
            ("b", "SW-ST-1", "met"),
            ("c", "SW-ST-1", "met"),
            # PF-DA-1: met, met, not met, not met -> 4 pairs: first of all
            ("a", "PF-DA-1", "met"),
            ("b", "PF-DA-1", "met"),
            ("c", "PF-DA-1", "not_met"),
            ("d", "PF-DA-1", "not_met"),
            # one step apart: not a disagreement
            ("a", "SW-DA-1", "met"),
            ("b", "SW-DA-1", "partly"),
            ("c", "SW-DA-2", "partly"),
            ("d", "SW-DA-2", "not_met"),
            # not applicable is left out, so no disagreement
            ("a", "SW-DA-3", "met"),
            ("b", "SW-DA-3", "n/a"),
            ("c", "SW-DA-3", "met"),
            # a single answer cannot disagree
            ("a", "SW-DA-4", "not_met"),
        ]
    )
    found = disagreements(FW, given)
    assert [(d.statement.id, d.pairs, d.spread) for d in found] == [
        ("PF-DA-1", 4, 2),
        ("SW-ST-1", 2, 2),
        ("TR-ST-1", 2, 2),
    ]
    assert found[1].met_by == ["b", "c"] and found[1].not_met_by == ["a"]
    assert disagreements(FW, []) == []
    # none: everyone agrees
    assert disagreements(FW, answers([("a", "SW-DA-1", "met"), ("b", "SW-DA-1", "met")])) == []


def test_the_plan_lists_the_lowest_level_first_then_the_biggest_gap() -> None:
    given = answers(
        [
            ("a", "TR-DL-1", "not_met"),  # transformation, 0 %
            ("a", "PF-ST-2", "partly"),  # performance, 50 %
            ("a", "SW-ST-3", "partly"),  # stewardship, 50 % ...
            ("b", "SW-ST-3", "met"),  # ... 3/4 with b's met
            ("a", "SW-DL-2", "not_met"),  # stewardship, 0 %
            ("a", "SW-DA-5", "met"),  # met by all who answered: not a gap
            ("b", "SW-DA-5", "n/a"),
        ]
    )
    entries = {"SW-ST-3": PlanEntry("SW-ST-3", "Treasurer", date(2026, 3, 31), "by March")}
    gaps = improvement_plan(FW, given, entries, {"SW-DA-1": "not met: no spend"})
    assert [g.statement.id for g in gaps] == ["SW-DL-2", "SW-ST-3", "SW-DA-1", "PF-ST-2", "TR-DL-1"]
    third = gaps[1]
    assert (third.owner, third.due, third.short) == (
        "Treasurer",
        date(2026, 3, 31),
        {"a": "partly"},
    )
    assert third.overdue(date(2026, 4, 1)) and not third.overdue(date(2026, 3, 31))
    assert gaps[2].evidence_says == "not met: no spend" and gaps[2].score.fraction is None


def test_progress_between_two_assessments() -> None:
    before = answers([("a", "SW-DA-1", "partly"), ("b", "SW-DA-1", "not_met")])
    after = answers([("a", "SW-DA-1", "met"), ("b", "SW-DA-1", "not_met"), ("b", "SW-DA-2", "met")])
    p = progress("2025", FW, before, "2026", FW, after)
    # 1/4 -> 4/6: 25 % -> 66.7 %, +41.7 points
    assert p.cell_change(SW_DA) == Decimal("41.7")
    assert [(c.partner, c.statement_id, c.before, c.after, c.direction) for c in p.changes] == [
        ("a", "SW-DA-1", "partly", "met", "better"),
        ("b", "SW-DA-2", None, "met", "changed"),
    ]
    # each assessment is scored on its own framework: a statement retired later drops out
    retired = FW.with_statements(
        [replace(s, retired=True) if s.id == "SW-DA-2" else s for s in FW.statements], 1
    )
    q = progress("2025", FW, before, "2026", retired, after)
    assert q.after.cells[SW_DA].fraction == Fraction(2, 4)


def test_the_export_lists_only_statements_as_shipped() -> None:
    from wholeplace.framework.exchange import export_json

    reworded = FW.with_statements(
        [replace(s, origin="edited") if s.id == "SW-DA-2" else s for s in FW.statements], 1
    )
    given = answers([("a", "SW-DA-1", "met"), ("a", "SW-DA-2", "not_met")])
    data = export_json(reworded, score(reworded, given), "2026-01", 1, 2)
    assert [s["id"] for s in data["statements"]] == ["SW-DA-1"]
    # the reworded statement's answer still counts in its cell: 2 of 4 points
    cell = next(c for c in data["cells"] if (c["level"], c["dimension"]) == SW_DA)
    assert (cell["points"], cell["out_of"], cell["pct"]) == (2, 4, "50.0")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_every_heat_map_band_has_readable_text() -> None:
    """WCAG 2.2 AA: text contrast at least 4.5:1 (the WCAG formula, worked here)."""
    from wholeplace.framework.report import BANDS, NO_ANSWERS

    for _name, fill, ink in [(b[1], b[2], b[3]) for b in BANDS] + [NO_ANSWERS]:
        hi, lo = sorted((_luminance(fill), _luminance(ink)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (fill, ink)


def test_bands_go_by_the_score_shown() -> None:
    from wholeplace.framework.report import band

    assert band(Score(3, 2))[0] == "strong"  # 3/4 = 75.0 %
    assert band(Score(5, 4))[0] == "developing"  # 5/8 = 62.5 %
    assert band(Score(1, 1))[0] == "developing"  # 1/2 = 50.0 %
    assert band(Score(1, 2))[0] == "weak"  # 1/4 = 25.0 %
    assert band(Score(1, 3))[0] == "very weak"  # 1/6 = 16.7 %
    assert band(Score(0, 1))[0] == "very weak"
    assert band(Score(0, 0, 2))[0] == "no answers"
