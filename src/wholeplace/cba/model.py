"""The appraisal model: the HM Treasury / New Economy cost-benefit method, exactly.

An appraisal (YAML, or the XLSX template) becomes typed objects; :func:`compute` turns
them into present values, ROIs, the payback year and the who-pays-who-gains matrix.

Arithmetic and rounding rule
----------------------------
* Unit values are uprated from their own price year to the appraisal's price year with
  the GDP deflator series and rounded half-up to the penny (the figure a person sees with
  ``wholeplace unitcosts uprate``); every later step uses that penny value.
* Everything after that is exact Decimal arithmetic at 40 significant digits: optimism
  bias, net outcomes, persistence, discounting. No intermediate figure is rounded.
* Each reported figure is rounded half-up to the penny (ratios to 2 decimal places) from
  its own exact value, so a reported total can differ from the sum of its reported parts
  by a few pence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import Any

import yaml

from wholeplace.cba.deflators import (
    PRECISION,
    DeflatorError,
    DeflatorSeries,
    parse_year,
    shift_year,
)
from wholeplace.cba.unitcosts import UnitCostBook, curated_book
from wholeplace.errors import InputError, Problem
from wholeplace.money import to_money

ZERO = Decimal(0)
ONE = Decimal(1)
DEFAULT_OPTIMISM_BIAS: dict[int, Decimal] = {
    1: Decimal("0"),
    2: Decimal("0.05"),
    3: Decimal("0.10"),
    4: Decimal("0.15"),
    5: Decimal("0.25"),
    6: Decimal("0.40"),
}
COST_TYPES = ("capital", "revenue", "in_kind")
VALUE_TYPES = ("fiscal", "economic", "social")
DIST_PARAMS = {
    "triangular": ("low", "mode", "high"),
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "beta": ("alpha", "beta"),
}
RATIO = Decimal("0.01")


# -- typed appraisal -----------------------------------------------------------------


@dataclass(frozen=True)
class Dist:
    """An uncertain input for ``cba simulate``; the deterministic model uses its centre."""

    kind: str
    params: dict[str, Decimal]

    def central(self) -> Decimal:
        p = self.params
        if self.kind == "triangular":
            return p["mode"]
        if self.kind == "uniform":
            return (p["low"] + p["high"]) / 2
        if self.kind == "normal":
            return p["mean"]
        # beta on [low, high] (default [0, 1]): its mean
        lo, hi = p.get("low", ZERO), p.get("high", ONE)
        return lo + (hi - lo) * p["alpha"] / (p["alpha"] + p["beta"])


@dataclass(frozen=True)
class Settings:
    name: str
    price_year: str
    start_year: str
    years: int
    discount_rate: Decimal
    optimism_bias: dict[int, Decimal] = field(default_factory=lambda: dict(DEFAULT_OPTIMISM_BIAS))
    discount_rate_dist: Dist | None = None

    def year_label(self, i: int) -> str:
        return shift_year(self.start_year, i)


@dataclass(frozen=True)
class CostLine:
    description: str
    agency: str
    type: str
    confidence: int
    amounts: tuple[Decimal, ...]
    multiplier_dist: Dist | None = None


@dataclass(frozen=True)
class Component:
    """One value an outcome achieves: fiscal (to an agency), economic or social."""

    value_type: str
    agency: str
    unit_value: Decimal  # uprated to the price year, to the penny
    base_value: Decimal
    base_year: str
    source: str  # unit cost code and origin, or "entered"


@dataclass(frozen=True)
class OutcomeLine:
    description: str
    unit_cost: str | None
    components: tuple[Component, ...]
    cohort: tuple[Decimal, ...]
    engagement: Decimal
    success: Decimal
    deadweight: Decimal
    persistence: tuple[Decimal, ...]
    confidence: int
    cashable: Decimal
    transfer: bool
    dists: dict[str, Dist] = field(default_factory=dict)

    def net_outcomes(self) -> list[Decimal]:
        rate = self.engagement * self.success * (ONE - self.deadweight)
        return [c * rate for c in self.cohort]


@dataclass(frozen=True)
class Appraisal:
    settings: Settings
    costs: tuple[CostLine, ...]
    outcomes: tuple[OutcomeLine, ...]
    file: str = ""
    deflators: str = ""


# -- results -------------------------------------------------------------------------


@dataclass
class YearFigures:
    index: int
    year: str
    discount_factor: Decimal
    costs: Decimal = ZERO
    fiscal: Decimal = ZERO
    fiscal_cashable: Decimal = ZERO
    transfers: Decimal = ZERO
    economic: Decimal = ZERO
    social: Decimal = ZERO

    def pv(self, name: str) -> Decimal:
        return getattr(self, name) * self.discount_factor


@dataclass
class LineDetail:
    """Every intermediate step of one line, for the audit workbook."""

    kind: str  # cost | outcome
    description: str
    agency: str
    value_type: str
    bias: Decimal
    net_outcomes: list[Decimal]
    gross: list[Decimal]  # before optimism bias
    adjusted: list[Decimal]  # after optimism bias
    cashable: list[Decimal]
    unit_value: Decimal | None = None
    transfer: bool = False


@dataclass
class Result:
    appraisal: Appraisal
    years: list[YearFigures]
    lines: list[LineDetail]
    by_agency: dict[str, dict[str, Decimal]]
    pv: dict[str, Decimal]  # exact present values
    payback_index: int | None
    # each agency's nominal flows by year (after optimism bias): costs, fiscal, cashable
    agency_flows: dict[str, dict[str, list[Decimal]]] = field(default_factory=dict)

    @property
    def pv_public_value(self) -> Decimal:
        return self.pv["fiscal"] - self.pv["transfers"] + self.pv["economic"] + self.pv["social"]

    @property
    def financial_roi(self) -> Decimal | None:
        return None if self.pv["costs"] == 0 else _div(self.pv["fiscal"], self.pv["costs"])

    @property
    def public_value_roi(self) -> Decimal | None:
        return None if self.pv["costs"] == 0 else _div(self.pv_public_value, self.pv["costs"])

    @property
    def npv_budget(self) -> Decimal:
        return self.pv["fiscal"] - self.pv["costs"]

    @property
    def npv_public(self) -> Decimal:
        return self.pv_public_value - self.pv["costs"]

    def to_json(self) -> dict[str, Any]:
        """The documented ``--json`` shape: money as decimal strings (via print_json)."""
        s = self.appraisal.settings
        cum_c = cum_f = ZERO
        by_year = []
        for y in self.years:
            cum_c += y.pv("costs")
            cum_f += y.pv("fiscal")
            by_year.append(
                {
                    "year": y.year,
                    "index": y.index,
                    "discount_factor": y.discount_factor.quantize(Decimal("0.000001")),
                    "costs": to_money(y.costs),
                    "fiscal": to_money(y.fiscal),
                    "fiscal_cashable": to_money(y.fiscal_cashable),
                    "transfers": to_money(y.transfers),
                    "economic": to_money(y.economic),
                    "social": to_money(y.social),
                    "pv_costs": to_money(y.pv("costs")),
                    "pv_fiscal": to_money(y.pv("fiscal")),
                    "pv_economic": to_money(y.pv("economic")),
                    "pv_social": to_money(y.pv("social")),
                    "cumulative_pv_costs": to_money(cum_c),
                    "cumulative_pv_fiscal": to_money(cum_f),
                }
            )
        return {
            "pv_costs": to_money(self.pv["costs"]),
            "pv_fiscal": to_money(self.pv["fiscal"]),
            "pv_fiscal_cashable": to_money(self.pv["fiscal_cashable"]),
            "pv_economic": to_money(self.pv["economic"]),
            "pv_social": to_money(self.pv["social"]),
            "net_present_budget_impact": to_money(self.npv_budget),
            "net_present_public_value": to_money(self.npv_public),
            "financial_roi": _ratio(self.financial_roi),
            "public_value_roi": _ratio(self.public_value_roi),
            "payback_year": None
            if self.payback_index is None
            else s.year_label(self.payback_index),
            "by_agency": {
                a: {
                    **{k: to_money(v) for k, v in row.items()},
                    "by_year": {
                        k: [to_money(x) for x in xs]
                        for k, xs in self.agency_flows.get(a, {}).items()
                    },
                }
                for a, row in self.by_agency.items()
            },
            "by_year": by_year,
        }


def _div(a: Decimal, b: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return a / b


def _ratio(x: Decimal | None) -> Decimal | None:
    return None if x is None else x.quantize(RATIO, rounding=ROUND_HALF_UP)


# -- the computation -----------------------------------------------------------------


def compute(app: Appraisal) -> Result:
    """Present values, ROIs, payback and the agency matrix; exact Decimal throughout."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return _compute(app)


