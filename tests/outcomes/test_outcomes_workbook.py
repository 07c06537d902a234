"""The framework from a workbook: the same framework as the page's YAML, and problems named by
sheet and Excel row."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from outcomes_example import cli, cli_json, doc_files

from wholeplace.outcomes.load import parse_framework

IND = [
    "outcome",
    "id",
    "name",
    "definition",
    "source",
    "unit",
    "polarity",
    "frequency",
    "owner",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "accuracy",
    "completeness",
    "uniqueness",
    "consistency",
    "timeliness",
    "validity",
]
MEAS = ["service", "category", *IND[1:]]


def page_as_workbook(path: Path) -> None:
    """docs/outcomes.md's framework (all but its SROI) typed into a workbook by hand."""
    wb = Workbook()
    ws = wb.active
    ws.title = "outcomes"
    ws.append(["Riverton outcomes framework"])  # a title row above the header
    ws.append(["id", "title", "partners"])
    ws.append(["safe-families", "Families are safe at home", "cc, police"])
    ws = wb.create_sheet("indicators")
    ws.append(IND)
    ws.append(
        [
            "safe-families",
            "repeat-dv",
            "Repeat domestic abuse call-outs",
            "Households with a second police call-out for domestic abuse within 12 months, "
            "per 1,000 households",
            "Riverton Police incident system",
            "per 1,000 households",
            "lower",
            "quarterly",
            "police",
            12.0,
            date(2024, 3, 31),
            9.0,
            "2026-03-31",
            4,
            4,
            5,
            4,
            4,
            4,
        ]
    )
    ws = wb.create_sheet("services")
    ws.append(["id", "name", "partner", "outcomes"])
    ws.append(["early-help", "Early help family support", "cc", "safe-families"])
    ws = wb.create_sheet("measures")
    ws.append(MEAS)
    ws.append(
        [
            "early-help",
            "how much",
            "families-supported",
            "Families supported",
            "Families with an open early help plan in the month",
            "Council case system",
            "families",
            "higher",
            "monthly",
            "cc",
            None,
            None,
            None,
            None,
            4,
            3,
            4,
            4,
            5,
            4,
        ]
    )
    ws.append(
        [
            "early-help",
            "how well",
            "plans-on-time",
            "Plans agreed within 20 working days",
            "Share of new plans agreed within 20 working days",
            "Council case system",
            "share of new plans",
            "higher",
            "monthly",
            "cc",
            0.7,
            "2024-03-31",
            0.9,
            "2025-03-31",
            2,
            3,
            4,
            4,
            5,
            4,
        ]
    )
    ws.append(
        [
            "early-help",
            "better off",
            "families-safer",
            "Families with no repeat call-out six months after support",
            "Share of families closed six months ago with no repeat call-out since",
            "Council case system matched with police incidents",
            "share of families",
            "higher",
            "quarterly",
            "cc",
            0.6,
            "2024-03-31",
            0.7,
            "2025-03-31",
            4,
            4,
            4,
            4,
            3,
            4,
        ]
    )
    ws = wb.create_sheet("claims")
    ws.append(
        [
            "id",
            "description",
            "indicator",
            "gross",
            "unit",
            "reference",
            "reference_source",
            "leakage",
            "leakage_source",
            "displacement",
            "displacement_source",
            "deadweight",
            "deadweight_source",
            "attribution",
            "attribution_source",
            "comparison_area",
            "comparison_with",
            "comparison_before",
            "comparison_after",
            "comparison_source",
        ]
    )
    ws.append(
        [
            "repeat-offending",
            "Repeat offences among the first 290 families",
            "repeat-dv",
            73,
            "% fall",
            38,
            "the comparison group's fall implied by Greater Manchester's "
            "published 73 % gross and 35 % net",
            *([None] * 8),
            "N01",
            "S01",
            "2023/24 Q4",
            "2024/25 Q2",
            "illustrative: South Riverton, alike in deprivation, has no early help team yet",
        ]
    )
    ws.append(
        [
            "into-work",
            "Parents into work",
            None,
            120,
            "people",
            None,
            None,
            0.1,
            "illustrative: 1 in 10 live outside Riverton",
            0.25,
            "illustrative: jobs taken from other local jobseekers",
            0.2,
            "illustrative: the comparison group's rate into work",
            0.15,
            "illustrative: the Jobcentre's share of the support",
        ]
    )
    wb.save(path)


