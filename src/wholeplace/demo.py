"""The shipped demo place: Lancashire's partners, built from published figures."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from wholeplace.areas import import_areas, import_boundaries
from wholeplace.assets import service as assets_service
from wholeplace.cba.discounting import DEFAULT_SCHEDULE, defaults
from wholeplace.errors import WorkspaceError
from wholeplace.framework import service as framework_service
from wholeplace.governance import service as governance_service
from wholeplace.objectives import service as objectives_service
from wholeplace.outcome_values import spend_behind, unit_cost_proxies
from wholeplace.outcomes import service as outcomes_service
from wholeplace.partners import import_partners
from wholeplace.place_evidence import PlaceEvidence
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
    # One sentence each from the alignment reports: framework, objectives, governance.
    alignment: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = self.headline.to_json()
        out["reports"] = [str(p) for p in self.reports]
        out["basis_note"] = self.basis_note
        out["alignment"] = dict(self.alignment)
        return out


# The demo's illustrative alignment inputs (data/demo/alignment/, see its SOURCES.md).
ASSESSMENT = "2025/26"
# The register is checked as it stood at the end of the assessment's year, so the demo's
# warnings are the same whenever it is run (its agreements run to 2030).
REGISTER_AS_OF = date(2026, 3, 31)
ALIGNMENT_STEPS = 3
ESTATE_STEPS = 1  # the estate and area profiles (data/demo/assets/)


def write_alignment(
    ws: Workspace, demo: DemoPlace, reports: Path, step: Callable[[str], None]
) -> tuple[list[Path], dict[str, str]]:
    """Import the demo's framework answers, objectives and governance register, and write
    their reports beside the spend report: the newer capabilities on the same place."""
    inputs = demo.folder / "alignment"
    step("governance register")
    governance_service.import_register(ws, inputs / "governance.yaml")
    gov = reports / "governance.html"
    checked = governance_service.write_report(ws, gov, REGISTER_AS_OF)
    step("objectives")
    objectives_service.import_groups(ws, inputs / "customer-groups.csv")
    objectives_service.import_objectives(ws, inputs / "objectives.csv")
    obj = reports / "objectives.html"
    analysis = objectives_service.write_report(ws, obj, demo.headline_year).analysis
    step("framework self-assessment")
    framework_service.start_assessment(ws, ASSESSMENT)
    framework_service.import_answers(ws, inputs / "framework-answers.csv", ASSESSMENT)
    fw = reports / f"framework-{ASSESSMENT.replace('/', '-')}.html"
    overall = framework_service.write_report(ws, fw, PlaceEvidence(ws)).report.scores.overall
    sentences = {
        "framework": f"ALPS self-assessment {ASSESSMENT} (3 partners, 7 statements): "
        f"{overall.points} of {overall.out_of} points ({overall.pct}%).",
        "objectives": analysis.summary,
        "governance": checked.summary,
    }
    return [fw, obj, gov], sentences


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
        more, sentences = write_alignment(ws, demo, reports, step)
        step("estate")
        green_book = defaults(ws).schedules[DEFAULT_SCHEDULE]
        by_area = spend_service.build_map(ws, year, "area")
        spend = {
            r.key: assets_service.AreaSpend(year, r.amount_gbp, r.per_head_gbp)
            for r in by_area.map.rows
        }
        estate, sentences["estate"] = assets_service.demo_estate(
            ws,
            demo.folder / "assets",
            reports,
            green_book.factors(11),
            green_book.describe(),
            spend,
        )
        more += estate
        step("outcomes")
        inputs, values = demo.folder / "outcomes", (unit_cost_proxies(ws), spend_behind(ws, year))
        outcome_reports, sentences["outcomes"] = outcomes_service.demo(ws, inputs, reports, *values)
    finally:
        ws.close()
    note = str(demo.meta.get("basis_note", ""))
    return DemoResult(
        target, demo.name, headline, [*written.files, *more, *outcome_reports], note, sentences
    )
