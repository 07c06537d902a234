"""Reading an appraisal from YAML (or the XLSX template) into typed objects.

Unit values are uprated from their own price year to the appraisal's price year with the GDP
deflator series and rounded half-up to the penny; every problem in a file is reported at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.cba.agencies import AgencyMap
from wholeplace.cba.appraisal import (
    ADDITIONALITY,
    COST_TYPES,
    DEFAULT_OPTIMISM_BIAS,
    ONE,
    VALUE_TYPES,
    ZERO,
    Appraisal,
    Component,
    CostLine,
    Dist,
    OutcomeLine,
    Settings,
)
from wholeplace.cba.checks import Checker, SourceMap, YamlLoader, to_decimal
from wholeplace.cba.deflators import DeflatorError, DeflatorSeries, parse_year, shipped_series
from wholeplace.cba.discounting import DEFAULT_SCHEDULE, Defaults, DiscountSchedule
from wholeplace.cba.discounting import defaults as shipped_defaults
from wholeplace.cba.load_unitcost import (
    double_counting,
    from_unit_cost,
    price_year_problem,
    uprated,
)
from wholeplace.cba.load_xlsx import read_xlsx
from wholeplace.cba.unitcosts import UnitCostBook, curated_book
from wholeplace.errors import InputError, Problem, Problems
from wholeplace.workbook_limits import refuse_old_xls
from wholeplace.yaml_files import parse_yaml, read_yaml_file

SeriesFinder = Callable[[str], DeflatorSeries | None]

# More people than live in the UK (about 69 million): a larger cohort is a typing error,
# and would carry the appraisal's sums beyond what exact arithmetic holds.
MAX_COHORT = Decimal(100_000_000)


def loads_appraisal(
    text: str,
    label: str = "appraisal.yaml",
    book: UnitCostBook | None = None,
    defaults: Defaults | None = None,
    *,
    agencies: AgencyMap | None = None,
    find_series: SeriesFinder | None = None,
) -> Appraisal:
    """Build an appraisal from YAML text (``label`` names it in error messages)."""
    raw = parse_yaml(text, label, YamlLoader)
    return build_appraisal(
        raw, label, book or curated_book(), defaults, agencies=agencies, find_series=find_series
    )


def load_appraisal(
    path: Path | str,
    book: UnitCostBook | None = None,
    defaults: Defaults | None = None,
    *,
    agencies: AgencyMap | None = None,
    find_series: SeriesFinder | None = None,
) -> Appraisal:
    """Read an appraisal from YAML or the XLSX template; every problem reported at once.

    ``defaults`` are the parameters it falls back on (optimism-bias grades, discount rate
    schedules): a place's own (:func:`wholeplace.cba.discounting.defaults`) or the shipped ones.
    ``agencies`` maps agencies onto a place's partners; ``find_series`` finds a deflator
    series the appraisal names (``appraisal.deflators``), by default a shipped one.
    """
    more: dict[str, Any] = {"agencies": agencies, "find_series": find_series}
    path = Path(path)
    label = path.name
    if not path.is_file():
        raise InputError([Problem(label, None, None, None, "file not found", "check the path")])
    refuse_old_xls(path, "YAML or the .xlsx template")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return build_appraisal(read_xlsx(path), label, book or curated_book(), defaults, **more)
    return loads_appraisal(read_yaml_file(path), label, book, defaults, **more)


def build_appraisal(
    raw: Any,
    label: str,
    book: UnitCostBook,
    defaults: Defaults | None = None,
    *,
    agencies: AgencyMap | None = None,
    find_series: SeriesFinder | None = None,
) -> Appraisal:
    chk = Checker(label)
    if not isinstance(raw, SourceMap):
        whole_file = Problems(label)
        whole_file.add(
            None,
            None,
            None,
            "the file is empty or not a mapping",
            "start with 'appraisal:', 'costs:' and 'outcomes:' sections",
        )
        raise whole_file.error()
    for key in raw:
        if key not in ("appraisal", "costs", "outcomes"):
            chk.add(
                raw,
                key,
                str(key),
                None,
                f"unknown section '{key}'",
                "use only appraisal, costs and outcomes",
            )
    head = raw.get("appraisal")
    if not isinstance(head, SourceMap):
        raise InputError(
            [
                Problem(
                    label,
                    raw.line,
                    "appraisal",
                    None,
                    "no 'appraisal:' section",
                    "add appraisal: {name: ..., price_year: 2015/16, start_year: "
                    "2015/16, years: 5, discount_rate: 0.035}",
                )
            ]
        )
    settings = _settings(chk, head, defaults or shipped_defaults())
    series = _series(chk, head, book, find_series or shipped_series)
    if settings is not None and series is not None:
        # Once for the whole appraisal, rather than once for every line it would stop.
        beyond = price_year_problem(series, settings.price_year, label)
        if beyond is not None:
            path = beyond.column or "appraisal.price_year"
            chk.add(head, "price_year", path, beyond.value, beyond.message, beyond.fix)
    # With broken settings, still check the lines against the number of years if it is known.
    n = settings.years if settings else _years(to_decimal(head.get("years")))
    costs = [_cost(chk, c, p, n, settings, agencies) for c, p in _items(chk, raw, "costs", "cost")]
    read: list[tuple[OutcomeLine, SourceMap, str]] = []
    for o, p in _items(chk, raw, "outcomes", "outcome"):
        line = _outcome(chk, o, p, n, settings, book, series, agencies)
        if line is not None:
            read.append((line, o, p))
    for where, path, value, message, fix in double_counting(read):
        chk.add(where, "unit_cost", path, value, message, fix)
    outcomes = [line for line, _, _ in read]
    if not costs and not outcomes and not chk.problems:
        chk.add(
            raw,
            None,
            "costs",
            None,
            "no costs and no outcomes",
            "list the costs and the outcomes of the proposal",
        )
    if chk.problems or settings is None:
        raise InputError(chk.problems)
    return Appraisal(
        settings,
        tuple(c for c in costs if c is not None),
        tuple(outcomes),
        label,
        series.name if series else "",
    )


def _series(
    chk: Checker, head: SourceMap, book: UnitCostBook, find_series: SeriesFinder
) -> DeflatorSeries | None:
    """The deflator series the appraisal names (``deflators: ucd-v1.4``), else the book's."""
    name = head.get("deflators")
    if name is None or str(name).strip() == "":
        return book.deflators
    if book.deflators is not None and str(name).strip().lower() in (
        book.deflators.name.lower(),
        book.deflators.key,
    ):
        return book.deflators
    found = find_series(str(name))
    if found is None:
        from wholeplace.cba.deflators import SHIPPED_SERIES

        chk.add(
            head,
            "deflators",
            "appraisal.deflators",
            name,
            "no deflator series of that name",
            f"use one of: {', '.join(SHIPPED_SERIES)} (HM Treasury's October 2024 series, and "
            "the Unit Cost Database v1.4's own), or one imported into the place with "
            "`wholeplace unitcosts deflators import`",
        )
    return found


