"""Overlaps, conflicts and different approaches among the partners' objectives.

Pure: takes :class:`Objective` rows, returns :class:`Finding` lists; nothing is read or
written here. The rules (stated in docs/objectives.md):

- Two objectives pursue the *same outcome* when their outcomes have the same
  :func:`wholeplace.labels.match_key` (``Hospital admissions`` = ``hospital-admissions``) and
  they name the same customer group.
- **Overlap**: two or more partners pursue the same outcome for the same group in the same
  direction. One finding per (group, outcome, direction).
- **Conflict, directions**: two or more partners pursue the same outcome for the same group in
  different directions (increase against reduce is *opposite*; maintain against either is a
  *pull*). One finding per (group, outcome).
- **Conflict, resource**: two or more partners name the same resource (same key) for
  different ends (a different outcome or a different group). One finding per resource.
- **Different approaches**: two or more partners serve the same group and at least two of
  their objectives for it, from different partners, pursue different outcomes. One finding
  per group.

A finding needs two partners: a partner's objectives among themselves are its own business.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from wholeplace.labels import match_key

DIRECTIONS = ("increase", "reduce", "maintain")
Kind = Literal["overlap", "conflict", "different_approaches"]


@dataclass(frozen=True)
class Objective:
    """One row of a partner's objectives file, as imported."""

    partner: str
    objective: str
    customer_group: str  # the customer group's name as the place knows it
    outcome: str
    direction: str
    target: str | None
    measure: str
    resource: str | None
    file: str
    sheet: str | None
    row: int

    @property
    def outcome_key(self) -> str:
        return match_key(self.outcome)

    @property
    def resource_key(self) -> str:
        return match_key(self.resource)

    @property
    def where(self) -> str:
        """``objectives.csv row 4`` (with the sheet of a workbook)."""
        sheet = f" sheet {self.sheet!r}" if self.sheet else ""
        return f"{self.file}{sheet} row {self.row}"

    def cite(self) -> str:
        """``cc (objectives.csv row 4: 'Fewer falls', reduce)``: the row behind a finding."""
        return f"{self.partner} ({self.where}: {self.objective!r}, {self.direction})"

    def to_json(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "objective": self.objective,
            "customer_group": self.customer_group,
            "outcome": self.outcome,
            "direction": self.direction,
            "target": self.target,
            "measure": self.measure,
            "resource": self.resource,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
        }


@dataclass(frozen=True)
class Finding:
    kind: Kind
    subtype: str  # same_direction | opposite | pull | same_resource | different_outcomes
    customer_group: str | None
    outcome: str | None
    resource: str | None
    partners: tuple[str, ...]
    rows: tuple[Objective, ...]
    explanation: str
    recommendation: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subtype": self.subtype,
            "customer_group": self.customer_group,
            "outcome": self.outcome,
            "resource": self.resource,
            "partners": list(self.partners),
            "rows": [{"partner": o.partner, "where": o.where, "row": o.row} for o in self.rows],
            "explanation": self.explanation,
            "recommendation": self.recommendation,
        }


@dataclass
class Findings:
    overlaps: list[Finding]
    conflicts: list[Finding]
    different_approaches: list[Finding]

    def all(self) -> list[Finding]:
        return [*self.overlaps, *self.conflicts, *self.different_approaches]

    def to_json(self) -> dict[str, Any]:
        return {
            "overlaps": [f.to_json() for f in self.overlaps],
            "conflicts": [f.to_json() for f in self.conflicts],
            "different_approaches": [f.to_json() for f in self.different_approaches],
        }


def _partners(rows: Iterable[Objective]) -> tuple[str, ...]:
    return tuple(sorted({o.partner for o in rows}))


def _ordered(rows: Iterable[Objective]) -> tuple[Objective, ...]:
    return tuple(sorted(rows, key=lambda o: (o.partner, o.file, o.sheet or "", o.row)))


def _names(partners: Sequence[str]) -> str:
    if len(partners) <= 2:
        return " and ".join(partners)
    return ", ".join(partners[:-1]) + " and " + partners[-1]


def _cites(rows: Iterable[Objective]) -> str:
    return "; ".join(o.cite() for o in rows)


def overlaps(objectives: Sequence[Objective]) -> list[Finding]:
    groups: dict[tuple[str, str, str], list[Objective]] = defaultdict(list)
    for o in objectives:
        groups[(o.customer_group, o.outcome_key, o.direction)].append(o)
    found = []
    for (group, _, direction), rows in sorted(groups.items()):
        partners = _partners(rows)
        if len(partners) < 2:
            continue
        rows_sorted = _ordered(rows)
        outcome = rows_sorted[0].outcome
        measures = sorted({o.measure for o in rows_sorted})
        explanation = (
            f"{_names(partners)} all aim to {direction} {outcome!r} for {group}: "
            f"{_cites(rows_sorted)}."
        )
        recommendation = (
            f"Streamline: agree one lead partner, one shared target and one plan for "
            f"{outcome!r} for {group}, and pool the effort of {_names(partners)}."
        )
        if len(measures) > 1:
            explanation += f" They measure it differently ({'; '.join(measures)})."
            recommendation += " Agree one measure, so progress is counted once."
        found.append(
            Finding(
                "overlap",
                "same_direction",
                group,
                outcome,
                None,
                partners,
                rows_sorted,
                explanation,
                recommendation,
            )
        )
    return found


