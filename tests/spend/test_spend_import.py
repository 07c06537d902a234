from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from spend_helpers import HEADER, add_partners, write

from wholeplace.errors import InputError
from wholeplace.spend import import_spend
from wholeplace.workspace import Workspace


def lines(ws: Workspace) -> list[tuple]:
    return ws.con.execute(
        "SELECT partner, year, service, source_service, amount_gbp, counterparty "
        "FROM spend_lines ORDER BY source_row"
    ).fetchall()


def test_good_file_lands_whole_with_audit(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    f = write(
        tmp_path / "cc.csv",
        HEADER
        + 'cc,2024/25,Adult Social Care,,,,"£1,000,000.50",\n'
        + "cc,2024-25,EDU,Schools,,,2000000,\n"
        + "cc,2024/25,ASC,BCF,,,250000,icb\n",
    )
    res = import_spend(ws, f)
    assert res.rows == 3
    assert res.total_gbp == Decimal("3250000.50")
    assert lines(ws) == [
        ("cc", "2024/25", "ASC", "Adult Social Care", Decimal("1000000.50"), None),
        ("cc", "2024/25", "EDU", "EDU", Decimal("2000000.00"), None),
        ("cc", "2024/25", "ASC", "ASC", Decimal("250000.00"), "icb"),
    ]
    entry = ws.audit_log(1)[0]
    assert entry.action == "spend import" and entry.rows == 3 and len(entry.sha256 or "") == 64
    assert entry.detail["total_gbp"] == "3250000.50"


def test_every_problem_reported_and_nothing_written(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    f = write(
        tmp_path / "bad.csv",
        HEADER
        + "cc,2024/25,ASC,,,,100,\n"  # row 2: fine
        + "zz,2024/25,ASC,,,,100,\n"  # row 3: unknown partner
        + "cc,2024/35,ASC,,,,100,\n"  # row 4: not a year
        + "cc,2024/25,ASC,,,,12abc,\n"  # row 5: not money
        + "cc,2024/25,ASC,,,,-5,\n"  # row 6: negative
        + "cc,2024/25,Leisure centres,,,,5,\n"  # row 7: unmapped
        + "cc,2024/25,ASC,,,,100,\n"  # row 8: duplicate of row 2
        + "cc,2024/25,ASC,,,,7,cc\n",  # row 9: pays itself
    )
    with pytest.raises(InputError) as e:
        import_spend(ws, f)
    got = [(p.row, p.column) for p in e.value.problems]
    assert got == [
        (3, "partner"),
        (4, "year"),
        (5, "amount_gbp"),
        (6, "amount_gbp"),
        (7, "service"),
        (8, None),
        (9, "counterparty"),
    ]
    by_row = {p.row: p for p in e.value.problems}
    assert by_row[3].value == "zz" and "partners add --id zz" in by_row[3].fix
    assert by_row[5].value == "12abc"
    assert "duplicate of row 2" in by_row[8].message
    assert "cc,Leisure centres," in by_row[7].fix
    assert all(p.file == "bad.csv" for p in e.value.problems)
    assert lines(ws) == []
    assert [a.action for a in ws.audit_log()] == ["test partners", "init"]


def test_unmapped_services_listed_once_each_with_mapping_line(
    ws: Workspace, tmp_path: Path
) -> None:
    add_partners(ws)
    f = write(
        tmp_path / "dc.csv",
        "service,amount_gbp\nRefuse collection,10\nParks,5\nRefuse collection,11\n",
    )
    with pytest.raises(InputError) as e:
        import_spend(ws, f, partner="dc", year="2024/25")
    assert [(p.value, p.row) for p in e.value.problems] == [
        ("Refuse collection", 2),
        ("Parks", 3),
    ]
    assert "rows 2, 4" in e.value.problems[0].message
    mapping = write(
        tmp_path / "map.csv",
        "partner,source_service,service\ndc,Refuse collection,ENV\n,Parks,Cultural services\n",
    )
    res = import_spend(ws, f, partner="dc", year="2024/25", mapping=mapping)
    assert res.rows == 3
    got = ws.con.execute(
        "SELECT service, sum(amount_gbp) FROM spend_lines GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert got == [("CUL", Decimal("5.00")), ("ENV", Decimal("21.00"))]


def test_partner_specific_mapping_wins(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    mapping = write(
        tmp_path / "map.csv",
        "partner,source_service,service\n,Support,ASC\ndc,Support,HSG\n",
    )
    f = write(tmp_path / "x.csv", "partner,service,amount_gbp\ncc,Support,1\ndc,Support,2\n")
    import_spend(ws, f, year="2024/25", mapping=mapping)
    got = ws.con.execute("SELECT partner, service FROM spend_lines ORDER BY 1").fetchall()
    assert got == [("cc", "ASC"), ("dc", "HSG")]


def test_windows_1252_title_rows_and_footer(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    f = write(
        tmp_path / "cp.csv",
        "Vale District Council – spend by service\r\n"
        "Figures in £\r\n"
        "\r\n"
        "Service,Amount\r\n"
        'Cultural services,"£1,234.50"\r\n'
        "Housing services (GFRA only),(20.00)\r\n"
        'Total,"£1,214.50"\r\n',
        encoding="cp1252",
    )
    res = import_spend(ws, f, partner="dc", year="2023/24", allow_credits=True)
    assert res.encoding == "cp1252"
    assert res.skipped_footer_rows == [7]
    assert res.total_gbp == Decimal("1214.50")
    assert [r[4] for r in lines(ws)] == [Decimal("1234.50"), Decimal("-20.00")]


def test_xlsx_with_title_rows_and_merged_cells(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.title = "Summary"
    sh.append(["Shire County Council outturn"])
    sh.append([])
    sh.append(["partner", "year", "service", "subservice", "amount_gbp"])
    sh.append(["cc", "2024/25", "EDU", "Primary", 100.25])
    sh.append([None, None, None, "Secondary", 200])
    sh.append([None, None, "ASC", "Older people", 50])
    sh.merge_cells("A4:A6")  # partner merged down three rows
    sh.merge_cells("B4:B6")
    sh.merge_cells("C4:C5")
    f = tmp_path / "cc.xlsx"
    wb.save(f)
    res = import_spend(ws, f)
    assert res.rows == 3
    got = ws.con.execute(
        "SELECT partner, service, subservice, amount_gbp FROM spend_lines ORDER BY source_row"
    ).fetchall()
    assert got == [
        ("cc", "EDU", "Primary", Decimal("100.25")),
        ("cc", "EDU", "Secondary", Decimal("200.00")),
        ("cc", "ASC", "Older people", Decimal("50.00")),
    ]


def test_xlsx_errors_name_the_sheet(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    wb = openpyxl.Workbook()
    wb.active.title = "Other"
    data = wb.create_sheet("Spend")
    data.append(["service", "amount_gbp"])
    data.append(["EDU", "lots"])
    f = tmp_path / "s.xlsx"
    wb.save(f)
    with pytest.raises(InputError) as e:
        import_spend(ws, f, partner="cc", year="2024/25", sheet="Spend")
    p = e.value.problems[0]
    assert (p.sheet, p.row, p.column, p.value) == ("Spend", 2, "amount_gbp", "lots")
    with pytest.raises(InputError, match="use --sheet with one of: Other, Spend"):
        import_spend(ws, f, partner="cc", year="2024/25", sheet="Nope")


def test_reimport_replaces_partner_year_only(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    import_spend(
        ws,
        write(tmp_path / "a.csv", "service,amount_gbp\nEDU,10\nASC,5\n"),
        partner="cc",
        year="2024/25",
    )
    import_spend(
        ws, write(tmp_path / "b.csv", "service,amount_gbp\nEDU,7\n"), partner="cc", year="2023/24"
    )
    res = import_spend(
        ws, write(tmp_path / "c.csv", "service,amount_gbp\nEDU,99\n"), partner="cc", year="2024/25"
    )
    assert res.replaced == {("cc", "2024/25"): 2}
    got = ws.con.execute(
        "SELECT year, sum(amount_gbp) FROM spend_lines GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert got == [("2023/24", Decimal("7.00")), ("2024/25", Decimal("99.00"))]
    assert ws.audit_log(1)[0].detail["replaced"] == {"cc 2024/25": 2}


def test_options_conflicting_with_file(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    f = write(tmp_path / "x.csv", "partner,year,service,amount_gbp\ndc,2023/24,EDU,1\n")
    with pytest.raises(InputError) as e:
        import_spend(ws, f, partner="cc", year="2024/25")
    assert {p.column for p in e.value.problems} == {"partner", "year"}


def test_missing_required_columns(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    f = write(tmp_path / "x.csv", "service,amount_gbp\nEDU,1\n")
    with pytest.raises(InputError) as e:
        import_spend(ws, f)
    assert {p.column for p in e.value.problems} == {"partner", "year"}
    g = write(tmp_path / "y.csv", "what,ever\n1,2\n")
    with pytest.raises(InputError, match="no header row"):
        import_spend(ws, g, partner="cc", year="2024/25")


def test_estimates_need_a_method(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    f = write(
        tmp_path / "e.csv",
        "partner,year,service,amount_gbp,estimate,estimate_method\n"
        "dwp,2024/25,SSB.PENSION,100,yes,national per head x population\n"
        "dwp,2024/25,SSB.HB,100,yes,\n"
        "dwp,2024/25,SSB.WORKING_AGE,100,maybe,\n",
    )
    with pytest.raises(InputError) as e:
        import_spend(ws, f)
    assert [(p.row, p.column) for p in e.value.problems] == [
        (3, "estimate_method"),
        (4, "estimate"),
    ]


def test_unknown_area_when_place_has_areas(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    with ws.write("areas"):
        ws.con.execute("INSERT INTO areas VALUES ('E07000117', 'Burnley', 94000)")
    f = write(
        tmp_path / "a.csv",
        "service,area,amount_gbp\nEDU,E07000117,1\nEDU,burnley,2\nEDU,E07000118,3\n",
    )
    with pytest.raises(InputError) as e:
        import_spend(ws, f, partner="cc", year="2024/25")
    assert [(p.row, p.value) for p in e.value.problems] == [(4, "E07000118")]
    assert "did you mean 'E07000117'" in e.value.problems[0].fix


def test_one_import_record_per_partner_year(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    f = write(
        tmp_path / "two-years.csv",
        "partner,year,service,amount_gbp\n"
        "cc,2023/24,EDU,10\ncc,2024/25,EDU,20\ncc,2024/25,ASC,5\ndc,2024/25,ENV,1\n",
    )
    import_spend(ws, f)
    got = ws.con.execute(
        "SELECT partner, year, rows, total_gbp FROM spend_imports ORDER BY 1, 2"
    ).fetchall()
    assert got == [
        ("cc", "2023/24", 1, Decimal("10.00")),
        ("cc", "2024/25", 2, Decimal("25.00")),
        ("dc", "2024/25", 1, Decimal("1.00")),
    ]
