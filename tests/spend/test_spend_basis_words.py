"""The basis of each partner's figures without a database: gross and net from the income
stated, the warnings word for word and the JSON, worked out by hand (issue 10's rules in
spend.basis)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from wholeplace.spend.basis import PartnerBasis, _figures, _warnings
from wholeplace.workspace import Workspace


def test_gross_and_net_follow_only_from_income_stated() -> None:
    # gross 1,000.00 less income 150.00 is net 850.00, and back
    assert _figures("gross", D("1000.00"), D("150.00")) == (D("1000.00"), D("850.00"))
    assert _figures("net", D("850.00"), D("150.00")) == (D("1000.00"), D("850.00"))
    assert _figures("gross", D("1000.00"), None) == (D("1000.00"), None)
    assert _figures("net", D("850.00"), None) == (None, D("850.00"))
    # payments, and lines on more than one basis, tell neither
    assert _figures("payments", D("1000.00"), D("150.00")) == (None, None)
    assert _figures("mixed", D("1000.00"), D("150.00")) == (None, None)


def pb(partner: str, name: str, basis: str, by_basis: dict[str, D]) -> PartnerBasis:
    return PartnerBasis(partner, name, basis, by_basis, None, None)


def test_mixed_bases_are_said_plainly() -> None:
    bases = [
        pb("dc", "Dale Council", "gross", {"gross": D("5.00")}),
        pb("icb", "NHS ICB", "gross", {"gross": D("7.00")}),
        pb("scc", "County", "mixed", {"gross": D("200.00"), "net": D("1234.50")}),
        pb("tam", "Tamworth", "net", {"net": D("9.00")}),
    ]
    assert _warnings(bases) == [
        "County (scc) has lines on more than one basis in this year (gross expenditure "
        "£200.00, net current expenditure £1,234.50): import one return per partner and year.",
        "Bases are mixed: gross expenditure: dc, icb; mixed bases: scc; net current "
        "expenditure: tam. Net current expenditure is after a partner's fees, charges and "
        "other income are taken off, so the total adds figures of different kinds; payments "
        "to a partner that reports net are not eliminated (it has already taken them off).",
    ]
    # every partner on one basis: nothing to say
    assert _warnings(bases[:2]) == []
    assert _warnings([]) == []


def test_a_partners_basis_in_json() -> None:
    b = PartnerBasis(
        "tam",
        "Tamworth",
        "net",
        {"net": D("850.00")},
        D("150.00"),
        D("40.00"),
        D("1000.00"),
        D("850.00"),
        {"fees and charges": D("100.00"), "other income": D("50.00")},
    )
    assert b.to_json() == {
        "partner": "tam",
        "name": "Tamworth",
        "basis": "net",
        "basis_label": "net current expenditure",
        "by_basis_gbp": {"net": "850.00"},
        "income_gbp": "150.00",
        "grants_gbp": "40.00",
        "income_by_kind_gbp": {"fees and charges": "100.00", "other income": "50.00"},
        "gross_gbp": "1000.00",
        "net_gbp": "850.00",
    }
    mixed = pb("scc", "County", "mixed", {"gross": D("1.00"), "net": D("2.00")})
    assert mixed.to_json() == {
        "partner": "scc",
        "name": "County",
        "basis": "mixed",
        "basis_label": "mixed bases",
        "by_basis_gbp": {"gross": "1.00", "net": "2.00"},
        "income_gbp": None,
        "grants_gbp": None,
        "income_by_kind_gbp": {},
        "gross_gbp": None,
        "net_gbp": None,
    }


def test_a_partners_basis_cannot_be_changed_once_made() -> None:
    import dataclasses

    import pytest

    with pytest.raises(dataclasses.FrozenInstanceError):
        pb("dc", "Dale", "gross", {}).basis = "net"  # type: ignore[misc]


def test_a_years_revenue_income_gives_the_gross_of_a_net_partner(
    ws: Workspace, tmp_path: Path
) -> None:
    from wholeplace.engine import duckdb_tables
    from wholeplace.partners import Partner, upsert
    from wholeplace.spend import import_spend
    from wholeplace.spend.basis import partner_bases

    with ws.write("test partners"):
        upsert(ws, [Partner("scc", "County", "county council", "C", "LG")])
    f = tmp_path / "scc.csv"
    f.write_text(
        "partner,year,service,amount_gbp,basis,account,fees_and_charges_gbp,other_income_gbp\n"
        "scc,2024/25,ASC,1000.00,net,revenue,100.00,50.00\n"
        "scc,2024/25,EDU,500.00,net,revenue,20.00,\n"
        "scc,2024/25,ASC,300.00,net,capital,7.00,3.00\n"  # capital: not in the revenue figures
        "scc,2023/24,ASC,900.00,net,revenue,11.00,\n",  # another year
        encoding="utf-8",
    )
    import_spend(ws, f)
    (b,), warned = partner_bases(duckdb_tables(ws), "2024/25")
    # net 1,000 + 500 = 1,500.00; fees 100 + 20 = 120.00 and other income 50.00 taken off it,
    # so gross = 1,500 + 120 + 50 = 1,670.00
    assert (b.basis, b.by_basis, b.net_gbp, b.income_gbp, b.gross_gbp) == (
        "net",
        {"net": D("1500.00")},
        D("1500.00"),
        D("170.00"),
        D("1670.00"),
    )
    assert b.income_by_kind == {"fees and charges": D("120.00"), "other income": D("50.00")}
    assert (b.name, b.grants_gbp, warned) == ("County", None, [])
