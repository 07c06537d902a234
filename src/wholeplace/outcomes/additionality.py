"""Gross and net: what a claimed effect is once what would have happened anyway, and what
others did, is taken off.

The HCA Additionality Guide's formula (3rd edition, 2008, cover):
``AI = GI x (1 - L) x (1 - Dp) x (1 - S) x M - GI* x (1 - L*) x (1 - Dp*) x (1 - S*) x M*``,
the starred term being the reference case (deadweight). wholeplace applies leakage,
displacement and substitution to the gross; then deadweight, either as the reference case's
own change subtracted (a comparison area or group) or as a share of what is left; then
attribution, the share due to others. No multiplier is applied (the Guide's values were not
confirmed). Arithmetic is exact (``Fraction``); figures are rounded only when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from wholeplace.money import round_half_up
from wholeplace.outcomes.model import FACTORS, Claim, Factor

SHOWN_PLACES = 6


@dataclass(frozen=True)
class Step:
    """One factor applied: what it took off and what was left."""

    factor: str
    share: Fraction | None  # None for a reference case given as an amount
    taken: Fraction
    left: Fraction
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "share": None if self.share is None else shown(self.share),
            "taken": shown(self.taken),
            "left": shown(self.left),
            "source": self.source,
        }


@dataclass(frozen=True)
class GrossNet:
    claim: Claim
    gross: Fraction
    net: Fraction
    steps: tuple[Step, ...]

    @property
    def net_share_of_gross(self) -> Fraction | None:
        return None if self.gross == 0 else self.net / self.gross

    def to_json(self) -> dict[str, Any]:
        ratio = self.net_share_of_gross
        return {
            "id": self.claim.id,
            "description": self.claim.description,
            "unit": self.claim.unit,
            "indicator": self.claim.indicator,
            "gross": shown(self.gross),
            "net": shown(self.net),
            "net_share_of_gross": None if ratio is None else shown(ratio),
            "steps": [s.to_json() for s in self.steps],
        }


def shown(x: Fraction) -> Decimal:
    """A fraction as the reports show it: half-up to six decimal places, without trailing
    zeros (``73``, ``55.08``, ``0.479452``)."""
    d = round_half_up(x, SHOWN_PLACES).normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def frac(d: Decimal) -> Fraction:
    return Fraction(d)


def net_of(
    gross: Fraction,
    factors: dict[str, Factor],
    reference: Fraction | None = None,
    reference_source: str = "",
) -> tuple[Fraction, tuple[Step, ...]]:
    """The net effect of ``gross`` and each step, in the order of :data:`FACTORS`."""
    left = gross
    steps: list[Step] = []
    for name in FACTORS:
        if name == "deadweight" and reference is not None:
            steps.append(Step(name, None, reference, left - reference, reference_source))
            left -= reference
            continue
        f = factors.get(name)
        if f is None:
            continue
        share = frac(f.share)
        taken = left * share
        left -= taken
        steps.append(Step(name, share, taken, left, f.source))
    return left, tuple(steps)


def gross_and_net(claim: Claim) -> GrossNet:
    ref = None if claim.reference is None else frac(claim.reference)
    net, steps = net_of(frac(claim.gross), claim.factors, ref, claim.reference_source or "")
    return GrossNet(claim, frac(claim.gross), net, steps)
