"""`wholeplace parameters ...`: the shipped parameters, and a place's own values for them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from wholeplace import parameters
from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json, print_result
from wholeplace.errors import InputError, Problem
from wholeplace.yaml_files import parse_yaml, read_yaml_file

app = typer.Typer(
    help="Parameters as data (discount rates, optimism bias): list, show, and a place's "
    "own values (set, reset), recorded in its audit log.",
    no_args_is_help=True,
)
NameArg = Annotated[str, typer.Argument(help="Parameter name, e.g. discount_rate.green_book")]


def _value_text(v: Any) -> str:
    if isinstance(v, list):
        return ", ".join(f"{b['rate']} from year {b['from_year']}" for b in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {r}" for k, r in v.items())
    return str(v)


@app.command("list")
def list_(workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """Every parameter, its value in force today and whether this place overrides it."""
    with common.workspace_if_any(workspace, json_out, read_only=True) as ws:
        rows = [parameters.load(n, ws=ws).to_json() for n in parameters.names()]
    if json_out:
        print_json(rows)
        return
    t = Table(title="Parameters (value in force today)")
    for c in ("name", "value", "from", "source", "overridden"):
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(
            r["name"],
            _value_text(r["value"]),
            r["effective_from"],
            r["source"]["publisher"],
            "yes: " + r["override_reason"] if r["overridden"] else "",
        )
    console.print(t)


@app.command("show")
def show(name: NameArg, workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """One parameter: what it is, its source, every dated value, and this place's own."""
    with common.workspace_if_any(workspace, json_out, read_only=True) as ws:
        current = parameters.load(name, ws=ws)
        p = current.parameter
        data = current.to_json()
        data["unit"] = p.unit
        data["notes"] = p.notes
        data["values"] = {
            d.isoformat(): parameters.to_data(p.kind, v) for d, v in sorted(p.values.items())
        }
        data["override"] = None if current.override is None else current.override.to_json()
    if json_out:
        print_json(data)
        return
    console.print(f"[bold]{name}[/]: {p.description}")
    console.print(f"Source: {p.source.title}, {p.source.publisher} ({p.source.url})")
    console.print(f"Edition: {p.edition}   Licence: {p.licence}")
    for d, v in data["values"].items():
        console.print(f"  from {d}: {_value_text(v)}")
    if current.override is not None:
        console.print(
            f"This place's own value (from {data['effective_from']}): "
            f"{_value_text(data['value'])}; reason: {current.override.reason}"
        )
    if p.notes:
        console.print(f"[dim]{p.notes}[/]")


@app.command("set")
def set_(
    name: NameArg,
    file: Annotated[Path, typer.Argument(help='YAML: values: {"YYYY-MM-DD": value}')],
    reason: Annotated[str | None, typer.Option(help="Why this place uses its own value")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Use this place's own value for a parameter (recorded in the audit log)."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        raw = _read(file)
        why = reason or str(raw.get("reason") or "")
        ov = parameters.override(ws, name, raw.get("values") or {}, why, file=str(file))
    print_result(json_out, ov.to_json(), f"This place now uses its own {name} ({ov.reason}).")


@app.command("reset")
def reset(name: NameArg, workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """Go back to the shipped value of a parameter (recorded in the audit log)."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        removed = parameters.reset(ws, name)
    done = f"{name}: back to the shipped value." if removed else f"{name} was not overridden."
    print_result(json_out, {"name": name, "reset": removed}, done)


def _read(file: Path) -> dict[str, Any]:
    raw = parse_yaml(read_yaml_file(file), file.name)
    if not isinstance(raw, dict) or "values" not in raw:
        raise InputError(
            [
                Problem(
                    file.name,
                    None,
                    "values",
                    None,
                    "no values",
                    'write values: {"2024-04-01": ...} and reason: ...',
                )
            ]
        )
    return raw
