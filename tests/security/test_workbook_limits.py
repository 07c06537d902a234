"""A small XLSX cannot cost gigabytes, nor read the server's files (issue 11, item 3, XLSX
part; issue 13, XML entities).

Each hostile workbook is made from a real one by editing its XML, as an attacker would; the
reader must refuse it from the zip's directory and a single pass over the XML, before
openpyxl builds anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_workbooks import (
    HOSTILE,
    edit_part,
    workbook,
)
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.workbook_limits import check_workbook


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_refused_before_loading(tmp_path: Path, kind: str) -> None:
    make, says = HOSTILE[kind]
    path = make(tmp_path)
    assert path.stat().st_size < 200_000
    with pytest.raises(InputError) as e:
        check_workbook(path)
    assert says in str(e.value)
    assert e.value.problems[0].file == path.name


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_spend_import_says_so_and_writes_nothing(tmp_path: Path, kind: str) -> None:
    make, says = HOSTILE[kind]
    runner = CliRunner()
    place = tmp_path / "place"
    assert runner.invoke(app, ["init", str(place), "--name", "T"]).exit_code == 0
    res = runner.invoke(app, ["spend", "import", str(make(tmp_path)), "-w", str(place), "--json"])
    assert res.exit_code == 2, res.output
    assert '"problems"' in res.stdout and says in res.stdout
    log = runner.invoke(app, ["log", "-w", str(place), "--json"]).stdout
    assert "spend import" not in log


def test_an_ordinary_workbook_passes(tmp_path: Path) -> None:
    path = workbook(tmp_path / "ok.xlsx")
    check_workbook(path)  # no error
    title = b'<mergeCells count="1"><mergeCell ref="A1:Z1"/></mergeCells>'
    merged = edit_part(path, lambda x: x.replace(b"</sheetData>", b"</sheetData>" + title))
    check_workbook(merged)  # a title merged across a row is normal
