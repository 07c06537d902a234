"""The operations a user performs on the place's outcomes, for every front end.

    from wholeplace.outcomes import service
    service.import_framework(ws, Path("outcomes.yaml"))
    service.import_observations(ws, Path("2024-25-q1.csv"), dataset="q1")
    service.review(ws, "q1", by="A. Analyst"); service.approve(ws, "q1", by="B. Director")
    r = service.report(ws, public=True)          # approved, suppressed data only
    service.write_report(ws, Path("outcomes.html"), public=True)

A Unit Cost Database value used as an SROI proxy is found through ``proxies`` (a
:data:`~wholeplace.outcomes.sroi.ProxyLookup`), which the edges fill from the cost-benefit
capability (``wholeplace.outcome_values``): outcomes never imports cba itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.areas import list_areas
from wholeplace.errors import WholeplaceError
from wholeplace.outcomes import store
from wholeplace.outcomes.additionality import GrossNet, gross_and_net
from wholeplace.outcomes.budget import Profile, profiles, read_budget
from wholeplace.outcomes.did import Did, difference_in_differences
from wholeplace.outcomes.links import (
    AppraisalLines,
    ContributionSpend,
    SpendLines,
    contribution_spend,
    link_appraisals,
)
from wholeplace.outcomes.load import parse_framework, read_framework_text
from wholeplace.outcomes.load_xlsx import read_workbook
from wholeplace.outcomes.model import Framework
from wholeplace.outcomes.observations import read_observations
from wholeplace.outcomes.scorecard import Row, scorecard, suppressed
from wholeplace.outcomes.sroi import ProxyLookup, SroiResult, calculate
from wholeplace.partners import list_partners, partner_ids
from wholeplace.reports.writers import Writer, writer_for
from wholeplace.workspace import Workspace

__all__ = [
    "Assured",
    "assured_scorecard",
    "BudgetImport",
    "FrameworkImport",
    "Money",
    "ObservationImport",
    "Report",
    "approve",
    "budget",
    "datasets",
    "import_budget",
    "framework",
    "import_framework",
    "import_observations",
    "report",
    "review",
    "SpendLookup",
    "SpendLines",
    "AppraisalLines",
    "write_report",
]


@dataclass(frozen=True)
class FrameworkImport:
    file: str
    outcomes: int
    indicators: int
    measures: int
    services: int
    claims: int
    sroi_lines: int

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def import_framework(
    ws: Workspace,
    file: Path,
    services: set[str] | None = None,
    appraisals: AppraisalLines | None = None,
) -> FrameworkImport:
    """Import the outcomes framework from YAML or a workbook (.xlsx); it replaces the
    place's framework. ``services``: the spend map's service codes its links are checked
    against; ``appraisals``: reads the appraisals it links to (both filled by the edges)."""
    path = Path(file)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        fw, text = read_workbook(path, partner_ids(ws), services)
    else:
        text = read_framework_text(path)
        fw = parse_framework(text, path.name, partner_ids(ws), services)
    linked = link_appraisals(fw, path.parent, path.name, appraisals)
    measures = sum(1 for i in fw.indicators if i.service is not None)
    res = FrameworkImport(
        path.name,
        len(fw.outcomes),
        len(fw.indicators) - measures,
        measures,
        len(fw.services),
        len(fw.claims),
        0 if fw.sroi is None else len(fw.sroi.lines),
    )
    with ws.write("outcomes import-framework", file=path) as info:
        store.save_framework(ws, text, path.name)
        store.save_appraisal_values(ws, linked)
        info["rows"] = len(fw.indicators)
        info["detail"].update(res.to_json())
    return res


def framework(ws: Workspace) -> Framework:
    found = store.framework_text(ws)
    if found is None:
        raise WholeplaceError(
            "No outcomes framework imported yet. "
            "Fix: run `wholeplace outcomes import-framework FILE.yaml`."
        )
    return parse_framework(found[0], found[1], None)


@dataclass(frozen=True)
class Assured:
    """The outcomes' indicators scored on approved data only (small numbers kept: this is
    the partnership's own evidence, not a public page)."""

    outcomes: int
    rows: list[Row]


