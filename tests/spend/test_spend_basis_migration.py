"""Migration 0033: a place made before it keeps its lines, each now saying its basis."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import wholeplace.workspace as wsmod
from wholeplace.partners import Partner, upsert
from wholeplace.workspace import Workspace

# Lines as the 0002 schema stored them: an RS outturn line, a line summed from payments,
# a line of a person's (gross) file and a CRA estimate.
OLD_LINES = [
    (1, "scc", "2014/15", "ASC", "Adult Social Care", None, None, None, Decimal("220709000.00"),
     None, False, None, "RS.xls, sheet 'RS LA Data 2014-15 (1)', row 70 (E3421 Staffordshire); "
     "£ thousand NCE", 70),
    (2, "scc", "2024/25", "ENV", "transactions", None, None, None, Decimal("1200.00"), None,
     False, None, "spend over £500 transactions: 2 payments", None),
    (3, "scc", "2024/25", "EDU", "Education", None, None, None, Decimal("5000.00"), None,
     False, None, None, 2),
    (4, "scc", "2017/18", "SSB", "CRA 10. Social protection", None, None, None,
     Decimal("99.00"), None, True, "CRA regional spend x population share",
     "HM Treasury, Country and Regional Analysis (CRA) 2018, OGL v3: CRA.xlsx", None),
]  # fmt: skip


def test_lines_made_before_0033_get_their_basis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = wsmod._migrations()
    before = [m for m in every if m[0] < "0033"]
    monkeypatch.setattr(wsmod, "_migrations", lambda: before)
    w = Workspace.create(tmp_path / "old", "Vale")
    with w.write("test"):
        upsert(w, [Partner("scc", "Staffordshire CC", "county council", "C", "LG")])
        w.con.executemany("INSERT INTO spend_lines VALUES (" + ", ".join("?" * 14) + ")", OLD_LINES)
    w.close()

    monkeypatch.setattr(wsmod, "_migrations", lambda: every)
    w = Workspace.open(tmp_path / "old")
    assert "0033_spend_basis.sql" in w.applied_migrations()
    got = w.con.execute(
        "SELECT import_id, amount_gbp, basis, account FROM spend_lines ORDER BY import_id"
    ).fetchall()
    assert got == [
        (1, Decimal("220709000.00"), "net", "revenue"),
        (2, Decimal("1200.00"), "payments", "revenue"),
        (3, Decimal("5000.00"), "gross", "revenue"),
        (4, Decimal("99.00"), "gross", "revenue"),
    ]
    assert w.con.execute("SELECT count(*) FROM spend_income").fetchone() == (0,)
    w.close()
