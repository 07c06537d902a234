"""Reading a gain-share agreement: YAML, or a cost-benefit appraisal's by-agency JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.errors import InputError
from wholeplace.money import ZERO
from wholeplace.sharing.common import Issues, load_yaml, shape_guard, year_key
from wholeplace.sharing.gain_sharing.agreement import (
    DEFAULT_DISCOUNT,
    DEFAULT_RISK_CONCENTRATION,
    RULES,
    Agreement,
    PartnerFlows,
    Rule,
)
from wholeplace.sharing.gain_sharing.unattributed import refuse_unattributed
from wholeplace.sharing.rules import pct
from wholeplace.sharing.shapley import EXACT_LIMIT


def from_agency_matrix(
    matrix: Mapping[str, Any] | list[Any],
    *,
    years: list[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[list[str], list[PartnerFlows]]:
    """Adapter for a cost-benefit appraisal's who-pays-who-gains matrix.

    ``wholeplace cba run --json`` gives, for each agency, its nominal flows by year after
    optimism bias (``by_agency.AGENCY.by_year``: ``costs``, ``fiscal`` and
    ``fiscal_cashable``) and the appraisal's years (``by_year[].year``). Each agency becomes
    a partner with costs = ``costs``, benefits = ``fiscal`` (all its fiscal benefits, so the
    joint net present value is the appraisal's net present budget impact) and cashable =
    ``fiscal_cashable`` (the part that is cash it could hand over). The discount schedule is
    read by :func:`appraisal_discount`.

    Also accepted: ``{agency: {"costs": [...], "benefits": [...], "cashable": [...]}}`` by
    year (``cashable`` optional: all of the benefits), the same wrapped as
    ``{"by_agency": {...}}``, or a list of ``{"agency": ..., "costs": ..., "benefits": ...}``.
    Missing years count as zero. Present values alone (an appraisal's JSON without
    ``by_year``) are refused: discounting them again, or not at all, cannot agree with it.
    """
    issues = Issues("agency matrix")
    appraisal_years: list[str] | None = None
    if isinstance(matrix, Mapping) and isinstance(matrix.get("by_year"), list):
        appraisal_years = [year_key(y["year"]) for y in matrix["by_year"]]
    if isinstance(matrix, Mapping) and isinstance(matrix.get("by_agency"), (Mapping, list)):
        matrix = matrix["by_agency"]
    refuse_unattributed(matrix)  # "Multiple" is no one: it cannot pay (issue 10)
    items: list[tuple[str, Mapping[str, Any]]]
    if isinstance(matrix, list):
        items = [(str(r["agency"]), r) for r in matrix]
    else:
        items = [(str(k), v) for k, v in matrix.items()]
    # an appraisal's own JSON: present values, and (since issue 10) the flows by year
    if items and all(
        isinstance(v, Mapping) and ("pv_costs" in v or isinstance(v.get("by_year"), Mapping))
        for _, v in items
    ):
        if not all(isinstance(v.get("by_year"), Mapping) for _, v in items):
            issues.add(
                "by_agency",
                "present values only",
                "a gain-share agreement needs the appraisal's flows year by year, by agency",
                "run `wholeplace cba run FILE --json` again: it writes by_agency.AGENCY.by_year",
            )
            issues.raise_if_any()
        years = appraisal_years or years
        items = [
            (
                a,
                {
                    "costs": v["by_year"].get("costs"),
                    "benefits": v["by_year"].get("fiscal"),
                    "cashable": v["by_year"].get("fiscal_cashable"),
                },
            )
            for a, v in items
        ]
    keys = ("costs", "benefits", "cashable")
    length = max((len(v.get(k) or []) for _, v in items for k in keys), default=0)
    years = years or [f"year {i}" for i in range(1, length + 1)]
    partners: list[PartnerFlows] = []
    for agency, v in items:
        if not isinstance(v, Mapping) or not any(k in v for k in keys):
            # an entry with none of the flows would silently count as zero
            issues.add(
                agency,
                _shown(v),
                "has no costs, benefits or cashable by year",
                'give {"costs": [...], "benefits": [...]} by year, or the appraisal\'s own '
                "JSON (`wholeplace cba run FILE --json`)",
            )
            continue
        series: dict[str, list[Decimal]] = {}
        for key in keys:
            vals = list(v.get(key) or [])
            if len(vals) > len(years):
                issues.add(
                    f"{agency}.{key}",
                    len(vals),
                    f"more {key} than years",
                    f"give at most {len(years)} values",
                )
            nums = [issues.money(f"{agency}.{key}[{i + 1}]", x) for i, x in enumerate(vals)]
            series[key] = [n if n is not None else ZERO for n in nums] + [ZERO] * (
                len(years) - len(vals)
            )
        partners.append(
            PartnerFlows(
                agency,
                (names or {}).get(agency, agency),
                series["costs"][: len(years)],
                series["benefits"][: len(years)],
                series["cashable"][: len(years)] if v.get("cashable") is not None else None,
            )
        )
    issues.raise_if_any()
    return years, partners


def _shown(v: object) -> str:
    text = ", ".join(map(str, v)) if isinstance(v, Mapping) else repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def appraisal_discount(matrix: object) -> tuple[str, tuple[tuple[int, Decimal], ...]] | None:
    """The discount schedule a cost-benefit appraisal's JSON carries (``discount``: its name
    and bands of ``from_year`` and ``rate``), or None if it carries none."""
    if not isinstance(matrix, Mapping) or not isinstance(matrix.get("discount"), Mapping):
        return None
    d = matrix["discount"]
    bands = tuple((int(b["from_year"]), Decimal(str(b["rate"]))) for b in d.get("bands") or [])
    if (
        not bands
        or bands[0][0] != 0
        or any(not (r.is_finite() and ZERO <= r < 1) for _, r in bands)
    ):
        raise ValueError("the discount bands must start at year 0, with rates from 0 to under 1")
    return str(d.get("name") or "flat"), bands


def load_agreement(path: Path | str, rule_override: str | None = None) -> Agreement:
    path = Path(path)
    if path.suffix.lower() == ".json":
        import json

        try:
            raw = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError, RecursionError) as exc:  # RecursionError: deep nesting
            from wholeplace.errors import Problem

            raise InputError(
                [
                    Problem(
                        path.name,
                        getattr(exc, "lineno", None),
                        None,
                        None,
                        f"cannot read this JSON ({exc})",
                        "save the appraisal again with wholeplace cba ... --json",
                    )
                ]
            ) from exc
        if not isinstance(raw, dict) or "partners" not in raw:
            raw = {"agency_matrix": raw}
    else:
        raw = load_yaml(path)
    return parse_agreement(raw, path.name, rule_override)


@shape_guard("gainshare_example.yaml")
def parse_agreement(
    raw: dict[str, Any], file: str = "gainshare.yaml", rule_override: str | None = None
) -> Agreement:
    """An agreement from the mapping an agreement file holds. Financial years may be written
    in any form :func:`wholeplace.years.parse_year` accepts; the agreement holds their
    labels (``2024/25``)."""
    issues = Issues(file)
    years = [year_key(y) for y in raw.get("years") or []]
    partners: list[PartnerFlows] = []
    carried: tuple[str, tuple[tuple[int, Decimal], ...]] | None = None
    if raw.get("agency_matrix") is not None:
        try:
            years, partners = from_agency_matrix(raw["agency_matrix"], years=years or None)
            carried = appraisal_discount(raw["agency_matrix"])
        except (AttributeError, KeyError, TypeError, ValueError, ArithmeticError) as exc:
            issues.add(
                "agency_matrix",
                None,
                f"the agency matrix has an unexpected shape ({exc})",
                "give {agency: {costs: [...], benefits: [...]}}, or the JSON of "
                "`wholeplace cba run FILE --json`",
            )
    else:
        years, partners = _partner_flows(raw.get("partners"), years, issues)
    ids = [p.id for p in partners]
    rule = parse_gain_rule(
        rule_override if rule_override else raw.get("rule", "shapley"), "rule", ids, issues
    )
    # An appraisal's own discounting comes with it, so both give the same present values;
    # a discount_rate written in the agreement replaces it.
    rate = DEFAULT_DISCOUNT
    name: str = "flat"
    bands: tuple[tuple[int, Decimal], ...] = ()
    if carried is not None:
        name, bands = carried
        rate = bands[0][1]
    if raw.get("discount_rate") is not None:
        r = issues.percent("discount_rate", raw["discount_rate"])
        rate = r if r is not None else rate
        name, bands = "flat", ()
    conc = DEFAULT_RISK_CONCENTRATION
    if raw.get("risk_concentration") is not None:
        c = issues.percent("risk_concentration", raw["risk_concentration"])
        conc = c if c is not None else conc
    sh = _shapley_settings(raw.get("shapley") or {}, ids, issues)
    issues.raise_if_any()
    return Agreement(
        str(raw.get("name") or "Gain-share agreement"),
        years,
        partners,
        rule,
        rate,
        sh.essential,
        sh.samples,
        sh.seed,
        sh.exact_limit,
        conc,
        sh.coalitions,
        bands if len(bands) > 1 else (),
        name,
        issues.notices(),
    )


def _partner_flows(
    praw: object, years: list[str], issues: Issues
) -> tuple[list[str], list[PartnerFlows]]:
    """Each partner's costs and benefits by year (years named ``year 1``... if not given)."""
    if not isinstance(praw, dict) or not praw:
        issues.add(
            "partners",
            praw,
            "no partners given",
            "add 'partners:' with, for each, costs: [...] and benefits: [...] by year",
        )
        praw = {}
    if not years:
        n = max(
            (len(v.get("costs") or []) for v in praw.values() if isinstance(v, dict)), default=0
        )
        years = [f"year {i}" for i in range(1, n + 1)]
    partners: list[PartnerFlows] = []
    for pid, v in praw.items():
        where = f"partners.{pid}"
        if not isinstance(v, dict):
            issues.add(
                where,
                v,
                "each partner needs costs and benefits",
                "write costs: [..] and benefits: [..]",
            )
            continue
        series: dict[str, list[Decimal]] = {}
        for key in ("costs", "benefits"):
            vals = v.get(key, [0] * len(years))
            if not isinstance(vals, list):
                vals = [vals]
            if len(vals) != len(years):
                issues.add(
                    f"{where}.{key}",
                    f"{len(vals)} values",
                    f"{key} must have one value per year ({len(years)} years: {', '.join(years)})",
                    "add or remove values so each year has one (use 0 for none)",
                )
            nums = [issues.money(f"{where}.{key}[{i + 1}]", x) for i, x in enumerate(vals)]
            series[key] = [n if n is not None else ZERO for n in nums]
        partners.append(
            PartnerFlows(str(pid), str(v.get("name") or pid), series["costs"], series["benefits"])
        )
    return years, partners


