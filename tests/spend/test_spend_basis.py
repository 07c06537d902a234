"""Issue 10: every spend line carries its basis and account; income goes with its lines;
payments to a partner that reports net are not taken off twice."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlrd
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.engine import duckdb_tables
from wholeplace.errors import InputError
from wholeplace.partners import Partner, upsert
from wholeplace.spend import import_spend
from wholeplace.spend.consolidate import consolidate
from wholeplace.spend.outturn import import_outturn
from wholeplace.spend.report import gather, html_text, write_xlsx
from wholeplace.spend.transactions import import_transactions
from wholeplace.workspace import Workspace

D = Decimal
Y1415 = "revenue-outturn-rs/Revenue_Outturn_Summary__RS__data_2014-15_by_LA_-_02-Feb-2016.xls"


@pytest.fixture
def place(ws: Workspace) -> Workspace:
    with ws.write("test partners"):
        upsert(
            ws,
            [
                Partner("scc", "Staffordshire County Council", "county council", "C", "LG"),
                Partner("tam", "Tamworth Borough Council", "district", "D", "LG"),
                Partner("icb", "NHS Staffordshire ICB", "nhs commissioner", "NHS", "Health"),
            ],
        )
    return ws


def published(reference: Path, ecode: str, label_start: str) -> Decimal:
    """A cell of the RS 2014-15 sheet, found here with xlrd by E-code and header label."""
    book = xlrd.open_workbook(str(reference / Y1415), on_demand=True)
    sh = book.sheet_by_name("RS LA Data 2014-15 (1)")
    head = next(r for r in range(20) if sh.cell_value(r, 0) == "E-code")
    col = next(c for c in range(sh.ncols) if str(sh.cell_value(head, c)).startswith(label_start))
    row = next(r for r in range(head + 1, sh.nrows) if sh.cell_value(r, 0) == ecode)
    return D(str(sh.cell_value(row, col)))


def test_outturn_lines_are_net_and_grants_are_income(place: Workspace, reference: Path) -> None:
    import_outturn(place, reference / Y1415, authority="E10000028", partner="scc")
    assert place.con.execute("SELECT DISTINCT basis, account FROM spend_lines").fetchall() == [
        ("net", "revenue")
    ]
    got = dict(
        place.con.execute(
            "SELECT source_service, amount_gbp FROM spend_income WHERE partner = 'scc' "
            "AND kind = 'specific grants' AND service IS NULL"
        ).fetchall()
    )
    inside = -published(reference, "E3421", "Specific and special revenue grants inside")
    outside = -published(reference, "E3421", "Specific and special revenue grants outside")
    assert (inside, outside) == (D(543155), D(23900))  # £ thousand, income shown positive
    assert got == {
        "Specific and special revenue grants inside AEF": inside * 1000,
        "Specific and special revenue grants outside AEF": outside * 1000,
    }
    m = consolidate(duckdb_tables(place), "2014/15", "partner")
    (b,) = m.bases
    assert (b.basis, b.grants_gbp, b.gross_gbp) == ("net", (inside + outside) * 1000, None)
    assert m.total_gbp == D("992430000.00")  # grants are never taken off the spend


def test_income_goes_with_the_lines_it_came_with(
    place: Workspace, reference: Path, tmp_path: Path
) -> None:
    import_outturn(place, reference / Y1415, authority="E10000028", partner="scc")
    assert place.con.execute("SELECT count(*) FROM spend_income").fetchone() == (2,)
    f = tmp_path / "scc.csv"
    f.write_text("partner,year,service,amount_gbp\nscc,2014/15,ASC,100.00\n", encoding="utf-8")
    import_spend(place, f)
    assert place.con.execute("SELECT count(*) FROM spend_income").fetchone() == (0,)
    assert place.con.execute("SELECT basis FROM spend_lines").fetchall() == [("gross",)]


def test_payments_to_a_partner_reporting_net_are_kept(place: Workspace, tmp_path: Path) -> None:
    """Tamworth pays the county £48,000 in its "spend over £500" file (payments); the
    county's figures are net of that income, so the payment is not eliminated."""
    pay = tmp_path / "tam.csv"
    pay.write_text(
        "Payment Date,Supplier Name,Service Area,Amount\n"
        "15/05/2024,Staffordshire County Council,Waste,48000.00\n"
        "16/05/2024,Big Trucks Ltd,Waste,1000.00\n",
        encoding="utf-8",
    )
    import_transactions(place, [pay], partner="tam")
    m = consolidate(duckdb_tables(place), "2024/25", "partner")
    assert (m.total_gbp, m.eliminated_gbp) == (D("1000.00"), D("48000.00"))  # gross payee
    net = tmp_path / "scc.csv"
    net.write_text(
        "partner,year,service,amount_gbp,basis\nscc,2024/25,ASC,5000000.00,net\n",
        encoding="utf-8",
    )
    import_spend(place, net)
    m = consolidate(duckdb_tables(place), "2024/25", "partner")
    # 5,000,000 (county, net) + 1,000 + 48,000 (Tamworth's payments, all kept)
    assert (m.total_gbp, m.eliminated_gbp) == (D("5049000.00"), D("0.00"))
    assert [(e.payer, e.payee, e.amount_gbp) for e in m.not_eliminated] == [
        ("tam", "scc", D("48000.00"))
    ]
    assert {b.partner: b.basis for b in m.bases} == {"scc": "net", "tam": "payments"}
    assert len(m.warnings) == 1 and "payments: tam" in m.warnings[0]


