"""The overlap and conflict finder on crafted cases: none, one of each, and all."""

from __future__ import annotations

from wholeplace.objectives.findings import Objective, find


def obj(
    row: int,
    partner: str,
    group: str,
    outcome: str,
    direction: str = "reduce",
    resource: str | None = None,
    measure: str = "rate",
) -> Objective:
    return Objective(
        partner,
        f"objective {row}",
        group,
        outcome,
        direction,
        None,
        measure,
        resource,
        "o.csv",
        None,
        row,
    )


def rows_of(f):  # the rows a finding names, as numbers
    return [o.row for o in f.rows]


def test_no_findings_when_partners_serve_different_groups() -> None:
    objectives = [
        obj(2, "cc", "Older people", "Falls"),
        obj(3, "icb", "Children", "Obesity", resource="School nurses"),
        obj(4, "dwp", "Working-age adults", "Employment", "increase", resource="Work coaches"),
        # one partner pulling against itself is not a finding between partners
        obj(5, "cc", "Older people", "Falls", "increase"),
        obj(6, "cc", "Older people", "Loneliness", resource="Work coaches x"),
    ]
    f = find(objectives)
    assert (f.overlaps, f.conflicts, f.different_approaches) == ([], [], [])


def test_empty_input_has_no_findings() -> None:
    assert find([]).all() == []


def test_overlap_names_the_rows_and_a_different_measure() -> None:
    f = find(
        [
            obj(2, "cc", "Older people", "Emergency admissions", measure="per 1,000 65+"),
            obj(7, "icb", "Older people", "emergency-admissions", measure="per 100,000"),
        ]
    )
    assert len(f.overlaps) == 1 and f.conflicts == [] and f.different_approaches == []
    o = f.overlaps[0]
    assert o.partners == ("cc", "icb") and rows_of(o) == [2, 7]
    assert "o.csv row 2" in o.explanation and "o.csv row 7" in o.explanation
    assert "measure it differently" in o.explanation
    assert o.recommendation.startswith("Streamline") and "Agree one measure" in o.recommendation


def test_opposite_directions_and_pull() -> None:
    f = find(
        [
            obj(2, "cc", "Older people", "Care home placements", "reduce"),
            obj(3, "icb", "Older people", "Care home placements", "increase"),
            obj(4, "cc", "Children", "School attendance", "maintain"),
            obj(5, "dc", "Children", "School attendance", "increase"),
        ]
    )
    kinds = [(c.subtype, c.customer_group, rows_of(c)) for c in f.conflicts]
    assert kinds == [("pull", "Children", [4, 5]), ("opposite", "Older people", [2, 3])]
    assert "cc aims to reduce it" in f.conflicts[1].explanation
    assert "icb aims to increase it" in f.conflicts[1].explanation
    assert f.overlaps == [] and f.different_approaches == []


def test_resource_conflict_only_for_different_ends() -> None:
    same_end = [
        obj(2, "cc", "Older people", "Falls", resource="Reablement staff"),
        obj(3, "icb", "Older people", "Falls", resource="reablement  staff"),
    ]
    assert find(same_end).conflicts == []  # the same end: an overlap, not competition
    f = find(
        [
            *same_end,
            obj(4, "dc", "Older people", "Delayed discharges", resource="Reablement Staff"),
        ]
    )
    (c,) = [c for c in f.conflicts if c.subtype == "same_resource"]
    assert c.partners == ("cc", "dc", "icb") and rows_of(c) == [2, 4, 3]
    assert c.resource == "Reablement staff"


def test_different_approaches_to_one_group() -> None:
    f = find(
        [
            obj(2, "cc", "Families", "School attendance", "increase"),
            obj(3, "police", "Families", "Domestic abuse incidents"),
            obj(4, "dwp", "Families", "Workless households"),
        ]
    )
    (d,) = f.different_approaches
    assert d.partners == ("cc", "dwp", "police") and rows_of(d) == [2, 4, 3]
    assert "3 partners serve Families with 3 different outcomes" in d.explanation
    assert f.overlaps == [] and f.conflicts == []


def test_all_kinds_at_once_every_row_in_a_finding() -> None:
    """Every row is behind an overlap, a conflict and a different approach."""
    objectives = [
        obj(2, "cc", "Older people", "Admissions", "reduce", resource="Beds"),
        obj(3, "icb", "Older people", "Admissions", "reduce", resource="Beds"),
        obj(4, "dc", "Older people", "Admissions", "increase", resource="Beds"),
        obj(5, "dc", "Older people", "Housing adaptations", "increase", resource="Beds"),
        obj(6, "police", "Older people", "Housing adaptations", "increase"),
    ]
    f = find(objectives)
    assert [(x.outcome, x.partners) for x in f.overlaps] == [
        ("Admissions", ("cc", "icb")),
        ("Housing adaptations", ("dc", "police")),
    ]
    assert [x.subtype for x in f.conflicts] == ["opposite", "same_resource"]
    assert rows_of(f.conflicts[0]) == [2, 4, 3]  # the Admissions rows
    # Beds: rows 2 and 3 (cc, icb) are for Admissions, dc's row 5 for adaptations, so they
    # compete; dc's row 4 is for Admissions like cc's and icb's, so it competes with no one.
    assert rows_of(f.conflicts[1]) == [2, 5, 3]
    (d,) = f.different_approaches
    assert rows_of(d) == [2, 4, 5, 3, 6]
    behind = {o.row for x in f.all() for o in x.rows}
    assert behind == {2, 3, 4, 5, 6}
