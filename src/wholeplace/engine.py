"""Where analytics run.

Capabilities write their analytics as Ibis expressions over the tables returned here,
so the same code runs on the embedded DuckDB of a workspace or on Spark.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from typing import Any

import ibis
from ibis.backends import BaseBackend

from wholeplace.workspace import Workspace


@dataclass
class SpendTables:
    """The tables the spend map is computed from, on one backend."""

    lines: ibis.Table  # spend_lines
    partners: ibis.Table
    areas: ibis.Table
    services: ibis.Table  # the service taxonomy
    backend: BaseBackend


def taxonomy_rows() -> list[dict[str, str]]:
    text = (resources.files("wholeplace") / "data/taxonomy/services.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def duckdb_tables(ws: Workspace) -> SpendTables:
    con = ws.ibis
    tax = taxonomy_rows()
    services = ibis.memtable(
        {
            "code": [r["code"] for r in tax],
            "name": [r["name"] for r in tax],
            "division_code": [r["division_code"] for r in tax],
            "division": [r["division"] for r in tax],
        }
    )
    return SpendTables(
        lines=con.table("spend_lines"),
        partners=con.table("partners"),
        areas=con.table("areas"),
        services=services,
        backend=con,
    )


def execute(backend: BaseBackend, expr: ibis.Expr) -> list[dict[str, Any]]:
    """Run an expression and return plain Python rows (Decimals stay Decimals)."""
    return backend.to_pyarrow(expr).to_pylist()  # type: ignore[no-any-return]
