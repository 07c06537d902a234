"""A small XLSX cannot cost gigabytes (issue 11, item 3, XLSX part).

Each hostile workbook is made from a real one by editing its XML, as an attacker would; the
reader must refuse it from the zip's directory and a single pass over the XML, before
openpyxl builds anything.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.workbook_limits import check_workbook


def _workbook(path: Path, wide: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["partner", "year", "service", "amount_gbp"])
    ws.append(["cc", "2024/25", "EDU", 100])
    if wide:
        ws.cell(row=2, column=16384, value="x")  # column XFD
    wb.save(path)
    return path


def _edit_sheet(path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    out = path.with_name("hostile-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out


def merged_over_the_sheet(tmp_path: Path) -> Path:
    return _edit_sheet(
        _workbook(tmp_path / "m.xlsx"),
        lambda x: x.replace(
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="F1:XFD1048576"/></mergeCells>',
        ),
    )


def zip_bomb(tmp_path: Path) -> Path:
    padding = b" " * (30 << 20)  # 30 MB of white space: compresses about a thousandfold
    return _edit_sheet(
        _workbook(tmp_path / "z.xlsx"),
        lambda x: x.replace(b"</sheetData>", padding + b"</sheetData>"),
    )


def far_column(tmp_path: Path) -> Path:
    return _workbook(tmp_path / "w.xlsx", wide=True)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (merged_over_the_sheet, "merges more than 100,000 cells"),
        (zip_bomb, "unpacks to"),
        (far_column, "beyond column ZZ"),
    ],
)
def test_refused_before_loading(tmp_path: Path, make, says: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    assert path.stat().st_size < 200_000
    with pytest.raises(InputError) as e:
        check_workbook(path)
    assert says in str(e.value)
    assert e.value.problems[0].file == path.name


@pytest.mark.parametrize("make", [merged_over_the_sheet, zip_bomb, far_column])
def test_spend_import_says_so_and_writes_nothing(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    place = tmp_path / "place"
    assert runner.invoke(app, ["init", str(place), "--name", "T"]).exit_code == 0
    res = runner.invoke(app, ["spend", "import", str(make(tmp_path)), "-w", str(place), "--json"])
    assert res.exit_code == 2, res.output
    assert '"problems"' in res.stdout
    log = runner.invoke(app, ["log", "-w", str(place), "--json"]).stdout
    assert "spend import" not in log


def test_an_ordinary_workbook_passes(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "ok.xlsx")
    check_workbook(path)  # no error
    title = b'<mergeCells count="1"><mergeCell ref="A1:Z1"/></mergeCells>'
    merged = _edit_sheet(path, lambda x: x.replace(b"</sheetData>", b"</sheetData>" + title))
    check_workbook(merged)  # a title merged across a row is normal
