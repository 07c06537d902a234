"""Transfers come with the unit costs (issue 10): the Unit Cost Database's notes on transfer
payments and stated public values, read on import and used by the appraisal."""

from __future__ import annotations

import json
import textwrap
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wholeplace.cba import model
from wholeplace.cba import unitcosts as uc
from wholeplace.cba.sensitivity_analysis import tornado
from wholeplace.cba.unitcost_use import unit_period
from wholeplace.cli import app
from wholeplace.errors import InputError

D = Decimal

# Every entry of the v1.4 workbook whose notes state a total public value, as read by hand
# from the workbook: (code, stated public value, its price year, transfer, agency it falls
# to, where the statement is). The transfer is the amount the note names, else the whole
# fiscal value (the Education & Skills notes name none: "the fiscal benefit to HMT should be
# excluded"). Public value = fiscal - transfer + economic + social:
#   E&E1.0   9,800 - 9,234 + 14,044              = 14,610
#   E&E2.0   8,632 - 7,500 + 12,568              = 13,700
#   E&E3.0   7,570 - 7,004 +  8,701              =  9,267
#   E&S5.0   economic 443                        =    443
#   E&S6.0   economic =42353/40 = 1,058.825      ->  1,059 (the workbook states whole pounds)
#   E&S7.0   economic 878                        =    878
#   E&S8.0   economic 1,208                      =  1,208
#   E&S9.0   economic 921                        =    921
#   E&S10.0  economic =55281/40 = 1,382.025      ->  1,382
#   E&S11.0  economic =44906/40 = 1,122.65       ->  1,123
#   E&S12.0  economic =76990/40 = 1,924.75       ->  1,925
#   E&S13.0  economic =125000/40                 =  3,125
#   FI1.0    3,079 + 2,713 (no transfer)         =  5,792 ("combining the fiscal and economic")
STATED = {
    "E&E1.0": (14610, "2012/13", D(9234), "DWP", "Employment & Economy!H3 (note)"),
    "E&E2.0": (13700, "2012/13", D(7500), "DWP", "Employment & Economy!H15 (note)"),
    "E&E3.0": (9267, "2012/13", D(7004), "DWP", "Employment & Economy!H28 (note)"),
    "E&S5.0": (443, "2010/11", D(3308) / 40, "HM Treasury", "Education & Skills!H20 (note)"),
    "E&S6.0": (1059, "2010/11", D(25633) / 40, "HM Treasury", "Education & Skills!H21 (note)"),
    "E&S7.0": (878, "2010/11", D(19748) / 40, "HM Treasury", "Education & Skills!H22 (note)"),
    "E&S8.0": (1208, "2010/11", D(31484) / 40, "HM Treasury", "Education & Skills!H23 (note)"),
    "E&S9.0": (921, "2010/11", D(20514) / 40, "HM Treasury", "Education & Skills!H30 (note)"),
    "E&S10.0": (1382, "2010/11", D(29654) / 40, "HM Treasury", "Education & Skills!H31 (note)"),
    "E&S11.0": (1123, "2010/11", D(27311) / 40, "HM Treasury", "Education & Skills!H32 (note)"),
    "E&S12.0": (1925, "2010/11", D(55632) / 40, "HM Treasury", "Education & Skills!H33 (note)"),
    "E&S13.0": (3125, "2010/11", D(110000) / 40, "HM Treasury", "Education & Skills!H37 (note)"),
    "FI1.0": (5792, "2008/09", None, None, "Fire!S3"),
}
# Stated, but not this entry's own total, so it cannot be reproduced from the entry: the
# Comment of SS7.1.3 says "The mean public value (total of the fiscal and economic cost) was
# £839 per week ... (2013-14 prices)", the source's mean; the entry's values, =995/3*2 fiscal
# and =995/3 economic, add up to £995, the median revenue cost the same comment names.
NOT_ITS_OWN = {"SS7.1.3": (839, "2013/14", 995)}
# Constituents that are exactly their headline's transfer (E&E1.0's note: "the £9,234 fiscal
# benefit to DWP"; E&E1.0.1 is DWP's £9,234): wholly a transfer.
DERIVED = {"E&E1.0.1": D(9234), "E&E2.0.1": D(7500), "E&E3.0.1": D(7004)}


