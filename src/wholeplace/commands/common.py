"""What every command shares: the --workspace and --json options, output and errors.

Commands look alike (their options, open the place, call a service, print): Typer reads each
command's options from its own signature, so that likeness is on purpose, not a copy to share.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, TypeVar

import duckdb
import typer
from rich.console import Console
from rich.table import Table

from wholeplace.errors import InputError, WholeplaceError
from wholeplace.partners import Partner, list_partners
from wholeplace.workspace import DB_NAME, Workspace, damaged_error

console = Console()
err_console = Console(stderr=True)

WorkspaceOpt = Annotated[
    Path,
    typer.Option(
        "--workspace",
        "-w",
        help="Folder of the place (holding place.duckdb).",
        envvar="WHOLEPLACE_WORKSPACE",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
# Every command that shows a result can also write it: one option, one wording.
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Also write the result: FILE.html, FILE.xlsx or FILE.pdf."),
]


def wrote(out: Path | None, json_out: bool) -> None:
    """The one completion message of every command that writes a file."""
    if out is not None and not json_out:
        console.print(f"Wrote {out}.")


F = TypeVar("F", bound=Callable[..., Any])


def _default(o: object) -> object:
    if isinstance(o, Decimal):
        return str(o)
    if isinstance(o, Path):
        return str(o)
    if hasattr(o, "isoformat"):
        return str(o.isoformat())
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def print_json(data: object) -> None:
    """JSON with Decimals as strings, so no money is ever a float."""
    sys.stdout.write(json.dumps(data, default=_default, indent=2, ensure_ascii=False) + "\n")


def print_result(json_out: bool, data: object, message: str) -> None:
    """``data`` as JSON with ``--json``, else ``message`` for people."""
    if json_out:
        print_json(data)
    else:
        console.print(message)


def show_problems(exc: InputError) -> None:
    table = Table(title=exc.summary, title_style="bold red", show_lines=False)
    for col in ("where", "found", "problem", "fix"):
        table.add_column(col, overflow="fold")
    for p in exc.problems[:200]:
        table.add_row(p.where(), "" if p.value is None else repr(p.value), p.message, p.fix)
    err_console.print(table)
    if len(exc.problems) > 200:
        err_console.print(f"... and {len(exc.problems) - 200} more problems.")


@contextmanager
def user_errors(json_out: bool = False) -> Iterator[None]:
    """Turn known errors into a plain message and exit code 2; no tracebacks for users."""
    try:
        yield
    except InputError as exc:
        if json_out:
            print_json({"error": exc.summary, "problems": [p.to_dict() for p in exc.problems]})
        else:
            show_problems(exc)
        raise typer.Exit(2) from exc
    except WholeplaceError as exc:
        if json_out:
            print_json({"error": str(exc)})
        else:
            err_console.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(2) from exc


@contextmanager
def open_workspace(
    path: Path, json_out: bool = False, *, read_only: bool = False
) -> Iterator[Workspace]:
    """The place in ``path`` for the command's body; its errors become exit code 2.

    ``read_only`` for commands that only read: nothing in the place is changed (not even a
    file that turns out not to be a place), and a read-only place can still be read, with
    a note saying so.
    """
    with user_errors(json_out):
        ws = Workspace.open(path, read_only=read_only)
        try:
            if read_only and not ws.writable:
                err_console.print(
                    f"[yellow]Note:[/] the place in {path} is read-only (read-only media, or "
                    "no write permission): it can be read, not changed."
                )
            yield ws
        except duckdb.Error as exc:
            # a block of the file that the opening checks did not read is damaged
            damaged = damaged_error(path / DB_NAME, exc)
            if damaged is None:
                raise
            raise damaged from exc
        finally:
            ws.close()


@contextmanager
def workspace_if_any(
    path: Path, json_out: bool = False, *, read_only: bool = False
) -> Iterator[Workspace | None]:
    """The place in ``path`` if there is one (its own data and parameters), else None
    (commands that also work without a place then use the shipped data)."""
    if not (path / DB_NAME).exists():
        with user_errors(json_out):
            yield None
        return
    with open_workspace(path, json_out, read_only=read_only) as ws:
        yield ws


# Where analytics run (wholeplace.engine): the same two options on every command that has them.
EngineOpt = Annotated[str, typer.Option(help="duckdb or spark")]
SparkMasterOpt = Annotated[str, typer.Option(help="Spark master URL")]


PlaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="A place: name the partners as its partner register does (ids must be its ids).",
    ),
]


def place_partners(workspace: Path | None, json_out: bool) -> list[Partner] | None:
    """The partners of the place in ``workspace`` (``--workspace``), or ``None`` without one:
    the one reading of a place's partners for the starting files (``sharing template``,
    ``cba template``) and the sharing commands, so their names agree with the spend map."""
    if workspace is None:
        return None
    with open_workspace(workspace, json_out, read_only=True) as ws:
        return list_partners(ws)
