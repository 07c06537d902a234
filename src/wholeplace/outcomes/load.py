"""Reading the outcomes framework from YAML, every problem of the file at once.

The file is one mapping with the sections ``outcomes`` (each with its ``indicators``),
``services`` (each with its RBA ``measures``), ``claims`` and ``sroi`` (docs/outcomes.md). A
problem names the file, the section (as the sheet), the line (as the row), the field (as the
column), the value found and the fix.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.errors import Problems
from wholeplace.labels import match_key
from wholeplace.money import MoneyError, input_amount
from wholeplace.outcomes.model import (
    CATEGORIES,
    DEFAULT_QUALITY_THRESHOLD,
    DEFAULT_SUPPRESS_BELOW,
    FACTORS,
    FREQUENCIES,
    POLARITIES,
    QUALITY_DIMENSIONS,
    AppraisalLink,
    Claim,
    Comparison,
    Contribution,
    Factor,
    Framework,
    Indicator,
    Outcome,
    Point,
    Proxy,
    Service,
    Sroi,
    ValueLine,
)
from wholeplace.outcomes.observations import PERIOD_FIX, parse_period
from wholeplace.yaml_files import ItemReader, LinedMap, LineLoader, parse_yaml
from wholeplace.years import YearError, parse_year

SECTIONS = ("outcomes", "services", "claims", "sroi")
PROXY_KINDS = ("fiscal", "economic", "social")
ONE = Decimal(1)


class Reader(ItemReader):
    """The outcomes framework's own checks, beside the shared ones."""

    def number(
        self, s: str, item: LinedMap, key: str, *, share: bool = False, required: bool = True
    ) -> Decimal | None:
        v = item.get(key)
        if v is None:
            if required:
                fix = "give a share from 0 to 1, e.g. 0.25" if share else "give a number"
                self.add(s, item, key, None, f"{key} is missing", fix)
            return None
        try:
            d = input_amount(v)
        except MoneyError:
            self.add(s, item, key, v, "not a number", "write a plain number, e.g. 0.25 or 1200")
            return None
        if share and not 0 <= d <= 1:
            self.add(s, item, key, v, "a share must be from 0 to 1", "write 25% as 0.25")
            return None
        return d

    def choice(
        self, s: str, item: LinedMap, key: str, allowed: tuple[str, ...] | list[str]
    ) -> str | None:
        v = self.text(s, item, key)
        if v is None:
            return None
        found = {match_key(a): a for a in allowed}.get(match_key(v))
        if found is None:
            self.add(s, item, key, v, f"not a known {key}", f"use one of: {', '.join(allowed)}")
        return found

    def mapping(self, s: str, item: LinedMap, key: str, required: bool = True) -> LinedMap | None:
        v = item.get(key)
        if v is None and not required:
            return None
        if not isinstance(v, LinedMap):
            self.add(s, item, key, v, f"{key} must be a set of keys", "see docs/outcomes.md")
            return None
        return v

    def items(self, raw: LinedMap, key: str, sheet: str) -> list[LinedMap]:
        v = raw.get(key)
        if v is None:
            return []
        if not isinstance(v, list) or not all(isinstance(x, LinedMap) for x in v):
            self.add(
                sheet,
                raw,
                key,
                None,
                f"{key} must be a list of items, each with keys",
                "write each item as '- id: ...' on its own lines",
            )
            return []
        return list(v)

    def unique_id(self, s: str, item: LinedMap, seen: dict[str, int | None]) -> str | None:
        v = self.text(s, item, "id")
        if v is None:
            return None
        if v in seen:
            self.add(
                s,
                item,
                "id",
                v,
                f"id given twice (first on line {seen[v]})",
                "give each its own id",
            )
            return None
        seen[v] = item.line_of("id")
        return v


def _point(r: Reader, s: str, item: LinedMap, key: str, required: bool) -> Point | None:
    m = r.mapping(s, item, key, required)
    if m is None:
        return None
    value, on = r.number(s, m, "value"), r.day(s, m, "date")
    return None if value is None or on is None else Point(value, on)


