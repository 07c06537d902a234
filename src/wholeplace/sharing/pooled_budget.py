"""Pooled budgets (section 75 style): contributions, outturn, and who bears the variance.

A pool is read from YAML (see ``docs/sharing.md``). For each year the budget is the sum
of the partners' contributions (cash and in kind); the variance is outturn minus budget.
An overspend is shared by the overspend rule, an underspend by the underspend rule, and
each partner's net cost is its contribution plus its share of the overspend (or minus
its share of the underspend).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.errors import Notice
from wholeplace.money import ZERO, fmt_gbp
from wholeplace.sharing.common import Issues, load_yaml, shape_guard, year_key
from wholeplace.sharing.rules import RiskRule, parse_rule, split_variance
from wholeplace.workbook_limits import refuse_old_xls


@dataclass(frozen=True)
class Contribution:
    cash: Decimal
    in_kind: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.cash + self.in_kind


@dataclass
class Pool:
    name: str
    host: str
    partners: dict[str, str]  # id -> name, in the order given
    years: list[str]
    contributions: dict[str, dict[str, Contribution]]  # year -> partner -> contribution
    outturn: dict[str, Decimal]  # year -> actual or forecast spend
    outturn_kind: dict[str, str]  # year -> "actual" | "forecast"
    overspend: RiskRule
    underspend: RiskRule
    services: list[str] = field(default_factory=list)
    source: str | None = None
    # amounts given to more than the penny, and rounded: shown, as the spend imports show them
    notices: list[Notice] = field(default_factory=list)


@dataclass
class PartnerYear:
    partner: str
    cash: Decimal
    in_kind: Decimal
    contribution: Decimal
    variance_share: Decimal  # + pays towards an overspend, - receives from an underspend
    net_cost: Decimal


@dataclass
class PoolYear:
    year: str
    budget: Decimal
    outturn: Decimal
    outturn_kind: str
    variance: Decimal  # outturn - budget: + overspend, - underspend
    rows: list[PartnerYear]
    steps: list[str]
    warnings: list[str]

    @property
    def shares_sum(self) -> Decimal:
        return sum((r.variance_share for r in self.rows), ZERO)

    @property
    def balanced(self) -> bool:
        return self.shares_sum == self.variance


@dataclass
class PoolResult:
    pool: Pool
    years: list[PoolYear]

    def totals(self) -> dict[str, dict[str, Decimal]]:
        out: dict[str, dict[str, Decimal]] = {}
        for p in self.pool.partners:
            rows = [r for y in self.years for r in y.rows if r.partner == p]
            out[p] = {
                "contribution": sum((r.contribution for r in rows), ZERO),
                "variance_share": sum((r.variance_share for r in rows), ZERO),
                "net_cost": sum((r.net_cost for r in rows), ZERO),
            }
        return out

    @property
    def balanced(self) -> bool:
        return all(y.balanced for y in self.years)

    def to_json(self) -> dict[str, Any]:
        return {
            "pool": self.pool.name,
            "host": self.pool.host,
            "partners": self.pool.partners,
            "overspend_rule": self.pool.overspend.describe(self.pool.partners),
            "underspend_rule": self.pool.underspend.describe(self.pool.partners),
            "years": [
                {
                    "year": y.year,
                    "budget": y.budget,
                    "outturn": y.outturn,
                    "outturn_kind": y.outturn_kind,
                    "variance": y.variance,
                    "shares_sum": y.shares_sum,
                    "balanced": y.balanced,
                    "partners": [r.__dict__ for r in y.rows],
                    "steps": y.steps,
                    "warnings": y.warnings,
                }
                for y in self.years
            ],
            "totals": self.totals(),
            "balanced": self.balanced,
            "notices": [n.to_dict() for n in self.pool.notices],
        }


def compute_pool(pool: Pool) -> PoolResult:
    ids = list(pool.partners)
    years: list[PoolYear] = []
    for year in pool.years:
        contrib = pool.contributions[year]
        totals = {p: contrib[p].total if p in contrib else ZERO for p in ids}
        cash = {p: contrib[p].cash if p in contrib else ZERO for p in ids}
        budget = sum(totals.values(), ZERO)
        outturn = pool.outturn[year]
        variance = outturn - budget
        if variance >= 0:
            res = split_variance(
                variance, pool.overspend, ids, pool.host, totals, cash, pool.partners
            )
            signed = res.shares
            label = "overspend"
        else:
            res = split_variance(
                -variance, pool.underspend, ids, pool.host, totals, cash, pool.partners
            )
            signed = {p: -s for p, s in res.shares.items()}
            label = "underspend"
        steps = (
            [f"{label} of {fmt_gbp(abs(variance))}: " + s for s in res.steps] if variance else []
        )
        rows = [
            PartnerYear(
                p,
                cash[p],
                totals[p] - cash[p],
                totals[p],
                signed[p],
                totals[p] + signed[p],
            )
            for p in ids
        ]
        years.append(
            PoolYear(
                year, budget, outturn, pool.outturn_kind[year], variance, rows, steps, res.warnings
            )
        )
    return PoolResult(pool, years)


def load_pool(path: Path | str) -> Pool:
    path = Path(path)
    raw = load_yaml(path)
    return parse_pool(raw, path.name)


@shape_guard("pool_example.yaml")
def parse_pool(raw: dict[str, Any], file: str = "pool.yaml") -> Pool:
    """A pool from the mapping a pool file holds. Years may be written in any form
    :func:`wholeplace.years.parse_year` accepts; the pool holds their labels (``2024/25``)."""
    issues = Issues(file)
    partners = _partners(raw.get("partners"), issues)
    host = str(raw.get("host") or "")
    if partners and host not in partners:
        issues.add(
            "host",
            host or None,
            "the host is not one of the partners",
            f"set host: to one of {', '.join(partners)}",
        )
    years, contributions = _contributions(raw, partners, issues)
    outturn, kinds = _outturn(raw.get("outturn"), years, issues)
    ids = list(partners)
    over = parse_rule(raw.get("overspend"), "overspend", ids, issues)
    under = parse_rule(raw.get("underspend"), "underspend", ids, issues)
    services = raw.get("services") or []
    issues.raise_if_any()
    assert over is not None and under is not None
    return Pool(
        str(raw.get("name") or "Pooled budget"),
        host,
        partners,
        years,
        contributions,
        outturn,
        kinds,
        over,
        under,
        [str(s) for s in services],
        raw.get("source"),
        issues.notices(),
    )


def _partners(partners_raw: object, issues: Issues) -> dict[str, str]:
    if isinstance(partners_raw, dict) and partners_raw:
        return {str(k): str(v or k) for k, v in partners_raw.items()}
    if isinstance(partners_raw, list) and partners_raw:
        return {str(k): str(k) for k in partners_raw}
    issues.add(
        "partners",
        partners_raw,
        "the pool names no partners",
        "add 'partners:' mapping each short id to a name, e.g. lcc: Lancashire County Council",
    )
    return {}


def _contributions(
    raw: dict[str, Any], partners: dict[str, str], issues: Issues
) -> tuple[list[str], dict[str, dict[str, Contribution]]]:
    """The pool's years (labels) and each partner's contribution in each."""
    contributions_raw = raw.get("contributions")
    if not isinstance(contributions_raw, dict) or not contributions_raw:
        issues.add(
            "contributions",
            contributions_raw,
            "no contributions given",
            "add 'contributions:' with a mapping per year of partner to amount",
        )
        contributions_raw = {}
    given = issues.by_year("contributions", contributions_raw)
    years_raw = raw.get("years")
    # Each year as the file writes it, to name it in a problem.
    spelled = {year_key(y): str(y) for y in (years_raw if isinstance(years_raw, list) else given)}
    for label, (key, _) in given.items():
        if label not in spelled:
            issues.add(
                f"contributions.{key}",
                key,
                "this year is not in the pool's years",
                f"add it to years: or remove it (years: {', '.join(spelled)})",
            )
    contributions: dict[str, dict[str, Contribution]] = {}
    for y, as_written in spelled.items():
        key, cy = given.get(y, (as_written, None))
        contributions[y] = {}
        if not isinstance(cy, dict):
            issues.add(
                f"contributions.{key}",
                cy,
                "no contributions for this year",
                "add a mapping of partner to amount for this year",
            )
            continue
        for p, v in cy.items():
            c = _contribution(f"contributions.{key}.{p}", str(p), v, partners, issues)
            if c is not None:
                contributions[y][str(p)] = c
    return list(spelled), contributions


def _contribution(
    where: str, partner: str, v: object, partners: dict[str, str], issues: Issues
) -> Contribution | None:
    if partners and partner not in partners:
        issues.add(where, partner, "unknown partner", f"use one of: {', '.join(partners)}")
        return None
    if isinstance(v, dict):
        extra = set(v) - {"cash", "in_kind"}
        if extra:
            issues.add(where, ", ".join(sorted(extra)), "unknown key", "use cash: and in_kind:")
        c = issues.money(f"{where}.cash", v.get("cash", 0))
        k = issues.money(f"{where}.in_kind", v.get("in_kind", 0))
        return Contribution(c, k) if c is not None and k is not None else None
    c = issues.money(where, v)
    return Contribution(c) if c is not None else None


def _outturn(
    out_raw: object, years: list[str], issues: Issues
) -> tuple[dict[str, Decimal], dict[str, str]]:
    """Each year's outturn and whether it is ``actual`` or ``forecast``."""
    outturn: dict[str, Decimal] = {}
    kinds: dict[str, str] = {}
    if not isinstance(out_raw, dict):
        issues.add(
            "outturn",
            out_raw,
            "no outturn given",
            "add 'outturn:' mapping each year to the actual or forecast spend",
        )
        out_raw = {}
    given = issues.by_year("outturn", out_raw)
    for y in years:
        key, v = given.get(y, (y, None))
        where = f"outturn.{key}"
        if v is None:
            issues.add(
                where,
                None,
                "no outturn for this year",
                "add the actual spend, or {forecast: amount}",
            )
            continue
        kind = "actual"
        if isinstance(v, dict):
            if len(v) != 1 or next(iter(v)) not in ("actual", "forecast"):
                issues.add(
                    where,
                    v,
                    "outturn must be an amount, {actual: amount} or {forecast: amount}",
                    "write e.g. outturn: {2025/26: {forecast: 1030000}}",
                )
                continue
            kind, v = next(iter(v.items()))
        m = issues.money(where, v)
        if m is not None:
            outturn[y] = m
            kinds[y] = kind
    return outturn, kinds


# -- the same pool as a workbook ----------------------------------------------------------


def load_pool_any(path: Path | str) -> Pool:
    """A pool from YAML, or from an XLSX workbook laid out as in docs/sharing.md."""
    path = Path(path)
    refuse_old_xls(path, "YAML or .xlsx")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from wholeplace.sharing.pool_workbook import pool_xlsx_to_raw

        return parse_pool(pool_xlsx_to_raw(path), path.name)
    return load_pool(path)
