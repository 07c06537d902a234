"""Small places and files for the tests of hostile input (tests/security): a place with
two partners, spend and payment files of given amounts, and the command line with --json."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.partners import Partner, upsert
from wholeplace.workspace import Workspace


def new_place(tmp_path: Path) -> Path:
    ws = Workspace.create(tmp_path / "place", "Vale")
    with ws.write("test partners"):
        upsert(
            ws,
            [
                Partner("hbc", "Hyndburn Borough Council", "district", "Districts", "LG"),
                Partner("lcc", "Lancashire County Council", "county council", "County", "LG"),
            ],
        )
    ws.close()
    return tmp_path / "place"


def run(*argv: str) -> tuple[int, Any]:
    res = CliRunner().invoke(app, [*argv, "--json"])
    try:
        return res.exit_code, json.loads(res.stdout)
    except json.JSONDecodeError:
        return res.exit_code, res.output


def written(place: Path) -> tuple[int, int, int]:
    """(spend lines, stored payments, audit-log entries after the partners were added)."""
    with Workspace.open(place) as ws:
        return (
            ws.con.execute("SELECT count(*) FROM spend_lines").fetchall()[0][0],
            ws.con.execute("SELECT count(*) FROM transaction_payments").fetchall()[0][0],
            ws.con.execute(
                "SELECT count(*) FROM audit_log WHERE action NOT IN ('test partners', 'init')"
            ).fetchall()[0][0],
        )


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def lines_file(path: Path, amounts: list[str]) -> Path:
    header = ["partner", "year", "service", "subservice", "amount_gbp"]
    rows = [["hbc", "2024/25", "ASC", f"part {i}", a] for i, a in enumerate(amounts)]
    return write_csv(path, [header, *rows])


def payments_file(path: Path, amounts: list[str], dates: list[str] | None = None) -> Path:
    dates = dates or ["01/04/2024"] * len(amounts)
    rows = [[f"Supplier {i}", d, a] for i, (d, a) in enumerate(zip(dates, amounts, strict=True))]
    return write_csv(path, [["Supplier Name", "Payment Date", "Net Amount"], *rows])


SPEND_IMPORT = ("spend", "import", "--allow-credits")
TRANSACTIONS = ("spend", "import-transactions", "--partner", "hbc")
