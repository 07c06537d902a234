"""The operations a user performs on the partners' objectives, for every front end.

    from wholeplace.objectives import service
    service.import_groups(ws, Path("groups.csv"))
    service.import_objectives(ws, Path("objectives.csv"))
    a = service.analyse(ws)            # overlaps, conflicts, different approaches, matrix
    service.write_report(ws, Path("objectives.html"))

Money comes from the spend map through :mod:`wholeplace.spend.service`, never from the
spend tables directly, so the £ beside the objectives are the map's own figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wholeplace.errors import WholeplaceError
from wholeplace.objectives.findings import Findings, Objective, find
from wholeplace.objectives.matrix import Matrix, SpendCell, build
from wholeplace.objectives.store import (
    CustomerGroup,
    customer_groups,
    groups_from_labels,
    known_partners,
    load_objectives,
    read_groups,
    read_objectives,
    save_groups,
    save_objectives,
)
from wholeplace.partners import list_partners
from wholeplace.reports.pdf import pdf_writer
from wholeplace.reports.writers import Writer, writer_for
from wholeplace.spend import service as spend_service
from wholeplace.workspace import Workspace

__all__ = [
    "Analysis",
    "GroupsImport",
    "ObjectivesImport",
    "ReportResult",
    "analyse",
    "import_groups",
    "import_objectives",
    "write_report",
]


@dataclass
class GroupsImport:
    groups: list[CustomerGroup]
    added: int
    replaced: int
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "added": self.added,
            "replaced": self.replaced,
            "customer_groups": [
                {"name": g.name, "description": g.description, "spend_labels": list(g.spend_labels)}
                for g in self.groups
            ],
        }


def import_groups(
    ws: Workspace,
    file: Path | None = None,
    *,
    from_spend: bool = False,
    year: str | None = None,
    sheet: str | None = None,
) -> GroupsImport:
    """Add customer groups from ``file``, or from the spend map's customer groups of ``year``
    (``from_spend``: one group for each label no group answers to yet)."""
    if (file is None) == (not from_spend):
        raise WholeplaceError("Give a FILE of customer groups or --from-spend (one of the two).")
    if file is not None:
        groups = read_groups(Path(file), sheet)
        source = Path(file).name
    else:
        spend = spend_service.spend_by_partner_and_customer_group(ws, year)
        groups = groups_from_labels(customer_groups(ws), {r.customer_group for r in spend.rows})
        source = f"spend map {spend.year}"
    with ws.write(
        "objectives groups", file=file, rows=len(groups), detail={"source": source}
    ) as info:
        added, replaced = save_groups(ws, groups)
        info["detail"].update({"added": added, "replaced": replaced})
    return GroupsImport(groups, added, replaced, source)


@dataclass
class ObjectivesImport:
    file: str
    objectives: list[Objective]
    replaced: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        partners = sorted({o.partner for o in self.objectives})
        return {
            "file": self.file,
            "rows": len(self.objectives),
            "partners": [
                {
                    "partner": p,
                    "objectives": sum(1 for o in self.objectives if o.partner == p),
                    "replaced_rows": self.replaced.get(p, 0),
                }
                for p in partners
            ],
        }


def import_objectives(ws: Workspace, file: Path, sheet: str | None = None) -> ObjectivesImport:
    """Import partners' objectives; a partner's earlier objectives are replaced."""
    objectives = read_objectives(Path(file), known_partners(ws), customer_groups(ws), sheet)
    with ws.write("objectives import", file=file, rows=len(objectives)) as info:
        replaced = save_objectives(ws, objectives)
        info["detail"].update({"partners": sorted(replaced)})
    return ObjectivesImport(Path(file).name, objectives, replaced)


@dataclass
class Analysis:
    """The objectives of a place, what they overlap and conflict on, and the money beside."""

    place: str
    objectives: list[Objective]
    findings: Findings
    matrix: Matrix
    out: list[Path] = field(default_factory=list)

    @property
    def summary(self) -> str:
        f = self.findings
        n, p = len(self.objectives), len({o.partner for o in self.objectives})
        return (
            f"{n} objective{'s' if n != 1 else ''} of {p} partner{'s' if p != 1 else ''}: "
            f"{len(f.overlaps)} overlap{'s' if len(f.overlaps) != 1 else ''}, "
            f"{len(f.conflicts)} conflict{'s' if len(f.conflicts) != 1 else ''}, "
            f"{len(f.different_approaches)} customer group"
            f"{'s' if len(f.different_approaches) != 1 else ''} with different approaches."
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "place": self.place,
            "summary": self.summary,
            "objectives": [o.to_json() for o in self.objectives],
            **self.findings.to_json(),
            "matrix": self.matrix.to_json(),
        }
        if self.out:
            out["out"] = [str(p) for p in self.out]
        return out


def analyse(ws: Workspace, year: str | None = None) -> Analysis:
    """Every overlap, conflict and different approach, and the partners x groups matrix with
    the spend map of ``year`` (default: the latest; none when the place has no spend)."""
    objectives = load_objectives(ws)
    if not objectives:
        raise WholeplaceError(
            "No objectives imported yet. Fix: run `wholeplace objectives import FILE`."
        )
    spend: list[SpendCell] = []
    spend_year: str | None = None
    try:
        by_group = spend_service.spend_by_partner_and_customer_group(ws, year)
    except WholeplaceError:
        if year is not None:
            raise
    else:
        spend_year = by_group.year
        spend = [SpendCell(r.partner, r.customer_group, r.amount_gbp) for r in by_group.rows]
    names = {p.id: p.name for p in list_partners(ws)}
    matrix = build(objectives, customer_groups(ws), names, spend, spend_year)
    return Analysis(ws.name, objectives, find(objectives), matrix)


@dataclass
class ReportResult:
    analysis: Analysis

    def to_json(self) -> dict[str, Any]:
        return self.analysis.to_json()


def write_report(ws: Workspace, out: Path, year: str | None = None) -> ReportResult:
    """Write the objectives report to ``out`` (.html, self-contained, or .xlsx)."""
    from wholeplace.objectives.report import write_html, write_xlsx

    data: list[Analysis] = []
    writers: dict[str, Writer] = {
        ".html": lambda p: write_html(data[0], p),
        ".xlsx": lambda p: write_xlsx(data[0], p),
        ".pdf": pdf_writer(lambda p: write_html(data[0], p)),
    }
    write = writer_for(out, writers, "the objectives report")  # before any work
    data.append(analyse(ws, year))
    write(Path(out))
    data[0].out = [Path(out)]
    return ReportResult(data[0])