def assured_scorecard(ws: Workspace) -> Assured | None:
    """The outcome indicators' scorecard from approved datasets; None without a framework."""
    if store.framework_text(ws) is None:
        return None
    fw = framework(ws)
    ours = tuple(i for i in fw.indicators if i.outcome is not None)
    return Assured(len(fw.outcomes), scorecard(ours, store.observations(ws, approved_only=True)))


@dataclass(frozen=True)
class ObservationImport:
    dataset: str
    file: str
    rows: int
    status: str
    was: str  # the dataset's status before: new, draft, reviewed or approved

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @property
    def summary(self) -> str:
        reopened = (
            f"; it was {self.was}, so it is reopened for review"
            if self.was in ("reviewed", "approved")
            else ""
        )
        return (
            f"Imported {self.rows} observations from {self.file} as draft dataset "
            f"{self.dataset!r}{reopened}."
        )


def import_observations(ws: Workspace, file: Path, dataset: str | None = None) -> ObservationImport:
    """Import observations as a draft dataset (default name: the file's stem). Importing a
    dataset again replaces its rows and reopens it for review."""
    path = Path(file)
    fw = framework(ws)
    obs = read_observations(path, fw, {a.code for a in list_areas(ws)})
    name = dataset or path.stem
    with ws.write("outcomes import-data", file=path, detail={"dataset": name}) as info:
        was = store.save_observations(ws, name, path.name, obs)
        info["rows"] = len(obs)
        info["detail"]["was"] = was
    return ObservationImport(name, path.name, len(obs), "draft", was)


@dataclass(frozen=True)
class BudgetImport:
    file: str
    rows: int
    profiles: list[Profile]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "profiles": [x.to_json() for x in self.profiles],
        }


def _services(fw: Framework) -> dict[str, str]:
    return {s.id: s.name for s in fw.services}


def import_budget(ws: Workspace, file: Path) -> BudgetImport:
    """Import the interventions' budget profile and actuals (CSV or XLSX); it replaces the
    place's budget profile."""
    path = Path(file)
    services = _services(framework(ws))
    months = read_budget(path, services)
    with ws.write("outcomes import-budget", file=path) as info:
        store.save_budget(ws, path.name, months)
        info["rows"] = len(months)
    return BudgetImport(path.name, len(months), profiles(months, services))


def budget(ws: Workspace) -> list[Profile]:
    """Each intervention's budget profile against actuals, variance and forecast outturn."""
    return profiles(store.budget(ws), _services(framework(ws)))


def datasets(ws: Workspace) -> list[store.Dataset]:
    return store.datasets(ws)


def review(ws: Workspace, dataset: str, by: str, note: str | None = None) -> store.Dataset:
    """Record that ``by`` reviewed the draft ``dataset``."""
    if not by.strip():
        raise WholeplaceError("Who reviewed it? Fix: give --by NAME.")
    with ws.write("outcomes review", detail={"dataset": dataset, "by": by}):
        store.review(ws, dataset, by.strip(), note)
    return store.dataset(ws, dataset)


def approve(ws: Workspace, dataset: str, by: str, exception: str | None = None) -> store.Dataset:
    """Record that ``by`` (not its reviewer) approved the reviewed ``dataset``; under the
    quality threshold only with an ``exception`` saying why."""
    if not by.strip():
        raise WholeplaceError("Who approved it? Fix: give --by NAME.")
    fw = framework(ws)
    scores = [
        i.quality_score for i in fw.indicators if i.id in store.dataset_indicators(ws, dataset)
    ]
    with ws.write("outcomes approve", detail={"dataset": dataset, "by": by}):
        store.approve(
            ws,
            dataset,
            by.strip(),
            min(scores) if scores else None,
            fw.quality_threshold,
            exception,
        )
    return store.dataset(ws, dataset)


@dataclass(frozen=True)
class Money:
    """The spend map's money behind an outcome: its services' consolidated spend in a year."""

    year: str
    lines: tuple[tuple[str, str, Decimal], ...]  # service code, name, amount

    @property
    def total(self) -> Decimal:
        return sum((a for _, _, a in self.lines), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "total": self.total,
            "services": [{"service": c, "name": n, "amount": a} for c, n, a in self.lines],
        }