MAX_YEARS = 100


def _years(d: Decimal | None) -> int | None:
    """The number of years an appraisal runs, if ``d`` is one: a whole number, 1 to 100.

    Also the hint the lines are checked against when other settings are wrong, so a number
    of years far beyond the limit (1e17) never sizes a list."""
    if d is None or not d.is_finite() or d != d.to_integral_value() or not 1 <= d <= MAX_YEARS:
        return None
    return int(d)


def _items(chk: Checker, raw: SourceMap, key: str, what: str) -> Iterator[tuple[SourceMap, str]]:
    """The mappings listed under ``key`` with their paths, one at a time (so each item's
    problems are recorded in file order); anything else is a problem."""
    items = raw.get(key) or []
    if not isinstance(items, list):
        chk.add(raw, key, key, None, f"'{key}' must be a list", f"write each {what} as '- {{...}}'")
        return
    for i, item in enumerate(items):
        p = f"{key}[{i}]"
        if not isinstance(item, SourceMap):
            chk.add(raw, key, p, item, f"each {what} must be a mapping", "use {description: ...}")
            continue
        yield item, p


def _text(m: SourceMap, key: str, default: str = "") -> str:
    v = m.get(key)
    return default if v is None else str(v).strip()


def _year(chk: Checker, m: SourceMap, key: str, path: str) -> str | None:
    raw = m.get(key)
    if raw is None:
        chk.add(m, None, path, None, f"'{key}' is missing", f"add {key}: YYYY/YY, e.g. 2015/16")
        return None
    try:
        return parse_year(str(raw))
    except DeflatorError:
        chk.add(
            m,
            key,
            path,
            raw,
            "not a financial year",
            "write it as YYYY/YY in quotes if need be, e.g. '2015/16'",
        )
        return None


