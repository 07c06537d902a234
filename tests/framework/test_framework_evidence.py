"""Evidence from the place itself: the checks, their staleness, and a real spend map.

The real spend map is the demo place's (Lancashire, built from published outturn); the
expected figures are recomputed here from its CSV files, independently of the spend code.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from framework_helpers import add_three

from wholeplace.demo import build_demo
from wholeplace.errors import InputError, WholeplaceError
from wholeplace.framework import report_service, service
from wholeplace.framework.evidence import (
    Document,
    DocumentContent,
    SpendFacts,
    add_months,
    consolidated_return,
    joint_appraisal,
    sharing_agreement,
    spend_by_need,
    stale_from,
)
from wholeplace.partners import Partner, upsert
from wholeplace.place_evidence import PlaceEvidence
from wholeplace.workspace import Workspace

DATA = Path(str(resources.files("wholeplace") / "data"))


# -- the staleness rule ----------------------------------------------------------------


def test_evidence_is_stale_more_than_fifteen_months_after_its_date() -> None:
    # the 2024/25 return speaks for 31 March 2025: current to 30 June 2026
    assert add_months(date(2025, 3, 31), 15) == date(2026, 6, 30)
    assert stale_from(date(2025, 3, 31)) == date(2026, 7, 1)
    assert add_months(date(2024, 11, 30), 15) == date(2026, 2, 28)
    assert add_months(date(2023, 11, 30), 15) == date(2025, 2, 28)
    assert add_months(date(2022, 11, 29), 15) == date(2024, 2, 29)  # a leap year


def _spend(**kw: object) -> SpendFacts:
    base: dict[str, object] = {
        "year": "2024/25",
        "total_gbp": Decimal("1000.00"),
        "reconciles": True,
        "difference_gbp": Decimal("0.00"),
        "partners": frozenset({"a", "b"}),
        "partners_with_spend": frozenset({"a", "b"}),
        "with_area_gbp": Decimal("900.00"),
        "with_group_gbp": Decimal("950.00"),
    }
    base.update(kw)
    return SpendFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("on", "stale", "holds"),
    [(date(2026, 6, 30), False, True), (date(2026, 7, 1), True, False)],
)
def test_the_consolidated_return_goes_stale_at_the_boundary(
    on: date, stale: bool, holds: bool
) -> None:
    f = consolidated_return("SW-DA-1", _spend(), on)
    assert (f.status, f.as_of, f.stale, f.holds) == ("met", date(2025, 3, 31), stale, holds)


def test_the_consolidated_return_needs_every_partner_and_a_reconciliation() -> None:
    on = date(2025, 6, 1)
    f = consolidated_return("SW-DA-1", _spend(partners_with_spend=frozenset({"a"})), on)
    assert f.status == "partly" and "no spend from b" in f.reason
    off = _spend(reconciles=False, difference_gbp=Decimal("0.01"))
    f = consolidated_return("SW-DA-1", off, on)
    assert f.status == "not_met" and "off by £0.01" in f.reason
    f = consolidated_return("SW-DA-1", None, on)
    assert (f.status, f.as_of, f.stale) == ("not_met", None, False)


def test_spend_by_need_thresholds() -> None:
    on = date(2025, 6, 1)
    assert spend_by_need("T", _spend(), on).status == "met"  # 90 % and 95 %
    assert spend_by_need("T", _spend(with_area_gbp=Decimal("899.99")), on).status == "partly"
    assert spend_by_need("T", _spend(with_group_gbp=Decimal("500.00")), on).status == "partly"
    assert spend_by_need("T", _spend(with_group_gbp=Decimal("499.99")), on).status == "not_met"
    assert spend_by_need("T", _spend(total_gbp=Decimal(0)), on).status == "not_met"


def _doc(kind: str, parties: tuple[str, ...], years: tuple[str, ...], linked: date) -> Document:
    return Document(kind, f"{kind}.yaml", linked, DocumentContent("X", parties, years))


def test_an_appraisal_is_joint_with_two_agencies_and_ages_from_its_link() -> None:
    joint = _doc("appraisal", ("NHS", "Police"), ("2025/26",), date(2025, 1, 10))
    f = joint_appraisal("PF-ST-4", [joint], date(2026, 4, 10))
    assert (f.status, f.holds) == ("met", True)
    f = joint_appraisal("PF-ST-4", [joint], date(2026, 4, 11))
    assert (f.status, f.stale, f.holds) == ("met", True, False)
    single = _doc("appraisal", ("NHS",), ("2025/26",), date(2025, 1, 10))
    assert joint_appraisal("PF-ST-4", [single], date(2025, 2, 1)).status == "partly"
    assert joint_appraisal("PF-ST-4", [], date(2025, 2, 1)).status == "not_met"
    broken = Document("appraisal", "gone.yaml", date(2025, 1, 1), None, "file not found")
    f = joint_appraisal("PF-ST-4", [broken], date(2025, 2, 1))
    assert f.status == "not_met" and "gone.yaml: file not found" in f.reason


def test_an_agreement_is_in_force_in_the_years_it_covers() -> None:
    pool = _doc("pool", ("a", "b"), ("2024/25", "2025/26"), date(2025, 1, 10))
    # 31 March 2026 is in 2025/26; 1 April 2026 is in 2026/27
    assert sharing_agreement("SW-DL-1", [pool], date(2026, 3, 31)).status == "met"
    f = sharing_agreement("SW-DL-1", [pool], date(2026, 4, 1))
    assert f.status == "not_met" and "no agreement is in force in 2026/27" in f.reason
    assert "2024/25 to 2025/26" in f.reason


# -- a real spend map: the demo place ---------------------------------------------------


def _demo_figures(year: str) -> tuple[Decimal, Decimal, Decimal, set[str]]:
    """From the demo's CSV files: the consolidated total of ``year`` (lines paid to another
    partner left out), the part with an area, the part with a customer group, the partners."""
    demo = DATA / "demo"
    with open(demo / "partners.csv", encoding="utf-8") as f:
        partners = {r["id"] for r in csv.DictReader(f)}
    total = area = group = Decimal(0)
    for path in sorted((demo / "spend").glob("*.csv")):
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["year"] != year or r["counterparty"] in partners:
                    continue
                amount = Decimal(r["amount_gbp"])
                total += amount
                area += amount if r["area"] else 0
                group += amount if r["customer_group"] else 0
    return total, area, group, partners


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "lancashire"
    ws, _ = build_demo(folder)
    ws.close()
    return folder


@pytest.fixture
def demo(demo_folder: Path, tmp_path: Path):
    copy = tmp_path / "lancashire"
    shutil.copytree(demo_folder, copy)
    ws = Workspace.open(copy)
    yield ws
    ws.close()


def test_the_demo_places_spend_map_evidences_the_consolidated_return(demo: Workspace) -> None:
    total, area, group, partners = _demo_figures("2024/25")
    facts = PlaceEvidence(demo).latest_spend()
    assert facts is not None
    assert (facts.year, facts.total_gbp, facts.reconciles) == ("2024/25", total, True)
    assert facts.partners == facts.partners_with_spend == partners
    assert (facts.with_area_gbp, facts.with_group_gbp) == (area, group)

    current = service.check_evidence(demo, PlaceEvidence(demo), on=date(2026, 6, 30))
    f = current.by_statement()["SW-DA-1"]
    assert (f.status, f.as_of, f.stale, f.holds) == ("met", date(2025, 3, 31), False, True)
    assert f"all {len(partners)} partners" in f.reason and "reconciles" in f.reason
    stale = service.check_evidence(demo, PlaceEvidence(demo), on=date(2026, 7, 1))
    f = stale.by_statement()["SW-DA-1"]
    assert (f.status, f.stale, f.holds) == ("met", True, False)
    assert f.summary().startswith("met as of 31 March 2025; stale since 1 July 2026: ")
    # the demo allocates some of its spending to areas and customer groups, not 90 %
    need = current.by_statement()["TR-DA-1"]
    assert 0.5 <= min(area / total, group / total) < 0.9
    assert need.status == "partly"
    # no appraisal or agreement linked yet
    assert current.by_statement()["PF-ST-4"].status == "not_met"
    assert current.by_statement()["SW-DL-1"].status == "not_met"


def test_a_partner_with_no_spend_makes_the_return_partly_met(demo: Workspace) -> None:
    with demo.write("test partner"):
        upsert(demo, [Partner("newco", "New Co", "other", "Other", "Other")])
    f = service.check_evidence(demo, PlaceEvidence(demo), on=date(2025, 6, 1)).by_statement()
    assert f["SW-DA-1"].status == "partly"
    assert f["SW-DA-1"].reason == "the 2024/25 spend map has no spend from newco"


def test_linked_appraisals_and_agreements_through_the_services(
    ws: Workspace, tmp_path: Path
) -> None:
    facts = PlaceEvidence(ws)
    appraisal = tmp_path / "appraisal.yaml"
    shutil.copy(DATA / "cba" / "example_appraisal.yaml", appraisal)
    done = service.link_document(ws, "appraisal", appraisal, facts)
    # the example's costs alone fall to two agencies: the Local Authority and DWP
    assert {"Local Authority", "DWP"} <= set(done.parties)
    service.link_document(ws, "agreement", DATA / "sharing" / "gainshare_example.yaml", facts)
    today = date.today()
    found = service.check_evidence(ws, facts, on=today).by_statement()
    assert found["PF-ST-4"].holds
    assert found["PF-ST-4"].as_of == today
    # the gain-share example runs 2025/26 to 2028/29
    assert service.check_evidence(ws, facts, on=date(2027, 1, 1)).by_statement()["SW-DL-1"].holds
    late = service.check_evidence(ws, facts, on=date(2029, 4, 1)).by_statement()["SW-DL-1"]
    assert late.status == "not_met" and "2025/26 to 2028/29" in late.reason
    # a changed file is noted; a removed one is a finding, not a crash
    appraisal.write_text(appraisal.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    again = service.check_evidence(ws, facts, on=today).by_statement()["PF-ST-4"]
    assert "changed since it was linked" in again.reason
    appraisal.unlink()
    gone = service.check_evidence(ws, facts, on=today).by_statement()["PF-ST-4"]
    assert gone.status == "not_met" and "file not found" in gone.reason
    assert [e.action for e in ws.audit_log(2)] == [
        "framework evidence link",
        "framework evidence link",
    ]
    assert service.unlink_document(ws, "appraisal", appraisal) == 1
    assert (
        service.check_evidence(ws, facts, on=today)
        .by_statement()["PF-ST-4"]
        .reason.startswith("no appraisal is linked")
    )
    before = len(ws.audit_log())
    with pytest.raises(WholeplaceError, match="is not linked as appraisal"):
        service.unlink_document(ws, "appraisal", appraisal)
    assert len(ws.audit_log()) == before


def test_a_file_the_checks_cannot_read_is_refused_when_linked(
    ws: Workspace, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    before = len(ws.audit_log())
    with pytest.raises(WholeplaceError):
        service.link_document(ws, "agreement", bad, PlaceEvidence(ws))
    with pytest.raises(InputError):
        service.link_document(ws, "memo", bad, PlaceEvidence(ws))
    assert len(ws.audit_log()) == before


def test_the_plan_lists_what_the_place_data_does_not_back(ws: Workspace) -> None:
    add_three(ws)
    service.answer(ws, "vale", "SW-DA-1", "met")
    plan = service.plan(ws, PlaceEvidence(ws), on=date(2026, 1, 1))
    first = plan.gaps[0]
    assert first.statement.id == "SW-DA-1"
    assert first.short == {} and first.evidence_says == "not met: the place has no spend imported"
    report = report_service.build_report(ws, PlaceEvidence(ws), on=date(2026, 1, 1))
    assert [(c.partner, c.statement_id) for c in report.claims] == [("vale", "SW-DA-1")]


def test_information_sharing_met_partly_and_not() -> None:
    from wholeplace.framework.evidence import DataSharingFacts, information_sharing

    on = date(2026, 11, 29)
    met = information_sharing("SW-DA-2", DataSharingFacts(3, ()), on)
    assert (met.status, met.reason) == (
        "met",
        "all 3 data flows have an agreement in force covering their use",
    )
    assert met.holds and met.as_of == on
    none = information_sharing("SW-DA-2", DataSharingFacts(2, ("F1", "F2")), on)
    assert none.status == "not_met" and "0 of 2 data flows" in none.reason
    absent = information_sharing("SW-DA-2", None, on)
    assert absent.status == "not_met" and "wholeplace governance import" in absent.reason
