"""docs/national.md's worked example, run for real and compared with the numbers it shows."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from wholeplace.engine import duckdb_tables
from wholeplace.money import to_money
from wholeplace.partners import Partner, import_partners, upsert
from wholeplace.spend.capital import import_capital, read_capital
from wholeplace.spend.consolidate import consolidate
from wholeplace.spend.estimate import estimate_from_cra
from wholeplace.spend.outturn import SOCIAL_CARE_SPLIT, import_outturn
from wholeplace.spend.transactions import import_transactions
from wholeplace.workspace import Workspace

DOC = Path(__file__).resolve().parents[2] / "docs" / "national.md"
RS1415 = "revenue-outturn-rs/Revenue_Outturn_Summary__RS__data_2014-15_by_LA_-_02-Feb-2016.xls"
CRA = "hmt-cra-pesa/CRA_2018_Database_for_Publication_rvsd.xlsx"


def money(s: str) -> Decimal:
    return Decimal(s.replace("*", "").replace(",", "").replace("£", "").strip())


def section(doc: str, name: str) -> str:
    return doc.split(f"<!-- expect: {name} -->")[1].split("\n\n")[0]


def table(doc: str, name: str) -> list[tuple[str, Decimal]]:
    lines = section(doc, name).strip().splitlines()[2:]
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
    return [(c[0].replace("*", ""), money(c[1])) for c in cells]


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture
def valeshire(doc: str, tmp_path: Path) -> tuple[Workspace, Path]:
    files = dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", doc, re.S))
    assert set(files) == {"partners.csv", "payments.csv", "map.csv"}
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    # as the doc says: Windows-1252 with CR-only line endings
    raw = files["payments.csv"].replace("\n", "\r").encode("cp1252")
    (tmp_path / "payments.csv").write_bytes(raw)
    ws = Workspace.create(tmp_path / "valeshire", "Valeshire", population=1_000_000)
    import_partners(ws, tmp_path / "partners.csv")
    yield ws, tmp_path
    ws.close()


def test_transactions_example(doc: str, valeshire) -> None:
    ws, d = valeshire
    (r,) = import_transactions(ws, [d / "payments.csv"], partner="vale", mapping=d / "map.csv")
    text = section(doc, "import")
    m = re.search(r"(\d+) payments, £([\d,.]+) \((\S+); (\S+)\)", text)
    assert m is not None
    assert (int(m[1]), money(m[2]), m[3], m[4]) == (r.rows, r.total_gbp, r.years[0], r.encoding)
    assert f"line(s): {r.skipped['total row'][0]}" in text
    assert money(re.search(r"other partners of the place: £([\d,.]+)", text)[1]) == (
        r.to_partners_gbp
    )
    unmapped = re.findall(r"(\w+) / (\w+) / (\w+) (\d+) rows? (-?)£([\d,.]+)", text)
    assert [(a, b, c, int(n), (-1 if s else 1) * money(v)) for a, b, c, n, s, v in unmapped] == [
        (u.department, u.service_area, u.expense_type, u.rows, u.amount_gbp) for u in r.unmapped
    ]
    sm = consolidate(duckdb_tables(ws), "2024/25", "service")
    rows = table(doc, "map 2024/25")
    assert rows[:-1] == [(x.label, x.amount_gbp) for x in sm.rows]
    assert rows[-1] == ("Total", sm.total_gbp)
    rec = re.findall(r"£([\d,]+\.\d\d)", doc.split(section(doc, "map 2024/25"))[1][:200])
    assert [money(x) for x in rec] == [
        sm.reconciliation.imported_gbp,
        sm.reconciliation.consolidated_gbp,
        sm.reconciliation.eliminated_gbp,
    ]
    again = import_transactions(ws, [d / "payments.csv"], partner="vale")[0]
    assert again.status == "duplicate"


def test_outturn_example(doc: str, valeshire, reference: Path) -> None:
    ws, _ = valeshire
    with ws.write("add"):
        upsert(ws, [Partner("staffs", "Staffordshire CC", "county council", "County", "LG")])
    import_outturn(ws, reference / RS1415, authority="E10000028", partner="staffs")
    sm = consolidate(duckdb_tables(ws), "2014/15", "service")
    rows = table(doc, "outturn 2014/15")
    assert rows[:-1] == [(x.label, x.amount_gbp) for x in sm.rows]
    assert rows[-1] == ("Total", sm.total_gbp)
    # the grants the page quotes are the ones stored as the county's income
    (b,) = [b for b in sm.bases if b.partner == "staffs"]
    grants = ws.con.execute(
        "SELECT amount_gbp FROM spend_income WHERE partner = 'staffs' ORDER BY source_service"
    ).fetchall()
    k = [a / 1000 for (a,) in grants]  # inside AEF, outside AEF
    assert f"£{k[0]:,.0f} thousand\nand £{k[1]:,.0f} thousand" in doc
    assert b.basis == "net" and b.grants_gbp == sum(a for (a,) in grants)


def test_social_care_shares_in_doc(doc: str) -> None:
    def pct(cls: str) -> str:
        c, a = SOCIAL_CARE_SPLIT[cls]
        return f"{c / (c + a):.1%}"

    assert f"London boroughs {pct('L')} children's" in doc
    assert f"metropolitan\ndistricts {pct('MD')}" in doc
    assert f"unitaries {pct('UA')}, shire counties {pct('SC')}" in doc
    assert f"England's {pct('ENGLAND')}" in doc


def test_estimate_example(doc: str, valeshire, reference: Path) -> None:
    ws, _ = valeshire
    (e,) = estimate_from_cra(
        ws,
        reference / CRA,
        partner="dwp",
        region="West Midlands",
        functions=["10"],
        year="2017/18",
        region_driver=5_900_000,
    )
    text = section(doc, "estimate")
    m = re.search(r"£([\d,.]+)m in West Midlands x ([\d.]+)% = £([\d,.]+)", text)
    assert m is not None
    assert money(m[1]) == (e.total.amount_gbp / 1_000_000).quantize(Decimal("0.1"))
    assert Decimal(m[2]) == (e.share * 100).quantize(Decimal("0.0001"))
    assert money(m[3]) == e.amount_gbp
    assert "Department for Work and Pensions, 10. Social protection 2017/18, current:" in text
    # Issue 10: the figure is DWP's own current rows of the CRA, summed here straight from
    # the sheet by column position, not by the reader under test.
    book = openpyxl.load_workbook(reference / CRA, read_only=True)
    dwp_k = other_k = hmrc_k = dwp_cap_k = Decimal(0)
    for r in book["CRA 2018 database"].iter_rows(min_row=2, values_only=True):
        if r[12] != "ENGLAND_West Midlands" or r[4] != "10. Social protection":
            continue
        if r[10] not in ("CG", "PC"):
            continue
        if r[0] == "Department for Work and Pensions" and r[9] == "CUR":
            dwp_k += Decimal(r[18] or 0)
        else:
            other_k += Decimal(r[18] or 0)
        if r[0] == "HM Revenue and Customs" and r[9] == "CUR":
            hmrc_k += Decimal(r[18] or 0)
        if r[0] == "Department for Work and Pensions" and r[9] == "CAP":
            dwp_cap_k += Decimal(r[18] or 0)
    book.close()
    assert e.total.amount_gbp == dwp_k * 1000
    assert f"£{dwp_k:,} thousand" in doc
    assert money(m[3]) == to_money(dwp_k * 1000 * 1_000_000 / 5_900_000)
    # the "changed because" note: the old figure and how much too high it was
    old = dwp_k + other_k
    assert f"£{old / 1000:,.1f}m" in doc
    assert f"{round((old / dwp_k - 1) * 100)} % too high" in doc
    assert f"HMRC's tax credits (£{hmrc_k / 1000:,.1f}m here)" in doc
    assert doc.count(f"(£{dwp_cap_k / 1000:,.1f}m)") == 1
    assert f"West Midlands in 2017/18 is £{dwp_cap_k / 1000:,.1f}m" in doc


COR = "capital-outturn/COR_2018-19_outputs_COR_B.xlsx"


def test_capital_example(doc: str, valeshire, reference: Path) -> None:
    ws, _ = valeshire
    with ws.write("add"):
        upsert(ws, [Partner("staffs", "Staffordshire CC", "county council", "County", "LG")])
    res = import_capital(ws, reference / COR, authority="E10000028", partner="staffs")
    text = section(doc, "capital")
    m = re.search(r"(\d{4}/\d{2}) capital outturn of (\w+): (\d+) lines, £([\d,.]+)", text)
    assert m is not None
    assert (m[1], m[2], int(m[3]), money(m[4])) == (
        res.year,
        res.authorities[0].name,
        res.written.rows,
        res.written.total_gbp,
    )
    assert f"{res.written.total_gbp / 1000:,.2f} £ thousand" in doc
    wb = read_capital(reference / COR)
    every = sum((a.total_gbp for a in wb.authorities), Decimal(0))
    assert f"every authority ({len(wb.authorities)} in 2018-19" in doc
    assert f"the England row, £{every:,.2f})" in doc
