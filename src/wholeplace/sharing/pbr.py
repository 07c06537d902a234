"""Payment by results: a scheme in data, claims from outcome records, and forecasts.

A scheme (YAML) gives the maximum payment per family, the share of it paid up front as
an attachment fee by programme year, and results as rules over outcome records. The
shipped example is the 2012 Troubled Families scheme (``data/sharing``).

Outcome records are a CSV, one row per fact about one person in one family::

    family_id, person, measure, before, after, start_date, end_date, source

``attached`` rows (start_date = the date the family was attached) place a family in a
programme year (financial years April to March). Rules then test records of a measure:

* ``each_below``: every record's ``after`` is below ``value`` (e.g. every child fewer
  than 3 exclusions);
* ``family_fall_at_least``: the family's total ``after`` has fallen by at least
  ``percent`` from its total ``before`` (exactly 33 % counts);
* ``continuous_months_at_least``: a record whose continuous spell from ``start_date``
  to ``end_date`` (or to the as-of date if still running) lasts at least ``months``
  calendar months (exactly 6 months counts), optionally only for people whose
  ``before`` says they were on out-of-work benefits (``require_before: yes``);
* ``recorded_within_months``: a record starting within ``months`` before the as-of date.

A criterion for which a family has no records (or nothing to reduce) is *not
applicable*, as the scheme says "as relevant"; a result needs at least one applicable
criterion and every applicable one met.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from wholeplace.money import ZERO, round_half_up, to_money
from wholeplace.sharing.common import Issues, load_yaml, shape_guard, year_key
from wholeplace.tabular import read_table
from wholeplace.years import YearError, shift, year_label

TESTS = (
    "each_below",
    "family_fall_at_least",
    "continuous_months_at_least",
    "recorded_within_months",
)
YES = {"1", "y", "yes", "true", "t"}


@dataclass(frozen=True)
class Criterion:
    measure: str
    test: str
    value: Decimal | None = None  # each_below
    percent: Decimal | None = None  # family_fall_at_least (0-100)
    months: int | None = None
    require_before: bool = False
    label: str = ""


@dataclass(frozen=True)
class Result:
    id: str
    label: str
    payment: dict[str, Decimal]  # programme year -> amount per family
    criteria: tuple[Criterion, ...]
    mode: str  # "all_of" | "any_of"
    replaces: tuple[str, ...] = ()


@dataclass
class Scheme:
    name: str
    source: str
    unit: str
    max_payment: Decimal
    years: list[str]
    attachment_share: dict[str, Decimal]
    results: list[Result]
    better: dict[str, str] = field(default_factory=dict)  # measure -> "lower" | "higher"
    labels: dict[str, str] = field(default_factory=dict)

    def attachment_fee(self, year: str) -> Decimal:
        return to_money(self.max_payment * self.attachment_share[year])

    def measures(self) -> set[str]:
        return {c.measure for r in self.results for c in r.criteria}


@dataclass(frozen=True)
class Record:
    line: int
    family: str
    person: str
    measure: str
    before: Decimal | None
    after: Decimal | None
    before_text: str
    start: date | None
    end: date | None
    source: str
    better: str | None

    def brief(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "person": self.person,
            "measure": self.measure,
            "before": self.before_text or None,
            "after": self.after,
            "start_date": self.start,
            "end_date": self.end,
            "source": self.source,
        }


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
        by: dict[str, Decimal] = {r.id: ZERO for r in self.scheme.results}
        for f in self.families:
            for r, a, _ in f.claimed:
                by[r.id] += a
        by["results_total"] = sum((f.results_amount for f in self.families), ZERO)
        by["attachment_fees"] = sum((f.attachment_fee for f in self.families), ZERO)
        return by

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme.name,
            "source": self.scheme.source,
            "as_of": self.as_of,
            "families": len(self.families),
            "claimable": len(self.claimable),
            "totals": self.totals(),
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


# -- dates --------------------------------------------------------------------------------


def add_months(d: date, months: int) -> date:
    """Same day ``months`` calendar months later, or that month's last day if shorter."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def financial_year(d: date) -> str:
    """UK public-sector year April-March: 2012-05-01 -> '2012/13'."""
    return year_label(d.year if d.month >= 4 else d.year - 1)


