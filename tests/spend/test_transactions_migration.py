"""Migrations 0031 and 0032: a place made before them keeps every payment, mapping and
spend line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import wholeplace.workspace as wsmod
from wholeplace.partners import Partner, upsert
from wholeplace.workspace import Workspace

# Three payments as the 0030 schema stored them: derived columns on every row.
OLD_ROWS = [
    # file, partner, year, paid_on, amount, supplier, key, dept, service area, expense,
    # description, reference, service, mapped, customer group, area, counterparty, sheet, row
    (1, "hbc", "2024/25", date(2024, 5, 1), Decimal("1250.00"), "Big Trucks PLC", "BIG TRUCKS",
     None, "Waste", None, None, "T1", "ENV", True, None, None, None, None, 2),
    (1, "hbc", "2024/25", date(2024, 6, 30), Decimal("-50.00"), "Big Trucks PLC", "BIG TRUCKS",
     None, "Waste", None, None, "T2", "ENV", True, None, None, None, None, 3),
    (1, "hbc", "2024/25", date(2025, 3, 15), Decimal("900.10"), "Lancashire County Council",
     "LANCASHIRE COUNTY COUNCIL", None, "Parks", None, None, "T3", "OTH", False, None, None,
     "lcc", None, 4),
]  # fmt: skip


def test_places_made_before_0031_keep_their_payments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = wsmod._migrations()
    before = [m for m in every if m[0] < "0031"]
    assert len(before) < len(every)
    monkeypatch.setattr(wsmod, "_migrations", lambda: before)
    w = Workspace.create(tmp_path / "old", "Vale")
    with w.write("test"):
        upsert(
            w,
            [
                Partner("hbc", "Hyndburn Borough Council", "district", "D", "LG"),
                Partner("lcc", "Lancashire County Council", "county council", "C", "LG"),
            ],
        )
        w.con.executemany("INSERT INTO transactions VALUES (" + ", ".join("?" * 19) + ")", OLD_ROWS)
    w.close()

    monkeypatch.setattr(wsmod, "_migrations", lambda: every)
    w = Workspace.open(tmp_path / "old")
    assert "0031_transaction_rows.sql" in w.applied_migrations()
    got = w.con.execute(
        "SELECT file_id, partner, year, paid_on, amount_gbp, supplier, supplier_key, "
        "department, service_area, expense_type, description, reference, service, mapped, "
        "customer_group, area, counterparty, sheet, source_row FROM transactions "
        "ORDER BY source_row"
    ).fetchall()
    assert got == OLD_ROWS
    totals = w.con.execute(
        "SELECT service_area, counterparty, amount_gbp, payments, credits_gbp "
        "FROM transaction_totals ORDER BY 1"
    ).fetchall()
    assert totals == [
        ("Parks", "lcc", Decimal("900.10"), 1, Decimal("0.00")),
        ("Waste", None, Decimal("1200.00"), 2, Decimal("-50.00")),
    ]
    w.close()


# Three payments as 0031 stored them, in transaction_rows, and the view's columns for them.
ROWS_0031 = [
    # file, partner, paid_on, amount, supplier, dept, service area, expense, description,
    # reference, sheet, row
    (1, "hbc", date(2024, 5, 1), Decimal("1250.00"), "Big Trucks PLC", None, "Waste", None,
     None, "T1", None, 2),
    (1, "hbc", date(2024, 6, 30), Decimal("-50.00"), "Big Trucks PLC", None, "Waste", None,
     None, "T2", None, 3),
    (1, "hbc", date(2025, 3, 15), Decimal("900.10"), "Lancashire County Council", None,
     "Parks", None, None, "T3", None, 4),
]  # fmt: skip
VIEW_QUERY = (
    "SELECT file_id, partner, year, paid_on, amount_gbp, supplier, supplier_key, "
    "department, service_area, expense_type, description, reference, service, mapped, "
    "customer_group, area, counterparty, sheet, source_row FROM transactions "
    "ORDER BY paid_on"
)


def test_places_made_before_0032_keep_their_payments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wholeplace.spend.transactions import import_transactions, loading

    every = wsmod._migrations()
    before = [m for m in every if m[0] < "0032"]
    assert len(before) < len(every)
    monkeypatch.setattr(wsmod, "_migrations", lambda: before)
    w = Workspace.create(tmp_path / "old", "Vale")
    with w.write("test"):
        upsert(
            w,
            [
                Partner("hbc", "Hyndburn Borough Council", "district", "D", "LG"),
                Partner("lcc", "Lancashire County Council", "county council", "C", "LG"),
            ],
        )
        assert w.con.execute("SELECT nextval('transaction_file_seq')").fetchone() == (1,)
        w.con.executemany(
            "INSERT INTO transaction_rows VALUES (" + ", ".join("?" * 12) + ")", ROWS_0031
        )
        w.con.execute(
            "INSERT INTO transaction_mapping VALUES "
            "(1, NULL, 'Waste', NULL, 'ENV', true, NULL, NULL), "
            "(1, NULL, 'Parks', NULL, 'OTH', false, NULL, NULL)"
        )
        w.con.execute(
            "INSERT INTO transaction_suppliers VALUES ('Big Trucks PLC', 'BIG TRUCKS'), "
            "('Lancashire County Council', 'LANCASHIRE COUNTY COUNCIL')"
        )
    # file, partner, year, paid_on, amount, supplier, key, dept, service area, expense,
    # description, reference, service, mapped, customer group, area, counterparty, sheet, row
    expected = [
        (1, "hbc", "2024/25", date(2024, 5, 1), Decimal("1250.00"), "Big Trucks PLC",
         "BIG TRUCKS", None, "Waste", None, None, "T1", "ENV", True, None, None, None, None, 2),
        (1, "hbc", "2024/25", date(2024, 6, 30), Decimal("-50.00"), "Big Trucks PLC",
         "BIG TRUCKS", None, "Waste", None, None, "T2", "ENV", True, None, None, None, None, 3),
        (1, "hbc", "2024/25", date(2025, 3, 15), Decimal("900.10"),
         "Lancashire County Council", "LANCASHIRE COUNTY COUNCIL", None, "Parks", None, None,
         "T3", "OTH", False, None, None, "lcc", None, 4),
    ]  # fmt: skip
    assert w.con.execute(VIEW_QUERY).fetchall() == expected
    w.close()

    monkeypatch.setattr(wsmod, "_migrations", lambda: every)
    w = Workspace.open(tmp_path / "old")
    assert "0032_transaction_rows_lean.sql" in w.applied_migrations()
    assert w.con.execute(VIEW_QUERY).fetchall() == expected

    # a big clean file without department, description or reference, read in one pass,
    # is stored in the new table; the view gives its payments beside the old ones
    monkeypatch.setattr(loading, "FAST_PATH_BYTES", 0)
    f = tmp_path / "lcc.csv"
    f.write_text(
        "Payment Date,Net Amount,Supplier Name,Service Area\n"
        '01/07/2024,"2,000.00",Hyndburn Borough Council,Waste\n',
        encoding="utf-8",
    )
    (r,) = import_transactions(w, [f], partner="lcc")
    assert (r.status, r.rows, r.total_gbp) == ("imported", 1, Decimal("2000.00"))
    assert w.con.execute("SELECT count(*) FROM transaction_rows_lean").fetchone() == (1,)
    assert w.con.execute("SELECT count(*) FROM transaction_rows").fetchone() == (3,)
    new = w.con.execute(
        "SELECT partner, year, paid_on, amount_gbp, supplier, department, service_area, "
        "description, reference, counterparty, sheet, source_row FROM transactions "
        "WHERE file_id <> 1"
    ).fetchall()
    assert new == [
        ("lcc", "2024/25", date(2024, 7, 1), Decimal("2000.00"), "Hyndburn Borough Council",
         None, "Waste", None, None, "hbc", None, None),
    ]  # fmt: skip
    assert w.con.execute(VIEW_QUERY).fetchall()[:2] == expected[:2]
    assert len(w.con.execute(VIEW_QUERY).fetchall()) == 4
    w.close()
