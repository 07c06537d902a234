"""`wholeplace sharing ...`: pooled budgets, gain-share, payment by results, recharges.

File in, file out: nothing is written to the workspace. ``--workspace`` on pool, gainshare
and recharges only reads the place's partners, so they are named as the spend map names them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from wholeplace.commands.common import (
    JsonOpt,
    PlaceOpt,
    console,
    place_partners,
    print_json,
    user_errors,
)
from wholeplace.errors import Notice
from wholeplace.money import fmt_gbp
from wholeplace.sharing import service
from wholeplace.sharing.staff_recharges import QUARTERS

app = typer.Typer(
    help="Who invests, who gains: pooled budgets, gain-share, payment by results, recharges.",
    no_args_is_help=True,
)
pbr_app = typer.Typer(
    help="Payment by results: claims, funding and forecasts.", no_args_is_help=True
)
app.add_typer(pbr_app, name="pbr")

OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", help="Write a report: report.html (charts), report.xlsx or report.pdf."
    ),
]


def _write(
    result: service.SharingResult, out: Path | None, json_out: bool, *sources: Path | None
) -> None:
    if out is None:
        return
    service.write_report(result, out, sources=[p for p in sources if p is not None])
    if not json_out:
        console.print(f"Wrote {out}.")


def _notes(notices: list[Notice]) -> None:
    """Amounts rounded to the penny, worded and shown as the spend imports show them."""
    for notice in notices:
        console.print(f"[yellow]note:[/] {escape(str(notice))}", soft_wrap=True)


def _money_table(title: str, columns: list[str], rows: list[list[object]]) -> Table:
    t = Table(title=title)
    for c in columns:
        first = c in columns[:1]
        # Figures are never wrapped or cut; tables are kept narrow enough for 80 columns.
        t.add_column(c, justify="left" if first else "right", no_wrap=not first, min_width=8)
    for r in rows:
        t.add_row(*[fmt_gbp(v) if isinstance(v, Decimal) else str(v) for v in r])
    return t


@app.command("pool")
def pool_cmd(
    file: Annotated[
        Path, typer.Argument(help="Pool definition (YAML or XLSX): see docs/sharing.md")
    ],
    out: OutOpt = None,
    workspace: PlaceOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Each partner's share of a pooled budget's over- or underspend, and its net cost."""
    place = place_partners(workspace, json_out)
    with user_errors(json_out):
        result = service.pool(file, place=place)
        _write(result, out, json_out, file)
    if json_out:
        print_json(result.to_json())
        return
    names = result.pool.partners
    for y in result.years:
        kind = "overspend" if y.variance > 0 else "underspend" if y.variance < 0 else "on budget"
        console.print(
            f"[bold]{y.year}[/]: budget {fmt_gbp(y.budget)}, {y.outturn_kind} outturn "
            f"{fmt_gbp(y.outturn)}: {kind} {fmt_gbp(abs(y.variance))}"
        )
        for s in y.steps:
            console.print(f"  {s}")
        for w in y.warnings:
            console.print(f"  [yellow]Warning:[/] {w}")
        console.print(
            _money_table(
                f"{y.year}",
                ["partner", "cash", "in kind", "share of variance", "net cost"],
                [
                    [names[r.partner], r.cash, r.in_kind, r.variance_share, r.net_cost]
                    for r in y.rows
                ],
            )
        )
    console.print(
        _money_table(
            "All years",
            ["partner", "contribution", "share of variance", "net cost"],
            [
                [names[p], t["contribution"], t["variance_share"], t["net_cost"]]
                for p, t in result.totals().items()
            ],
        )
    )
    console.print(
        "Shares add up exactly to the variance in every year."
        if result.balanced
        else "[red]Shares do not add up to the variance.[/]"
    )
    _notes(result.pool.notices)


