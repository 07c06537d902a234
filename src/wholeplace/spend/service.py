"""The operations a user performs on a place's spend, for every front end.

The command line (``wholeplace spend ...``), the demo, notebooks and the web application
call these functions, so a figure is computed one way whichever door a user comes in by.
Each returns a typed result whose ``to_json()`` is exactly what ``--json`` prints.

    from wholeplace.spend import service
    m = service.build_map(ws, by="partner")
    service.write_report(ws, Path("reports/spend-2024-25.html"))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import ibis
from ibis.backends import BaseBackend

from wholeplace.allocation import Allocation
from wholeplace.areas import area_populations, place_population
from wholeplace.engine import SpendTables, duckdb_tables, execute
from wholeplace.errors import WholeplaceError
from wholeplace.money import ZERO
from wholeplace.partners import partner_ids
from wholeplace.reports.pdf import pdf_writer
from wholeplace.reports.writers import Writer, writer_for
from wholeplace.spend.capital import CapitalResult
from wholeplace.spend.capital import import_capital as _import_capital
from wholeplace.spend.consolidate import (
    DIMENSIONS,
    NOT_ALLOCATED,
    SpendMap,
    consolidate,
    consolidate_views,
    years,
)
from wholeplace.spend.drill import Drill, drill
from wholeplace.spend.estimate import Estimate, estimate_from_cra, read_driver
from wholeplace.spend.importer import ImportResult, import_spend
from wholeplace.spend.outturn import Authority, OutturnResult, read_workbook
from wholeplace.spend.outturn import import_outturn as _import_outturn
from wholeplace.spend.outturn_detail import DetailResult
from wholeplace.spend.outturn_detail import import_outturn_detail as _import_outturn_detail
from wholeplace.spend.partner_groups import (
    PartnerGroupAmount,
    PartnerGroupSpend,
    partner_group_spend,
    partner_service_group_spend,
)
from wholeplace.spend.taxonomy import Service
from wholeplace.spend.taxonomy import services as _services
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
from wholeplace.years import YearError, parse_year, year_slug

__all__ = [
    "ENGINES",
    "CapitalImport",
    "DetailResult",
    "EstimateResult",
    "FileProgress",
    "LinesImport",
    "MapResult",
    "OutturnAuthorities",
    "OutturnImport",
    "PartnerGroupAmount",
    "PartnerGroupSpend",
    "ReportResult",
    "ServiceList",
    "SuppliersResult",
    "TransactionsImport",
    "Drill",
    "build_map",
    "build_maps",
    "choose_year",
    "drill",
    "estimate",
    "import_capital",
    "import_lines",
    "import_outturn",
    "import_transactions",
    "outturn_authorities",
    "report_paths",
    "services",
    "spend_by_partner_and_customer_group",
    "spend_by_partner_service_and_group",
    "suppliers",
    "write_report",
    "write_reports",
]

ENGINES = ("duckdb", "spark")

# (file name, stage, done, total): how far the import of one file has got.
FileProgress = Callable[[str, str, int, int], None]


def plain(value: object) -> object:
    """``value`` with Decimals, paths and dates as strings, as ``--json`` prints them."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (Decimal, Path)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


# -- the year and the engine -------------------------------------------------------------


def choose_year(ws: Workspace, year: str | None) -> str:
    """``year`` as a label (``2024/25``), or the latest year with spend; it must have spend."""
    have = years(duckdb_tables(ws))
    if not have:
        raise WholeplaceError("No spend imported yet. Fix: run `wholeplace spend import FILE`.")
    if year is None:
        return have[-1]
    try:
        y = parse_year(year)
    except YearError as exc:
        raise WholeplaceError(f"{exc}. Fix: write the year as 2024/25.") from exc
    if y not in have:
        raise WholeplaceError(f"No spend for {y}. Years with spend: {', '.join(have)}.")
    return y


def _year_given(year: str | None) -> str | None:
    """``year`` as a label, or None for every year; a year that cannot be read is the
    user's mistake (WholeplaceError), not a crash."""
    if not year:
        return None
    try:
        return parse_year(year)
    except YearError as exc:
        raise WholeplaceError(f"{exc}. Fix: write the year as 2024/25.") from exc


def _unknown_engine(engine: str) -> WholeplaceError:
    return WholeplaceError(f"--engine {engine!r} is not known. Fix: use duckdb or spark.")


def _spark_spend_tables(ws: Workspace, master: str) -> SpendTables:
    """The workspace's spend tables on a Spark session at ``master``."""
    from wholeplace.engine_spark import spark_session, spark_tables

    try:
        spark_session(master)
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise WholeplaceError(
            "Spark is not installed. Fix: pip install 'pyspark>=4.0,<4.1' (needs Java 17)."
        ) from exc
    except Exception as exc:  # pragma: no cover - no Java, or the master is unreachable
        raise WholeplaceError(
            f"Spark did not start at {master}: {str(exc).splitlines()[0]}. "
            "Fix: install Java 17, or check --spark-master."
        ) from exc
    return spark_tables(ws, master)


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