def next_year_label(label: str) -> str:
    """The financial year after ``label`` ('2014/15' -> '2015/16'); another label + '+1'."""
    try:
        return shift(label, 1)
    except YearError:
        return label + "+1"


# -- the rules ----------------------------------------------------------------------------


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


# -- reading ------------------------------------------------------------------------------


def load_scheme(path: Path | str) -> Scheme:
    path = Path(path)
    return parse_scheme(load_yaml(path), path.name)


@shape_guard("troubled_families_2012.yaml")
def parse_scheme(raw: dict[str, Any], file: str = "scheme.yaml") -> Scheme:
    """A scheme from the mapping a scheme file holds. Programme years may be written in any
    form :func:`wholeplace.years.parse_year` accepts; the scheme holds their labels
    (``2012/13``). Keys it does not use (``edition``, ``licence``, ``effective_from``,
    ``effective_to``, ``description``, ...) are provenance and are allowed."""
    issues = Issues(file)
    source = _source_text(raw.get("source"))
    if not source:
        issues.add(
            "source",
            None,
            "the scheme does not say where it comes from",
            "add source: naming the document and its date",
        )
    max_payment = issues.money("max_payment", raw.get("max_payment"))
    spelled = {year_key(y): str(y) for y in raw.get("programme_years") or []}
    if not spelled:
        issues.add(
            "programme_years",
            None,
            "no programme years",
            'add programme_years: ["2012/13", "2013/14"]',
        )
    shares = _attachment_shares(raw.get("attachment_fee_share") or {}, spelled, issues)
    results: list[Result] = []
    for i, r in enumerate(raw.get("results") or [], start=1):
        result = _result(r, f"results[{i}]", spelled, issues)
        if result is not None:
            results.append(result)
    ids = {r.id for r in results}
    for r in results:
        for x in r.replaces:
            if x not in ids:
                issues.add(
                    f"results.{r.id}.replaces",
                    x,
                    "unknown result",
                    f"use one of: {', '.join(sorted(ids))}",
                )
    measures = {k: v for k, v in (raw.get("measures") or {}).items() if isinstance(v, dict)}
    better = {str(k): str(v.get("better", "lower")) for k, v in measures.items()}
    labels = {str(k): str(v.get("label", k)) for k, v in measures.items()}
    issues.raise_if_any()
    assert max_payment is not None
    return Scheme(
        str(raw.get("name") or "Payment-by-results scheme"),
        source,
        str(raw.get("unit") or "family"),
        max_payment,
        list(spelled),
        shares,
        results,
        better,
        labels,
    )


def _source_text(source: object) -> str:
    """``source:`` as text; a mapping (title, publisher, url, ...) is joined in order."""
    if isinstance(source, dict):
        return ", ".join(str(v) for v in source.values() if v)
    return str(source or "")


def _attachment_shares(
    share_raw: dict[Any, Any], spelled: dict[str, str], issues: Issues
) -> dict[str, Decimal]:
    given = issues.by_year("attachment_fee_share", share_raw)
    shares: dict[str, Decimal] = {}
    for y, as_written in spelled.items():
        if y not in given:
            issues.add(
                f"attachment_fee_share.{as_written}",
                None,
                "no attachment fee share for this year",
                "add e.g. 2012/13: 80%",
            )
            continue
        key, value = given[y]
        s = issues.percent(f"attachment_fee_share.{key}", value)
        if s is not None:
            shares[y] = s
    return shares


