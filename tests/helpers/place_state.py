"""What a place holds, to show that a refused command changed nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb


def snapshot(place: Path) -> dict[str, object]:
    """Every table's rows (sorted, as text) and the audit log's length."""
    con = duckdb.connect(str(place / "place.duckdb"), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
        ]
        return {t: sorted(map(str, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
    finally:
        con.close()


SPEND = "partner,year,service,amount_gbp\ncc,2024/25,EDU,1000.00\ncc,2024/25,ASC,500.00\n"


def small_place(root: Path) -> Path:
    """A place with one partner (``cc``) and its spend for 2024/25, built through the CLI."""
    from typer.testing import CliRunner

    from wholeplace.cli import app

    def run(*argv: str) -> None:
        res = CliRunner().invoke(app, list(argv))
        assert res.exit_code == 0, res.output

    place = root / "place"
    run("init", str(place), "--name", "Testshire", "--population", "1000")
    add = ("partners", "add", "--id", "cc", "--name", "Shire CC", "--type", "county council")
    run(*add, "--group", "County", "--sector", "Local government", "-w", str(place))
    (root / "spend.csv").write_text(SPEND, encoding="utf-8")
    run("spend", "import", str(root / "spend.csv"), "-w", str(place))
    return place
