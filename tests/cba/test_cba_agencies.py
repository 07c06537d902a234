"""Agencies are partners (issue 10): one name per body, both workbook levels kept, agencies
mapped onto a place's partners (documented table, a place's own choice), and "Multiple" is
no one: gain-share refuses to make it pay, naming the lines to attribute."""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wholeplace.cba import unitcosts as uc
from wholeplace.cba.agencies import AgencyMap, PartnerRef, normalise_agency
from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.sharing.gain_sharing import from_agency_matrix
from wholeplace.sharing.gain_sharing.unattributed import refuse_unattributed

runner = CliRunner()
PARTNERS = Path(uc.__file__).parent.parent / "data" / "demo" / "partners.csv"


def cli(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.output


def test_one_name_per_body() -> None:
    assert normalise_agency("Local authority") == normalise_agency("LOCAL AUTHORITY")
    assert normalise_agency("Local authority") == "Local Authority"
    assert normalise_agency("HMT") == "HM Treasury"
    assert normalise_agency("Courts") == "Court"
    assert normalise_agency(" - ") == ""


def test_the_workbook_has_one_local_authority_and_both_levels(reference: Path) -> None:
    v14 = uc.read_workbook(reference / "unit-cost-database" / "unit-cost-database-v1.4.xlsx")
    level1 = Counter(e.agency for e in v14.entries)
    # 145 entries say "Local Authority" and 25 "Local authority" at level 1 in the workbook
    assert level1["Local Authority"] == 170 and "Local authority" not in level1
    level2 = Counter(e.agency_detail for e in v14.entries)
    assert "Local authority" not in level2 and "Courts" not in level2 and "-" not in level2
    e = v14.get("E&E1.0")
    assert e is not None and (e.agency, e.agency_detail) == ("Multiple", "DWP")
    assert any("'Local authority' read as 'Local Authority'" in n for n in v14.notes)


LANCS = [
    PartnerRef("lcc", "Lancashire County Council", "county council"),
    PartnerRef("blackburn", "Blackburn with Darwen Borough Council", "unitary"),
    PartnerRef("preston", "Preston City Council", "district"),
    PartnerRef("burnley", "Burnley Borough Council", "district"),
    PartnerRef("nhs-lsc", "NHS Lancashire and South Cumbria ICB", "nhs commissioner"),
    PartnerRef("dwp", "Department for Work and Pensions", "dwp"),
    PartnerRef("lancs-pcc", "Lancashire PCC", "police"),
]


def test_mapping_by_partner_type_name_and_the_places_choice() -> None:
    amap = AgencyMap(LANCS)
    assert amap.resolve("Local authority", "Social services").partner == "lcc"
    assert amap.resolve("NHS", "Clinical Commissioning Group").partner == "nhs-lsc"
    assert amap.resolve("DWP").how == "partner id or name"
    assert amap.resolve("Police").partner == "lancs-pcc"
    housing = amap.resolve("Local Authority", "Housing Services")
    assert housing.partner is None and housing.label == "Local Authority"
    assert "2 partners of type district (preston, burnley)" in housing.how
    assert amap.resolve("Court").partner is None  # no local partner for the courts
    assert amap.resolve("Multiple").partner is None  # no one, whatever the place says
    chosen = AgencyMap(LANCS, {"local authority housing services": "preston"})
    assert chosen.resolve("Local Authority", "Housing Services").partner == "preston"


def _place(tmp_path: Path) -> Path:
    place = tmp_path / "lancs"
    assert cli("init", str(place), "--name", "Lancashire")[0] == 0
    assert cli("partners", "import", str(PARTNERS), "-w", str(place))[0] == 0
    return place


APPRAISAL = """
appraisal: {name: Fires and homes, price_year: 2015/16, start_year: 2015/16, years: 1,
            discount_rate: 0, deflators: ucd-v1.4}
costs:
  - {description: Team, agency: Local Authority, type: revenue, confidence: 1,
     amounts: [100000]}
outcomes:
  - {description: Homicides avoided, unit_cost: CR8.0, per: incident, cohort: [1],
     success: 1, confidence: 1}
  - {description: Into work, unit_cost: "E&E1.0", per: year, cohort: [10], success: 1,
     confidence: 1}
"""


def test_a_places_appraisal_names_its_partners_and_flags_multiple(tmp_path: Path) -> None:
    place = _place(tmp_path)
    f = tmp_path / "a.yaml"
    f.write_text(textwrap.dedent(APPRAISAL))
    code, out = cli("cba", "run", str(f), "-w", str(place), "--json")
    assert code == 0, out
    j = json.loads(out)
    # Local Authority -> lcc (the only county council); E&E1.0's DWP and NHS parts ->
    # dwp and nhs-lsc; CR8.0 (Multiple, its constituents do not add up to it) stays Multiple
    assert set(j["by_agency"]) == {"lcc", "dwp", "nhs-lsc", "Multiple"}
    assert j["by_agency"]["Multiple"]["lines_to_attribute"] == ["Homicides avoided"]
    assert "lines_to_attribute" not in j["by_agency"]["dwp"]
    # gain-share refuses to make Multiple pay, naming the line
    cba_json = tmp_path / "cba.json"
    cba_json.write_text(out)
    code, out = cli("sharing", "gainshare", str(cba_json), "--rule", "equal", "--json")
    assert code == 2
    (problem,) = json.loads(out)["problems"]
    assert "'Multiple' is no one" in problem["message"]
    assert "'Homicides avoided'" in problem["message"]
    assert "agency: PARTNER" in problem["fix"]
    # attributed to a partner on the line, it runs
    f.write_text(
        textwrap.dedent(APPRAISAL).replace(
            "unit_cost: CR8.0,", "unit_cost: CR8.0, agency: lancs-pcc,"
        )
    )
    code, out = cli("cba", "run", str(f), "-w", str(place), "--json")
    assert "Multiple" not in json.loads(out)["by_agency"]
    cba_json.write_text(out)
    assert cli("sharing", "gainshare", str(cba_json), "--rule", "equal")[0] == 0


def test_refusal_without_line_names_and_in_the_adapter() -> None:
    with pytest.raises(InputError) as exc:
        from_agency_matrix({"Multiple": {"costs": [0], "benefits": [5]}, "dwp": {"costs": [5]}})
    assert "unitcosts show CODE" in exc.value.problems[0].message
    refuse_unattributed({"Multiple": {"costs": [0], "benefits": ["0.00"]}})  # holds nothing


def test_a_place_chooses_a_partner_audited(tmp_path: Path) -> None:
    place = _place(tmp_path)
    code, out = cli("unitcosts", "agencies", "-w", str(place), "--json")
    assert code == 0, out
    rows = {(r["agency"], r["agency_detail"]): r for r in json.loads(out)["agencies"]}
    assert rows[("Local Authority", "Social Services")]["partner"] == "lcc"
    assert rows[("Police", "")]["partner"] == "lancs-pcc"
    code, out = cli(
        "unitcosts", "agencies", "set", "Local authority / Housing services", "preston",
        "--reason", "Preston leads the housing workstream", "-w", str(place), "--json",
    )  # fmt: skip
    assert code == 0, out
    j = json.loads(out)
    assert j["choices"] == [
        {
            "agency": "Local authority / Housing services",
            "partner": "preston",
            "reason": "Preston leads the housing workstream",
        }
    ]
    rows = {(r["agency"], r["agency_detail"]): r for r in j["agencies"]}
    assert rows[("Local Authority", "Housing Services")]["partner"] == "preston"
    code, out = cli("log", "-w", str(place), "--json")
    assert json.loads(out)[0]["action"] == "unitcosts.agencies.set"
    w = ("--reason", "x", "-w", str(place), "--json")
    code, out = cli("unitcosts", "agencies", "set", "Multiple", "lcc", *w)
    assert code == 2 and "no one" in json.loads(out)["problems"][0]["message"]
    code, out = cli("unitcosts", "agencies", "set", "NHS", "nobody", *w)
    assert code == 2 and json.loads(out)["problems"][0]["message"] == "not a partner of this place"
    code, out = cli(
        "unitcosts", "agencies", "reset", "Local Authority / Housing Services", "-w", str(place)
    )
    assert code == 0, out
    code, out = cli("unitcosts", "agencies", "reset", "NHS", "-w", str(place))
    assert code == 2  # nothing to reset