@dataclass
class _ShapleySettings:
    essential: list[str] | None = None
    samples: int = 5000
    seed: int = 0
    exact_limit: int = EXACT_LIMIT
    coalitions: dict[frozenset[str], Decimal] = field(default_factory=dict)


def _shapley_settings(sh: object, ids: list[str], issues: Issues) -> _ShapleySettings:
    if not isinstance(sh, dict):
        issues.add(
            "shapley",
            sh,
            "shapley settings must be a mapping",
            "write shapley: {essential: [lcc], samples: 5000, seed: 1}",
        )
        return _ShapleySettings()
    coalitions: dict[frozenset[str], Decimal] = {}
    for key, value in (sh.get("coalitions") or {}).items():
        members = frozenset(m.strip() for m in str(key).replace(",", "+").split("+") if m.strip())
        unknown = sorted(members - set(ids))
        if unknown or not members:
            issues.add(
                f"shapley.coalitions.{key}",
                key,
                f"unknown partner {', '.join(unknown)}",
                f"name a group as partner ids joined by +, e.g. {'+'.join(ids[:2])}",
            )
            continue
        m = issues.money(f"shapley.coalitions.{key}", value, allow_negative=True)
        if m is not None:
            coalitions[members] = m
    essential = sh.get("essential")
    if essential is not None:
        for e in essential:
            if e not in ids:
                issues.add(
                    "shapley.essential", e, "unknown partner", f"use one of: {', '.join(ids)}"
                )
    return _ShapleySettings(
        [str(e) for e in essential] if essential is not None else None,
        _count(sh, "samples", 5000, 1, MAX_SAMPLES, issues),
        int(sh.get("seed", 0)),
        _count(sh, "exact_limit", EXACT_LIMIT, 0, EXACT_LIMIT, issues),
        coalitions,
    )


