"""What the demo place is made of: its partners, years, service lines and the
sources each figure names (all constants)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from wholeplace.spend.importer import COLUMNS

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "src" / "wholeplace" / "data" / "demo"
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"

# Published year label -> the demo's year label.
YEARS = {"2023-24": "2023/24", "2024-25": "2024/25"}
HEADLINE_YEAR = "2024/25"

# The canonical layout's columns the demo fills (Line.row's order); no line states its income
# and every line is revenue, so `account` and the income columns are left out.
SPEND_COLUMNS = [
    "partner",
    "year",
    "service",
    "subservice",
    "area",
    "customer_group",
    "amount_gbp",
    "counterparty",
    "estimate",
    "estimate_method",
    "source",
    "basis",
]
if not set(SPEND_COLUMNS) <= set(COLUMNS):
    raise RuntimeError(f"not in the importer's layout: {set(SPEND_COLUMNS) - set(COLUMNS)}")

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
