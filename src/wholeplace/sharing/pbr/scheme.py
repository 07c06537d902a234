"""A payment-by-results scheme as data: payments by programme year and results as rules
over outcome records (see the package docstring), read from YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.money import to_money
from wholeplace.sharing.common import PERCENT_HELP, Issues, load_yaml, shape_guard, year_key

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


MAX_MONTHS = 120  # ten years: far beyond any payment-by-results scheme's tests


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
    if pct is not None and not 0 <= pct <= 100:
        # a fall of more than 100% cannot happen; checked here, as the claims compare it
        # exactly (as a Fraction of every digit: 1e999999999 would never be done)
        issues.add(f"{cw}.percent", c["percent"], "a fall is from 0% to 100%", PERCENT_HELP)
        return None
    months = int(c["months"]) if str(c.get("months", "")).isdecimal() else None
    if months is not None and not 1 <= months <= MAX_MONTHS:
        # a date that many months away is past the calendar's year 9999 (OverflowError)
        issues.add(
            f"{cw}.months",
            c["months"],
            f"must be a whole number of months from 1 to {MAX_MONTHS}",
            "write months: 6",
        )
        return None
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
