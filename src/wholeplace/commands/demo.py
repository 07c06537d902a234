"""`wholeplace demo DIR`: build the demo place, print its headline table, write reports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from wholeplace.commands.common import JsonOpt, console, print_json, user_errors
from wholeplace.demo import (
    ALIGNMENT_STEPS,
    ESTATE_STEPS,
    TOOLKIT_STEPS,
    DemoResult,
    demo_data,
    make_demo,
)
from wholeplace.money import fmt_billions, fmt_gbp, fmt_millions, fmt_pct


def demo(
    directory: Annotated[Path, typer.Argument(help="Folder for the demo place")] = Path(
        "demo-place"
    ),
    json_out: JsonOpt = False,
) -> None:
    """Build the Lancashire demo place, show where the money goes, and write the reports."""
    steps = 4 + ALIGNMENT_STEPS + ESTATE_STEPS + TOOLKIT_STEPS + len(demo_data().spend_files)
    with (
        user_errors(json_out),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            console=console,
            disable=json_out,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task("Building the demo place", total=steps)

        def step(msg: str) -> None:
            if msg == "reports":
                bar.update(task, description="Writing the reports")
            else:
                bar.update(task, advance=1, description=f"Importing {msg}")

        res = make_demo(directory, step)
        bar.update(task, advance=1)
    if json_out:
        print_json(res.to_json())
        return
    m = res.headline.map
    t = Table(title=f"Total public spending in {res.name}, {m.year}")
    t.add_column("Spent by")
    t.add_column("£bn", justify="right")
    t.add_column("£m", justify="right")
    t.add_column("share", justify="right")
    t.add_column("of which estimated", justify="right")
    for r in m.rows:
        t.add_row(
            r.label,
            fmt_billions(r.amount_gbp),
            fmt_millions(r.amount_gbp),
            fmt_pct(r.share),
            fmt_millions(r.estimated_gbp) if r.estimated_gbp else "",
        )
    t.add_row(
        "[bold]Total[/]",
        f"[bold]{fmt_billions(m.total_gbp)}[/]",
        f"[bold]{fmt_millions(m.total_gbp)}[/]",
        "100.0%",
        fmt_millions(m.estimated_gbp),
    )
    console.print(t)
    rec = m.reconciliation
    console.print(
        f"Reconciliation: imported {fmt_gbp(rec.imported_gbp)} = consolidated "
        f"{fmt_gbp(rec.consolidated_gbp)} + eliminated {fmt_gbp(rec.eliminated_gbp)} "
        + ("[green]✔[/]" if rec.holds else "[red]✘[/]")
    )
    if m.per_head_gbp is not None:
        console.print(f"Per resident: {fmt_gbp(m.per_head_gbp, pence=False)}")
    _bases(res)
    html, xlsx, *alignment = res.reports
    console.print(f"Reports: {html}  {xlsx}")
    for sentence in res.alignment.values():
        console.print(sentence)
    if alignment:
        console.print("Alignment reports (illustrative inputs): " + "  ".join(map(str, alignment)))
    console.print(f"Explore: wholeplace spend map --workspace {directory} --by service --per-head")


def _bases(res: DemoResult) -> None:
    """Each partner's basis, the map's warnings and why the demo mixes bases."""
    m = res.headline.map
    t = Table(title=f"Basis of each partner's figures, {m.year} (as imported)")
    t.add_column("Partner")
    t.add_column("basis")
    t.add_column("£m", justify="right")
    for b in sorted(m.bases, key=lambda b: (b.label != "net current expenditure", b.name)):
        t.add_row(b.name, b.label, fmt_millions(sum(b.by_basis.values(), Decimal(0))))
    console.print(t)
    for w in m.warnings:
        console.print(f"[yellow]Warning:[/] {w}")
    if res.basis_note:
        console.print(f"Why: {res.basis_note}")
