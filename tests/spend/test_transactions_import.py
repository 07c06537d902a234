"""The "spend over £500" importer: real published files and every messy case by design.

Row counts come from the reference folders' SOURCES.md (rows including the header,
counted independently of this code); amounts are read off the files by eye.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wholeplace.spend.transactions as txmod
import wholeplace.spend.transactions.staging as staging
from wholeplace.engine import duckdb_tables
from wholeplace.errors import InputError
from wholeplace.money import parse_amount
from wholeplace.partners import Partner, upsert
from wholeplace.spend.consolidate import consolidate
from wholeplace.spend.transactions import (
    TransactionMapping,
    import_transactions,
    parse_values,
    payments_between_partners,
    read_transaction_mapping,
    shared_suppliers,
    top_suppliers,
    unmapped_report,
)
from wholeplace.workspace import Workspace

HYN = "spend-over-500/hyndburn-raw"
ODI = "spend-over-500/odileeds-clean"
PF = "police-fire-spend"


@pytest.fixture
def place(ws: Workspace) -> Workspace:
    with ws.write("test partners"):
        upsert(
            ws,
            [
                Partner("hbc", "Hyndburn Borough Council", "district", "Districts", "LG"),
                Partner("lcc", "Lancashire County Council", "county council", "County", "LG"),
                Partner("fire", "Lancashire Fire and Rescue", "fire", "Fire", "Fire"),
                Partner("pcc", "Lancashire PCC", "police", "Police", "Police"),
                Partner("man", "Manchester City Council", "unitary", "Unitary", "LG"),
            ],
        )
    return ws


def tx_rows(ws: Workspace, where: str = "true") -> list[tuple]:
    return ws.con.execute(
        f"SELECT source_row, paid_on, amount_gbp, supplier FROM transactions WHERE {where} "
        "ORDER BY sheet, source_row"
    ).fetchall()


# -- real files ------------------------------------------------------------------------

# SOURCES.md "rows (non-blank, incl. header)"; the 2025-03 file has its header at the
# bottom, so all of its counted rows but that one are data.
HYNDBURN = {
    "hyndburn_2017-01_1701.csv": 180,
    "hyndburn_2019-04_1904.csv": 222,
    "hyndburn_2020-03_March-2020-csv.csv": 281,
    "hyndburn_2021-05_pcard_CALL51683-May-21-250.csv": 237,
    "hyndburn_2022-03_HBC-Spend-OVER-250.00-Mar-22.csv": 374,
    "hyndburn_2024-02_SpendOver250Feb24.csv": 569,
    "hyndburn_2025-03_March-25-CSV.csv": 888,
    "hyndburn_2026-01_January-26-CSV.csv": 446,
}


def test_every_raw_hyndburn_file(place: Workspace, reference: Path) -> None:
    files = [reference / HYN / f for f in HYNDBURN]
    res = import_transactions(place, files, partner="hbc")
    assert {r.file: r.rows for r in res} == HYNDBURN
    assert all(r.status == "imported" and r.encoding == "cp1252" for r in res)
    stored = place.con.execute("SELECT count(*) FROM transactions").fetchone()[0]
    assert stored == sum(HYNDBURN.values())


def test_cr_only_line_endings(place: Workspace, reference: Path) -> None:
    (r,) = import_transactions(
        place, [reference / HYN / "hyndburn_2019-04_1904.csv"], partner="hbc"
    )
    assert r.rows == 222
    rows = tx_rows(place)
    # line 2 of the file: MORGAN HUNT UK LTD, 03/04/2019, 381.90
    assert rows[0] == (2, date(2019, 4, 3), Decimal("381.90"), "MORGAN HUNT UK LTD")


def test_header_below_an_all_comma_row_and_quoted_thousands(
    place: Workspace, reference: Path
) -> None:
    import_transactions(
        place, [reference / HYN / "hyndburn_2024-02_SpendOver250Feb24.csv"], partner="hbc"
    )
    first = tx_rows(place)[0]
    # CRLF file: the all-comma row is line 1, the header line 2, the first payment line 3
    assert first == (3, date(2024, 1, 15), Decimal("2900.00"), "ICO")


def test_no_header_on_top_and_trailing_minus_credits(place: Workspace, reference: Path) -> None:
    (r,) = import_transactions(
        place, [reference / HYN / "hyndburn_2025-03_March-25-CSV.csv"], partner="hbc"
    )
    assert r.skipped == {"repeated header": [983]}
    row = tx_rows(place, "source_row = 532")
    # "LCC Ctax deficit 23/24 ... 25/03/2025, "106,396.00-"" : a credit written SAP-style
    assert row == [
        (
            532,
            date(2025, 3, 25),
            Decimal("-106396.00"),
            "Lancashire County Council (Direct Debit Payments)",
        )
    ]
    assert r.credits_gbp < 0


def test_two_digit_years_and_month_names(place: Workspace, reference: Path) -> None:
    import_transactions(
        place,
        [
            reference / HYN / "hyndburn_2026-01_January-26-CSV.csv",
            reference / HYN / "hyndburn_2022-03_HBC-Spend-OVER-250.00-Mar-22.csv",
        ],
        partner="hbc",
    )
    got = place.con.execute(
        "SELECT min(paid_on), max(paid_on), count(DISTINCT year) FROM transactions"
    ).fetchone()
    assert got == (date(2022, 3, 1), date(2026, 1, 29), 2)  # 01-Mar-22 ... 29/01/26


def test_clean_files_of_seven_councils(place: Workspace, reference: Path) -> None:
    expected = {  # SOURCES.md rows incl. header, minus the header
        "calderdale_2019-03_clean.csv": 2005,
        "darlington_2019-03_clean.csv": 2157,
        "gateshead_2019-03_clean.csv": 9295,
        "harrogate_2019-03_clean.csv": 2082,
        "manchester_2019-03_clean.csv": 3755,
        "newcastle_2019-03_clean.csv": 5889,
        "salford_2019-03_clean.csv": 1652,
    }
    res = import_transactions(place, [reference / ODI / f for f in expected], partner="man")
    assert {r.file: r.rows for r in res} == expected
    # layout changes between councils: each file's own supplier column was found
    # row numbers are the file's lines, even for a clean file DuckDB reads in parallel
    lines = (reference / ODI / "newcastle_2019-03_clean.csv").read_text("utf-8").splitlines()
    for n in (2, 3001, 5890):
        supplier, amount = lines[n - 1].split(",")[4], lines[n - 1].split(",")[-1]
        got = place.con.execute(
            "SELECT supplier, amount_gbp FROM transactions t JOIN transaction_files f "
            "USING (file_id) WHERE f.file LIKE '%newcastle%' AND source_row = ?",
            [n],
        ).fetchall()
        assert got == [(supplier, Decimal(amount))], n
    layouts = {r.file: r.layout["supplier"] for r in res}
    assert layouts["harrogate_2019-03_clean.csv"] == "Supplier Name(T)"
    assert layouts["salford_2019-03_clean.csv"] == "Supplier Name"


def test_police_workbook_twelve_monthly_sheets(place: Workspace, reference: Path) -> None:
    (r,) = import_transactions(
        place, [reference / PF / "lancashire_pcc_2023-24_transparency.xlsx"], partner="pcc"
    )
    assert r.rows == 9289  # SOURCES.md: 9,289 in total over 12 sheets
    sheets = place.con.execute("SELECT count(DISTINCT sheet) FROM transactions").fetchone()
    assert sheets == (12,)
    # Apr sheet row 2: Computer Software, 2023-04-01, 22000, NCC GROUP SECURITY SERVICES LTD
    assert tx_rows(place, "sheet = 'Apr' AND source_row = 2") == [
        (2, date(2023, 4, 1), Decimal("22000.00"), "NCC GROUP SECURITY SERVICES LTD")
    ]
    # some dates are stored as Excel serial days (45044 = 2023-04-28)
    bad = place.con.execute("SELECT count(*) FROM transactions WHERE paid_on IS NULL").fetchone()
    assert bad == (0,)


def test_fire_payments_to_the_county_feed_eliminations(place: Workspace, reference: Path) -> None:
    (r,) = import_transactions(
        place, [reference / PF / "lancashire_fire_2023-24_transparency.xlsx"], partner="fire"
    )
    assert r.rows == 6999
    assert abs(r.total_gbp - Decimal("24.5e6")) < Decimal("0.05e6")  # SOURCES.md: £24.5m

    def paid_to(name: str) -> Decimal:
        return place.con.execute(
            "SELECT sum(amount_gbp) FROM transactions WHERE lower(supplier) = ? "
            "AND year = '2023/24'",
            [name],
        ).fetchone()[0]

    paid = paid_to("lancashire county council")
    to_hbc = paid_to("hyndburn borough council")  # the fire service pays the district too
    assert paid > 0 and to_hbc > 0
    m = consolidate(duckdb_tables(place), "2023/24", "partner")
    assert m.reconciliation.holds
    assert m.eliminated_gbp == paid + to_hbc
    assert {e.payee: e.amount_gbp for e in m.eliminations} == {"lcc": paid, "hbc": to_hbc}
    e = payments_between_partners(place.ibis.table("transactions"), place.ibis.table("partners"))
    got = {(x["payer"], x["payee"], x["year"]): x["amount_gbp"] for x in e.to_pyarrow().to_pylist()}
    assert got[("fire", "lcc", "2023/24")] == paid


# -- messy files made to order ---------------------------------------------------------

MESSY = (
    "Spend over £500: Vale District Council\r"
    "Published 3 April 2025\r"
    "\r"
    "Directorate,Service Area,Expense Type,Supplier Name,Payment Date,Net Amount (£)\r"
    'Adults,Adult Social Care,Care homes,Sunny Care Ltd,03/04/2024,"£1,234.50"\r'
    "\r"
    "Place,Waste,Vehicles,Big Trucks PLC,4-Apr-24,(250.00)\r"
    "Place,Waste,Fuel,Big Trucks PLC,2024-04-05,-99.99\r"
    "Place,Parks,Trees,Café Verde,06/04/24,500 CR\r"
    'Resources,Finance,Audit,"Smith, Jones & Co",31/03/2025,"12,000"\r'
    ",,,,,\r"
    ',,,TOTAL,,"13,384.51"\r'
)


def write(path: Path, text: str, enc: str = "cp1252") -> Path:
    path.write_bytes(text.encode(enc))
    return path


def test_messy_file_windows_1252_cr_only_title_rows_credits_and_total(
    place: Workspace, tmp_path: Path
) -> None:
    f = write(tmp_path / "vale.csv", MESSY)
    (r,) = import_transactions(place, [f], partner="hbc")
    assert r.encoding == "cp1252"
    assert r.rows == 5
    assert r.skipped == {"total row": [12]}
    assert tx_rows(place) == [
        (5, date(2024, 4, 3), Decimal("1234.50"), "Sunny Care Ltd"),
        (7, date(2024, 4, 4), Decimal("-250.00"), "Big Trucks PLC"),
        (8, date(2024, 4, 5), Decimal("-99.99"), "Big Trucks PLC"),
        (9, date(2024, 4, 6), Decimal("-500.00"), "Café Verde"),
        (10, date(2025, 3, 31), Decimal("12000.00"), "Smith, Jones & Co"),
    ]
    assert r.total_gbp == Decimal("1234.50") - 250 - Decimal("99.99") - 500 + 12000
    assert r.years == ["2024/25"]


def test_chunk_boundaries_do_not_split_crlf_or_quotes(
    place: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = MESSY.replace("\r", "\r\n").replace('"Smith, Jones & Co"', '"Smith,\r\nJones & Co"')
    f = write(tmp_path / "vale.csv", text)
    monkeypatch.setattr(staging, "_CHUNK", 7)  # break the file every 7 bytes
    (r,) = import_transactions(place, [f], partner="hbc")
    assert r.rows == 5
    assert tx_rows(place)[-1] == (10, date(2025, 3, 31), Decimal("12000.00"), "Smith,\nJones & Co")


def test_every_bad_row_is_reported_and_nothing_written(place: Workspace, tmp_path: Path) -> None:
    f = write(
        tmp_path / "bad.csv",
        "Supplier Name,Payment Date,Net Amount,Service Area\n"
        "A Ltd,01/04/2024,100.00,Waste\n"
        "B Ltd,31/02/2024,100.00,Waste\n"  # line 3: no 31 February
        "C Ltd,01/04/2024,12abc,Waste\n"  # line 4: not money
        "D Ltd,,100.00,Waste\n"  # line 5: missing date
        "E Ltd,02/04/2024,,Waste\n",  # line 6: missing amount
        "utf-8",
    )
    with pytest.raises(InputError) as e:
        import_transactions(place, [f], partner="hbc")
    got = [(p.row, p.column, p.value) for p in e.value.problems]
    assert got == [
        (3, "date", "31/02/2024"),
        (4, "amount", "12abc"),
        (5, "date", ""),
        (6, "amount", ""),
    ]
    assert place.con.execute("SELECT count(*) FROM transactions").fetchone() == (0,)
    assert place.con.execute("SELECT count(*) FROM transaction_files").fetchone() == (0,)


def test_file_without_header_needs_columns(place: Workspace, tmp_path: Path) -> None:
    f = write(
        tmp_path / "nohead.csv",
        'Waste,Big Trucks PLC,01/05/2024,1000.00\nParks,Tree Co,02/05/2024,"2,000.00"\n',
        "utf-8",
    )
    with pytest.raises(InputError) as e:
        import_transactions(place, [f], partner="hbc")
    assert "--columns" in e.value.problems[0].fix
    (r,) = import_transactions(
        place, [f], partner="hbc", columns=["service_area", "supplier", "date", "amount"]
    )
    assert r.rows == 2 and r.total_gbp == Decimal("3000.00")
    assert tx_rows(place)[0] == (1, date(2024, 5, 1), Decimal("1000.00"), "Big Trucks PLC")


def test_duplicate_files_are_skipped_with_a_message(place: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "vale.csv", MESSY)
    same_rows = write(tmp_path / "vale-copy.csv", MESSY.replace("\r", "\n"))
    first, again, copy = import_transactions(place, [f, f, same_rows], partner="hbc")
    assert first.status == "imported"
    assert again.status == "duplicate" and "checksum" in again.message
    assert copy.status == "duplicate" and "same 5 rows" in copy.message
    assert place.con.execute("SELECT count(*) FROM transactions").fetchone() == (5,)


# -- mapping, spend lines, suppliers ---------------------------------------------------


def test_mapping_assigns_service_with_report_of_unmapped(place: Workspace, tmp_path: Path) -> None:
    m = write(
        tmp_path / "map.csv",
        "department,service_area,expense_type,service,customer_group\n"
        "Place,Waste,,ENV,\n"
        "Place,Waste,Fuel,HTS,\n"  # more specific: wins for fuel
        ",Finance,,CEN,\n",
        "utf-8",
    )
    f = write(tmp_path / "vale.csv", MESSY)
    (r,) = import_transactions(place, [f], partner="hbc", mapping=m)
    got = dict(
        place.con.execute("SELECT source_row, service FROM transactions ORDER BY 1").fetchall()
    )
    # Adult Social Care maps by its taxonomy name, without a rule
    assert got == {5: "ASC", 7: "ENV", 8: "HTS", 9: "OTH", 10: "CEN"}
    assert [(u.service_area, u.rows, u.amount_gbp) for u in r.unmapped] == [
        ("Parks", 1, Decimal("-500.00"))
    ]
    assert [(u.service_area, u.rows) for u in unmapped_report(place)] == [("Parks", 1)]
    lines = dict(
        place.con.execute(
            "SELECT service, amount_gbp FROM spend_lines WHERE partner = 'hbc'"
        ).fetchall()
    )
    assert lines == {
        "ASC": Decimal("1234.50"),
        "ENV": Decimal("-250.00"),
        "HTS": Decimal("-99.99"),
        "OTH": Decimal("-500.00"),
        "CEN": Decimal("12000.00"),
    }
    with pytest.raises(InputError) as e:
        import_transactions(
            place,
            [write(tmp_path / "v2.csv", MESSY.replace("Café", "Cafe"))],
            partner="hbc",
            mapping=m,
            strict=True,
        )
    assert "1 rows, £-500.00" in e.value.problems[0].message


def test_bad_mapping_file(tmp_path: Path) -> None:
    m = write(tmp_path / "map.csv", "service_area,service\nWaste,Rubbish\n,ENV\n", "utf-8")
    with pytest.raises(InputError) as e:
        read_transaction_mapping(m)
    assert [(p.row, p.column) for p in e.value.problems] == [(2, "service"), (3, "department")]


def test_spend_lines_sum_the_transactions_to_the_penny(place: Workspace, reference: Path) -> None:
    import_transactions(place, [reference / ODI / "manchester_2019-03_clean.csv"], partner="man")
    tx = place.con.execute("SELECT sum(amount_gbp) FROM transactions").fetchone()[0]
    sl = place.con.execute(
        "SELECT sum(amount_gbp) FROM spend_lines WHERE partner = 'man'"
    ).fetchone()[0]
    assert tx == sl
    m = consolidate(duckdb_tables(place), "2018/19", "service")
    asc = next(r for r in m.rows if r.key == "ASC")
    direct = place.con.execute(
        "SELECT sum(amount_gbp) FROM transactions WHERE service_area = 'Adult Social Care'"
    ).fetchone()[0]
    assert asc.amount_gbp == direct


def test_supplier_analysis(place: Workspace, tmp_path: Path) -> None:
    a = write(
        tmp_path / "a.csv",
        "Supplier Name,Payment Date,Net Amount\n"
        "Big Trucks Ltd,01/04/2024,100\nBig Trucks Limited,02/04/2024,50\nSolo Co,01/04/2024,999\n",
        "utf-8",
    )
    b = write(
        tmp_path / "b.csv",
        "Supplier Name,Payment Date,Net Amount\nBIG TRUCKS LTD.,03/04/2024,25\n"
        "Hyndburn Borough Council,03/04/2024,70\n",
        "utf-8",
    )
    import_transactions(place, [a], partner="hbc", mapping=TransactionMapping.empty())
    import_transactions(place, [b], partner="lcc")
    tx = place.ibis.table("transactions")
    shared = shared_suppliers(tx).to_pyarrow().to_pylist()
    assert [(s["supplier_key"], s["partners"], s["amount_gbp"]) for s in shared] == [
        ("BIG TRUCKS", 2, Decimal("175.00"))
    ]
    top = top_suppliers(tx, "2024/25", n=2).to_pyarrow().to_pylist()
    assert [t["supplier_key"] for t in top] == ["SOLO CO", "BIG TRUCKS"]
    pay = payments_between_partners(tx, place.ibis.table("partners")).to_pyarrow().to_pylist()
    assert [(p["payer"], p["payee"], p["amount_gbp"]) for p in pay] == [
        ("lcc", "hbc", Decimal("70.00"))
    ]


# -- the parsers agree with the rest of wholeplace ------------------------------------

_con = duckdb.connect()


@settings(max_examples=60, deadline=None)
@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.sampled_from(["plain", "pound", "commas", "brackets", "cr", "trailing"]),
)
def test_amount_sql_agrees_with_money_parse_amount(value: Decimal, style: str) -> None:
    a = abs(value)
    body = {
        "plain": f"{a}",
        "pound": f"£{a}",
        "commas": f"{a:,}",
        "brackets": f"£{a:,}",
        "cr": f"{a:,}",
        "trailing": f"{a:,}",
    }[style]
    neg = value < 0
    if neg:
        body = {"brackets": f"({body})", "cr": f"{body} CR", "trailing": f"{body}-"}.get(
            style, "-" + body
        )
    ((_, got),) = parse_values(_con, [("01/04/2024", body)])
    assert got == parse_amount(body) == value


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2060, 12, 31)))
def test_dates_in_council_formats(d: date) -> None:
    texts = [
        d.strftime("%d/%m/%Y"),
        d.strftime("%d-%b-%Y"),
        d.isoformat(),
        f"{d.day}.{d.month}.{d.year}",
        d.strftime("%d %B %Y"),
    ]
    if 2000 <= d.year < 2069:
        texts += [d.strftime("%d/%m/%y"), d.strftime("%d-%b-%y")]
    got = parse_values(_con, [(t, "1") for t in texts])
    assert [g[0] for g in got] == [d] * len(texts)


def test_national_file_with_a_partner_column(place: Workspace, tmp_path: Path) -> None:
    body = (
        "partner,Supplier Name,Payment Date,Net Amount,Service Area\n"
        "hbc,A Ltd,01/04/2024,100.00,Adult Social Care\n"
        "lcc,Hyndburn Borough Council,02/04/2024,40.00,Adult Social Care\n"
        "lcc,B Ltd,03/03/2025,60.00,Education services\n"
    )
    bad = write(tmp_path / "bad.csv", body + "xx,C Ltd,01/04/2024,1.00,Waste\n", "utf-8")
    with pytest.raises(InputError) as e:
        import_transactions(place, [bad], partner=None)
    assert [(p.row, p.column, p.value) for p in e.value.problems] == [(5, "partner", "xx")]
    (r,) = import_transactions(place, [write(tmp_path / "all.csv", body, "utf-8")], partner=None)
    assert r.rows == 3 and r.to_partners_gbp == Decimal("40.00")
    got = place.con.execute(
        "SELECT partner, service, amount_gbp, counterparty FROM spend_lines ORDER BY 1, 2"
    ).fetchall()
    assert got == [
        ("hbc", "ASC", Decimal("100.00"), None),
        ("lcc", "ASC", Decimal("40.00"), "hbc"),
        ("lcc", "EDU", Decimal("60.00"), None),
    ]
    nohead = write(
        tmp_path / "nopartner.csv",
        "Supplier Name,Payment Date,Net Amount\nA,01/04/2024,1\n",
        "utf-8",
    )
    with pytest.raises(InputError) as e:
        import_transactions(place, [nohead], partner=None)
    assert "--partner" in e.value.problems[0].fix


def test_quoted_line_break_in_a_utf8_file_keeps_line_numbers(
    place: Workspace, tmp_path: Path
) -> None:
    f = write(
        tmp_path / "q.csv",
        "Supplier Name,Payment Date,Net Amount,Description\n"
        'A Ltd,01/04/2024,1.00,"two\nlines"\n'
        "B Ltd,02/04/2024,oops,one line\n",
        "utf-8",
    )
    with pytest.raises(InputError) as e:
        import_transactions(place, [f], partner="hbc")
    assert [(p.row, p.value) for p in e.value.problems] == [(4, "oops")]


# -- the fast path for clean UTF-8 files and the robust path agree ----------------------

CLEAN = (
    "Spend over £500: Vale District Council\n"
    "Directorate,Service Area,Expense Type,Supplier Name,Payment Date,Net Amount\n"
    "Adults,Adult Social Care,Care homes,Sunny Care Ltd,03/04/2024,1234.50\n"
    'Place,Waste,Vehicles,Big Trucks PLC,4-Apr-24,"(1,250.00)"\n'
    "Place,Waste,Fuel,Big Trucks PLC,2024-04-05,-99.99\n"
    "Directorate,Service Area,Expense Type,Supplier Name,Payment Date,Net Amount\n"
    "Place,Parks,Trees,Café Verde,06/04/24,500 CR\n"
    ",,,TOTAL,,1234.51\n"
)


def _both_paths(tmp_path: Path, text: str) -> tuple[Path, Path]:
    # LF-only UTF-8 is read by DuckDB straight from the file (line numbers from the row
    # order); the same text with CRLF endings goes through the robust, normalising path.
    fast = write(tmp_path / "fast.csv", text, "utf-8")
    robust = write(tmp_path / "robust.csv", text.replace("\n", "\r\n"), "utf-8")
    assert txmod.stage_csv(fast, tmp_path, columns=None, progress=None).prepare_sql
    assert not txmod.stage_csv(robust, tmp_path, columns=None, progress=None).prepare_sql
    return fast, robust


def test_fast_and_robust_paths_store_the_same_rows(tmp_path: Path) -> None:
    fast, robust = _both_paths(tmp_path, CLEAN)
    got = []
    for i, f in enumerate((fast, robust)):
        w = Workspace.create(tmp_path / f"ws{i}", "Vale")
        with w.write("test partners"):
            upsert(w, [Partner("hbc", "Hyndburn Borough Council", "district", "D", "LG")])
        (r,) = import_transactions(w, [f], partner="hbc")
        got.append((r.rows, r.total_gbp, r.skipped, tx_rows(w)))
        w.close()
    assert got[0] == got[1]
    rows, total, skipped, stored = got[0]
    # lines as a person sees them: title on 1, header on 2, repeated header on 6
    assert skipped == {"repeated header": [6], "total row": [8]}
    assert [(s[0], s[2]) for s in stored] == [
        (3, Decimal("1234.50")),
        (4, Decimal("-1250.00")),
        (5, Decimal("-99.99")),
        (7, Decimal("-500.00")),
    ]
    assert (rows, total) == (4, Decimal("-615.49"))


def test_fast_and_robust_paths_report_the_same_problems(tmp_path: Path) -> None:
    bad = CLEAN.replace("03/04/2024", "31/02/2024").replace("-99.99", "ninety")
    fast, robust = _both_paths(tmp_path, bad)
    seen = []
    for i, f in enumerate((fast, robust)):
        w = Workspace.create(tmp_path / f"ws{i}", "Vale")
        with w.write("test partners"):
            upsert(w, [Partner("hbc", "Hyndburn Borough Council", "district", "D", "LG")])
        with pytest.raises(InputError) as e:
            import_transactions(w, [f], partner="hbc")
        seen.append([(p.row, p.column, p.value, p.message, p.fix) for p in e.value.problems])
        assert w.con.execute("SELECT count(*) FROM transactions").fetchone()[0] == 0
        w.close()
    assert [(file_row, col, value) for file_row, col, value, *_ in seen[0]] == [
        (3, "date", "31/02/2024"),
        (5, "amount", "ninety"),
    ]
    assert seen[0] == seen[1]
