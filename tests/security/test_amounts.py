"""Amounts in imported files: one grammar, read alike by Python and by the transactions
import's SQL; every amount that is not plainly pounds refused with the problem table, exit
code 2 and nothing written; amounts beyond the penny rounded with a notice (issue 11,
items 4 and 6).

Expected values are worked out by hand in the tables below.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pyarrow as pa
import pytest
from hostile_imports import (
    SPEND_IMPORT,
    TRANSACTIONS,
    lines_file,
    new_place,
    payments_file,
    run,
    written,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import wholeplace
from wholeplace.cli import app
from wholeplace.money import MoneyError, parse_amount, parse_amount_exact, to_money
from wholeplace.spend.transactions import ROLES, parse_values
from wholeplace.spend.transactions.one_pass import _one_pass_sql
from wholeplace.workspace import Workspace

DATA = Path(wholeplace.__file__).parent / "data"
DOCS = Path(__file__).resolve().parents[2] / "docs"

# Text -> the amount (to the penny) and whether it was rounded, or why it is refused.
GOOD = [
    ("£1,234.56", "1234.56", False),
    ("1,234", "1234.00", False),
    ("(1,234.56)", "-1234.56", False),
    ("1234.5 CR", "-1234.50", False),
    ("1,234.56-", "-1234.56", False),  # SAP's trailing minus
    ("-£12", "-12.00", False),
    ("£-12", "-12.00", False),
    ("£(12)", "-12.00", False),
    ("\u221212", "-12.00", False),  # a typographic minus sign
    ("  7  ", "7.00", False),
    ("\u00a01,000\u00a0", "1000.00", False),
    ("12 cr", "-12.00", False),
    (".5", "0.50", False),
    ("5.", "5.00", False),
    ("12.340", "12.34", False),  # more places written, no penny lost
    ("12.345", "12.35", True),  # half up
    ("1.005", "1.01", True),
    ("-12.345", "-12.35", True),  # half away from zero, as money.to_money
    ("1,000.0049", "1000.00", True),
    ("999999999999.99", "999999999999.99", False),  # the largest amount
    ("999999999999.994", "999999999999.99", True),
    ("000000000000000012.5", "12.50", False),  # leading zeros are not digits of the amount
]
REFUSED = [
    ("1e17", "scientific"),
    ("1.2e3", "scientific"),
    ("1.23457E+11", "scientific"),  # what Excel saves for 123,456,789,012 in a narrow column
    ("1e30", "scientific"),
    ("1e999999999", "scientific"),
    ("100000000000000000", "too_large"),  # 1e17 written out
    ("9999999999999999.995", "too_large"),
    ("999999999999.995", "too_large"),  # rounds to £1,000,000,000,000.00
    ("1000000000000", "too_large"),
    ("(-100)", "two_signs"),
    ("-100 CR", "two_signs"),
    ("(100) CR", "two_signs"),
    ("--100", "two_signs"),
    ("100- CR", "two_signs"),
    ("€1$2£3", "currency"),
    ("$12", "currency"),
    ("12 €", "currency"),
    ("1 2 3", "not_amount"),
    ("1 234", "not_amount"),
    ("1,2,3", "not_amount"),
    ("1,23", "not_amount"),  # a decimal comma? refused rather than read as 123
    ("12,", "not_amount"),
    ("£££12", "not_amount"),
    ("£12£", "not_amount"),
    ("£-£12", "not_amount"),
    ("(12", "not_amount"),
    ("+12", "not_amount"),
    ("1_000", "not_amount"),
    ("12.3.4", "not_amount"),
    ("NaN", "not_amount"),
    ("inf", "not_amount"),
    ("١٢٣", "digits"),  # Arabic-Indic
    ("１２３", "digits"),  # fullwidth
    ("", "missing"),
    (" \t", "missing"),
]
# The words each refusal's message must hold.
SAYS = {
    "scientific": "scientific notation",
    "too_large": "largest amount, £999,999,999,999.99",
    "two_signs": "two signs of a credit",
    "currency": "currency sign other than £",
    "not_amount": "not an amount of money",
    "digits": "digits other than 0-9",
    "missing": "missing amount",
}


def python_reading(text: str) -> tuple[Decimal | None, str | None, bool]:
    """(amount to the penny, why refused, rounded) by money.parse_amount_exact."""
    try:
        exact = parse_amount_exact(text)
    except MoneyError as exc:
        return None, exc.reason, False
    money = to_money(exact)
    return money, None, money != exact


_con = duckdb.connect()


def sql_readings(texts: list[str]) -> list[tuple[Decimal | None, str | None, bool]]:
    """The same by the transactions import's careful path (parsing.parse_sql)."""
    rows = parse_values(
        _con, [("01/04/2024", t) for t in texts], ("amount_gbp", "amount_problem", "rounded")
    )
    return [(a, why, bool(r)) for a, why, r in rows]


