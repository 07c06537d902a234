"""Build the shipped demo place, ``src/wholeplace/data/demo/``, from real published files.

Maintainer tool: the package never imports it and the tests never run it; its output is
committed. Run it from the repository root::

    .venv/bin/python tools/build_demo.py [--reference ../shared/reference]

Inputs (all under the reference folder, each with its own SOURCES.md):

* ``revenue-outturn-lancashire-json/<council>_budgets_govuk.json`` - MHCLG Revenue Outturn (RSX)
  service lines of the 15 Lancashire councils, total expenditure (gross), 2023-24 and 2024-25
  (council lines, exact; Pendle's missing 2023-24 is estimated from 2022-23 and 2024-25).
* ``revenue-outturn-rs/RS_2017-18_data_by_LA.xlsx`` - MHCLG RS 2017-18: Lancashire PCC and
  Lancashire Fire service lines, and each district's / unitary's housing benefit payments.
* ``hmt-cra-pesa/CRA_2018_Database_for_Publication_rvsd.xlsx`` - HM Treasury Country and
  Regional Analysis 2018, North West outturn 2017-18 for DWP and the NHS.
* ``lookups/mysociety_*`` - ONS mid-2020 populations and codes (via mySociety).
* ``boundaries-england/LAD_Dec2024_UK_BFC_simplified.geojson`` - ONS district boundaries.

Every figure written carries its source; estimated lines say how they were estimated. The
script prints its sanity checks and stops (writing nothing) if one fails.
"""

# The markdown tables written into SOURCES.md are wider than the code style allows.
# ruff: noqa: E501
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from wholeplace.money import apportion, fmt_millions, to_money
from wholeplace.spend.importer import COLUMNS

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "wholeplace" / "data" / "demo"
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"

# Published year label -> the demo's year label.
YEARS = {"2023-24": "2023/24", "2024-25": "2024/25"}
HEADLINE_YEAR = "2024/25"

SPEND_COLUMNS = COLUMNS  # the canonical layout the importer reads

# RS/RSX service lines (in published order) -> taxonomy codes. TOTAL SERVICE EXPENDITURE is
# recomputed as a check, never written.
RS_LINES = [
    ("Education services", "EDU"),
    ("Highways and transport services", "HTS"),
    ("Children Social Care", "CSC"),
    ("Adult Social Care", "ASC"),
    ("Public Health", "PHS"),
    ("Housing services (GFRA only)", "HSG"),
    ("Cultural and related services", "CUL"),
    ("Environmental and regulatory services", "ENV"),
    ("Planning and development services", "PLN"),
    ("Police services", "POL"),
    ("Fire and rescue services", "FIR"),
    ("Central services", "CEN"),
    ("Other services", "OTH"),
]
RS_TOTAL = "TOTAL SERVICE EXPENDITURE"  # key in revenue_summary
RSX_TOTAL = "Total Service Expenditure"  # key in detailed_services.RSX
EDUCATION = "Education services"

# Customer groups the service itself defines (wholeplace's assignment, not a published field).
COUNCIL_CUSTOMER_GROUP = {
    "EDU": "Children and young people",
    "CSC": "Children and young people",
    "ASC": "Adults needing care and support",
}


@dataclass(frozen=True)
class Council:
    id: str
    stem: str  # file name stem in revenue-outturn-lancashire-json
    register: str  # mySociety register code
    type: str
    group: str


COUNTY_GROUP = "County council"
DISTRICT_GROUP = "District and borough councils"
UNITARY_GROUP = "Unitary councils"

COUNCILS = [
    Council("lcc", "lancashire_cc", "LAN", "county council", COUNTY_GROUP),
    Council("burnley", "burnley", "BUN", "district", DISTRICT_GROUP),
    Council("chorley", "chorley", "CHO", "district", DISTRICT_GROUP),
    Council("fylde", "fylde", "FYL", "district", DISTRICT_GROUP),
    Council("hyndburn", "hyndburn", "HYN", "district", DISTRICT_GROUP),
    Council("lancaster", "lancaster", "LAC", "district", DISTRICT_GROUP),
    Council("pendle", "pendle", "PEN", "district", DISTRICT_GROUP),
    Council("preston", "preston", "PRE", "district", DISTRICT_GROUP),
    Council("ribble-valley", "ribble_valley", "RIB", "district", DISTRICT_GROUP),
    Council("rossendale", "rossendale", "ROS", "district", DISTRICT_GROUP),
    Council("south-ribble", "south_ribble", "SRI", "district", DISTRICT_GROUP),
    Council("west-lancashire", "west_lancashire", "WLA", "district", DISTRICT_GROUP),
    Council("wyre", "wyre", "WYR", "district", DISTRICT_GROUP),
    Council("blackburn", "blackburn", "BBD", "unitary", UNITARY_GROUP),
    Council("blackpool", "blackpool", "BPL", "unitary", UNITARY_GROUP),
]

NHS_ID, DWP_ID, POLICE_ID, FIRE_ID = "nhs-lsc", "dwp", "lancs-pcc", "lancs-fire"
OTHER_PARTNERS = [
    (
        NHS_ID,
        "NHS Lancashire and South Cumbria Integrated Care Board",
        "nhs commissioner",
        "NHS",
        "Health",
    ),
    (
        DWP_ID,
        "Department for Work and Pensions (Jobcentre Plus)",
        "dwp",
        "DWP",
        "Central government",
    ),
    (
        POLICE_ID,
        "Lancashire Police and Crime Commissioner (Lancashire Constabulary)",
        "police",
        "Police and fire",
        "Police",
    ),
    (FIRE_ID, "Lancashire Combined Fire Authority", "fire", "Police and fire", "Fire"),
]
COUNCIL_SECTOR = "Local government"

# --- sources (text written into the files) -------------------------------------------------
VIA_JSON = "via tompickup23/burnleycouncil budgets_govuk.json"
RS1718 = (
    "MHCLG Revenue Outturn Summary (RS) 2017-18 (OGL v3.0; via BBC-Data-Unit/council-cuts-charts)"
)
CRA = (
    "HM Treasury Country and Regional Analysis 2018, North West, outturn 2017-18 "
    "(OGL v3.0; via thomasforth/PESAParser)"
)
POP_SOURCE = (
    "ONS mid-2020 population estimate, via mySociety uk_local_authority_names_and_codes "
    "(la_area_pop2020, pop-2020), CC BY 4.0"
)
POP_SHORT = "ONS mid-2020 population (via mySociety, CC BY 4.0)"
POP_YEAR = "mid-2020"
HELD_FLAT = "2017-18 cash figure held flat for this year (not uprated)"

# --- inter-partner payments (illustrative amounts, see SOURCES.md) ---------------------------
# Sized to sit plausibly inside gross figures: the NHS contribution is below the county's
# published Adult Social Care "other income" (where NHS contributions are recorded) in both
# years, and the county's payment to Burnley is below Burnley's gross housing services line;
# the script checks both.
LCC_TO_ICB_BCF = Decimal("5000000.00")
LCC_TO_BURNLEY_BCF = Decimal("500000.00")
ICB_TO_LCC_BCF = Decimal("80000000.00")
LCC_TO_BURNLEY_LABEL = (
    "Better Care Fund: revenue funding passed to the district (housing support for people "
    "leaving hospital)"
)
ILLUSTRATIVE = (
    "illustrative amount chosen for the demo, not a published figure; carved out of the "
    "payer's own line so the payer's total is unchanged"
)