def test_a_partner_mixing_bases_is_warned_about(place: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "mixed.csv"
    f.write_text(
        "partner,year,service,amount_gbp,basis\n"
        "scc,2024/25,ASC,100.00,net\n"
        "scc,2024/25,EDU,200.00,gross expenditure\n",
        encoding="utf-8",
    )
    import_spend(place, f)
    m = consolidate(duckdb_tables(place), "2024/25", "partner")
    (b,) = m.bases
    assert (b.basis, b.by_basis) == ("mixed", {"gross": D("200.00"), "net": D("100.00")})
    assert m.warnings[0].startswith("Staffordshire County Council (scc) has lines on more than")


def test_bad_basis_account_and_income_are_refused(place: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(
        "partner,year,service,amount_gbp,basis,account,fees_and_charges_gbp\n"
        "scc,2024/25,ASC,100.00,netto,,\n"
        "scc,2024/25,EDU,200.00,,current,\n"
        "scc,2024/25,HTS,200.00,,,lots\n"
        "scc,2024/25,CEN,-5.00,,,\n"
        "scc,2024/25,PLN,-5.00,net,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        import_spend(place, f)
    got = [(p.row, p.column) for p in e.value.problems]
    # a negative gross amount is refused; a negative net one is what a return publishes
    assert got == [(2, "basis"), (3, "account"), (4, "fees_and_charges_gbp"), (5, "amount_gbp")]
    assert place.con.execute("SELECT count(*) FROM spend_lines").fetchone() == (0,)


def test_capital_lines_are_shown_apart(place: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "cap.csv"
    f.write_text(
        "partner,year,service,amount_gbp,account\n"
        "scc,2024/25,ASC,1000.00,revenue\n"
        "scc,2024/25,HTS,700.00,capital\n"
        "tam,2024/25,ENV,300.00,\n",
        encoding="utf-8",
    )
    import_spend(place, f)
    m = consolidate(duckdb_tables(place), "2024/25", "partner")
    assert (m.total_gbp, m.capital_gbp, m.combined_gbp) == (D("1300.00"), D("700.00"), D("2000.00"))
    res = CliRunner().invoke(app, ["spend", "map", "--by", "partner", "-w", str(place.path)])
    assert res.exit_code == 0, res.output
    assert "Revenue £1,300.00 and capital £700.00 are shown apart; combined £2,000.00" in " ".join(
        res.output.split()
    )
    data = json.loads(
        CliRunner()
        .invoke(app, ["spend", "map", "--by", "partner", "--json", "-w", str(place.path)])
        .output
    )
    assert (data["total_gbp"], data["capital_gbp"], data["combined_gbp"]) == (
        "1300.00",
        "700.00",
        "2000.00",
    )


def test_report_shows_bases_warnings_and_capital(place: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "lines.csv"
    f.write_text(
        "partner,year,service,amount_gbp,basis,account,counterparty,other_income_gbp\n"
        "scc,2024/25,ASC,1000.00,net,,,250.00\n"
        "icb,2024/25,NHS.ACUTE,5000.00,gross,,,\n"
        "icb,2024/25,NHS.COMMUNITY,100.00,gross,,scc,\n"
        "scc,2024/25,HTS,700.00,gross,capital,,\n",
        encoding="utf-8",
    )
    import_spend(place, f)
    data = gather(place, "2024/25")
    html = html_text(data)
    assert 'id="basis-table"' in html and 'id="not-eliminated"' in html
    assert "Bases are mixed" in html and 'id="capital-table"' in html
    assert "£1,250.00" in html  # the county's gross: 1,000 net + 250 other income
    out = write_xlsx(data, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(out)
    rows = list(book["Basis"].iter_rows(values_only=True))
    scc = next(r for r in rows if r and r[0] == "scc")
    assert scc[2:7] == ("net current expenditure", 1000, 250, 1250, 1000)
    pairs = {r[0]: r[1] for r in book["Reconciliation"].iter_rows(values_only=True) if r[0]}
    assert pairs["Capital: consolidated £"] == 700
    # revenue 1,000 + 5,000 + 100 (paid to the net county: kept), and capital 700
    assert pairs["Revenue and capital combined £"] == 6800
