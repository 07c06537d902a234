"""Current prices out of the box (issue 10): HM Treasury's October 2024 GDP deflators ship as
the default series, the Unit Cost Database's own is kept by name, and a year beyond a series
is one problem that says how to add one."""

from __future__ import annotations

import csv
import re
import textwrap
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from wholeplace.cba import model
from wholeplace.cba.deflators import (
    HMT_LATEST,
    UCD_V14,
    default_series,
    hmt_series,
    read_deflator_csv,
    shipped_series,
)
from wholeplace.cba.unitcosts import curated_book
from wholeplace.cli import app
from wholeplace.errors import InputError

D = Decimal
DATA = Path(model.__file__).parent.parent / "data" / "cba"
EXAMPLE = DATA / "example_appraisal.yaml"
# HM Treasury, GDP deflators, 30 October 2024 (sheet "30102024 deflator update"): the
# 2012-13 index (2023-24 = 100) and the OBR forecast % changes for 2024-25 and 2025-26.
IDX_2012 = Fraction("74.4335")
PCT_2024, PCT_2025 = Fraction("2.3746660769686345"), Fraction("2.3859678173042687")


def _penny(x: Fraction) -> Decimal:
    return (D(x.numerator) / D(x.denominator)).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def test_shipped_series_is_hm_treasurys_own_sheet(reference: Path) -> None:
    """Every financial year of the HMT sheet, as published: index (blank where HMT prints
    '-') and % change; a year with a footnote is a forecast."""
    book = (
        reference
        / "gdp-deflators-hmt"
        / "socialvalueadjuster_deflators_incl_hmt_mar2024_oct2024.xlsx"
    )
    wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
    published = []
    for label, idx, pct in wb["30102024 deflator update"].iter_rows(
        min_col=2, max_col=4, values_only=True
    ):
        m = re.match(r"^(\d{4})-(\d{2})", str(label or ""))
        if m:
            published.append((f"{m[1]}/{m[2]}", idx, pct, "(" in str(label)))
    wb.close()
    rows = list(csv.DictReader((DATA / "gdp_deflators_hmt_2024_10.csv").open(encoding="utf-8")))
    assert len(rows) == len(published) == 75
    for r, (year, idx, pct, forecast) in zip(rows, published, strict=True):
        assert r["year"] == year
        assert r["index"] == (
            "" if idx == "-" else repr(idx) if isinstance(idx, float) else str(idx)
        )
        assert r["pct_change"] == ("" if pct is None else repr(pct))
        assert (r["forecast"] == "y") == forecast
        assert "October 2024" in r["source"] and "Open Government Licence" in r["source"]
    s = hmt_series()
    assert (s.first_year, s.last_year, s.last_outturn) == ("1955/56", "2029/30", "2023/24")
    for r in rows:
        if r["index"]:  # outturn: the published index, to its 4 decimal places
            assert s.index(r["year"]).quantize(D("0.0001")) == D(r["index"])


def test_the_default_series_and_the_workbooks_are_named_choices() -> None:
    assert default_series().key == HMT_LATEST
    ucd = shipped_series(UCD_V14)
    assert ucd is not None and ucd.last_year == "2019/20" and ucd.current_year == "2015/16"
    assert shipped_series("HMT GDP deflator, March 2015 Budget (via Unit Cost Database v1.4)")


def test_an_appraisal_in_2025_26_prices_works_out_of_the_box(tmp_path: Path) -> None:
    """E&E1.0.1 (£9,234 in 2012/13 prices) in 2025/26 prices: HMT's 2025/26 index is the
    2023/24 one (100) carried on by the OBR forecasts, 100 x 1.023747 x 1.023860."""
    text = textwrap.dedent(
        """
        appraisal: {name: Now, price_year: 2025/26, start_year: 2025/26, years: 1,
                    discount_rate: 0}
        outcomes:
          - {description: Benefits saved, unit_cost: "E&E1.0.1", per: year, cohort: [1],
             success: 1, confidence: 1}
        """
    )
    app_ = model.loads_appraisal(text, "now.yaml", curated_book())
    idx_2025 = 100 * (1 + PCT_2024 / 100) * (1 + PCT_2025 / 100)
    want = _penny(9234 * idx_2025 / IDX_2012)
    assert want == D("13003.32")
    assert app_.outcomes[0].components[0].unit_value == want
    assert app_.deflators == default_series().name


def test_a_year_beyond_the_series_is_one_problem_that_says_how_to_add_one() -> None:
    """The shipped example in 2025/26 prices with the workbook's series (to 2019/20): one
    problem, not one per line (six before), and it names `unitcosts deflators import`."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("price_year: 2015/16", "price_year: 2025/26")
    with pytest.raises(InputError) as exc:
        model.loads_appraisal(text, "example.yaml", curated_book())
    (p,) = exc.value.problems
    assert p.column == "appraisal.price_year" and p.value == "2025/26"
    assert "covers 1989/90 to 2019/20" in p.message
    assert "wholeplace unitcosts deflators import" in p.fix
    # and with HM Treasury's latest (the default) it runs
    model.loads_appraisal(text.replace("deflators: ucd-v1.4", ""), "example.yaml", curated_book())
    # a year beyond even that one: still one problem
    later = text.replace("deflators: ucd-v1.4", "").replace("2025/26", "2031/32")
    with pytest.raises(InputError) as exc:
        model.loads_appraisal(later, "example.yaml", curated_book())
    assert len(exc.value.problems) == 1


def test_an_unknown_series_name_lists_the_choices() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("ucd-v1.4", "hmt-1999")
    with pytest.raises(InputError) as exc:
        model.loads_appraisal(text, "example.yaml", curated_book())
    (p,) = exc.value.problems
    assert p.column == "appraisal.deflators" and HMT_LATEST in p.fix and UCD_V14 in p.fix


def test_a_csv_may_give_the_index_and_the_forecast_percent_changes(tmp_path: Path) -> None:
    f = tmp_path / "hmt.csv"
    f.write_text(
        "year,index,pct_change,forecast\n2022/23,94.2175,,n\n2023/24,100,,n\n2024/25,,2,y\n"
    )
    s = read_deflator_csv(f)
    assert s.index("2022/23") == D("94.2175")  # the published base kept
    assert s.factor("2023/24", "2024/25") == D("1.02")
    assert abs(s.factor("2022/23", "2023/24") - D(100) / D("94.2175")) < D("1e-25")
    bad = tmp_path / "bad.csv"
    bad.write_text("year,index,pct_change\n2022/23,,\n")
    with pytest.raises(InputError, match="no value for this year"):
        read_deflator_csv(bad)


def test_a_place_keeps_hmt_after_importing_the_workbook_and_can_choose(tmp_path: Path) -> None:
    runner = CliRunner()
    place = tmp_path / "p"
    assert runner.invoke(app, ["init", str(place), "--name", "P"]).exit_code == 0
    res = runner.invoke(app, ["unitcosts", "deflators", "show", "-w", str(place), "--json"])
    assert '"key": "hmt-2024-10"' in res.stdout
    res = runner.invoke(app, ["unitcosts", "deflators", "use", "ucd-v1.4", "-w", str(place)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["unitcosts", "deflators", "show", "-w", str(place), "--json"])
    assert '"key": "ucd-v1.4"' in res.stdout
    res = runner.invoke(app, ["unitcosts", "deflators", "use", "nope", "-w", str(place)])
    assert res.exit_code == 2 and "hmt-2024-10" in res.output
