"""The valid files the fuzz test (test_fuzz.py) starts from, one per importer or reader.

Each is small and accepted as it is; the fuzz test turns it into hostile variants.
"""

from __future__ import annotations

import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from fuzzing import Sheets, stable, workbook_bytes

DATA = resources.files("wholeplace") / "data"


def shipped(*parts: str) -> Path:
    ref = DATA.joinpath(*parts)
    return Path(str(ref))


def shipped_yaml(*parts: str) -> Any:
    return yaml.safe_load(shipped(*parts).read_text(encoding="utf-8"))


PARTNERS: Sheets = {
    "Partners": [
        ["id", "name", "type", "group", "sector", "population_served"],
        ["fz1", "Fuzz County Council", "county council", "Councils", "Local government", 500000],
        ["fz2", "Fuzz ICB", "NHS commissioner", "NHS", "Health", None],
        ["fz3", "Fuzz Police", "police", "Police", "Police", 1200000],
    ]
}
AREAS: Sheets = {
    "Areas": [
        ["code", "name", "population"],
        ["A1", "Area One", 1000],
        ["A2", "Area Two", 2000],
        ["A3", "Area Three", None],
    ]
}
SPEND: Sheets = {
    "Spend": [
        ["Spend by partner 2024/25"],
        [],
        ["partner", "year", "service", "subservice", "area", "amount_gbp", "customer_group",
         "counterparty", "estimate", "estimate_method", "source"],
        ["cc", "2024/25", "ASC", "Care homes", "A1", "1000.50", "Older people", "", "", "", "GL"],
        ["cc", "2024/25", "EDU", "", "A2", "£2,000", "", "icb", "", "", "GL"],
        ["icb", "2024/25", "NHS.ACUTE", "", "", 300, "", "", "yes", "share of region", "est"],
        ["Total", "", "", "", "", "3300.50"],
    ]
}  # fmt: skip
SPEND_OWN_NAMES = (
    "partner,year,service,amount_gbp\ncc,2024/25,Home care,100\ncc,2024/25,Schools,200\n"
    "icb,2024/25,Hospital,300\n"
)
SPEND_MAPPING = (
    "source_service,service,partner\nHome care,ASC,\nSchools,EDU,cc\nHospital,NHS.ACUTE,icb\n"
)
OUTTURN: Sheets = {
    "RS LA Data 2019-20": [
        ["Revenue Outturn (RO) 2019-20: "],
        ["Net current expenditure (£ thousand)"],
        [],
        ["E-code", "ONS Code", "Local authority", None, "Class", "Education services (a)",
         "Adult Social Care ", "TOTAL SERVICE EXPENDITURE (total of lines 190 to 698)",
         "Parish precepts"],
        ["E0101", "E06000022", "Bath (b)", None, "UA", 10, 3.5, 13.5, 5],
        ["E0102", "E06000023", "Bristol", None, "UA", 2, 3, 5, 1],
        [None, None, "ENGLAND", None, None, 12, 6.5, 18.5, 6],
    ]
}  # fmt: skip
TRANSACTIONS = (
    "Spend over £500: Vale District Council\r\n"
    "Published 3 April 2025\r\n"
    "\r\n"
    "Directorate,Service Area,Expense Type,Supplier Name,Payment Date,Net Amount (£)\r\n"
    'Adults,Adult Social Care,Care homes,Sunny Care Ltd,03/04/2024,"£1,234.50"\r\n'
    "Place,Waste,Vehicles,Big Trucks PLC,4-Apr-24,(250.00)\r\n"
    "Place,Waste,Fuel,Big Trucks PLC,2024-04-05,-99.99\r\n"
    "Place,Parks,Trees,Café Verde,06/04/24,500 CR\r\n"
    'Resources,Finance,Audit,"Smith, Jones & Co",31/03/2025,"12,000"\r\n'
    ',,,TOTAL,,"13,384.51"\r\n'
)
TRANSACTIONS_MAPPING = (
    "department,service_area,expense_type,service,customer_group\n"
    "Place,Waste,,ENV,\nPlace,Waste,Fuel,HTS,\n,Finance,,CEN,\n"
)
_UCD_HEAD = [
    ["Cost code", "Cost saving detail", "Unit", "Agency (Level 1)", None, "Outcome category",
     "Outcome detail", "Fiscal cost", None, None, "Economic cost", None, None, "Social value",
     None, None, "Original source", "RAG rating", "Comment"],
    [None, None, None, "Level 1", "Level 2", None, None, "Estimated value", "Price year",
     "Updated value", "Estimated value", "Price year", "Updated value", "Estimated value",
     "Price year", "Updated value", None, None, None],
]  # fmt: skip
UNITCOSTS: Sheets = {
    "Crime": [
        *_UCD_HEAD,
        ["CR1.0", "Incident of crime", "incident", "Police", "Police", "Crime", "all crime",
         100, "2012/13", 105, None, None, None, 50, "2012/13", 52, "Home Office", "Amber", "x"],
        ["CR1.1", "Arrest", "arrest", "Police", "Police", "Crime", "arrests", "=3308/40",
         "2011/12", 85, 10, "2011/12", 10.5, None, None, None, "Home Office", "Green", ""],
    ],
    "Health": [
        *_UCD_HEAD,
        ["HE1.0", "A&E attendance", "attendance", "NHS", "Hospital", "Health", "A&E",
         "=SUM(H4:H4)", "2013/14", 110, None, None, None, None, None, None, "NHS", "Red", ""],
        ["HE1.1", "GP visit", "visit", "NHS", "Primary", "Health", "GP", 45, "2013/14", 46,
         None, None, None, None, None, None, "PSSRU", "Green", ""],
    ],
    "Lookups": [
        [None, "Current year"],
        [None, "2015/16"],
        [],
        [None, "Year", "Change on previous year"],
        [None, "2010/11", 2.0],
        [None, "2011/12", 1.5],
        [None, "2012/13", 1.8],
        [None, "2013/14", 1.7],
        [None, "2014/15", 1.6],
        ["f", "2015/16", 1.2],
    ],
}  # fmt: skip
DEFLATORS = (
    "year,pct_change,forecast,source\n2010/11,2.0,n,HMT\n2011/12,1.5,n,HMT\n2012/13,1.8,n,HMT\n"
    "2013/14,1.7,n,HMT\n2014/15,1.6,n,HMT\n2015/16,1.2,y,HMT\n"
)
POOL_WORKBOOK: Sheets = {
    "pool": [
        ["key", "value"],
        ["name", "Integrated community equipment service pooled budget"],
        ["host", "lcc"],
        ["services", "community equipment, minor adaptations"],
    ],
    "partners": [["id", "name"], ["lcc", "County Council (host)"], ["icb", "NHS ICB"],
                 ["bc", "Borough Council"]],
    "contributions": [
        ["year", "partner", "cash", "in_kind"],
        ["2024-25", "lcc", 500000, 100000],
        ["2024-25", "icb", 300000, None],
        ["2024-25", "bc", 100000, None],
        ["2025-26", "lcc", 520000, 100000],
        ["2025-26", "icb", 310000, None],
        ["2025-26", "bc", 70000, None],
    ],
    "outturn": [["year", "outturn", "kind"], ["2024-25", 1150000, "actual"],
                ["2025-26", 970000, "forecast"]],
    "rules": [
        ["applies_to", "up_to", "split", "lcc", "icb", "bc"],
        ["overspend", 20000, "host", None, None, None],
        ["overspend", 100000, "proportional", None, None, None],
        ["overspend", None, "fixed", 50, 50, None],
        ["overspend", None, "cap", None, None, 5000],
        ["underspend", None, "proportional", None, None, None],
    ],
}  # fmt: skip
# an appraisal's JSON as `wholeplace cba run --json` writes it: present values and the flows
# by year (a gain-share agreement needs the latter, issue 10)
AGENCY_MATRIX = {
    "by_year": [{"year": "2015/16"}, {"year": "2016/17"}],
    "by_agency": {
        "DWP": {"pv_costs": "0.00", "pv_fiscal": "202198.48", "pv_fiscal_cashable": "101099.24",
                "by_year": {"costs": ["0.00", "0.00"], "fiscal": ["84020.63", "126030.95"],
                            "fiscal_cashable": ["42010.32", "63015.47"]}},
        "Local Authority": {"pv_costs": "415608.70", "pv_fiscal_cashable": "0.00",
                            "by_year": {"costs": ["233000.00", "189000.00"],
                                        "fiscal_cashable": ["0.00", "0.00"]}},
    },
}  # fmt: skip
PARAMETERS = {
    "reason": "our own evidence",
    "values": {"2015-04-01": [{"from_year": 0, "rate": 0.10}, {"from_year": 31, "rate": 0.05}]},
}
BOUNDARIES = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"code": "A1", "name": "One"},
         "geometry": {"type": "Polygon",
                      "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}},
        {"type": "Feature", "properties": {"code": "A2"},
         "geometry": {"type": "MultiPolygon",
                      "coordinates": [[[[1, 0], [2, 0], [2, 1], [1, 0]]]]}},
    ],
}  # fmt: skip


