"""Every workbook the toolkit writes, in one house style (issue 12): money as ``£#,##0.00``,
each sheet's header frozen and printed on every page, A4 fitted to one page wide (landscape
when wider than six columns), headings in words and not program keys (``pv_costs``).

The workbooks are the demo's (``make demo``'s builder) and those of the result commands
with ``--out FILE.xlsx`` run on the demo place.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.demo import make_demo
from wholeplace.reports.xlsx import FREEZE_WITHIN_POINTS, HEADER_FILL

DATA = Path(str(resources.files("wholeplace") / "data"))
TOOLKIT = DATA / "demo" / "toolkit"
APPRAISAL = TOOLKIT / "early-help-appraisal.yaml"

# The result commands' workbooks, each run on the demo place: (file name, arguments).
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("map-group.xlsx", ("spend", "map", "--by", "group")),
    ("map-area.xlsx", ("spend", "map", "--by", "area")),
    ("sensitivity.xlsx", ("cba", "sensitivity", str(APPRAISAL))),
    ("simulation.xlsx", ("cba", "simulate", str(APPRAISAL), "--draws", "50")),
    (
        "compare.xlsx",
        ("cba", "compare", str(APPRAISAL), str(DATA / "cba" / "example_appraisal.yaml")),
    ),
    ("pool.xlsx", ("sharing", "pool", str(TOOLKIT / "pool.yaml"))),
    ("gainshare.xlsx", ("sharing", "gainshare", str(TOOLKIT / "gainshare.yaml"))),
    ("template.xlsx", ("cba", "template")),
)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    target = tmp_path_factory.mktemp("demo") / "place"
    make_demo(target)
    books = {p.name: p for p in (target / "reports").glob("*.xlsx")}
    out = tmp_path_factory.mktemp("commands")
    for name, args in COMMANDS:
        path = out / name
        extra = [str(path)] if name == "template.xlsx" else ["-o", str(path)]
        res = CliRunner().invoke(app, [*args, "-w", str(target), *extra] if name != "template.xlsx"
                                 else [*args, *extra], env={"COLUMNS": "200"})  # fmt: skip
        assert res.exit_code == 0, (name, res.output)
        books[f"command {name}"] = path
    return books


# Every workbook of the demo and the commands: the list is hand-stated, so a workbook that
# stops being written fails here rather than dropping out of the checks.
DEMO_BOOKS = (
    "spend-2024-25.xlsx",
    "appraisal.xlsx",
    "estate.xlsx",
    "areas.xlsx",
    "gainshare.xlsx",
    "pool.xlsx",
    "pbr-claim.xlsx",
    "recharges.xlsx",
)
BOOKS = DEMO_BOOKS + tuple(f"command {n}" for n, _ in COMMANDS)


def _sheets(workbooks: dict[str, Path], book: str) -> list[Worksheet]:
    return list(openpyxl.load_workbook(workbooks[book]).worksheets)


def _header(ws: Worksheet) -> int | None:
    for (cell,) in ws.iter_rows(min_col=1, max_col=1, max_row=60):
        if str(cell.fill.fgColor.rgb).upper().endswith(str(HEADER_FILL.fgColor.rgb)[-6:]):
            return int(cell.row)
    return None


@pytest.mark.parametrize("book", BOOKS)
def test_every_sheet_is_set_up_to_print_with_its_header(
    workbooks: dict[str, Path], book: str
) -> None:
    for ws in _sheets(workbooks, book):
        where = f"{book} / {ws.title}"
        setup = ws.page_setup
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4), where  # read back as text
        assert ws.sheet_properties.pageSetUpPr.fitToPage, where
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), where
        if ws.max_column > 6:
            assert setup.orientation == "landscape", where
        header = _header(ws)
        if header is None:
            continue
        # the header row is printed on every page ...
        rows = re.fullmatch(r"\$(\d+):\$(\d+)", str(ws.print_title_rows))
        assert rows is not None, where
        assert int(rows[1]) <= header <= int(rows[2]), where
        # ... and frozen on screen, unless paragraphs above it would fill a laptop's screen
        tall = sum(float(ws.row_dimensions[r].height or 15) for r in range(1, header + 1))
        if tall <= FREEZE_WITHIN_POINTS:
            assert ws.freeze_panes is not None, where
            assert ws[ws.freeze_panes].row > header, where


# A program key: lower-case words joined by underscores (pv_costs, education_crime_asb).
KEY = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")


@pytest.mark.parametrize("book", BOOKS)
def test_headings_are_words_not_keys(workbooks: dict[str, Path], book: str) -> None:
    for ws in _sheets(workbooks, book):
        header = _header(ws)
        headings = [
            c.value
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str)
            and c.fill.fgColor.rgb == ws.cell(header or 1, 1).fill.fgColor.rgb
            and header is not None
        ]
        titles = [ws.cell(1, 1).value, ws.title]
        keys = [h for h in [*headings, *titles] if isinstance(h, str) and KEY.fullmatch(h)]
        assert keys == [], f"{book} / {ws.title}: {keys}"


MONEY = '"£"#,##0.00;[Red]-"£"#,##0.00'


@pytest.mark.parametrize("book", BOOKS)
def test_money_in_pounds_and_pence_shows_the_pound_sign(
    workbooks: dict[str, Path], book: str
) -> None:
    """No figure is shown as pounds and pence without its £ sign."""
    for ws in _sheets(workbooks, book):
        plain = {
            c.coordinate
            for row in ws.iter_rows()
            for c in row
            if str(c.number_format).startswith("#,##0.00")
        }
        assert not plain, f"{book} / {ws.title}: {sorted(plain)[:5]}"
