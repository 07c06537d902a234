"""Shared staff (section 113 style): quarterly recharges, annual true-up, reconciliation.

The staff list (CSV or XLSX) has one row per post: ``staff_id, name, employer,
annual_cost`` and one column per partner holding the percentage of time spent for that
partner (blank counts as 0; each row must add up to 100). The employer bills each other
partner its share; the employer's own share stays with it.

Each post's annual cost is split into four quarters, and each quarter across partners,
with :func:`wholeplace.money.apportion`, so the recharges add up to the shared cost to
the penny. An optional actuals file (``staff_id, actual_cost`` and the same partner
columns, from timesheets) gives the annual true-up: what each partner should have paid
for the year less what it was billed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.errors import Notice
from wholeplace.money import ZERO, apportion
from wholeplace.sharing.common import Issues, year_key
from wholeplace.tabular import TableFile, read_table

KNOWN = {
    "staff_id",
    "name",
    "role",
    "employer",
    "annual_cost",
    "actual_cost",
    "notes",
    "post",
    "grade",
}
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


@dataclass
class Post:
    line: int
    staff_id: str
    name: str
    employer: str
    cost: Decimal
    shares: dict[str, Decimal]  # partner -> percentage (sum 100)


@dataclass
class RechargeResult:
    year: str
    partners: list[str]
    posts: list[Post]
    # (staff_id, quarter) -> partner -> amount of that quarter's cost borne by partner
    quarterly: dict[tuple[str, str], dict[str, Decimal]]
    actual: dict[str, dict[str, Decimal]] | None  # staff_id -> partner -> actual annual charge
    actual_cost: dict[str, Decimal] | None
    warnings: list[str] = field(default_factory=list)
    # costs given to more than the penny, and rounded: shown, as the spend imports show them
    notices: list[Notice] = field(default_factory=list)
    # partner (as the files name it) -> the place's name for it (``--workspace``); none: as named
    names: dict[str, str] = field(default_factory=dict)

    def name(self, partner: str) -> str:
        """The partner's name for people: the place's name when known, else as the files
        name it."""
        return self.names.get(partner, partner)

    def billed(self, staff_id: str, partner: str) -> Decimal:
        return sum((self.quarterly[(staff_id, q)][partner] for q in QUARTERS), ZERO)

    def invoices(self) -> list[dict[str, Any]]:
        """One line per employer -> partner -> quarter (the employer's own share excluded)."""
        out: dict[tuple[str, str, str], Decimal] = {}
        for post in self.posts:
            for q in QUARTERS:
                for p, amt in self.quarterly[(post.staff_id, q)].items():
                    if p != post.employer and amt:
                        key = (post.employer, p, q)
                        out[key] = out.get(key, ZERO) + amt
        return [
            {"employer": e, "partner": p, "quarter": q, "amount": a}
            for (e, p, q), a in sorted(out.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))
        ]

    def by_partner(self) -> dict[str, dict[str, Decimal]]:
        """Cost borne by each partner per quarter (own staff included), plus true-up."""
        out = {p: {q: ZERO for q in QUARTERS} for p in self.partners}
        for post in self.posts:
            for q in QUARTERS:
                for p, amt in self.quarterly[(post.staff_id, q)].items():
                    out[p][q] += amt
        for p in self.partners:
            out[p]["billed"] = sum((out[p][q] for q in QUARTERS), ZERO)
            out[p]["true_up"] = ZERO
        if self.actual is not None:
            for post in self.posts:
                for p in self.partners:
                    out[p]["true_up"] += self.true_up(post.staff_id, p)
        for p in self.partners:
            out[p]["final"] = out[p]["billed"] + out[p]["true_up"]
        return out

    def true_up(self, staff_id: str, partner: str) -> Decimal:
        if self.actual is None:
            return ZERO
        return self.actual[staff_id].get(partner, ZERO) - self.billed(staff_id, partner)

    def reconciliation(self) -> dict[str, Any]:
        budget = sum((p.cost for p in self.posts), ZERO)
        billed = sum((a for d in self.quarterly.values() for a in d.values()), ZERO)
        out: dict[str, Any] = {
            "shared_cost": budget,
            "recharged_and_retained": billed,
            "difference": billed - budget,
            "balanced": billed == budget,
        }
        if self.actual is not None and self.actual_cost is not None:
            actual = sum(self.actual_cost.values(), ZERO)
            final = sum((v["final"] for v in self.by_partner().values()), ZERO)
            out.update(
                {
                    "actual_cost": actual,
                    "after_true_up": final,
                    "true_up_difference": final - actual,
                    "true_up_balanced": final == actual,
                }
            )
            out["balanced"] = out["balanced"] and final == actual
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "partners": self.partners,
            "posts": len(self.posts),
            "by_partner": self.by_partner(),
            "invoices": self.invoices(),
            "true_up": [
                {"staff_id": post.staff_id, "partner": p, "amount": self.true_up(post.staff_id, p)}
                for post in self.posts
                for p in self.partners
                if self.true_up(post.staff_id, p)
            ],
            "reconciliation": self.reconciliation(),
            "warnings": self.warnings,
            "notices": [n.to_dict() for n in self.notices],
            # only with a place, so a file's own result reads as before
            **({"partner_names": dict(self.names)} if self.names else {}),
        }


