"""The XLSX appraisal template's drop-down lists and unit-cost lookup (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from wholeplace.cba import model
from wholeplace.cba.unitcosts import curated_book

EXAMPLE = Path(model.__file__).parent.parent / "data" / "cba" / "example_appraisal.yaml"

# The curated book's agencies (docs/cba.md) less "Multiple", which is no partner, and
# alphabetically; the example appraisal names no other (Local Authority, DWP, NHS).
PARTNERS = [
    "Criminal Justice System",
    "DWP",
    "Fire Service",
    "HM Treasury",
    "Local Authority",
    "NHS",
    "Police",
]
# 2000/01 to the last year of the HMT deflator series, 2029/30: 30 years.
YEARS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2000, 2030)]


def _lists(ws: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for col in ws.iter_cols(values_only=True):
        out[str(col[0])] = [v for v in col[1:] if v is not None]
    return out


def _validation(ws: Any, cell: str) -> Any:
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, (ws.title, cell)
    return found[0]


def _range(wb: Any, ref: str) -> list[Any]:
    sheet, cells = ref.lstrip("=").split("!")
    return [row[0].value for row in wb[sheet.strip("'")][cells.replace("$", "")]]


def test_drop_downs_offer_partners_value_types_years_and_codes(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    model.write_template(model.load_appraisal(EXAMPLE, curated_book()), out)
    wb = openpyxl.load_workbook(out)
    lists = _lists(wb["Lists"])
    assert lists["partners"] == PARTNERS
    assert lists["value types"] == ["fiscal", "economic", "social"]
    assert lists["cost types"] == ["capital", "revenue", "in_kind"]
    assert lists["financial years"] == YEARS
    assert lists["confidence grades"] == [1, 2, 3, 4, 5, 6]

    costs = wb["Costs"]
    assert _range(wb, _validation(costs, "B2").formula1) == PARTNERS  # agency
    assert _range(wb, _validation(costs, "C200").formula1) == ["capital", "revenue", "in_kind"]
    assert _validation(costs, "C2").errorStyle == "stop"
    assert _validation(costs, "B2").errorStyle == "warning"  # a partner of the place's own
    outcomes = wb["Outcomes"]
    codes = _range(wb, _validation(outcomes, "B2").formula1)  # unit_cost
    assert codes == [e.code for e in curated_book().entries] and len(codes) == 48
    assert _range(wb, _validation(outcomes, "D2").formula1) == ["fiscal", "economic", "social"]
    assert _range(wb, _validation(outcomes, "E2").formula1) == YEARS  # value_year
    assert _range(wb, _validation(outcomes, "F2").formula1) == PARTNERS  # agency
    appraisal = wb["Appraisal"]
    assert appraisal["A3"].value == "price_year" and appraisal["A4"].value == "start_year"
    assert _range(wb, _validation(appraisal, "B3").formula1) == YEARS
    assert _range(wb, _validation(appraisal, "B4").formula1) == YEARS


def test_each_outcome_row_looks_its_unit_cost_up_with_index_match(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    model.write_template(model.load_appraisal(EXAMPLE, curated_book()), out)
    wb = openpyxl.load_workbook(out)
    ou = wb["Outcomes"]
    heads = [c.value for c in ou[1]]
    # 25 template columns, then the example's five years Y0..Y4, then the lookups
    at = heads.index("unit cost (looked up)")
    assert at == 25 + 5 and heads[at + 1 : at + 4] == [
        "unit (looked up)",
        "fiscal value £ (looked up)",
        "fiscal value's price year (looked up)",
    ]
    lookup = ou.cell(row=2, column=at + 1).value
    assert lookup == (
        '=IF($B2="","",IFERROR(INDEX(\'Unit costs\'!$B$2:$B$49,'
        "MATCH($B2,'Unit costs'!$A$2:$A$49,0)),\"not in the Unit costs sheet\"))"
    )
    # every row to 201 carries it, so a row the user adds looks its code up too
    assert ou.cell(row=201, column=at + 3).value.startswith('=IF($B201="","",IFERROR(INDEX(')
    assert "'Unit costs'!$F$2:$F$49" in ou.cell(row=201, column=at + 3).value
    # INDEX/MATCH by hand on the first outcome: E&E1.0.1 is the 8th row of the Unit costs
    # sheet, so the lookups return row 8's description, unit, fiscal value and year.
    assert ou["B2"].value == "E&E1.0.1"
    uc = wb["Unit costs"]
    row = [c.value for c in uc["A"]].index("E&E1.0.1") + 1
    entry = curated_book().get("E&E1.0.1")
    assert entry is not None and entry.values["fiscal"].year == uc.cell(row=row, column=7).value
    assert uc.cell(row=row, column=2).value == entry.description
    assert uc.cell(row=row, column=6).value == float(entry.values["fiscal"].amount)
    assert uc.cell(row=row, column=6).number_format.startswith('"£"#,##0.00')


def test_the_filled_in_template_round_trips_through_the_importer(tmp_path: Path) -> None:
    app = model.load_appraisal(EXAMPLE, curated_book())
    out = tmp_path / "t.xlsx"
    model.write_template(app, out)
    # As Excel leaves it after a save: the lookups hold their results ("" on empty rows).
    wb = openpyxl.load_workbook(out)
    ou = wb["Outcomes"]
    at = [c.value for c in ou[1]].index("unit cost (looked up)") + 1
    for r in range(2, 202):
        code = ou.cell(row=r, column=2).value
        entry = curated_book().get(code) if code else None
        for i in range(4):
            ou.cell(row=r, column=at + i).value = entry.description if entry else ""
    wb.save(out)
    back = model.load_appraisal(out, curated_book())
    assert model.compute(back).to_json() == model.compute(app).to_json()


def test_a_blank_template_filled_in_by_hand_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    model.write_template(None, out)
    wb = openpyxl.load_workbook(out)
    assert _lists(wb["Lists"])["partners"] == PARTNERS
    ap = wb["Appraisal"]
    ap["B2"] = "Hand"
    ap["B6"] = 0.25  # discount_rate
    wb["Costs"].append(["Workers", "Local Authority", "revenue", 1, 100, 0, 0, 0, 0])
    wb["Outcomes"]["A2"] = "Into work"
    wb["Outcomes"]["B2"] = "E&E1.0.1"
    for col, v in zip("GHIJKLM", [False, 1, 1, 0, "1", 1, 1], strict=True):
        wb["Outcomes"][f"{col}2"] = v
    wb["Outcomes"]["N2"] = "year"
    wb["Outcomes"]["Z2"] = 1  # Y0: one person
    wb.save(out)
    back = model.load_appraisal(out, curated_book())
    assert [c.description for c in back.costs] == ["Workers"]
    assert [o.unit_cost for o in back.outcomes] == ["E&E1.0.1"]


def test_with_a_place_the_partner_drop_down_lists_its_partners(tmp_path: Path) -> None:
    """`cba template --workspace`: the partners of the place by name, in its register's
    order, each with its group beside it, so the agencies typed agree with the spend map's
    names; the agencies of the example's rows follow, alphabetically (DWP, Local Authority
    and NHS named by its costs and outcomes, Police by the unit cost of one outcome); the
    Unit Cost Database's other agencies (Fire Service, HM Treasury...) are not offered."""
    from typer.testing import CliRunner

    from wholeplace.cli import app
    from wholeplace.partners import Partner, upsert
    from wholeplace.workspace import Workspace

    where = tmp_path / "place"
    ws = Workspace.create(where, "Lancashire")
    with ws.write("partners"):
        upsert(ws, [Partner("lcc", "Lancashire County Council", "county council", "County", "LG"),
                    Partner("icb", "NHS Lancashire ICB", "icb", "NHS", "NHS")])  # fmt: skip
    ws.close()
    out = tmp_path / "t.xlsx"
    res = CliRunner().invoke(app, ["cba", "template", str(out), "--workspace", str(where)])
    assert res.exit_code == 0, res.output
    assert f"Wrote {out}." in res.output
    wb = openpyxl.load_workbook(out)
    lists = _lists(wb["Lists"])
    offered = [
        "Lancashire County Council",
        "NHS Lancashire ICB",
        "DWP",
        "Local Authority",
        "NHS",
        "Police",
    ]
    assert lists["partners"] == offered
    assert lists["partner groups (of the partners in column A)"] == ["County", "NHS"]
    assert _range(wb, _validation(wb["Costs"], "B2").formula1) == offered
    assert _range(wb, _validation(wb["Outcomes"], "F2").formula1) == offered
    # --blank: only the place's partners
    blank = tmp_path / "b.xlsx"
    args = ["cba", "template", str(blank), "--blank", "-w", str(where)]
    assert CliRunner().invoke(app, args).exit_code == 0
    lists = _lists(openpyxl.load_workbook(blank)["Lists"])
    assert lists["partners"] == ["Lancashire County Council", "NHS Lancashire ICB"]