# -- the map -------------------------------------------------------------------------------


@dataclass
class MapResult:
    """The consolidated spend of a place in one year, by one dimension."""

    place: str
    map: SpendMap
    per_head: bool = False
    # with ``allocate_by``: the spend on no area shared over the areas, and each area's
    # spend per head with its share (wholeplace.allocation)
    allocation: Allocation | None = None
    allocated_per_head: dict[str, Decimal] = field(default_factory=dict)

    @property
    def year(self) -> str:
        return self.map.year

    @property
    def by(self) -> str:
        return self.map.by

    def to_json(self) -> dict[str, Any]:
        out = self.map.to_json()
        if self.allocation is not None:
            out["allocation"] = {
                **self.allocation.to_json(),
                "parts": [
                    {
                        "key": code,
                        "allocated_gbp": str(part),
                        "per_head_with_allocated_gbp": (
                            None if (v := self.allocated_per_head.get(code)) is None else str(v)
                        ),
                    }
                    for code, part in sorted(self.allocation.parts.items())
                ],
            }
        return out


def build_map(
    ws: Workspace,
    year: str | None = None,
    by: str = "group",
    per_head: bool = False,
    engine: str = "duckdb",
    spark_master: str = "local[*]",
    allocate_by: str | None = None,
) -> MapResult:
    """The spend map of ``year`` (default: the latest) by ``by``, on DuckDB or Spark.

    ``per_head`` asks front ends to show £ per resident (the figures are always there).
    ``allocate_by`` (``population`` or an indicator; ``by`` must be ``area``) shares the
    spend on no area over the areas, to the penny, shown apart (:mod:`wholeplace.allocation`).
    """
    if allocate_by is not None and by != "area":
        raise WholeplaceError(
            "--allocate-by shares spend on no area over the areas. Fix: add --by area."
        )
    if by not in DIMENSIONS:
        raise WholeplaceError(f"--by {by!r} is not known. Fix: use one of {', '.join(DIMENSIONS)}.")
    y = choose_year(ws, year)
    if engine == "duckdb":
        tables = duckdb_tables(ws)
    elif engine == "spark":
        tables = _spark_spend_tables(ws, spark_master)
    else:
        raise _unknown_engine(engine)
    m = consolidate(
        tables,
        y,
        by,
        population=place_population(ws),
        area_population=area_populations(ws),
    )
    if allocate_by is None:
        return MapResult(ws.name, m, per_head)
    from wholeplace.allocation import allocate_by as allocate

    rest = sum((r.amount_gbp for r in m.rows if r.key == NOT_ALLOCATED), ZERO)
    allocation = allocate(ws, rest, allocate_by)
    own = {r.key: r.amount_gbp for r in m.rows if r.key != NOT_ALLOCATED}
    return MapResult(
        ws.name, m, per_head, allocation, allocation.per_head(own, area_populations(ws))
    )


def write_map(res: MapResult, out: Path | str) -> Path:
    """``spend map --out``: the map as shown, as HTML, XLSX or PDF by ``out``'s suffix."""
    from wholeplace.reports.table_report import write_tables
    from wholeplace.spend.result_reports import map_report

    return write_tables(map_report(res), out, "the spend map")


def build_maps(
    ws: Workspace, year: str | None = None, views: Sequence[str] = ("group",)
) -> dict[str, MapResult]:
    """The spend maps of ``year`` by each of ``views`` at once (on DuckDB): the
    reconciliation, eliminations and bases are computed once for all of them."""
    for by in views:
        if by not in DIMENSIONS:
            raise WholeplaceError(f"{by!r} is not a view. Fix: use one of {', '.join(DIMENSIONS)}.")
    maps = consolidate_views(
        duckdb_tables(ws),
        choose_year(ws, year),
        views,
        population=place_population(ws),
        area_population=area_populations(ws),
    )
    return {by: MapResult(ws.name, m) for by, m in maps.items()}


# -- importing a person's file -------------------------------------------------------------


@dataclass
class LinesImport:
    """What ``import_lines`` wrote."""

    result: ImportResult

    def to_json(self) -> dict[str, Any]:
        res = self.result
        return {
            "file": res.file,
            "rows": res.rows,
            "total_gbp": str(res.total_gbp),
            "partner_years": [
                {
                    "partner": p,
                    "year": y,
                    "total_gbp": str(t),
                    "replaced_rows": res.replaced.get((p, y), 0),
                }
                for (p, y), t in sorted(res.by_partner_year.items())
            ],
            "notices": [n.to_dict() for n in res.notices],
        }


