from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
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


def _rewrite_sheet(path: Path, edit: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts["xl/worksheets/sheet1.xml"] = edit(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_stale_dimension_does_not_hide_rows(tmp_path: Path) -> None:
    # Some writers leave <dimension ref="A1"/> however large the sheet; the rows below it
    # are still the user's data and must all be read.
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "name", "population"])
    ws.append(["E1", "One", 10])
    ws.append(["E2", "Two", 20])
    f = tmp_path / "areas.xlsx"
    wb.save(f)
    _rewrite_sheet(f, lambda x: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', x))
    t = read_table(f, required=["code", "name"])
    assert [(r.number, r.values["code"], r.values["population"]) for r in t.rows] == [
        (2, "E1", "10"),
        (3, "E2", "20"),
    ]


def test_merged_cells_are_filled_from_the_sheet_xml(tmp_path: Path) -> None:
    # Read-only mode keeps no merges, so they are read from the XML, whatever prefix the
    # writer gave the element; a merge below the last value still makes rows.
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["partner", "service", "amount"])
    ws.append(["lcc", "Education", 5])
    ws.append([None, "Highways", 7])
    ws["A5"] = "bc"
    ws.merge_cells("A2:A3")
    ws.merge_cells("A5:C6")
    f = tmp_path / "lines.xlsx"
    wb.save(f)
    _rewrite_sheet(f, _prefix_merges)
    t = read_table(f, required=["partner", "service"])
    assert [(r.number, r.values["partner"], r.values["service"]) for r in t.rows] == [
        (2, "lcc", "Education"),
        (3, "lcc", "Highways"),
        (5, "bc", "bc"),
        (6, "bc", "bc"),
    ]


def _prefix_merges(xml: bytes) -> bytes:
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = xml.replace(b"<worksheet ", b'<worksheet xmlns:x="' + main + b'" ', 1)
    for tag in (b"mergeCells", b"mergeCell"):
        xml = xml.replace(b"<" + tag + b" ", b"<x:" + tag + b" ")
    return xml.replace(b"</mergeCells>", b"</x:mergeCells>")