# --- CRA 2017-18 DWP segments -> (service, subservice, customer group) -----------------------
_PEN, _DIS, _WA, _FAM = (
    "Pensioners",
    "Disabled people and carers",
    "Working-age adults",
    ("Families with children"),
)
DWP_SEGMENTS: dict[str, tuple[str, str, str]] = {
    "S032A044": ("SSB.PENSION", "State Pension", _PEN),
    "S032A045": ("SSB.PENSION", "State Pension Christmas bonus", _PEN),
    "S032A042": ("SSB.PENSION", "Non-contributory retirement pension", _PEN),
    "S032A043": ("SSB.PENSION", "Pension Credit", _PEN),
    "S032A069": ("SSB.PENSION", "Winter Fuel Payment", _PEN),
    "S032A022": ("SSB.PENSION", "Financial Assistance Scheme", _PEN),
    "S032A030": ("SSB.PENSION", "Pension Protection Fund", _PEN),
    "S032A040": ("SSB.PENSION", "State Pension rights", _PEN),
    "S032A076": ("SSB.PENSION", "Pension age benefits (residual)", _PEN),
    "S032A036": ("SSB.DISABILITY", "Attendance Allowance", _DIS),
    "S032A038": ("SSB.DISABILITY", "Disability Living Allowance", _DIS),
    "S032A087": ("SSB.DISABILITY", "Personal Independence Payment", _DIS),
    "S032A037": ("SSB.DISABILITY", "Carer's Allowance", _DIS),
    "S032A055": ("SSB.DISABILITY", "Industrial Injuries Disablement Benefit", _DIS),
    "S032A056": ("SSB.DISABILITY", "Other industrial injuries benefits", _DIS),
    "S032A063": ("SSB.DISABILITY", "Severe Disablement Allowance", _DIS),
    "S032A041": ("SSB.DISABILITY", "Vaccine Damage Payments", _DIS),
    "S032A094": ("SSB.DISABILITY", "Vaccine Damage Payments", _DIS),
    "S032A028": ("SSB.DISABILITY", "Motability", _DIS),
    "S032A093": ("SSB.DISABILITY", "Motability", _DIS),
    "S032A086": ("SSB.WORKING_AGE", "Universal Credit", _WA),
    "S032A050": ("SSB.WORKING_AGE", "Employment and Support Allowance", _WA),
    "S032A058": ("SSB.WORKING_AGE", "Jobseeker's Allowance", _WA),
    "S032A053": ("SSB.WORKING_AGE", "Income Support", _WA),
    "S032A052": ("SSB.WORKING_AGE", "Incapacity Benefit", _WA),
    "S032A051": ("SSB.WORKING_AGE", "In Work Credit", _WA),
    "S032A057": ("SSB.WORKING_AGE", "Job Grant", _WA),
    "S032A062": ("SSB.WORKING_AGE", "Return to Work Credit", _WA),
    "S032A059": ("SSB.FAMILY", "Maternity Allowance", _FAM),
    "S032A068": ("SSB.FAMILY", "Sure Start Maternity Grants (Social Fund)", _FAM),
    "S032A096": ("SSB.FAMILY", "Sure Start Maternity Grants (Social Fund)", _FAM),
    "S032A083": ("SSB.FAMILY", "Child Maintenance Group", _FAM),
    "S032A049": ("SSB.OTHER", "Bereavement benefits", ""),
    "S032A054": ("SSB.OTHER", "Industrial Death Benefit", ""),
    "S032A064": ("SSB.OTHER", "Cold Weather Payments (Social Fund)", ""),
    "S032A065": ("SSB.OTHER", "Community Care Grants (Social Fund)", ""),
    "S032A070": ("SSB.OTHER", "Statutory Sick Pay and Statutory Maternity Pay", ""),
    "S032A014": ("SSB.OTHER", "Financial Inclusion Fund", ""),
    "S032A012": ("SSB.OTHER", "Benefit delivery (DWP administration)", ""),
    "S032A071": ("SSB.OTHER", "Benefit delivery (DWP administration)", ""),
    "S032A072": ("SSB.OTHER", "Benefit delivery (DWP administration)", ""),
    "S032A009": ("SSB.OTHER", "National Insurance Fund administration", ""),
    "S032A001": ("EMP", "Employment programmes", _WA),
    "S032A018": ("EMP", "European Social Fund", _WA),
    "S032A074": ("EMP", "Jobcentre Plus labour market operational delivery", _WA),
    "S032A085": ("EMP", "Labour market corporate costs", _WA),
    "S032A091": ("EMP", "New Deal and employment programme allowances", _WA),
    "S032A032": ("EMP", "Remploy", _WA),
    "S032A092": ("EMP", "New Enterprise Allowance", _WA),
}
# Outside social protection and employment: left out of the demo (listed in SOURCES.md).
DWP_EXCLUDED = {
    "S032A029": "National Employment Savings Trust (COFOG 1.1)",
    "S032A090": "Office for Nuclear Regulation (COFOG 4.3)",
}

# --- CRA 2017-18 health (DHSC group, function 7) -> (service, subservice) --------------------
NHS_PROVIDERS = ("NHS", "NHS providers (NHS trusts and foundation trusts)")
NHS_CCG = ("NHS", "Clinical commissioning groups (CRA segment S0334001 'Primary care trusts')")
NHS_ENGLAND = ("NHS", "NHS England direct commissioning and administration (CRA segment S0334003)")
NHS_HEE = ("NHS.OTHER", "Health Education England (NHS training)")
NHS_REST = ("NHS.OTHER", "Other national health bodies and DHSC, net (NHS Resolution, PHE, ...)")


def nhs_group(org: str, segment_code: str) -> tuple[str, str]:
    if org in ("NHS Trusts", "Foundation Trusts"):
        return NHS_PROVIDERS
    if segment_code == "S0334001":
        return NHS_CCG
    if segment_code == "S0334003":
        return NHS_ENGLAND
    if org == "Health Education England" or segment_code == "S0337019":
        return NHS_HEE
    return NHS_REST


# ----------------------------------------------------------------------------------------------


class BuildError(RuntimeError):
    pass


# (partner, service, subservice, source figure, source) of every estimate, for SOURCES.md.
INPUTS: list[tuple[str, str, str, str, str]] = []
# Table rows of every derived Education line, for SOURCES.md.
DERIVED: list[str] = []


def dec(value: object) -> Decimal:
    """A published number as an exact Decimal (floats through their shortest repr)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def thousands_to_pounds(value: object, where: str) -> Decimal:
    pounds = dec(value) * 1000
    money = to_money(pounds)
    # RSX carries at most 2 decimals of £k, so x1000 is exact pence; RS 2017-18 has a few
    # imputed values with float noise (e.g. 23831.186090000003), rounded to the penny here.
    if abs(money - pounds) >= Decimal("0.005"):
        raise BuildError(f"{where}: {value!r} thousand is not a whole number of pence")
    return money


@dataclass
class Line:
    partner: str
    year: str
    service: str
    amount: Decimal
    subservice: str = ""
    area: str = ""
    customer_group: str = ""
    counterparty: str = ""
    estimate: bool = False
    estimate_method: str = ""
    source: str = ""

    def row(self) -> list[str]:
        return [
            self.partner,
            self.year,
            self.service,
            self.subservice,
            self.area,
            self.customer_group,
            f"{self.amount:.2f}",
            self.counterparty,
            "yes" if self.estimate else "no",
            self.estimate_method,
            self.source,
        ]


@dataclass(frozen=True)
class AreaInfo:
    code: str
    name: str
    population: int
    council: str  # partner id


# --- readers ---------------------------------------------------------------------------------


def read_populations(ref: Path) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    lookups = ref / "lookups"
    with open(lookups / "mysociety_uk_local_authorities_current.csv", encoding="utf-8") as f:
        registry = {r["local-authority-code"]: r for r in csv.DictReader(f)}
    with open(lookups / "mysociety_la_area_pop2020.csv", encoding="utf-8") as f:
        pop = {r["local-authority-code"]: int(r["pop-2020"]) for r in csv.DictReader(f)}
    return registry, pop


def north_west_populations(
    registry: dict[str, dict[str, str]], pop: dict[str, int]
) -> dict[str, int]:
    """Current lower-tier and unitary areas of the North West region, mid-2020 population."""
    out = {}
    for code, r in registry.items():
        if r["region"] == "North West" and r["lower-or-unitary"] == "True" and not r["end-date"]:
            out[r["gss-code"]] = pop[code]
    return out


def read_council_json(ref: Path, council: Council) -> dict:
    path = ref / "revenue-outturn-lancashire-json" / f"{council.stem}_budgets_govuk.json"
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_rs_2017_18(ref: Path) -> tuple[dict[str, dict[int, Decimal]], dict[str, str]]:
    """RS 2017-18 rows keyed by ONS code (and E-code for bodies without one): {line no: £k}."""
    path = ref / "revenue-outturn-rs" / "RS_2017-18_data_by_LA.xlsx"
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(wb["RS LA Data 2017-18"].iter_rows(values_only=True))
    wb.close()
    line_numbers = rows[5]
    if rows[6][0] != "E-code" or line_numbers[5] != 190:
        raise BuildError(f"{path.name}: header not where expected (row 6/7)")
    out: dict[str, dict[int, Decimal]] = {}
    names: dict[str, str] = {}
    for r in rows[7:]:
        if not r or not r[0] or not str(r[0]).startswith("E"):
            continue
        vals = {}
        for i, ln in enumerate(line_numbers):
            if isinstance(ln, int) and isinstance(r[i], (int, float)):
                vals[ln] = dec(r[i])
        for key in (r[0], r[1]):
            if key:
                out[str(key)] = vals
                names[str(key)] = str(r[2])
    return out, names


def read_cra_north_west(ref: Path) -> list[dict[str, object]]:
    """Identifiable current (CUR) spending in the North West, outturn 2017-18 (£ thousand)."""
    path = ref / "hmt-cra-pesa" / "CRA_2018_Database_for_Publication_rvsd.xlsx"
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    it = wb["CRA 2018 database"].iter_rows(values_only=True)
    header = [str(h) for h in next(it)]
    want = {
        "Department Name",
        "Organisation Name",
        "CRA Segment Name",
        "HMT Function",
        "ID/non-ID",
        "CAP or CUR",
        "NUTS Region",
        "2017-18",
    }
    if not want <= set(header):
        raise BuildError(f"{path.name}: missing columns {sorted(want - set(header))}")
    out = []
    for r in it:
        d = dict(zip(header, r, strict=False))
        # NUTS Region is not consistently cased in this file (see its SOURCES.md).
        region = str(d["NUTS Region"] or "").strip().lower()
        if region == "england_north west" and d["ID/non-ID"] == "ID" and d["CAP or CUR"] == "CUR":
            out.append(d)
    wb.close()
    return out


# --- builders --------------------------------------------------------------------------------


def build_areas(ref: Path) -> tuple[list[AreaInfo], dict[str, dict[str, str]], dict[str, int]]:
    registry, pop = read_populations(ref)
    areas = []
    for c in COUNCILS:
        if c.type == "county council":
            continue
        r = registry[c.register]
        areas.append(AreaInfo(r["gss-code"], r["nice-name"], pop[c.register], c.id))
    return areas, registry, pop


@dataclass
class GrossYear:
    """One council's published RSX gross service lines for one year (£, exact)."""

    lines: dict[str, Decimal]  # RS line name -> gross expenditure
    total: Decimal  # published TOTAL SERVICE EXPENDITURE, gross
    education_derived: bool  # Education = total less the 12 other published lines
    others: Decimal  # sum of the 12 published lines other than Education

    @property
    def gap(self) -> Decimal:
        """Published total less the sum of the lines (non-zero only through rounding)."""
        return self.total - sum(self.lines.values(), Decimal(0))


