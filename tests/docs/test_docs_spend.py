"""docs/spend.md's worked example, run for real and compared with the numbers it prints."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from wholeplace.engine import duckdb_tables
from wholeplace.partners import import_partners
from wholeplace.spend import consolidate, import_spend
from wholeplace.workspace import Workspace

DOC = Path(__file__).resolve().parents[2] / "docs" / "spend.md"


def doc_files(text: str) -> dict[str, str]:
    found = re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", text, re.S)
    return dict(found)


def money(s: str) -> Decimal:
    return Decimal(s.replace("*", "").replace(",", "").replace("£", "").strip())


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_worked_example_matches_doc(doc: str, tmp_path: Path) -> None:
    files = doc_files(doc)
    assert set(files) == {
        "partners.csv",
        "spend-2024-25.csv",
        "northvale-partners.csv",
        "northvale-2024-25.csv",
    }
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    ws = Workspace.create(tmp_path / "valeshire", "Valeshire", population=1_100_000)
    import_partners(ws, tmp_path / "partners.csv")
    import_spend(ws, tmp_path / "spend-2024-25.csv")
    m = consolidate(duckdb_tables(ws), "2024/25", "group", population=1_100_000)

    table = doc.split("<!-- expect: by group -->")[1].split("\n\n")[0]
    rows = [
        [c.strip() for c in line.strip("|").split("|")] for line in table.strip().splitlines()[2:]
    ]
    body, total = rows[:-1], rows[-1]
    assert [(r[0], money(r[1]), r[2], money(r[3])) for r in body] == [
        (r.label, r.amount_gbp, f"{r.share:.1%}", r.per_head_gbp) for r in m.rows
    ]
    assert money(total[1]) == m.total_gbp
    assert money(total[3]) == m.per_head_gbp

    rec = doc.split("<!-- expect: reconciliation -->")[1].split("\n\n")[0]
    figures = [money(x) for x in re.findall(r"£([\d,]+\.\d\d)", rec)]
    assert figures == [
        m.reconciliation.imported_gbp,
        m.reconciliation.consolidated_gbp,
        m.reconciliation.eliminated_gbp,
        m.estimated_gbp,
    ]
    assert m.reconciliation.holds
    ws.close()


def test_payment_to_a_net_partner_is_not_taken_off_twice(doc: str, tmp_path: Path) -> None:
    """Issue 10: the Northvale example of "Gross, net and payments", against the hand-worked
    figures written here (the doc's table) and the figures the doc prints."""
    for name, body in doc_files(doc).items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    ws = Workspace.create(tmp_path / "northvale", "Northvale")
    import_partners(ws, tmp_path / "northvale-partners.csv")
    import_spend(ws, tmp_path / "northvale-2024-25.csv")
    m = consolidate(duckdb_tables(ws), "2024/25", "partner")
    million = Decimal(1_000_000)
    # county: £100m + £30m net; its £15m to the gross ICB eliminated. ICB: £400m gross, and
    # its £20m to the net county kept (the county has already taken it off).
    assert m.total_gbp == (100 + 30 + 400 + 20) * million
    assert [(e.payer, e.payee, e.amount_gbp) for e in m.eliminations] == [
        ("nc", "icb", 15 * million)
    ]
    assert [(e.payer, e.payee, e.amount_gbp) for e in m.not_eliminated] == [
        ("icb", "nc", 20 * million)
    ]
    assert m.reconciliation.imported_gbp == 565 * million and m.reconciliation.holds
    text = doc.split("<!-- expect: northvale -->")[1].split("\n\n")[0]
    assert [money(x) for x in re.findall(r"£([\d,]+\.\d\d)", text)] == [
        m.total_gbp,
        m.eliminated_gbp,
        sum((e.amount_gbp for e in m.not_eliminated), Decimal(0)),
        m.reconciliation.imported_gbp,
        m.total_gbp,
        m.eliminated_gbp,
    ]
    # gross and net: the county's 100 + 15 + 30 net, plus 30 + 20 + 5 of income it states
    by = {b.partner: b for b in m.bases}
    nc, icb = by["nc"], by["icb"]
    assert (nc.basis, nc.net_gbp, nc.income_gbp, nc.gross_gbp) == (
        "net",
        145 * million,
        55 * million,
        200 * million,
    )
    assert (icb.basis, icb.gross_gbp, icb.income_gbp, icb.net_gbp) == (
        "gross",
        420 * million,
        None,
        None,
    )
    table = doc.split("<!-- expect: northvale bases -->")[1].split("\n\n")[0]
    rows = [[c.strip() for c in ln.strip("|").split("|")] for ln in table.strip().splitlines()[2:]]

    def cell(v: Decimal | None) -> str:
        return "" if v is None else f"{v:,.2f}"

    assert rows == [
        [b.partner, b.label, cell(b.gross_gbp), cell(b.income_gbp), cell(b.net_gbp)]
        for b in m.bases
    ]
    (warning,) = m.warnings
    assert warning.startswith(
        "Bases are mixed: gross expenditure: icb; net current expenditure: nc."
    )
    assert "*Bases are mixed: gross expenditure: icb; net current expenditure: nc.*" in doc
    # the "changed because" note: the old rule took the £20m off twice
    old = m.total_gbp - 20 * million
    assert f"came out at £{old:,.2f}" in doc
    ws.close()