@pytest.fixture(scope="module")
def v14(reference: Path) -> uc.UnitCostBook:
    return uc.read_workbook(reference / "unit-cost-database" / "unit-cost-database-v1.4.xlsx")


def _one_line(code: str, year: str, unit: str) -> str:
    """An appraisal of one outcome of ``code`` in ``year`` prices, undiscounted, no bias."""
    return textwrap.dedent(
        f"""
        appraisal: {{name: PV, price_year: "{year}", start_year: "{year}", years: 1,
                     discount_rate: 0}}
        outcomes:
          - {{description: one, unit_cost: "{code}", per: "{unit_period(unit)}", cohort: [1],
             success: 1, confidence: 1}}
        """
    )


def test_the_importer_finds_every_transfer_and_stated_public_value(v14: uc.UnitCostBook) -> None:
    stated = {e.code: e for e in v14.entries if e.stated_public_value is not None}
    assert set(stated) == set(STATED) | set(NOT_ITS_OWN)
    for code, (amount, year, transfer, agency, where) in STATED.items():
        e = stated[code]
        assert e.stated_public_value is not None
        assert (e.stated_public_value.amount, e.stated_public_value.year) == (amount, year)
        assert e.stated_public_value.where == where
        if transfer is None:
            assert e.transfer is None, code
        else:
            assert e.transfer is not None, code
            assert (e.transfer.amount, e.transfer.agency) == (transfer, agency), code
            assert e.transfer.where == where and "transfer payment" in e.transfer.note
    transfers = {e.code for e in v14.entries if e.transfer is not None}
    assert transfers == {c for c, v in STATED.items() if v[2] is not None} | set(DERIVED)
    for code, amount in DERIVED.items():
        t = v14.get(code).transfer  # type: ignore[union-attr]
        assert t is not None and t.amount == amount and t.agency == "DWP"
        assert t.where.startswith(f"derived from the note on {code.rsplit('.', 1)[0]}")


def test_every_stated_public_value_is_reproduced_by_an_appraisal(
    v14: uc.UnitCostBook, tmp_path: Path
) -> None:
    """One outcome of each entry, in the stated year's prices: the appraisal's public value
    (fiscal - transfers + economic + social) rounds to the pound the workbook states."""
    for code, (amount, year, *_rest) in STATED.items():
        entry = v14.get(code)
        assert entry is not None
        app = model.loads_appraisal(_one_line(code, year, entry.unit), "pv.yaml", v14)
        r = model.compute(app)
        assert r.pv_public_value.quantize(D(1), rounding=ROUND_HALF_UP) == amount, code
    # and the entry that states another figure is not bent to it
    for code, (stated, year, own) in NOT_ITS_OWN.items():
        entry = v14.get(code)
        assert entry is not None
        app = model.loads_appraisal(_one_line(code, year, entry.unit), "pv.yaml", v14)
        got = model.compute(app).pv_public_value
        assert got.quantize(D(1), rounding=ROUND_HALF_UP) == own != stated


def test_public_value_leaves_out_the_transfer_and_keeps_the_rest(tmp_path: Path) -> None:
    """E&E1.0 on one line: DWP's £9,234 is in the financial case only; the NHS's £566 and
    the £14,044 economic value are public value. 10 people, 2012/13 prices (no uprating)."""
    app = model.loads_appraisal(
        textwrap.dedent(
            """
            appraisal: {name: T, price_year: 2012/13, start_year: 2012/13, years: 1,
                        discount_rate: 0, deflators: ucd-v1.4}
            costs: [{description: C, agency: Local Authority, type: revenue, confidence: 1,
                     amounts: [100000]}]
            outcomes:
              - {description: Into work, unit_cost: "E&E1.0", per: year, cohort: [10],
                 success: 1, confidence: 1}
            """
        ),
        "t.yaml",
        uc.curated_book(),
    )
    r = model.compute(app)
    assert r.pv["fiscal"] == 98000  # 10 x 9,800: the financial case keeps it all
    assert r.pv["transfers"] == 92340  # 10 x 9,234 to DWP
    assert r.pv["economic"] == 140440
    assert r.pv_public_value == 146100  # 10 x 14,610, the workbook's own total
    assert r.by_agency["DWP"]["pv_fiscal"] == 92340  # Multiple, split as the workbook does
    assert r.by_agency["NHS"]["pv_fiscal"] == 5660
    assert "Multiple" not in r.by_agency
    j = r.to_json()
    assert j["net_present_public_value"] == D("46100.00")  # 146,100 - 100,000
    assert j["public_value_roi"] == D("1.46")  # before: (98,000 + 140,440) / 100,000 = 2.38
    labels = [b.label for b in tornado(app, D("0.2"))]
    assert "Into work: fiscal unit value (DWP)" in labels
    assert "Into work: fiscal unit value (NHS)" in labels


