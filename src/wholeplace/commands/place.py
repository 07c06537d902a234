"""`wholeplace init`, `log` and `version`: the place itself."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json, print_result
from wholeplace.labels import detail_text
from wholeplace.version import __version__
from wholeplace.workspace import Workspace

app = typer.Typer()


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new place")],
    name: Annotated[str, typer.Option(help="Name of the place, e.g. 'Lancashire'")],
    # text, read by population.parse_population: a bad value gets the problem table
    population: Annotated[str | None, typer.Option(help="Residents, for per-head figures")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Make a new place: a folder with place.duckdb and its audit log."""
    with common.user_errors(json_out):
        ws = Workspace.create(directory, name, population)
        migrations = ws.applied_migrations()
        ws.close()
    print_result(
        json_out,
        {"workspace": str(directory), "name": name, "migrations": migrations},
        f"Created place [bold]{name}[/] in {directory}.",
    )


@app.command()
def log(
    workspace: WorkspaceOpt = Path("."),
    limit: Annotated[int, typer.Option(help="How many entries")] = 20,
    json_out: JsonOpt = False,
) -> None:
    """The audit log: every write, who made it, when, from which file."""
    with common.open_workspace(workspace, json_out, read_only=True) as ws:
        entries = ws.audit_log(limit)
    if json_out:
        print_json([e.__dict__ for e in entries])
        return
    t = Table(title="Audit log (newest first)")
    for c in ("when", "who", "action", "file", "sha256", "rows", "detail"):
        t.add_column(c, overflow="fold")
    for e in entries:
        t.add_row(
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.who,
            e.action,
            e.file or "",
            (e.sha256 or "")[:12],
            "" if e.rows is None else str(e.rows),
            detail_text(e.detail),
        )
    console.print(t)


@app.command()
def version() -> None:
    """Print the version."""
    console.print(__version__)