def import_lines(
    ws: Workspace,
    file: Path,
    *,
    partner: str | None = None,
    year: str | None = None,
    mapping: Path | None = None,
    sheet: str | None = None,
    allow_credits: bool = False,
) -> LinesImport:
    """Import a file of spend lines; re-importing a partner's year replaces it."""
    # Each layer (command, service, importer) names these options again, so that every
    # signature is typed and documented; only the passing on repeats, no logic.
    return LinesImport(
        import_spend(
            ws,
            file,
            partner=partner,
            year=year,
            mapping=mapping,
            sheet=sheet,
            allow_credits=allow_credits,
        )
    )


# -- the report ----------------------------------------------------------------------------


@dataclass
class ReportResult:
    """The report files written, and the year they show."""

    year: str
    files: list[Path]

    @property
    def out(self) -> Path:
        return self.files[0]

    def to_json(self) -> dict[str, Any]:
        return {"out": str(self.out), "year": self.year}


def report_paths(
    folder: Path, year: str, suffixes: Sequence[str] = (".html", ".xlsx")
) -> list[Path]:
    """``folder/spend-2024-25.html`` and the like (file names use ``2024-25``)."""
    return [folder / f"spend-{year_slug(year)}{s}" for s in suffixes]


def write_reports(
    ws: Workspace,
    outs: Sequence[Path],
    year: str | None = None,
    allocate_by: str | None = None,
) -> ReportResult:
    """Write the spend report of ``year`` (default: the latest) to each of ``outs``.

    The writer is chosen by suffix: ``.html`` (self-contained, offline) or ``.xlsx``. The
    workspace is read once for all of them.
    """
    from wholeplace.spend.report import SpendReport, gather, write_html, write_xlsx

    data: list[SpendReport] = []

    def html(p: Path) -> object:
        return write_html(data[0], p)

    def xlsx(p: Path) -> object:
        return write_xlsx(data[0], p)

    writers: dict[str, Writer] = {".html": html, ".xlsx": xlsx, ".pdf": pdf_writer(html)}
    chosen = [writer_for(o, writers, "the spend report") for o in outs]
    y = choose_year(ws, year)
    data.append(gather(ws, y, allocate_by))
    for write, o in zip(chosen, outs, strict=True):
        write(Path(o))
    return ReportResult(y, [Path(o) for o in outs])


def write_report(
    ws: Workspace, out: Path, year: str | None = None, allocate_by: str | None = None
) -> ReportResult:
    """Write the spend report of ``year`` (default: the latest) to ``out`` (.html or .xlsx);
    ``allocate_by`` (population or an indicator) allocates the spend on no area to the
    areas for the per-head map (:mod:`wholeplace.allocation`)."""
    return write_reports(ws, [out], year, allocate_by)


# -- the taxonomy --------------------------------------------------------------------------


@dataclass
class ServiceList:
    """The service taxonomy: codes to use in spend files and mapping files."""

    services: list[Service]

    def to_json(self) -> list[dict[str, Any]]:
        return [dict(s.__dict__) for s in self.services]


def services() -> ServiceList:
    return ServiceList(list(_services().values()))


# -- published outturn ---------------------------------------------------------------------


@dataclass
class OutturnAuthorities:
    """The authorities of a Revenue Outturn workbook (``import-outturn --list``)."""

    file: str
    year: str
    authorities: list[Authority]

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {"ecode": a.ecode, "ons_code": a.ons_code, "name": a.name, "class": a.cls}
            for a in self.authorities
        ]


def outturn_authorities(workbook: Path) -> OutturnAuthorities:
    wb = read_workbook(workbook)
    return OutturnAuthorities(wb.file, wb.year, list(wb.authorities))


@dataclass
class OutturnImport:
    """What ``import_outturn`` wrote."""

    result: OutturnResult

    def to_json(self) -> dict[str, Any]:
        res = self.result
        w = res.written
        return {
            "year": res.year,
            "sheet": res.sheet,
            "authorities": len(res.authorities),
            "partners_added": res.partners_added,
            "rows": w.rows,
            "total_gbp": str(w.total_gbp),
            "partner_years": [
                {"partner": p, "year": y, "total_gbp": str(t)}
                for (p, y), t in sorted(w.by_partner_year.items())
            ],
            "skipped_rows": [{"row": r, "name": n} for r, n in res.skipped_rows],
            "mismatched_totals": [
                {"ecode": e, "sum_gbp": str(s), "published_total_gbp": str(t)}
                for e, s, t in res.mismatched_totals
            ],
        }


def import_outturn(
    ws: Workspace,
    workbook: Path,
    *,
    authority: str | None = None,
    partner: str | None = None,
    all_authorities: bool = False,
) -> OutturnImport:
    """Import a Revenue Outturn Summary (RS) workbook: one authority, or all of them."""
    return OutturnImport(
        _import_outturn(
            ws, workbook, authority=authority, partner=partner, all_authorities=all_authorities
        )
    )


