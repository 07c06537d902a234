"""`wholeplace objectives groups | import | report`: parse, call the service, render."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json
from wholeplace.objectives import service

app = typer.Typer(
    help="The partners' objectives against the customer groups they serve.",
    no_args_is_help=True,
)


@app.command("groups")
def groups(
    file: Annotated[
        Path | None, typer.Argument(help="CSV or XLSX: customer_group, description, spend_labels")
    ] = None,
    from_spend: Annotated[
        bool, typer.Option("--from-spend", help="Take the groups the spend map names")
    ] = False,
    year: Annotated[str | None, typer.Option(help="Spend year for --from-spend")] = None,
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet (default: the first)")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Add the place's customer groups (shared with the spend map's customer groups)."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = service.import_groups(ws, file, from_spend=from_spend, year=year, sheet=sheet)
    common.print_result(
        json_out,
        res.to_json(),
        f"Customer groups from {res.source}: {res.added} added, {res.replaced} replaced.",
    )


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX of objectives")],
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet (default: the first)")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import objectives (partner, objective, customer_group, outcome, direction, target,
    measure; optionally resource). Every row is checked first; nothing is written if any is
    wrong. A partner's earlier objectives are replaced."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = service.import_objectives(ws, file, sheet)
    if json_out:
        print_json(res.to_json())
        return
    console.print(f"Imported {len(res.objectives)} objectives from {res.file}.")
    for p, n in sorted(res.replaced.items()):
        if n:
            console.print(f"  replaced {n} earlier objectives of {p}")


@app.command("report")
def report(
    out: Annotated[Path | None, typer.Option(help="FILE.html or FILE.xlsx")] = None,
    year: Annotated[str | None, typer.Option(help="Spend year (default: latest)")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Overlaps, conflicts and different approaches, with recommendations, and the partners x
    customer-groups matrix beside the spend map."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        if out is None:
            analysis = service.analyse(ws, year)
        else:
            analysis = service.write_report(ws, out, year).analysis
    if json_out:
        print_json(analysis.to_json())
        return
    console.print(analysis.summary)
    for title, items in (
        ("Overlaps", analysis.findings.overlaps),
        ("Conflicts", analysis.findings.conflicts),
        ("Different approaches", analysis.findings.different_approaches),
    ):
        t = Table(title=f"{title} ({len(items)})")
        t.add_column("#", justify="right")
        t.add_column("what we found", overflow="fold")
        t.add_column("recommendation", overflow="fold")
        for i, f in enumerate(items, start=1):
            t.add_row(str(i), f.explanation, f.recommendation)
        console.print(t)
    if out is not None:
        console.print(f"Wrote {out}.")
