"""The operations on a place's payments ("spend over £500" files): importing them, and the
suppliers paid most and the payments between partners, for every front end.

Like :mod:`wholeplace.spend.service`, each returns a typed result whose ``to_json()`` is
exactly what ``--json`` prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
from ibis.backends import BaseBackend

from wholeplace.engine import execute
from wholeplace.errors import WholeplaceError
from wholeplace.partners import partner_ids
from wholeplace.spend.service import _unknown_engine, plain
from wholeplace.spend.transactions import (
    FileResult,
    TransactionMapping,
    import_transaction_file,
    payments_between_partners,
    read_transaction_mapping,
    shared_suppliers,
    top_suppliers,
)
from wholeplace.workspace import Workspace
from wholeplace.years import YearError, parse_year

__all__ = [
    "FileProgress",
    "SuppliersResult",
    "TransactionsImport",
    "import_transactions",
    "suppliers",
    "write_suppliers",
]

# (file name, stage, done, total): how far the import of one file has got.
FileProgress = Callable[[str, str, int, int], None]


def _year_given(year: str | None) -> str | None:
    """``year`` as a label, or None for every year; a year that cannot be read is the
    user's mistake (WholeplaceError), not a crash."""
    if not year:
        return None
    try:
        return parse_year(year)
    except YearError as exc:
        raise WholeplaceError(f"{exc}. Fix: write the year as 2024/25.") from exc


def _transaction_tables(
    ws: Workspace, engine: str, master: str
) -> tuple[BaseBackend, ibis.Table, ibis.Table]:
    """(backend, payments, partners) on ``engine``."""
    if engine == "duckdb":
        return ws.ibis, ws.ibis.table("transactions"), ws.ibis.table("partners")
    if engine == "spark":
        from wholeplace.engine_spark import spark_tables, spark_transactions

        t = spark_tables(ws, master)
        return t.backend, spark_transactions(ws, t.backend), t.partners
    raise _unknown_engine(engine)


# -- transactions ----------------------------------------------------------------------------


@dataclass
class TransactionsImport:
    """One result per transaction file, in the order given."""

    files: list[FileResult] = field(default_factory=list)

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {
                "file": r.file,
                "status": r.status,
                "message": r.message,
                "rows": r.rows,
                "total_gbp": str(r.total_gbp),
                "credits_gbp": str(r.credits_gbp),
                "to_partners_gbp": str(r.to_partners_gbp),
                "years": r.years,
                "encoding": r.encoding,
                "layout": r.layout,
                "skipped": r.skipped,
                "unmapped": [plain(dict(u.__dict__)) for u in r.unmapped],
                "notices": [n.to_dict() for n in r.notices],
            }
            for r in self.files
        ]


def import_transactions(
    ws: Workspace,
    files: Sequence[Path],
    *,
    partner: str | None = None,
    mapping: Path | None = None,
    columns: Sequence[str] | None = None,
    sheet: str | None = None,
    strict: bool = False,
    progress: FileProgress | None = None,
) -> TransactionsImport:
    """Import "spend over £500" files, each whole or not at all; duplicates are skipped.

    ``partner=None`` reads each row's partner from a ``partner`` column. The partner's spend
    lines of every year the files touch are re-built from all of its transactions.
    """
    if partner is not None and partner not in partner_ids(ws):
        raise WholeplaceError(
            f"{partner!r} is not a partner of this place. "
            f"Fix: wholeplace partners add --id {partner} --name ... --type ..."
        )
    m = read_transaction_mapping(mapping) if mapping else TransactionMapping.empty()
    out = TransactionsImport()
    for f in files:

        def report(stage: str, done: int, total: int, name: str = f.name) -> None:
            if progress is not None:
                progress(name, stage, done, total)

        # the options passed on by name, as the command passes them here (see import_lines)
        out.files.append(
            import_transaction_file(
                ws,
                f,
                partner=partner,
                mapping=m,
                columns=columns,
                sheet=sheet,
                strict=strict,
                progress=report,
            )
        )
    return out


@dataclass
class SuppliersResult:
    """Top (or shared) suppliers, and the payments between partners of the place."""

    year: str | None
    shared: bool
    suppliers: list[dict[str, Any]]
    between_partners: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "suppliers": plain(self.suppliers),
            "between_partners": plain(self.between_partners),
        }


def suppliers(
    ws: Workspace,
    year: str | None = None,
    top: int = 20,
    shared: bool = False,
    engine: str = "duckdb",
    spark_master: str = "local[*]",
) -> SuppliersResult:
    """The suppliers paid most (or paid by two or more partners), and payments between
    partners (which the spend map eliminates), in ``year`` or all years."""
    y = _year_given(year)
    backend, tx, partners = _transaction_tables(ws, engine, spark_master)
    expr = shared_suppliers(tx, y) if shared else top_suppliers(tx, y, top)
    rows = execute(backend, expr)[:top]
    between = execute(backend, payments_between_partners(tx, partners, y))
    between.sort(key=lambda r: (-r["amount_gbp"], r["payer"], r["payee"], r["year"]))
    return SuppliersResult(y, shared, rows, between)


def write_suppliers(res: SuppliersResult, place: str, out: Path | str) -> Path:
    """``spend suppliers --out``: the tables shown, as HTML, XLSX or PDF by ``out``'s suffix."""
    from wholeplace.reports.table_report import write_tables
    from wholeplace.spend.result_reports import suppliers_report

    return write_tables(suppliers_report(res, place), out, "the supplier analysis")
