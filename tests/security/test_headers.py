"""Ambiguous headers and ragged rows are refused, never read with a guess (issue 11, item 6).

Before: a file with ``amount_gbp`` beside ``amount`` (its alias), or ``Amount (£)`` twice,
was imported from whichever column came last; a transaction file with ``Net Amount`` beside
``Amount`` from the "most specific" one; a row with a cell more than the header had it
dropped without a word (an unquoted comma in ``Smith, Jones & Co`` shifts every later cell).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from place_state import cli, make_place, problems_of, state

TX_HEADER = "Directorate,Service Area,Supplier Name,Payment Date,Net Amount"


@pytest.fixture
def place(tmp_path: Path) -> Path:
    return make_place(tmp_path / "place")


def _refused(place: Path, *argv: str) -> list[dict[str, object]]:
    before = state(place)
    found = problems_of(cli(*argv, "-w", str(place), "--json"))
    assert state(place) == before
    return found


# -- spend import and every reader of wholeplace.tabular -------------------------------------


@pytest.mark.parametrize(
    ("header", "cells"),
    [
        ("amount_gbp,amount", "'amount_gbp' (column 4 (D)) and 'amount' (column 5 (E))"),
        ("Amount (£),Amount (£)", "'Amount (£)' (column 4 (D)) and 'Amount (£)' (column 5 (E))"),
    ],
)
def test_spend_file_with_two_amount_columns(
    place: Path, tmp_path: Path, header: str, cells: str
) -> None:
    f = tmp_path / "spend.csv"
    f.write_text(f"partner,year,service,{header}\ncc,2024/25,ASC,100.00,999.00\n", "utf-8")
    [p] = _refused(place, "spend", "import", str(f))
    assert (p["row"], p["column"], p["value"]) == (1, "amount_gbp", cells)
    assert "which one holds it would be a guess" in str(p["message"])


def test_workbook_with_a_column_named_twice(place: Path, tmp_path: Path) -> None:
    f = tmp_path / "spend.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Lines"
    ws.append(["Spend 2024/25"])  # a title row above the header
    ws.append(["partner", "year", "service", "amount_gbp", "Service"])
    ws.append(["cc", "2024/25", "ASC", 100, "EDU"])
    wb.save(f)
    [p] = _refused(place, "spend", "import", str(f))
    assert (p["sheet"], p["row"], p["column"]) == ("Lines", 2, "service")
    assert p["value"] == "'service' (column 3 (C)) and 'Service' (column 5 (E))"


def test_partners_file_with_a_name_twice(place: Path, tmp_path: Path) -> None:
    f = tmp_path / "partners.csv"
    f.write_text("id,name,type,group,sector,Name\nx,One,district,D,LG,Two\n", "utf-8")
    [p] = _refused(place, "partners", "import", str(f))
    assert (p["row"], p["column"]) == (1, "name")


def test_row_with_a_cell_more_than_the_header(place: Path, tmp_path: Path) -> None:
    f = tmp_path / "spend.csv"
    f.write_text(
        "partner,year,service,subservice,amount_gbp\n"
        "cc,2024/25,ASC,Care homes,100.00\n"
        "cc,2024/25,ASC,Smith, Jones & Co,200.00\n",  # an unquoted comma: 6 cells
        "utf-8",
    )
    [p] = _refused(place, "spend", "import", str(f))
    assert (p["row"], p["value"]) == (3, "'200.00' in column 6 (F)")
    assert p["message"] == "this row has 6 cells but the header has 5"


def test_empty_cells_at_the_end_of_a_row_are_fine(place: Path, tmp_path: Path) -> None:
    # Excel leaves empty cells at the ends of rows after a column is cleared; and a cell
    # under a header cell left empty belongs to an unnamed column, ignored as in XLSX.
    f = tmp_path / "spend.csv"
    f.write_text(
        "partner,year,service,amount_gbp,\n"
        "cc,2024/25,ASC,100.00,working\n"
        "cc,2024/25,EDU,200.00,,,,\n",
        "utf-8",
    )
    res = cli("spend", "import", str(f), "-w", str(place), "--json")
    assert res.exit_code == 0, res.output
    assert '"total_gbp": "300.00"' in res.stdout  # 100.00 + 200.00


# -- spend import-transactions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "role", "cells"),
    [
        (
            TX_HEADER + ",Amount",
            "amount",
            "'Net Amount' (column 5 (E)) and 'Amount' (column 6 (F))",
        ),
        (
            TX_HEADER + ",Invoice Date",
            "date",
            "'Payment Date' (column 4 (D)) and 'Invoice Date' (column 6 (F))",
        ),
        (
            TX_HEADER + ",Supplier Name",
            "supplier",
            "'Supplier Name' (column 3 (C)) and 'Supplier Name' (column 6 (F))",
        ),
    ],
)
def test_transaction_file_with_two_candidate_columns(
    place: Path, tmp_path: Path, header: str, role: str, cells: str
) -> None:
    f = tmp_path / "payments.csv"
    f.write_text(f"{header}\nPlace,Parks,Green Ltd,06/04/2024,500.00,7\n", "utf-8")
    [p] = _refused(place, "spend", "import-transactions", str(f), "--partner", "dc")
    assert (p["row"], p["column"], p["value"]) == (1, role, cells)


def test_transaction_workbook_with_two_date_columns(place: Path, tmp_path: Path) -> None:
    f = tmp_path / "payments.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Mar"
    ws.append(["Supplier Name", "Invoice Date", "Payment Date", "Net Amount"])
    ws.append(["Green Ltd", "01/03/2025", "06/03/2025", 500])
    wb.save(f)
    [p] = _refused(place, "spend", "import-transactions", str(f), "--partner", "dc")
    assert (p["sheet"], p["row"], p["column"]) == ("Mar", 1, "date")


def test_published_headers_with_two_descriptive_candidates_still_match() -> None:
    # Header cells of three councils' published files (Calderdale, Harrogate, Newcastle,
    # 2019-03): two columns could be the reference, the supplier or the service area; the
    # most specific name is taken, as before, and none of them is ambiguous.
    from wholeplace.spend.transactions.headers import header_clashes, match_header

    for header in (
        ["Payment Date", "Net Amount", "Supplier Name", "Internal Ref Number", "Invoice Number"],
        ["Payment Date", "Net Amount", "Supplier Name", "Supplier Name(T)"],
        ["Payment Date", "Net Amount", "Service Area", "Cost Centre", "Cost Centre Name"],
    ):
        layout = match_header(header)
        assert layout is not None
        assert header_clashes(header, layout) == []


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_transaction_row_with_a_cell_more_than_the_header(
    place: Path, tmp_path: Path, encoding: str
) -> None:
    # UTF-8 goes to DuckDB directly (the row is past the 60 the header is looked for in);
    # Windows-1252 is decoded line by line: both refuse the row.
    good = "".join(f"Place,Parks,Supplier {i},06/04/2024,5.00\n" for i in range(100))
    text = f"{TX_HEADER}\n{good}Place,Parks,Smith, Jones & Co,06/04/2024,5.00\n{good}"
    f = tmp_path / "payments.csv"
    f.write_bytes(("Café\n" + text).encode(encoding))
    [p] = _refused(place, "spend", "import-transactions", str(f), "--partner", "dc")
    assert (p["row"], p["value"]) == (103, "'5.00' in column 6 (F)")
    assert p["message"] == "this row has 6 cells but the header has 5"


def test_transaction_rows_with_empty_cells_at_the_end(place: Path, tmp_path: Path) -> None:
    good = "".join(f"Place,Parks,Supplier {i},06/04/2024,5.00\n" for i in range(100))
    f = tmp_path / "payments.csv"
    f.write_text(f"{TX_HEADER}\n{good}Place,Parks,Acme,06/04/2024,5.00,,\n", "utf-8")
    res = cli("spend", "import-transactions", str(f), "--partner", "dc", "-w", str(place))
    assert res.exit_code == 0, res.output
    assert "101 payments, £505.00" in res.stdout  # 101 x £5.00


# -- a deflator series -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column", "cells"),
    [
        (
            "year,pct_change,pct_change",
            "pct_change",
            "'pct_change' (column 2 (B)) and 'pct_change' (column 3 (C))",
        ),
        ("year,Year,pct_change", "year", "'year' (column 1 (A)) and 'Year' (column 2 (B))"),
    ],
)
def test_deflator_file_with_an_ambiguous_header(
    place: Path, tmp_path: Path, header: str, column: str, cells: str
) -> None:
    f = tmp_path / "deflators.csv"
    f.write_text(f"{header}\n2023/24,1.0,2.0\n2024/25,1.0,2.0\n", "utf-8")
    [p] = _refused(place, "unitcosts", "deflators", "import", str(f))
    assert (p["row"], p["column"], p["value"]) == (1, column, cells)


# -- readers with their own header matching ---------------------------------------------------
# The RS outturn, the appraisal template and the Unit Cost Database each find their columns
# by their own rules, and each took the first (or the last) of two without a word.

RS_2017 = "revenue-outturn-rs/RS_2017-18_data_by_LA.xlsx"


def _rs_header(ws: object) -> tuple[int, dict[str, int]]:
    """The header row of the RS sheet and the column (1-based) of each header text."""
    for row in ws.iter_rows(min_row=1, max_row=40):  # type: ignore[attr-defined]
        if str(row[0].value or "").strip().lower() == "e-code":
            return row[0].row, {str(c.value or "").strip(): c.column for c in row if c.value}
    raise AssertionError("no E-code header")


def test_outturn_with_a_service_column_named_twice(
    place: Path, tmp_path: Path, reference: Path
) -> None:
    wb = openpyxl.load_workbook(reference / RS_2017)
    ws = wb["RS LA Data 2017-18"]
    line, cols = _rs_header(ws)
    edu = next(c for h, c in cols.items() if h.lower().startswith("education services"))
    hts = next(h for h in cols if h.lower().startswith("highways and transport"))
    edu_text = str(ws.cell(line, edu).value).strip()
    # Highways relabelled as Education: two columns the reader takes for education spend
    ws.cell(line, cols[hts]).value = edu_text
    f = tmp_path / "RS_2017-18_data_by_LA.xlsx"
    wb.save(f)
    argv = ["spend", "import-outturn", str(f), "--authority", "E10000017", "--partner", "cc"]
    [p] = _refused(place, *argv)
    first, second = sorted([edu, cols[hts]])
    letter = openpyxl.utils.get_column_letter
    assert (p["sheet"], p["row"], p["column"]) == (ws.title, line, "EDU")
    assert p["value"] == (
        f"{edu_text!r} (column {first} ({letter(first)})) and "
        f"{edu_text!r} (column {second} ({letter(second)}))"
    )


def _template(tmp_path: Path) -> Path:
    t = tmp_path / "appraisal.xlsx"
    assert cli("cba", "template", str(t)).exit_code == 0
    return t


def test_appraisal_template_with_a_column_named_twice(tmp_path: Path) -> None:
    t = _template(tmp_path)
    wb = openpyxl.load_workbook(t)
    ws = wb["Outcomes"]
    end = ws.max_column + 1
    ws.cell(1, end).value = "Agency"  # beside 'agency' in column F: which agency gains?
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value:
            ws.cell(r, end).value = "Police"
    wb.save(t)
    res = cli("cba", "run", str(t), "--json")
    [p] = problems_of(res)
    letter = openpyxl.utils.get_column_letter(end)
    assert (p["file"], p["sheet"], p["row"], p["column"]) == (
        "appraisal.xlsx",
        "Outcomes",
        1,
        "agency",
    )
    assert p["value"] == f"'agency' (column 6 (F)) and 'Agency' (column {end} ({letter}))"


def test_appraisal_template_with_a_year_named_twice(tmp_path: Path) -> None:
    t = _template(tmp_path)
    wb = openpyxl.load_workbook(t)
    ws = wb["Costs"]
    assert [ws.cell(1, c).value for c in (8, 9)] == ["Y3", "Y4"]
    ws.cell(1, 9).value = "Year 3"  # Y4 relabelled: a fifth year's costs read as another
    wb.save(t)
    [p] = problems_of(cli("cba", "run", str(t), "--json"))
    assert (p["sheet"], p["row"], p["column"]) == ("Costs", 1, "year 3")
    assert p["value"] == "'Y3' (column 8 (H)) and 'Year 3' (column 9 (I))"


def test_unit_cost_workbook_with_a_column_named_twice(
    place: Path, tmp_path: Path, reference: Path
) -> None:
    wb = openpyxl.load_workbook(reference / "unit-cost-database" / "unit-cost-database-v1.4.xlsx")
    ws = wb["Crime"]
    head = {str(c.value or "").strip().lower(): c.column for c in ws[1] if c.value}
    code = next(c for h, c in head.items() if h == "cost code")
    comment = next(c for h, c in head.items() if h == "comment")
    ws.cell(1, comment).value = "Cost code"  # the comments would be read as the codes, or not
    f = tmp_path / "unit-cost-database-v1.4.xlsx"
    wb.save(f)
    problems = _refused(place, "unitcosts", "import", str(f))
    [p] = [p for p in problems if p["sheet"] == "Crime"]
    assert (code, comment) == (3, 19)  # C and S, as published
    assert (p["file"], p["row"], p["column"]) == (f.name, 1, "cost code")
    assert p["value"] == "'Cost code' (column 3 (C)) and 'Cost code' (column 19 (S))"
