"""What each finding says, word for word, and its JSON: the sentences are the finder's output
a partnership reads, so each is written out here from the rules in docs/objectives.md."""

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
    sheet: str | None = None,
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
        "o.xlsx" if sheet else "o.csv",
        sheet,
        row,
    )


def test_an_overlap_of_three_partners_measured_two_ways() -> None:
    f = find(
        [
            obj(7, "icb", "Older people", "emergency-admissions", measure="per 100,000"),
            obj(2, "cc", "Older people", "Emergency admissions", measure="per 1,000 65+"),
            obj(
                9,
                "dc",
                "Older people",
                "Emergency Admissions",
                measure="per 1,000 65+",
                sheet="Plan",
            ),
        ]
    )
    (o,) = f.overlaps
    # partners by name; rows by partner; the outcome as the first of them writes it
    assert o.explanation == (
        "cc, dc and icb all aim to reduce 'Emergency admissions' for Older people: "
        "cc (o.csv row 2: 'objective 2', reduce); "
        "dc (o.xlsx sheet 'Plan' row 9: 'objective 9', reduce); "
        "icb (o.csv row 7: 'objective 7', reduce). "
        "They measure it differently (per 1,000 65+; per 100,000)."
    )
    assert o.recommendation == (
        "Streamline: agree one lead partner, one shared target and one plan for "
        "'Emergency admissions' for Older people, and pool the effort of cc, dc and icb. "
        "Agree one measure, so progress is counted once."
    )
    assert o.to_json() == {
        "kind": "overlap",
        "subtype": "same_direction",
        "customer_group": "Older people",
        "outcome": "Emergency admissions",
        "resource": None,
        "partners": ["cc", "dc", "icb"],
        "rows": [
            {"partner": "cc", "where": "o.csv row 2", "row": 2},
            {"partner": "dc", "where": "o.xlsx sheet 'Plan' row 9", "row": 9},
            {"partner": "icb", "where": "o.csv row 7", "row": 7},
        ],
        "explanation": o.explanation,
        "recommendation": o.recommendation,
    }


def test_an_overlap_of_two_partners_measured_alike() -> None:
    (o,) = find(
        [
            obj(3, "icb", "Carers", "Breaks", "increase"),
            obj(2, "cc", "Carers", "Breaks", "increase"),
        ]
    ).overlaps
    assert o.explanation == (
        "cc and icb all aim to increase 'Breaks' for Carers: "
        "cc (o.csv row 2: 'objective 2', increase); icb (o.csv row 3: 'objective 3', increase)."
    )
    assert o.recommendation == (
        "Streamline: agree one lead partner, one shared target and one plan for 'Breaks' for "
        "Carers, and pool the effort of cc and icb."
    )


def test_directions_in_conflict_in_words() -> None:
    f = find(
        [
            obj(2, "cc", "Older people", "Care home placements", "reduce"),
            obj(3, "icb", "Older people", "Care home placements", "increase"),
            obj(4, "dc", "Older people", "Care home placements", "reduce"),
            obj(5, "cc", "Children", "School attendance", "maintain"),
            obj(6, "dc", "Children", "School attendance", "increase"),
        ]
    )
    pull, opposite = f.conflicts
    # the sides in the order increase, reduce, maintain; "aim" for two partners, "aims" for one
    assert opposite.explanation == (
        "Opposite directions on 'Care home placements' for Older people: icb aims to increase "
        "it; cc and dc aim to reduce it. Rows: cc (o.csv row 2: 'objective 2', reduce); "
        "dc (o.csv row 4: 'objective 4', reduce); icb (o.csv row 3: 'objective 3', increase)."
    )
    assert opposite.recommendation == (
        "Align: cc, dc and icb agree which way 'Care home placements' should move for Older "
        "people, and revise the objectives that pull the other way."
    )
    assert (opposite.kind, opposite.subtype, opposite.partners) == (
        "conflict",
        "opposite",
        ("cc", "dc", "icb"),
    )
    assert (opposite.customer_group, opposite.outcome, opposite.resource) == (
        "Older people",
        "Care home placements",
        None,
    )
    assert pull.explanation == (
        "Different directions on 'School attendance' for Children: dc aims to increase it; "
        "cc aims to maintain it. Rows: cc (o.csv row 5: 'objective 5', maintain); "
        "dc (o.csv row 6: 'objective 6', increase)."
    )
    assert (pull.subtype, pull.partners) == ("pull", ("cc", "dc"))
    # cc and dc both reduce placements: that is also an overlap
    assert [(x.outcome, x.partners) for x in f.overlaps] == [("Care home placements", ("cc", "dc"))]


