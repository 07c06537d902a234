"""The shipped demo place: Lancashire's partners, built from published figures."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from wholeplace.areas import import_areas, import_boundaries
from wholeplace.errors import WorkspaceError
from wholeplace.partners import import_partners
from wholeplace.spend import service as spend_service
from wholeplace.workspace import DB_NAME, Workspace


@dataclass
class DemoPlace:
    folder: Path
    meta: dict[str, Any]
    spend_files: list[Path] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.meta["name"])

    @property
    def headline_year(self) -> str:
        return str(self.meta["headline_year"])


def demo_data() -> DemoPlace:
    folder = Path(str(resources.files("wholeplace") / "data" / "demo"))
    meta = yaml.safe_load((folder / "place.yaml").read_text(encoding="utf-8"))
    files = sorted((folder / "spend").glob("*.csv"))
    return DemoPlace(folder, meta, files)


def build_demo(
    target: Path, progress: Callable[[str], None] | None = None
) -> tuple[Workspace, DemoPlace]:
    """Create (or re-create) the demo place in ``target`` and import everything."""
    demo = demo_data()
    step = progress or (lambda _msg: None)
    if (target / DB_NAME).exists():
        ws = Workspace.open(target, read_only=True)
        is_demo = ws.setting("demo") == "yes"
        ws.close()
        if not is_demo:
            raise WorkspaceError(
                f"{target} holds a place that is not the demo; refusing to overwrite it. "
                "Fix: choose another folder for the demo."
            )
        (target / DB_NAME).unlink()
        wal = target / (DB_NAME + ".wal")
        wal.unlink(missing_ok=True)
        shutil.rmtree(target / "reports", ignore_errors=True)
    ws = Workspace.create(target, demo.name, population=int(demo.meta["population"]))
    with ws.write("demo marker"):
        ws.set_setting("demo", "yes")
    step("partners")
    import_partners(ws, demo.folder / "partners.csv")
    step("areas")
    import_areas(ws, demo.folder / "areas.csv")
    if (demo.folder / "boundaries.geojson").exists():
        step("boundaries")
        import_boundaries(ws, demo.folder / "boundaries.geojson", "code")
    for f in demo.spend_files:
        step(f"spend {f.stem}")
        spend_service.import_lines(ws, f)
    return ws, demo


@dataclass
class DemoResult:
    """The demo place built: its headline map and the reports written."""

    folder: Path
    name: str
    headline: spend_service.MapResult
    reports: list[Path]
    # Why the demo's partners are on different bases (place.yaml's basis_note).
    basis_note: str = ""

    def to_json(self) -> dict[str, Any]:
        out = self.headline.to_json()
        out["reports"] = [str(p) for p in self.reports]
        out["basis_note"] = self.basis_note
        return out


def make_demo(target: Path, progress: Callable[[str], None] | None = None) -> DemoResult:
    """Build the demo place in ``target``, map its headline year and write its reports
    (``target/reports/spend-2024-25.html`` and ``.xlsx``)."""
    step = progress or (lambda _msg: None)
    ws, demo = build_demo(target, step)
    try:
        year = demo.headline_year
        headline = spend_service.build_map(ws, year, "group")
        reports = target / "reports"
        reports.mkdir(exist_ok=True)
        step("reports")
        written = spend_service.write_reports(ws, spend_service.report_paths(reports, year), year)
    finally:
        ws.close()
    note = str(demo.meta.get("basis_note", ""))
    return DemoResult(target, demo.name, headline, written.files, note)
