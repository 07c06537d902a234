"""`wholeplace outcomes import-framework | import-data | datasets | review | approve |
report`: parse, call the service, render."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json
from wholeplace.money import fmt_gbp
from wholeplace.outcome_values import (
    appraisal_lines,
    spend_behind,
    spend_lines,
    spend_service_codes,
    unit_cost_proxies,
)
from wholeplace.outcomes import service

app = typer.Typer(
    help="Outcomes and indicators, assured data, gross and net effects, social return.",
    no_args_is_help=True,
)
ByOpt = Annotated[str, typer.Option("--by", help="The named person doing it")]


@app.command("import-framework")
def import_framework(
    file: Annotated[Path, typer.Argument(help="The framework as YAML or XLSX (docs/outcomes.md)")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import the outcomes framework; it replaces the place's framework. Every item is
    checked first; nothing is written if any is wrong."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = service.import_framework(ws, file, spend_service_codes(), appraisal_lines(ws))
    common.print_result(
        json_out,
        res.to_json(),
        f"Imported the framework from {res.file}: {res.outcomes} outcomes, {res.indicators} "
        f"indicators, {res.services} services with {res.measures} measures, {res.claims} "
        f"claims, {res.sroi_lines} SROI outcomes.",
    )


@app.command("import-data")
def import_data(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: indicator, period, area, value, ...")],
    dataset: Annotated[
        str | None, typer.Option(help="Dataset name (default: the file's name)")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import observations as a draft dataset; importing a dataset again reopens it."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = service.import_observations(ws, file, dataset)
    common.print_result(json_out, res.to_json(), res.summary)


@app.command("import-budget")
def import_budget(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: intervention, month, budget, actual")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import each intervention's budget profile by month and its actual spend; it replaces
    the place's budget profile."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = service.import_budget(ws, file)
    common.print_result(
        json_out,
        res.to_json(),
        f"Imported {res.rows} month{'s' if res.rows != 1 else ''} of budget for "
        f"{len(res.profiles)} intervention{'s' if len(res.profiles) != 1 else ''} "
        f"from {res.file}.",
    )


@app.command("budget")
def budget(workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """Each intervention's budget against actuals: variance to date and forecast outturn
    (actual to date + the budget of the months to come)."""
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        found = service.budget(ws)
    if json_out:
        print_json([p.to_json() for p in found])
        return
    t = Table(title="Budget profile against actuals")
    for col in (
        "intervention",
        "year",
        "budget",
        "actual to date",
        "variance to date",
        "forecast outturn",
        "forecast variance",
    ):
        t.add_column(col, justify="left" if col in ("intervention", "year") else "right")
    for p in found:
        t.add_row(
            p.name,
            p.year,
            fmt_gbp(p.budget),
            fmt_gbp(p.actual_to_date),
            fmt_gbp(p.variance_to_date),
            fmt_gbp(p.forecast_outturn),
            fmt_gbp(p.forecast_variance),
        )
    console.print(t)


@app.command("datasets")
def datasets(workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """Each dataset's status (draft, reviewed, approved) and its history."""
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        found = service.datasets(ws)
    if json_out:
        print_json([d.to_json() for d in found])
        return
    t = Table(title="Datasets")
    for col in ("dataset", "status", "rows", "reviewed by", "approved by"):
        t.add_column(col)
    for d in found:
        t.add_row(d.name, d.status, str(d.rows), d.reviewed_by or "", d.approved_by or "")
    console.print(t)


@app.command("review")
def review(
    dataset: Annotated[str, typer.Argument(help="The dataset's name")],
    by: ByOpt,
    note: Annotated[str | None, typer.Option(help="What was checked")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Record that a named person reviewed a draft dataset."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        d = service.review(ws, dataset, by, note)
    common.print_result(json_out, d.to_json(), f"Dataset {d.name!r} reviewed by {d.reviewed_by}.")


@app.command("approve")
def approve(
    dataset: Annotated[str, typer.Argument(help="The dataset's name")],
    by: ByOpt,
    exception: Annotated[
        str | None, typer.Option(help="Why data under the quality threshold is approved")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Approve a reviewed dataset for publication (by someone other than its reviewer)."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        d = service.approve(ws, dataset, by, exception)
    common.print_result(json_out, d.to_json(), f"Dataset {d.name!r} approved by {d.approved_by}.")


@app.command("report")
def report(
    out: Annotated[Path | None, typer.Option(help="FILE.html or FILE.xlsx")] = None,
    public: Annotated[
        bool, typer.Option("--public", help="For residents: approved data, small numbers left out")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The scorecard, effects gross and net, and the social return on investment."""
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        proxies, spend, lines = unit_cost_proxies(ws), spend_behind(ws), spend_lines(ws)
        r = (
            service.report(ws, public, proxies, spend, lines)
            if out is None
            else service.write_report(ws, out, public, proxies, spend, lines)
        )
    if json_out:
        print_json(r.to_json())
        return
    console.print(r.summary)
    t = Table(title="Scorecard")
    for col in ("indicator", "latest", "target", "status", "direction"):
        t.add_column(col, overflow="fold")
    for row in r.rows:
        latest = "" if row.latest is None else f"{row.latest.value} ({row.latest.period})"
        target = "" if row.indicator.target is None else str(row.indicator.target.value)
        t.add_row(row.indicator.name, latest, target, row.status, row.direction)
    console.print(t)
    if out is not None:
        console.print(f"Wrote {out}.")
