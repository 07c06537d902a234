from __future__ import annotations

from pathlib import Path

import pytest

from wholeplace.errors import InputError
from wholeplace.tabular import norm_header, read_table


@pytest.mark.parametrize(
    ("header", "key"),
    [
        (" Amount (GBP) ", "amount_gbp"),
        ("Amount (£)", "amount_gbp"),
        ("Partner ID", "partner_id"),
        ("population_served", "population_served"),
        ("__Area--Code__", "area_code"),
        ("", ""),
        (None, ""),
    ],
)
def test_norm_header(header: object, key: str) -> None:
    assert norm_header(header) == key


def test_headers_match_leniently_and_every_problem_names_the_file(tmp_path: Path) -> None:
    f = tmp_path / "areas.csv"
    f.write_text("Title row\n\nArea Code, Area Name ,Pop\nE1,One,10\nTotal,,10\n")
    t = read_table(f, required=["code", "name"], aliases={"area_code": "code", "area_name": "name"})
    assert t.columns == ["code", "name", "pop"]
    assert t.header_row == 3
    assert [(r.number, r.values) for r in t.rows] == [
        (4, {"code": "E1", "name": "One", "pop": "10"})
    ]
    assert t.skipped_footer == [5]


def test_a_file_without_the_header_is_one_problem(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(InputError) as e:
        read_table(f, required=["code"])
    [p] = e.value.problems
    assert (p.file, p.row, p.value) == ("x.csv", 1, "a, b")
    assert p.message.startswith("no header row with the columns code")


def test_missing_and_unsupported_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "nope.csv", required=["a"])
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF")
    with pytest.raises(InputError) as e:
        read_table(pdf, required=["a"])
    assert [(p.file, p.value, p.message) for p in e.value.problems] == [
        ("x.pdf", ".pdf", "unsupported file type")
    ]


def test_no_such_sheet(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    wb.save(tmp_path / "b.xlsx")
    with pytest.raises(InputError) as e:
        read_table(tmp_path / "b.xlsx", required=["a"], sheet="Other")
    [p] = e.value.problems
    assert (p.sheet, p.value, p.fix) == ("Other", "Other", "use --sheet with one of: Data")
