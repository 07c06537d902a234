"""The section 113 recharges report: cost borne by each partner, invoices, posts, and one
schedule per partner."""

from __future__ import annotations

from typing import Any

from wholeplace.money import ZERO, fmt_gbp
from wholeplace.sharing.report.charts import bar_chart
from wholeplace.sharing.report.document import Report, Section, Table, warnings
from wholeplace.sharing.staff_recharges import QUARTERS, RechargeResult


def _summary_text(rc: RechargeResult) -> list[str]:
    rec = rc.reconciliation()
    paras = [
        f"{len(rc.posts)} shared posts costing {fmt_gbp(rec['shared_cost'])} a year"
        + (f" ({rc.year})" if rc.year else "")
        + ".",
        "Reconciliation: the recharges and retained shares add up to "
        f"{fmt_gbp(rec['recharged_and_retained'])}, "
        + (
            "exactly the shared cost."
            if rec["difference"] == 0
            else f"a difference of {fmt_gbp(rec['difference'])}!"
        ),
        *warnings(rc.warnings),
    ]
    if "actual_cost" in rec:
        paras.append(
            f"After the true-up the partners bear {fmt_gbp(rec['after_true_up'])}, "
            + (
                "exactly the actual cost."
                if rec["true_up_balanced"]
                else f"against an actual cost of {fmt_gbp(rec['actual_cost'])}!"
            )
        )
    return paras


def _summary(rc: RechargeResult) -> Section:
    bp = rc.by_partner()
    borne = Table(
        "Cost borne by each partner",
        ["partner", *QUARTERS, "billed", "true-up", "final"],
        [
            [rc.name(p), *(v[q] for q in QUARTERS), v["billed"], v["true_up"], v["final"]]
            for p, v in bp.items()
        ],
    )
    invoices = Table(
        "Invoices (employer to partner)",
        ["employer", "partner", "quarter", "amount"],
        [
            [rc.name(i["employer"]), rc.name(i["partner"]), i["quarter"], i["amount"]]
            for i in rc.invoices()
        ],
    )
    posts = Table(
        "Posts",
        ["staff id", "name", "employer", "annual cost"] + [f"% {rc.name(p)}" for p in rc.partners],
        [
            [p.staff_id, p.name, rc.name(p.employer), p.cost]
            + [str(p.shares.get(x, "")) for x in rc.partners]
            for p in rc.posts
        ],
    )
    chart = bar_chart(
        "Cost borne by each partner by quarter",
        list(QUARTERS),
        {rc.name(p): [v[q] for q in QUARTERS] for p, v in bp.items()},
        stacked=False,
    )
    return Section("Shared staff recharges", _summary_text(rc), [borne, invoices, posts], [chart])


def _schedule(rc: RechargeResult, pid: str, invoices: list[dict[str, Any]]) -> Section:
    # ids pick the invoices; the schedule itself names partners by name
    p = rc.name(pid)
    paras = [
        f"Section 113 shared staff: what {p} pays for staff employed by other partners, "
        "and what it recovers."
    ]
    for e in sorted({i["employer"] for i in invoices if i["partner"] == pid}):
        qs = {
            i["quarter"]: i["amount"]
            for i in invoices
            if i["partner"] == pid and i["employer"] == e
        }
        paras.append(
            f"{p} pays {rc.name(e)} "
            + ", ".join(f"{fmt_gbp(qs.get(q, ZERO))} in {q}" for q in QUARTERS)
            + f": {fmt_gbp(sum(qs.values(), ZERO))} for the year before true-up."
        )
    for e in sorted({i["partner"] for i in invoices if i["employer"] == pid}):
        total = sum(
            (i["amount"] for i in invoices if i["employer"] == pid and i["partner"] == e), ZERO
        )
        paras.append(f"{p} bills {rc.name(e)} {fmt_gbp(total)} over the year for {p}'s staff.")
    v = rc.by_partner()[pid]
    paras.append(
        f"In all {p} bears {fmt_gbp(v['billed'])} of the shared staff cost"
        + (
            f"; the annual true-up is {fmt_gbp(v['true_up'])}, "
            f"so its final share is {fmt_gbp(v['final'])}."
            if rc.actual is not None
            else "."
        )
    )
    return Section(f"Schedule - {p}", paras, new_page=True)


def recharges_report(rc: RechargeResult) -> Report:
    invoices = rc.invoices()
    sections = [_summary(rc)]
    sections.extend(_schedule(rc, p, invoices) for p in rc.partners)
    return Report("Shared staff recharges", f"Section 113 recharges {rc.year}".strip(), sections)