# ``service codes -> Money`` from the spend map (None: the place has no spend); the edges fill
# it from the spend capability (``wholeplace.outcome_values.spend_behind``).
SpendLookup = Callable[[tuple[str, ...]], Money | None]


@dataclass
class Report:
    """The scorecard, the claims gross and net, and the SROI; ``public``: built only from
    approved data with small numbers suppressed."""

    place: str
    public: bool
    framework: Framework
    rows: list[Row]
    claims: list[GrossNet]
    sroi: SroiResult | None
    datasets: list[store.Dataset]
    suppressed: int
    unapproved_left_out: int
    partner_names: dict[str, str] = field(default_factory=dict)
    money: dict[str, Money] = field(default_factory=dict)  # by outcome id
    area_names: dict[str, str] = field(default_factory=dict)
    budget: list[Profile] = field(default_factory=list)
    dids: dict[str, Did] = field(default_factory=dict)  # by claim id
    contributed: dict[str, ContributionSpend] = field(default_factory=dict)  # by outcome id
    appraisal_values: list[store.AppraisalValue] = field(default_factory=list)
    out: list[Path] = field(default_factory=list)

    def names(self, ids: tuple[str, ...]) -> list[str]:
        """The partners' names, for people (their ids where a partner has gone)."""
        return [self.partner_names.get(i, i) for i in ids]

    @property
    def shown_rows(self) -> list[Row]:
        """The rows the report leads with: the public page shows the outcomes' indicators,
        not the services' measures."""
        return [r for r in self.rows if not self.public or r.indicator.outcome is not None]

    def appraisals_of(self, outcome: str) -> list[store.AppraisalValue]:
        return [v for v in self.appraisal_values if v.outcome == outcome]

    def rows_of(self, outcome: str) -> list[Row]:
        return [r for r in self.rows if r.indicator.outcome == outcome]

    def measures_of(self, service: str) -> list[Row]:
        return [r for r in self.rows if r.indicator.service == service]

    def claims_of(self, outcome: str) -> list[GrossNet]:
        ids = {r.indicator.id for r in self.rows_of(outcome)}
        return [c for c in self.claims if c.claim.indicator in ids]

    @property
    def summary(self) -> str:
        rows = self.shown_rows
        counts = {k: sum(1 for r in rows if r.status == k) for k in ("green", "amber", "red")}
        outcomes = len(self.framework.outcomes)
        what = "indicators" if self.public else "indicators and measures"
        text = (
            f"{outcomes} outcome{'s' if outcomes != 1 else ''}, {len(rows)} {what}: "
            f"{counts['green']} on target (green), {counts['amber']} improving but "
            f"short of target (amber), {counts['red']} no better than the baseline (red)."
        )
        if self.sroi is not None:
            text += f" Social return: {self.sroi.sentence}."
        return text

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "place": self.place,
            "public": self.public,
            "summary": self.summary,
            "suppress_below": self.framework.suppress_below,
            "suppressed": self.suppressed,
            "unapproved_left_out": self.unapproved_left_out,
            "outcomes": [
                {
                    **o.to_json(),
                    "money": None if o.id not in self.money else self.money[o.id].to_json(),
                    "contribution_spend": None
                    if o.id not in self.contributed
                    else self.contributed[o.id].to_json(),
                    "appraisal_values": [v.to_json() for v in self.appraisals_of(o.id)],
                }
                for o in self.framework.outcomes
            ],
            "services": [s.to_json() for s in self.framework.services],
            "scorecard": [r.to_json() for r in self.rows],
            "claims": [
                {
                    **c.to_json(),
                    "difference_in_differences": None
                    if c.claim.id not in self.dids
                    else self.dids[c.claim.id].to_json(),
                }
                for c in self.claims
            ],
            "sroi": None if self.sroi is None else self.sroi.to_json(),
            "datasets": [d.to_json() for d in self.datasets],
            "budget": [b.to_json() for b in self.budget],
        }
        if self.out:
            out["out"] = [str(p) for p in self.out]
        return out


