"""Section 113 recharges: quarters, true-up, reconciliation to the penny, bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wholeplace.errors import InputError
from wholeplace.sharing.staff_recharges import Post, compute_recharges, load_posts

D = Decimal


def test_quarters_and_invoices():
    posts = [Post(2, "S1", "Manager", "la", D("1000.02"), {"la": D(50), "nhs": D(50)})]
    r = compute_recharges(posts, ["la", "nhs"])
    # 1000.02 -> 250.01, 250.01, 250.00, 250.00; each quarter halved.
    assert [r.quarterly[("S1", q)]["nhs"] for q in ("Q1", "Q2", "Q3", "Q4")] == [
        D("125.00"),
        D("125.00"),
        D(125),
        D(125),
    ]
    assert [r.quarterly[("S1", q)]["la"] for q in ("Q1", "Q2", "Q3", "Q4")] == [
        D("125.01"),
        D("125.01"),
        D(125),
        D(125),
    ]
    inv = r.invoices()
    assert {i["partner"] for i in inv} == {"nhs"}  # the employer does not bill itself
    assert sum(i["amount"] for i in inv) == D(500)
    assert r.reconciliation()["balanced"]


def test_true_up():
    posts = [Post(2, "S1", "", "la", D(1000), {"la": D(50), "nhs": D(50)})]
    acts = [Post(2, "S1", "", "", D(1200), {"la": D(25), "nhs": D(75)})]
    r = compute_recharges(posts, ["la", "nhs"], actuals=acts)
    assert r.true_up("S1", "nhs") == D(900) - D(500)
    assert r.true_up("S1", "la") == D(300) - D(500)
    rec = r.reconciliation()
    assert rec["true_up_balanced"] and rec["after_true_up"] == D(1200)


shares3 = st.lists(st.integers(0, 100), min_size=2, max_size=2).filter(lambda x: sum(x) <= 100)


@settings(max_examples=100, deadline=None)
@given(
    posts=st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=10**6, places=2),
            shares3,
            st.decimals(min_value=0, max_value=10**6, places=2),
            shares3,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_recharges_always_reconcile(posts):
    ps, acts = [], []
    for i, (cost, (x, y), actual, (u, v)) in enumerate(posts):
        sh = {"a": D(x), "b": D(y), "c": D(100 - x - y)}
        ash = {"a": D(u), "b": D(v), "c": D(100 - u - v)}
        ps.append(Post(i + 2, f"S{i}", "", "a", cost, sh))
        acts.append(Post(i + 2, f"S{i}", "", "", actual, ash))
    r = compute_recharges(ps, ["a", "b", "c"], actuals=acts)
    rec = r.reconciliation()
    assert rec["balanced"] and rec["difference"] == 0 and rec["true_up_difference"] == 0
    # Same cost and shares as billed -> no true-up at all.
    same = compute_recharges(ps, ["a", "b", "c"], actuals=ps)
    assert all(v["true_up"] == 0 for v in same.by_partner().values())


def test_bad_staff_file(tmp_path):
    f = tmp_path / "staff.csv"
    f.write_text(
        "staff_id,name,employer,annual_cost,la,nhs\n"
        "S1,A,la,1000,50,40\n"
        "S1,B,la,1000,50,50\n"
        "S3,C,police,ten,100,\n"
    )
    with pytest.raises(InputError) as e:
        load_posts(f)
    probs = e.value.problems
    by = {(p.row, p.column): p for p in probs}
    assert "add up to 90%, not 100%" in by[(2, "la, nhs")].message
    assert "already on row 2" in by[(3, "staff_id")].message
    assert by[(4, "employer")].value == "police"
    assert by[(4, "annual_cost")].value == "ten"
    assert all(p.file == "staff.csv" for p in probs)


def test_true_up_with_a_post_missing_from_the_actuals_and_one_not_on_the_list():
    posts = [
        Post(2, "P1", "Manager", "a", D("1000.02"), {"a": D(50), "b": D(50)}),
        Post(3, "P2", "Nurse", "b", D(400), {"b": D(100)}),
    ]
    actuals = [
        Post(2, "P1", "", "", D(1200), {"a": D(25), "b": D(75)}),
        Post(9, "P3", "", "", D(50), {"a": D(100)}),
    ]
    r = compute_recharges(posts, ["a", "b"], "2025-26", actuals)
    # P1: quarters 250.01, 250.01, 250.00, 250.00 (the 2 spare pennies to the first two),
    # each halved: 125.01 / 125.00 and 125.00 / 125.00. a is billed 500.02, b 500.00.
    # Actual 1,200 at 25/75 is 300 / 900: true-up a -200.02, b +400.00.
    # P2 (400, all b) has no actuals: its bills stand, no true-up.
    assert r.year == "2025/26"
    assert r.by_partner() == {
        "a": {
            "Q1": D("125.01"),
            "Q2": D("125.01"),
            "Q3": D("125.00"),
            "Q4": D("125.00"),
            "billed": D("500.02"),
            "true_up": D("-200.02"),
            "final": D("300.00"),
        },
        "b": {
            **{q: D("225.00") for q in ("Q1", "Q2", "Q3", "Q4")},  # 125 of P1 + 100 of P2
            "billed": D("900.00"),
            "true_up": D("400.00"),
            "final": D("1300.00"),
        },
    }
    # The employer a bills b its half of P1; P2 is b's own post, so nobody is invoiced for it.
    assert r.invoices() == [
        {"employer": "a", "partner": "b", "quarter": q, "amount": D("125.00")}
        for q in ("Q1", "Q2", "Q3", "Q4")
    ]
    assert r.to_json()["true_up"] == [
        {"staff_id": "P1", "partner": "a", "amount": D("-200.02")},
        {"staff_id": "P1", "partner": "b", "amount": D("400.00")},
    ]
    assert r.reconciliation() == {
        "shared_cost": D("1400.02"),
        "recharged_and_retained": D("1400.02"),
        "difference": D(0),
        "balanced": True,
        "actual_cost": D(1600),  # 1,200 for P1 and P2's 400 as billed
        "after_true_up": D(1600),  # 300 + 1,300
        "true_up_difference": D(0),
        "true_up_balanced": True,
    }
    assert r.warnings == [
        "no actuals for P2 (Nurse); billed figures kept",
        "actuals line 9: P3 is not on the staff list and was ignored",
    ]


def test_without_actuals_there_is_no_true_up():
    r = compute_recharges([Post(2, "P1", "M", "a", Decimal(8), {"a": Decimal(100)})], ["a"])
    assert r.year == "" and r.true_up("P1", "a") == 0
    assert r.by_partner()["a"]["final"] == Decimal(8)
    assert set(r.reconciliation()) == {
        "shared_cost",
        "recharged_and_retained",
        "difference",
        "balanced",
    }
    assert r.invoices() == []


def test_the_json_and_invoices_of_two_employers_in_order():
    # P1 (employer b) 400 at a 50 / c 50; P2 (employer a) 800 at b 25 / c 75.
    posts = [
        Post(2, "P1", "One", "b", D(400), {"a": D(50), "c": D(50)}),
        Post(3, "P2", "Two", "a", D(800), {"b": D(25), "c": D(75)}),
    ]
    r = compute_recharges(posts, ["a", "b", "c"], "2024")
    # Listed by employer, then partner, then quarter: a bills b 50 and c 150 a quarter for P2;
    # b bills a 50 and c 50 a quarter for P1.
    assert [(i["employer"], i["partner"], i["quarter"], i["amount"]) for i in r.invoices()] == [
        *(("a", "b", q, D(50)) for q in ("Q1", "Q2", "Q3", "Q4")),
        *(("a", "c", q, D(150)) for q in ("Q1", "Q2", "Q3", "Q4")),
        *(("b", "a", q, D(50)) for q in ("Q1", "Q2", "Q3", "Q4")),
        *(("b", "c", q, D(50)) for q in ("Q1", "Q2", "Q3", "Q4")),
    ]
    j = r.to_json()
    assert (j["year"], j["partners"], j["posts"]) == ("2024/25", ["a", "b", "c"], 2)
    assert j["by_partner"]["c"]["billed"] == D(800)  # 200 of P1 + 600 of P2
    assert j["invoices"] == r.invoices() and j["true_up"] == [] and j["warnings"] == []
    assert j["notices"] == []  # posts given in code, not read from a file: nothing rounded
    assert j["reconciliation"] == {
        "shared_cost": D(1200),
        "recharged_and_retained": D(1200),
        "difference": D(0),
        "balanced": True,
    }


def test_a_true_up_that_does_not_reach_the_actual_cost_is_not_balanced():
    from wholeplace.sharing.staff_recharges import QUARTERS, RechargeResult

    # Billed 8 (2 a quarter), actual cost 10, but the actual split found only 9: after the
    # true-up the partners bear 9, one short of the 10 it cost.
    post = Post(2, "P1", "M", "a", D(8), {"a": D(100)})
    quarterly = {("P1", q): {"a": D(2)} for q in QUARTERS}
    r = RechargeResult("", ["a"], [post], quarterly, {"P1": {"a": D(9)}}, {"P1": D(10)})
    rec = r.reconciliation()
    assert (rec["difference"], rec["after_true_up"], rec["true_up_difference"]) == (
        D(0),
        D(9),
        D(-1),
    )
    assert rec["true_up_balanced"] is False and rec["balanced"] is False


def test_a_post_missing_from_the_actuals_does_not_stop_the_true_up_of_the_next():
    posts = [
        Post(2, "P2", "Nurse", "b", D(400), {"b": D(100)}),
        Post(3, "P1", "Manager", "a", D(1000), {"a": D(50), "b": D(50)}),
    ]
    actuals = [Post(2, "P1", "", "", D(1200), {"a": D(50), "b": D(50)})]
    r = compute_recharges(posts, ["a", "b"], "", actuals)
    # P1's actual 1,200 halved is 600 each against 500 billed: +100 each.
    assert (r.true_up("P1", "a"), r.true_up("P1", "b"), r.true_up("P2", "b")) == (
        D(100),
        D(100),
        D(0),
    )