def gross_year(c: Council, data: dict, pub_year: str) -> GrossYear | None:
    """The council's gross lines for ``pub_year``; None when the parse holds none at all."""
    by = data["by_year"].get(pub_year)
    if by is None:
        return None
    services = by["detailed_services"]["RSX"]["services"]
    where = f"{c.stem} {pub_year}"

    def gross(name: str) -> object:
        return (services.get(name) or {}).get("total_expenditure", {}).get("value_thousands")

    raw = {name: gross(name) for name, _ in RS_LINES}
    raw_total = gross(RSX_TOTAL)
    if raw_total is None and all(v is None for v in raw.values()):
        return None
    if raw_total is None:
        raise BuildError(f"{where}: gross TOTAL SERVICE EXPENDITURE is null but some lines are not")
    nulls = [name for name, v in raw.items() if v is None]
    if nulls not in ([], [EDUCATION]):
        raise BuildError(f"{where}: gross null for {nulls}; only Education can be derived")
    total = thousands_to_pounds(raw_total, f"{where} gross total")
    lines: dict[str, Decimal] = {}
    for name, v in raw.items():
        if v is None:
            continue
        amount = thousands_to_pounds(v, f"{where} {name} gross")
        if amount < 0:
            raise BuildError(f"{where} {name}: negative gross expenditure {amount}")
        lines[name] = amount
    others = sum((v for k, v in lines.items() if k != EDUCATION), Decimal(0))
    derived = False
    if EDUCATION in nulls:
        if c.type == "district":
            # Districts have no education function (their 2024-25 gross Education is 0), so a
            # gap between their lines and the total is rounding, not education.
            lines[EDUCATION] = Decimal(0)
        else:
            edu = total - others
            # Sanity: gross = net + income >= net, and gross >= employee costs alone.
            edu_row = services[EDUCATION]
            net_k = by["revenue_summary"]["service_expenditure"][EDUCATION]["value_thousands"]
            emp_k = (edu_row.get("employees") or {}).get("value_thousands")
            floor = max(dec(net_k or 0), dec(emp_k or 0)) * 1000
            if edu < floor or edu <= 0:
                raise BuildError(
                    f"{where}: derived gross Education {edu} is below the published net or "
                    f"employee costs ({floor})"
                )
            lines[EDUCATION] = edu
            derived = True
    return GrossYear(lines, total, derived, others)


def council_source(pub_year: str, name: str) -> str:
    return (
        f"MHCLG Revenue Outturn {pub_year}, RSX line '{name}', total expenditure (gross), "
        f"{VIA_JSON}"
    )


def council_lines(
    ref: Path, areas: list[AreaInfo], registry: dict[str, dict[str, str]]
) -> tuple[list[Line], list[str], dict[tuple[str, str], Decimal], list[str]]:
    """One line per non-zero gross SeRCOP line per council and year.

    Returns the lines, quirks for SOURCES.md, each council-year's expected total, and the
    council-years written as estimates (with why)."""
    lines: list[Line] = []
    gaps: list[str] = []
    expected: dict[tuple[str, str], Decimal] = {}
    estimated: list[str] = []
    area_of = {a.council: a.code for a in areas}
    for c in COUNCILS:
        data = read_council_json(ref, c)
        gss = registry[c.register]["gss-code"]
        if data["ons_code"] != gss:
            raise BuildError(f"{c.stem}: ONS code {data['ons_code']} != register {gss}")
        for pub_year, year in YEARS.items():
            by = data["by_year"][pub_year]
            check_net_total(c, by, pub_year)
            g = gross_year(c, data, pub_year)
            if g is None:
                name = registry[c.register]["nice-name"]
                new, note = interpolated_year(c, name, data, pub_year, area_of.get(c.id, ""))
                lines += new
                estimated.append(note)
                expected[(c.id, year)] = sum((ln.amount for ln in new), Decimal(0))
                continue
            if g.gap:
                # Published totals are rounded independently of their lines (e.g. Ribble
                # Valley 2023-24 is £1k out); the demo follows the lines and says so.
                if abs(g.gap) > 5000:
                    raise BuildError(
                        f"{c.stem} {pub_year}: gross lines sum to {g.total - g.gap} but TOTAL "
                        f"SERVICE EXPENDITURE is {g.total}"
                    )
                gaps.append(
                    f"{c.id} {year}: the published gross lines sum to £{g.total - g.gap:,.2f} "
                    f"but the published gross TOTAL SERVICE EXPENDITURE is £{g.total:,.2f} "
                    "(rounding in the return); the demo follows the lines"
                )
            for name, code in RS_LINES:
                amount = g.lines[name]
                if amount == 0:
                    continue
                source = council_source(pub_year, name)
                if name == EDUCATION and g.education_derived:
                    source = (
                        f"MHCLG Revenue Outturn {pub_year}, RSX: published gross TOTAL SERVICE "
                        f"EXPENDITURE (£{g.total:,.2f}) less the 12 other published gross "
                        f"service lines (£{g.others:,.2f}); the parse has no gross figure for "
                        f"'{EDUCATION}' this year; {VIA_JSON}"
                    )
                lines.append(
                    Line(
                        partner=c.id,
                        year=year,
                        service=code,
                        amount=amount,
                        area=area_of.get(c.id, ""),
                        customer_group=COUNCIL_CUSTOMER_GROUP.get(code, ""),
                        source=source,
                    )
                )
            if g.education_derived:
                net_k = by["revenue_summary"]["service_expenditure"][EDUCATION]["value_thousands"]
                DERIVED.append(
                    f"| {c.id} | {year} | {g.total:,.2f} | {g.others:,.2f} | "
                    f"{g.lines[EDUCATION]:,.2f} | {dec(net_k) * 1000:,.2f} |"
                )
            expected[(c.id, year)] = g.total - g.gap
    return lines, gaps, expected, estimated


