"""`wholeplace assets import | list | opportunities | report`: parse, call the service, render."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace.assets import service
from wholeplace.assets.model import shown
from wholeplace.cba.discounting import DEFAULT_SCHEDULE, defaults
from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json
from wholeplace.errors import WholeplaceError
from wholeplace.workspace import Workspace

app = typer.Typer(
    help="The partners' buildings and land as one estate: co-location and disposal candidates.",
    no_args_is_help=True,
)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The partner's register, CSV or XLSX")],
    partner: Annotated[str, typer.Option("--partner", help="The partner's id")],
    mapping: Annotated[
        Path | None, typer.Option(help="MAP.csv: field,column for a layout not known")
    ] = None,
    filter_: Annotated[
        list[str] | None,
        typer.Option("--filter", help='Keep only rows where COLUMN=VALUE (e.g. an ERIC "ICB")'),
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="The XLSX sheet (default: the first)")] = None,
    outside: Annotated[
        str,
        typer.Option(help="refuse (default) or keep assets located outside the place"),
    ] = "refuse",
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import one partner's land and buildings; they replace that partner's register. Every
    row is checked first; nothing is written if any is wrong."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        filters = service.parse_filters(filter_ or [])
        res = service.import_register(
            ws,
            file,
            partner,
            mapping=mapping,
            filters=filters,
            sheet=sheet,
            keep_outside=service.keep_outside(outside),
        )
    common.print_result(json_out, res.to_json(), res.summary)
    if not json_out:
        for s in res.shared_uprns:
            console.print(f"  UPRN {s.uprn}: {', '.join(s.assets)}")
        for n in res.notices:
            console.print(f"[yellow]Note:[/] {n}")


@app.command("list")
def list_(
    partner: Annotated[str | None, typer.Option(help="Only this partner's assets")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The shared register, one layout for every partner."""
    with common.open_workspace(workspace, json_out, read_only=True) as ws:
        assets = service.register(ws, partner)
    if json_out:
        print_json([a.to_json() for a in assets])
        return
    t = Table(title=f"{len(assets):,} assets")
    for col in ("partner", "ref", "name", "postcode", "use", "GIA m²", "cost a year", "util %"):
        t.add_column(col, overflow="fold")
    for a in assets:
        cost = a.running_cost
        t.add_row(
            a.partner,
            a.ref,
            a.name,
            a.postcode,
            a.use or a.type,
            "" if a.gia_m2 is None else f"{a.gia_m2:,}",
            "" if cost is None else f"£{cost:,}",
            "" if a.utilisation is None else str(a.utilisation),
        )
    console.print(t)


def _decimal(name: str, value: str) -> Decimal:
    try:
        d = Decimal(value.replace(",", ""))
    except InvalidOperation:
        d = Decimal(-1)
    if not d.is_finite() or d < 0:
        raise WholeplaceError(f"{name} {value!r} is not a number of 0 or more.")
    return d


def _spend_by_area(ws: Workspace, allocate_by: str | None) -> dict[str, service.AreaSpend] | None:
    from wholeplace.area_spend import spend_by_area

    return spend_by_area(ws, allocate_by)


AllocateOpt = Annotated[
    str | None,
    typer.Option(
        help="Allocate spend on no area (county-level) to the areas by population or an indicator"
    ),
]


def _criteria(
    within: str,
    under_used: str,
    years: int,
    move_cost: str,
    value: str,
    within_minutes: str | None = None,
) -> service.Criteria:
    if not 1 <= years <= 100:
        raise WholeplaceError(f"--years {years}: give 1 to 100.")
    return service.Criteria(
        within_m=_decimal("--within", within),
        within_minutes=None
        if within_minutes is None
        else _decimal("--within-minutes", within_minutes),
        under_used_pct=_decimal("--under-used", under_used),
        years=years,
        move_cost_per_m2=_decimal("--move-cost-per-m2", move_cost),
        value_per_m2=_decimal("--value-per-m2", value),
    )


