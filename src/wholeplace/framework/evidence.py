"""Evidence from the place itself: statements the place's own data can show are met.

A statement that names a ``check`` in the framework is checked against what the place
holds: its spend map, and the appraisals and agreements linked to it
(``wholeplace framework evidence link``). The checks read those through
:class:`PlaceFacts`, a small interface the edges fill from the other capabilities'
services (:mod:`wholeplace.place_evidence`), so the framework never imports spend, cba or
sharing (import-linter contract 2).

The staleness rule: evidence is stale when the date it speaks for is more than
``STALE_AFTER_MONTHS`` (15) months before the day of the check. A year's accounts close
about three months after the year ends, so a yearly return is due within 15 months of
the end of the year it covers; an appraisal or agreement confirmed more than 15 months
ago has missed a yearly review.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from wholeplace.framework.model import MET, NOT_MET, PARTLY, Framework
from wholeplace.money import fmt_gbp, round_half_up
from wholeplace.years import containing, end_of

STALE_AFTER_MONTHS = 15
# spend_by_need: the share of the consolidated total that must have an area and a
# customer group for the statement to be met (partly met from the lower figure).
NEED_MET_SHARE = Decimal("0.9")
NEED_PARTLY_SHARE = Decimal("0.5")

DOCUMENT_KINDS: dict[str, str] = {
    "appraisal": "a cost-benefit appraisal (YAML or the XLSX template of `wholeplace cba`)",
    "agreement": "a gain-share agreement (YAML, as `wholeplace sharing gainshare` reads)",
    "pool": "a pooled budget (YAML or XLSX, as `wholeplace sharing pool` reads)",
}


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` months on; the 31st becomes the month's last day."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stale_from(as_of: date) -> date:
    """The first day on which evidence dated ``as_of`` is stale."""
    return add_months(as_of, STALE_AFTER_MONTHS) + timedelta(days=1)


# -- what the place holds, as the checks need it -------------------------------------------


@dataclass(frozen=True)
class SpendFacts:
    """The latest year of the place's spend map."""

    year: str
    total_gbp: Decimal
    reconciles: bool
    difference_gbp: Decimal
    partners: frozenset[str]  # every partner of the place
    partners_with_spend: frozenset[str]  # partners with spend lines in the year
    with_area_gbp: Decimal  # consolidated spend allocated to an area
    with_group_gbp: Decimal  # consolidated spend with a customer group


@dataclass(frozen=True)
class DocumentContent:
    """What an appraisal or agreement file says, as far as the checks need it."""

    name: str
    parties: tuple[str, ...]  # agencies with costs or benefits; the agreement's partners
    years: tuple[str, ...]  # financial years it covers


@dataclass(frozen=True)
class DataSharingFacts:
    """The governance register's data flows on the day of a check."""

    flows: int  # data flows in the register
    uncovered: tuple[str, ...]  # flows with no agreement in force covering their use


@dataclass(frozen=True)
class OutcomesFacts:
    """The place's outcomes scorecard from approved data only (``wholeplace outcomes``)."""

    outcomes: int
    indicators: int  # the outcomes' indicators (not the services' measures)
    with_data: int  # indicators with an approved figure for the whole place
    green: int  # on target
    amber: int  # better than the baseline, short of the target
    red: int  # no better than the baseline
    latest: date | None  # the end of the latest period with an approved figure


class PlaceFacts(Protocol):
    """What the framework's checks read from the rest of the place."""

    def latest_spend(self) -> SpendFacts | None:
        """The latest year with spend, or None if the place has none."""
        ...

    def read_document(self, kind: str, path: Path) -> DocumentContent:
        """Read ``path`` as a document of ``kind``; raise WholeplaceError if it cannot."""
        ...

    def data_sharing(self, on: date) -> DataSharingFacts | None:
        """The register's data flows and those without a current agreement on ``on``, or
        None if the place has no governance register with data flows."""
        ...

    def outcomes_scorecard(self) -> OutcomesFacts | None:
        """The outcomes scorecard from approved data, or None without an outcomes framework."""
        ...


@dataclass(frozen=True)
class Document:
    """A file linked to the place as evidence, read again at the time of the check."""

    kind: str
    file: str
    linked_on: date
    content: DocumentContent | None  # None: the file cannot be read now
    problem: str | None = None
    changed: bool = False  # its checksum is not the one recorded when it was linked


