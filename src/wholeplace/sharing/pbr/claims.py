"""Claims: which families have a result to claim, for what, and the records behind it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from wholeplace.money import ZERO, round_half_up
from wholeplace.sharing.pbr.dates import add_months, financial_year
from wholeplace.sharing.pbr.records import Record
from wholeplace.sharing.pbr.scheme import YES, Criterion, Result, Scheme


@dataclass
class CriterionCheck:
    criterion: Criterion
    status: str  # "met" | "not met" | "not applicable"
    detail: str
    records: list[Record]


@dataclass
class ResultCheck:
    result: Result
    met: bool
    checks: list[CriterionCheck]


@dataclass
class FamilyClaim:
    family: str
    year: str | None
    attachment_fee: Decimal
    claimed: list[tuple[Result, Decimal, ResultCheck]]
    checks: list[ResultCheck]
    unrewarded: list[str]

    @property
    def results_amount(self) -> Decimal:
        return sum((a for _, a, _ in self.claimed), ZERO)

    def unconfirmed(self, result: Result) -> str | None:
        """Why ``result``'s payment in this family's year is not confirmed (None: it is)."""
        return result.unconfirmed.get(self.year) if self.year else None


@dataclass
class ClaimRun:
    scheme: Scheme
    as_of: date
    families: list[FamilyClaim]

    @property
    def claimable(self) -> list[FamilyClaim]:
        return [f for f in self.families if f.claimed]

    @property
    def blind_spot(self) -> list[FamilyClaim]:
        return [f for f in self.families if f.unrewarded]

    def totals(self) -> dict[str, Decimal]:
        """Results claimed by result, in all, and how much of it rests on unconfirmed
        figures; attachment fees summed per family only where the scheme pays them so."""
        by: dict[str, Decimal] = {r.id: ZERO for r in self.scheme.results}
        unconfirmed = ZERO
        for f in self.families:
            for r, a, _ in f.claimed:
                by[r.id] += a
                if f.unconfirmed(r) is not None:
                    unconfirmed += a
        by["results_total"] = sum((f.results_amount for f in self.families), ZERO)
        by["unconfirmed_total"] = unconfirmed
        if self.scheme.attachment_per_family:
            by["attachment_fees"] = sum((f.attachment_fee for f in self.families), ZERO)
        return by

    def unconfirmed_used(self) -> list[dict[str, Any]]:
        """Each unconfirmed figure a claim uses: result, year, amount, note, families."""
        used: dict[tuple[str, str], dict[str, Any]] = {}
        for f in self.claimable:
            for r, a, _ in f.claimed:
                note = f.unconfirmed(r)
                if note is None or f.year is None:
                    continue
                u = used.setdefault(
                    (r.id, f.year),
                    {
                        "result": r.id,
                        "year": f.year,
                        "payment": r.payment.get(f.year, ZERO),
                        "note": note,
                        "families": [],
                        "claimed": ZERO,
                    },
                )
                u["families"].append(f.family)
                u["claimed"] += a
        return list(used.values())

    @property
    def attachment_note(self) -> str:
        """How attachment fees are paid, in words."""
        if self.scheme.attachment_per_family:
            return "the attachment fee is paid for each family attached"
        return (
            "the attachment fee is the year's share of the maximum payment, paid on the "
            "authority's allocation of its estimated families, not for each family: "
            "see `wholeplace sharing pbr funding`"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme.name,
            "source": self.scheme.source,
            "as_of": self.as_of,
            "families": len(self.families),
            "claimable": len(self.claimable),
            "totals": self.totals(),
            "attachment_fee_basis": self.attachment_note,
            "unconfirmed": self.unconfirmed_used(),
            "claims": [
                {
                    "family_id": f.family,
                    "programme_year": f.year,
                    "attachment_fee": f.attachment_fee,
                    "results_amount": f.results_amount,
                    "results": [
                        {
                            "result": r.id,
                            "amount": a,
                            "status": "confirmed" if f.unconfirmed(r) is None else "unconfirmed",
                            "evidence": [
                                {
                                    "criterion": c.criterion.label or c.criterion.measure,
                                    "status": c.status,
                                    "detail": c.detail,
                                    "records": [rec.brief() for rec in c.records],
                                }
                                for c in chk.checks
                            ],
                        }
                        for r, a, chk in f.claimed
                    ],
                }
                for f in self.claimable
            ],
            "blind_spot": [
                {
                    "family_id": f.family,
                    "claimed": f.results_amount,
                    "unrewarded_improvements": f.unrewarded,
                }
                for f in self.blind_spot
            ],
        }


def check_criterion(c: Criterion, records: list[Record], as_of: date) -> CriterionCheck:
    recs = [r for r in records if r.measure == c.measure]
    if not recs:
        return CriterionCheck(c, "not applicable", f"no {c.measure} records for this family", [])
    if c.test == "each_below":
        assert c.value is not None
        bad = [r for r in recs if r.after is None or r.after >= c.value]
        if bad:
            return CriterionCheck(
                c,
                "not met",
                f"{len(bad)} of {len(recs)} {c.measure} records at or above {c.value}",
                bad,
            )
        return CriterionCheck(
            c, "met", f"all {len(recs)} {c.measure} records below {c.value}", recs
        )
    if c.test == "family_fall_at_least":
        assert c.percent is not None
        before = sum((r.before or ZERO for r in recs), ZERO)
        after = sum((r.after or ZERO for r in recs), ZERO)
        if before <= 0:
            return CriterionCheck(c, "not applicable", f"no {c.measure} before to reduce", recs)
        fall = (Fraction(before) - Fraction(after)) / Fraction(before)
        pct = round_half_up(Decimal(fall.numerator * 100) / fall.denominator, 1)
        if fall * 100 >= Fraction(c.percent):
            return CriterionCheck(
                c,
                "met",
                f"{c.measure} fell from {_n(before)} to {_n(after)} ({pct}% >= {c.percent}%)",
                recs,
            )
        return CriterionCheck(
            c,
            "not met",
            f"{c.measure} went from {_n(before)} to {_n(after)} ({pct}% < {c.percent}% fall)",
            recs,
        )
    if c.test == "continuous_months_at_least":
        assert c.months is not None
        good = []
        for r in recs:
            if r.start is None:
                continue
            if c.require_before and r.before_text.strip().lower() not in YES:
                continue
            end = r.end if r.end is not None and r.end <= as_of else as_of
            if add_months(r.start, c.months) <= end:
                good.append(r)
        if good:
            return CriterionCheck(
                c, "met", f"{len(good)} continuous spell(s) of at least {c.months} months", good
            )
        return CriterionCheck(
            c, "not met", f"no continuous spell of {c.months} months by {as_of}", recs
        )
    if c.test == "recorded_within_months":
        assert c.months is not None
        since = add_months(as_of, -c.months)
        good = [r for r in recs if r.start is not None and since <= r.start <= as_of]
        if good:
            return CriterionCheck(c, "met", f"recorded since {since}", good)
        return CriterionCheck(c, "not met", f"nothing recorded between {since} and {as_of}", recs)
    raise ValueError(f"unknown test {c.test}")  # pragma: no cover - parse_scheme guards


def check_result(result: Result, records: list[Record], as_of: date) -> ResultCheck:
    checks = [check_criterion(c, records, as_of) for c in result.criteria]
    applicable = [c for c in checks if c.status != "not applicable"]
    if result.mode == "all_of":
        met = bool(applicable) and all(c.status == "met" for c in applicable)
    else:
        met = any(c.status == "met" for c in applicable)
    return ResultCheck(result, met, checks)


def claim_family(
    scheme: Scheme, family: str, records: list[Record], year: str | None, as_of: date
) -> FamilyClaim:
    checks = [check_result(r, records, as_of) for r in scheme.results]
    met = {c.result.id for c in checks if c.met}
    replaced = {x for c in checks if c.met for x in c.result.replaces}
    claimed: list[tuple[Result, Decimal, ResultCheck]] = []
    fee = scheme.attachment_fee(year) if year else ZERO
    room = scheme.max_payment - fee
    if year is not None:
        for c in checks:
            if c.result.id in met and c.result.id not in replaced:
                amount = min(c.result.payment.get(year, ZERO), room)
                if amount > 0:
                    claimed.append((c.result, amount, c))
                    room -= amount
    unrewarded = unrewarded_improvements(scheme, records, checks, {r.id for r, _, _ in claimed})
    return FamilyClaim(family, year, fee, claimed, checks, unrewarded)


def unrewarded_improvements(
    scheme: Scheme, records: list[Record], checks: list[ResultCheck], paid: set[str]
) -> list[str]:
    """What got better for this family that no payment recognises."""
    rewarded_measures = {
        cc.criterion.measure for c in checks if c.result.id in paid for cc in c.checks
    }
    out: list[str] = []
    by_measure: dict[str, list[Record]] = {}
    for r in records:
        if r.measure != "attached":
            by_measure.setdefault(r.measure, []).append(r)
    for measure, recs in by_measure.items():
        if measure in rewarded_measures:
            continue
        label = scheme.labels.get(measure, measure)
        if measure in scheme.measures():
            # In the scheme but not (fully) achieved: partial progress goes unpaid.
            pairs = [r for r in recs if r.before is not None and r.after is not None]
            before = sum((r.before or ZERO for r in pairs), ZERO)
            after = sum((r.after or ZERO for r in pairs), ZERO)
            if pairs and _better(scheme, measure, recs[0].better, before, after):
                out.append(
                    f"{label}: {_n(before)} -> {_n(after)} (lines {_lines(pairs)}), "
                    "short of the payable result"
                )
            continue
        pairs = [r for r in recs if r.before is not None and r.after is not None]
        improved = [r for r in pairs if _better(scheme, measure, r.better, r.before, r.after)]
        if improved:
            before = sum((r.before or ZERO for r in improved), ZERO)
            after = sum((r.after or ZERO for r in improved), ZERO)
            out.append(
                f"{label}: {_n(before)} -> {_n(after)} (lines {_lines(improved)}), "
                "not in the scheme"
            )
    return out


def _better(
    scheme: Scheme,
    measure: str,
    row_better: str | None,
    before: Decimal | None,
    after: Decimal | None,
) -> bool:
    if before is None or after is None:
        return False
    direction = row_better or scheme.better.get(measure, "lower")
    return after > before if direction == "higher" else after < before


def _n(d: Decimal) -> str:
    """100.00 -> '100', 14.90 -> '14.9'."""
    return f"{d.normalize():f}"


def _lines(recs: list[Record]) -> str:
    return ", ".join(str(r.line) for r in recs)


def run_claims(scheme: Scheme, records: list[Record], as_of: date) -> ClaimRun:
    families: dict[str, list[Record]] = {}
    for r in records:
        families.setdefault(r.family, []).append(r)
    out = []
    for fam, recs in families.items():
        attached = [r for r in recs if r.measure == "attached" and r.start is not None]
        year = financial_year(attached[0].start) if attached else None  # type: ignore[arg-type]
        out.append(claim_family(scheme, fam, recs, year, as_of))
    return ClaimRun(scheme, as_of, out)
