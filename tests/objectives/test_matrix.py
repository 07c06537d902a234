"""The partners x customer-groups matrix on a crafted case: every cell, the unmatched spend and
the totals worked out by hand."""

from __future__ import annotations

from decimal import Decimal as D

from wholeplace.objectives.findings import Objective
from wholeplace.objectives.matrix import SpendCell, build
from wholeplace.objectives.store import CustomerGroup, GroupIndex


def obj(row: int, partner: str, group: str, outcome: str, direction: str) -> Objective:
    return Objective(
        partner, f"o{row}", group, outcome, direction, None, "rate", None, "o.csv", None, row
    )


GROUPS = GroupIndex(
    [
        CustomerGroup("Older people", spend_labels=("Adults 65+",)),
        CustomerGroup("Children"),
        CustomerGroup("Carers"),
    ]
)
OBJECTIVES = [
    obj(2, "cc", "Older people", "Falls", "reduce"),
    obj(3, "cc", "Older people", "Loneliness", "reduce"),
    obj(4, "icb", "Children", "Obesity", "reduce"),
    obj(5, "dc", "Carers", "Breaks", "increase"),
]
SPEND = [
    SpendCell("cc", "adults 65+", D("100.50")),  # a spend label of Older people
    SpendCell("cc", "Older people", D("20.25")),
    SpendCell("icb", "Children", D("50.00")),
    SpendCell("icb", "Older People", D("30.00")),  # spend, but no objective for the group
    SpendCell("dc", "Prisoners", D("7.10")),  # no group answers to it
    SpendCell("dc", "Prisoners", D("2.90")),
    SpendCell("dc", "Zoo", D("1.00")),
]


def test_the_matrix_by_hand() -> None:
    m = build(OBJECTIVES, GROUPS, {"cc": "County Council"}, SPEND, "2024/25")
    assert m.partners == ["cc", "dc", "icb"]
    assert m.partner_names == {"cc": "County Council", "dc": "dc", "icb": "icb"}
    # every group of the place is a column, Carers too
    assert m.groups == ["Carers", "Children", "Older people"]
    # cc on Older people: 100.50 + 20.25 = 120.75
    assert m.cell("cc", "Older people").amount_gbp == D("120.75")
    assert m.cell("cc", "Older people").arrows() == "reduce Falls; reduce Loneliness"
    empty = m.cell("dc", "Children")
    assert (empty.objectives, empty.amount_gbp, empty.arrows()) == ([], None, "")
    # dc's Prisoners: 7.10 + 2.90 = 10.00, kept apart with Zoo
    assert m.unmatched == {"dc": {"Prisoners": D("10.00"), "Zoo": D("1.00")}}
    # 120.75 + 50.00 + 30.00 in cells, 10.00 + 1.00 unmatched: 211.75, every pound of SPEND
    assert m.spend_total() == D("211.75") == sum(s.amount_gbp for s in SPEND)
    assert m.money_without_objectives() == [("icb", "Older people", D("30.00"))]
    assert m.to_json() == {
        "spend_year": "2024/25",
        "partners": ["cc", "dc", "icb"],
        "customer_groups": ["Carers", "Children", "Older people"],
        "cells": [
            {
                "partner": "cc",
                "customer_group": "Older people",
                "objectives": [2, 3],
                "directions": ["reduce Falls", "reduce Loneliness"],
                "spend_gbp": "120.75",
            },
            {
                "partner": "dc",
                "customer_group": "Carers",
                "objectives": [5],
                "directions": ["increase Breaks"],
                "spend_gbp": None,
            },
            {
                "partner": "icb",
                "customer_group": "Children",
                "objectives": [4],
                "directions": ["reduce Obesity"],
                "spend_gbp": "50.00",
            },
            {
                "partner": "icb",
                "customer_group": "Older people",
                "objectives": [],
                "directions": [],
                "spend_gbp": "30.00",
            },
        ],
        "unmatched_spend": [
            {"partner": "dc", "label": "Prisoners", "spend_gbp": "10.00"},
            {"partner": "dc", "label": "Zoo", "spend_gbp": "1.00"},
        ],
    }


def test_without_spend_no_cell_has_money() -> None:
    m = build(OBJECTIVES, GROUPS, {})
    assert m.spend_year is None and m.unmatched == {}
    assert m.spend_total() == D("0.00") and m.money_without_objectives() == []
    # a group only an objective names is a column as well
    m = build([obj(6, "cc", "Rough sleepers", "Nights out", "reduce")], GroupIndex(), {})
    assert (m.partners, m.groups) == (["cc"], ["Rough sleepers"])


def test_a_spend_cell_cannot_be_changed_once_made() -> None:
    import dataclasses

    import pytest

    with pytest.raises(dataclasses.FrozenInstanceError):
        SPEND[0].amount_gbp = D("0.00")  # type: ignore[misc]


def test_spend_by_purpose_by_hand() -> None:
    """What the web page's answer is made of: with an objective, cc's 120.75 on Older people
    and icb's 50.00 on Children = 170.75; with none, icb's 30.00 on Older people; on no group
    of the place, dc's 10.00 + 1.00 = 11.00. 170.75 + 30.00 + 11.00 = 211.75, every pound."""
    m = build(OBJECTIVES, GROUPS, {}, SPEND, "2024/25")
    assert m.spend_by_purpose() == (D("170.75"), D("30.00"), D("11.00"))
    assert sum(m.spend_by_purpose(), D(0)) == m.spend_total() == D("211.75")
    assert build(OBJECTIVES, GROUPS, {}).spend_by_purpose() == (D("0.00"),) * 3