def _compute(app: Appraisal) -> Result:
    s = app.settings
    n = s.years
    years = [YearFigures(i, s.year_label(i), ONE / (ONE + s.discount_rate) ** i) for i in range(n)]
    lines: list[LineDetail] = []
    agency: dict[str, dict[str, Decimal]] = {}

    flows: dict[str, dict[str, list[Decimal]]] = {}

    def agency_row(name: str) -> dict[str, Decimal]:
        flows.setdefault(name, {k: [ZERO] * n for k in ("costs", "fiscal", "fiscal_cashable")})
        return agency.setdefault(
            name, {"pv_costs": ZERO, "pv_fiscal": ZERO, "pv_fiscal_cashable": ZERO}
        )

    for c in app.costs:
        bias = s.optimism_bias[c.confidence]
        adjusted = [a * (ONE + bias) for a in c.amounts]
        row = agency_row(c.agency)
        for i, a in enumerate(adjusted):
            years[i].costs += a
            row["pv_costs"] += a * years[i].discount_factor
            flows[c.agency]["costs"][i] += a
        lines.append(
            LineDetail(
                "cost", c.description, c.agency, c.type, bias, [], list(c.amounts), adjusted, []
            )
        )

    for o in app.outcomes:
        bias = s.optimism_bias[o.confidence]
        net = o.net_outcomes()
        for comp in o.components:
            gross = [ZERO] * n
            for t, people in enumerate(net):
                if people == 0:
                    continue
                for k, p in enumerate(o.persistence):
                    if t + k < n:
                        gross[t + k] += people * comp.unit_value * p
            adjusted = [g * (ONE - bias) for g in gross]
            cash = [a * o.cashable for a in adjusted] if comp.value_type == "fiscal" else []
            for i, a in enumerate(adjusted):
                y = years[i]
                if comp.value_type == "fiscal":
                    y.fiscal += a
                    y.fiscal_cashable += cash[i]
                    if o.transfer:
                        y.transfers += a
                elif comp.value_type == "economic":
                    y.economic += a
                else:
                    y.social += a
            if comp.value_type == "fiscal":
                row = agency_row(comp.agency)
                for i, a in enumerate(adjusted):
                    row["pv_fiscal"] += a * years[i].discount_factor
                    row["pv_fiscal_cashable"] += cash[i] * years[i].discount_factor
                    flows[comp.agency]["fiscal"][i] += a
                    flows[comp.agency]["fiscal_cashable"][i] += cash[i]
            lines.append(
                LineDetail(
                    "outcome",
                    o.description,
                    comp.agency,
                    comp.value_type,
                    bias,
                    net,
                    gross,
                    adjusted,
                    cash,
                    comp.unit_value,
                    o.transfer,
                )
            )

    for row in agency.values():
        row["net_position"] = row["pv_fiscal"] - row["pv_costs"]
    pv = {
        k: sum((y.pv(k) for y in years), ZERO)
        for k in ("costs", "fiscal", "fiscal_cashable", "transfers", "economic", "social")
    }
    payback = None
    cum_c = cum_f = ZERO
    for y in years:
        cum_c += y.pv("costs")
        cum_f += y.pv("fiscal")
        if cum_f > 0 and cum_f >= cum_c:
            payback = y.index
            break
    ordered = dict(sorted(agency.items(), key=lambda kv: kv[0].lower()))
    return Result(app, years, lines, ordered, pv, payback, flows)


