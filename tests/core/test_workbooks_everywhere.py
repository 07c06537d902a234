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


# The appraisal template is an input form: its headings are the field names its reader
# takes (docs/cba.md), as in the YAML appraisal file.
INPUT_FORMS = ("command template.xlsx",)


@pytest.mark.parametrize("book", [b for b in BOOKS if b not in INPUT_FORMS])
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


def _colour(series: object) -> str | None:
    props = getattr(series, "graphicalProperties", None)
    fill = None if props is None else props.solidFill
    if fill is None and props is not None and props.line is not None:
        fill = props.line.solidFill
    return None if fill is None else str(fill.srgbClr)


def _cat(series: object) -> str:
    """The reference of a series' labels (openpyxl writes it as a number reference; Excel
    shows the text it points at)."""
    cat = series.cat  # type: ignore[attr-defined]
    return str((cat.strRef or cat.numRef).f)


def _charts(workbooks: dict[str, Path], book: str, sheet: str) -> list[object]:
    return list(openpyxl.load_workbook(workbooks[book])[sheet]._charts)


def _title(chart: object) -> str:
    return "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))  # type: ignore[attr-defined]


def test_spend_by_group_has_a_native_bar_chart_of_its_pounds(workbooks: dict[str, Path]) -> None:
    """By group: title (row 1), a gap, the header (row 3), the demo's six groups (rows 4-9),
    then the total (row 10, left out of the chart). Names in column B, £ in column C."""
    (chart,) = _charts(workbooks, "spend-2024-25.xlsx", "By group")
    assert type(chart).__name__ == "BarChart"
    assert _title(chart) == "Spending by group, 2024/25"
    (s,) = chart.series  # type: ignore[attr-defined]
    assert s.tx.v == "Spending (£)"
    assert s.val.numRef.f == "'By group'!$C$4:$C$9"
    assert _cat(s) == "'By group'!$B$4:$B$9"
    # each group in its palette colour, as in the HTML: DWP, NHS, the county council ...
    ws = openpyxl.load_workbook(workbooks["spend-2024-25.xlsx"])["By group"]
    from wholeplace.reports.palette import colours

    expected = colours(ws.cell(r, 2).value for r in range(4, 10))
    assert [str(p.graphicalProperties.solidFill.srgbClr) for p in s.dPt] == [
        c.lstrip("#") for c in expected.values()
    ]


def test_appraisal_charts_are_drawn_from_the_by_year_formulas(workbooks: dict[str, Path]) -> None:
    """The demo appraisal runs five years, 2015/16 to 2019/20 (By year rows 2-6); its
    present values are the formulas of columns J (costs), K (fiscal), M (economic) and N
    (social). Four agencies (Agencies rows 2-5): costs in B, fiscal benefits in C."""
    (by_year,) = _charts(workbooks, "appraisal.xlsx", "By year")
    assert _title(by_year) == "Present values by year"
    got = [(s.tx.v, s.val.numRef.f, _colour(s)) for s in by_year.series]  # type: ignore[attr-defined]
    assert got == [
        ("Costs", "'By year'!$J$2:$J$6", "E69F00"),
        ("Fiscal benefits", "'By year'!$K$2:$K$6", "0072B2"),
        ("Economic benefits", "'By year'!$M$2:$M$6", "009E73"),
        ("Social benefits", "'By year'!$N$2:$N$6", "56B4E9"),
    ]
    assert {_cat(s) for s in by_year.series} == {"'By year'!$A$2:$A$6"}  # type: ignore[attr-defined]
    (agencies,) = _charts(workbooks, "appraisal.xlsx", "Agencies")
    assert _title(agencies) == "Who pays, who gains (present values)"
    got = [(s.tx.v, s.val.numRef.f) for s in agencies.series]  # type: ignore[attr-defined]
    assert got == [
        ("Pays (costs)", "'Agencies'!$B$2:$B$5"),
        ("Gains (fiscal benefits)", "'Agencies'!$C$2:$C$5"),
    ]


def test_sharing_charts_are_native_and_drawn_from_their_table(workbooks: dict[str, Path]) -> None:
    """The pooled budget's two HTML charts, variance by year (bars) and cumulative net cost
    (lines), over the pool's two years 2024/25 and 2025/26, one series per partner."""
    book = openpyxl.load_workbook(workbooks["pool.xlsx"])
    ws = book["Pooled budget"]
    bars, lines = ws._charts
    assert (type(bars).__name__, type(lines).__name__) == ("BarChart", "LineChart")
    assert _title(lines) == "Cumulative net cost by partner"
    partners = [
        "Lancashire County Council (host)",
        "NHS Lancashire and South Cumbria Integrated Care Board",
        "Preston City Council",
    ]
    for chart in (bars, lines):
        assert [s.tx.v for s in chart.series] == partners
        ref = _cat(chart.series[0]).split("!")[1].replace("$", "")
        first, last = ref.split(":")
        assert [ws[first].value, ws[last].value] == ["2024/25", "2025/26"]
        # each series is the column of its partner in the table above the chart
        for s in chart.series:
            col = s.val.numRef.f.split("!")[1].replace("$", "")[0]
            header = ws[f"{col}{int(first[1:]) - 1}"].value
            assert header == s.tx.v
    assert _colour(bars.series[1]) == "0072B2"  # the NHS in the NHS's blue
    # the gain-share's position without an agreement is dashed, as in the HTML
    gain = _charts(workbooks, "gainshare.xlsx", "Gain-share")[0]
    dashed = {s.tx.v: s.graphicalProperties.line.prstDash for s in gain.series}  # type: ignore[attr-defined]
    assert dashed["Lancashire County Council before"] == "dash"
    assert dashed["Lancashire County Council after"] != "dash"


def test_pbr_results_are_named_in_words(workbooks: dict[str, Path]) -> None:
    """The PbR claim's results by their labels in the scheme (data/sharing/
    troubled_families_2012.yaml), in every cell and in the chart: never by their keys."""
    book = openpyxl.load_workbook(workbooks["pbr-claim.xlsx"])
    keys = ("education_crime_asb", "progress_to_work", "continuous_employment")
    found = [
        (ws.title, c.coordinate)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value in keys
    ]
    assert found == []
    ws = book["Payment-by-results claim"]
    (chart,) = ws._charts
    (s,) = chart.series
    assert s.tx.v == "Claimed (£)"
    first, last = _cat(s).split("!")[1].replace("$", "").split(":")
    assert [ws[first].value, ws[last].value] == [
        "Children in school, youth crime and anti-social behaviour down",
        "An adult moved off out-of-work benefits into continuous employment",
    ]