def _discount(
    chk: Checker, m: SourceMap, defaults: Defaults
) -> tuple[Decimal | None, Dist | None, DiscountSchedule | None]:
    """A flat rate (a number, or a distribution), or the name of a schedule of rates."""
    raw = m.get("discount_rate")
    if raw is None or raw == "":
        # The Green Book's own rule: 3.5 % to year 30, declining after (parameter data).
        raw = DEFAULT_SCHEDULE
    if isinstance(raw, str) and raw.strip().lower() in defaults.schedules:
        schedule = defaults.schedules[raw.strip().lower()]
        return schedule.bands[0][1], None, schedule
    if isinstance(raw, str) and to_decimal(raw) is None:
        chk.add(
            m,
            "discount_rate",
            "appraisal.discount_rate",
            raw,
            "not a number or a known schedule of rates",
            "give the discount rate as a fraction, e.g. 0.035, or one of: "
            + ", ".join(defaults.schedules),
        )
        return None, None, None
    rate, dist = chk.number(
        m,
        "discount_rate",
        "appraisal.discount_rate",
        lo=ZERO,
        hi=ONE,
        allow_dist=True,
        what="the discount rate as a fraction, e.g. 0.035",
    )
    return rate, dist, None


def _settings(chk: Checker, m: SourceMap, defaults: Defaults) -> Settings | None:
    before = len(chk.problems)
    name = _text(m, "name") or "Untitled appraisal"
    price_year = _year(chk, m, "price_year", "appraisal.price_year")
    start_year = _year(chk, m, "start_year", "appraisal.start_year")
    years_raw = m.get("years")
    years = _years(to_decimal(years_raw))
    if years is None:
        chk.add(
            m,
            "years" if "years" in m else None,
            "appraisal.years",
            years_raw,
            f"the number of years must be a whole number from 1 to {MAX_YEARS}",
            "add years: 5 (year 0 is the first year)",
        )
    rate, rate_dist, schedule = _discount(chk, m, defaults)
    bias = dict(defaults.optimism_bias)
    ob = m.get("optimism_bias")
    if ob is not None:
        items: list[tuple[Any, Any]]
        if isinstance(ob, list):
            items = list(enumerate(ob, start=1))
        elif isinstance(ob, dict):
            items = list(ob.items())
        else:
            items = []
            chk.add(
                m,
                "optimism_bias",
                "appraisal.optimism_bias",
                ob,
                "not a list or mapping",
                "give six fractions for grades 1..6, e.g. [0, 0.05, 0.1, 0.15, 0.25, 0.4]",
            )
        bias = {}
        for g, v in items:
            gd, vd = to_decimal(g), to_decimal(v)
            # 1 to 6, compared as a Decimal: int(gd) first would build every digit of 1e999999999
            if gd is None or not gd.is_finite() or gd not in defaults.optimism_bias:
                chk.add(
                    m,
                    "optimism_bias",
                    f"appraisal.optimism_bias[{g}]",
                    g,
                    "not a confidence grade",
                    f"give the grades {min(defaults.optimism_bias)} to "
                    f"{max(defaults.optimism_bias)}",
                )
                continue
            if vd is None or not ZERO <= vd < ONE:
                chk.add(
                    m,
                    "optimism_bias",
                    f"appraisal.optimism_bias[{g}]",
                    v,
                    "each grade needs a fraction from 0 to under 1",
                    "e.g. 0.15 for 15%",
                )
                continue
            bias[int(gd)] = vd  # one of the grades: small
    if len(chk.problems) > before:
        return None
    assert price_year and start_year and years is not None and rate is not None
    return Settings(name, price_year, start_year, int(years), rate, bias, rate_dist, schedule)


def _cost(
    chk: Checker,
    m: SourceMap,
    p: str,
    n: int | None,
    s: Settings | None,
    agencies: AgencyMap | None = None,
) -> CostLine | None:
    before = len(chk.problems)
    desc = _text(m, "description")
    if not desc:
        chk.add(
            m,
            None,
            f"{p}.description",
            None,
            "'description' is missing",
            "say what the cost is for",
        )
    agency = _text(m, "agency")
    if not agency:
        chk.add(
            m,
            None,
            f"{p}.agency",
            None,
            "'agency' is missing",
            "name the agency that pays, e.g. Local Authority",
        )
    ctype = _text(m, "type", "revenue").lower().replace("-", "_").replace(" ", "_")
    if ctype not in COST_TYPES:
        chk.add(
            m,
            "type",
            f"{p}.type",
            m.get("type"),
            "unknown cost type",
            "use capital, revenue or in_kind",
        )
    grade = chk.grade(m, p, s.optimism_bias if s else DEFAULT_OPTIMISM_BIAS)
    amounts = chk.series(m, "amounts", f"{p}.amounts", n, "amounts in pounds", money=True)
    mult = None
    if isinstance(m.get("uncertainty"), dict):
        mult = chk.dist(m["uncertainty"], f"{p}.uncertainty")
    if len(chk.problems) > before or grade is None:
        return None
    if agencies is not None:
        agency = agencies.resolve(agency).label
    return CostLine(desc, agency, ctype, grade, amounts, mult)