def one_pass_readings(texts: list[str]) -> list[Decimal | None]:
    """The amounts the one pass over big clean files takes (NULL: read carefully)."""
    given = {"date": "'2024-04-01'", "amount": "a", "supplier": "CAST(i AS VARCHAR)"}
    cols = ", ".join(f"{given.get(r, 'CAST(NULL AS VARCHAR)')} AS {r}" for r in ROLES)
    sql = _one_pass_sql(f"SELECT {cols} FROM _texts", "hbc", lean=False)
    _con.register("_texts", pa.table({"i": range(len(texts)), "a": texts}))
    try:
        got = _con.execute(f"SELECT amount_gbp FROM ({sql}) ORDER BY CAST(supplier AS INT)")
        return [a for (a,) in got.fetchall()]
    finally:
        _con.unregister("_texts")


def test_the_grammar_by_hand() -> None:
    for text, amount, rounded in GOOD:
        assert python_reading(text) == (Decimal(amount), None, rounded), text
        assert parse_amount(text) == Decimal(amount)
    for text, why in REFUSED:
        with pytest.raises(MoneyError) as caught:
            parse_amount(text)
        assert caught.value.reason == why, text
        assert SAYS[why] in caught.value.message


def test_python_and_sql_read_every_text_alike() -> None:
    texts = [t for t, *_ in GOOD] + [t for t, _ in REFUSED]
    assert sql_readings(texts) == [python_reading(t) for t in texts]


def test_the_one_pass_takes_only_amounts_it_reads_alike() -> None:
    texts = [t for t, *_ in GOOD] + [t for t, _ in REFUSED]
    taken = one_pass_readings(texts)
    for text, got in zip(texts, taken, strict=True):
        if got is not None:
            assert python_reading(text) == (got, None, False), text
    # the common forms of a big file stay on the one pass
    assert one_pass_readings(["1234.56", "-12.5", "1,234.56", " 7 ", "999999999999.99"]) == [
        Decimal("1234.56"),
        Decimal("-12.50"),
        Decimal("1234.56"),
        Decimal("7.00"),
        Decimal("999999999999.99"),
    ]


_CHARS = "0123456789" * 3 + ",.£-\u2212() CRcr$€¥eE+_\u00a0\u2009\u202f\x85\t\n\r\v\f١１"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=_CHARS, max_size=18), min_size=1, max_size=40))
def test_python_and_sql_agree_on_generated_texts(texts: list[str]) -> None:
    assert sql_readings(texts) == [python_reading(t) for t in texts]
    for text, got in zip(texts, one_pass_readings(texts), strict=True):
        assert got is None or python_reading(text) == (got, None, False), text


# -- at the command line -----------------------------------------------------------------


# Refused by both imports before (kept above for the grammar): the rest were taken as
# other amounts, or refused without the reason, by one import or both.
REFUSED_BEFORE = {"(12", "12.3.4", "NaN", "inf", "+12", "1_000", "", " \t"}
REFUSED_IN_FILES = [(t, why) for t, why in REFUSED if t not in REFUSED_BEFORE]


