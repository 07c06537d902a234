"""The operations a user performs on the governance register, for every front end.

    from wholeplace.governance import service
    service.import_register(ws, Path("governance.yaml"))
    c = service.check(ws, as_of=date(2025, 4, 1))   # the register and its warnings on a date
    service.write_report(ws, Path("governance.html"), as_of=date(2025, 4, 1))

Every date rule is relative to ``as_of`` (default: today), so a report can be reproduced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from wholeplace.errors import WholeplaceError
from wholeplace.governance.checks import (
    HeatCell,
    Warning,
    heat_map,
    heat_map_json,
    warnings,
)
from wholeplace.governance.load import load_register
from wholeplace.governance.model import Register
from wholeplace.governance.store import load_register as stored_register
from wholeplace.governance.store import save_register
from wholeplace.partners import partner_ids
from wholeplace.reports.pdf import pdf_writer
from wholeplace.reports.writers import Writer, writer_for
from wholeplace.workspace import Workspace

__all__ = [
    "Check",
    "RegisterImport",
    "check",
    "current_agreement_for_every_flow",
    "flows_without_agreement",
    "import_register",
    "register",
    "write_report",
]


@dataclass
class RegisterImport:
    file: str
    counts: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, **self.counts}


def import_register(ws: Workspace, file: Path) -> RegisterImport:
    """Import the register from a YAML file; it replaces the place's register."""
    reg = load_register(Path(file), partner_ids(ws))
    with ws.write("governance import", file=file) as info:
        counts = save_register(ws, reg, Path(file).name)
        info["rows"] = sum(counts.values())
        info["detail"].update(counts)
    return RegisterImport(Path(file).name, counts)


def register(ws: Workspace) -> Register:
    reg = stored_register(ws)
    if reg is None:
        raise WholeplaceError(
            "No governance register imported yet. Fix: run `wholeplace governance import FILE`."
        )
    return reg


@dataclass
class Check:
    """The register and what needs attention on ``as_of``."""

    place: str
    as_of: date
    register: Register
    warnings: list[Warning]
    out: list[Path] = field(default_factory=list)

    @property
    def heat_map(self) -> list[list[HeatCell]]:
        return heat_map(self.register.risks)

    @property
    def residual_heat_map(self) -> list[list[HeatCell]]:
        return heat_map(self.register.risks, residual=True)

    def by_kind(self, *kinds: str) -> list[Warning]:
        return [w for w in self.warnings if w.kind in kinds]

    @property
    def summary(self) -> str:
        r = self.register
        n = len(self.warnings)
        return (
            f"On {self.as_of.isoformat()}: {len(r.delivery_models)} delivery models, "
            f"{len(r.agreements)} information-sharing agreements covering "
            f"{len(r.data_flows)} data flows, {len(r.risks)} risks; "
            f"{n} warning{'s' if n != 1 else ''}."
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "place": self.place,
            "as_of": self.as_of.isoformat(),
            "summary": self.summary,
            "warnings": [w.to_json() for w in self.warnings],
            **self.register.to_json(),
            "heat_map": heat_map_json(self.heat_map),
            "residual_heat_map": heat_map_json(self.residual_heat_map),
        }
        if self.out:
            out["out"] = [str(p) for p in self.out]
        return out


def check(ws: Workspace, as_of: date | None = None) -> Check:
    """The register with every warning on ``as_of`` (default: today)."""
    day = as_of or date.today()
    reg = register(ws)
    return Check(ws.name, day, reg, warnings(reg, day))


def flows_without_agreement(
    ws: Workspace, as_of: date | None = None
) -> tuple[int, tuple[str, ...]] | None:
    """The register's number of data flows and the ids of those with no agreement in force
    on ``as_of`` that covers their use; None when the place has no register or no flows."""
    reg = stored_register(ws)
    if reg is None or not reg.data_flows:
        return None
    uncovered = {
        w.subject
        for w in warnings(reg, as_of or date.today())
        if w.kind in ("flow_without_agreement", "purpose_not_covered")
    }
    return len(reg.data_flows), tuple(f.id for f in reg.data_flows if f.id in uncovered)


def current_agreement_for_every_flow(ws: Workspace, as_of: date | None = None) -> bool | None:
    """True when every data flow has an agreement in force on ``as_of`` that covers its use;
    None when the place has no register or no data flows (nothing to evidence)."""
    found = flows_without_agreement(ws, as_of)
    return None if found is None else not found[1]


def write_report(ws: Workspace, out: Path, as_of: date | None = None) -> Check:
    """Write the register with its warnings to ``out`` (.html, self-contained, or .xlsx)."""
    from wholeplace.governance.report import write_html, write_xlsx

    data: list[Check] = []
    writers: dict[str, Writer] = {
        ".html": lambda p: write_html(data[0], p, place=ws.name),
        ".xlsx": lambda p: write_xlsx(data[0], p),
        ".pdf": pdf_writer(lambda p: write_html(data[0], p, place=ws.name)),
    }
    write = writer_for(out, writers, "the governance report")
    data.append(check(ws, as_of))
    write(Path(out))
    data[0].out = [Path(out)]
    return data[0]
