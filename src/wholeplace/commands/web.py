"""`wholeplace serve` and `wholeplace users add | list | remove | reset-password`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, err_console, print_result
from wholeplace.web import users as web_users

users_app = typer.Typer(
    help="The users of the web application and their roles.", no_args_is_help=True
)


def serve(
    workspace: WorkspaceOpt = Path("."),
    host: Annotated[
        str, typer.Option(help="Address to listen on (this machine only by default)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    max_upload_mb: Annotated[int, typer.Option(help="Largest upload accepted, in MiB")] = 50,
) -> None:
    """Serve the place's web application. The server is the place's single writer while it runs."""
    from wholeplace.web import serve as run

    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(
            f"[yellow]Note:[/] serving on {host}, beyond this machine: put it behind a reverse "
            "proxy with TLS (docs/web.md), so passwords and cookies never cross a network in clear."
        )
    with common.user_errors():
        run(workspace, host, port, max_upload_mb)


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input")
]


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="User name (lower case)")],
    role: Annotated[str, typer.Option(help="One of: " + ", ".join(web_users.ROLES))],
    partner: Annotated[str | None, typer.Option(help="A partner analyst's partner id")] = None,
    password_stdin: PasswordStdin = False,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Add a user of the web application."""
    password = _password(password_stdin)
    with common.open_workspace(workspace, json_out) as ws:
        user = web_users.add_user(ws, username, role, password, partner)
    print_result(json_out, user.to_json(), f"Added {user.username} ({user.role}).")


@users_app.command("list")
def list_(workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """List the users and their roles."""
    with common.open_workspace(workspace, json_out, read_only=True) as ws:
        found = web_users.list_users(ws)
    if json_out:
        common.print_json([u.to_json() for u in found])
        return
    t = Table(title=f"{len(found)} users")
    for c in ("user", "role", "partner"):
        t.add_column(c)
    for u in found:
        t.add_row(u.username, u.role, u.partner or "")
    console.print(t)


@users_app.command("remove")
def remove(username: str, workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """Remove a user (and end their sessions)."""
    with common.open_workspace(workspace, json_out) as ws:
        user = web_users.remove_user(ws, username)
    print_result(json_out, user.to_json(), f"Removed {user.username}.")


@users_app.command("reset-password")
def reset_password(
    username: str,
    password_stdin: PasswordStdin = False,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Set a user's new password, unlock the account and end its sessions."""
    password = _password(password_stdin)
    with common.open_workspace(workspace, json_out) as ws:
        user = web_users.reset_password(ws, username, password)
    print_result(json_out, user.to_json(), f"Set a new password for {user.username}.")
