"""Small places for the bad-input tests, and what a place holds, to show that a refused
command changed nothing (issue 11: "exit code 2, and an unchanged place")."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from spend_helpers import PARTNERS, add_partners
from typer.testing import CliRunner, Result

from wholeplace.cli import app
from wholeplace.workspace import Workspace

__all__ = [
    "PARTNERS",
    "cli",
    "make_place",
    "problems_of",
    "small_place",
    "snapshot",
    "snapshot_of",
    "state",
]


def snapshot(place: Path) -> dict[str, list[str]]:
    """Every row of every table of the place (sorted, as text; the audit log included),
    read without changing it."""
    con = duckdb.connect(str(place / "place.duckdb"), read_only=True)
    try:
        return snapshot_of(con)
    finally:
        con.close()


def snapshot_of(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """:func:`snapshot` through an open connection (a served place's, which no other may
    open meanwhile)."""
    tables = [
        t
        for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
    ]
    return {t: sorted(map(str, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}


state = snapshot


def cli(*argv: str) -> Result:
    return CliRunner().invoke(app, [*argv])


def problems_of(res: Result) -> list[dict[str, object]]:
    """The problems a command printed with --json (exit code 2)."""
    assert res.exit_code == 2, res.output
    found: list[dict[str, object]] = json.loads(res.stdout)["problems"]
    return found


def make_place(folder: Path) -> Path:
    """A place with the four partners of ``spend_helpers`` (cc, dc, icb, dwp)."""
    ws = Workspace.create(folder, "Testshire", population=1_000_000)
    try:
        add_partners(ws)
    finally:
        ws.close()
    return folder


SPEND = "partner,year,service,amount_gbp\ncc,2024/25,EDU,1000.00\ncc,2024/25,ASC,500.00\n"


def small_place(root: Path) -> Path:
    """A place with one partner (``cc``) and its spend for 2024/25, built through the CLI."""

    def run(*argv: str) -> None:
        res = cli(*argv)
        assert res.exit_code == 0, res.output

    place = root / "place"
    run("init", str(place), "--name", "Testshire", "--population", "1000")
    add = ("partners", "add", "--id", "cc", "--name", "Shire CC", "--type", "county council")
    run(*add, "--group", "County", "--sector", "Local government", "-w", str(place))
    (root / "spend.csv").write_text(SPEND, encoding="utf-8")
    run("spend", "import", str(root / "spend.csv"), "-w", str(place))
    return place
