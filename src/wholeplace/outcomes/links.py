"""What the money buys, one step from what changed: the partners' spend lines and the
appraisal outcome lines an outcome links to (docs/outcomes.md, "Links").

Outcomes never imports the spend or cost-benefit capabilities (import-linter contract 2): the
edges fill :data:`SpendLines` and :data:`AppraisalLines` from them
(``wholeplace.outcome_values``), as they do the SROI's unit cost proxies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.errors import Problems, WholeplaceError
from wholeplace.labels import match_key
from wholeplace.named_files import beside, outside_reason
from wholeplace.outcomes.model import Contribution, Framework
from wholeplace.outcomes.store import AppraisalValue


@dataclass(frozen=True)
class SpendLine:
    """The consolidated spend of a year (eliminations taken out) of one partner on one
    service for one customer group (None: the lines name none)."""

    partner: str
    service: str
    customer_group: str | None
    amount: Decimal


# ``() -> (year, spend lines)`` of the place's spend map (None: no spend imported).
SpendLines = Callable[[], tuple[str, list[SpendLine]] | None]


@dataclass(frozen=True)
class LineValue:
    """One outcome line of an appraisal, as the cost-benefit capability computes it."""

    line: str
    appraisal_name: str
    price_year: str
    net_outcomes: Decimal  # summed over the appraisal's years
    present_value: Decimal  # to the penny, after optimism bias


# ``appraisal file -> its outcome lines``; raises the appraisal's own problem table.
AppraisalLines = Callable[[Path], list[LineValue]]


def _matches(c: Contribution, line: SpendLine) -> bool:
    if line.partner != c.partner:
        return False
    if c.service is not None:
        return line.service == c.service
    return line.customer_group is not None and match_key(line.customer_group) == match_key(
        c.customer_group or ""
    )


@dataclass(frozen=True)
class ContributionSpend:
    """The consolidated spend of an outcome's contributions in a year."""

    year: str
    amounts: tuple[tuple[Contribution, Decimal], ...]
    # each spend line once, however many of the contributions take it in
    total: Decimal

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "total": self.total,
            "lines": [{**c.to_json(), "amount": a} for c, a in self.amounts],
        }


def contribution_spend(
    contributions: tuple[Contribution, ...], year: str, lines: list[SpendLine]
) -> ContributionSpend:
    amounts = tuple(
        (c, sum((x.amount for x in lines if _matches(c, x)), Decimal(0))) for c in contributions
    )
    total = sum((x.amount for x in lines if any(_matches(c, x) for c in contributions)), Decimal(0))
    return ContributionSpend(year, amounts, total)


def link_appraisals(
    fw: Framework, folder: Path, label: str, lookup: AppraisalLines | None
) -> list[AppraisalValue]:
    """The value of every appraisal line the framework links to, each appraisal file read
    from ``folder`` (the framework file's, ``label`` its name) or below it, never from an
    absolute path or one that climbs out with ``..`` (:mod:`wholeplace.named_files`); every
    such path, missing file or line in one problem table."""
    links = [(o.id, a) for o in fw.outcomes for a in o.appraisal_lines]
    if not links:
        return []
    if lookup is None:
        raise WholeplaceError(
            "The framework links appraisal lines, and no appraisal reader was given. "
            "Fix: import it with `wholeplace outcomes import-framework`."
        )
    p = Problems(label)
    read: dict[Path, list[LineValue]] = {}
    found: list[AppraisalValue] = []
    for outcome, a in links:
        why = outside_reason(a.appraisal)
        if why is not None:
            p.add(
                a.row,
                "appraisal",
                a.appraisal,
                why,
                "give the appraisal's path from the framework file's folder (appraisal: "
                "early-help-cba.yaml for a file beside it), and put the file there",
                sheet="appraisal_lines",
            )
            continue
        path = beside(folder / label, a.appraisal)
        if not path.is_file():
            p.add(
                a.row,
                "appraisal",
                a.appraisal,
                "appraisal file not found",
                f"give the appraisal's path from the framework's folder ({folder})",
                sheet="appraisal_lines",
            )
            continue
        if path not in read:
            read[path] = lookup(path)
        lines = read[path]
        match = next((x for x in lines if match_key(x.line) == match_key(a.line)), None)
        if match is None:
            names = "; ".join(x.line for x in lines) or "it has none"
            p.add(
                a.row,
                "line",
                a.line,
                f"not an outcome line of {a.appraisal}",
                f"use the description of one of its outcome lines: {names}",
                sheet="appraisal_lines",
            )
            continue
        found.append(
            AppraisalValue(
                outcome,
                a.appraisal,
                match.line,
                match.appraisal_name,
                match.price_year,
                match.net_outcomes,
                match.present_value,
            )
        )
    p.raise_if_any()
    return found
