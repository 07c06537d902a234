"""Discounting with the Green Book schedule: factors checked against hand calculation.

The schedule (parameter ``discount_rate.green_book``) is 3.5 % for years 0-30, 3.0 % for
31-75 and 2.5 % after; the factor for year t is the product of 1 / (1 + r_k) for k = 1..t.
So year 30 is 1 / 1.035^30, year 31 is 1 / (1.035^30 x 1.03) and year 32 is
1 / (1.035^30 x 1.03^2). Worked by hand (and to 12 places with exact fractions):
1.035^30 = 2.80679370..., year 31 = 0.345901369517, year 32 = 0.335826572346.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wholeplace.cba import model
from wholeplace.cba.discounting import DiscountSchedule, defaults
from wholeplace.cli import app
from wholeplace.errors import InputError

D = Decimal


def appraisal(rate: str, years: int, amounts: dict[int, int]) -> str:
    row = [amounts.get(i, 0) for i in range(years)]
    return (
        f"appraisal: {{name: T, price_year: 2015/16, start_year: 2015/16, years: {years}, "
        f"discount_rate: {rate}}}\n"
        f"costs:\n  - {{description: c, agency: Council, type: revenue, confidence: 1, "
        f"amounts: {row}}}\n"
    )


def test_green_book_factors_for_years_30_31_and_32() -> None:
    s = defaults().schedules["green_book"]
    f = s.factors(33)
    assert f[0] == 1
    assert round(f[30], 12) == D("0.356278410602")
    assert round(f[31], 12) == D("0.345901369517")
    assert round(f[32], 12) == D("0.335826572346")
    # the same by exact rational arithmetic, independent of the code's Decimal context
    exact31 = 1 / (Fraction("1.035") ** 30 * Fraction("1.03"))
    assert abs(Fraction(f[31]) - exact31) < Fraction(1, 10**30)
    assert abs(Fraction(f[32]) - exact31 / Fraction("1.03")) < Fraction(1, 10**30)


def test_green_book_rates_by_year() -> None:
    s = defaults().schedules["green_book"]
    assert [s.rate(k) for k in (1, 30, 31, 75, 76, 100)] == [
        D("0.035"),
        D("0.035"),
        D("0.03"),
        D("0.03"),
        D("0.025"),
        D("0.025"),
    ]
    h = defaults().schedules["green_book_health"]
    assert [h.rate(k) for k in (1, 30, 31, 76)] == [
        D("0.015"),
        D("0.015"),
        D("0.0129"),
        D("0.0107"),
    ]
    # health, year 1: 1 / 1.015 = 0.985221674877
    assert round(h.factors(2)[1], 12) == D("0.985221674877")


def test_appraisal_with_green_book_schedule() -> None:
    # £1,000 in year 31 and £1,000 in year 32: 345.901369517 + 335.826572346 = £681.73
    app = model.loads_appraisal(appraisal("green_book", 33, {31: 1000, 32: 1000}))
    assert app.settings.discount_schedule is not None
    r = model.compute(app)
    assert r.to_json()["pv_costs"] == D("681.73")
    assert r.to_json()["by_year"][31]["discount_factor"] == D("0.345901")
    assert r.to_json()["by_year"][32]["discount_factor"] == D("0.335827")


def test_flat_rate_unchanged_and_years_before_31_match_flat_3_5() -> None:
    flat = model.compute(model.loads_appraisal(appraisal("0.035", 31, {30: 1000})))
    sched = model.compute(model.loads_appraisal(appraisal("green_book", 31, {30: 1000})))
    # 1000 / 1.035^30 = 356.278410602 -> £356.28 either way
    assert flat.to_json()["pv_costs"] == sched.to_json()["pv_costs"] == D("356.28")
    assert flat.appraisal.settings.discount_schedule is None


def test_unknown_schedule_name_is_reported() -> None:
    with pytest.raises(InputError) as e:
        model.loads_appraisal(appraisal("green_bok", 2, {0: 1}))
    p = e.value.problems[0]
    assert p.column == "appraisal.discount_rate" and "green_book" in p.fix


def test_tornado_scales_the_whole_schedule() -> None:
    s = DiscountSchedule("x", ((0, D("0.035")), (31, D("0.03"))))
    assert s.scaled(D("0.8")).bands == ((0, D("0.0280")), (31, D("0.024")))


def test_cli_run_sensitivity_simulate_and_xlsx_with_schedule(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(appraisal("green_book", 33, {31: 1000, 32: 1000}), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["cba", "run", str(f), "-w", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["pv_costs"] == "681.73"
    res = runner.invoke(app, ["cba", "simulate", str(f), "--draws", "10", "--json"])
    assert res.exit_code == 0, res.output
    sim = json.loads(res.stdout)["outputs"]["pv_costs"]
    assert sim["mean"] == pytest.approx(681.73, abs=0.01)
    res = runner.invoke(app, ["cba", "sensitivity", str(f), "--json"])
    bar = next(b for b in json.loads(res.stdout)["tornado"] if b["input"] == "Discount rate")
    assert bar["base"] == "0.0350" and bar["low"] == "0.0280"
    out = tmp_path / "r.xlsx"
    res = runner.invoke(app, ["cba", "run", str(f), "--out", str(out)])
    assert res.exit_code == 0, res.output
    import openpyxl

    wb = openpyxl.load_workbook(out)
    assert wb["By year"]["C2"].value == "=1"
    assert wb["By year"]["C33"].value == "=C32/(1+0.03)"  # year 31, the 3.0 % band
    assert wb["Inputs"]["B6"].value.startswith("green_book (3.50% from year 0")


def test_an_appraisal_without_a_discount_rate_takes_the_green_book_schedule() -> None:
    # the same £1,000 in years 31 and 32 as above, no discount_rate given: £681.73 again
    text = appraisal("green_book", 33, {31: 1000, 32: 1000}).replace(
        ", discount_rate: green_book", ""
    )
    assert "discount_rate" not in text
    app = model.loads_appraisal(text)
    assert app.settings.discount_schedule is not None
    assert app.settings.discount_schedule.name == "green_book"
    assert model.compute(app).to_json()["pv_costs"] == D("681.73")