def _result(r: object, where: str, spelled: dict[str, str], issues: Issues) -> Result | None:
    if not isinstance(r, dict) or "id" not in r:
        issues.add(where, r, "each result needs an id", "write - id: continuous_employment")
        return None
    rid = str(r["id"])
    given = issues.by_year(f"{where}.payment", r.get("payment") or {})
    pay: dict[str, Decimal] = {}
    for y, as_written in spelled.items():
        key, v = given.get(y, (as_written, None))
        m = issues.money(f"{where}.payment.{key}", v)
        if m is not None:
            pay[y] = m
    mode = "all_of" if "all_of" in r else "any_of"
    crits = []
    for j, c in enumerate(r.get(mode) or [], start=1):
        crit = _criterion(c, f"{where}.{mode}[{j}]", issues)
        if crit is not None:
            crits.append(crit)
    if not crits:
        issues.add(where, rid, "the result has no criteria", "add all_of: or any_of: with criteria")
    return Result(
        rid,
        str(r.get("label") or rid),
        pay,
        tuple(crits),
        mode,
        tuple(str(x) for x in r.get("replaces") or []),
    )


def _criterion(c: object, cw: str, issues: Issues) -> Criterion | None:
    if not isinstance(c, dict) or c.get("test") not in TESTS or "measure" not in c:
        issues.add(
            cw,
            c,
            "a criterion needs a measure and a known test",
            "use test: " + " | ".join(TESTS),
        )
        return None
    value = issues.number(f"{cw}.value", c["value"]) if "value" in c else None
    pct = issues.number(f"{cw}.percent", c["percent"]) if "percent" in c else None
    months = int(c["months"]) if str(c.get("months", "")).isdigit() else None
    need = {"each_below": value, "family_fall_at_least": pct}.get(c["test"], months)
    if need is None:
        issues.add(
            cw,
            c,
            f"test {c['test']} needs a threshold",
            "add value:, percent: or months: as the test needs",
        )
        return None
    return Criterion(
        str(c["measure"]),
        c["test"],
        value,
        pct,
        months,
        str(c.get("require_before", "")).lower() in YES,
        str(c.get("label", "")),
    )


FAMILY_ALIASES = {
    "family": "family_id",
    "measure_name": "measure",
    "start": "start_date",
    "end": "end_date",
}


def load_records(path: Path | str, scheme: Scheme | None = None) -> list[Record]:
    table = read_table(path, required=["family_id", "measure"], aliases=FAMILY_ALIASES)
    issues = Issues(table.label)
    out: list[Record] = []
    for row in table.rows:
        v = row.values
        fam = v.get("family_id", "").strip()
        measure = v.get("measure", "").strip().lower()
        if not fam:
            issues.add(
                "family_id",
                None,
                "family id is empty",
                "give every row the family's id",
                row.number,
            )
        if not measure:
            issues.add(
                "measure", None, "measure is empty", "name the measure, e.g. offences", row.number
            )
        nums: dict[str, Decimal | None] = {}
        for col in ("before", "after"):
            text = v.get(col, "").strip()
            if not text or (col == "before" and measure == "employment"):
                nums[col] = None
                continue
            d = issues.number(col, text, row.number)
            if d is not None and d < 0:
                issues.add(
                    col, text, "a count or rate cannot be negative", "write 0 or more", row.number
                )
            nums[col] = d
        dates: dict[str, date | None] = {}
        for col in ("start_date", "end_date"):
            text = v.get(col, "").strip()
            dates[col] = None
            if text:
                try:
                    dates[col] = _parse_date(text)
                except ValueError:
                    issues.add(
                        col,
                        text,
                        "this is not a date",
                        "write dates as YYYY-MM-DD or DD/MM/YYYY",
                        row.number,
                    )
        if (
            measure in ("attached", "employment", "progress_to_work")
            and dates["start_date"] is None
            and not any(p.row == row.number and p.column == "start_date" for p in issues.problems)
        ):
            issues.add(
                "start_date",
                None,
                f"a {measure} record needs a start date",
                "add the date it started",
                row.number,
            )
        if dates["start_date"] and dates["end_date"] and dates["end_date"] < dates["start_date"]:
            issues.add(
                "end_date",
                v.get("end_date"),
                "ends before it starts",
                "check the two dates",
                row.number,
            )
        if measure == "attached" and scheme is not None and dates["start_date"]:
            fy = financial_year(dates["start_date"])
            if fy not in scheme.years:
                issues.add(
                    "start_date",
                    v.get("start_date"),
                    f"attached in {fy}, outside the scheme's programme years",
                    f"the scheme covers {', '.join(scheme.years)}",
                    row.number,
                )
        better = v.get("better", "").strip().lower() or None
        if better not in (None, "lower", "higher"):
            issues.add(
                "better",
                better,
                "must be lower or higher",
                "say whether a lower or higher value is better",
                row.number,
            )
        out.append(
            Record(
                row.number,
                fam,
                v.get("person", "").strip(),
                measure,
                nums["before"],
                nums["after"],
                v.get("before", ""),
                dates["start_date"],
                dates["end_date"],
                v.get("source", "").strip(),
                better,
            )
        )
    fams_attached = {r.family for r in out if r.measure == "attached"}
    seen: set[str] = set()
    for r in out:
        if r.family and r.family not in fams_attached and r.family not in seen:
            seen.add(r.family)
            issues.add(
                "family_id",
                r.family,
                "this family has no 'attached' record, so its programme year is unknown",
                "add a row: family_id, , attached, , , <date attached>",
                r.line,
            )
    issues.raise_if_any()
    return out