def test_a_resource_for_different_ends_in_words() -> None:
    f = find(
        [
            obj(2, "cc", "Older people", "Falls", resource="Reablement staff"),
            obj(3, "icb", "Older people", "Falls", resource="reablement  staff"),
            obj(4, "dc", "Older people", "Delayed discharges", resource="Reablement Staff"),
        ]
    )
    (c,) = f.conflicts
    assert c.explanation == (
        "cc, dc and icb draw on the same resource, 'Reablement staff', for different ends: "
        "cc for 'Falls' (Older people, o.csv row 2); "
        "dc for 'Delayed discharges' (Older people, o.csv row 4); "
        "icb for 'Falls' (Older people, o.csv row 3)."
    )
    assert c.recommendation == (
        "Align: cc, dc and icb agree how 'Reablement staff' is shared between these objectives "
        "(a joint plan, a pooled budget or an agreed order), before either target is committed."
    )
    assert (c.kind, c.subtype, c.customer_group, c.outcome, c.resource) == (
        "conflict",
        "same_resource",
        None,
        None,
        "Reablement staff",
    )
    (d,) = f.different_approaches
    # Falls (cc, icb) and Delayed discharges (dc): 2 outcomes among 3 partners
    assert d.explanation == (
        "3 partners serve Older people with 2 different outcomes: "
        "cc: reduce 'Falls' (o.csv row 2); dc: reduce 'Delayed discharges' (o.csv row 4); "
        "icb: reduce 'Falls' (o.csv row 3)."
    )
    assert d.recommendation == (
        "Align delivery for Older people: cc, dc and icb agree a shared set of outcomes and one "
        "way of working with this group (a single assessment, a lead professional, shared data)."
    )
    assert (d.kind, d.subtype, d.customer_group, d.outcome, d.resource) == (
        "different_approaches",
        "different_outcomes",
        "Older people",
        None,
        None,
    )


def test_different_approaches_list_a_partners_rows_together() -> None:
    (d,) = find(
        [
            obj(4, "police", "Families", "Domestic abuse incidents"),
            obj(3, "cc", "Families", "Youth offending"),
            obj(2, "cc", "Families", "School attendance", "increase"),
        ]
    ).different_approaches
    assert d.explanation == (
        "2 partners serve Families with 3 different outcomes: "
        "cc: increase 'School attendance' (o.csv row 2), reduce 'Youth offending' (o.csv row 3); "
        "police: reduce 'Domestic abuse incidents' (o.csv row 4)."
    )
    assert d.recommendation.startswith("Align delivery for Families: cc and police agree")


def test_the_findings_and_an_objective_in_json() -> None:
    cc = Objective(
        "cc",
        "Fewer falls",
        "Older people",
        "Falls",
        "reduce",
        "-10%",
        "rate",
        "Beds",
        "o.xlsx",
        "Plan",
        4,
    )
    assert cc.to_json() == {
        "partner": "cc",
        "objective": "Fewer falls",
        "customer_group": "Older people",
        "outcome": "Falls",
        "direction": "reduce",
        "target": "-10%",
        "measure": "rate",
        "resource": "Beds",
        "file": "o.xlsx",
        "sheet": "Plan",
        "row": 4,
    }
    assert cc.cite() == "cc (o.xlsx sheet 'Plan' row 4: 'Fewer falls', reduce)"
    f = find(
        [
            obj(2, "cc", "Carers", "Breaks", "increase"),
            obj(3, "icb", "Carers", "Breaks", "reduce"),
            obj(4, "dc", "Carers", "Isolation"),
        ]
    )
    data = f.to_json()
    assert list(data) == ["overlaps", "conflicts", "different_approaches"]
    assert data["overlaps"] == []
    assert [c["subtype"] for c in data["conflicts"]] == ["opposite"]
    assert [d["partners"] for d in data["different_approaches"]] == [["cc", "dc", "icb"]]
    assert [x.kind for x in f.all()] == ["conflict", "different_approaches"]


def test_objectives_and_findings_cannot_be_changed_once_made() -> None:
    # one finding's rows are the same objects as another's: none may change under the other
    import dataclasses

    import pytest

    o = obj(2, "cc", "Carers", "Breaks")
    (f,) = find([o, obj(3, "icb", "Carers", "Breaks")]).overlaps
    for thing, name in ((o, "row"), (f, "rows")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(thing, name, None)


def test_a_group_with_nothing_to_find_does_not_stop_the_search() -> None:
    # Carers (sorted first) has one direction, one outcome, one resource user: nothing;
    # the groups and resources after it still give their findings
    f = find(
        [
            obj(2, "cc", "Carers", "Breaks", resource="Beds"),
            obj(3, "icb", "Carers", "Breaks"),
            obj(4, "cc", "Older people", "Falls", "reduce", resource="Vans"),
            obj(5, "dc", "Older people", "falls", "increase"),
            obj(6, "icb", "Older people", "Admissions", resource="vans"),
        ]
    )
    assert [(c.subtype, c.outcome or c.resource) for c in f.conflicts] == [
        ("opposite", "Falls"),  # spelt as cc's row, the first, spells it
        ("same_resource", "Vans"),  # two partners are enough
    ]
    assert [d.customer_group for d in f.different_approaches] == ["Older people"]


def test_a_partners_rows_from_two_sheets_are_listed_sheet_by_sheet() -> None:
    (o,) = find(
        [
            obj(2, "cc", "Carers", "Breaks", sheet="Plan"),
            obj(9, "cc", "Carers", "Breaks", sheet="Aims"),
            obj(5, "icb", "Carers", "Breaks"),
        ]
    ).overlaps
    # sheet Aims before sheet Plan, though its row number is higher
    assert [o.row for o in o.rows] == [9, 2, 5]