def direction_conflicts(objectives: Sequence[Objective]) -> list[Finding]:
    groups: dict[tuple[str, str], list[Objective]] = defaultdict(list)
    for o in objectives:
        groups[(o.customer_group, o.outcome_key)].append(o)
    found = []
    for (group, _), rows in sorted(groups.items()):
        by_direction: dict[str, set[str]] = defaultdict(set)
        for o in rows:
            by_direction[o.direction].add(o.partner)
        if len(by_direction) < 2 or len(_partners(rows)) < 2:
            continue
        # Two directions among two partners always set one partner against another.
        rows_sorted = _ordered(rows)
        outcome = rows_sorted[0].outcome
        opposite = {"increase", "reduce"} <= by_direction.keys()
        sides = "; ".join(
            f"{_names(sorted(by_direction[d]))} {'aim' if len(by_direction[d]) > 1 else 'aims'}"
            f" to {d} it"
            for d in DIRECTIONS
            if d in by_direction
        )
        explanation = (
            f"{'Opposite directions' if opposite else 'Different directions'} on "
            f"{outcome!r} for {group}: {sides}. Rows: {_cites(rows_sorted)}."
        )
        recommendation = (
            f"Align: {_names(_partners(rows))} agree which way {outcome!r} should move for "
            f"{group}, and revise the objectives that pull the other way."
        )
        found.append(
            Finding(
                "conflict",
                "opposite" if opposite else "pull",
                group,
                outcome,
                None,
                _partners(rows),
                rows_sorted,
                explanation,
                recommendation,
            )
        )
    return found


def resource_conflicts(objectives: Sequence[Objective]) -> list[Finding]:
    groups: dict[str, list[Objective]] = defaultdict(list)
    for o in objectives:
        if o.resource_key:
            groups[o.resource_key].append(o)
    found = []
    for _, rows in sorted(groups.items()):
        ends = {(o.customer_group, o.outcome_key) for o in rows}
        if len(_partners(rows)) < 2 or len(ends) < 2:
            continue
        # Only partners whose ends differ from another partner's compete.
        competing = [
            o
            for o in rows
            if any(
                p.partner != o.partner
                and (p.customer_group, p.outcome_key) != (o.customer_group, o.outcome_key)
                for p in rows
            )
        ]
        if not competing:
            continue
        rows_sorted = _ordered(competing)
        resource = rows_sorted[0].resource or ""
        partners = _partners(rows_sorted)
        uses = "; ".join(
            f"{o.partner} for {o.outcome!r} ({o.customer_group}, {o.where})" for o in rows_sorted
        )
        explanation = (
            f"{_names(partners)} draw on the same resource, {resource!r}, for different "
            f"ends: {uses}."
        )
        recommendation = (
            f"Align: {_names(partners)} agree how {resource!r} is shared between these "
            "objectives (a joint plan, a pooled budget or an agreed order), before either "
            "target is committed."
        )
        found.append(
            Finding(
                "conflict",
                "same_resource",
                None,
                None,
                resource,
                partners,
                rows_sorted,
                explanation,
                recommendation,
            )
        )
    return found


def different_approaches(objectives: Sequence[Objective]) -> list[Finding]:
    groups: dict[str, list[Objective]] = defaultdict(list)
    for o in objectives:
        groups[o.customer_group].append(o)
    found = []
    for group, rows in sorted(groups.items()):
        differing = [
            o
            for o in rows
            if any(p.partner != o.partner and p.outcome_key != o.outcome_key for p in rows)
        ]
        if not differing:
            continue
        rows_sorted = _ordered(rows)
        partners = _partners(rows_sorted)
        per_partner = "; ".join(
            f"{p}: "
            + ", ".join(
                f"{o.direction} {o.outcome!r} ({o.where})" for o in rows_sorted if o.partner == p
            )
            for p in partners
        )
        n_outcomes = len({o.outcome_key for o in rows_sorted})
        explanation = (
            f"{len(partners)} partners serve {group} with {n_outcomes} different outcomes: "
            f"{per_partner}."
        )
        recommendation = (
            f"Align delivery for {group}: {_names(partners)} agree a shared set of outcomes "
            "and one way of working with this group (a single assessment, a lead "
            "professional, shared data)."
        )
        found.append(
            Finding(
                "different_approaches",
                "different_outcomes",
                group,
                None,
                None,
                partners,
                rows_sorted,
                explanation,
                recommendation,
            )
        )
    return found


def find(objectives: Sequence[Objective]) -> Findings:
    """Every overlap, conflict and different approach among ``objectives``."""
    return Findings(
        overlaps(objectives),
        [*direction_conflicts(objectives), *resource_conflicts(objectives)],
        different_approaches(objectives),
    )
