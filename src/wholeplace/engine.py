"""Where analytics run.

Capabilities write their analytics as Ibis expressions over the tables returned here,
so the same code runs on the embedded DuckDB of a workspace or on Spark.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import ibis

from wholeplace.workspace import Workspace

if TYPE_CHECKING:
    # Ibis ships no type information (no py.typed), so mypy reads these names as Any; they
    # say what each field holds, and become checked types when Ibis ships its types.
    from ibis.backends import BaseBackend
    from ibis.expr.types import Table


@dataclass
class SpendTables:
    """The tables the spend map is computed from, on one backend."""

    lines: Table  # spend_lines
    partners: Table
    areas: Table
    services: Table  # the service taxonomy
    income: Table  # spend_income: income a return states beside its net figures
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
        income=con.table("spend_income"),
        backend=con,
    )


def execute(backend: BaseBackend, expr: Table) -> list[dict[str, Any]]:
    """Run an expression and return plain Python rows (Decimals stay Decimals)."""
    return backend.to_pyarrow(expr).to_pylist()  # type: ignore[no-any-return]
