"""The Unit Cost Database importer, uprating, the curated set and the deflator series."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from wholeplace.cba import unitcosts as uc
from wholeplace.cba.deflators import (
    DeflatorError,
    parse_year,
    read_deflator_csv,
    ucd_series,
)
from wholeplace.errors import InputError

PENNY = Decimal("0.01")


def penny(x: Decimal | Fraction | float) -> Decimal:
    if isinstance(x, Fraction):
        x = Decimal(x.numerator) / Decimal(x.denominator)
    elif isinstance(x, float):
        x = Decimal(repr(x))
    return x.quantize(PENNY, rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def v14(reference: Path) -> uc.UnitCostBook:
    return uc.read_workbook(reference / "unit-cost-database" / "unit-cost-database-v1.4.xlsx")


@pytest.fixture(scope="module")
def v12(reference: Path) -> uc.UnitCostBook:
    return uc.read_workbook(reference / "unit-cost-database" / "unit-cost-database-v1.2.xls")


def _lookup_index(path: Path) -> tuple[dict[str, Fraction], str]:
    """The workbook's deflator index, chained here independently with exact fractions."""
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb["Lookups"]
    idx: dict[str, Fraction] = {}
    prev = None
    for year, pct in ws.iter_rows(min_row=10, max_row=40, min_col=13, max_col=14, values_only=True):
        cur = Fraction(100) if prev is None else prev * (1 + Fraction(str(pct)) / 100)
        idx[year] = cur
        prev = cur
    current = ws["K11"].value
    wb.close()
    return idx, current


def test_v14_imports_every_thematic_sheet(v14: uc.UnitCostBook) -> None:
    assert v14.edition == "v1.4"
    sheets = {e.origin.split("sheet ")[1].split(",")[0] for e in v14.entries}
    assert sheets == set(uc.THEMATIC_SHEETS)
    assert len(v14.entries) == 683
    # 779 values; one (Crime row 178) is a zero with no "updated" figure
    assert sum(len(e.values) for e in v14.entries) == 779
    cr = v14.get("CR1.0")
    assert cr is not None
    assert cr.unit == "Per incident"
    # level 2 is "Local authority" in the workbook: one body with "Local Authority" (issue 10)
    assert (cr.agency, cr.agency_detail) == ("Police", "Local Authority")
    assert cr.values["fiscal"].amount == 500 and cr.values["fiscal"].year == "2002/03"
    assert cr.rag == "R"
    assert cr.source.startswith("The Economic and Social Costs of Anti-Social Behaviour")
    assert "approximate average cost of £500" in cr.comment
    assert cr.category == "CRIME" and cr.detail == "ANTI-SOCIAL BEHAVIOUR"
    # an entry with all three kinds of value
    hom = v14.get("CR8.1")
    assert hom is not None and set(hom.values) == {"fiscal", "economic", "social"}


def test_v14_formula_values_are_evaluated_exactly(v14: uc.UnitCostBook) -> None:
    es5 = v14.get("E&S5.0")  # =3308/40 in the workbook
    assert es5 is not None and es5.values["fiscal"].amount == Decimal("82.7")
    ss71 = v14.get("SS7.1")  # =SUM(H73:H75), whose parts are formulas like =995/3*2
    assert ss71 is not None
    parts = [v14.get(c) for c in ("SS7.1.1", "SS7.1.2", "SS7.1.3")]
    total = sum((p.values["fiscal"].amount for p in parts if p), Decimal(0))
    assert abs(ss71.values["fiscal"].amount - total) < Decimal("1e-20")
    assert ss71.values["fiscal"].amount != round(ss71.values["fiscal"].amount, 10)  # 1/3s kept


def test_every_v14_updated_value_reproduced_to_the_penny(
    v14: uc.UnitCostBook, reference: Path
) -> None:
    path = reference / "unit-cost-database" / "unit-cost-database-v1.4.xlsx"
    idx, current = _lookup_index(path)
    assert current == "2015/16"
    series = v14.deflators
    assert series is not None and series.current_year == "2015/16"
    checked = 0
    for e in v14.entries:
        for kind, v in e.values.items():
            if v.amount <= 0:
                continue  # the workbook's formula leaves these blank: =IF(H>0, ..., "")
            assert v.published_updated is not None, (e.origin, kind)
            published = penny(v.published_updated)
            ours = penny(series.uprate(v.amount, v.year, current))
            independent = penny(Fraction(v.amount) * idx[current] / idx[v.year])
            assert ours == published, (e.origin, kind, v)
            assert independent == published, (e.origin, kind, v)
            checked += 1
    assert checked == 778


def test_v12_imports_and_reproduces_its_updated_values(v12: uc.UnitCostBook) -> None:
    assert v12.edition == "v1.2"
    assert len(v12.entries) == 673
    series = v12.deflators
    assert series is not None and series.current_year == "2014/15"
    assert "27 June 2013" in series.source
    checked = 0
    for e in v12.entries:
        assert set(e.values) <= {"fiscal"}  # v1.2 has fiscal values only
        for v in e.values.values():
            if v.published_updated is None:
                continue
            assert penny(series.uprate(v.amount, v.year, "2014/15")) == penny(
                v.published_updated
            ), e.origin
            checked += 1
    assert checked == 672
    # v1.2 repeats some codes on consecutive rows; both are kept and noted
    assert any("CR7.0.3 also at" in n for n in v12.notes)
    assert v12.get("CR1.0") is not None and v12.get("CR1.0").values["fiscal"].amount == 500