def _quality(r: Reader, s: str, item: LinedMap) -> dict[str, int] | None:
    m = r.mapping(s, item, "quality")
    if m is None:
        return None
    out: dict[str, int] = {}
    for dim in QUALITY_DIMENSIONS:
        v = m.get(dim)
        if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 5:
            out[dim] = v
        else:
            r.add(
                s,
                m,
                dim,
                v,
                f"the {dim} score must be a whole number from 1 to 5",
                "score each of the six dimensions of the Government Data Quality Framework 1-5",
            )
    unknown = sorted(str(k) for k in m if k not in QUALITY_DIMENSIONS)
    for k in unknown:
        r.add(s, m, k, k, "not a dimension", f"use: {', '.join(QUALITY_DIMENSIONS)}")
    return out if len(out) == len(QUALITY_DIMENSIONS) and not unknown else None


def _indicator(
    r: Reader,
    s: str,
    item: LinedMap,
    seen: dict[str, int | None],
    *,
    outcome: str | None = None,
    service: str | None = None,
) -> Indicator | None:
    iid = r.unique_id(s, item, seen)
    name = r.text(s, item, "name")
    texts = [r.text(s, item, k) for k in ("definition", "source", "unit")]
    polarity = r.choice(s, item, "polarity", POLARITIES)
    frequency = r.choice(s, item, "frequency", FREQUENCIES)
    owner = r.partner(s, item, "owner")
    category = None
    if service is not None:
        category = r.choice(s, item, "category", list(CATEGORIES))
    quality = _quality(r, s, item)
    is_population = outcome is not None
    baseline = _point(r, s, item, "baseline", is_population)
    target = _point(r, s, item, "target", is_population)
    if baseline and target and target.on <= baseline.on:
        r.add(
            s,
            item,
            "target",
            target.on,
            "the target date is not after the baseline date",
            "give a target date later than the baseline's",
        )
        return None
    got = (iid, name, *texts, polarity, frequency, owner, quality)
    if any(v is None for v in got) or (service is not None and category is None):
        return None
    definition, source, unit = (str(t) for t in texts)
    return Indicator(
        str(iid),
        str(name),
        definition,
        source,
        unit,
        str(polarity),
        str(frequency),
        str(owner),
        quality or {},
        baseline,
        target,
        outcome,
        service,
        category,
    )


def _factors(r: Reader, s: str, item: LinedMap, allowed: tuple[str, ...]) -> dict[str, Factor]:
    m = r.mapping(s, item, "factors", required=False)
    if m is None:
        return {}
    out: dict[str, Factor] = {}
    for k in m:
        if k not in allowed:
            r.add(s, m, str(k), k, "not an additionality factor", f"use: {', '.join(allowed)}")
            continue
        f = r.mapping(s, m, k)
        if f is None:
            continue
        share = r.number(s, f, "share", share=True)
        # The tool never invents a factor: each one a person gives names where it comes from.
        source = r.text(s, f, "source")
        if share is not None and source is not None:
            out[k] = Factor(share, source)
    return out


def _claim(r: Reader, item: LinedMap, seen: dict[str, int | None]) -> Claim | None:
    s = "claims"
    cid, desc = r.unique_id(s, item, seen), r.text(s, item, "description")
    gross, unit = r.number(s, item, "gross"), r.text(s, item, "unit")
    indicator = r.text(s, item, "indicator", required=False)
    factors = _factors(r, s, item, FACTORS)
    reference = r.number(s, item, "reference", required=False)
    ref_source = None
    if reference is not None:
        ref_source = r.text(s, item, "reference_source")
        if "deadweight" in factors:
            r.add(
                s,
                item,
                "reference",
                reference,
                "a reference case and a deadweight share are both given",
                "give the deadweight once: the reference case's change, or a share",
            )
            return None
    comparison = _comparison(r, s, item)
    if cid is None or desc is None or gross is None or unit is None:
        return None
    if reference is not None and ref_source is None:
        return None
    return Claim(cid, desc, gross, unit, factors, indicator, reference, ref_source, comparison)


