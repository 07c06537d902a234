"""A small place for the bad-input tests, and what it holds, to show that a refused file
changed nothing (issue 11: "exit code 2, and an unchanged place")."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from spend_helpers import PARTNERS, add_partners
from typer.testing import CliRunner, Result

from wholeplace.cli import app
from wholeplace.workspace import Workspace

__all__ = ["PARTNERS", "cli", "make_place", "problems_of", "state"]


def make_place(folder: Path) -> Path:
    """A place with the four partners of ``spend_helpers`` (cc, dc, icb, dwp)."""
    ws = Workspace.create(folder, "Testshire", population=1_000_000)
    try:
        add_partners(ws)
    finally:
        ws.close()
    return folder


def state(folder: Path) -> dict[str, list[str]]:
    """Every row of every table of the place, read without changing it."""
    con = duckdb.connect(str(folder / "place.duckdb"), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {t: sorted(map(str, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
    finally:
        con.close()


def cli(*argv: str) -> Result:
    return CliRunner().invoke(app, [*argv])


def problems_of(res: Result) -> list[dict[str, object]]:
    """The problems a command printed with --json (exit code 2)."""
    assert res.exit_code == 2, res.output
    found: list[dict[str, object]] = json.loads(res.stdout)["problems"]
    return found
