"""`wholeplace assets import | list | opportunities | report`: parse, call the service, render."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace.assets import service
from wholeplace.cba.discounting import DEFAULT_SCHEDULE, defaults
from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json
from wholeplace.errors import WholeplaceError

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


@app.command("opportunities")
def opportunities(
    within: Annotated[str, typer.Option(help="Metres, straight line, between buildings")] = "500",
    under_used: Annotated[str, typer.Option(help="Per cent of space in use below which")] = "75",
    years: Annotated[int, typer.Option(help="Years of savings in the net present value")] = 10,
    move_cost_per_m2: Annotated[str, typer.Option(help="£ per m² of space moved")] = "100",
    value_per_m2: Annotated[str, typer.Option(help="£ per m² of a freehold vacated")] = "0",
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Co-location candidates (ranked by net present value, Green Book discounting) and
    disposal candidates (ranked by their reasons)."""
    with (
        common.open_workspace(workspace, json_out, read_only=True) as ws,
        common.user_errors(json_out),
    ):
        if not 1 <= years <= 100:
            raise WholeplaceError(f"--years {years}: give 1 to 100.")
        criteria = service.Criteria(
            _decimal("--within", within),
            _decimal("--under-used", under_used),
            years,
            _decimal("--move-cost-per-m2", move_cost_per_m2),
            _decimal("--value-per-m2", value_per_m2),
        )
        schedule = defaults(ws).schedules[DEFAULT_SCHEDULE]
        found = service.opportunities(
            ws, criteria, schedule.factors(years + 1), schedule.describe()
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
