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
from wholeplace.cba import analysis_service
from wholeplace.cba import report as cba_report
from wholeplace.cba import service as cba_service
from wholeplace.cba.discounting import DEFAULT_SCHEDULE, defaults
from wholeplace.cba.result_reports import sensitivity_report, simulation_report
from wholeplace.errors import WorkspaceError
from wholeplace.framework import report_service
from wholeplace.framework import service as framework_service
from wholeplace.governance import service as governance_service
from wholeplace.money import fmt_billions
from wholeplace.objectives import service as objectives_service
from wholeplace.outcome_values import spend_behind, unit_cost_proxies
from wholeplace.outcomes import service as outcomes_service
from wholeplace.partners import import_partners, list_partners
from wholeplace.place_evidence import PlaceEvidence
from wholeplace.reports.index import IndexEntry, write_index
from wholeplace.reports.shared_js import PLOTLY_FILE, share_plotly
from wholeplace.reports.table_report import write_tables
from wholeplace.sharing import service as sharing_service
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
    overall = report_service.write_report(ws, fw, PlaceEvidence(ws)).report.scores.overall
    sentences = {
        "framework": f"ALPS self-assessment {ASSESSMENT} (3 partners, 7 statements): "
        f"{overall.points} of {overall.out_of} points ({overall.pct}%).",
        "objectives": analysis.summary,
        "governance": checked.summary,
    }
    return [fw, obj, gov], sentences


TOOLKIT_STEPS = 5
# The PbR claim is docs/sharing.md's worked example, as at a fixed date so it never changes.
PBR_SCHEME = (
    Path(str(resources.files("wholeplace") / "data" / "sharing")) / "troubled_families_2012.yaml"
)


def _pbr_claim(families: Path) -> sharing_service.SharingResult:
    return sharing_service.pbr_claim(PBR_SCHEME, families, as_of=date(2015, 3, 31))


def write_toolkit(
    ws: Workspace, demo: DemoPlace, reports: Path, step: Callable[[str], None]
) -> tuple[list[IndexEntry], dict[str, str]]:
    """The other capabilities on the same place (data/demo/toolkit/, see its SOURCES.md):
    an early-help appraisal with its sensitivity and simulation, its gain-share, a pooled
    budget, a PbR claim and recharges."""
    inputs = demo.folder / "toolkit"
    entries: list[IndexEntry] = []
    step("appraisal")
    appraisal = inputs / "early-help-appraisal.yaml"
    run = cba_service.run(appraisal, ws, reports / "appraisal.html")
    names = {p.id: p.name for p in list_partners(ws)}
    cba_service.write_report(run.result, reports / "appraisal.xlsx", names=names)
    said = {"cba": cba_report.answer(run.result, names).sentence}
    entries.append(IndexEntry("Is early help worth it, and to whom?", reports / "appraisal.html",
                              said["cba"], [reports / "appraisal.xlsx"]))  # fmt: skip
    sensitivity = analysis_service.sensitivity(appraisal, ws)
    simulation = analysis_service.simulate(appraisal, ws)
    for key, title, report in (
        ("appraisal-sensitivity", "Which of its inputs decide it?",
         sensitivity_report(sensitivity, appraisal, demo.name)),
        ("appraisal-simulation", "How sure can we be of it?",
         simulation_report(simulation, appraisal, demo.name)),
    ):  # fmt: skip
        write_tables(report, reports / f"{key}.html", key)
        entries.append(IndexEntry(title, reports / f"{key}.html", report.answer.sentence))
    for key, file, title, build in (
        ("gainshare", "gainshare.yaml", "Who gains, and how is it shared?",
         sharing_service.gainshare),
        ("pool", "pool.yaml", "The pooled budget: who pays what", sharing_service.pool),
        ("pbr-claim", "pbr-families.csv", "Payment by results: what can be claimed", _pbr_claim),
        ("recharges", "recharges-staff.csv", "Recharges: who bears the shared staff",
         lambda f: sharing_service.recharges(f, actuals=f.with_name("recharges-actuals.csv"),
                                             year="2025/26")),
    ):  # fmt: skip
        step(key)
        result = build(inputs / file)
        for suffix in (".html", ".xlsx"):
            sharing_service.write_report(
                result, reports / f"{key}{suffix}", sources=[inputs / file], place=demo.name
            )
        answer = sharing_service.build_report(result).the_answer()
        said[key] = answer.sentence
        entries.append(IndexEntry(title, reports / f"{key}.html", answer.sentence,
                                  [reports / f"{key}.xlsx"]))  # fmt: skip
    return entries, said


def _entries(title: str, files: list[Path], sentence: str) -> list[IndexEntry]:
    """One index entry per HTML page of a capability, its other formats beside it."""
    pages = [p for p in files if p.suffix == ".html"]
    others = [p for p in files if p.suffix != ".html"]
    return [
        IndexEntry(
            title if i == 0 else f"{title}: {p.stem}",
            p,
            sentence if i == 0 else "",
            [o for o in others if o.stem == p.stem],
        )  # fmt: skip
        for i, p in enumerate(pages)
    ]


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
        from wholeplace.assets.neighbourhoods import demo_profiles

        area_reports, sentences["areas"] = demo_profiles(ws, reports, spend)
        step("outcomes")
        inputs, values = demo.folder / "outcomes", (unit_cost_proxies(ws), spend_behind(ws, year))
        outcome_reports, sentences["outcomes"] = outcomes_service.demo(ws, inputs, reports, *values)
        toolkit, _ = write_toolkit(ws, demo, reports, step)
    finally:
        ws.close()
    shared = share_plotly(reports)  # one plotly.js for the folder, not 4.8 MB a page
    spend_html, *spend_other = written.files
    index = write_index(
        reports,
        f"The partners of {demo.name}: every report",
        [
            IndexEntry(
                f"Public spending in {demo.name}, {year}",
                spend_html,
                f"The partners of {demo.name} spent {fmt_billions(headline.map.total_gbp)} "
                f"in {year}.",
                spend_other,
            ),  # fmt: skip
            *(
                IndexEntry(t, p, sentences[k])
                for k, t, p in zip(
                    ("framework", "objectives", "governance"),
                    (
                        "How aligned are the partners?",
                        "Objectives and customer groups",
                        "Governance register",
                    ),
                    more[:3],
                    strict=True,
                )
            ),  # fmt: skip
            *_entries("The shared estate and area profiles", more[3:], sentences["estate"]),
            *_entries("Neighbourhood profiles", area_reports, sentences["areas"]),
            *_entries("Outcomes", outcome_reports, sentences["outcomes"]),
            *toolkit,
        ],
        place=demo.name,
    )
    toolkit_files = (p for e in toolkit for p in (e.path, *e.others))
    files = [*written.files, *more, *area_reports, *outcome_reports, *toolkit_files, index]
    files += [reports / PLOTLY_FILE] if shared else []
    note = str(demo.meta.get("basis_note", ""))
    return DemoResult(target, demo.name, headline, files, note, sentences)
