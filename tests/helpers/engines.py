"""The two engines a test can run on: the workspace's DuckDB, and Spark ``local[2]``.

A test asks for the ``engine`` fixture (``tests/conftest.py``) and is run once per engine,
the Spark run marked ``spark``. It builds its place in DuckDB as usual, then reads it through
the engine, so the same assertions, with the same hand-worked expected values, hold on both.
The Spark session is started once for the whole test run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wholeplace.engine import SpendTables, duckdb_tables, execute
from wholeplace.workspace import Workspace

ENGINES = ("duckdb", "spark")
SPARK_MASTER = "local[2]"


@dataclass(frozen=True)
class Engine:
    """One engine: ``name`` is also the value of the command line's ``--engine``."""

    name: str

    def __str__(self) -> str:
        return self.name

    def cli_args(self) -> list[str]:
        """The options that make a command run on this engine."""
        if self.name == "spark":
            return ["--engine", "spark", "--spark-master", SPARK_MASTER]
        return ["--engine", self.name]

    def tables(self, ws: Workspace) -> SpendTables:
        """The place's spend tables on this engine."""
        if self.name == "duckdb":
            return duckdb_tables(ws)
        from wholeplace.engine_spark import spark_tables

        return spark_tables(ws, SPARK_MASTER)

    def transactions(self, ws: Workspace) -> tuple[Any, Any, Any]:
        """The place's (backend, transactions, partners) on this engine."""
        if self.name == "duckdb":
            return ws.ibis, ws.ibis.table("transactions"), ws.ibis.table("partners")
        from wholeplace.engine_spark import spark_transactions

        t = self.tables(ws)
        return t.backend, spark_transactions(ws, t.backend), t.partners

    @staticmethod
    def rows(backend: Any, expr: Any) -> list[dict[str, Any]]:
        """The expression's rows as plain Python values (Decimals stay Decimals)."""
        return execute(backend, expr)
