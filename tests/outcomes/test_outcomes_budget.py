"""The budget profile against actuals: the variance and forecast outturn by hand, and the
importer's problem table."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from outcomes_example import cli, cli_json

from wholeplace.errors import InputError
from wholeplace.outcomes.budget import Month, Profile, financial_year, profiles, read_budget

SERVICES = {"early-help": "Early help", "work": "Into work"}
D = Decimal


def test_variance_and_forecast_outturn_by_hand() -> None:
    # budget 100 + 200 + 300 = 600; spent 90.01 and 250.50 in the first two months:
    # to date 340.51 against 300, 40.51 over; outturn 340.51 + 300 = 640.51, 40.51 over
    p = Profile(
        "work",
        "Into work",
        "2024/25",
        (
            Month("work", "2024-04", D("100"), D("90.01")),
            Month("work", "2024-05", D("200"), D("250.50")),
            Month("work", "2024-06", D("300"), None),
        ),
    )
    assert [m.variance for m in p.months] == [D("-9.99"), D("50.50"), None]
    assert (p.budget, p.budget_to_date, p.actual_to_date) == (D("600"), D("300"), D("340.51"))
    assert (p.variance_to_date, p.forecast_outturn, p.forecast_variance) == (
        D("40.51"),
        D("640.51"),
        D("40.51"),
    )
    # nothing spent yet: the outturn is the budget; all spent: the outturn is the spend
    none = Profile("w", "W", "2024/25", (Month("w", "2024-04", D("5"), None),))
    assert (none.forecast_outturn, none.forecast_variance, none.variance_to_date) == (
        D("5"),
        D("0"),
        D("0"),
    )
    done = Profile("w", "W", "2024/25", (Month("w", "2024-04", D("5"), D("0")),))
    assert (done.forecast_outturn, done.forecast_variance) == (D("0"), D("-5"))


def test_months_fall_in_financial_years() -> None:
    assert financial_year("2024-04") == "2024/25"
    assert financial_year("2025-03") == "2024/25"
    assert financial_year("2025-04") == "2025/26"
    assert [financial_year(x) for x in ("2024-13", "2024-4", "April", "")] == [None] * 4


def test_the_file_is_read_exactly_and_in_order(tmp_path: Path) -> None:
    f = tmp_path / "b.csv"
    f.write_text(
        "intervention,month,budget,actual\n"
        'work,2024-05,"£1,000.10",(20.00)\n'
        "work,2024-04,0,\n"
        "early-help,2025-03,12.34,12.34\n",
        encoding="utf-8",
    )
    months = read_budget(f, SERVICES)
    assert months[0] == Month("work", "2024-05", D("1000.10"), D("-20.00"))
    [eh, work] = profiles(months, SERVICES)
    assert (eh.intervention, eh.year) == ("early-help", "2024/25")
    assert [m.month for m in work.months] == ["2024-04", "2024-05"]
    assert work.forecast_outturn == D("-20.00")  # April unspent at 0, May a refund of 20


BAD = (
    "intervention,month,budget,actual\n"
    "nobody,2024-04,10,\n"  # 2: not a service
    "work,2024-4,10,\n"  # 3: not a month
    "work,2024-05,10,\n"  # 4
    "work,2024-05,10,\n"  # 5: twice
    "work,2025-04,10,\n"  # 6: another financial year
    "work,2024-06,-10,\n"  # 7: a negative budget
    "work,2024-07,10.001,\n"  # 8: past the penny
    "work,2024-08,10,ten\n"  # 9: not money
)


def test_every_problem_of_the_file_is_found(tmp_path: Path) -> None:
    f = tmp_path / "b.csv"
    f.write_text(BAD, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_budget(f, SERVICES)
    got = [(p.row, p.column) for p in e.value.problems]
    assert got == [
        (2, "intervention"),
        (3, "month"),
        (5, "month"),
        (6, "month"),
        (7, "budget"),
        (8, "budget"),
        (9, "actual"),
    ]


def test_a_bad_file_writes_nothing(example: tuple[str, Path]) -> None:
    w, folder = example
    cli_json("outcomes", "import-budget", str(folder / "budget.csv"), "-w", w)
    bad = folder / "bad.csv"
    bad.write_text(BAD.replace("work", "early-help"), encoding="utf-8")
    res = cli("outcomes", "import-budget", str(bad), "-w", w, "--json")
    assert res.exit_code == 2
    assert len(json.loads(res.stdout)["problems"]) == 7
    [p] = cli_json("outcomes", "budget", "-w", w)
    assert p["budget"] == "44000.00"  # the page's profile, as it was


def test_the_report_shows_the_budget_inside_only(example: tuple[str, Path]) -> None:
    from openpyxl import load_workbook

    w, folder = example
    cli_json("outcomes", "import-budget", str(folder / "budget.csv"), "-w", w)
    inside, public = folder / "in.html", folder / "public.html"
    assert cli("outcomes", "report", "--out", str(inside), "-w", w).exit_code == 0
    assert cli("outcomes", "report", "--public", "--out", str(public), "-w", w).exit_code == 0
    assert "£44,750.50" in inside.read_text(encoding="utf-8")
    assert "Budget profile" not in public.read_text(encoding="utf-8")
    book = folder / "in.xlsx"
    assert cli("outcomes", "report", "--out", str(book), "-w", w).exit_code == 0
    rows = list(load_workbook(book)["Budget"].iter_rows(values_only=True))
    assert rows[-1][2:] == ("forecast outturn", 44000, 44750.5, 750.5)