def compute_recharges(
    posts: list[Post],
    partners: list[str],
    year: str = "",
    actuals: list[Post] | None = None,
) -> RechargeResult:
    year = year_key(year) if year.strip() else ""
    quarterly: dict[tuple[str, str], dict[str, Decimal]] = {}
    for post in posts:
        for q, qcost in zip(QUARTERS, apportion(post.cost, [1, 1, 1, 1]), strict=True):
            quarterly[(post.staff_id, q)] = dict(
                zip(
                    partners,
                    apportion(qcost, [post.shares.get(p, ZERO) for p in partners]),
                    strict=True,
                )
            )
    actual = actual_cost = None
    warnings: list[str] = []
    if actuals is not None:
        actual, actual_cost = {}, {}
        by_id = {a.staff_id: a for a in actuals}
        for post in posts:
            a = by_id.get(post.staff_id)
            if a is None:
                warnings.append(
                    f"no actuals for {post.staff_id} ({post.name}); billed figures kept"
                )
                actual_cost[post.staff_id] = post.cost
                actual[post.staff_id] = {
                    p: sum((quarterly[(post.staff_id, q)][p] for q in QUARTERS), ZERO)
                    for p in partners
                }
                continue
            actual_cost[post.staff_id] = a.cost
            # Split the actual cost the same way as the bills (quarter by quarter), so an
            # unchanged cost and unchanged shares give a true-up of exactly nothing.
            year_split = {p: ZERO for p in partners}
            for qcost in apportion(a.cost, [1, 1, 1, 1]):
                weights = [a.shares.get(p, ZERO) for p in partners]
                for p, amt in zip(partners, apportion(qcost, weights), strict=True):
                    year_split[p] += amt
            actual[post.staff_id] = year_split
        for a in actuals:
            if a.staff_id not in {p.staff_id for p in posts}:
                warnings.append(
                    f"actuals line {a.line}: {a.staff_id} is not on the staff list and was ignored"
                )
    return RechargeResult(year, partners, posts, quarterly, actual, actual_cost, warnings)


def _partner_columns(table: TableFile) -> list[str]:
    return [c for c in table.columns if c not in KNOWN]


def load_posts(
    path: Path | str,
    *,
    cost_column: str = "annual_cost",
    partners: list[str] | None = None,
    notices: list[Notice] | None = None,
) -> tuple[list[Post], list[str]]:
    """The posts of a staff (or actuals) file and its partner columns; ``notices`` gets the
    notice of costs rounded to the penny, if any were."""
    required = ["staff_id", cost_column] + (["employer"] if cost_column == "annual_cost" else [])
    table = read_table(path, required=required, aliases={"id": "staff_id", "cost": cost_column})
    issues = Issues(table.label)
    cols = _partner_columns(table)
    if not cols:
        issues.add(
            None,
            ", ".join(table.columns),
            "no partner columns found",
            "add one column per partner (headed with its id) holding the % of time spent for it",
        )
    if partners is not None:
        for c in cols:
            if c not in partners:
                issues.add(
                    c,
                    c,
                    "this partner column is not in the staff list",
                    f"use the partners {', '.join(partners)}",
                )
    posts: list[Post] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        v = row.values
        sid = v.get("staff_id", "").strip()
        if not sid:
            issues.add("staff_id", None, "staff id is empty", "give every post an id", row.number)
        elif sid in seen:
            issues.add(
                "staff_id",
                sid,
                f"the same staff id is already on row {seen[sid]}",
                "give each post one row",
                row.number,
            )
        else:
            seen[sid] = row.number
        employer = v.get("employer", "").strip().lower()
        if cost_column == "annual_cost" and employer not in cols:
            issues.add(
                "employer",
                v.get("employer"),
                "the employer is not one of the partner columns",
                f"use one of: {', '.join(cols)}",
                row.number,
            )
        cost = issues.money(cost_column, v.get(cost_column), row=row.number)
        shares: dict[str, Decimal] = {}
        for c in cols:
            text = v.get(c, "").strip()
            if not text:
                continue
            s = issues.percent(c, text, row.number)
            if s is not None:
                shares[c] = s * 100
        total = sum(shares.values(), ZERO)
        if shares and total != 100:
            issues.add(
                ", ".join(cols),
                ", ".join(f"{k}={s.normalize():f}" for k, s in shares.items()),
                f"time shares add up to {total.normalize():f}%, not 100%",
                "make the percentages on this row add up to exactly 100",
                row.number,
            )
        elif not shares:
            issues.add(
                ", ".join(cols),
                None,
                "no time shares on this row",
                "give the % of time for each partner",
                row.number,
            )
        if cost is not None:
            posts.append(Post(row.number, sid, v.get("name", "").strip(), employer, cost, shares))
    issues.raise_if_any()
    if notices is not None:
        notices.extend(issues.notices())
    return posts, cols


def load_recharges(
    staff: Path | str, actuals: Path | str | None = None, year: str = ""
) -> RechargeResult:
    notices: list[Notice] = []
    posts, partners = load_posts(staff, notices=notices)
    acts = None
    if actuals is not None:
        acts, _ = load_posts(actuals, cost_column="actual_cost", partners=partners, notices=notices)
    result = compute_recharges(posts, partners, year, acts)
    result.notices = notices
    return result
