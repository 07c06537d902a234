"""`wholeplace governance import | report`: parse, call the service, render."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json
from wholeplace.errors import WholeplaceError
from wholeplace.governance import service

app = typer.Typer(
    help="Delivery models and boards, information-sharing agreements, the risk register.",
    no_args_is_help=True,
)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The register as YAML (docs/governance.md)")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import the governance register; it replaces the place's register. Every item is
    checked first; nothing is written if any is wrong."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = service.import_register(ws, file)
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in res.counts.items())
    common.print_result(
        json_out, res.to_json(), f"Imported the register from {res.file}: {counts}."
    )


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise WholeplaceError(
            f"--as-of {value!r} is not a date. Fix: write it as 2025-03-31."
        ) from exc


@app.command("report")
def report(
    out: Annotated[Path | None, typer.Option(help="FILE.html or FILE.xlsx")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date the warnings are for (default: today)")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The register with its warnings: agreements expired or ending within 90 days, data flows
    not covered, boards without a chair, overdue risk reviews; the risk heat maps."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        day = _as_of(as_of)
        c = service.check(ws, day) if out is None else service.write_report(ws, out, day)
    if json_out:
        print_json(c.to_json())
        return
    console.print(c.summary)
    t = Table(title=f"Warnings ({len(c.warnings)})")
    for col in ("kind", "about", "what we found", "fix"):
        t.add_column(col, overflow="fold")
    for w in c.warnings:
        t.add_row(w.kind.replace("_", " "), w.subject, w.message, w.fix)
    console.print(t)
    if out is not None:
        console.print(f"Wrote {out}.")