# -- findings --------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """What the place's own data says about one statement, on one day."""

    statement_id: str
    check: str
    status: str  # met | partly | not_met
    reason: str
    as_of: date | None  # the date the evidence speaks for
    on: date  # the day of the check
    sources: tuple[str, ...] = ()

    @property
    def stale_from(self) -> date | None:
        return None if self.as_of is None else stale_from(self.as_of)

    @property
    def stale(self) -> bool:
        s = self.stale_from
        return s is not None and self.on >= s

    @property
    def holds(self) -> bool:
        """Met, and not stale."""
        return self.status == MET and not self.stale

    def summary(self) -> str:
        """One line for a person: ``met (as of 31 March 2025; stale since 1 July 2026): ...``."""
        words = {MET: "met", PARTLY: "partly met", NOT_MET: "not met"}[self.status]
        when = ""
        if self.as_of is not None:
            when = f" as of {_day(self.as_of)}"
            if self.stale:
                when += f"; stale since {_day(stale_from(self.as_of))}"
        return f"{words}{when}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {
            "statement_id": self.statement_id,
            "check": self.check,
            "status": self.status,
            "stale": self.stale,
            "holds": self.holds,
            "reason": self.reason,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "stale_from": None if self.stale_from is None else self.stale_from.isoformat(),
            "on": self.on.isoformat(),
            "sources": list(self.sources),
        }