def test_transfer_true_would_drop_the_nhs_part_and_is_refused(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """
        appraisal: {name: T, price_year: 2012/13, start_year: 2012/13, years: 1,
                    discount_rate: 0, deflators: ucd-v1.4}
        outcomes:
          - {description: Into work, unit_cost: "E&E1.0", per: year, cohort: [10],
             success: 1, confidence: 1, transfer: true}
        """
    )
    with pytest.raises(InputError) as exc:
        model.loads_appraisal(text, "t.yaml", uc.curated_book())
    (p,) = exc.value.problems
    assert p.column == "outcomes[0].transfer"
    assert "£9,234.00 to DWP" in p.message and "£566.00 to NHS" in p.message
    # a constituent that is wholly the transfer may still say so
    ok = text.replace('"E&E1.0"', '"E&E1.0.1"')
    r = model.compute(model.loads_appraisal(ok, "t.yaml", uc.curated_book()))
    assert r.pv["transfers"] == r.pv["fiscal"] == 92340


def test_import_keeps_the_notes_in_the_place_and_show_displays_the_split(
    tmp_path: Path, reference: Path
) -> None:
    runner = CliRunner()
    place = tmp_path / "place"
    assert runner.invoke(app, ["init", str(place), "--name", "T"]).exit_code == 0
    wb = reference / "unit-cost-database" / "unit-cost-database-v1.4.xlsx"
    res = runner.invoke(app, ["unitcosts", "import", str(wb), "-w", str(place)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["unitcosts", "show", "E&E1.0", "-w", str(place), "--json"])
    shown = json.loads(res.stdout)
    assert shown["transfer"]["amount"] == "9234" and shown["transfer"]["agency"] == "DWP"
    assert shown["stated_public_value"] == {
        "amount": "14610",
        "price_year": "2012/13",
        "note": "Total public value is £14,610 (2012/13 prices).",
        "where": "Employment & Economy!H3 (note)",
    }
    split = [(p["agency"], p["amount"], p["transfer"], p["from"]) for p in shown["fiscal_split"]]
    assert split == [("DWP", "9234.00", True, "E&E1.0.1"), ("NHS", "566.00", False, "E&E1.0.2")]
    pv = shown["public_value"]
    assert pv["in_own_prices"]["public_value"] == "14610.00" and pv["matches_stated"] is True
    # in the place's series' current year (HMT October 2024: 2023/24 = 100, 2012/13 = 74.4335)
    # 14,610 x 100 / 74.4335 = 19,628.26
    idx = Fraction(1000000, 744335)
    assert pv["uprated"]["price_year"] == "2023/24"
    want = Fraction(14610) * idx
    assert D(pv["uprated"]["public_value"]) == (D(want.numerator) / D(want.denominator)).quantize(
        D("0.01"), rounding=ROUND_HALF_UP
    )
    text = runner.invoke(app, ["unitcosts", "show", "E&E1.0", "-w", str(place)]).stdout
    assert "a transfer: left out of public value" in " ".join(text.split())
    assert "matches" in text
    res = runner.invoke(app, ["unitcosts", "show", "SS7.1.3", "-w", str(place), "--json"])
    assert json.loads(res.stdout)["public_value"]["matches_stated"] is False


def test_curated_set_carries_the_notes() -> None:
    book = uc.curated_book()
    e = book.get("E&E1.0")
    assert e is not None and e.transfer is not None and e.transfer.amount == 9234
    assert e.stated_public_value is not None and e.stated_public_value.amount == 14610
    one = book.get("E&E1.0.1")
    assert one is not None and one.transfer is not None and one.transfer.amount == 9234
