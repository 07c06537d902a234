"""docs/sharing.md: run every worked example and compare with the figures on the page."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from wholeplace.money import fmt_gbp
from wholeplace.sharing.gain_sharing import compute_gainshare, load_agreement
from wholeplace.sharing.pbr import load_forecast, load_records, load_scheme, run_claims
from wholeplace.sharing.pooled_budget import compute_pool, load_pool
from wholeplace.sharing.staff_recharges import load_recharges

DOC = Path(__file__).resolve().parents[2] / "docs" / "sharing.md"
DATA = Path(str(resources.files("wholeplace") / "data" / "sharing"))


def doc_table(name: str) -> list[dict[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"<!-- {name}:begin -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert m, f"no table {name} in {DOC.name}"
    lines = [ln.strip().strip("|").split("|") for ln in m.group(1).strip().splitlines()]
    header = [c.strip() for c in lines[0]]
    return [dict(zip(header, (c.strip() for c in row), strict=True)) for row in lines[2:]]


def test_doc_pool_example():
    r = compute_pool(load_pool(DATA / "pool_example.yaml"))
    got = []
    for y in r.years:
        for x in y.rows:
            got.append(
                [
                    y.year,
                    x.partner,
                    fmt_gbp(x.contribution),
                    fmt_gbp(x.variance_share),
                    fmt_gbp(x.net_cost),
                ]
            )
    for p, t in r.totals().items():
        got.append(
            [
                "total",
                p,
                fmt_gbp(t["contribution"]),
                fmt_gbp(t["variance_share"]),
                fmt_gbp(t["net_cost"]),
            ]
        )
    want = [list(row.values()) for row in doc_table("example-pool")]
    assert got == want
    assert r.balanced


def test_doc_gainshare_example():
    r = compute_gainshare(load_agreement(DATA / "gainshare_example.yaml"))
    want = doc_table("example-gainshare")
    got = [
        {
            "partner": o.id,
            "before": fmt_gbp(o.before.undiscounted),
            "after": fmt_gbp(o.after.undiscounted),
            "before (discounted)": fmt_gbp(o.before.discounted),
            "after (discounted)": fmt_gbp(o.after.discounted),
        }
        for o in r.outcomes
    ]
    assert got == want
    transfers = doc_table("example-gainshare-transfers")
    assert [
        {
            "partner": o.id,
            **{y: fmt_gbp(t) for y, t in zip(r.agreement.years, o.transfer_by_year, strict=True)},
        }
        for o in r.outcomes
    ] == transfers


@pytest.mark.parametrize("row", doc_table("example-gainshare-rules"), ids=lambda r: r["rule"])
def test_doc_gainshare_other_rules(row):
    r = compute_gainshare(load_agreement(DATA / "gainshare_example.yaml", row["rule"]))
    assert {o.id: fmt_gbp(o.after.undiscounted) for o in r.outcomes} == {
        k: v for k, v in row.items() if k != "rule"
    }
    if row["rule"] == "proportional_to_investment":
        assert any("100% of the money at risk" in w for w in r.warnings)


def test_doc_pbr_claim_example():
    scheme = load_scheme(DATA / "troubled_families_2012.yaml")
    run = run_claims(scheme, load_records(DATA / "families_example.csv", scheme), date(2015, 3, 31))
    got = [
        {
            "family": f.family,
            "programme year": f.year,
            "attachment fee": fmt_gbp(f.attachment_fee),
            "result": r.id,
            "amount": fmt_gbp(a),
            "status": "unconfirmed" if f.unconfirmed(r) else "confirmed",
        }
        for f in run.claimable
        for r, a, _ in f.claimed
    ]
    assert got == doc_table("example-pbr-claim")
    text = DOC.read_text(encoding="utf-8")
    assert f"Results claimed: **{fmt_gbp(run.totals()['results_total'])}**" in text


def test_doc_pbr_forecast_example():
    fc = load_forecast(DATA / "pbr_forecast_example.yaml")
    got = [
        {
            "year": y.year,
            "attachment fees": fmt_gbp(y.attachment_income),
            "results": fmt_gbp(y.results_income),
            "income": fmt_gbp(y.income),
            "costs": fmt_gbp(y.costs),
            "net": fmt_gbp(y.net),
        }
        for y in fc.scenarios["central"]
    ]
    assert got == doc_table("example-pbr-forecast")


def test_doc_recharges_example():
    rc = load_recharges(DATA / "staff_example.csv", DATA / "staff_actuals_example.csv")
    got = [
        {
            "partner": p,
            "Q1": fmt_gbp(v["Q1"]),
            "Q4": fmt_gbp(v["Q4"]),
            "billed": fmt_gbp(v["billed"]),
            "true-up": fmt_gbp(v["true_up"]),
            "final": fmt_gbp(v["final"]),
        }
        for p, v in rc.by_partner().items()
    ]
    assert got == doc_table("example-recharges")
    rec = rc.reconciliation()
    assert rec["balanced"] and fmt_gbp(rec["shared_cost"]) == "£140,000.03"


def test_doc_gainshare_from_an_appraisal(tmp_path):
    import json
    from decimal import Decimal

    from wholeplace.cba import service as cba_service

    appraisal = DATA.parent / "cba" / "example_appraisal.yaml"
    cba = json.loads(json.dumps(cba_service.run(appraisal).to_json(), default=str))
    f = tmp_path / "cba.json"
    f.write_text(json.dumps(cba), encoding="utf-8")
    r = compute_gainshare(load_agreement(f, "equal"))
    got = [
        [o.name, *(fmt_gbp(x) for x in (o.investment, o.benefit, o.cashable_benefit))]
        + [fmt_gbp(o.before.discounted)]
        for o in r.outcomes
    ]
    total = [sum((getattr(o, k) for o in r.outcomes), Decimal(0)) for k in
             ("investment", "benefit", "cashable_benefit")]  # fmt: skip
    got.append(["joint", *(fmt_gbp(x) for x in total), fmt_gbp(r.joint_net.discounted)])
    want = [list(row.values()) for row in doc_table("example-gainshare-appraisal")]
    assert got == want
    text = DOC.read_text(encoding="utf-8")
    assert r.joint_net.discounted == Decimal(cba["net_present_budget_impact"])
    assert f"**{fmt_gbp(r.joint_net.discounted)}**" in text
    assert fmt_gbp(r.joint_net.undiscounted) in text
    after = sorted(o.after.undiscounted for o in r.outcomes)
    assert f"{fmt_gbp(after[0])} to {fmt_gbp(after[-1])}" in text
    assert fmt_gbp(Decimal(cba["by_agency"]["DWP"]["net_position"])) in text
    # the old figure in the "changed because" note: cashable PVs less PV costs, by agency
    old = sum(
        Decimal(a["pv_fiscal_cashable"]) - Decimal(a["pv_costs"]) for a in cba["by_agency"].values()
    )
    assert old == Decimal("-362252.30") and "−£362,252.30" in text
