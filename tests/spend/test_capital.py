"""Issue 10: capital outturn (COR B) and estimates (CER B), imported as capital lines and
shown beside the revenue total, never in it. Expected figures are read from the published
workbooks here, by their column codes, not by the importer under test."""

from __future__ import annotations

import json
import warnings
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.engine import duckdb_tables
from wholeplace.errors import InputError
from wholeplace.partners import Partner, upsert
from wholeplace.spend import import_spend
from wholeplace.spend.capital import import_capital, read_capital
from wholeplace.spend.consolidate import consolidate
from wholeplace.workspace import Workspace

D = Decimal
COR = "capital-outturn/COR_2018-19_outputs_COR_B.xlsx"
CER = "capital-outturn/CER_2020-21_B_financing.xlsx"


def published(path: Path) -> dict[str, object]:
    """Column FIN1-fingrandtot-amt by LGF code, and the England row's, straight off the sheet."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the published file's print-area names
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(book["Financing"].iter_rows(values_only=True))
    book.close()
    col = rows[0].index("FIN1-fingrandtot-amt")
    out: dict[str, object] = {str(r[0]): r[col] for r in rows[5:] if r[0]}
    out["England"] = next(r[col] for r in rows if r[2] == "England")
    return out


@pytest.fixture
def place(ws: Workspace) -> Workspace:
    with ws.write("test partners"):
        upsert(ws, [Partner("scc", "Staffordshire County Council", "county council", "C", "LG")])
    return ws


def test_outturn_reads_every_authority_to_the_england_total(reference: Path) -> None:
    wb = read_capital(reference / COR)
    cells = published(reference / COR)
    assert (wb.year, wb.forecast, len(wb.authorities)) == ("2018/19", False, 443)
    staffs = wb.find("E10000028")
    assert staffs.total_gbp == D(str(cells["E3421"])) * 1000 == D("95392160.00")
    # the authorities add up to the published England figure, to the penny
    total = sum((a.total_gbp for a in wb.authorities), D(0))
    assert total == D(str(cells["England"])) * 1000 == D("27267934922.36")


def test_estimates_are_a_forecast_with_two_returns_missing(reference: Path) -> None:
    wb = read_capital(reference / CER)
    cells = published(reference / CER)
    missing = sorted(k for k, v in cells.items() if v == ":")
    assert (wb.year, wb.forecast) == ("2020/21", True)
    # "derived from valid CER returns submitted by 429 of 431 eligible local authorities"
    assert len(wb.authorities) == 429 and len(wb.not_published) == 2 == len(missing)


def test_capital_lines_sit_beside_the_revenue_lines(
    place: Workspace, reference: Path, tmp_path: Path
) -> None:
    rev = tmp_path / "rev.csv"
    rev.write_text(
        "partner,year,service,amount_gbp,basis\nscc,2018/19,ASC,250000000.00,net\n",
        encoding="utf-8",
    )
    import_spend(place, rev)
    res = import_capital(place, reference / COR, authority="E3421", partner="scc")
    assert res.written.total_gbp == D("95392160.00")
    got = place.con.execute(
        "SELECT service, account, basis, amount_gbp, is_estimate FROM spend_lines ORDER BY 2"
    ).fetchall()
    assert got == [
        ("CAPEX", "capital", "gross", D("95392160.00"), False),
        ("ASC", "revenue", "net", D("250000000.00"), False),
    ]
    m = consolidate(duckdb_tables(place), "2018/19", "service")
    assert (m.total_gbp, m.capital_gbp, m.combined_gbp) == (
        D("250000000.00"),
        D("95392160.00"),
        D("345392160.00"),
    )
    assert [(r.key, r.amount_gbp, r.capital_gbp) for r in m.rows] == [
        ("ASC", D("250000000.00"), D("0.00")),
        ("CAPEX", D("0.00"), D("95392160.00")),
    ]
    # re-importing the revenue file leaves the capital line alone
    import_spend(place, rev)
    assert place.con.execute("SELECT count(*) FROM spend_lines").fetchone() == (2,)


def test_cli_imports_a_forecast_as_estimates(place: Workspace, reference: Path) -> None:
    path = place.path
    place.close()
    out = CliRunner().invoke(
        app,
        ["spend", "import-capital", str(reference / CER), "--authority", "E10000028"]
        + ["--partner", "scc", "-w", str(path), "--json"],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert (data["year"], data["forecast"], data["capital_gbp"]) == (
        "2020/21",
        True,
        str(D(str(published(reference / CER)["E3421"])) * 1000) + ".00",
    )
    w = Workspace.open(path)
    ((est, method),) = w.con.execute(
        "SELECT is_estimate, estimate_method FROM spend_lines"
    ).fetchall()
    assert est and "forecast" in method
    w.close()


def test_wrong_files_are_refused_with_the_fix(
    place: Workspace, tmp_path: Path, reference: Path
) -> None:
    other = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.save(other)
    with pytest.raises(InputError) as e:
        import_capital(place, other, authority="E3421", partner="scc")
    assert "COR B" in e.value.problems[0].fix
    with pytest.raises(InputError) as e:
        import_capital(place, reference / COR, authority="E9999", partner="scc")
    assert "LGF code" in e.value.problems[0].fix
    res = CliRunner().invoke(
        app, ["spend", "import-capital", str(other), "--all", "-w", str(place.path)]
    )
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert place.con.execute("SELECT count(*) FROM spend_lines").fetchone() == (0,)