def assert_refused(out: Any, rows: list[tuple[int, str, str]], column: str) -> None:
    """The problem table names each (row, value, reason) in ``column``."""
    assert isinstance(out, dict), out
    got = [(p["row"], p["column"], p["value"]) for p in out["problems"]]
    assert got == [(row, column, value) for row, value, _ in rows]
    for p, (_, _, why) in zip(out["problems"], rows, strict=True):
        assert SAYS[why] in p["message"], p
        assert p["fix"]


@pytest.mark.parametrize(("text", "why"), REFUSED_IN_FILES)
def test_spend_import_refuses(tmp_path: Path, text: str, why: str) -> None:
    place = new_place(tmp_path)
    f = lines_file(tmp_path / "lines.csv", ["100.00", text])
    code, out = run(*SPEND_IMPORT, str(f), "-w", str(place))
    assert code == 2, out
    assert_refused(out, [(3, text, why)], "amount_gbp")
    assert written(place) == (0, 0, 0)


@pytest.mark.parametrize(("text", "why"), REFUSED_IN_FILES)
def test_import_transactions_refuses(tmp_path: Path, text: str, why: str) -> None:
    place = new_place(tmp_path)
    f = payments_file(tmp_path / "payments.csv", ["100.00", text])
    code, out = run(*TRANSACTIONS, str(f), "-w", str(place))
    assert code == 2, out
    assert_refused(out, [(3, text, why)], "amount")
    assert written(place) == (0, 0, 0)


def test_two_lines_summing_past_decimal_18_2_are_each_too_large(tmp_path: Path) -> None:
    # £6,000,000,000,000,000 twice is £12,000,000,000,000,000, past what DECIMAL(18, 2)
    # holds (£9,999,999,999,999,999.99); each is past the largest amount already.
    place = new_place(tmp_path)
    six = "6000000000000000"
    code, out = run(
        *SPEND_IMPORT, str(lines_file(tmp_path / "l.csv", [six, six])), "-w", str(place)
    )
    assert code == 2, out
    assert_refused(out, [(2, six, "too_large"), (3, six, "too_large")], "amount_gbp")
    f = payments_file(tmp_path / "t.csv", [six, six])
    code, out = run(*TRANSACTIONS, str(f), "-w", str(place))
    assert code == 2, out
    assert_refused(out, [(2, six, "too_large"), (3, six, "too_large")], "amount")
    assert written(place) == (0, 0, 0)


# 10,001 amounts of £999,999,999,999.99 add up to £10,000,999,999,999,899.99
# (10,001 x 10^12 - 10,001 x 0.01), past £9,999,999,999,999,999.99.
MOST = "999999999999.99"
PAST_THE_TOTAL = Decimal("10000999999999899.99")


def test_spend_import_refuses_a_year_past_the_largest_total(tmp_path: Path) -> None:
    assert Decimal(MOST) * 10_001 == PAST_THE_TOTAL
    place = new_place(tmp_path)
    f = lines_file(tmp_path / "l.csv", [MOST] * 10_001)
    code, out = run(*SPEND_IMPORT, str(f), "-w", str(place))
    assert code == 2, out
    (p,) = out["problems"]
    assert (p["row"], p["column"]) == (None, "amount_gbp")
    assert p["value"] == "hbc 2024/25: £10,000,999,999,999,899.99"
    assert "largest total" in p["message"] and p["fix"]
    assert written(place) == (0, 0, 0)


def test_import_transactions_refuses_a_year_past_the_largest_total(tmp_path: Path) -> None:
    place = new_place(tmp_path)
    # 5,001 payments (£5,000,999,999,999,949.99) fit; 5,000 more in a second file take
    # the year to 10,001 payments, past the largest total: the second file is refused.
    first = payments_file(tmp_path / "a.csv", [MOST] * 5_001)
    code, out = run(*TRANSACTIONS, str(first), "-w", str(place))
    assert code == 0, out
    assert out[0]["total_gbp"] == "5000999999999949.99"
    before = written(place)
    second = payments_file(tmp_path / "b.csv", [MOST] * 5_000, ["02/04/2024"] * 5_000)
    code, out = run(*TRANSACTIONS, str(second), "-w", str(place))
    assert code == 2, out
    (p,) = out["problems"]
    assert (p["file"], p["row"], p["column"]) == ("b.csv", None, "amount")
    assert p["value"] == "hbc 2024/25: £10,000,999,999,999,899.99"
    assert "largest total" in p["message"]
    assert written(place) == before


