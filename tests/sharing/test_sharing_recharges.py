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