def check_net_total(c: Council, by: dict, pub_year: str) -> None:
    """The RSX detail and the revenue summary must come from the same return (net totals)."""
    summary = by["revenue_summary"]["service_expenditure"][RS_TOTAL]["value_thousands"]
    detail = by["detailed_services"]["RSX"]["services"][RSX_TOTAL]
    net = detail.get("net_current_expenditure", {}).get("value_thousands")
    if summary is not None and net is not None and dec(summary) != dec(net):
        raise BuildError(f"{c.stem} {pub_year}: RSX net total {net} != summary total {summary}")


def neighbour_years(pub_year: str) -> tuple[str, str]:
    start = int(pub_year[:4])
    return f"{start - 1}-{str(start)[2:]}", f"{start + 1}-{str(start + 2)[2:]}"


def interpolated_year(
    c: Council, name: str, data: dict, pub_year: str, area: str
) -> tuple[list[Line], str]:
    """A year the parse holds nothing for: each line = mean of the years either side."""
    before, after = neighbour_years(pub_year)
    gb, ga = gross_year(c, data, before), gross_year(c, data, after)
    if gb is None or ga is None:
        raise BuildError(f"{c.stem} {pub_year}: no gross lines, and no year either side")
    if gb.gap or ga.gap:
        raise BuildError(f"{c.stem}: {before}/{after} lines do not sum to their totals")
    year = YEARS[pub_year]
    cert = {y: data["by_year"][y].get("certified") for y in (before, pub_year, after)}
    lines = []
    for line, code in RS_LINES:
        b, a = gb.lines[line], ga.lines[line]
        mean = (b + a) / 2
        amount = to_money(mean)
        if amount != mean:
            raise BuildError(f"{c.stem} {line}: mean of {b} and {a} is not whole pence")
        if amount == 0:
            continue
        lines.append(
            Line(
                partner=c.id,
                year=year,
                service=code,
                amount=amount,
                area=area,
                customer_group=COUNCIL_CUSTOMER_GROUP.get(code, ""),
                estimate=True,
                estimate_method=(
                    f"Mean of {name}'s published gross '{line}' for {before} (£{b:,.2f}) and "
                    f"{after} (£{a:,.2f}); its {pub_year} return is entirely null in the parse"
                ),
                source=(
                    f"MHCLG Revenue Outturn {before} and {after} ({name}'s two returns), RSX "
                    f"line '{line}', total expenditure (gross), {VIA_JSON}"
                ),
            )
        )
    total = sum((ln.amount for ln in lines), Decimal(0))
    note = (
        f"{c.id} {year}: every RSX line (gross and net) is null in {c.stem}_budgets_govuk.json "
        f"(certified: {cert[pub_year]}), so its {year} lines are **estimates** (`estimate` = "
        f"`yes`): each SeRCOP line is the mean of its published gross line for {before} "
        f"(total £{gb.total:,.2f}, certified: {cert[before]}) and {after} (total "
        f"£{ga.total:,.2f}, certified: {cert[after]}), £{total:,.2f} in all"
    )
    return lines, note


def check_payment_sizes(ref: Path) -> tuple[list[str], dict[str, Decimal]]:
    """The illustrative payments must fit inside the published gross figures they sit in.

    Returns the problems and the county's Adult Social Care "other income" by year."""
    problems = []
    asc_other_income: dict[str, Decimal] = {}
    county = read_council_json(ref, COUNCILS[0])
    burnley = read_council_json(ref, next(c for c in COUNCILS if c.id == "burnley"))
    for pub_year in YEARS:
        asc = county["by_year"][pub_year]["detailed_services"]["RSX"]["services"][
            "Adult Social Care"
        ]
        other_income = dec(asc["other_income"]["value_thousands"]) * 1000
        asc_other_income[pub_year] = other_income
        if other_income <= ICB_TO_LCC_BCF:
            problems.append(f"ICB -> county {ICB_TO_LCC_BCF} >= county ASC other income {pub_year}")
        hsg = burnley["by_year"][pub_year]["detailed_services"]["RSX"]["services"][
            "Housing services (GFRA only)"
        ]
        if dec(hsg["total_expenditure"]["value_thousands"]) * 1000 <= LCC_TO_BURNLEY_BCF:
            problems.append(f"county -> Burnley exceeds Burnley's gross housing {pub_year}")
    return problems, asc_other_income


def carve(lines: list[Line], partner: str, year: str, service: str, amount: Decimal) -> Line:
    """Reduce a partner's line by ``amount`` (so a payment can be shown separately)."""
    matches = [
        ln
        for ln in lines
        if ln.partner == partner
        and ln.year == year
        and ln.service == service
        and not ln.counterparty
    ]
    if len(matches) != 1:
        raise BuildError(f"carve {partner} {year} {service}: {len(matches)} candidate lines")
    ln = matches[0]
    if ln.amount <= amount:
        raise BuildError(f"carve {partner} {year} {service}: {ln.amount} <= {amount}")
    ln.amount -= amount
    return ln


def lcc_payments(lines: list[Line]) -> list[Line]:
    out = []
    for year in YEARS.values():
        asc = carve(lines, "lcc", year, "ASC", LCC_TO_ICB_BCF + LCC_TO_BURNLEY_BCF)
        asc.subservice = (
            "Adult Social Care (published gross line less the payments shown separately)"
        )
        src = asc.source + "; split out by wholeplace"
        out.append(
            Line(
                partner="lcc",
                year=year,
                service="ASC",
                subservice="Better Care Fund pooled budget contribution",
                amount=LCC_TO_ICB_BCF,
                customer_group=COUNCIL_CUSTOMER_GROUP["ASC"],
                counterparty=NHS_ID,
                estimate=True,
                estimate_method="Part of the county's published gross Adult Social Care line; "
                + ILLUSTRATIVE,
                source=src,
            )
        )
        out.append(
            Line(
                partner="lcc",
                year=year,
                service="ASC",
                subservice=LCC_TO_BURNLEY_LABEL,
                amount=LCC_TO_BURNLEY_BCF,
                customer_group=COUNCIL_CUSTOMER_GROUP["ASC"],
                counterparty="burnley",
                estimate=True,
                estimate_method="Part of the county's published gross Adult Social Care line; "
                + ILLUSTRATIVE,
                source=src,
            )
        )
    return out


def per_area(
    nw_amount: Decimal, nw_pops: dict[str, int], areas: list[AreaInfo]
) -> dict[str, Decimal]:
    """Apportion a North West figure over every NW area by population; keep our 14."""
    codes = sorted(nw_pops)
    shares = apportion(nw_amount, [nw_pops[c] for c in codes])
    by_code = dict(zip(codes, shares, strict=True))
    return {a.code: by_code[a.code] for a in areas}


def dwp_lines(
    cra: list[dict[str, object]],
    rs: dict[str, dict[int, Decimal]],
    areas: list[AreaInfo],
    nw_pops: dict[str, int],
) -> tuple[list[Line], list[str]]:
    notes: list[str] = []
    totals: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for d in cra:
        if d["Organisation Name"] != "Department for Work and Pensions":
            continue
        seg = str(d["CRA Segment Name"])
        code = seg.split("-", 1)[0].strip()
        value = dec(d["2017-18"] or 0)
        if code in DWP_EXCLUDED:
            if value:
                notes.append(f"excluded {DWP_EXCLUDED[code]}: £{value:,}k")
            continue
        if code not in DWP_SEGMENTS:
            if value:
                raise BuildError(f"CRA DWP segment {seg!r} (£{value}k) has no mapping")
            continue
        totals[DWP_SEGMENTS[code]] += value
    lines: list[Line] = []
    nw_pop = sum(nw_pops.values())
    for (service, subservice, group), k in sorted(totals.items()):
        if k <= 0:
            if k < 0:
                notes.append(f"left out {subservice}: North West total £{k:,}k (negative)")
            continue
        nw_gbp = thousands_to_pounds(k, subservice)
        INPUTS.append((DWP_ID, service, subservice, f"£{nw_gbp:,.0f}", "CRA North West 2017-18"))
        shares = per_area(nw_gbp, nw_pops, areas)
        for year in YEARS.values():
            for a in areas:
                lines.append(
                    Line(
                        partner=DWP_ID,
                        year=year,
                        service=service,
                        subservice=subservice,
                        area=a.code,
                        customer_group=group,
                        amount=shares[a.code],
                        estimate=True,
                        estimate_method=(
                            f"North West outturn 2017-18 (£{nw_gbp:,.0f}) x area share of the "
                            f"North West population ({a.population:,} of {nw_pop:,}, "
                            f"{POP_YEAR}); {HELD_FLAT}"
                        ),
                        source=f"{CRA}, DWP segment '{subservice}'; population: {POP_SHORT}",
                    )
                )
    # Housing benefit: the councils pay it and DWP refunds it through subsidy; the RS return
    # gives each council's own 2017-18 payments, which beats a regional share.
    for a in areas:
        vals = rs[a.code]
        hb_k = vals.get(711, Decimal(0)) + vals.get(712, Decimal(0)) + vals.get(713, Decimal(0))
        amount = thousands_to_pounds(hb_k, f"RS 2017-18 {a.code} housing benefit")
        if amount <= 0:
            continue
        INPUTS.append(
            (
                DWP_ID,
                "SSB.HB",
                f"Housing benefit, {a.name}",
                f"£{amount:,.2f}",
                "RS 2017-18 lines 711-713",
            )
        )
        for year in YEARS.values():
            lines.append(
                Line(
                    partner=DWP_ID,
                    year=year,
                    service="SSB.HB",
                    subservice="Housing benefit (rent allowances and rebates), paid by the council",
                    area=a.code,
                    amount=amount,
                    estimate=True,
                    estimate_method=(
                        f"{a.name} council's own housing benefit payments 2017-18 (RS lines "
                        f"711-713, £{amount:,.2f}); {HELD_FLAT}"
                    ),
                    source=RS1718 + f"; {a.name} row, lines 711 + 712 + 713",
                )
            )
    return lines, notes


