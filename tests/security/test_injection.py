"""Text from a partner's file can neither run in a report's page nor as a spreadsheet formula.

Issue 11, items 1 and 2: SVG attributes escape quotes, and every workbook the program
writes holds such text as inert text (a leading apostrophe, OWASP's remedy).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from wholeplace.partners import import_partners
from wholeplace.reports.bubbles import Bubble, BubbleGroup, bubble_svg
from wholeplace.reports.maps import MapArea, choropleth_svg
from wholeplace.reports.xlsx import neutralise, save_atomic
from wholeplace.spend import import_lines, write_report
from wholeplace.workspace import Workspace

ATTRIBUTE_BREAKOUT = 'G2" autofocus onfocus="alert(1)" x="'
FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def _no_handlers(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)  # valid XML: a broken-out attribute would not even parse
    for el in root.iter():
        assert not any(a in el.attrib for a in ("onfocus", "autofocus", "onload")), el.attrib
    return list(root.iter())


def test_bubble_svg_keeps_a_quote_inside_its_attribute() -> None:
    group = BubbleGroup(
        ATTRIBUTE_BREAKOUT,
        ATTRIBUTE_BREAKOUT,
        [Bubble(ATTRIBUTE_BREAKOUT, ATTRIBUTE_BREAKOUT, Decimal("100"))],
    )
    elements = _no_handlers(bubble_svg([group], title=ATTRIBUTE_BREAKOUT))
    keys = {el.attrib.get("data-key") for el in elements} | {
        el.attrib.get("data-group") for el in elements
    }
    assert ATTRIBUTE_BREAKOUT in keys  # the whole text, as the attribute's value


def test_map_svg_keeps_a_quote_inside_its_attribute() -> None:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    svg = choropleth_svg(
        {ATTRIBUTE_BREAKOUT: square},
        [MapArea(ATTRIBUTE_BREAKOUT, ATTRIBUTE_BREAKOUT, Decimal("5"))],
        title="t",
        fmt=str,
        legend_title=ATTRIBUTE_BREAKOUT,
    )
    codes = {el.attrib.get("data-code") for el in _no_handlers(svg)}
    assert ATTRIBUTE_BREAKOUT in codes


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_starts_a_formula_is_prefixed(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Café Verde", "", "Total = 3", "1-2", "'=already"])
def test_other_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


def test_every_workbook_is_saved_without_live_formulas(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for text in FORMULAS:
        ws.append([text, -3, Decimal("1.50")])
    ours = wb.create_sheet("By year")
    ours.append([1, 2, "=A1+B1"])
    out = save_atomic(wb, tmp_path / "out.xlsx", formula_sheets={"By year"})

    back = openpyxl.load_workbook(out)
    cells = [c for row in back.worksheets[0].iter_rows() for c in row]
    # XML reads a stored CR back as LF; the apostrophe in front is what matters
    assert [c.value for c in cells if c.column == 1] == [
        "'" + t.replace("\r", "\n") for t in FORMULAS
    ]
    assert all(c.data_type != "f" for c in cells)
    assert [c.value for c in cells if c.column == 2] == [-3] * len(FORMULAS)  # numbers kept
    assert back["By year"]["C1"].value == "=A1+B1"  # the program's own formula stays live


def test_spend_workbook_from_hostile_names_has_no_formula(tmp_path: Path) -> None:
    hyperlink = FORMULAS[0].replace('"', '""')
    (tmp_path / "partners.csv").write_text(
        "id,name,type,group,sector\n"
        f'cc,"{hyperlink}",county council,@SUM(1),Local government\n'
        "icb,\"=cmd|' /C calc'!A0\",nhs commissioner,NHS,Health\n",
        encoding="utf-8",
    )
    (tmp_path / "spend.csv").write_text(
        "partner,year,service,subservice,amount_gbp,customer_group\n"
        "cc,2024/25,Adult Social Care,-2+3,100.00,+1+2\n"
        "icb,2024/25,NHS.ACUTE,,50.00,\n",
        encoding="utf-8",
    )
    ws = Workspace.create(tmp_path / "place", "Testshire", population=1000)
    try:
        import_partners(ws, tmp_path / "partners.csv")
        import_lines(ws, tmp_path / "spend.csv")
        out = write_report(ws, tmp_path / "spend.xlsx").out
    finally:
        ws.close()

    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    # The only formulas are the program's own (issue 12): the partner x service matrix's
    # totals, the By group sheet's total, shares and per head, and the Summary's references
    # to them. Each is made of cell references to the workbook's own sheets, numbers,
    # operators, SUM, IF, N and ROUND, and "" only; nothing from the input is ever a formula.
    formulas = [(c.parent.title, c.value) for c in cells if c.data_type == "f"]
    assert {sheet for sheet, _ in formulas} == {"Partner by service", "By group", "Summary"}
    own = r"(?:'By group'!)?\$?[A-Z]+\$?\d+"
    token = rf"{own}(?::{own})?|\d+|SUM|IF|ROUND|N|\(|\)|,|=|/|\*|\+|-|\"\""
    for sheet, formula in formulas:
        assert formula.startswith("="), (sheet, formula)
        assert re.fullmatch(rf"(?:{token})+", formula[1:]), (sheet, formula)
    texts = {c.value for c in cells if isinstance(c.value, str) and c.data_type != "f"}
    assert "'" + FORMULAS[0] in texts  # the partner's name, shown as text
    assert "'@SUM(1)" in texts  # its group
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_appraisal_workbook_keeps_its_own_formulas_only(tmp_path: Path) -> None:
    from wholeplace import cba

    proposal = tmp_path / "p.yaml"
    proposal.write_text(
        'appraisal: {name: "=HYPERLINK(\\"http://evil.example\\")", price_year: 2015/16,\n'
        "  start_year: 2015/16, years: 2, discount_rate: 0.035}\n"
        "costs:\n"
        '  - {description: "=cmd|\' /C calc\'!A0", agency: "@SUM(1)", type: revenue,\n'
        "     confidence: 1, amounts: [1000, 0]}\n"
        "outcomes:\n"
        '  - {description: "+1+2", value: 100, value_type: fiscal, agency: "-2+3",\n'
        "     cohort: [10, 0], engagement: 1, success: 1, deadweight: 0, confidence: 1}\n",
        encoding="utf-8",
    )
    out = cba.run(proposal, out=tmp_path / "audit.xlsx").report
    assert out is not None
    book = openpyxl.load_workbook(out)
    formulas = {
        (sheet.title, c.coordinate): c.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.data_type == "f"
    }
    # the discounting and totals, and the Summary's figures on them (B2:B10), written by
    # the program and referring only to the By year sheet
    assert {t for t, _ in formulas} == {"By year", "Summary"}
    summary = {k: v for k, v in formulas.items() if k[0] == "Summary"}
    assert set(summary) == {("Summary", f"B{r}") for r in range(2, 11)}
    assert all("By year'!" in v and "HYPERLINK" not in v for v in summary.values())
    texts = {
        c.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and (sheet.title, c.coordinate) not in formulas
    }
    assert {"'=cmd|' /C calc'!A0", "'@SUM(1)", "'+1+2", "'-2+3"} <= texts