@app.command("gainshare")
def gainshare_cmd(
    file: Annotated[
        Path, typer.Argument(help="Agreement (YAML), or a cost-benefit appraisal's by-agency JSON")
    ],
    rule: Annotated[
        str | None,
        typer.Option(
            help="Override the file's rule: proportional_to_investment, equal, "
            "proportional_to_benefit, recover_outlay_first, shapley, or fixed:a=60,b=40"
        ),
    ] = None,
    out: OutOpt = None,
    workspace: PlaceOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Transfers between partners that turn 'who gains' into 'who should gain'."""
    place = place_partners(workspace, json_out)
    with user_errors(json_out):
        result = service.gainshare(file, rule=rule, place=place)
        _write(result, out, json_out, file)
    if json_out:
        print_json(result.to_json())
        return
    a = result.agreement
    names = {p.id: p.name for p in a.partners}
    console.print(f"[bold]{a.name}[/]: {a.describe_rule()}")
    console.print(
        _money_table(
            "Net position, undiscounted",
            ["partner", "invests", "gains", "of which cash", "before", "after"],
            [
                [
                    o.name,
                    o.investment,
                    o.benefit,
                    o.cashable_benefit,
                    o.before.undiscounted,
                    o.after.undiscounted,
                ]
                for o in result.outcomes
            ],
        )
    )
    console.print(
        _money_table(
            f"Net position, discounted at {a.describe_discount()} a year",
            ["partner", "before", "after"],
            [[o.name, o.before.discounted, o.after.discounted] for o in result.outcomes],
        )
    )
    console.print(
        _money_table(
            "Transfers (+ receives, - pays)",
            ["year", *[o.name for o in result.outcomes]],
            [[y, *[o.transfer_by_year[i] for o in result.outcomes]] for i, y in enumerate(a.years)],
        )
        if len(result.outcomes) <= 4
        # Many partners: one line per payment keeps the table readable on any terminal.
        else _money_table(
            "Payments",
            ["year", "from", "to", "amount"],
            # by name: "lcc pays bc" is no schedule for people
            [[p.year, names[p.payer], names[p.receiver], p.amount] for p in result.payments],
        )
    )
    for w in result.warnings:
        console.print(f"[yellow]Warning:[/] {w}")
    _notes(a.notices)


def _as_of(text: str | None) -> date | None:
    return service.as_of_date(text)


@pbr_app.command("claim")
def pbr_claim(
    scheme: Annotated[Path, typer.Argument(help="Scheme (YAML), e.g. troubled_families_2012.yaml")],
    families: Annotated[Path, typer.Argument(help="Outcome records (CSV or XLSX)")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date the claim is made (YYYY-MM-DD); default today"),
    ] = None,
    out: OutOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Which families are claimable, for what, with the records that justify each claim."""
    with user_errors(json_out):
        run = service.pbr_claim(scheme, families, as_of=_as_of(as_of))
        _write(run, out, json_out, scheme, families)
    if json_out:
        print_json(run.to_json())
        return
    totals = run.totals()
    console.print(f"[bold]{run.scheme.name}[/], as at {run.as_of.isoformat()}")
    console.print(
        _money_table(
            f"{len(run.claimable)} of {len(run.families)} families claimable",
            ["family", "year", "result", "amount", "status"],
            [
                [f.family, f.year or "", r.id, a, "unconfirmed" if f.unconfirmed(r) else ""]
                for f in run.claimable
                for r, a, _ in f.claimed
            ],
        )
    )
    console.print(f"Results payments claimed: {fmt_gbp(totals['results_total'])}")
    if totals["unconfirmed_total"]:
        console.print(
            f"[yellow]Of which {fmt_gbp(totals['unconfirmed_total'])} rests on payments the "
            "published sources do not confirm (status unconfirmed):[/]"
        )
        for fig in run.unconfirmed_used():
            console.print(
                f"  {fig['result']} {fig['year']} {fmt_gbp(fig['payment'])} "
                f"({', '.join(fig['families'])}): {fig['note']}"
            )
    console.print(f"Attachment fees: {run.attachment_note}.")
    if run.blind_spot:
        console.print("[bold]Blind spot[/] (improvements the scheme does not pay for):")
        for f in run.blind_spot:
            for u in f.unrewarded:
                console.print(f"  {f.family}: {u}")


def _allocation(items: list[str] | None) -> dict[str, Fraction] | None:
    """``--allocation 2012/13=1/3`` options as a mapping (None when none is given)."""
    return service.allocation_of(items)


@pbr_app.command("funding")
def pbr_funding(
    scheme: Annotated[Path, typer.Argument(help="Scheme (YAML), e.g. troubled_families_2012.yaml")],
    estimated_families: Annotated[
        int, typer.Option(help="The authority's estimated number of families, e.g. 600")
    ],
    allocation: Annotated[
        list[str] | None,
        typer.Option(help="Share of the funded families worked with in a year: 2012/13=1/3"),
    ] = None,
    out: OutOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """What the scheme pays for the estimated families: attachment fees on the allocation,
    results available, by year; figures resting on unconfirmed parts marked so."""
    with user_errors(json_out):
        fund = service.pbr_funding(scheme, estimated_families, allocation=_allocation(allocation))
        _write(fund, out, json_out, scheme)
    d = fund.to_json()
    if json_out:
        print_json(d)
        return
    console.print(
        f"[bold]{fund.scheme.name}[/]: {estimated_families:,} estimated families, "
        f"{d['funded_families']} funded ({d['funded_share']}), at most "
        f"{fmt_gbp(fund.max_funding)}; attachment fees paid on the "
        f"{d['attachment_paid_on']}"
    )
    console.print(
        _money_table(
            "By programme year",
            ["year", "families", "attachment fees", "results available", "status"],
            [
                [y["year"], y["families"], y["attachment_fees"], y["results_available"]]
                + [y["status"]]
                for y in d["years"]
            ],
        )
    )
    for note in fund.unconfirmed:
        console.print(f"[yellow]Unconfirmed:[/] {note}")


@pbr_app.command("forecast")
def pbr_forecast(
    file: Annotated[Path, typer.Argument(help="Forecast (YAML): scheme, cohort, scenarios, costs")],
    scheme: Annotated[
        Path | None, typer.Option(help="Scheme (YAML), if the forecast file names none")
    ] = None,
    out: OutOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Income by year under outcome-rate scenarios, against the programme's costs."""
    with user_errors(json_out):
        fc = service.pbr_forecast(file, scheme=scheme)
        _write(fc, out, json_out, file, scheme)
    d = fc.to_json()
    if json_out:
        print_json(d)
        return
    for name, sc in d["scenarios"].items():
        console.print(
            _money_table(
                f"Scenario: {name}",
                ["year", "attachment", "results", "unconfirmed", "costs", "net"],
                [
                    [
                        y["year"],
                        y["attachment_income"],
                        y["results_income"],
                        y["results_unconfirmed"],
                        y["costs"],
                        y["net"],
                    ]
                    for y in sc["years"]
                ],
            )
        )
    for w in fc.warnings:
        console.print(f"[yellow]Warning:[/] {w}")


@app.command("recharges")
def recharges_cmd(
    staff: Annotated[
        Path, typer.Argument(help="Staff list (CSV/XLSX): cost and % time per partner")
    ],
    actuals: Annotated[
        Path | None, typer.Option(help="Actual cost and time shares for the annual true-up")
    ] = None,
    year: Annotated[
        str, typer.Option(help="Financial year, e.g. 2025/26 (2025-26 also accepted)")
    ] = "",
    out: OutOpt = None,
    workspace: PlaceOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Quarterly section 113 recharges, annual true-up and reconciliation."""
    place = place_partners(workspace, json_out)
    with user_errors(json_out):
        rc = service.recharges(staff, actuals=actuals, year=year, place=place)
        _write(rc, out, json_out, staff, actuals)
    if json_out:
        print_json(rc.to_json())
        return
    bp = rc.by_partner()
    console.print(
        _money_table(
            "Cost borne by each partner, by quarter",
            ["partner", *QUARTERS],
            [[rc.name(p), *[v[q] for q in QUARTERS]] for p, v in bp.items()],
        )
    )
    console.print(
        _money_table(
            "For the year",
            ["partner", "billed", "true-up", "final"],
            [[rc.name(p), v["billed"], v["true_up"], v["final"]] for p, v in bp.items()],
        )
    )
    rec = rc.reconciliation()
    console.print(
        f"Reconciliation: {fmt_gbp(rec['recharged_and_retained'])} charged against "
        "a shared cost of "
        f"{fmt_gbp(rec['shared_cost'])}: "
        + ("balanced." if rec["balanced"] else "[red]NOT balanced[/].")
    )
    for w in rc.warnings:
        console.print(f"[yellow]Warning:[/] {w}")
    _notes(rc.notices)


@app.command("template")
def template_cmd(
    kind: Annotated[str, typer.Argument(help="pool, gainshare or recharges")],
    out: Annotated[Path, typer.Argument(help="Where to write it: OUT.yaml (recharges: OUT.csv)")],
    workspace: PlaceOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Write a starting file: the worked example, or with --workspace the place's partners."""
    place = place_partners(workspace, json_out)
    with user_errors(json_out):
        path = service.template(kind, out, place=place)
    if json_out:
        print_json({"template": str(path)})
        return
    console.print(f"Wrote {path}. Fill it in, then: wholeplace sharing {kind} {path}")
