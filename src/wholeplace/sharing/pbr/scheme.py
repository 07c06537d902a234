"""A payment-by-results scheme as data: payments by programme year and results as rules
over outcome records (see the package docstring), read from YAML.

A figure the public sources do not confirm is written with its status::

    payment:
      "2012-13": 700
      "2013-14": {amount: 1400, status: unconfirmed, note: why it is not confirmed}

and every claim and forecast that uses it says so (issue 10). The funding basis
(``funding_basis:``) says what DCLG paid on: the share of the estimated families funded,
whether the attachment fee is paid on an authority's allocation of families or for each
family, and the allocation by year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
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
    # programme year -> why its payment is not confirmed (absent: confirmed)
    unconfirmed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Stated:
    """Whether the public sources confirm a figure of the scheme, and the note saying why."""

    confirmed: bool = True
    note: str = ""


@dataclass(frozen=True)
class FundingBasis:
    """What the scheme's money is paid on (``funding_basis:`` in the scheme file)."""

    estimated_families: str  # what the estimate is, in words
    funded_share: Fraction  # of the estimated families (5/6 in Troubled Families)
    funded_share_stated: Stated
    attachment_paid_on: str  # "allocation" (the families agreed for a year) or "family"
    attachment_stated: Stated
    allocation_by_year: dict[str, Fraction]  # share of the funded families, by year
    allocation_stated: Stated


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
    funding: FundingBasis | None = None

    def attachment_fee(self, year: str) -> Decimal:
        return to_money(self.max_payment * self.attachment_share[year])

    @property
    def attachment_per_family(self) -> bool:
        """Whether attachment fees are paid for each family attached (else on an allocation)."""
        return self.funding is None or self.funding.attachment_paid_on == "family"

    def unconfirmed_figures(self) -> list[tuple[str, str, Decimal, str]]:
        """(result, year, amount, note) of every payment the sources do not confirm."""
        return [
            (r.id, y, r.payment.get(y, Decimal(0)), note)
            for r in self.results
            for y, note in r.unconfirmed.items()
        ]

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
    funding = _funding(raw["funding_basis"], spelled, issues) if raw.get("funding_basis") else None
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
        funding,
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
    unconfirmed: dict[str, str] = {}
    for y, as_written in spelled.items():
        key, v = given.get(y, (as_written, None))
        if isinstance(v, dict):
            stated = _stated(v, f"{where}.payment.{key}", issues)
            v = v.get("amount")
            if not stated.confirmed:
                unconfirmed[y] = stated.note
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
        unconfirmed,
    )


STATUSES = ("confirmed", "unconfirmed")


def _stated(raw: dict[Any, Any], where: str, issues: Issues) -> Stated:
    """``status:`` (confirmed or unconfirmed) and ``note:`` of a figure; an unconfirmed
    figure must say why."""
    status = str(raw.get("status", "confirmed")).strip().lower()
    note = str(raw.get("note") or "").strip()
    if status not in STATUSES:
        issues.add(
            f"{where}.status", raw.get("status"), "not a status", "write confirmed or unconfirmed"
        )
    elif status == "unconfirmed" and not note:
        issues.add(
            f"{where}.note",
            None,
            "an unconfirmed figure must say why",
            "add note: what the sources say and do not say",
        )
    return Stated(status != "unconfirmed", note)


def _fraction(value: object, where: str, issues: Issues) -> Fraction | None:
    """``5/6``, ``1/3``, ``80%`` or ``0.8`` as an exact fraction between 0 and 1."""
    text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
    try:
        f = Fraction(Decimal(text[:-1].strip())) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError, ArithmeticError):
        f = None
    if f is None or not 0 <= f <= 1:
        issues.add(where, value, "not a share between 0 and 1", "write e.g. 5/6, 1/3 or 80%")
        return None
    return f


def _funding(raw: object, spelled: dict[str, str], issues: Issues) -> FundingBasis | None:
    where = "funding_basis"
    if not isinstance(raw, dict):
        issues.add(where, raw, "not a mapping", "see troubled_families_2012.yaml")
        return None

    def part(key: str) -> dict[Any, Any]:
        v = raw.get(key)
        return v if isinstance(v, dict) else {}

    share, att, alloc = part("funded_share"), part("attachment_fee"), part("allocation_by_year")
    funded = _fraction(share.get("value", 1), f"{where}.funded_share.value", issues)
    paid_on = str(att.get("paid_on", "family")).strip().lower()
    if paid_on not in ("allocation", "family"):
        issues.add(
            f"{where}.attachment_fee.paid_on",
            paid_on,
            "not allocation or family",
            "write allocation (the families agreed for the year) or family (each family attached)",
        )
    by_year: dict[str, Fraction] = {}
    values: dict[Any, Any] = alloc["value"] if isinstance(alloc.get("value"), dict) else {}
    for y, (key, v) in issues.by_year(f"{where}.allocation_by_year", values).items():
        if y not in spelled:
            issues.add(
                f"{where}.allocation_by_year.{key}",
                key,
                "not a programme year",
                f"use {', '.join(spelled.values())}",
            )
            continue
        f = _fraction(v, f"{where}.allocation_by_year.{key}", issues)
        if f is not None:
            by_year[y] = f
    if by_year and sum(by_year.values()) > 1:
        issues.add(
            f"{where}.allocation_by_year",
            None,
            "the years' allocations add up to more than the funded families",
            "make the shares add up to 1 at most",
        )
    if funded is None:
        return None
    return FundingBasis(
        str(raw.get("estimated_families") or "the estimated number of families"),
        funded,
        _stated(share, f"{where}.funded_share", issues),
        paid_on,
        _stated(att, f"{where}.attachment_fee", issues),
        by_year,
        _stated(alloc, f"{where}.allocation_by_year", issues),
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