@app.command("opportunities")
def opportunities(
    within: Annotated[str, typer.Option(help="Metres, straight line, between buildings")] = "500",
    under_used: Annotated[str, typer.Option(help="Per cent of space in use below which")] = "75",
    years: Annotated[int, typer.Option(help="Years of savings in the net present value")] = 10,
    move_cost_per_m2: Annotated[str, typer.Option(help="£ per m² of space moved")] = "100",
    value_per_m2: Annotated[str, typer.Option(help="£ per m² of a freehold vacated")] = "0",
    travel_times: Annotated[
        Path | None, typer.Option(help="CSV: from, to, minutes (assets as partner/ref)")
    ] = None,
    within_minutes: Annotated[
        str | None, typer.Option(help="With --travel-times: minutes by road between buildings")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Co-location candidates (ranked by net present value, Green Book discounting) and
    disposal candidates (ranked by their reasons)."""
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        if (travel_times is None) != (within_minutes is None):
            raise WholeplaceError(
                "--travel-times and --within-minutes go together. Fix: give both, or neither "
                "(then --within, in metres, is used)."
            )
        criteria = _criteria(
            within, under_used, years, move_cost_per_m2, value_per_m2, within_minutes
        )
        schedule = defaults(ws).schedules[DEFAULT_SCHEDULE]
        minutes = None if travel_times is None else service.read_travel_times(travel_times)
        found = service.opportunities(
            ws, criteria, schedule.factors(years + 1), schedule.describe(), minutes
        )
    if json_out:
        print_json(found.to_json())
        return
    console.print(found.summary)
    t = Table(title="Co-location candidates (best net present value first)")
    for col in ("rank", "keep", "vacate", "saving a year", "receipt", "moving", "NPV", "notes"):
        t.add_column(col, overflow="fold")
    for g in found.co_locations:
        t.add_row(
            str(g.rank),
            g.keep.key,
            ", ".join(a.key for a in g.vacate),
            f"£{g.saving_a_year:,}",
            f"£{g.receipt:,}",
            f"£{g.moving_cost:,}",
            f"£{g.npv:,}",
            "; ".join(g.reasons),
        )
    console.print(t)
    t = Table(title="Disposal candidates")
    for col in ("rank", "asset", "name", "reasons"):
        t.add_column(col, overflow="fold")
    for d in found.disposals:
        t.add_row(str(d.rank), d.asset.key, d.asset.name, "; ".join(d.reasons))
    console.print(t)


@app.command("indicator")
def indicator(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX, one row per area (LSOA)")],
    name: Annotated[str, typer.Option(help="A short name, e.g. imd_decile")],
    column: Annotated[str, typer.Option(help="The column holding the figures")],
    source: Annotated[str, typer.Option(help="Who published the figures")],
    as_of: Annotated[str, typer.Option("--as-of", help="The date or year they are for")],
    higher_is: Annotated[str, typer.Option(help="worse, better or neutral")] = "neutral",
    counts: Annotated[
        bool, typer.Option("--counts", help="A count of people: under 5 suppressed in reports")
    ] = False,
    code_column: Annotated[str | None, typer.Option(help="The area code column")] = None,
    sheet: Annotated[str | None, typer.Option(help="The XLSX sheet")] = None,
    lookup: Annotated[
        Path | None, typer.Option(help="ONS LSOA 2011 to 2021 lookup, for 2021 codes")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import one small-area indicator (deprivation, population ...) by area code."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = service.import_indicator(
            ws,
            file,
            name,
            column,
            source=source,
            as_of=as_of,
            higher_is=higher_is,
            counts=counts,
            lookup=lookup,
            code_column=code_column,
            sheet=sheet,
        )
    common.print_result(json_out, res.to_json(), res.summary)


@app.command("profile")
def profile(
    area: Annotated[str | None, typer.Argument(help="An area code (default: every area)")] = None,
    allocate_by: AllocateOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The area profiles: each area's indicators, its rank in the place, its assets."""
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        found = service.profiles(ws, area, _spend_by_area(ws, allocate_by))
    if json_out:
        print_json(found.to_json())
        return
    console.print(found.summary)
    t = Table()
    t.add_column("area")
    for i in found.indicators:
        t.add_column(f"{i.name} (rank)", justify="right")
    t.add_column("assets", justify="right")
    for a in found.areas:
        t.add_row(
            a.code,
            *[
                f"{shown(a.values[i.name])} ({a.ranks[i.name]})" if i.name in a.values else ""
                for i in found.indicators
            ],
            str(len(a.assets)),
        )
    console.print(t)
    if area is not None and found.areas[0].similar:
        console.print(
            "Most similar areas (distance over the indicators, each scaled by its range): "
            + ", ".join(f"{c} ({d})" for c, d in found.areas[0].similar)
        )


@app.command("report")
def report(
    out: Annotated[Path, typer.Option(help="FILE.html or FILE.xlsx")],
    indicator: Annotated[str | None, typer.Option(help="The indicator to map")] = None,
    allocate_by: AllocateOpt = None,
    within: Annotated[str, typer.Option(help="Metres, straight line, between buildings")] = "500",
    under_used: Annotated[str, typer.Option(help="Per cent of space in use below which")] = "75",
    years: Annotated[int, typer.Option(help="Years of savings in the net present value")] = 10,
    move_cost_per_m2: Annotated[str, typer.Option(help="£ per m² of space moved")] = "100",
    value_per_m2: Annotated[str, typer.Option(help="£ per m² of a freehold vacated")] = "0",
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The estate report: the estate by partner and use, the candidates, the area profiles
    with a map."""
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        criteria = _criteria(within, under_used, years, move_cost_per_m2, value_per_m2)
        schedule = defaults(ws).schedules[DEFAULT_SCHEDULE]
        written = service.write_report(
            ws,
            out,
            criteria=criteria,
            factors=schedule.factors(years + 1),
            discounting=schedule.describe(),
            indicator=indicator,
            spend=_spend_by_area(ws, allocate_by),
        )
    data = {"out": str(out), **written.to_json()}
    common.print_result(json_out, data, f"Wrote {out}.")


@app.command("export")
def export(
    partner: Annotated[str, typer.Option("--partner", help="The partner's id")],
    out: Annotated[Path, typer.Option(help="FILE.csv")],
    effective: Annotated[
        str | None, typer.Option(help="EffectiveDate to publish (default: today)")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """One partner's register in the Transparency Code's published layout (CSV)."""
    from datetime import date

    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        try:
            day = None if effective is None else date.fromisoformat(effective)
        except ValueError as exc:
            raise WholeplaceError(f"--effective {effective!r}: write it as 2025-03-31.") from exc
        n = service.export_register(ws, partner, out, day)
    common.print_result(
        json_out,
        {"out": str(out), "partner": partner, "assets": n},
        f"Wrote {n:,} assets to {out}.",
    )


@app.command("targets")
def targets(
    file: Annotated[Path, typer.Argument(help="CSV: year, receipts, savings")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import the partnership's One Public Estate targets by year (they replace the last)."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        n = service.import_targets(ws, file)
    common.print_result(json_out, {"years": n}, f"Imported targets for {n} years.")


@app.command("pipeline")
def pipeline(
    file: Annotated[Path, typer.Argument(help="CSV: asset, stage, year, receipt, saving")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import the disposal pipeline: each asset's stage (identified, agreed, marketed,
    disposed), the year of its receipt, the receipt and the saving a year."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        n = service.import_pipeline(ws, file)
    common.print_result(json_out, {"assets": n}, f"Imported the pipeline: {n} assets.")


@app.command("ope")
def ope(workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """The OPE targets against what has been delivered and what is in the pipeline."""
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        progress = service.ope_progress(ws)
    if json_out:
        print_json(progress.to_json())
        return
    console.print(progress.summary)
    t = Table(title="Targets against delivery (receipts in the year; savings a year by its end)")
    for col in (
        "year",
        "receipts target",
        "delivered",
        "pipeline",
        "savings target",
        "delivered",
        "pipeline",
    ):
        t.add_column(col, justify="right")
    for y in progress.years:
        t.add_row(
            y.year,
            *[
                "" if v is None else f"£{v:,}"
                for v in (
                    y.target_receipts,
                    y.delivered_receipts,
                    y.pipeline_receipts,
                    y.target_savings,
                    y.delivered_savings,
                    y.pipeline_savings,
                )
            ],
        )
    console.print(t)