# -- reading appraisal files ---------------------------------------------------------


class _Map(dict):  # type: ignore[type-arg]
    """A YAML mapping (or spreadsheet row) that remembers where each key was written."""

    line: int | None = None
    sheet: str | None = None

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.lines: dict[Any, int] = {}


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    m = _Map()
    m.line = node.start_mark.line + 1
    for k_node, v_node in node.value:
        k = loader.construct_object(k_node, deep=True)
        m[k] = loader.construct_object(v_node, deep=True)
        m.lines[k] = k_node.start_mark.line + 1
    return m


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Checker:
    """Collects every problem in one appraisal file, with where it is and how to fix it."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[Problem] = []

    def add(
        self, where: _Map | None, key: str | None, path: str, value: Any, msg: str, fix: str
    ) -> None:
        row = None
        sheet = None
        if isinstance(where, _Map):
            row = where.lines.get(key, where.line) if key is not None else where.line
            sheet = where.sheet
        shown = None if value is None else str(value)
        self.problems.append(Problem(self.label, row, path, shown, msg, fix, sheet=sheet))

    def number(
        self,
        m: _Map,
        key: str,
        path: str,
        *,
        lo: Decimal | None = None,
        hi: Decimal | None = None,
        required: bool = True,
        default: Decimal | None = None,
        allow_dist: bool = False,
        what: str = "a number",
    ) -> tuple[Decimal | None, Dist | None]:
        if key not in m or m[key] is None or m[key] == "":
            if required:
                self.add(m, None, path, None, f"'{key}' is missing", f"add {key}: {what}")
            return default, None
        raw = m[key]
        if isinstance(raw, dict):
            if not allow_dist:
                self.add(m, key, path, raw, "expected a single number here", f"give {what}")
                return None, None
            d = self.dist(raw, path)
            if d is None:
                return None, None
            value = d.central()
        else:
            value = _decimal(raw)
            if value is None:
                self.add(m, key, path, raw, "not a number", f"give {what}, e.g. 0.25")
                return None, None
            d = None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.add(m, key, path, raw, f"must be between {lo} and {hi}", f"give {what}")
            return None, None
        return value, d

    def dist(self, raw: _Map, path: str) -> Dist | None:
        kind = str(raw.get("dist", "")).strip().lower()
        if kind not in DIST_PARAMS:
            self.add(
                raw,
                "dist",
                f"{path}.dist",
                raw.get("dist"),
                "unknown distribution",
                "use one of: " + ", ".join(DIST_PARAMS),
            )
            return None
        params: dict[str, Decimal] = {}
        ok = True
        for p in (*DIST_PARAMS[kind], *(("low", "high") if kind == "beta" else ())):
            optional = kind == "beta" and p in ("low", "high")
            if p not in raw:
                if not optional:
                    self.add(
                        raw,
                        None,
                        f"{path}.{p}",
                        None,
                        f"a {kind} distribution needs '{p}'",
                        f"add {p}: NUMBER",
                    )
                    ok = False
                continue
            v = _decimal(raw[p])
            if v is None:
                self.add(raw, p, f"{path}.{p}", raw[p], "not a number", "give a number")
                ok = False
            else:
                params[p] = v
        if not ok:
            return None
        bad = None
        if kind == "triangular" and not params["low"] <= params["mode"] <= params["high"]:
            bad = "needs low <= mode <= high"
        elif kind == "uniform" and not params["low"] <= params["high"]:
            bad = "needs low <= high"
        elif kind == "normal" and params["sd"] < 0:
            bad = "needs sd >= 0"
        elif kind == "beta" and (params["alpha"] <= 0 or params["beta"] <= 0):
            bad = "needs alpha > 0 and beta > 0"
        if bad:
            self.add(
                raw,
                None,
                path,
                dict(raw),
                f"this {kind} distribution {bad}",
                "correct the parameters",
            )
            return None
        return Dist(kind, params)

    def grade(self, m: _Map, path: str, bias: dict[int, Decimal]) -> int | None:
        raw = m.get("confidence")
        if raw is None or raw == "":
            self.add(
                m,
                None,
                f"{path}.confidence",
                None,
                "'confidence' is missing",
                "add confidence: 1 to 6 (1 = firm, 6 = a guess); it sets the optimism bias",
            )
            return None
        v = _decimal(raw)
        if v is None or v != v.to_integral_value() or int(v) not in bias:
            self.add(
                m,
                "confidence",
                f"{path}.confidence",
                raw,
                "not a confidence grade",
                f"use a whole number from {min(bias)} to {max(bias)}",
            )
            return None
        return int(v)

    def series(self, m: _Map, key: str, path: str, n: int | None, what: str) -> tuple[Decimal, ...]:
        raw = m.get(key)
        n = n or 0
        if not isinstance(raw, list):
            self.add(
                m,
                key if key in m else None,
                path,
                raw,
                f"'{key}' must be a list",
                f"give {n} {what}, one per year, e.g. [{', '.join(['0'] * min(n, 5))}]",
            )
            return tuple([ZERO] * n)
        vals = []
        for i, x in enumerate(raw):
            v = _decimal(x)
            if v is None or v < 0:
                self.add(
                    m,
                    key,
                    f"{path}[{i}]",
                    x,
                    "not a number of zero or more",
                    f"give {what} as numbers of zero or more",
                )
                v = ZERO
            vals.append(v)
        if n and len(vals) != n:
            self.add(
                m,
                key,
                path,
                f"{len(vals)} values",
                f"the appraisal runs {n} years",
                f"give exactly {n} {what}, one per year (0 where there are none)",
            )
            vals = (vals + [ZERO] * n)[:n]

        return tuple(vals)


def _decimal(x: Any) -> Decimal | None:
    if isinstance(x, bool) or x is None:
        return None
    try:
        if isinstance(x, float):
            d = Decimal(repr(x))
        elif isinstance(x, int | Decimal):
            d = Decimal(x)
        else:
            s = str(x).strip().replace(",", "").replace("£", "")
            pct = s.endswith("%")
            d = Decimal(s.rstrip("%"))
            if pct:
                d = d / 100
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def loads_appraisal(
    text: str, label: str = "appraisal.yaml", book: UnitCostBook | None = None
) -> Appraisal:
    """Build an appraisal from YAML text (``label`` names it in error messages)."""
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            [
                Problem(
                    label,
                    None if mark is None else mark.line + 1,
                    None,
                    None,
                    f"not valid YAML ({getattr(exc, 'problem', exc)})",
                    "check indentation and that lists use [a, b] or '- ' items",
                )
            ]
        ) from exc
    return build_appraisal(raw, label, book or curated_book())


def load_appraisal(path: Path | str, book: UnitCostBook | None = None) -> Appraisal:
    """Read an appraisal from YAML or the XLSX template; every problem reported at once."""
    path = Path(path)
    label = path.name
    if not path.is_file():
        raise InputError([Problem(label, None, None, None, "file not found", "check the path")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return build_appraisal(_read_xlsx(path), label, book or curated_book())
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem(label, None, None, None, "not a text file", "save it as UTF-8 YAML")]
        ) from exc
    return loads_appraisal(text, label, book)


def build_appraisal(raw: Any, label: str, book: UnitCostBook) -> Appraisal:
    chk = _Checker(label)
    if not isinstance(raw, _Map):
        raise InputError(
            [
                Problem(
                    label,
                    None,
                    None,
                    None,
                    "the file is empty or not a mapping",
                    "start with 'appraisal:', 'costs:' and 'outcomes:' sections",
                )
            ]
        )
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
    if not isinstance(head, _Map):
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
    settings = _settings(chk, head)
    series = book.deflators
    # With broken settings, still check the lines against the number of years if it is known.
    hint = _decimal(head.get("years"))
    n = settings.years if settings else (int(hint) if hint and hint == int(hint) else None)
    costs = []
    raw_costs = raw.get("costs") or []
    if not isinstance(raw_costs, list):
        chk.add(
            raw, "costs", "costs", None, "'costs' must be a list", "write each cost as '- {...}'"
        )
        raw_costs = []
    for i, c in enumerate(raw_costs):
        p = f"costs[{i}]"
        if not isinstance(c, _Map):
            chk.add(raw, "costs", p, c, "each cost must be a mapping", "use {description: ...}")
            continue
        costs.append(_cost(chk, c, p, n, settings))
    outcomes = []
    raw_out = raw.get("outcomes") or []
    if not isinstance(raw_out, list):
        chk.add(
            raw,
            "outcomes",
            "outcomes",
            None,
            "'outcomes' must be a list",
            "write each outcome as '- {...}'",
        )
        raw_out = []
    for i, o in enumerate(raw_out):
        p = f"outcomes[{i}]"
        if not isinstance(o, _Map):
            chk.add(
                raw, "outcomes", p, o, "each outcome must be a mapping", "use {description: ...}"
            )
            continue
        outcomes.append(_outcome(chk, o, p, n, settings, book, series))
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
        tuple(o for o in outcomes if o is not None),
        label,
        series.name if series else "",
    )


def _text(m: _Map, key: str, default: str = "") -> str:
    v = m.get(key)
    return default if v is None else str(v).strip()


def _year(chk: _Checker, m: _Map, key: str, path: str) -> str | None:
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


def _settings(chk: _Checker, m: _Map) -> Settings | None:
    before = len(chk.problems)
    name = _text(m, "name") or "Untitled appraisal"
    price_year = _year(chk, m, "price_year", "appraisal.price_year")
    start_year = _year(chk, m, "start_year", "appraisal.start_year")
    years_raw = m.get("years")
    years = _decimal(years_raw)
    if years is None or years != years.to_integral_value() or not 1 <= years <= 100:
        chk.add(
            m,
            "years" if "years" in m else None,
            "appraisal.years",
            years_raw,
            "the number of years must be a whole number from 1 to 100",
            "add years: 5 (year 0 is the first year)",
        )
        years = None
    rate, rate_dist = chk.number(
        m,
        "discount_rate",
        "appraisal.discount_rate",
        lo=ZERO,
        hi=ONE,
        allow_dist=True,
        what="the discount rate as a fraction, e.g. 0.035",
    )
    bias = dict(DEFAULT_OPTIMISM_BIAS)
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
            gd, vd = _decimal(g), _decimal(v)
            if gd is None or vd is None or not ZERO <= vd < ONE:
                chk.add(
                    m,
                    "optimism_bias",
                    f"appraisal.optimism_bias[{g}]",
                    v,
                    "each grade needs a fraction from 0 to under 1",
                    "e.g. 0.15 for 15%",
                )
                continue
            bias[int(gd)] = vd
    if len(chk.problems) > before:
        return None
    assert price_year and start_year and years is not None and rate is not None
    return Settings(name, price_year, start_year, int(years), rate, bias, rate_dist)


def _cost(chk: _Checker, m: _Map, p: str, n: int | None, s: Settings | None) -> CostLine | None:
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
    amounts = chk.series(m, "amounts", f"{p}.amounts", n, "amounts in pounds")
    mult = None
    if isinstance(m.get("uncertainty"), dict):
        mult = chk.dist(m["uncertainty"], f"{p}.uncertainty")
    if len(chk.problems) > before or grade is None:
        return None
    return CostLine(desc, agency, ctype, grade, amounts, mult)


def _outcome(
    chk: _Checker,
    m: _Map,
    p: str,
    n: int | None,
    s: Settings | None,
    book: UnitCostBook,
    series: DeflatorSeries | None,
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
    cashable = rate("cashable", ZERO)
    if isinstance(m.get("uncertainty"), dict):
        # a multiplier on the unit value, drawn in `cba simulate` only (cba run uses 1)
        u = chk.dist(m["uncertainty"], f"{p}.uncertainty")
        if u is not None:
            dists["uncertainty"] = u
    grade = chk.grade(m, p, s.optimism_bias if s else DEFAULT_OPTIMISM_BIAS)
    cohort = chk.series(m, "cohort", f"{p}.cohort", n, "numbers of people starting")
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
                v = _decimal(x)
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
    agency = _text(m, "agency")
    price_year = s.price_year if s else None
    components: list[Component] = []
    if code and "value" in m:
        chk.add(
            m,
            "value",
            f"{p}.value",
            m.get("value"),
            "give either unit_cost or value, not both",
            "remove one of them",
        )
    elif code:
        entry = book.get(code)
        if entry is None:
            close = [e.code for e in book.entries if e.code.upper().startswith(code.upper()[:3])]
            chk.add(
                m,
                "unit_cost",
                f"{p}.unit_cost",
                code,
                f"not in the {book.edition} unit cost database",
                "check the code with `wholeplace unitcosts search TEXT`, or import the full "
                "database into the place with `wholeplace unitcosts import WORKBOOK`"
                + (f" (codes like it: {', '.join(close[:5])})" if close else ""),
            )
        elif series is not None and price_year is not None:
            kinds = [k for k in VALUE_TYPES if k in entry.values and (types is None or k in types)]
            if not kinds:
                chk.add(
                    m,
                    "unit_cost",
                    f"{p}.unit_cost",
                    code,
                    f"this unit cost has no {'/'.join(types or VALUE_TYPES)} value",
                    f"it has: {', '.join(entry.values) or 'no values'}; change value_type",
                )
            for k in kinds:
                v = entry.values[k]
                try:
                    up = to_money(series.uprate(v.amount, v.year, price_year))
                except DeflatorError as exc:
                    chk.add(
                        m,
                        "unit_cost",
                        f"{p}.unit_cost",
                        code,
                        str(exc).split(". Fix")[0],
                        "choose a price year the deflator series covers",
                    )
                    continue
                ag = (agency or entry.agency or "Unspecified") if k == "fiscal" else k.title()
                components.append(
                    Component(k, ag, up, v.amount, v.year, f"{code} ({entry.origin})")
                )
    elif "value" in m:
        val, d = chk.number(
            m,
            "value",
            f"{p}.value",
            lo=ZERO,
            allow_dist=True,
            what="the value of one outcome in pounds",
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
        if val is not None and vy and price_year and series is not None and vt in VALUE_TYPES:
            try:
                up = to_money(series.uprate(val, vy, price_year)) if vy != price_year else val
            except DeflatorError as exc:
                chk.add(
                    m,
                    "value_year",
                    f"{p}.value_year",
                    vy,
                    str(exc).split(". Fix")[0],
                    "choose a year the deflator series covers",
                )
                up = val
            ag = agency if vt == "fiscal" else vt.title()
            components.append(Component(vt, ag, up, val, vy, "entered"))
    else:
        chk.add(
            m,
            None,
            f"{p}.unit_cost",
            None,
            "no value for this outcome",
            "add unit_cost: CODE (from the unit cost database) or value: POUNDS",
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
    )


# -- the XLSX template ---------------------------------------------------------------

SETTINGS_HELP = [
    ("name", "Name of the proposal"),
    ("price_year", "Prices of this financial year, YYYY/YY"),
    ("start_year", "First year of the appraisal (year 0, not discounted), YYYY/YY"),
    ("years", "How many years the appraisal runs"),
    ("discount_rate", "HM Treasury Green Book: 0.035"),
    ("optimism_bias", "Optional: bias for grades 1..6, e.g. 0, 0.05, 0.1, 0.15, 0.25, 0.4"),
]
COST_COLUMNS = ["description", "agency", "type", "confidence"]
OUTCOME_COLUMNS = [
    "description",
    "unit_cost",
    "value",
    "value_type",
    "value_year",
    "agency",
    "transfer",
    "engagement",
    "success",
    "deadweight",
    "persistence",
    "confidence",
    "cashable",
]
_YCOL = re.compile(r"^y(?:ear)?\s*(\d+)$", re.I)


def _read_xlsx(path: Path) -> _Map:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:
        raise InputError([Problem.unreadable_workbook(path.name, exc)]) from exc
    label = path.name
    missing = [s for s in ("Appraisal", "Costs", "Outcomes") if s not in wb.sheetnames]
    if missing:
        raise InputError(
            [
                Problem(
                    label,
                    None,
                    None,
                    ", ".join(wb.sheetnames),
                    f"sheets missing: {', '.join(missing)}",
                    "start from `wholeplace cba template OUT.xlsx`",
                )
            ]
        )
    root = _Map()
    root.line = 1
    head = _Map()
    head.sheet = "Appraisal"
    head.line = 1
    for r, row in enumerate(wb["Appraisal"].iter_rows(values_only=True), start=1):
        if not row or row[0] is None:
            continue
        key = str(row[0]).strip().lower()
        if key in ("field", "setting"):
            continue
        val = row[1] if len(row) > 1 else None
        if key == "optimism_bias" and isinstance(val, str):
            val = [x.strip() for x in val.split(",") if x.strip()]
        if key in ("price_year", "start_year") and val is not None:
            val = str(val)
        head[key] = val
        head.lines[key] = r
    root["appraisal"] = head
    root.lines["appraisal"] = 1
    for sheet, key, cols, series_key in (
        ("Costs", "costs", COST_COLUMNS, "amounts"),
        ("Outcomes", "outcomes", OUTCOME_COLUMNS, "cohort"),
    ):
        items: list[_Map] = []
        header: list[str] | None = None
        for r, row in enumerate(wb[sheet].iter_rows(values_only=True), start=1):
            vals = list(row)
            if header is None:
                if vals and str(vals[0] or "").strip().lower() == "description":
                    header = [str(v or "").strip().lower() for v in vals]
                continue
            if not any(v not in (None, "") for v in vals):
                continue
            item = _Map()
            item.sheet = sheet
            item.line = r
            year_vals: list[Any] = []
            for h, v in zip(header, vals, strict=False):
                ym = _YCOL.match(h)
                if ym:
                    year_vals.append(0 if v is None else v)
                elif h in cols and v not in (None, ""):
                    if h in ("persistence", "value_type") and isinstance(v, str) and "," in v:
                        v = [x.strip() for x in v.split(",") if x.strip()]
                    if h == "transfer":
                        v = str(v).strip().lower() in ("true", "yes", "y", "1")
                    item[h] = v
                    item.lines[h] = r
            item[series_key] = year_vals
            item.lines[series_key] = r
            items.append(item)
        root[key] = items
        root.lines[key] = 1
    wb.close()
    return root


def write_template(app: Appraisal | None, path: Path) -> None:
    """The XLSX template, filled in from ``app`` (e.g. the shipped example) if given."""
    import openpyxl
    from openpyxl.styles import Font

    from wholeplace.cba.report import atomic_save_workbook

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Appraisal"
    ws.append(["field", "value", "help"])
    s = app.settings if app else None
    values = {
        "name": s.name if s else "",
        "price_year": s.price_year if s else "2015/16",
        "start_year": s.start_year if s else "2015/16",
        "years": s.years if s else 5,
        "discount_rate": float(s.discount_rate) if s else 0.035,
        "optimism_bias": ", ".join(
            str(v) for _, v in sorted((s.optimism_bias if s else DEFAULT_OPTIMISM_BIAS).items())
        ),
    }
    for key, help_ in SETTINGS_HELP:
        ws.append([key, values[key], help_])
    n = s.years if s else 5
    yc = [f"Y{i}" for i in range(n)]
    wc = wb.create_sheet("Costs")
    wc.append(COST_COLUMNS + yc)
    for c in app.costs if app else ():
        wc.append([c.description, c.agency, c.type, c.confidence, *[float(a) for a in c.amounts]])
    wo = wb.create_sheet("Outcomes")
    wo.append(OUTCOME_COLUMNS + yc)
    for o in app.outcomes if app else ():
        entered = o.unit_cost is None and o.components
        comp = o.components[0] if o.components else None
        wo.append(
            [
                o.description,
                o.unit_cost or "",
                float(comp.base_value) if entered and comp else None,
                ", ".join(c.value_type for c in o.components) or None,
                comp.base_year if entered and comp else None,
                comp.agency if comp and comp.value_type == "fiscal" else None,
                o.transfer,
                float(o.engagement),
                float(o.success),
                float(o.deadweight),
                ", ".join(str(p) for p in o.persistence),
                o.confidence,
                float(o.cashable),
                *[float(c) for c in o.cohort],
            ]
        )
    guide = wb.create_sheet("Guide")
    for line in (
        "How to fill in this appraisal (see docs/cba.md)",
        "Costs: one row per cost; type is capital, revenue or in_kind; confidence 1-6 sets the "
        "optimism bias (1: 0%, 2: 5%, 3: 10%, 4: 15%, 5: 25%, 6: 40%); Y0.. are amounts in "
        "pounds in each year.",
        "Outcomes: unit_cost is a Unit Cost Database code (or leave it blank and give value, "
        "value_type fiscal/economic/social and, for fiscal, agency); rates are fractions 0-1; "
        "persistence is the share kept in each year after the outcome, comma separated; "
        "Y0.. is the cohort: people starting in each year.",
        "Run it with: wholeplace cba run THIS_FILE.xlsx",
    ):
        guide.append([line])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 40
    atomic_save_workbook(wb, path)


# -- helpers used by sensitivity and simulation --------------------------------------


def with_outcome(app: Appraisal, i: int, **changes: Any) -> Appraisal:
    outs = list(app.outcomes)
    outs[i] = replace(outs[i], **changes)
    return replace(app, outcomes=tuple(outs))


def with_component_value(app: Appraisal, i: int, j: int, value: Decimal) -> Appraisal:
    comps = list(app.outcomes[i].components)
    comps[j] = replace(comps[j], unit_value=value)
    return with_outcome(app, i, components=tuple(comps))


def with_settings(app: Appraisal, **changes: Any) -> Appraisal:
    return replace(app, settings=replace(app.settings, **changes))


def scale_cohorts(app: Appraisal, k: Decimal) -> Appraisal:
    outs = tuple(replace(o, cohort=tuple(c * k for c in o.cohort)) for o in app.outcomes)
    return replace(app, outcomes=outs)