def _persistence(chk: Checker, m: SourceMap, p: str) -> tuple[Decimal, ...]:
    """The share of the benefit kept in each year after the outcome (default: one year)."""
    persistence: tuple[Decimal, ...] = (ONE,)
    if "persistence" in m:
        raw_p = m["persistence"]
        if isinstance(raw_p, int | float | str) and not isinstance(raw_p, bool):
            raw_p = [raw_p]
        if not isinstance(raw_p, list) or not raw_p:
            chk.add(
                m,
                "persistence",
                f"{p}.persistence",
                raw_p,
                "not a list",
                "give the share of the benefit kept in each year after the outcome, "
                "e.g. [1.0, 0.5, 0.25]",
            )
        else:
            vals = []
            for i, x in enumerate(raw_p):
                v = to_decimal(x)
                if v is None or v < 0 or v > 1:
                    chk.add(
                        m,
                        "persistence",
                        f"{p}.persistence[{i}]",
                        x,
                        "must be a fraction from 0 to 1",
                        "e.g. 0.5 for half the benefit",
                    )
                    v = ZERO
                vals.append(v)
            persistence = tuple(vals)
    return persistence


def _value_types(chk: Checker, m: SourceMap, p: str) -> list[str] | None:
    """The value types an outcome is limited to (``value_type``), or None for all."""
    only = m.get("value_type")
    types: list[str] | None = None
    if only is not None:
        types = [str(t).strip().lower() for t in (only if isinstance(only, list) else [only])]
        for t in types:
            if t not in VALUE_TYPES:
                chk.add(
                    m,
                    "value_type",
                    f"{p}.value_type",
                    t,
                    "unknown value type",
                    "use fiscal, economic or social",
                )
    return types


def _from_value(
    chk: Checker,
    m: SourceMap,
    p: str,
    types: list[str] | None,
    agency: str,
    price_year: str | None,
    series: DeflatorSeries | None,
    dists: dict[str, Dist],
    agencies: AgencyMap | None = None,
) -> list[Component]:
    """A value entered in pounds (in ``value_year`` prices, uprated to the price year)."""
    val, d = chk.number(
        m,
        "value",
        f"{p}.value",
        lo=ZERO,
        allow_dist=True,
        what="the value of one outcome in pounds",
        money=True,
    )
    if d is not None:
        dists["value"] = d
    vt = (types or ["fiscal"])[0]
    vy = _year(chk, m, "value_year", f"{p}.value_year") if "value_year" in m else price_year
    if vt == "fiscal" and not agency:
        chk.add(
            m,
            None,
            f"{p}.agency",
            None,
            "a fiscal value needs the agency that gains",
            "add agency: NAME, e.g. NHS",
        )
    if val is None or not vy or not price_year or series is None or vt not in VALUE_TYPES:
        return []
    up: Decimal | None = val
    if vy != price_year:
        up = uprated(chk, m, ("value_year", f"{p}.value_year"), vy, val, (vy, price_year), series)
    ag = agency if vt == "fiscal" else vt.title()
    if vt == "fiscal" and agencies is not None:
        ag = agencies.resolve(agency).label
    return [Component(vt, ag, val if up is None else up, val, vy, "entered")]


def _components(
    chk: Checker,
    m: SourceMap,
    p: str,
    code: str | None,
    types: list[str] | None,
    agency: str,
    s: Settings | None,
    book: UnitCostBook,
    series: DeflatorSeries | None,
    dists: dict[str, Dist],
    agencies: AgencyMap | None = None,
    transfer: bool = False,
) -> list[Component]:
    """The values one outcome achieves: from a unit cost code, or a value entered."""
    price_year = s.price_year if s else None
    if code and "value" in m:
        chk.add(
            m,
            "value",
            f"{p}.value",
            m.get("value"),
            "give either unit_cost or value, not both",
            "remove one of them",
        )
        return []
    if code:
        return from_unit_cost(
            chk, m, p, code, types, agency, price_year, book, series, agencies, transfer
        )
    if "value" in m:
        return _from_value(chk, m, p, types, agency, price_year, series, dists, agencies)
    chk.add(
        m,
        None,
        f"{p}.unit_cost",
        None,
        "no value for this outcome",
        "add unit_cost: CODE (from the unit cost database) or value: POUNDS",
    )
    return []


