"""Migration 0031: a place made before it keeps every payment, mapping and spend line."""

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
