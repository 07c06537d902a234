"""Garbage named .xlsx or .xls is refused with the problem table (issue 11, item 4, workbooks).

Random bytes, a text file or an old .xls renamed, a zip cut short, an empty file, a zip of
something else: every reader of workbooks says the file is not a readable Excel workbook and
how to fix it, exits 2 and leaves the place as it was; none shows a traceback.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_workbooks import OLE2, XLSX_GARBAGE, real_xlsx
from place_state import small_place, snapshot
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.workbook_limits import check_workbook

XLS_GARBAGE: dict[str, tuple[Callable[[], bytes], str]] = {
    "random bytes": (lambda: random.Random(11).randbytes(4000), "not a readable Excel workbook"),
    "a text file renamed": (lambda: b"partner,year\n", "not a readable Excel workbook"),
    "an empty file": (lambda: b"", "the file is empty"),
    "an .xlsx renamed": (real_xlsx, "an .xlsx workbook named .xls"),
    "an OLE file cut short": (lambda: OLE2 + bytes(600), "not a readable Excel workbook"),
}


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small place with one partner's spend (enough for `spend report`)."""
    return small_place(tmp_path_factory.mktemp("books"))


# Every command that reads a workbook a person gives; {f} is the file, {w} the place.
XLSX_READERS = {
    "spend import-outturn": ["spend", "import-outturn", "{f}", "-w", "{w}"],
    "spend import-transactions": [
        "spend",
        "import-transactions",
        "{f}",
        "--partner",
        "cc",
        "-w",
        "{w}",
    ],
    "spend import": ["spend", "import", "{f}", "-w", "{w}"],
    "spend estimate (CRA workbook)": [
        "spend",
        "estimate",
        "--file",
        "{f}",
        "--partner",
        "cc",
        "--department",
        "Department for Work and Pensions",
        "--region",
        "North West",
        "--function",
        "7",
        "--service",
        "NHS",
        "--year",
        "2024/25",
        "--region-driver",
        "1000",
        "-w",
        "{w}",
    ],
    "partners import": ["partners", "import", "{f}", "-w", "{w}"],
    "areas import": ["areas", "import", "{f}", "-w", "{w}"],
    "cba run (template)": ["cba", "run", "{f}", "-w", "{w}"],
    "unitcosts import": ["unitcosts", "import", "{f}", "-w", "{w}"],
    "sharing pool (workbook)": ["sharing", "pool", "{f}"],
}
XLS_READERS = {
    "spend import-outturn": XLSX_READERS["spend import-outturn"],
    "unitcosts import": XLSX_READERS["unitcosts import"],
    # these read CSV or .xlsx only: an .xls must be refused as such, not read as text
    "spend import-transactions": XLSX_READERS["spend import-transactions"],
    "cba run": XLSX_READERS["cba run (template)"],
    "sharing pool": XLSX_READERS["sharing pool (workbook)"],
}


def _refused(place: Path, argv: list[str], file: Path, says: str) -> None:
    before = snapshot(place)
    res = CliRunner().invoke(app, [a.format(f=file, w=place) for a in argv] + ["--json"])
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert '"problems"' in res.output, res.output
    assert file.name in res.output
    assert says in res.output, res.output
    assert snapshot(place) == before


@pytest.mark.parametrize("kind", list(XLSX_GARBAGE))
@pytest.mark.parametrize("reader", list(XLSX_READERS))
def test_garbage_xlsx_is_refused(place: Path, tmp_path: Path, reader: str, kind: str) -> None:
    make, says = XLSX_GARBAGE[kind]
    f = tmp_path / "partner-file.xlsx"
    f.write_bytes(make())
    _refused(place, XLSX_READERS[reader], f, says)


@pytest.mark.parametrize("kind", list(XLS_GARBAGE))
@pytest.mark.parametrize("reader", list(XLS_READERS))
def test_garbage_xls_is_refused(place: Path, tmp_path: Path, reader: str, kind: str) -> None:
    make, says = XLS_GARBAGE[kind]
    f = tmp_path / "partner-file.xls"
    f.write_bytes(make())
    if reader not in ("spend import-outturn", "unitcosts import"):
        says = "old-format Excel workbook (.xls)"
    _refused(place, XLS_READERS[reader], f, says)


def test_check_workbook_names_the_file_and_the_fix(tmp_path: Path) -> None:
    f = tmp_path / "outturn.xlsx"
    f.write_bytes(b"Service,Amount\n")
    with pytest.raises(InputError) as e:
        check_workbook(f)
    (p,) = e.value.problems
    assert p.file == "outturn.xlsx"
    assert p.message.startswith("not a readable Excel workbook")
    assert "save it as Excel Workbook (.xlsx)" in p.fix


def test_a_real_workbook_still_passes(tmp_path: Path) -> None:
    f = tmp_path / "ok.xlsx"
    f.write_bytes(real_xlsx())
    check_workbook(f)  # no error