def sroi(fw: Framework, proxies: ProxyLookup | None) -> SroiResult | None:
    if fw.sroi is None:
        return None
    needs = [x.proxy.unit_cost for x in fw.sroi.lines if x.proxy.unit_cost]
    if needs and proxies is None:
        raise WholeplaceError(
            f"The SROI values outcomes with unit costs ({', '.join(needs)}), and no unit cost "
            "database was given. Fix: run it through `wholeplace outcomes report`."
        )
    return calculate(fw.sroi, proxies)


def report(
    ws: Workspace,
    public: bool = False,
    proxies: ProxyLookup | None = None,
    spend: SpendLookup | None = None,
    spend_lines: SpendLines | None = None,
) -> Report:
    fw = framework(ws)
    money: dict[str, Money] = {}
    for o in fw.outcomes:
        found = spend(o.spend_services) if spend is not None and o.spend_services else None
        if found is not None:
            money[o.id] = found
    contributed: dict[str, ContributionSpend] = {}
    lines = spend_lines() if spend_lines is not None and fw.contributions else None
    if lines is not None:
        contributed = {
            o.id: contribution_spend(o.contributions, *lines)
            for o in fw.outcomes
            if o.contributions
        }
    every = store.observations(ws)
    obs = store.observations(ws, approved_only=True) if public else every
    hidden = 0
    if public:
        obs, hidden = suppressed(obs, fw.suppress_below)
    return Report(
        ws.name,
        public,
        fw,
        scorecard(fw.indicators, obs),
        [gross_and_net(c) for c in fw.claims],
        sroi(fw, proxies),
        store.datasets(ws),
        hidden,
        len(every) - len(store.observations(ws, approved_only=True)) if public else 0,
        {p.id: p.name for p in list_partners(ws)},
        money,
        {a.code: a.name for a in list_areas(ws)},
        [] if public else profiles(store.budget(ws), _services(fw)),
        {c.id: d for c in fw.claims if (d := difference_in_differences(c, obs)) is not None},
        contributed,
        store.appraisal_values(ws),
    )


def write_report(
    ws: Workspace,
    out: Path,
    public: bool = False,
    proxies: ProxyLookup | None = None,
    spend: SpendLookup | None = None,
    spend_lines: SpendLines | None = None,
) -> Report:
    """Write the report to ``out`` (.html, self-contained, or .xlsx)."""
    from wholeplace.outcomes.report import write_html, write_xlsx

    data: list[Report] = []
    writers: dict[str, Writer] = {
        ".html": lambda p: write_html(data[0], p),
        ".xlsx": lambda p: write_xlsx(data[0], p),
    }
    write = writer_for(out, writers, "the outcomes report")
    data.append(report(ws, public, proxies, spend, spend_lines))
    write(Path(out))
    data[0].out = [Path(out)]
    return data[0]


# Who reviews and approves the demo's data: named roles, so the demo shows two people.
DEMO_REVIEWER = "Demo analyst (performance team)"
DEMO_APPROVER = "Demo director of public health"


def demo(
    ws: Workspace,
    inputs: Path,
    reports: Path,
    proxies: ProxyLookup | None,
    spend: SpendLookup | None = None,
) -> tuple[list[Path], str]:
    """The demo place's outcomes (``data/demo/outcomes``, illustrative): import, assure, and
    write the partnership's report and the residents' page; the files and a sentence."""
    import_framework(ws, inputs / "framework.yaml")
    import_budget(ws, inputs / "budget.csv")
    data = import_observations(ws, inputs / "observations.csv", "2024-25")
    review(ws, data.dataset, DEMO_REVIEWER, "illustrative demo data")
    approve(ws, data.dataset, DEMO_APPROVER)
    inside = write_report(ws, reports / "outcomes.html", False, proxies, spend)
    public = reports / "outcomes-public.html"
    write_report(ws, public, True, proxies, spend)
    return [inside.out[0], public], "Outcomes (illustrative): " + inside.summary