def numbers_as_values(j: object) -> object:
    """The framework's JSON with every number compared by value (12.0 == 12.00)."""
    from decimal import Decimal, InvalidOperation

    if isinstance(j, dict):
        return {k: numbers_as_values(v) for k, v in j.items()}
    if isinstance(j, list):
        return [numbers_as_values(v) for v in j]
    if isinstance(j, str):
        try:
            return Decimal(j).normalize()
        except InvalidOperation:
            return j
    return j


def test_the_workbook_gives_the_same_framework_as_the_yaml(example: tuple[str, Path]) -> None:
    w, folder = example
    page_as_workbook(folder / "framework.xlsx")
    res = cli_json("outcomes", "import-framework", str(folder / "framework.xlsx"), "-w", w)
    assert res["file"] == "framework.xlsx"
    assert (res["outcomes"], res["indicators"], res["measures"], res["claims"]) == (1, 1, 3, 2)
    from_yaml = parse_framework(doc_files()["outcomes.yaml"], "outcomes.yaml", None).to_json()
    from_yaml["sroi"] = None
    r = cli_json("outcomes", "report", "-w", w)
    assert [c["net"] for c in r["claims"]] == ["35", "55.08"]
    # the place keeps it: the report reads back the same framework
    from wholeplace.outcomes import service
    from wholeplace.workspace import Workspace

    ws = Workspace.open(Path(w), read_only=True)
    try:
        kept = service.framework(ws).to_json()
    finally:
        ws.close()
    assert numbers_as_values(kept) == numbers_as_values(from_yaml)


def test_problems_name_the_sheet_and_the_excel_row(example: tuple[str, Path]) -> None:
    w, folder = example
    wb = Workbook()
    ws = wb.active
    ws.title = "outcomes"
    ws.append(["id", "title", "partners"])
    ws.append(["o1", "An outcome", "cc"])
    ws.append(["o2", "No indicator", "cc"])
    ws = wb.create_sheet("indicators")
    ws.append(IND)
    ws.append(
        [
            "o1",
            "i1",
            "I",
            "d",
            "s",
            "u",
            "down",
            "monthly",
            "cc",
            None,
            None,
            None,
            None,
            4,
            4,
            4,
            4,
            4,
            "five",
        ]
    )
    ws.append(["o9", "i2", "I", "d", "s", "u", "lower", "monthly", "cc"])
    wb.save(folder / "bad.xlsx")
    res = cli("outcomes", "import-framework", str(folder / "bad.xlsx"), "-w", w, "--json")
    assert res.exit_code == 2
    got = [
        (p["sheet"], p["row"], p["column"], p["value"]) for p in json.loads(res.stdout)["problems"]
    ]
    assert got == [("indicators", 3, "outcome", "o9")]  # rows are matched to outcomes first
    ws.delete_rows(3)
    wb.save(folder / "bad.xlsx")
    res = cli("outcomes", "import-framework", str(folder / "bad.xlsx"), "-w", w, "--json")
    got = [
        (p["sheet"], p["row"], p["column"], p["value"]) for p in json.loads(res.stdout)["problems"]
    ]
    assert got == [
        ("indicators", 2, "polarity", "down"),
        ("indicators", 2, "validity", "five"),
        ("indicators", 2, "baseline", None),  # an outcome's indicator needs both
        ("indicators", 2, "target", None),
        ("outcomes", 3, "indicators", None),  # o2 has no indicator
    ]
    r = cli_json("outcomes", "report", "-w", w)  # the page's framework is still the place's
    assert [o["id"] for o in r["outcomes"]] == ["safe-families"]