def nhs_lines(
    cra: list[dict[str, object]], areas: list[AreaInfo], nw_pops: dict[str, int]
) -> list[Line]:
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for d in cra:
        if d["Department Name"] != "Department of Health and Social Care":
            continue
        if not str(d["HMT Function"] or "").startswith("7."):
            continue
        code = str(d["CRA Segment Name"]).split("-", 1)[0].strip()
        totals[nhs_group(str(d["Organisation Name"]), code)] += dec(d["2017-18"] or 0)
    lines: list[Line] = []
    nw_pop = sum(nw_pops.values())
    for (service, subservice), k in totals.items():
        if k <= 0:
            raise BuildError(f"NHS group {subservice} is not positive: {k}")
        nw_gbp = thousands_to_pounds(k, subservice)
        INPUTS.append((NHS_ID, service, subservice, f"£{nw_gbp:,.0f}", "CRA North West 2017-18"))
        shares = per_area(nw_gbp, nw_pops, areas)
        for year in YEARS.values():
            for a in areas:
                lines.append(
                    Line(
                        partner=NHS_ID,
                        year=year,
                        service=service,
                        subservice=subservice,
                        area=a.code,
                        amount=shares[a.code],
                        estimate=True,
                        estimate_method=(
                            f"North West health outturn 2017-18 (£{nw_gbp:,.0f}) x area share "
                            f"of the North West population ({a.population:,} of {nw_pop:,}, "
                            f"{POP_YEAR}); {HELD_FLAT}"
                        ),
                        source=f"{CRA}, function 7 Health; population: {POP_SHORT}",
                    )
                )
    # The ICB's Better Care Fund contribution to the county, carved out of its CCG line in
    # each district (the county's area) so the ICB's per-area totals are unchanged.
    districts = [a for a in areas if a.council != "blackburn" and a.council != "blackpool"]
    for year in YEARS.values():
        shares = apportion(ICB_TO_LCC_BCF, [a.population for a in districts])
        for a, share in zip(districts, shares, strict=True):
            src_line = next(
                ln
                for ln in lines
                if ln.year == year and ln.area == a.code and ln.subservice == NHS_CCG[1]
            )
            src_line.amount -= share
            lines.append(
                Line(
                    partner=NHS_ID,
                    year=year,
                    service="ASC",
                    subservice="Better Care Fund: NHS contribution to the pooled budget",
                    area=a.code,
                    amount=share,
                    counterparty="lcc",
                    customer_group=COUNCIL_CUSTOMER_GROUP["ASC"],
                    estimate=True,
                    estimate_method=(
                        f"£{ICB_TO_LCC_BCF:,.0f} for the county area split over its 12 districts "
                        f"by population; {ILLUSTRATIVE}"
                    ),
                    source="wholeplace demo (illustrative); carved out of the line "
                    f"'{NHS_CCG[1]}' ({CRA})",
                )
            )
    return lines


def blue_light_lines(
    rs: dict[str, dict[int, Decimal]], names: dict[str, str], areas: list[AreaInfo]
) -> list[Line]:
    """Police and fire: each body's own RS 2017-18 lines, split over the 14 areas by people."""
    lines: list[Line] = []
    bodies = [
        (POLICE_ID, "E7023", [(601, "POL", "Police services"), (690, "CEN", "Central services")]),
        (
            FIRE_ID,
            "E6123",
            [(602, "FIR", "Fire and rescue services"), (690, "CEN", "Central services")],
        ),
    ]
    pops = [a.population for a in areas]
    total_pop = sum(pops)
    for partner, ecode, parts in bodies:
        vals = rs[ecode]
        body = names[ecode]
        for ln_no, service, label in parts:
            k = vals.get(ln_no, Decimal(0))
            if k <= 0:
                continue
            body_gbp = thousands_to_pounds(k, f"{body} {ln_no}")
            INPUTS.append(
                (partner, service, f"{body} line {ln_no}", f"£{body_gbp:,.2f}", "RS 2017-18")
            )
            shares = apportion(body_gbp, pops)
            for year in YEARS.values():
                for a, share in zip(areas, shares, strict=True):
                    lines.append(
                        Line(
                            partner=partner,
                            year=year,
                            service=service,
                            subservice=label,
                            area=a.code,
                            amount=share,
                            estimate=True,
                            estimate_method=(
                                f"{body} RS 2017-18 line {ln_no} (£{body_gbp:,.2f}, net current "
                                f"expenditure) split over the 14 areas it serves by population "
                                f"({a.population:,} of {total_pop:,}, {POP_YEAR}); {HELD_FLAT}"
                            ),
                            source=f"{RS1718}; {body} ({ecode}) line {ln_no}; "
                            f"population: {POP_SHORT}",
                        )
                    )
    return lines


def round_coords(coords: object) -> object:
    if isinstance(coords, list) and coords and isinstance(coords[0], (int, float)):
        return [round(float(coords[0]), 4), round(float(coords[1]), 4)]
    assert isinstance(coords, list)
    return [round_coords(c) for c in coords]