def _parse_date(text: str) -> date:
    text = text.strip()
    if "/" in text:
        d, m, y = text.split("/")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(text[:10])


# -- forecast -----------------------------------------------------------------------------


@dataclass
class ForecastYear:
    year: str
    attachment_income: Decimal
    results_income: Decimal
    costs: Decimal

    @property
    def income(self) -> Decimal:
        return self.attachment_income + self.results_income

    @property
    def net(self) -> Decimal:
        return self.income - self.costs


@dataclass
class Forecast:
    scheme: Scheme
    cohort: dict[str, int]
    scenarios: dict[str, list[ForecastYear]]
    warnings: list[str]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scheme": self.scheme.name,
            "cohort": self.cohort,
            "scenarios": {},
            "warnings": self.warnings,
        }
        for name, rows in self.scenarios.items():
            cum = ZERO
            yrs = []
            for r in rows:
                cum += r.net
                yrs.append(
                    {
                        "year": r.year,
                        "attachment_income": r.attachment_income,
                        "results_income": r.results_income,
                        "income": r.income,
                        "costs": r.costs,
                        "net": r.net,
                        "cumulative_net": cum,
                    }
                )
            out["scenarios"][name] = {
                "years": yrs,
                "income": sum((r.income for r in rows), ZERO),
                "costs": sum((r.costs for r in rows), ZERO),
                "net": sum((r.net for r in rows), ZERO),
            }
        return out


def forecast(
    scheme: Scheme,
    cohort: dict[str, int],
    scenarios: dict[str, dict[str, Decimal]],
    costs: dict[str, Decimal],
    lag_years: int = 1,
) -> Forecast:
    """Income by year: attachment fees in the year families attach, results ``lag_years``
    later at each scenario's rate (the share of the cohort achieving each result)."""
    # Years in any accepted form, as labels (for callers who build these in Python).
    cohort = {year_key(y): n for y, n in cohort.items()}
    costs = {year_key(y): c for y, c in costs.items()}
    years = list(scheme.years)
    last = years[-1]
    for _ in range(lag_years):
        last = next_year_label(last)
        years.append(last)
    for y in costs:
        if y not in years:
            years.append(y)
    warnings: list[str] = []
    out: dict[str, list[ForecastYear]] = {}
    for name, rates in scenarios.items():
        att = {y: ZERO for y in years}
        res = {y: ZERO for y in years}
        for y, n in cohort.items():
            att[y] += to_money(scheme.attachment_fee(y) * n)
            per_family = sum(
                (rates.get(r.id, ZERO) * r.payment.get(y, ZERO) for r in scheme.results), ZERO
            )
            if per_family > scheme.max_payment - scheme.attachment_fee(y):
                warnings.append(
                    f"scenario {name}: expected results per family in {y} exceed what the scheme "
                    "pays; the rates probably count families twice (a family claiming employment "
                    "cannot also claim the results it replaces)"
                )
            target = years[years.index(y) + lag_years]
            res[target] += to_money(per_family * n)
        out[name] = [ForecastYear(y, att[y], res[y], costs.get(y, ZERO)) for y in years]
    return Forecast(scheme, cohort, out, warnings)