def csv_of(sheets: Sheets) -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [["" if v is None else v for v in r] for r in next(iter(sheets.values()))]
    )
    return out.getvalue().encode("utf-8")


def template_sheets(folder: Path) -> tuple[bytes, Sheets]:
    """The appraisal template (filled in with the example), as bytes and as cell values."""
    import openpyxl

    from wholeplace.cba import service as cba

    path = folder / "template.xlsx"
    cba.template(path)
    wb = openpyxl.load_workbook(path)
    sheets = {sh.title: [list(r) for r in sh.iter_rows(values_only=True)] for sh in wb.worksheets}
    return stable(path.read_bytes()), sheets


def forecast_doc() -> dict[str, Any]:
    """The shipped forecast; it names its scheme beside it (troubled_families_2012.yaml), so
    whoever writes it out puts the scheme beside it too."""
    doc: dict[str, Any] = shipped_yaml("sharing", "pbr_forecast_example.yaml")
    assert doc["scheme"] == "troubled_families_2012.yaml"
    return doc


def text(path: Path) -> bytes:
    return path.read_bytes()


def dump_yaml(doc: Any) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


def dump_json(doc: Any) -> bytes:
    return json.dumps(doc).encode("utf-8")


def xlsx(sheets: Sheets) -> bytes:
    return workbook_bytes(sheets)


