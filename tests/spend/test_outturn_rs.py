"""The Revenue Outturn Summary importer, against the workbooks as DCLG/MHCLG published them.

Expected figures are read off the published workbooks by eye (cell references given),
not from this importer's output.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from spend_helpers import add_partners
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.partners import Partner, upsert
from wholeplace.spend.outturn import import_outturn, read_workbook
from wholeplace.workspace import Workspace

RS = "revenue-outturn-rs"
Y1011 = "Revenue_Outturn_Summary__RS__data_2010-11_by_LA_-_27-Nov-2012-v2.xls"
Y1213 = "Revenue_Outturn_Summary__RS__data_2012-13_by_LA__Revised__-_18-Feb-2014.xls"
Y1314 = "Revenue_Outturn_Summary__RS__data_2013-14_by_LA_-_Revised_28-Jan-2015.xls"
Y1415 = "Revenue_Outturn_Summary__RS__data_2014-15_by_LA_-_02-Feb-2016.xls"
Y1718 = "RS_2017-18_data_by_LA.xlsx"


def staffs(ws: Workspace) -> None:
    with ws.write("test partners"):
        upsert(
            ws,
            [
                Partner("scc", "Staffordshire CC", "county council", "County", "Local government"),
                Partner("stoke", "Stoke-on-Trent", "unitary", "Unitary", "Local government"),
                Partner("tam", "Tamworth", "district", "Districts", "Local government"),
            ],
        )


def by_service(ws: Workspace, partner: str) -> dict[str, Decimal]:
    rows = ws.con.execute(
        "SELECT service, sum(amount_gbp) FROM spend_lines WHERE partner = ? GROUP BY service",
        [partner],
    ).fetchall()
    return dict(rows)


def test_every_published_workbook_reads_with_its_moving_header(reference: Path) -> None:
    got = {}
    for f in sorted((reference / RS).glob("*.xls*")):
        wb = read_workbook(f)
        got[wb.year] = (wb.header_row, len(wb.authorities), "PHS" in wb.columns.values())
    # header on spreadsheet row 6 until 2014-15, row 7 in 2017-18 (under RS line numbers);
    # 444 authorities a year, 445 in 2017-18; Public Health from 2013-14 only.
    assert got == {
        "2010/11": (6, 444, False),
        "2011/12": (6, 444, False),
        "2012/13": (6, 444, False),
        "2013/14": (6, 444, True),
        "2014/15": (6, 444, True),
        "2017/18": (7, 445, True),
    }


def test_staffordshire_2014_15_by_ecode(ws: Workspace, reference: Path) -> None:
    staffs(ws)
    res = import_outturn(ws, reference / RS / Y1415, authority="E3421", partner="scc")
    assert res.year == "2014/15"
    s = by_service(ws, "scc")
    # TOTAL SERVICE EXPENDITURE of Staffordshire CC, row 8 + its position: 992,430 £k.
    assert sum(s.values()) == Decimal("992430000.00")
    assert set(s) <= {"EDU", "HTS", "CSC", "ASC", "PHS", "HSG", "CUL", "ENV", "PLN", "CEN", "OTH"}
    assert "PHS" in s and "POL" not in s  # a county has public health, not police
    entry = ws.audit_log(1)[0]
    assert entry.action == "spend import-outturn" and len(entry.sha256 or "") == 64


def test_2017_18_unsorted_footnoted_and_found_by_ons_code(ws: Workspace, reference: Path) -> None:
    staffs(ws)
    wb = read_workbook(reference / RS / Y1718)
    a = wb.find("E10000028")
    assert (a.ecode, a.name) == ("E3421", "Staffordshire")  # published as "Staffordshire (e)"
    assert "ENGLAND" in [n for _, n in wb.skipped]
    import_outturn(ws, reference / RS / Y1718, authority="E10000028", partner="scc")
    s = by_service(ws, "scc")
    # RS 2017-18 row 425: education 419,250; ASC 219,390; PH 39,200; planning -4,565 (£k)
    assert s["EDU"] == Decimal("419250000.00")
    assert s["ASC"] == Decimal("219390000.00")
    assert s["PHS"] == Decimal("39200000.00")
    assert s["PLN"] == Decimal("-4565000.00")
    assert sum(s.values()) == Decimal("883567000.00")  # its TOTAL SERVICE EXPENDITURE


def test_district_net_income_is_kept_negative(ws: Workspace, reference: Path) -> None:
    staffs(ws)
    import_outturn(ws, reference / RS / Y1718, authority="E3439", partner="tam")
    s = by_service(ws, "tam")
    assert s["HTS"] == Decimal("-597000.00")  # parking income exceeds highways spend
    assert "EDU" not in s  # zeros for county services are not lines


def test_2010_11_single_social_care_column_is_split_as_marked_estimates(
    ws: Workspace, reference: Path
) -> None:
    staffs(ws)
    import_outturn(ws, reference / RS / Y1011, authority="E3401", partner="stoke")
    rows = ws.con.execute(
        "SELECT service, amount_gbp, is_estimate, estimate_method, source_service "
        "FROM spend_lines WHERE service IN ('CSC', 'ASC') ORDER BY service"
    ).fetchall()
    assert [r[0] for r in rows] == ["ASC", "CSC"]
    # Stoke-on-Trent UA 2010-11 "Social care": 101,718 £k, conserved to the penny.
    assert rows[0][1] + rows[1][1] == Decimal("101718000.00")
    assert all(r[2] and "2011-12" in r[3] and r[4] == "Social care" for r in rows)
    # unitary weights of 2011-12: 1,483,883 CSC / 3,363,844 ASC
    expected_csc = Decimal("101718000") * 1483883 / (1483883 + 3363844)
    assert abs(rows[1][1] - expected_csc) < Decimal("0.01")
    others = ws.con.execute(
        "SELECT count(*) FROM spend_lines WHERE service NOT IN ('CSC', 'ASC') AND is_estimate"
    ).fetchone()
    assert others == (0,)


def test_public_health_only_from_2013_14(ws: Workspace, reference: Path) -> None:
    staffs(ws)
    import_outturn(ws, reference / RS / Y1213, authority="E3421", partner="scc")
    assert "PHS" not in by_service(ws, "scc")
    import_outturn(ws, reference / RS / Y1314, authority="E3421", partner="scc")
    have = ws.con.execute(
        "SELECT DISTINCT year FROM spend_lines WHERE service = 'PHS' AND partner = 'scc'"
    ).fetchall()
    assert have == [("2013/14",)]


def test_all_authorities_add_up_to_the_england_row(ws: Workspace, reference: Path) -> None:
    res = import_outturn(ws, reference / RS / Y1011, all_authorities=True)
    assert len(res.partners_added) == 444
    total = ws.con.execute("SELECT sum(amount_gbp) FROM spend_lines").fetchone()[0]
    # ENGLAND row, TOTAL SERVICE EXPENDITURE column of the 2010-11 (1) sheet: 102,629,539 £k.
    # The published totals are rounded to £1k separately from the columns they add up, so
    # the 444 authorities' service columns land within a few £k of it (here £2k short).
    assert abs(total - Decimal("102629539000.00")) <= Decimal("5000")
    kinds = dict(
        ws.con.execute("SELECT id, type FROM partners WHERE id IN ('E3421', 'E6134')").fetchall()
    )
    assert kinds == {"E3421": "county council", "E6134": "fire"}
    # re-importing replaces rather than doubles
    import_outturn(ws, reference / RS / Y1011, all_authorities=True)
    again = ws.con.execute("SELECT sum(amount_gbp) FROM spend_lines").fetchone()[0]
    assert again == total


def test_unknown_authority_names_the_code_and_writes_nothing(
    ws: Workspace, reference: Path
) -> None:
    staffs(ws)
    with pytest.raises(InputError) as e:
        import_outturn(ws, reference / RS / Y1415, authority="E9999", partner="scc")
    p = e.value.problems[0]
    assert p.value == "E9999" and "E-code" in p.fix
    assert ws.con.execute("SELECT count(*) FROM spend_lines").fetchone() == (0,)


def test_missing_partner_writes_nothing(ws: Workspace, reference: Path) -> None:
    add_partners(ws)
    with pytest.raises(InputError) as e:
        import_outturn(ws, reference / RS / Y1415, authority="E3421", partner="nobody")
    assert {p.column for p in e.value.problems} == {"partner"}
    assert ws.con.execute("SELECT count(*) FROM spend_lines").fetchone() == (0,)


def test_bad_cells_are_all_reported_with_row_and_column(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.title = "RS LA Data 2019-20"
    sh.append(["Revenue Outturn (RO) 2019-20: "])
    sh.append(["Net current expenditure (£ thousand)"])
    sh.append([])
    sh.append(
        [
            "E-code",
            "ONS Code",
            "Local authority",
            None,
            "Class",
            "Education services (a)",
            "Adult Social Care ",
            "TOTAL SERVICE EXPENDITURE (total of lines 190 to 698)",
            "Parish precepts",
        ]
    )
    sh.append(["E0101", "E06000022", "Bath (b)", None, "UA", 10, "ten", 20, 5])
    sh.append(["E0102", "E06000023", "Bristol", None, "UA", "…", 3.5, 3.5, 1])
    sh.append(["E0103", "E06000024", "Nowhere", None, "UA", "n.a.", 1, 1, 1])
    sh.append([None, None, "ENGLAND", None, None, 10, 5, 15])
    f = tmp_path / "rs.xlsx"
    wb.save(f)
    with pytest.raises(InputError) as e:
        read_workbook(f)
    got = [(p.row, p.column, p.value, p.sheet) for p in e.value.problems]
    assert got == [
        (5, "Adult Social Care", "ten", "RS LA Data 2019-20"),
        (7, "Education services", "n.a.", "RS LA Data 2019-20"),
    ]


def test_cli_import_outturn_json(ws: Workspace, reference: Path) -> None:
    staffs(ws)
    path = ws.path
    ws.close()
    out = CliRunner().invoke(
        app,
        [
            "spend",
            "import-outturn",
            str(reference / RS / Y1415),
            "--authority",
            "E06000021",
            "--partner",
            "stoke",
            "--workspace",
            str(path),
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["year"] == "2014/15" and data["partner_years"][0]["partner"] == "stoke"
    bad = CliRunner().invoke(
        app,
        ["spend", "import-outturn", str(reference / RS / Y1415), "--workspace", str(path)],
    )
    assert bad.exit_code == 2
    with Workspace.open(path) as again:
        assert again.con.execute("SELECT count(DISTINCT partner) FROM spend_lines").fetchone() == (
            1,
        )
