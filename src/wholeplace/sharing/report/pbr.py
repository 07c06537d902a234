"""The payment-by-results reports: a claim with its audit trail and blind spot, and a
forecast by outcome-rate scenario."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wholeplace.money import fmt_gbp
from wholeplace.reports.layout import Answer, Headline
from wholeplace.sharing.pbr import ClaimRun, Forecast, Funding
from wholeplace.sharing.report.charts import bar_chart, line_chart
from wholeplace.sharing.report.document import Report, Section, Table, warnings


def _claim_summary(run: ClaimRun) -> Section:
    s = run.scheme
    totals = run.totals()
    fees = (
        f"attachment fees for these families: {fmt_gbp(totals['attachment_fees'])}"
        if "attachment_fees" in totals
        else run.attachment_note
    )
    paras = [
        f"{s.name}. Source: {s.source}",
        f"{len(run.families)} families checked on {run.as_of.isoformat()}; "
        f"{len(run.claimable)} have a "
        f"result to claim, worth {fmt_gbp(totals['results_total'])} in results payments "
        f"({fees}).",
    ]
    if totals["unconfirmed_total"]:
        paras.append(
            f"Unconfirmed: {fmt_gbp(totals['unconfirmed_total'])} of the results claimed rests "
            "on payments the published sources do not confirm (marked unconfirmed below and "
            "listed under Figures not confirmed); check them against the framework before "
            "relying on the claim."
        )
    claims = Table(
        "Claims",
        ["family", "programme year", "attachment fee", "result", "amount", "status"],
        [
            [f.family, f.year, f.attachment_fee, r.label, amt]
            + ["unconfirmed" if f.unconfirmed(r) else "confirmed"]
            for f in run.claimable
            for r, amt, _ in f.claimed
        ],
    )
    by_result = Table(
        "By result",
        ["result", "amount"],
        [[r.label, totals[r.id]] for r in s.results] + [["all results", totals["results_total"]]],
    )
    # results named in words, as the tables name them, not by the scheme's keys
    chart = bar_chart(
        "Claims by result",
        [r.label for r in s.results],
        {"Claimed (£)": [totals[r.id] for r in s.results]},
    )
    label = {r.id: r.label for r in s.results}
    tables = [claims, by_result]
    used = run.unconfirmed_used()
    if used:
        tables.append(
            Table(
                "Figures not confirmed",
                ["result", "programme year", "payment", "families", "claimed", "why"],
                [
                    [label.get(u["result"], u["result"]), u["year"], u["payment"]]
                    + [", ".join(u["families"])]
                    + [u["claimed"], u["note"]]
                    for u in used
                ],
            )
        )
    return Section("Payment-by-results claim", paras, tables, [chart])


def _audit_trail(run: ClaimRun) -> Section:
    evidence = Table(
        "Evidence",
        ["family", "result", "criterion", "status", "detail", "lines", "sources"],
        [
            [
                f.family,
                r.label,
                c.criterion.label or c.criterion.measure,
                c.status,
                c.detail,
                ", ".join(str(rec.line) for rec in c.records),
                ", ".join(sorted({rec.source for rec in c.records if rec.source})),
            ]
            for f in run.claimable
            for r, _, chk in f.claimed
            for c in chk.checks
        ],
    )
    return Section(
        "Audit trail",
        ["The outcome records that justify each claim (line numbers in the families file)."],
        [evidence],
    )


def _blind_spot(run: ClaimRun) -> Section:
    return Section(
        "Blind spot",
        ["Families that improved in ways the scheme does not pay for (or not enough to be paid)."],
        [
            Table(
                "Unrewarded improvements",
                ["family", "claimed", "improvement"],
                [[f.family, f.results_amount, u] for f in run.blind_spot for u in f.unrewarded],
            )
        ],
    )


def claim_answer(run: ClaimRun) -> Answer:
    """The claim in one sentence: how many families have a result to claim, what it is
    worth, and how much of it the published sources do not confirm."""
    totals = run.totals()
    n, claimable = len(run.families), len(run.claimable)
    sentence = (
        f"{claimable} of the {n} families checked on {run.as_of.isoformat()} have a result "
        f"to claim, worth {fmt_gbp(totals['results_total'])} in results payments"
    )
    unconfirmed = totals["unconfirmed_total"]
    if unconfirmed:
        sentence += (
            f"; {fmt_gbp(unconfirmed)} of it rests on payments the published sources do not confirm"
        )
    figures = [
        Headline(fmt_gbp(totals["results_total"]), "results payments claimed"),
        Headline(f"{claimable} of {n}", "families with a result to claim"),
    ]
    if unconfirmed:
        figures.append(Headline(fmt_gbp(unconfirmed), "of it not confirmed"))
    return Answer(sentence + ".", figures)


def claims_report(run: ClaimRun) -> Report:
    return Report(
        run.scheme.name,
        f"Claim as at {run.as_of.isoformat()}",
        [_claim_summary(run), _audit_trail(run), _blind_spot(run)],
        answer=claim_answer(run),
    )


_FORECAST_COLUMNS = [
    "year",
    "attachment fees",
    "results payments",
    "of which unconfirmed",
    "income",
    "costs",
    "net",
    "cumulative net",
]


def _scenario_table(name: str, sc: dict[str, Any]) -> Table:
    keys = (
        "attachment_income",
        "results_income",
        "results_unconfirmed",
        "income",
        "costs",
        "net",
        "cumulative_net",
    )
    rows: list[list[Any]] = [[y["year"], *(y[k] for k in keys)] for y in sc["years"]]
    rows.append(["total", None, None, None, sc["income"], sc["costs"], sc["net"], None])
    return Table(f"Scenario: {name}", _FORECAST_COLUMNS, rows)


def forecast_report(fc: Forecast) -> Report:
    d = fc.to_json()
    scenarios: dict[str, dict[str, Any]] = d["scenarios"]
    s = Section(
        "Payment-by-results forecast",
        [
            f"{fc.scheme.name}. Cohort: "
            + ", ".join(f"{n:,} families attached in {y}" for y, n in fc.cohort.items())
            + ".",
            *warnings(fc.warnings),
        ],
        [_scenario_table(name, sc) for name, sc in scenarios.items()],
    )
    years: list[str] = []
    for sc in scenarios.values():
        years = [y["year"] for y in sc["years"]]
    series: dict[str, list[Decimal]] = {
        f"income ({n})": [y["income"] for y in sc["years"]] for n, sc in scenarios.items()
    }
    if scenarios:
        first = next(iter(scenarios.values()))
        series["programme costs"] = [y["costs"] for y in first["years"]]
    s.figures.append(
        line_chart(
            "Income by year under each scenario, against programme costs",
            years,
            series,
            {"programme costs"},
        )
    )
    return Report(fc.scheme.name, "Income forecast by outcome-rate scenario", [s])


def funding_report(f: Funding) -> Report:
    """What the scheme pays for an authority's estimated families, by programme year."""
    d = f.to_json()
    paras = [
        f"{f.scheme.name}. Source: {f.scheme.source}",
        f"{f.estimated_families:,} estimated families; {d['funded_families']} funded "
        f"({d['funded_share']} of them), at most {fmt_gbp(f.max_funding)}. Attachment fees "
        f"are paid on the {d['attachment_paid_on']}, results for each family turned around.",
        *(f"Unconfirmed: {n}" for n in f.unconfirmed),
    ]
    rows: list[list[Any]] = [
        [y["year"], y["families"], y["attachment_fees"], y["results_available"], y["status"]]
        for y in d["years"]
    ]
    rows.append(["total", d["funded_families"], d["attachment_fees"], d["results_available"], ""])
    table = Table(
        "By programme year",
        ["year", "families", "attachment fees", "results available", "status"],
        rows,
    )
    funded = Decimal(d["funded_families"])
    shown = f"{funded:,.0f}" if funded == funded.to_integral_value() else f"{funded:,}"
    answer = Answer(
        f"{shown} of {f.estimated_families:,} estimated families are funded, "
        f"for at most {fmt_gbp(f.max_funding)}: {fmt_gbp(d['attachment_fees'])} in attachment "
        f"fees and up to {fmt_gbp(d['results_available'])} in results payments.",
        [
            Headline(fmt_gbp(f.max_funding), "most the scheme pays"),
            Headline(shown, "families funded"),
        ],
    )
    return Report(
        f.scheme.name,
        "Funding for the estimated families",
        [Section("Payment-by-results funding", paras, [table])],
        answer=answer,
    )