def clean_ring(ring: list[list[float]]) -> list[list[float]] | None:
    out: list[list[float]] = []
    for p in ring:
        if not out or p != out[-1]:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def build_boundaries(ref: Path, areas: list[AreaInfo]) -> dict:
    path = ref / "boundaries-england" / "LAD_Dec2024_UK_BFC_simplified.geojson"
    with open(path, encoding="utf-8") as f:
        src = json.load(f)
    by_code = {feat["properties"]["LAD24CD"]: feat for feat in src["features"]}
    features = []
    for a in areas:
        feat = by_code.get(a.code)
        if feat is None:
            raise BuildError(f"{path.name}: no feature for {a.code} {a.name}")
        geom = feat["geometry"]
        coords: Any = round_coords(geom["coordinates"])
        if geom["type"] == "Polygon":
            polys = [coords]
        elif geom["type"] == "MultiPolygon":
            polys = coords
        else:
            raise BuildError(f"{a.code}: unexpected geometry {geom['type']}")
        kept = []
        for poly in polys:
            rings = [clean_ring(r) for r in poly]
            if rings[0] is None:
                continue  # an islet that vanished at 4 decimals
            kept.append([r for r in rings if r is not None])
        geometry = (
            {"type": "Polygon", "coordinates": kept[0]}
            if len(kept) == 1
            else {"type": "MultiPolygon", "coordinates": kept}
        )
        features.append(
            {
                "type": "Feature",
                "properties": {"code": a.code, "name": a.name},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- output ----------------------------------------------------------------------------------


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_INTRO = """\
# Demo place: Lancashire - sources, methods and quirks

Generated by `tools/build_demo.py` from the real published files in `../shared/reference/`
(edit the script and re-run it; do not edit these files by hand). The place is the
Lancashire two-tier area (Lancashire County Council and 12 districts) plus the two unitaries,
Blackburn with Darwen and Blackpool: 14 lower-tier areas, {place_pop:,} people (ONS mid-2020).
Years: {years}; headline year {headline}.

**Council lines are published gross expenditure, to the penny - except Pendle's 2023/24,
which the parse lacks and the demo estimates (see below). NHS, DWP, police and fire lines are
rough estimates (`estimate` = `yes`, method on every line), and the inter-partner payments
are illustrative amounts.** Do not quote the estimates as facts about Lancashire.

## Files

| file | content | source |
|---|---|---|
| `place.yaml` | name, population (sum of the 14 areas), years, headline year, sources | ONS mid-2020 via mySociety |
| `partners.csv` | 19 partners: `id,name,type,group,sector,population_served` | names and codes: mySociety `uk_local_authorities_current.csv`; population served: ONS mid-2020 (county: its 12 districts; NHS, DWP, police, fire: the 14 areas) |
| `areas.csv` | the 14 lower-tier areas: ONS code, name, population, source | ONS mid-2020 population via mySociety `la_area_pop2020.csv` (CC BY 4.0) |
| `boundaries.geojson` | 14 polygons, properties `code`, `name`; CRS84; coordinates rounded to 4 decimals (about 10 m) | ONS LAD December 2024 BFC, as simplified by DfE |
| `spend/<partner>.csv` | canonical spend lines: `partner,year,service,subservice,area,customer_group,amount_gbp,counterparty,estimate,estimate_method,source` | see below |

## Sources and licences

| source | publisher | licence | obtained via (reference folder) | used for |
|---|---|---|---|---|
| Revenue Outturn, RSX service lines, total expenditure (gross), 2022-23, 2023-24 and 2024-25 | MHCLG | OGL v3.0 | `tompickup23/burnleycouncil` `budgets_govuk.json` (commit 467dd3f9), a third-party parse of the MHCLG returns (`revenue-outturn-lancashire-json/`) | all council lines (2022-23 only for Pendle's 2023/24 estimate) |
| Revenue Outturn Summary (RS) 2017-18 | MHCLG (then DCLG) | OGL v3.0 | `BBC-Data-Unit/council-cuts-charts` (commit 5b54d08f) (`revenue-outturn-rs/`) | police and fire estimates; housing benefit estimate |
| Country and Regional Analysis 2018 (outturn 2017-18) | HM Treasury | OGL v3.0 | `thomasforth/PESAParser` (commit 804728f7) (`hmt-cra-pesa/`) | NHS and DWP estimates |
| Mid-2020 population estimates | ONS, compiled by mySociety | CC BY 4.0 (mySociety), from ONS data under OGL v3.0 | `mysociety/uk_local_authority_names_and_codes` (commit 67ef8b11) (`lookups/`) | populations, apportionment, names, codes |
| Local Authority Districts (December 2024) Boundaries UK BFC | ONS, simplified by DfE | OGL v3.0: "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. Contains OS data (c) Crown copyright and database right [2024]" | `dfe-analytical-services/shiny-template` (commit 8f77d7fa) (`boundaries-england/`) | `boundaries.geojson` |

Council service lines map to the taxonomy (`data/taxonomy/services.csv`) one to one:
{mapping}.

## Council lines (published gross, `estimate` = `no`)

One line per RSX service line per year: `amount_gbp` = the line's **total expenditure**
(gross: employees plus running expenses, before sales, fees and charges and other income are
taken off) `value_thousands` x 1000 exactly (not `value_pounds`, which the parser rounds) -
what the canonical layout means by `amount_gbp`. The gross `TOTAL SERVICE EXPENDITURE` is not
written; the script checks that every council's lines add up to it. Zero lines are skipped; no
gross line is negative. `area` is the council's own ONS code for districts and unitaries, and
empty for the county council. `customer_group` is set only where the service defines it
(education and children's social care: children and young people; adult social care: adults
needing care and support) - a wholeplace assignment, not a published field.

**Education 2023/24, derived.** For 2021-22 to 2023-24 the parse holds no gross figure for
"Education services" for any council (its employee costs and the net figure are there), while
the published gross `TOTAL SERVICE EXPENDITURE` is. The county's and the unitaries' Education
line for 2023/24 is therefore the published gross total less the 12 other published gross
lines. That is exact arithmetic on published figures, not an estimate (`estimate` = `no`; the
line's `source` says how it was derived); the script checks it is at least the published net
Education figure and the published Education employee costs. Districts have no education
function (their 2024-25 gross Education is 0): their Education is 0, and any difference
between their lines and the total is reported under quirks as rounding.

| partner | year | published gross total | the 12 other published lines | Education (derived) | published net Education |
|---|---|---:|---:|---:|---:|
"""

_PENDLE = """
**Estimated council year.** {note}. Each of these lines carries `estimate` = `yes`, its method
(the two published gross figures and their mean) and both returns as its source. The
district group's 2023/24 total therefore includes this estimate.

"""

_ESTIMATES = """
## Estimated lines (`estimate` = `yes`)

No 2023/24 or 2024/25 figure for these partners exists in the project's reference files
(`police-fire-spend/` holds the police's and fire authority's 2023-24 lists of payments over
£500, which leave out pay and most of the budget, so they cannot stand for total spending), so
every estimate uses the latest published figure there is - **outturn 2017-18, in 2017-18 cash,
held flat for both demo years (not uprated for inflation or growth)**. The same amounts appear
in 2023/24 and 2024/25, so the demo shows no year-on-year change for these partners.

* **NHS (`nhs-lsc`).** HM Treasury CRA 2018, North West, identifiable current (CUR) spending of
  the Department of Health and Social Care group under function 7 Health (NHS providers,
  clinical commissioning groups, NHS England, Health Education England and national bodies),
  x each area's share of the North West population ({nw_pop:,}: the 39 current lower-tier and
  unitary areas of the region, ONS mid-2020), split with largest remainders so the North West
  figure is conserved to the penny. Local government health spending (council public health,
  already in the council lines) is excluded. The CRA gives no split by setting (acute,
  community, mental health, primary care, prescribing, continuing care), so the lines use the
  division code `NHS` by CRA organisation, and `NHS.OTHER` for training and national bodies;
  no acute/community/mental/primary split is invented. The ICB also serves South Cumbria; the
  demo holds only the spending estimated for the 14 Lancashire areas.
* **DWP (`dwp`).** CRA 2018, North West, identifiable current spending of the Department for
  Work and Pensions by CRA segment (one subservice per benefit), x area share of the North West
  population as above. Segments -> taxonomy: State Pension, Pension Credit, Winter Fuel Payment
  and other pensioner benefits -> `SSB.PENSION`; Universal Credit, ESA, JSA, Income Support,
  Incapacity Benefit -> `SSB.WORKING_AGE`; PIP, DLA, Attendance Allowance, Carer's Allowance,
  industrial injuries, SDA -> `SSB.DISABILITY`; Maternity Allowance and Sure Start Maternity
  Grants -> `SSB.FAMILY`; employment programmes and Jobcentre Plus labour-market delivery ->
  `EMP`; bereavement benefits, cold weather payments, SSP/SMP and benefit-delivery
  administration -> `SSB.OTHER`. **Housing benefit** (`SSB.HB`) comes instead from each
  council's own RS 2017-18 lines 711-713 (rent allowances, non-HRA rent rebates, rent rebates
  to HRA tenants - mandatory payments), one line per area: councils pay it and DWP refunds it
  through subsidy; the councils' RSX service lines exclude it, so it is counted once. Child
  benefit and tax credits (paid by HMRC, not DWP; North West 2017-18 in the CRA: child benefit
  about £1.36bn, personal tax credits about £3.29bn) are not in the demo.
* **Police (`lancs-pcc`).** The Lancashire Police and Crime Commissioner and Chief Constable's
  own RS 2017-18 lines (601 Police services, 690 Central services; net current expenditure),
  split over the 14 areas - exactly the force area - by population (largest remainders, so
  the published figure is conserved to the penny).
* **Fire (`lancs-fire`).** Lancashire Combined Fire and Rescue Authority's own RS 2017-18 lines
  (602 Fire and rescue services, 690 Central services), split the same way.

Source figures behind the estimates:

| partner | service | subservice / line | source figure | source |
|---|---|---|---|---|
"""

_ROUGH = """
### How rough the estimates are

* **All of them** are 2017-18 cash held flat. Prices, pay and caseloads have risen since, so
  the 2023/24 and 2024/25 figures for NHS, DWP, police and fire are very probably
  **understated, by tens of per cent**; treat them as orders of magnitude, not figures.
* **NHS and DWP** assume Lancashire residents cost the North West average per head. Need
  differs a lot between areas (age, deprivation, ill health: Blackpool and Burnley differ
  sharply from Ribble Valley), so the split between the 14 areas is the roughest part; the
  place total is better than any one area. Expect errors of +/-30% or more for a single area.
* **DWP's mix is dated**: in 2017-18 Universal Credit was early in its roll-out, so the demo
  shows far too little Universal Credit and too much legacy benefit (ESA, JSA, Income Support)
  and housing benefit, whose working-age caseload has since moved to Universal Credit.
* **Police and fire** are the bodies' own published figures (good), but spread by population,
  whereas crime and incidents concentrate in towns; and RS 2017-18 gives them only as net
  current expenditure (after their own income), so they sit below the bodies' gross spending,
  unlike the council lines, which are gross.
* **Housing benefit** is each council's own 2017-18 payment (right for that year, dated since).

## Inter-partner payments (illustrative)

So that the demo shows eliminations, three payments between partners are split out. **Their
amounts are illustrative, chosen for the demo, not published figures** (no payment between
these partners is published in the reference files). Each is carved out of the payer's own
line, so every payer's total - and every council's published gross total - is unchanged:

* `nhs-lsc` -> `lcc`: £{icb_lcc:,.2f} a year, ASC, "Better Care Fund: NHS contribution to the
  pooled budget", split over the county's 12 districts by population and carved out of the
  ICB's clinical commissioning groups line in each district. On the county's side this money
  is **inside its published gross Adult Social Care spending** (the council spends it; RSX
  records the NHS contribution as income, which the gross figure is before), so eliminating
  the ICB's payment line counts the money once, as the county's spending. The amount is set
  below the county's published Adult Social Care "other income", where NHS contributions are
  recorded (£{asc_oi_1:,.0f} in {y1}, £{asc_oi_2:,.0f} in {y2}); the script checks this.
* `lcc` -> `nhs-lsc`: £{lcc_icb:,.2f} a year, ASC, "Better Care Fund pooled budget
  contribution", carved out of the county's published gross Adult Social Care line.
* `lcc` -> `burnley`: £{lcc_dfg:,.2f} a year, ASC, "{lcc_dfg_label}", carved out of the
  same line; below Burnley's published gross housing services line in both years (checked).

## Totals (printed by the build script)

"""

_QUIRKS = """\
* **Council lines are gross expenditure** (RSX `total_expenditure`), not the revenue
  summary's net current expenditure (gross less the service's own income: fees and charges,
  and other income such as NHS contributions to social care). Gross is higher: the county's
  Adult Social Care 2024-25 is £829.3m gross, £244.8m income, £584.5m net; the county's gross
  total service expenditure 2024-25 is £3,027.3m against £2,476.2m net.
* **Gross figures still hold payments between partners that are not split out**: money one
  partner pays another and the other spends (for example the county's payments to districts
  for waste, real NHS contributions beyond the illustrative one, grants passed between
  councils) is in both partners' gross spending. The consolidation can eliminate only the
  three payments shown, so the consolidated total still counts some money twice.
* Some published values are fractional thousands (Blackburn with Darwen's 2024-25 gross total
  £492,706.6k; Ribble Valley's 2024-25 gross lines to £10); `value_pounds` in the parsed JSON
  is rounded, so the script uses `value_thousands` x 1000.
* Blackburn with Darwen 2024-25 is marked `certified: false` (provisional) in the parse.
* The RSX detail (gross) and the revenue summary (net) are checked to come from the same
  return: the detail's net `TOTAL SERVICE EXPENDITURE` equals the summary's for every council
  and year used.
* Council names vary between years in the parse ("Lancashire" vs "Lancashire CC", "Hyndburn
  BC"); the script joins on ONS code and checks it against mySociety's register.
* The boundaries GeoJSON in `revenue-outturn-lancashire-json/` is not used: its `population`
  values carry no year or source and mix rounded and exact figures (Burnley 88,600; Blackburn
  with Darwen 149,696), and its polygons' origin and licence are not stated. The ONS LAD
  December 2024 file is used instead (14 features, already simplified by DfE; rounding to 4
  decimals keeps the file far under 400 KB).
* RS 2017-18: Chorley's housing benefit values are imputed fractions (e.g. 23,831.18609 £k);
  the police line is stored as a float (266,218.89999999997 £k); both are rounded to the
  penny. The police and fire rows carry E-codes E7023 and E6123.
* CRA 2018: identifiable (`ID`) current (`CUR`) rows only; capital is left out throughout, as
  the council lines are revenue. The `NUTS Region` column is matched case-insensitively.
  Housing benefit appears in the CRA as local government function 10.6 Housing; it is not
  taken from there (the councils' own RS lines are used), so it is not counted twice.
* CRA DWP-group bodies other than the department itself (Health and Safety Executive, The
  Pensions Regulator, Pensions Ombudsman, ...) are not part of the `dwp` partner.
* Populations are mid-2020, the only local-authority population series in the reference
  files; the spend years are 2023/24 and 2024/25, so per-head figures are a little high.
"""


def sources_md(
    *,
    partners: list[list[str]],
    totals: dict[tuple[str, str], Decimal],
    group_totals: dict[str, dict[str, Decimal]],
    council_estimates: list[str],
    asc_other_income: dict[str, Decimal],
    gaps: list[str],
    dwp_notes: list[str],
    nw_pop: int,
    place_pop: int,
) -> str:
    years = list(YEARS.values())
    parts = [
        _INTRO.format(
            place_pop=place_pop,
            years=", ".join(years),
            headline=HEADLINE_YEAR,
            mapping=", ".join(f"{name} = `{code}`" for name, code in RS_LINES),
        ),
        "\n".join(DERIVED) + "\n",
        "".join(_PENDLE.format(note=note) for note in council_estimates),
        _ESTIMATES.format(nw_pop=nw_pop),
        "\n".join(f"| {' | '.join(row)} |" for row in INPUTS) + "\n",
        _ROUGH.format(
            lcc_icb=LCC_TO_ICB_BCF,
            lcc_dfg=LCC_TO_BURNLEY_BCF,
            lcc_dfg_label=LCC_TO_BURNLEY_LABEL,
            icb_lcc=ICB_TO_LCC_BCF,
            asc_oi_1=asc_other_income["2023-24"],
            asc_oi_2=asc_other_income["2024-25"],
            y1="2023-24",
            y2="2024-25",
        ),
    ]
    table = ["| partner | " + " | ".join(years) + " |", "|---|" + "---:|" * len(years)]
    for p in partners:
        cells = [f"{totals.get((p[0], y), Decimal(0)):,.2f}" for y in years]
        table.append(f"| {p[0]} | " + " | ".join(cells) + " |")
    table += ["", "| group | " + " | ".join(years) + " |", "|---|" + "---:|" * len(years)]
    groups = sorted(
        {g for gt in group_totals.values() for g in gt if not g.startswith("_")},
        key=lambda g: -group_totals[HEADLINE_YEAR].get(g, Decimal(0)),
    )

    def row(label: str, pick: Callable[[dict[str, Decimal]], Decimal]) -> str:
        cells = [fmt_millions(pick(group_totals[y])) for y in years]
        return f"| {label} | " + " | ".join(cells) + " |"

    for g in groups:
        table.append(row(g, lambda gt, g=g: gt.get(g, Decimal(0))))
    table.append(row("**all lines**", lambda gt: gt["_all"]))
    table.append(row("eliminations (payments between partners)", lambda gt: gt["_eliminated"]))
    table.append(row("**consolidated**", lambda gt: gt["_all"] - gt["_eliminated"]))
    parts.append("\n".join(table) + "\n\n## Quirks found\n\n")
    parts.append("".join(f"* {g}.\n" for g in gaps))
    parts.append("".join(f"* CRA DWP: {n}.\n" for n in dwp_notes))
    parts.append(_QUIRKS)
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    ref: Path = args.reference

    areas, registry, pop = build_areas(ref)
    nw_pops = north_west_populations(registry, pop)
    missing = [a.code for a in areas if a.code not in nw_pops]
    if missing:
        raise BuildError(f"areas missing from the North West population list: {missing}")

    lines, gaps, expected, council_estimates = council_lines(ref, areas, registry)
    lines += lcc_payments(lines)
    rs, rs_names = read_rs_2017_18(ref)
    cra = read_cra_north_west(ref)
    dwp, dwp_notes = dwp_lines(cra, rs, areas, nw_pops)
    lines += nhs_lines(cra, areas, nw_pops) + dwp + blue_light_lines(rs, rs_names, areas)

    # --- partners --------------------------------------------------------------------------
    place_pop = sum(a.population for a in areas)
    partners = []
    county_pop = sum(a.population for a in areas if a.council not in ("blackburn", "blackpool"))
    for c in COUNCILS:
        r = registry[c.register]
        served = county_pop if c.type == "county council" else pop[c.register]
        partners.append([c.id, r["official-name"], c.type, c.group, COUNCIL_SECTOR, str(served)])
    for pid, name, ptype, group, sector in OTHER_PARTNERS:
        partners.append([pid, name, ptype, group, sector, str(place_pop)])
    partner_group = {p[0]: p[3] for p in partners}

    # --- checks ----------------------------------------------------------------------------
    problems = []
    taxonomy = REPO / "src" / "wholeplace" / "data" / "taxonomy" / "services.csv"
    with open(taxonomy, encoding="utf-8") as f:
        codes = {r["code"] for r in csv.DictReader(f)}
    area_codes = {a.code for a in areas}
    for ln in lines:
        if ln.service not in codes:
            problems.append(f"unknown service {ln.service} ({ln.partner})")
        if ln.amount <= 0:
            problems.append(f"non-positive amount {ln.amount} ({ln.partner} {ln.subservice})")
        if ln.area and ln.area not in area_codes:
            problems.append(f"unknown area {ln.area}")
        if ln.counterparty and ln.counterparty not in partner_group:
            problems.append(f"unknown counterparty {ln.counterparty}")
        if ln.estimate and not ln.estimate_method:
            problems.append(f"estimate without method ({ln.partner} {ln.subservice})")
        if not ln.source:
            problems.append(f"line without source ({ln.partner} {ln.subservice})")

    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for ln in lines:
        totals[(ln.partner, ln.year)] += ln.amount
    print("Per partner per year (£):")
    for (pid, year), amount in sorted(totals.items()):
        check = ""
        if (pid, year) in expected:
            ok = expected[(pid, year)] == amount
            check = "= published gross total (or its lines / estimate)" if ok else "MISMATCH"
            if not ok:
                problems.append(f"{pid} {year}: {amount} != {expected[(pid, year)]}")
        print(f"  {pid:16} {year}  {amount:>18,.2f}  {check}")
    # Independent spot checks: 2024-25 gross TOTAL SERVICE EXPENDITURE (£k) read by hand from
    # the parsed returns (the reference SOURCES.md quotes the net totals).
    for pid, tse_k in [("lcc", "3027333"), ("burnley", "52811"), ("hyndburn", "29330")]:
        if totals[(pid, "2024/25")] != Decimal(tse_k) * 1000:
            problems.append(f"{pid} 2024/25 total differs from the published gross TSE {tse_k}k")
    payment_problems, asc_other_income = check_payment_sizes(ref)
    problems += payment_problems

    print("\nPlace total by group (£m; gross of eliminations) and eliminations:")
    group_totals: dict[str, dict[str, Decimal]] = {}
    for year in YEARS.values():
        by_group: dict[str, Decimal] = defaultdict(Decimal)
        eliminated = Decimal(0)
        for ln in lines:
            if ln.year == year:
                by_group[partner_group[ln.partner]] += ln.amount
                if ln.counterparty:
                    eliminated += ln.amount
        total = sum(by_group.values(), Decimal(0))
        group_totals[year] = {**by_group, "_all": total, "_eliminated": eliminated}
        print(
            f"  {year}: all lines {fmt_millions(total)}; eliminations {fmt_millions(eliminated)};"
            f" consolidated {fmt_millions(total - eliminated)}"
        )
        for g, v in sorted(by_group.items(), key=lambda kv: -kv[1]):
            print(f"      {g:32} {fmt_millions(v):>12}  ({v:,.2f})")

    if problems:
        print("\nProblems (nothing written):", *problems, sep="\n  ", file=sys.stderr)
        return 1

    # --- write -----------------------------------------------------------------------------
    out: Path = args.out
    write_atomic(
        out / "partners.csv",
        csv_text(["id", "name", "type", "group", "sector", "population_served"], partners),
    )
    write_atomic(
        out / "areas.csv",
        csv_text(
            ["code", "name", "population", "source"],
            [[a.code, a.name, str(a.population), POP_SOURCE] for a in areas],
        ),
    )
    geo = build_boundaries(ref, areas)
    write_atomic(out / "boundaries.geojson", json.dumps(geo, separators=(",", ":")) + "\n")
    order = {code: i for i, (_, code) in enumerate(RS_LINES)}
    spend_dir = out / "spend"
    wanted = set()
    for p in partners:
        pid = p[0]
        mine = [ln for ln in lines if ln.partner == pid]
        mine.sort(
            key=lambda ln: (
                ln.year,
                order.get(ln.service, 99),
                ln.service,
                ln.area,
                ln.counterparty,
                ln.subservice,
            )
        )
        write_atomic(spend_dir / f"{pid}.csv", csv_text(SPEND_COLUMNS, [ln.row() for ln in mine]))
        wanted.add(f"{pid}.csv")
    for stale in spend_dir.glob("*.csv"):
        if stale.name not in wanted:
            stale.unlink()
    place = {
        "name": "Lancashire",
        "description": (
            "Demo place: the Lancashire two-tier area (county council, 12 districts) and its two "
            "unitaries, Blackburn with Darwen and Blackpool. Council lines are published gross "
            "outturn (Pendle 2023/24 estimated); NHS, DWP, police and fire lines are marked "
            "estimates (see SOURCES.md)."
        ),
        "population": place_pop,
        "population_source": POP_SOURCE + "; sum of the 14 lower-tier areas",
        "population_year": POP_YEAR,
        "years": list(YEARS.values()),
        "headline_year": HEADLINE_YEAR,
        "sources": [
            {
                "name": (
                    "MHCLG Revenue Outturn (RSX) 2022-23, 2023-24 and 2024-25, service lines, "
                    "total expenditure (gross)"
                ),
                "via": "tompickup23/burnleycouncil budgets_govuk.json (commit 467dd3f9)",
                "licence": "OGL v3.0",
                "used_for": (
                    "council lines (exact; 2023-24 Education derived from the published total; "
                    "Pendle 2023-24 estimated from its 2022-23 and 2024-25 returns)"
                ),
            },
            {
                "name": "MHCLG Revenue Outturn Summary (RS) 2017-18",
                "via": "BBC-Data-Unit/council-cuts-charts (commit 5b54d08f)",
                "licence": "OGL v3.0",
                "used_for": "police and fire estimates; housing benefit estimate",
            },
            {
                "name": "HM Treasury Country and Regional Analysis 2018 (outturn 2017-18)",
                "via": "thomasforth/PESAParser (commit 804728f7)",
                "licence": "OGL v3.0",
                "used_for": "NHS and DWP estimates (North West, by population)",
            },
            {
                "name": "ONS mid-2020 population estimates",
                "via": "mySociety uk_local_authority_names_and_codes (commit 67ef8b11)",
                "licence": "CC BY 4.0 (mySociety compilation of ONS data, OGL v3.0)",
                "used_for": "area populations, apportionment",
            },
            {
                "name": "ONS Local Authority Districts (December 2024) boundaries, BFC",
                "via": "dfe-analytical-services/shiny-template (simplified by DfE, commit 8f77d7fa)",
                "licence": "OGL v3.0; contains OS data (c) Crown copyright and database right",
                "used_for": "boundaries.geojson",
            },
        ],
    }
    write_atomic(
        out / "place.yaml",
        "# Generated by tools/build_demo.py - edit the script, not this file.\n"
        + yaml.safe_dump(place, sort_keys=False, allow_unicode=True, width=100),
    )
    write_atomic(
        out / "SOURCES.md",
        sources_md(
            partners=partners,
            totals=totals,
            group_totals=group_totals,
            council_estimates=council_estimates,
            asc_other_income=asc_other_income,
            gaps=gaps,
            dwp_notes=dwp_notes,
            nw_pop=sum(nw_pops.values()),
            place_pop=place_pop,
        ),
    )
    print(f"\nWrote {out} ({len(lines)} spend lines, {len(partners)} partners, {len(areas)} areas)")
    print("Council-years estimated:", *council_estimates, sep="\n  ")
    print("Derived Education lines:", *DERIVED, sep="\n  ")
    print("Gaps:", *gaps, sep="\n  ")
    print("DWP notes:", *dwp_notes, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