def _outcome(
    chk: Checker,
    m: SourceMap,
    p: str,
    n: int | None,
    s: Settings | None,
    book: UnitCostBook,
    series: DeflatorSeries | None,
    agencies: AgencyMap | None = None,
) -> OutcomeLine | None:
    before = len(chk.problems)
    desc = _text(m, "description")
    if not desc:
        chk.add(
            m, None, f"{p}.description", None, "'description' is missing", "say what the outcome is"
        )
    dists: dict[str, Dist] = {}

    def rate(key: str, default: Decimal | None, required: bool = False) -> Decimal:
        v, d = chk.number(
            m,
            key,
            f"{p}.{key}",
            lo=ZERO,
            hi=ONE,
            required=required,
            default=default,
            allow_dist=True,
            what=f"the {key} rate as a fraction from 0 to 1",
        )
        if d is not None:
            dists[key] = d
        return v if v is not None else ZERO

    engagement = rate("engagement", ONE)
    success = rate("success", None, required=True)
    deadweight = rate("deadweight", ZERO)
    extra = {k: rate(k, ZERO) for k in ADDITIONALITY}
    sources = _sources(chk, m, p, extra, dists)
    cashable = rate("cashable", ZERO)
    if isinstance(m.get("uncertainty"), dict):
        # a multiplier on the unit value, drawn in `cba simulate` only (cba run uses 1)
        u = chk.dist(m["uncertainty"], f"{p}.uncertainty")
        if u is not None:
            dists["uncertainty"] = u
    grade, value_grade = _outcome_grades(chk, m, p, s)
    cohort = chk.series(
        m, "cohort", f"{p}.cohort", n, "numbers of people starting", most=MAX_COHORT
    )
    persistence = _persistence(chk, m, p)
    transfer = bool(m.get("transfer", False))
    if not isinstance(m.get("transfer", False), bool):
        chk.add(
            m,
            "transfer",
            f"{p}.transfer",
            m.get("transfer"),
            "not true or false",
            "write transfer: true for benefit payments saved, else false",
        )
    code = _text(m, "unit_cost") or None
    types = _value_types(chk, m, p)
    agency = _text(m, "agency")
    components = _components(
        chk, m, p, code, types, agency, s, book, series, dists, agencies, transfer
    )
    if len(chk.problems) > before or grade is None:
        return None
    return OutcomeLine(
        desc,
        code,
        tuple(components),
        cohort,
        engagement,
        success,
        deadweight,
        persistence,
        grade,
        cashable,
        transfer,
        dists,
        sources=sources,
        value_confidence=value_grade,
        per=_text(m, "per"),
        **extra,
    )


def _outcome_grades(
    chk: Checker, m: SourceMap, p: str, s: Settings | None
) -> tuple[int | None, int | None]:
    """One ``confidence`` grade for the whole benefit, or ``impact_confidence`` (the evidence
    of impact) and ``value_confidence`` (the unit value), each setting its own bias."""
    bias = s.optimism_bias if s else DEFAULT_OPTIMISM_BIAS
    split = [k for k in ("impact_confidence", "value_confidence") if k in m]
    if not split:
        return chk.grade(m, p, bias), None
    if "confidence" in m:
        chk.add(
            m,
            "confidence",
            f"{p}.confidence",
            m.get("confidence"),
            "give either confidence or impact_confidence and value_confidence, not both",
            "remove confidence, or the two separate grades",
        )
        return None, None
    return (
        chk.grade(m, p, bias, "impact_confidence"),
        chk.grade(m, p, bias, "value_confidence"),
    )


def _sources(
    chk: Checker,
    m: SourceMap,
    p: str,
    extra: dict[str, Decimal],
    dists: dict[str, Dist],
) -> dict[str, str]:
    """Where each adjustment's figure comes from (``leakage_source: ...``). Leakage,
    displacement, substitution and attribution need one whenever they are used."""
    sources: dict[str, str] = {}
    for name in ("deadweight", *ADDITIONALITY):
        key = f"{name}_source"
        text = _text(m, key)
        if text:
            sources[name] = text
        elif name in extra and (extra[name] != 0 or name in dists):
            chk.add(
                m,
                name,
                f"{p}.{key}",
                None,
                f"{name} is used without its source",
                f"add {key}: where the figure comes from, e.g. an evaluation or "
                "'HCA Additionality Guide (2014), section 4'",
            )
    return sources
