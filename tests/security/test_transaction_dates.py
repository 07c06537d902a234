"""Payment dates: a date outside the financial years a place holds (1900/01 to 2199/00) is
refused, not stored under a year nothing can reach; a date far from the rest of its file is
imported with a notice naming it (issue 11, item 6).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hostile_imports import TRANSACTIONS, new_place, payments_file, run, written

from wholeplace.spend.transactions import import_transactions, parse_values
from wholeplace.workspace import Workspace

OUT_OF_RANGE = "a date outside the financial years 1900/01 to 2199/00"


@pytest.mark.parametrize(
    "text",
    [
        "0000-01-01",  # an empty date exported as zeros: was stored under the year -1/00
        "01/01/0000",
        "31/12/1899",
        "31/03/1900",  # the financial year 1899/00
        "01/04/2200",  # the financial year 2200/01
        "9999-12-31",
    ],
)
def test_a_date_outside_the_years_a_place_holds_is_refused(tmp_path: Path, text: str) -> None:
    place = new_place(tmp_path)
    f = payments_file(tmp_path / "t.csv", ["10.00", "20.00"], ["01/04/2024", text])
    code, out = run(*TRANSACTIONS, str(f), "-w", str(place))
    assert code == 2, out
    (p,) = out["problems"]
    assert (p["row"], p["column"], p["value"], p["message"]) == (3, "date", text, OUT_OF_RANGE)
    assert "0000" in p["fix"]
    assert written(place) == (0, 0, 0)


def test_the_first_and_last_days_a_place_holds() -> None:
    with duckdb.connect() as con:
        got = parse_values(
            con,
            [("01/04/1900", "1"), ("31/03/2200", "1"), ("31/02/2024", "1"), ("29/02/2023", "1")],
            ("paid_on", "date_problem"),
        )
    # the impossible days were refused before this change too; they stay refused
    assert got == [
        (date(1900, 4, 1), None),
        (date(2200, 3, 31), None),
        (None, "not_date"),
        (None, "not_date"),
    ]


# Twenty payments in April 2024 (2024/25), one on 15/06/1999 and one on 01/05/2042. By
# financial year: 1999/00 1, 2024/25 20, 2042/43 1; the quartiles (the 6th and the 17th
# payment of 22) are both 2024/25, so the rest of the file is 2023/24 to 2025/26 and the
# two others are far from it.
APRIL = [f"{d:02d}/04/2024" for d in range(1, 21)]
FAR = (
    "2 payments are dated more than a year outside the financial years of the rest of the "
    "file (mostly 2024/25): check them, "
)


def test_dates_far_from_the_rest_of_the_file_are_noticed(tmp_path: Path) -> None:
    place = new_place(tmp_path)
    dates = [*APRIL[:10], "15/06/1999", *APRIL[10:], "01/05/2042"]
    f = payments_file(tmp_path / "t.csv", ["1.00"] * 22, dates)
    code, out = run(*TRANSACTIONS, str(f), "-w", str(place))
    assert code == 0, out
    assert out[0]["years"] == ["1999/00", "2024/25", "2042/43"]
    (n,) = out[0]["notices"]
    assert (n["kind"], n["count"], n["rows"]) == ("far_dates", 2, [12, 23])
    assert n["message"] == FAR + "rows 12 (15/06/1999), 23 (01/05/2042)"
    # as docs/national.md shows it
    docs = Path(__file__).resolve().parents[2] / "docs" / "national.md"
    assert n["message"] in " ".join(docs.read_text(encoding="utf-8").split())


def test_a_big_file_read_in_one_pass_names_the_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wholeplace.spend.transactions.loading as loading

    monkeypatch.setattr(loading, "FAST_PATH_BYTES", 0)  # every file takes the one pass
    ws = Workspace.open(new_place(tmp_path))
    try:
        iso = [(date(2024, 4, 1) + timedelta(days=i)).isoformat() for i in range(20)]
        dates = [*iso, "1999-06-15", "2042-05-01"]
        f = payments_file(tmp_path / "t.csv", ["1.00"] * 22, dates)
        (res,) = import_transactions(ws, [f], partner="hbc")
        # the one pass stored the payments: no line numbers
        assert ws.con.execute("SELECT DISTINCT source_row FROM transactions").fetchall() == [
            (None,)
        ]
    finally:
        ws.close()
    (n,) = res.notices
    assert (n.kind, n.count, n.rows) == ("far_dates", 2, ())
    assert n.message == FAR + "dated 15/06/1999, 01/05/2042"


def test_a_file_running_into_the_next_year_is_not_noticed(tmp_path: Path) -> None:
    # 2024/25 and, a year on, 2025/26: within a year of the rest. A payment of 2026/27 is
    # more than a year from 2024/25, the year of both quartiles (the 3rd and the 8th of 11).
    place = new_place(tmp_path)
    near = payments_file(tmp_path / "near.csv", ["1.00"] * 11, [*APRIL[:10], "10/04/2025"])
    code, out = run(*TRANSACTIONS, str(near), "-w", str(place))
    assert code == 0, out
    assert out[0]["notices"] == []
    far = payments_file(tmp_path / "far.csv", ["2.00"] * 11, [*APRIL[:10], "10/04/2026"])
    code, out = run(*TRANSACTIONS, str(far), "-w", str(place))
    assert code == 0, out
    assert [(n["count"], n["rows"]) for n in out[0]["notices"]] == [(1, [12])]
    assert out[0]["notices"][0]["message"].startswith("1 payment is dated more than a year")


def test_a_file_of_many_years_is_not_noticed_for_its_first_and_last(tmp_path: Path) -> None:
    # One payment a year, 2015/16 to 2024/25: the quartiles are 2017/18 and 2022/23 (the
    # 3rd and the 8th of 10), a spread of 5 years, so the rest of the file reaches
    # 5 x 1.5 = 7.5, rounded up to 8, and a year more, 9 years beyond them: 2008/09 to
    # 2031/32 takes every year of the file.
    place = new_place(tmp_path)
    dates = [f"01/06/{y}" for y in range(2015, 2025)]
    f = payments_file(tmp_path / "t.csv", ["1.00"] * 10, dates)
    code, out = run(*TRANSACTIONS, str(f), "-w", str(place))
    assert code == 0, out
    assert out[0]["notices"] == []
    assert Decimal(out[0]["total_gbp"]) == Decimal("10.00")
