"""What kind of figures each partner's spend is, and what follows from it (issue 10).

A council's Revenue Outturn gives *net current expenditure*: its gross spending less the
fees, charges and other income of each service. The canonical spend file, an NHS body's
accounts and a CRA estimate give *gross expenditure*; a council's "spend over £500" file
gives *payments*. Added together without a word, the map would understate the net
partners' spending and, where one partner pays another that reports net, take the same
money off twice (see :mod:`.consolidate` for the elimination rule).

So every line carries its basis (``spend_lines.basis``), the map lists the basis of each
partner, and warns when the bases of a year are mixed. Where a return states its income
(``spend_income``), a partner's gross and net figures are both shown:

    gross = net + fees and charges + other income        (a net partner's income known)
    net   = gross - fees and charges - other income      (a gross partner's income known)

Specific grants (RS lines 791 and 804) are *not* in that sum: the returns take them off
below net current expenditure, to reach net revenue expenditure, so they are shown
beside the figures as the grants that fund them, never subtracted from a service.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wholeplace.engine import SpendTables, execute
from wholeplace.money import to_money
from wholeplace.spend.lines import BASES

ZERO = Decimal("0.00")
# Income a return takes off a service's gross spending to reach its net current expenditure.
NETTED_INCOME = ("fees and charges", "other income")
SPECIFIC_GRANTS = "specific grants"
INCOME_KINDS = (*NETTED_INCOME, SPECIFIC_GRANTS)
MIXED = "mixed"


@dataclass(frozen=True)
class PartnerBasis:
    """One partner's revenue lines of a year as imported (before eliminations), by basis."""

    partner: str
    name: str
    basis: str  # a key of BASES, or "mixed"
    by_basis: dict[str, Decimal]
    income_gbp: Decimal | None  # fees, charges and other income stated; None: not stated
    grants_gbp: Decimal | None  # specific grants stated (whole body); None: not stated
    gross_gbp: Decimal | None = None  # None where it cannot be told from what was imported
    net_gbp: Decimal | None = None
    income_by_kind: dict[str, Decimal] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return BASES.get(self.basis, "mixed bases")

    def to_json(self) -> dict[str, Any]:
        def m(v: Decimal | None) -> str | None:
            return None if v is None else str(v)

        return {
            "partner": self.partner,
            "name": self.name,
            "basis": self.basis,
            "basis_label": self.label,
            "by_basis_gbp": {k: str(v) for k, v in self.by_basis.items()},
            "income_gbp": m(self.income_gbp),
            "grants_gbp": m(self.grants_gbp),
            "income_by_kind_gbp": {k: str(v) for k, v in self.income_by_kind.items()},
            "gross_gbp": m(self.gross_gbp),
            "net_gbp": m(self.net_gbp),
        }


def _figures(
    basis: str, amount: Decimal, income: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """(gross, net) of a partner's revenue lines, where what was imported tells them."""
    if basis == "gross":
        return amount, None if income is None else amount - income
    if basis == "net":
        return None if income is None else amount + income, amount
    return None, None  # payments, or mixed: neither follows


def partner_bases(t: SpendTables, year: str) -> tuple[list[PartnerBasis], list[str]]:
    """Each partner's basis in ``year`` (revenue lines), and the warnings a reader needs."""
    lines = t.lines.filter((t.lines.year == year) & (t.lines.account != "capital"))
    by = lines.group_by("partner", "basis").aggregate(amount_gbp=lines.amount_gbp.sum())
    inc = t.income.filter((t.income.year == year) & (t.income.account != "capital"))
    inc_by = inc.group_by("partner", "kind").aggregate(amount_gbp=inc.amount_gbp.sum())
    names = {r["id"]: r["name"] for r in execute(t.backend, t.partners.select("id", "name"))}
    amounts: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for r in execute(t.backend, by):
        amounts[r["partner"]][r["basis"]] = to_money(r["amount_gbp"] or 0)
    income: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for r in execute(t.backend, inc_by):
        income[r["partner"]][r["kind"]] = to_money(r["amount_gbp"] or 0)
    out: list[PartnerBasis] = []
    for p in sorted(amounts):
        kinds = {k: amounts[p][k] for k in sorted(amounts[p])}
        basis = next(iter(kinds)) if len(kinds) == 1 else MIXED
        stated = income.get(p, {})
        netted = [stated[k] for k in NETTED_INCOME if k in stated]
        inc_total = sum(netted, ZERO) if netted else None
        gross, net = _figures(basis, sum(kinds.values(), ZERO), inc_total)
        out.append(
            PartnerBasis(
                p,
                names.get(p, p),
                basis,
                kinds,
                inc_total,
                stated.get(SPECIFIC_GRANTS),
                gross,
                net,
                {k: stated[k] for k in INCOME_KINDS if k in stated},
            )
        )
    return out, _warnings(out)


def _warnings(bases: list[PartnerBasis]) -> list[str]:
    """Mixed bases, said plainly: which partners are on which basis, and what it means."""
    out: list[str] = []
    for b in bases:
        if b.basis == MIXED:
            out.append(
                f"{b.name} ({b.partner}) has lines on more than one basis in this year ("
                + ", ".join(f"{BASES[k]} £{v:,.2f}" for k, v in b.by_basis.items())
                + "): import one return per partner and year."
            )
    used: dict[str, list[str]] = defaultdict(list)
    for b in bases:
        used[b.basis].append(b.partner)
    if len(used) > 1:
        out.append(
            "Bases are mixed: "
            + "; ".join(
                f"{BASES.get(k, 'mixed bases')}: {', '.join(v)}" for k, v in sorted(used.items())
            )
            + ". Net current expenditure is after a partner's fees, charges and other income "
            "are taken off, so the total adds figures of different kinds; payments to a "
            "partner that reports net are not eliminated (it has already taken them off)."
        )
    return out