def _comparison(r: Reader, s: str, item: LinedMap) -> Comparison | None:
    m = r.mapping(s, item, "comparison", required=False)
    if m is None:
        return None
    got = [r.text(s, m, k) for k in ("area", "comparison", "before", "after", "source")]
    if item.get("indicator") is None:
        r.add(
            s,
            item,
            "comparison",
            None,
            "a comparison needs the claim's indicator",
            "name the indicator whose values the two areas are compared on",
        )
        return None
    area, other, before, after, source = got
    if area is None or other is None or before is None or after is None or source is None:
        return None
    if area == other:
        r.add(s, m, "comparison", other, "the comparison is the same area", "name another area")
        return None
    return Comparison(area, other, before, after, source)


def _periods(r: Reader, claims: list[Claim], known: dict[str, Indicator]) -> list[Claim]:
    """Each comparison's periods written as the observations write them (``2024/25 Q1``)."""
    out = []
    for c in claims:
        ind = None if c.indicator is None else known.get(c.indicator)
        if c.comparison is None or ind is None:
            out.append(c)
            continue
        labels = []
        for key in ("before", "after"):
            text = getattr(c.comparison, key)
            found = parse_period(text, ind.frequency)
            if found is None:
                r.p.add(
                    None,
                    key,
                    text,
                    f"not a period of the {ind.frequency} indicator {ind.id}",
                    PERIOD_FIX[ind.frequency],
                    sheet="claims",
                )
            labels.append(None if found is None else found)
        b, a = labels
        if b is not None and a is not None and b.end >= a.end:
            r.p.add(
                None,
                "after",
                c.comparison.after,
                "the after period is not later than the before period",
                "give the period before the work began, then one after",
                sheet="claims",
            )
        if b is not None and a is not None:
            c = replace(c, comparison=replace(c.comparison, before=b.label, after=a.label))
        out.append(c)
    return out


def _proxy(r: Reader, s: str, item: LinedMap) -> Proxy | None:
    m = r.mapping(s, item, "proxy")
    if m is None:
        return None
    if "unit_cost" in m:
        code = r.text(s, m, "unit_cost")
        kind = r.choice(s, m, "kind", PROXY_KINDS)
        return None if code is None or kind is None else Proxy(None, None, code, kind)
    amount, source = r.number(s, m, "amount"), r.text(s, m, "source")
    if amount is not None and amount < 0:
        r.add(
            s, m, "amount", amount, "a value cannot be negative", "give what one outcome is worth"
        )
        return None
    return None if amount is None or source is None else Proxy(amount, source)


def _value_line(r: Reader, item: LinedMap) -> ValueLine | None:
    s = "sroi"
    desc, who = r.text(s, item, "description"), r.text(s, item, "stakeholder")
    qty, proxy = r.number(s, item, "quantity"), _proxy(r, s, item)
    duration = item.get("duration")
    if not (isinstance(duration, int) and not isinstance(duration, bool) and 1 <= duration <= 50):
        r.add(
            s,
            item,
            "duration",
            duration,
            "duration must be whole years from 1 to 50",
            "give how many years the outcome lasts",
        )
        duration = None
    drop = r.number(s, item, "drop_off", share=True, required=False)
    factors = _factors(r, s, item, FACTORS)
    if qty is not None and qty < 0:
        r.add(s, item, "quantity", qty, "a quantity cannot be negative", "count the people")
        return None
    if desc is None or who is None or qty is None or proxy is None or duration is None:
        return None
    return ValueLine(
        desc,
        who,
        qty,
        proxy,
        duration,
        drop if drop is not None else Decimal(0),
        factors,
        r.text(s, item, "output", required=False) or "",
        r.text(s, item, "indicator", required=False),
    )