# -- the shared estate (issue 16) ----------------------------------------------------------
# The estate place's two areas are squares of British National Grid: A1 from (350,000,
# 430,000) and A2 from (360,000, 430,000), 10 km a side; every seed asset is in one of them.
ESTATE_SQUARES = {"A1": (350_000, 430_000), "A2": (360_000, 430_000)}
ESTATE_SQUARE_M = 10_000
ASSETS: Sheets = {
    "Register": [
        ["UPRN", "AssetCode", "PropertyName", "StreetName", "PostTown", "PostCode", "GeoX",
         "GeoY", "TenureType", "BuildingSize", "running_cost", "utilisation", "condition",
         "lease_end", "surplus"],
        ["100010001", "C1", "County Hall", "1 High Street", "Fuzzton", "FZ1 1AA", 355000,
         435000, "Freehold", 1200, "£96,000.50", "65%", "B", "", "no"],
        ["100010002", "C2", "Library", "2 Low Road", "Fuzzton", "FZ1 2BB", 365000, 435000,
         "Leasehold", 300, 21000, 40, "C", "2031-03-31", "yes"],
        ["", "C3", "Depot", "", "", "", "", "", "Freehold", "", "", "", "", "", ""],
    ]
}  # fmt: skip
# The register the pipeline names (partner hbc), imported into the estate place before
ESTATE_HBC = (
    "UPRN,AssetCode,PropertyName,GeoX,GeoY,BuildingSize,running_cost,utilisation\n"
    "200010001,H1,Town Hall,355500,435500,800,40000,50\n"
    "200010002,H2,Museum,364000,434000,400,10000,90\n"
)
# Two columns fill one field (unused_m2, summed, as ERIC's floor areas) and hours give the
# utilisation: the figures the fuzz test found overflowing Decimal.
ASSETS_OWN_LAYOUT = (
    "Ref,Site,Post code,East,North,Area m2,Cost,Used,Open,Empty m2,Under-used m2\n"
    "I1,Health Centre,FZ2 1AA,356000,436000,900,45000,20,40,,\n"
    "I2,Clinic,FZ2 2BB,361000,431000,250,12000.25,,,50,25\n"
)
ASSETS_MAPPING = (
    "field,column\nref,Ref\nname,Site\npostcode,Post code\nx,East\ny,North\n"
    "gia_m2,Area m2\ncost_total,Cost\nhours_used,Used\nhours_available,Open\n"
    "unused_m2,Empty m2\nunused_m2,Under-used m2\n"
)
INDICATOR = "LSOA code (2011),LSOA name,value\nA1,Area One,12.5\nA2,Area Two,30\n"
OPE_TARGETS = 'year,receipts,savings\n2025/26,250000,40000\n2026/27,"£100,000",20000.50\n'
OPE_PIPELINE = (
    "asset,stage,year,receipt,saving\n"
    "hbc/H1,identified,2025/26,250000,10000\n"
    "hbc/H2,disposed,2024/25,0,5000\n"
)


def estate_boundaries() -> dict[str, Any]:
    """The estate place's areas, as GeoJSON in grid metres."""
    features = []
    for code, (x0, y0) in ESTATE_SQUARES.items():
        s = ESTATE_SQUARE_M
        ring = [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": features,
    }