def _day(d: date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return Decimal(0) if whole <= 0 else part / whole


def consolidated_return(sid: str, spend: SpendFacts | None, on: date) -> Finding:
    """Met when the latest year's spend map covers every partner and reconciles."""
    check = "consolidated_return"
    if spend is None:
        return Finding(sid, check, NOT_MET, "the place has no spend imported", None, on)
    src = (f"spend map {spend.year}",)
    as_of = end_of(spend.year)
    if not spend.reconciles:
        why = (
            f"the {spend.year} spend map does not reconcile "
            f"(off by {fmt_gbp(spend.difference_gbp)})"
        )
        return Finding(sid, check, NOT_MET, why, as_of, on, src)
    missing = sorted(spend.partners - spend.partners_with_spend)
    if missing:
        why = f"the {spend.year} spend map has no spend from {', '.join(missing)}"
        return Finding(sid, check, PARTLY, why, as_of, on, src)
    why = (
        f"the {spend.year} spend map covers all {len(spend.partners)} partners "
        f"({fmt_gbp(spend.total_gbp)}) and reconciles"
    )
    return Finding(sid, check, MET, why, as_of, on, src)


def spend_by_need(sid: str, spend: SpendFacts | None, on: date) -> Finding:
    """Met when at least 90 % of the latest year's spend has an area and a customer group
    (partly met from 50 %)."""
    check = "spend_by_need"
    if spend is None:
        return Finding(sid, check, NOT_MET, "the place has no spend imported", None, on)
    area = _share(spend.with_area_gbp, spend.total_gbp)
    group = _share(spend.with_group_gbp, spend.total_gbp)
    least = min(area, group)
    status = MET if least >= NEED_MET_SHARE else PARTLY if least >= NEED_PARTLY_SHARE else NOT_MET
    why = (
        f"in {spend.year}, {round_half_up(area * 100, 1)}% of spending is allocated to an "
        f"area and {round_half_up(group * 100, 1)}% to a customer group"
    )
    return Finding(sid, check, status, why, end_of(spend.year), on, (f"spend map {spend.year}",))


def _latest(docs: Sequence[Document]) -> Document:
    return max(docs, key=lambda d: (d.linked_on, d.file))


def _changed(d: Document) -> str:
    return " (the file has changed since it was linked: link it again)" if d.changed else ""


def joint_appraisal(sid: str, docs: Sequence[Document], on: date) -> Finding:
    """Met by an appraisal whose costs or benefits fall to two or more agencies."""
    check = "joint_appraisal"
    readable = [d for d in docs if d.kind == "appraisal" and d.content is not None]
    joint = [d for d in readable if d.content is not None and len(d.content.parties) >= 2]
    if joint:
        d = _latest(joint)
        assert d.content is not None
        why = (
            f"the appraisal {d.content.name!r} shows costs and benefits for "
            f"{', '.join(d.content.parties)}{_changed(d)}"
        )
        return Finding(sid, check, MET, why, d.linked_on, on, (d.file,))
    if readable:
        d = _latest(readable)
        assert d.content is not None
        why = f"the appraisal {d.content.name!r} covers one agency only{_changed(d)}"
        return Finding(sid, check, PARTLY, why, d.linked_on, on, (d.file,))
    return Finding(sid, check, NOT_MET, _none_linked(docs, "appraisal"), None, on)


def sharing_agreement(sid: str, docs: Sequence[Document], on: date) -> Finding:
    """Met by a gain-share agreement or pooled budget covering the financial year of ``on``."""
    check = "sharing_agreement"
    year = containing(on)
    readable = [d for d in docs if d.kind in ("agreement", "pool") and d.content is not None]
    in_force = [d for d in readable if d.content is not None and year in d.content.years]
    if in_force:
        d = _latest(in_force)
        assert d.content is not None
        why = (
            f"{d.content.name!r} between {', '.join(d.content.parties)} is in force in "
            f"{year}{_changed(d)}"
        )
        return Finding(sid, check, MET, why, d.linked_on, on, (d.file,))
    if readable:
        d = _latest(readable)
        assert d.content is not None
        span = f"{d.content.years[0]} to {d.content.years[-1]}" if d.content.years else "no years"
        why = f"no agreement is in force in {year}: {d.content.name!r} covers {span}"
        return Finding(sid, check, NOT_MET, why, None, on, (d.file,))
    return Finding(sid, check, NOT_MET, _none_linked(docs, "agreement"), None, on)


def information_sharing(sid: str, sharing: DataSharingFacts | None, on: date) -> Finding:
    """Met when every data flow in the governance register has an information-sharing
    agreement in force on ``on`` that covers its use; partly met when some have. The
    agreements are judged on the day of the check, so this evidence is never stale."""
    check = "information_sharing"
    if sharing is None:
        why = (
            "the place has no governance register with data flows "
            "(`wholeplace governance import FILE`)"
        )
        return Finding(sid, check, NOT_MET, why, None, on)
    src = ("governance register",)
    covered = sharing.flows - len(sharing.uncovered)
    if not sharing.uncovered:
        why = f"all {sharing.flows} data flows have an agreement in force covering their use"
        return Finding(sid, check, MET, why, on, on, src)
    why = (
        f"{covered} of {sharing.flows} data flows have an agreement in force covering their "
        f"use; not: {', '.join(sharing.uncovered)}"
    )
    return Finding(sid, check, PARTLY if covered else NOT_MET, why, on, on, src)


def outcomes_scorecard(sid: str, facts: OutcomesFacts | None, on: date) -> Finding:
    """Met when every indicator of the place's outcomes framework has an approved figure
    (partly met when some have); the reason counts the indicators on and off track."""
    check = "outcomes_scorecard"
    if facts is None:
        why = "the place has no outcomes framework (`wholeplace outcomes import-framework`)"
        return Finding(sid, check, NOT_MET, why, None, on)
    src = ("outcomes scorecard, approved data",)
    n = facts.indicators
    framework = (
        f"{facts.outcomes} outcome{'s' if facts.outcomes != 1 else ''} with {n} "
        f"indicator{'s' if n != 1 else ''}"
    )
    if facts.with_data == 0:
        why = f"{framework}; none has an approved figure yet"
        return Finding(sid, check, NOT_MET, why, None, on, src)
    no_target = facts.with_data - facts.green - facts.amber - facts.red
    why = (
        f"{framework}, {facts.with_data} with approved figures: {facts.green} on target "
        f"(green), {facts.amber} improving but short of target (amber), {facts.red} no better "
        f"than the baseline (red), {no_target} without a target"
    )
    status = MET if facts.with_data == n else PARTLY
    return Finding(sid, check, status, why, facts.latest, on, src)


def _none_linked(docs: Sequence[Document], what: str) -> str:
    broken = [d for d in docs if d.content is None]
    if broken:
        return "; ".join(f"{d.file}: {d.problem}" for d in broken)
    return f"no {what} is linked to the place (`wholeplace framework evidence link {what} FILE`)"


def findings(
    fw: Framework,
    spend: SpendFacts | None,
    docs: Sequence[Document],
    on: date,
    sharing: DataSharingFacts | None = None,
    outcomes: OutcomesFacts | None = None,
) -> list[Finding]:
    """The finding of every active statement of ``fw`` that names a check."""
    out: list[Finding] = []
    for s in fw.active:
        if s.check == "consolidated_return":
            out.append(consolidated_return(s.id, spend, on))
        elif s.check == "spend_by_need":
            out.append(spend_by_need(s.id, spend, on))
        elif s.check == "joint_appraisal":
            out.append(joint_appraisal(s.id, docs, on))
        elif s.check == "sharing_agreement":
            out.append(sharing_agreement(s.id, docs, on))
        elif s.check == "information_sharing":
            out.append(information_sharing(s.id, sharing, on))
        elif s.check == "outcomes_scorecard":
            out.append(outcomes_scorecard(s.id, outcomes, on))
    return out


def unsupported(finding: Finding) -> str | None:
    """Why the place's data does not support the statement, or None if it does."""
    if finding.holds:
        return None
    return finding.summary()