def _sroi(r: Reader, m: LinedMap) -> Sroi | None:
    s = "sroi"
    name, investment = r.text(s, m, "name"), r.number(s, m, "investment")
    rate = r.number(s, m, "discount_rate", share=True)
    rate_source = r.text(s, m, "discount_source")
    year: str | None = None
    try:
        year = parse_year(str(m.get("price_year", "")))
    except YearError:
        r.add(s, m, "price_year", m.get("price_year"), "not a financial year", "write 2024/25")
    if investment is not None and investment <= 0:
        r.add(
            s,
            m,
            "investment",
            investment,
            "the investment must be above zero",
            "give the value of the inputs in pounds",
        )
        investment = None
    lines = [x for item in r.items(m, "outcomes", s) if (x := _value_line(r, item))]
    if not m.get("outcomes"):
        r.add(s, m, "outcomes", None, "no outcomes to value", "list the outcomes of the impact map")
    if name is None or investment is None or rate is None or rate_source is None or year is None:
        return None
    return Sroi(
        name,
        investment,
        year,
        rate,
        rate_source,
        tuple(lines),
        r.texts(s, m, "stakeholders", required=False),
    )


def _setting(r: Reader, raw: LinedMap, key: str, default: int) -> int:
    v = raw.get(key, default)
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 1000:
        return v
    r.add("settings", raw, key, v, f"{key} must be a whole number", f"e.g. {key}: {default}")
    return default


def _contributions(
    r: Reader, item: LinedMap, services: set[str] | None
) -> tuple[Contribution, ...]:
    """An outcome's ``contributions``: each a partner with a spend-map service or a customer
    group; ``services``: the spend map's service codes (None: not checked)."""
    found: list[Contribution] = []
    for c in r.items(item, "contributions", "outcomes"):
        partner = r.partner("contributions", c, "partner")
        service = r.text("contributions", c, "service", required=False)
        group = r.text("contributions", c, "customer_group", required=False)
        if (service is None) == (group is None):
            r.add(
                "contributions",
                c,
                "service",
                None,
                "a contribution names a service or a customer group (one of the two)",
                "give either service: CODE or customer_group: NAME",
            )
            continue
        if service is not None and services is not None and service not in services:
            r.add(
                "contributions",
                c,
                "service",
                service,
                "not a service of the spend map",
                "use a service code of `wholeplace spend services`",
            )
            continue
        if partner is not None:
            found.append(Contribution(partner, service, group))
    return tuple(found)


def _spend_services(r: Reader, item: LinedMap, services: set[str] | None) -> tuple[str, ...]:
    codes = r.texts("outcomes", item, "spend_services", required=False)
    for code in codes:
        if services is not None and code not in services:
            r.add(
                "outcomes",
                item,
                "spend_services",
                code,
                "not a service of the spend map",
                "use a service code of `wholeplace spend services`",
            )
    return codes


def _appraisal_links(r: Reader, item: LinedMap) -> tuple[AppraisalLink, ...]:
    found: list[AppraisalLink] = []
    for a in r.items(item, "appraisal_lines", "outcomes"):
        file = r.text("appraisal_lines", a, "appraisal")
        line = r.text("appraisal_lines", a, "line")
        if file is not None and line is not None:
            found.append(AppraisalLink(file, line, a.line_of("line")))
    return tuple(found)