def test_curated_set_matches_the_v14_workbook(v14: uc.UnitCostBook) -> None:
    book = uc.curated_book()
    assert 40 <= len(book.entries) <= 60
    for e in book.entries:
        assert e.source and e.origin.startswith("New Economy Unit Cost Database v1.4")
        assert e.rag in ("R", "A", "G")
        w = v14.get(e.code)
        assert w is not None, e.code
        assert e.description == w.description and e.agency == w.agency and e.unit == w.unit
        assert {k: (v.amount, v.year) for k, v in e.values.items()} == {
            k: (v.amount, v.year) for k, v in w.values.items()
        }
        assert (e.agency_detail, e.transfer, e.stated_public_value) == (
            w.agency_detail,
            w.transfer,
            w.stated_public_value,
        ), e.code


def test_shipped_deflators_are_the_v14_lookups(v14: uc.UnitCostBook) -> None:
    shipped = ucd_series()  # kept, by name, for reproducing the workbook
    wb = v14.deflators
    assert wb is not None
    assert [(y.year, y.pct_change, y.forecast) for y in shipped.years] == [
        (y.year, y.pct_change, y.forecast) for y in wb.years
    ]
    assert shipped.first_year == "1989/90" and shipped.last_year == "2019/20"
    assert shipped.years[0].index == 100
    # 2014/15 onwards are Budget forecasts in the workbook
    assert [y.year for y in shipped.years if y.forecast][0] == "2014/15"


def test_uprating_identities() -> None:
    s = ucd_series()
    assert s.uprate(Decimal("123.45"), "2010/11", "2010/11") == Decimal("123.45")
    there = s.uprate(Decimal(1000), "2005/06", "2015/16")
    back = s.uprate(there, "2015/16", "2005/06")
    assert abs(back - 1000) < Decimal("1e-30")
    # factor of one year is (1 + that year's % change)
    assert s.factor("2014/15", "2015/16") == Decimal("1.014")
    with pytest.raises(DeflatorError, match="covers 1989/90 to 2019/20"):
        s.uprate(Decimal(1), "2015/16", "2024/25")
    with pytest.raises(DeflatorError):
        parse_year("2015/17")


def test_search_and_find() -> None:
    book = uc.curated_book()
    codes = [e.code for e in book.search("jobseeker")]
    assert "E&E1.0.1" in codes
    assert [e.code for e in book.search("A&E attendance")] == ["HE4.0"]
    with pytest.raises(uc.UnitCostError, match="Similar codes"):
        uc.find(book, "E&E99.9")


def test_import_into_workspace_and_read_back(ws, reference: Path) -> None:
    path = reference / "unit-cost-database" / "unit-cost-database-v1.4.xlsx"
    book = uc.read_workbook(path)
    assert uc.save_book(ws, book, path) == 683
    back = uc.workspace_book(ws)
    assert back.edition == "v1.4" and len(back.entries) == 683
    e = back.get("E&E1.0.1")
    assert e is not None and e.values["fiscal"].amount == 9234
    # the workbook's series is kept by name; the place goes on with HMT's latest (issue 10)
    assert back.deflators is not None and back.deflators.key == "hmt-2024-10"
    assert book.deflators is not None
    kept = uc.stored_series(ws, book.deflators.name)
    assert kept is not None and kept.current_year == "2015/16"
    # the stored chain gives the same uprated pennies
    assert penny(kept.uprate(Decimal(9234), "2012/13", "2015/16")) == Decimal("9724.61")
    # stored amounts (12 decimal places) still reproduce every published figure to the penny
    checked = 0
    for entry in back.entries:
        for v in entry.values.values():
            if v.published_updated is not None:
                up = kept.uprate(v.amount, v.year, "2015/16")
                assert penny(up) == penny(v.published_updated), entry.origin
                checked += 1
    assert checked == 778
    log = ws.audit_log(1)[0]
    assert log.action == "unitcosts.import" and log.rows == 683 and log.sha256


def test_bad_workbook_is_refused_and_nothing_written(ws, tmp_path: Path) -> None:
    bad = tmp_path / "not-a-database.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["hello"])
    wb.save(bad)
    with pytest.raises(InputError) as exc:
        uc.read_workbook(bad)
    assert "no thematic sheet" in str(exc.value)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        uc.read_workbook(broken)
    assert ws.con.execute("SELECT count(*) FROM cba_unit_costs").fetchone()[0] == 0


def test_workspace_without_import_uses_curated_set(ws) -> None:
    book = uc.workspace_book(ws)
    assert book.edition == "curated" and book.get("SS1.2") is not None


def test_deflator_csv_import(ws, tmp_path: Path) -> None:
    f = tmp_path / "defl.csv"
    f.write_text("year,pct_change,source\n2014/15,1.5,HMT\n2015/16,2.0,HMT\n2016/17,3,HMT\n")
    s = read_deflator_csv(f)
    assert s.factor("2014/15", "2016/17") == Decimal("1.0506")  # 1.02 x 1.03
    uc.save_series(ws, s, f)
    assert uc.workspace_series(ws).factor("2014/15", "2016/17") == Decimal("1.0506")
    g = tmp_path / "index.csv"
    g.write_text("year,index\n2014/15,80\n2015/16,100\n")
    assert read_deflator_csv(g).factor("2014/15", "2015/16") == Decimal("1.25")


def test_deflator_csv_reports_every_problem(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("year,pct_change\n2014/15,1.5\n2016/17,abc\n2017/19,2\n")
    with pytest.raises(InputError) as exc:
        read_deflator_csv(f)
    probs = exc.value.problems
    assert {(p.row, p.column) for p in probs} == {(3, "year"), (3, "pct_change"), (4, "year")}
    assert all(p.file == "bad.csv" and p.fix for p in probs)
    h = tmp_path / "nohead.csv"
    h.write_text("when,amount\n2014/15,1\n")
    with pytest.raises(InputError, match="'year' column"):
        read_deflator_csv(h)
