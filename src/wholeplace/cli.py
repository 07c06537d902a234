"""The ``wholeplace`` command: one Typer app, a sub-command group per capability."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

import wholeplace.commands.spend_national  # noqa: F401
from wholeplace.commands import areas as areas_cmd
from wholeplace.commands import cba as cba_cmd
from wholeplace.commands import demo as demo_cmd
from wholeplace.commands import parameters as parameters_cmd
from wholeplace.commands import partners as partners_cmd
from wholeplace.commands import sharing as sharing_cmd
from wholeplace.commands import spend as spend_cmd
from wholeplace.commands.common import (
    JsonOpt,
    WorkspaceOpt,
    console,
    open_workspace,
    print_json,
    user_errors,
)
from wholeplace.version import __version__
from wholeplace.workspace import Workspace

app = typer.Typer(
    name="wholeplace",
    help="See together what is spent in a place, build the case for joining services up, "
    "agree who invests and who gains, and track outcomes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(partners_cmd.app, name="partners")
app.add_typer(areas_cmd.app, name="areas")
app.add_typer(spend_cmd.app, name="spend")
app.command("demo")(demo_cmd.demo)
# capability command groups are registered below, one line each
# -- registrations --
app.add_typer(sharing_cmd.app, name="sharing")
app.add_typer(cba_cmd.unitcosts_app, name="unitcosts")
app.add_typer(cba_cmd.app, name="cba")
app.add_typer(parameters_cmd.app, name="parameters")


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new place")],
    name: Annotated[str, typer.Option(help="Name of the place, e.g. 'Lancashire'")],
    population: Annotated[int | None, typer.Option(help="Residents, for per-head figures")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Make a new place: a folder with place.duckdb and its audit log."""
    with user_errors(json_out):
        ws = Workspace.create(directory, name, population)
        migrations = ws.applied_migrations()
        ws.close()
    if json_out:
        print_json({"workspace": str(directory), "name": name, "migrations": migrations})
    else:
        console.print(f"Created place [bold]{name}[/] in {directory}.")


@app.command()
def log(
    workspace: WorkspaceOpt = Path("."),
    limit: Annotated[int, typer.Option(help="How many entries")] = 20,
    json_out: JsonOpt = False,
) -> None:
    """The audit log: every write, who made it, when, from which file."""
    with open_workspace(workspace, json_out) as ws:
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
            ", ".join(f"{k}={v}" for k, v in e.detail.items()),
        )
    console.print(t)


@app.command()
def version() -> None:
    """Print the version."""
    console.print(__version__)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