def build_framework(
    raw: Any, label: str, partners: set[str] | None, service_codes: set[str] | None = None
) -> Framework:
    r = Reader(label, partners)
    if not isinstance(raw, LinedMap) or "outcomes" not in raw:
        r.p.add(
            None,
            None,
            None if raw is None else type(raw).__name__,
            "the file must be a YAML mapping with an outcomes section",
            "see the example in docs/outcomes.md",
        )
        raise r.p.error()
    ids: dict[str, int | None] = {}
    outcomes: list[Outcome] = []
    indicators: list[Indicator] = []
    out_ids: dict[str, int | None] = {}
    for item in r.items(raw, "outcomes", "outcomes"):
        oid, title = r.unique_id("outcomes", item, out_ids), r.text("outcomes", item, "title")
        partners_ = r.texts("outcomes", item, "partners", required=False)
        for p in partners_:
            if partners is not None and p not in partners:
                r.add(
                    "outcomes",
                    item,
                    "partners",
                    p,
                    "not a partner of this place",
                    "use the partner ids of `wholeplace partners list`",
                )
        inds = r.items(item, "indicators", "outcomes")
        if not inds:
            r.add(
                "outcomes",
                item,
                "indicators",
                None,
                "an outcome needs an indicator",
                "list at least one indicator under it",
            )
        for ind in inds:
            x = _indicator(r, "indicators", ind, ids, outcome=oid)
            if x is not None:
                indicators.append(x)
        contributions = _contributions(r, item, service_codes)
        spend_codes = _spend_services(r, item, service_codes)
        links = _appraisal_links(r, item)
        if oid is not None and title is not None:
            outcomes.append(
                Outcome(
                    oid,
                    title,
                    partners_,
                    spend_codes,
                    contributions,
                    links,
                )
            )
    services: list[Service] = []
    svc_ids: dict[str, int | None] = {}
    for item in r.items(raw, "services", "services"):
        sid, name = r.unique_id("services", item, svc_ids), r.text("services", item, "name")
        partner = r.partner("services", item, "partner")
        linked = r.texts("services", item, "outcomes", required=False)
        for o in linked:
            if o not in out_ids:
                r.add(
                    "services",
                    item,
                    "outcomes",
                    o,
                    "not an outcome of this framework",
                    "use the id of an outcome above",
                )
        for ind in r.items(item, "measures", "services"):
            x = _indicator(r, "measures", ind, ids, service=sid)
            if x is not None:
                indicators.append(x)
        if sid is not None and name is not None and partner is not None:
            services.append(Service(sid, name, partner, linked))
    claim_ids: dict[str, int | None] = {}
    claims = [c for item in r.items(raw, "claims", "claims") if (c := _claim(r, item, claim_ids))]
    claims = _periods(r, claims, {i.id: i for i in indicators})
    for c in claims:
        if c.indicator is not None and c.indicator not in ids:
            r.p.add(
                None,
                "indicator",
                c.indicator,
                "not an indicator of this framework",
                "use the id of an indicator or measure",
                sheet="claims",
            )
    sroi = None
    if "sroi" in raw:
        m = r.mapping("sroi", raw, "sroi")
        sroi = _sroi(r, m) if m is not None else None
    suppress = _setting(r, raw, "suppress_below", DEFAULT_SUPPRESS_BELOW)
    threshold = _setting(r, raw, "quality_threshold", DEFAULT_QUALITY_THRESHOLD)
    unknown = [k for k in raw if k not in (*SECTIONS, "suppress_below", "quality_threshold")]
    for k in unknown:
        r.add(
            "settings",
            raw,
            str(k),
            k,
            "not a section of the framework",
            f"use: {', '.join((*SECTIONS, 'suppress_below', 'quality_threshold'))}",
        )
    r.p.raise_if_any()
    return Framework(
        tuple(outcomes),
        tuple(services),
        tuple(indicators),
        tuple(claims),
        sroi,
        suppress,
        threshold,
    )


def parse_framework(
    text: str, label: str, partners: set[str] | None, services: set[str] | None = None
) -> Framework:
    """The framework in the YAML ``text``; ``partners``: the place's partner ids and
    ``services`` the spend map's service codes (None: not checked, for a framework already
    imported)."""
    raw = parse_yaml(text, label, LineLoader)
    return build_framework(raw, label, partners, services)


def read_framework_text(path: Path) -> str:
    p = Problems(path.name)
    if not path.is_file():
        p.add(None, None, None, "file not found", "check the path")
        raise p.error()
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        p.add(None, None, None, "not a UTF-8 text file", "save the framework as UTF-8 YAML")
        raise p.error() from exc