def load_forecast(path: Path | str, scheme_path: Path | str | None = None) -> Forecast:
    path = Path(path)
    return parse_forecast(load_yaml(path), path.name, path, scheme_path)


@shape_guard("pbr_forecast_example.yaml")
def parse_forecast(
    raw: dict[str, Any], file: str, path: Path, scheme_path: Path | str | None = None
) -> Forecast:
    """A forecast from the mapping a forecast file holds; years in any accepted form."""
    issues = Issues(file)
    sp = scheme_path or raw.get("scheme")
    if not sp:
        issues.add(
            "scheme", None, "no scheme named", "add scheme: path/to/scheme.yaml or use --scheme"
        )
        issues.raise_if_any()
    sp = Path(str(sp))
    if not sp.is_absolute() and not sp.exists():
        sp = path.parent / sp
    scheme = load_scheme(sp)
    cohort = _cohort(raw.get("cohort"), scheme, issues)
    scenarios = _scenarios(raw.get("scenarios") or {}, scheme, issues)
    costs: dict[str, Decimal] = {}
    for y, (key, v) in issues.by_year("costs", raw.get("costs") or {}).items():
        m = issues.money(f"costs.{key}", v)
        if m is not None:
            costs[y] = m
    lag = raw.get("result_lag_years", 1)
    if not str(lag).isdigit():
        issues.add("result_lag_years", lag, "must be a whole number of years", "write 0, 1 or 2")
        lag = 1
    issues.raise_if_any()
    return forecast(scheme, cohort, scenarios, costs, int(lag))


def _cohort(raw: object, scheme: Scheme, issues: Issues) -> dict[str, int]:
    cohort: dict[str, int] = {}
    for y, (key, n) in issues.by_year("cohort", raw if isinstance(raw, dict) else {}).items():
        if y not in scheme.years:
            issues.add(
                f"cohort.{key}",
                key,
                "not a programme year of the scheme",
                f"use {', '.join(scheme.years)}",
            )
        elif not str(n).isdigit():
            issues.add(
                f"cohort.{key}",
                n,
                "the number of families must be a whole number",
                "write e.g. 400",
            )
        else:
            cohort[y] = int(n)
    if not cohort:
        issues.add("cohort", raw, "no cohort", 'add cohort: {"2012/13": 400}')
    return cohort


def _scenarios(
    raw: dict[Any, Any], scheme: Scheme, issues: Issues
) -> dict[str, dict[str, Decimal]]:
    result_ids = {r.id for r in scheme.results}
    scenarios: dict[str, dict[str, Decimal]] = {}
    for name, rates in raw.items():
        scenarios[str(name)] = {}
        for rid, v in (rates or {}).items():
            if rid not in result_ids:
                issues.add(
                    f"scenarios.{name}.{rid}",
                    rid,
                    "not a result of the scheme",
                    f"use {', '.join(sorted(result_ids))}",
                )
                continue
            p = issues.percent(f"scenarios.{name}.{rid}", v)
            if p is not None:
                scenarios[str(name)][rid] = p
    if not scenarios:
        issues.add(
            "scenarios",
            None,
            "no scenarios",
            "add scenarios: {central: {continuous_employment: 10%}}",
        )
    return scenarios
