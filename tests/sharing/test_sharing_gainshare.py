"""Gain-share rules, transfers, positions and warnings."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wholeplace.errors import InputError
from wholeplace.sharing.gain_sharing import (
    Agreement,
    PartnerFlows,
    Rule,
    compute_gainshare,
    from_agency_matrix,
    parse_agreement,
    present_value,
)

D = Decimal


def agreement(rule: Rule, partners=None, years=("y1", "y2"), **kw) -> Agreement:
    partners = partners or [
        PartnerFlows("a", "A", [D(100), D(0)], [D(0), D(50)]),
        PartnerFlows("b", "B", [D(0), D(0)], [D(0), D(150)]),
    ]
    return Agreement("test", list(years), partners, rule, **kw)


def after(result) -> dict[str, Decimal]:
    return {o.id: o.after.undiscounted for o in result.outcomes}


def test_proportional_to_investment():
    r = compute_gainshare(agreement(Rule("proportional_to_investment")))
    # Only A invested: A gets the whole net benefit (200 - 100 = 100).
    assert after(r) == {"a": D(100), "b": D(0)}
    assert r.outcome("b").transfer_by_year == [D(0), D(-150)]


def test_equal():
    r = compute_gainshare(agreement(Rule("equal")))
    assert after(r) == {"a": D(50), "b": D(50)}
    # Year 1: the -100 investment is shared, so B pays A 50 up front.
    assert r.outcome("b").transfer_by_year == [D(-50), D(-50)]
    assert [(p.payer, p.receiver, p.amount) for p in r.payments] == [
        ("b", "a", D(50)),
        ("b", "a", D(50)),
    ]


def test_fixed():
    r = compute_gainshare(agreement(Rule("fixed", {"a": D("0.7"), "b": D("0.3")})))
    assert after(r) == {"a": D(70), "b": D(30)}


def test_proportional_to_benefit():
    r = compute_gainshare(agreement(Rule("proportional_to_benefit")))
    # Benefits 50 : 150, so net 100 is split 25 : 75.
    assert after(r) == {"a": D(25), "b": D(75)}


def test_recover_outlay_first_then_equal():
    r = compute_gainshare(agreement(Rule("recover_outlay_first", then=Rule("equal"))))
    # Year 2's 200 of benefits: 100 repays A's outlay, the other 100 is split 50/50.
    assert r.outcome("a").after_by_year == [D(-100), D(150)]
    assert after(r) == {"a": D(50), "b": D(50)}


def test_recover_outlay_first_shortfall_falls_on_investors_only():
    partners = [
        PartnerFlows("a", "A", [D(300), D(0)], [D(0), D(0)]),
        PartnerFlows("b", "B", [D(100), D(0)], [D(0), D(0)]),
        PartnerFlows("c", "C", [D(0), D(0)], [D(0), D(200)]),
    ]
    r = compute_gainshare(agreement(Rule("recover_outlay_first"), partners))
    # 200 repays 3:1 of the 400 outlay; C, who invested nothing, keeps nothing and loses nothing.
    assert after(r) == {"a": D(-150), "b": D(-50), "c": D(0)}
    assert any("does not pay back" in w for w in r.warnings)
    assert any("A ends" in w and "worse off than not joining" in w for w in r.warnings)


def test_shapley_rule_matches_hand_computed_game():
    # Essential investor A; v(A) = 0, v(A,B) = 200 - 100 = 100 = v(N); so A and B split 50/50.
    r = compute_gainshare(agreement(Rule("shapley")))
    assert r.shapley is not None and r.shapley.method == "exact"
    assert after(r) == {"a": D(50), "b": D(50)}


def test_discounting_green_book_year_zero():
    assert present_value([D(100), D("103.5")], D("0.035")) == D(200)
    r = compute_gainshare(agreement(Rule("equal"), discount_rate=D("0.10")))
    # Joint net is -100 then +200; each partner gets half of each year.
    assert r.outcome("a").after_by_year == [D(-50), D(100)]
    assert r.outcome("a").after.discounted == D("40.91")  # -50 + 100/1.1


def test_risk_concentration_warning():
    r = compute_gainshare(agreement(Rule("proportional_to_investment")))
    assert any("carries 100% of the money at risk" in w for w in r.warnings)
    r = compute_gainshare(agreement(Rule("equal")))
    assert not any("money at risk" in w for w in r.warnings)


flows = st.lists(st.decimals(min_value=0, max_value=10**6, places=2), min_size=3, max_size=3)


@settings(max_examples=80, deadline=None)
@given(
    costs=st.lists(flows, min_size=2, max_size=4),
    benefits=st.lists(flows, min_size=2, max_size=4),
    kind=st.sampled_from(
        [
            "proportional_to_investment",
            "equal",
            "proportional_to_benefit",
            "shapley",
            "recover_outlay_first",
        ]
    ),
)
def test_transfers_sum_to_zero_every_year(costs, benefits, kind):
    n = min(len(costs), len(benefits))
    partners = [
        PartnerFlows(
            f"p{i}", f"P{i}", [costs[i][y] for y in range(3)], [benefits[i][y] for y in range(3)]
        )
        for i in range(n)
    ]
    rule = Rule(kind, then=Rule("equal") if kind == "recover_outlay_first" else None)
    r = compute_gainshare(agreement(rule, partners, years=("y1", "y2", "y3")))
    for y in range(3):
        assert sum(o.transfer_by_year[y] for o in r.outcomes) == 0
        paid = sum(p.amount for p in r.payments if p.year == f"y{y + 1}")
        assert paid == sum(o.transfer_by_year[y] for o in r.outcomes if o.transfer_by_year[y] > 0)
    joint = sum(sum(p.benefits) - sum(p.costs) for p in partners)
    assert sum(o.after.undiscounted for o in r.outcomes) == joint


def test_agency_matrix_adapter_by_year_and_present_values_refused():
    years, ps = from_agency_matrix({"la": {"costs": [10, 5]}, "dwp": {"benefits": ["30.5"]}})
    assert years == ["year 1", "year 2"]
    assert ps[1].benefits == [D("30.50"), D(0)] and ps[1].costs == [D(0), D(0)]
    assert ps[1].cashable is None and ps[1].cashable_by_year() == ps[1].benefits
    # Present values alone used to become one "present value" period discounted at 0 %;
    # they cannot agree with the appraisal, so they are refused with the fix.
    cba_json = {
        "by_agency": {
            "DWP": {
                "pv_costs": "0.00",
                "pv_fiscal": "207683.84",
                "pv_fiscal_cashable": "103841.92",
            },
            "Local Authority": {"pv_costs": "208224.64", "pv_fiscal_cashable": "0.00"},
        }
    }
    with pytest.raises(InputError) as e:
        parse_agreement({"agency_matrix": cba_json, "rule": "equal"})
    assert "year by year" in str(e.value) and "cba run FILE --json" in str(e.value)


def test_agreement_from_json_file(tmp_path):
    from wholeplace.sharing.gain_sharing import load_agreement

    f = tmp_path / "cba.json"
    f.write_text(
        json.dumps({"la": {"costs": [100, 0], "benefits": [0, 0]}, "nhs": {"benefits": [0, 300]}})
    )
    r = compute_gainshare(load_agreement(f, "equal"))
    assert after(r) == {"la": D(100), "nhs": D(100)}


def test_bad_agreement_lists_every_problem():
    with pytest.raises(InputError) as e:
        parse_agreement(
            {
                "years": ["y1", "y2"],
                "partners": {"a": {"costs": [1], "benefits": [0, "lots"]}},
                "rule": {"fixed": {"a": 60, "zz": 40}},
                "discount_rate": "-3%",
            },
            "deal.yaml",
        )
    text = str(e.value)
    assert "deal.yaml" in text
    assert "partners.a.costs" in text and "one value per year" in text
    assert "partners.a.benefits[2]" in text and "'lots'" in text
    assert "unknown partner" in text and "zz" in text
    assert "discount_rate" in text


def test_shapley_with_known_coalition_values_glove_game():
    # A glove game in money: a with b or c makes 90; nobody alone makes anything.
    raw = {
        "years": ["y1"],
        "partners": {
            "a": {"costs": [10], "benefits": [40]},
            "b": {"costs": [0], "benefits": [30]},
            "c": {"costs": [0], "benefits": [30]},
        },
        "rule": "shapley",
        "shapley": {
            "coalitions": {"a+b": 90, "a,c": 90, "a+b+c": 90, "a": 0, "b": 0, "c": 0, "b+c": 0}
        },
    }
    r = compute_gainshare(parse_agreement(raw))
    assert after(r) == {"a": D(60), "b": D(15), "c": D(15)}


def test_shapley_negative_value_partner_pays():
    # b makes things worse: a alone 50, a with b 40. phi_a = 45, phi_b = -5.
    raw = {
        "years": ["y1"],
        "partners": {"a": {"costs": [0], "benefits": [40]}, "b": {"costs": [0], "benefits": [0]}},
        "rule": "shapley",
        "shapley": {"coalitions": {"a": 50, "b": 0, "a+b": 40}},
    }
    r = compute_gainshare(parse_agreement(raw))
    assert after(r) == {"a": D(45), "b": D(-5)}
    assert any(
        w.startswith("b ends -£5.00") and "worse off than not joining" in w for w in r.warnings
    )


def test_unknown_partner_in_coalition():
    raw = {
        "years": ["y1"],
        "partners": {"a": {"costs": [0], "benefits": [1]}},
        "shapley": {"coalitions": {"a+zz": 5}},
    }
    with pytest.raises(InputError) as e:
        parse_agreement(raw)
    assert "unknown partner zz" in str(e.value)


def test_command_line_fixed_rule_keeps_partner_case():
    raw = {
        "years": ["y1"],
        "partners": {
            "DWP": {"costs": [0], "benefits": [100]},
            "LA": {"costs": [50], "benefits": [0]},
        },
    }
    r = compute_gainshare(parse_agreement(raw, "x.yaml", "fixed:DWP=20,LA=80"))
    assert after(r) == {"DWP": D(10), "LA": D(40)}