def import_outturn_detail(
    ws: Workspace, file: Path, *, partner: str, year: str | None = None
) -> DetailResult:
    """Import one authority's detailed outturn (RSX with its RO4-RO6 lines) to the finer
    services: each division adds up to its RSX figure, the rest marked "not itemised"."""
    return _import_outturn_detail(ws, file, partner=partner, year=year)


@dataclass
class CapitalImport:
    """What ``import_capital`` wrote."""

    result: CapitalResult

    def to_json(self) -> dict[str, Any]:
        res = self.result
        w = res.written
        return {
            "year": res.year,
            "forecast": res.forecast,
            "authorities": len(res.authorities),
            "partners_added": res.partners_added,
            "rows": w.rows,
            "capital_gbp": str(w.total_gbp),
            "partner_years": [
                {"partner": p, "year": y, "capital_gbp": str(t)}
                for (p, y), t in sorted(w.by_partner_year.items())
            ],
            "skipped_rows": [{"row": r, "name": n} for r, n in res.skipped_rows],
            "not_published": [{"row": r, "name": n} for r, n in res.not_published],
        }


def import_capital(
    ws: Workspace,
    workbook: Path,
    *,
    authority: str | None = None,
    partner: str | None = None,
    all_authorities: bool = False,
) -> CapitalImport:
    """Import a capital outturn (COR B) or estimates (CER B) workbook: capital lines."""
    return CapitalImport(
        _import_capital(
            ws, workbook, authority=authority, partner=partner, all_authorities=all_authorities
        )
    )


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


# -- estimates -----------------------------------------------------------------------------


@dataclass
class EstimateResult:
    """A partner's estimated spend in the place, one estimate per CRA function."""

    partner: str
    estimates: list[Estimate]

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {
                "function": ", ".join(e.total.matched_functions),
                "departments": list(e.total.departments),
                "spending": e.total.spending,
                "region_gbp": str(e.total.amount_gbp),
                "share": str(e.share),
                "estimate_gbp": str(e.amount_gbp),
                "by_area": {k or "": str(v) for k, v in e.by_area.items()},
                "method": e.lines[0].estimate_method if e.lines else None,
            }
            for e in self.estimates
        ]


def _decimal(x: Decimal | float | int) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def estimate(
    ws: Workspace,
    *,
    partner: str,
    region: str,
    functions: Sequence[str],
    year: str,
    region_driver: Decimal | float | int,
    source: str = "cra",
    file: Path | None = None,
    driver: str = "population",
    place_driver: Decimal | float | int | None = None,
    driver_file: Path | None = None,
    service_codes: Sequence[str] = (),
    departments: Sequence[str] = (),
    include_local_government: bool = False,
    spending: Sequence[str] = ("current",),
) -> EstimateResult:
    """Estimate a partner's spend in the place: regional spend x the place's driver share.

    ``departments`` default to those of the partner's type; current and capital spending
    (``spending``) are estimated apart. The lines are marked as estimates with their
    method and source, and replace the partner's lines of that year and account.
    """
    if source != "cra":
        raise WholeplaceError(f"--source {source!r} is not known. Fix: use --source cra.")
    if file is None:
        raise WholeplaceError(
            "Which CRA workbook? Fix: --file CRA_2018_Database_for_Publication_rvsd.xlsx "
            "(HM Treasury, Country and Regional Analysis)."
        )
    est = estimate_from_cra(
        ws,
        file,
        partner=partner,
        region=region,
        functions=list(functions),
        year=year,
        region_driver=_decimal(region_driver),
        driver=driver,
        place_driver=None if place_driver is None else _decimal(place_driver),
        area_driver=read_driver(driver_file) if driver_file else None,
        service_codes=list(service_codes),
        level=("CG", "PC", "LG") if include_local_government else ("CG", "PC"),
        departments=tuple(departments),
        spending=tuple(spending),
    )
    return EstimateResult(partner, est)


# -- spend by partner and customer group -----------------------------------------------------


def spend_by_partner_and_customer_group(
    ws: Workspace, year: str | None = None
) -> PartnerGroupSpend:
    """The consolidated spend of ``year`` (default: the latest) by partner x customer group.

    The same lines as the map (payments between partners eliminated), so each partner's row
    sums to its row of the map by partner.
    """
    return partner_group_spend(ws, choose_year(ws, year))


def spend_by_partner_service_and_group(
    ws: Workspace, year: str | None = None
) -> tuple[str, list[tuple[str, str, str | None, Decimal]]]:
    """The year (default: the latest) and its consolidated revenue spend by partner x service
    x customer group: the lines the map counts, for the outcomes' contributions."""
    y = choose_year(ws, year)
    return y, partner_service_group_spend(ws, y)
