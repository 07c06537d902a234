"""DuckDB statements: quoting, and running on every core with progress."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import duckdb

# (stage, done, total): how far an import has got
ProgressFn = Callable[[str, int, int], None]


def columns_sql(names: Sequence[str]) -> str:
    return "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"


def quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def long_field_sql(columns: Sequence[str], limit: int) -> tuple[str, str]:
    """SQL for (the first of ``columns`` holding text longer than ``limit`` characters, its
    length), both NULL when none does. ``strlen`` (bytes, kept with each string: free) is
    tried first, so only an unusually long string has its characters counted."""
    long = [(c, f"strlen({c}) > {limit} AND length({c}) > {limit}") for c in columns]
    name = "CASE " + " ".join(f"WHEN {test} THEN {quote(c)}" for c, test in long) + " END"
    size = "CASE " + " ".join(f"WHEN {test} THEN length({c})" for c, test in long) + " END"
    return name, size


def setting(con: duckdb.DuckDBPyConnection, name: str) -> str:
    value = con.execute("SELECT current_setting(?)", [name]).fetchall()[0][0]
    return str(value).lower()


def without_order(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, Any] | None = None,
    *,
    progress: ProgressFn | None = None,
    stage: str = "",
) -> None:
    """Run ``sql`` letting DuckDB reorder rows, so that it runs on every core.

    Safe for the staging table and the stored payments: every row carries its line
    (``_line`` / ``source_row``) where it is known, so the order rows are stored in
    means nothing. With ``progress``, DuckDB's own estimate of how far the statement has
    got is passed on twice a second (a 100M-row file is one statement of two minutes).
    """
    keep = setting(con, "preserve_insertion_order")
    con.execute("SET preserve_insertion_order = false")
    try:
        if progress is None:
            con.execute(sql, params or {})
        else:
            _with_query_progress(con, lambda: con.execute(sql, params or {}), progress, stage)
    finally:
        con.execute(f"SET preserve_insertion_order = {keep}")


def _with_query_progress(
    con: duckdb.DuckDBPyConnection,
    run: Callable[[], object],
    progress: ProgressFn,
    stage: str,
    every: float = 0.5,
) -> None:
    import threading

    keep = [setting(con, n) for n in ("enable_progress_bar", "enable_progress_bar_print")]
    con.execute("SET enable_progress_bar = true")  # DuckDB tracks progress only then
    con.execute("SET enable_progress_bar_print = false")
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(every):
            done = con.query_progress()
            if done >= 0:
                progress(stage, int(done), 100)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        run()
    finally:
        stop.set()
        watcher.join()
        con.execute(f"SET enable_progress_bar = {keep[0]}")
        con.execute(f"SET enable_progress_bar_print = {keep[1]}")
    progress(stage, 100, 100)