def test_amounts_in_a_workbook(tmp_path: Path) -> None:
    place = new_place(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["partner", "year", "service", "subservice", "amount_gbp"])
    ws.append(["hbc", "2024/25", "ASC", "a", 1e17])  # a number: 100000000000000000
    ws.append(["hbc", "2024/25", "ASC", "b", 1e30])
    ws.append(["hbc", "2024/25", "ASC", "c", "1e999999999"])  # text
    ws.append(["hbc", "2024/25", "ASC", "d", "(-100)"])
    ws.append(["hbc", "2024/25", "ASC", "e", 0.1 + 0.2])  # 0.30000000000000004, shown as 0.3
    wb.save(tmp_path / "lines.xlsx")
    code, out = run(*SPEND_IMPORT, str(tmp_path / "lines.xlsx"), "-w", str(place))
    assert code == 2, out
    assert_refused(
        out,
        [
            (2, "100000000000000000", "too_large"),
            (3, "1" + "0" * 30, "too_large"),
            (4, "1e999999999", "scientific"),
            (5, "(-100)", "two_signs"),
        ],
        "amount_gbp",
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Supplier Name", "Payment Date", "Net Amount"])
    ws.append(["A", "01/04/2024", 1e17])
    ws.append(["B", "01/04/2024", 1e30])
    ws.append(["C", "01/04/2024", "-100 CR"])
    wb.save(tmp_path / "payments.xlsx")
    code, out = run(*TRANSACTIONS, str(tmp_path / "payments.xlsx"), "-w", str(place))
    assert code == 2, out
    assert [(p["row"], p["sheet"], p["value"]) for p in out["problems"]] == [
        (2, "Sheet", "100000000000000000"),
        (3, "Sheet", "1" + "0" * 30),
        (4, "Sheet", "-100 CR"),
    ]
    assert written(place) == (0, 0, 0)


# -- amounts beyond the penny: rounded half up, and said so ------------------------------

# 12.345 -> 12.35, 1.005 -> 1.01, 2.50 stays, 1,000.0049 -> 1,000.00 (rounded down, still
# rounded): £1,015.86 in all, three amounts rounded, on rows 2, 3 and 5.
PENNIES = ["12.345", "1.005", "2.50", "1,000.0049"]
ROUNDED = "3 amounts had more than 2 decimal places and were rounded to the penny (half up)"


def test_spend_import_says_which_amounts_it_rounded(tmp_path: Path) -> None:
    place = new_place(tmp_path)
    code, out = run(*SPEND_IMPORT, str(lines_file(tmp_path / "l.csv", PENNIES)), "-w", str(place))
    assert code == 0, out
    assert out["total_gbp"] == "1015.86"
    (n,) = out["notices"]
    assert (n["kind"], n["count"], n["rows"]) == ("rounded", 3, [2, 3, 5])
    assert n["message"] == f"{ROUNDED}: rows 2, 3, 5"
    # as docs/spend.md shows it (into a place of its own: nothing replaced)
    (tmp_path / "docs").mkdir()
    f = lines_file(tmp_path / "docs" / "spend.csv", PENNIES)
    place = new_place(tmp_path / "docs")
    res = CliRunner().invoke(app, [*SPEND_IMPORT, str(f), "-w", str(place)])
    shown = DOCS.joinpath("spend.md").read_text(encoding="utf-8")
    example = shown.split("with a note naming the rows:\n\n```text\n")[1].split("```")[0]
    assert " ".join(res.output.split()) == " ".join(example.split())


def test_import_transactions_says_which_amounts_it_rounded(tmp_path: Path) -> None:
    place = new_place(tmp_path)
    f = payments_file(tmp_path / "t.csv", PENNIES)
    code, out = run(*TRANSACTIONS, str(f), "-w", str(place))
    assert code == 0, out
    assert out[0]["total_gbp"] == "1015.86"
    (n,) = out[0]["notices"]
    assert (n["kind"], n["count"], n["rows"]) == ("rounded", 3, [2, 3, 5])
    assert n["message"] == f"{ROUNDED}: rows 2, 3, 5"
    with Workspace.open(place) as ws:
        stored = ws.con.execute("SELECT amount_gbp FROM transaction_payments ORDER BY source_row")
        assert [a for (a,) in stored.fetchall()] == [
            Decimal("12.35"),
            Decimal("1.01"),
            Decimal("2.50"),
            Decimal("1000.00"),
        ]


def test_a_big_file_with_sub_penny_amounts_is_read_carefully(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wholeplace.spend.transactions.loading as loading

    monkeypatch.setattr(loading, "FAST_PATH_BYTES", 0)  # every file takes the one pass
    place = new_place(tmp_path)
    f = payments_file(tmp_path / "t.csv", PENNIES, ["2024-04-01"] * 4)
    code, out = run(*TRANSACTIONS, str(f), "-w", str(place))
    assert code == 0, out
    assert [(n["count"], n["rows"]) for n in out[0]["notices"]] == [(3, [2, 3, 5])]


# -- amounts in appraisals and sharing files ----------------------------------------------


def _edit(src: Path, dst: Path, old: str, new: str) -> Path:
    text = src.read_text(encoding="utf-8")
    assert old in text
    dst.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dst


@pytest.mark.parametrize("amount", ["1e30", "1.0e+30", "1e999999999", "1e17"])
def test_appraisal_costs_and_values(tmp_path: Path, amount: str) -> None:
    example = DATA / "cba" / "example_appraisal.yaml"
    f = _edit(example, tmp_path / "a.yaml", "amounts: [180000, 180000", f"amounts: [{amount}, 1")
    code, out = run("cba", "run", str(f))
    assert code == 2, out
    # the line of the file where the first cost's amounts are written
    lines = f.read_text(encoding="utf-8").splitlines()
    line = 1 + next(i for i, t in enumerate(lines) if f"amounts: [{amount}, 1" in t)
    assert [(p["row"], p["column"]) for p in out["problems"]] == [(line, "costs[0].amounts[0]")]
    assert SAYS["too_large"] in out["problems"][0]["message"]
    f = _edit(example, tmp_path / "v.yaml", "value: 109", f"value: {amount}")
    code, out = run("cba", "run", str(f))
    assert code == 2, out
    assert [p["column"] for p in out["problems"]] == ["outcomes[5].value"]
    f = _edit(example, tmp_path / "c.yaml", "cohort: [60, 60", f"cohort: [{amount}, 60")
    code, out = run("cba", "run", str(f))
    assert code == 2, out
    assert out["problems"][0]["column"] == "outcomes[0].cohort[0]"


@pytest.mark.parametrize(
    ("cost", "why"),
    [("1" + "0" * 30, "too_large"), ("1e30", "scientific"), ("(-60000)", "two_signs")],
)
def test_recharges_costs(tmp_path: Path, cost: str, why: str) -> None:
    staff = DATA / "sharing" / "staff_example.csv"
    f = _edit(staff, tmp_path / "staff.csv", ",60000,", f',"{cost}",')
    code, out = run("sharing", "recharges", str(f))
    assert code == 2, out
    (p,) = out["problems"]
    assert (p["row"], p["column"], p["value"]) == (2, "annual_cost", cost)
    assert SAYS[why] in p["message"]


@pytest.mark.parametrize("amount", ["1.0e+30", "1e999999999", "1" + "0" * 30])
def test_pool_contributions(tmp_path: Path, amount: str) -> None:
    pool = DATA / "sharing" / "pool_example.yaml"
    f = _edit(pool, tmp_path / "pool.yaml", "icb: 300000", f"icb: {amount}")
    code, out = run("sharing", "pool", str(f))
    assert code == 2, out
    (p,) = out["problems"]
    assert p["column"] == "contributions.2024-25.icb"
