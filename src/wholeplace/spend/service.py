"""The operations a user performs on a place's spend, for every front end.

The command line (``wholeplace spend ...``), the demo, notebooks and the web application
call these functions, so a figure is computed one way whichever door a user comes in by.
Each returns a typed result whose ``to_json()`` is exactly what ``--json`` prints.

    from wholeplace.spend import service
    m = service.build_map(ws, by="partner")
    service.write_report(ws, Path("reports/spend-2024-25.html"))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.allocation import Allocation
from wholeplace.areas import area_populations, place_population
from wholeplace.engine import SpendTables, duckdb_tables
from wholeplace.errors import WholeplaceError
from wholeplace.money import ZERO
from wholeplace.reports.pdf import pdf_writer
from wholeplace.reports.writers import Writer, writer_for
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
from wholeplace.spend.partner_groups import (
    PartnerGroupAmount,
    PartnerGroupSpend,
    partner_group_spend,
    partner_service_group_spend,
)
from wholeplace.spend.taxonomy import Service
from wholeplace.spend.taxonomy import services as _services
from wholeplace.workspace import Workspace
from wholeplace.years import YearError, parse_year, year_slug

__all__ = [
    "ENGINES",
    "EstimateResult",
    "LinesImport",
    "MapResult",
    "PartnerGroupAmount",
    "PartnerGroupSpend",
    "ReportResult",
    "ServiceList",
    "Drill",
    "build_map",
    "build_maps",
    "choose_year",
    "drill",
    "estimate",
    "import_lines",
    "report_paths",
    "services",
    "spend_by_partner_and_customer_group",
    "spend_by_partner_service_and_group",
    "write_report",
    "write_reports",
]

ENGINES = ("duckdb", "spark")


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