# The time a Shapley value takes grows with samples x partners, and with 2^exact_limit: a
# few bytes of YAML (samples: 1000000000) must not keep the machine busy for hours.
MAX_SAMPLES = 100_000


def _count(sh: dict[Any, Any], key: str, default: int, low: int, high: int, issues: Issues) -> int:
    raw = sh.get(key, default)
    if isinstance(raw, int) and not isinstance(raw, bool) and low <= raw <= high:
        return raw
    issues.add(
        f"shapley.{key}",
        raw,
        f"must be a whole number from {low:,} to {high:,}",
        f"write {key}: {default} (or leave it out)",
    )
    return default


_GAIN_FIX = (
    "use one of: " + ", ".join(RULES) + " (fixed as {fixed: {a: 60, b: 40}}; "
    "recover_outlay_first as {recover_outlay_first: equal})"
)


def parse_gain_rule(raw: Any, where: str, ids: list[str], issues: Issues) -> Rule:
    if isinstance(raw, str):
        kind = raw.strip().lower().replace("-", "_").replace(" ", "_")
        aliases = {
            "investment": "proportional_to_investment",
            "benefit": "proportional_to_benefit",
            "recover_outlay": "recover_outlay_first",
            "recover_first": "recover_outlay_first",
        }
        kind = aliases.get(kind, kind)
        if kind in RULES and kind != "fixed":
            return Rule(kind, then=Rule("equal") if kind == "recover_outlay_first" else None)
        if kind.startswith("fixed:"):
            # command-line form: fixed:lcc=60,police=40 (partner ids keep their case)
            shares: dict[str, Any] = {}
            for part in raw.strip()[6:].split(","):
                k, _, val = part.partition("=")
                shares[k.strip()] = val.strip()
            return parse_gain_rule({"fixed": shares}, where, ids, issues)
        issues.add(where, raw, "unknown gain-share rule", _GAIN_FIX)
        return Rule("equal")
    if isinstance(raw, dict) and len(raw) == 1:
        key, val = next(iter(raw.items()))
        if key == "fixed" and isinstance(val, dict):
            shares_d: dict[str, Decimal] = {}
            for p, s in val.items():
                if str(p) not in ids:
                    issues.add(
                        f"{where}.fixed", p, "unknown partner", f"use one of: {', '.join(ids)}"
                    )
                    continue
                d = issues.percent(f"{where}.fixed.{p}", s)
                if d is not None:
                    shares_d[str(p)] = d
            total = sum(shares_d.values(), ZERO)
            if shares_d and total != 1:
                issues.add(
                    f"{where}.fixed",
                    ", ".join(f"{p}: {pct(s)}" for p, s in shares_d.items()),
                    f"fixed shares add up to {pct(total)}, not 100%",
                    "make them add up to exactly 100",
                )
            return Rule("fixed", shares_d)
        if key == "recover_outlay_first":
            then = parse_gain_rule(val or "equal", f"{where}.recover_outlay_first", ids, issues)
            if then.kind in ("recover_outlay_first",):
                issues.add(
                    where,
                    val,
                    "the rest cannot itself be 'recover outlay first'",
                    "use equal, fixed, shapley...",
                )
            return Rule("recover_outlay_first", then=then)
    issues.add(where, raw, "unknown gain-share rule", _GAIN_FIX)
    return Rule("equal")
