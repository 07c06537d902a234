"""The one-pass import of big clean files (the national case) against the careful path.

A clean UTF-8 file of at least ``FAST_PATH_BYTES`` is parsed and stored in one parallel
pass and validated afterwards; a row that pass cannot take rolls everything back and
the file is read line by line. Here the threshold is lowered so that small files take
the one pass, and every result is compared with the careful path's.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wholeplace.spend.transactions as txmod
import wholeplace.spend.transactions.loading as loading
from wholeplace.engine import duckdb_tables
from wholeplace.errors import InputError
from wholeplace.partners import Partner, upsert
from wholeplace.spend.consolidate import consolidate
from wholeplace.spend.transactions import import_transactions
from wholeplace.workspace import Workspace

ODI = "spend-over-500/odileeds-clean"
PARTNERS = [
    Partner("hbc", "Hyndburn Borough Council", "district", "Districts", "LG"),
    Partner("lcc", "Lancashire County Council", "county council", "County", "LG"),
    Partner("man", "Manchester City Council", "unitary", "Unitary", "LG"),
]
MAPPING = "service_area,service\nWaste,ENV\nSchools,EDU\nCare homes,ASC\n"


def new_place(folder: Path) -> Workspace:
    w = Workspace.create(folder, "Vale")
    with w.write("test partners"):
        upsert(w, PARTNERS)
    return w


def use_one_pass(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    monkeypatch.setattr(loading, "FAST_PATH_BYTES", 0 if on else 1 << 62)


def snapshot(w: Workspace) -> dict[str, list[tuple]]:
    """Everything an import leaves behind, except where each payment's line is kept."""
    q = w.con.execute
    return {
        "payments": q(
            "SELECT partner, year, paid_on, amount_gbp, supplier, supplier_key, department, "
            "service_area, expense_type, description, reference, service, mapped, "
            "customer_group, area, counterparty FROM transactions ORDER BY ALL"
        ).fetchall(),
        "lines": q(
            "SELECT partner, year, service, source_service, area, customer_group, amount_gbp, "
            "counterparty, source FROM spend_lines ORDER BY ALL"
        ).fetchall(),
        "files": q(
            "SELECT partner, rows, total_gbp, fingerprint FROM transaction_files ORDER BY ALL"
        ).fetchall(),
    }


def summary(res: list[txmod.FileResult]) -> list[tuple]:
    return [
        (
            r.file,
            r.status,
            r.rows,
            r.total_gbp,
            r.credits_gbp,
            r.to_partners_gbp,
            r.years,
            r.skipped,
            [(u.service_area, u.rows, u.amount_gbp) for u in r.unmapped],
            # the careful path names the rows of a notice, the one pass their dates
            [(n.kind, n.count) for n in r.notices],
        )
        for r in res
    ]


def both_paths(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: list[Path],
    partner: str | None,
    mapping: Path | None = None,
) -> list[tuple[list[tuple], dict[str, list[tuple]], list[tuple]]]:
    out = []
    for i, on in enumerate((True, False)):
        use_one_pass(monkeypatch, on)
        w = new_place(tmp_path / f"ws-{i}-{on}")
        try:
            res = import_transactions(w, files, partner=partner, mapping=mapping)
            rows = w.con.execute("SELECT DISTINCT source_row IS NULL FROM transactions").fetchall()
            out.append((summary(res), snapshot(w), rows))
        finally:
            w.close()
    return out


def test_seven_council_files_one_pass_equals_careful(
    reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sorted((reference / ODI).glob("*_clean.csv"))
    assert len(files) == 7
    (one, one_snap, one_rows), (careful, careful_snap, careful_rows) = both_paths(
        tmp_path, monkeypatch, files, "man"
    )
    assert one == careful
    assert one_snap == careful_snap
    # the one pass keeps no line numbers on the payments; the careful path keeps them all
    assert one_rows == [(True,)] and careful_rows == [(False,)]
    assert sum(r[2] for r in one) == len(one_snap["payments"]) > 25_000


def national_file(folder: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    f = folder / "national.csv"
    text = "Partner,Payment Date,Net Amount,Supplier Name,Service Area\n" + "".join(
        ",".join(f'"{c}"' if "," in c else c for c in r) + "\n" for r in rows
    )
    f.write_text(text, encoding="utf-8")
    return f


NATIONAL = [
    ("hbc", "01/05/2024", "1,250.00", "Big Trucks PLC", "Waste"),
    ("hbc", "2024-06-30", "-50.00", "Big Trucks PLC", "Waste"),
    ("hbc", "15/03/2025", "900.10", "Lancashire County Council", "Care homes"),
    ("lcc", "31/03/2024", "12,000.00", "Big Trucks Ltd", "Schools"),
    ("lcc", "01/04/2024", "77.77", "Tree Co", "Parks"),
    ("man", "02/01/2025", "5.00", "Hyndburn Borough Council", "Waste"),
]


def test_national_file_one_pass_equals_careful(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = national_file(tmp_path, NATIONAL)
    m = tmp_path / "map.csv"
    m.write_text(MAPPING, encoding="utf-8")
    (one, one_snap, one_rows), (careful, careful_snap, _) = both_paths(
        tmp_path, monkeypatch, [f], None, m
    )
    assert one == careful and one_snap == careful_snap and one_rows == [(True,)]
    (r,) = one
    # rows, £, credits, £ to other partners (900.10 to the county, 5.00 to Hyndburn)
    assert r[2:7] == (
        6,
        Decimal("14182.87"),
        Decimal("-50.00"),
        Decimal("905.10"),
        ["2023/24", "2024/25"],
    )
    assert r[8] == [("Parks", 1, Decimal("77.77"))]
    # the same suppliers under other spellings share a key
    keys = {p[4]: p[5] for p in one_snap["payments"]}
    assert keys["Big Trucks PLC"] == keys["Big Trucks Ltd"] == "BIG TRUCKS"


def test_one_pass_map_and_eliminations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_one_pass(monkeypatch, True)
    w = new_place(tmp_path / "ws")
    f = national_file(tmp_path, NATIONAL)
    import_transactions(w, [f], partner=None)
    m = consolidate(duckdb_tables(w), "2024/25", "partner")
    assert m.reconciliation.holds
    assert m.eliminated_gbp == Decimal("905.10")
    assert {(e.payer, e.payee, e.amount_gbp) for e in m.eliminations} == {
        ("hbc", "lcc", Decimal("900.10")),
        ("man", "hbc", Decimal("5.00")),
    }
    # 2024/25: 1,250.00 - 50.00 (hbc) + 77.77 (lcc) consolidated
    assert m.total_gbp == Decimal("1277.77")


def nothing_written(w: Workspace) -> bool:
    counts = [
        w.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in (
            "transaction_payments",
            "transaction_files",
            "transaction_mapping",
            "transaction_suppliers",
            "spend_lines",
        )
    ]
    audit = w.con.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'spend import-transactions'"
    ).fetchone()[0]
    return counts == [0, 0, 0, 0, 0] and audit == 0


def test_bad_rows_fall_back_and_are_named_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_one_pass(monkeypatch, True)
    w = new_place(tmp_path / "ws")
    rows = [*NATIONAL]
    rows[2] = ("hbc", "15/03/2025", "nine hundred", "Acme", "Waste")  # line 4
    rows[4] = ("lcc", "31/02/2024", "77.77", "Tree Co", "Parks")  # line 6: no such day
    rows[5] = ("zzz", "02/01/2025", "5.00", "Acme", "Waste")  # line 7
    with pytest.raises(InputError) as e:
        import_transactions(w, [national_file(tmp_path, rows)], partner=None)
    got = [(p.row, p.column, p.value) for p in e.value.problems]
    assert got == [(4, "amount", "nine hundred"), (6, "date", "31/02/2024"), (7, "partner", "zzz")]
    assert nothing_written(w)


def test_other_forms_take_the_careful_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_one_pass(monkeypatch, True)
    w = new_place(tmp_path / "ws")
    f = tmp_path / "odd.csv"
    f.write_text(
        "Payment Date,Net Amount,Supplier Name,Service Area\n"
        "1-Mar-24,£1.00,Acme,Waste\n"
        "02/03/2024,(2.00),Acme,Waste\n"
        "03/03/2024,3.00 CR,Acme,Waste\n"
        ",,,Total\n",
        encoding="utf-8",
    )
    (r,) = import_transactions(w, [f], partner="hbc")
    assert (r.rows, r.total_gbp, r.skipped) == (3, Decimal("-4.00"), {"no date or amount": [5]})
    stored = w.con.execute("SELECT source_row, amount_gbp FROM transactions ORDER BY 1").fetchall()
    assert stored == [(2, Decimal("1.00")), (3, Decimal("-2.00")), (4, Decimal("-3.00"))]


def test_total_row_is_skipped_by_the_careful_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_one_pass(monkeypatch, True)
    w = new_place(tmp_path / "ws")
    f = tmp_path / "total.csv"
    f.write_text(
        "Payment Date,Net Amount,Supplier Name,Service Area\n"
        "01/03/2024,1.00,Acme,Waste\n"
        "02/03/2024,2.00,Acme,Waste\n"
        ",3.00,Total,\n",
        encoding="utf-8",
    )
    (r,) = import_transactions(w, [f], partner="hbc")
    assert (r.rows, r.total_gbp, r.skipped) == (2, Decimal("3.00"), {"total row": [4]})


def test_same_rows_under_another_name_are_a_duplicate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_one_pass(monkeypatch, True)
    w = new_place(tmp_path / "ws")
    (first,) = import_transactions(w, [national_file(tmp_path, NATIONAL)], partner=None)
    other = tmp_path / "other"
    other.mkdir()
    (again,) = import_transactions(w, [national_file(other, NATIONAL[::-1])], partner=None)
    assert first.status == "imported" and again.status == "duplicate"
    assert "the same 6 rows" in again.message
    assert w.con.execute("SELECT count(*) FROM transaction_payments").fetchone() == (6,)
    assert w.con.execute("SELECT count(*) FROM transaction_files").fetchone() == (1,)


AMOUNTS = st.decimals(
    min_value=Decimal("-99999.99"), max_value=Decimal("999999.99"), places=2, allow_nan=False
)


def _amount_text(a: Decimal, commas: bool) -> str:
    return f"{a:,.2f}" if commas else f"{a:.2f}"


ROW = st.tuples(
    st.sampled_from(["hbc", "lcc", "man"]),
    # up to the last day of the last financial year a place holds (2199/00)
    st.dates(
        min_value=__import__("datetime").date(2022, 1, 1),
        max_value=__import__("datetime").date(2200, 3, 31),
    ),
    AMOUNTS,
    st.booleans(),
    st.booleans(),
    st.sampled_from(
        ["Acme Ltd", "ACME LIMITED", "Lancashire County Council", "Hyndburn Borough Council", ""]
    ),
    st.sampled_from(["Waste", "Schools", "Care homes", "Parks", ""]),
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, min_size=1, max_size=30))
def test_property_one_pass_equals_careful(
    rows: list[tuple], tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp = tmp_path_factory.mktemp("prop")
    text = [
        (
            p,
            d.strftime("%d/%m/%Y") if iso is False else d.isoformat(),
            _amount_text(a, commas),
            s,
            sa,
        )
        for p, d, a, commas, iso, s, sa in rows
    ]
    f = national_file(tmp, text)
    m = tmp / "map.csv"
    m.write_text(MAPPING, encoding="utf-8")
    (one, one_snap, one_rows), (careful, careful_snap, _) = both_paths(
        tmp, monkeypatch, [f], None, m
    )
    assert one_rows == [(True,)]
    assert one == careful
    assert one_snap == careful_snap
    # money is conserved: stored payments and spend lines both add up to the file
    total = sum((a for _, _, a, *_ in rows), Decimal("0"))
    assert sum(p[3] for p in one_snap["payments"]) == total
    assert sum(x[6] for x in one_snap["lines"]) == total


def test_same_file_again_is_skipped_by_checksum_and_logged_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    use_one_pass(monkeypatch, True)
    w = new_place(tmp_path / "ws")
    f = national_file(tmp_path, NATIONAL)
    (first,) = import_transactions(w, [f], partner=None)
    (again,) = import_transactions(w, [f], partner=None)
    assert first.status == "imported" and again.status == "duplicate"
    assert "the same file (checksum)" in again.message
    logged = w.con.execute(
        "SELECT sha256 FROM audit_log WHERE action = 'spend import-transactions'"
    ).fetchall()
    assert logged == [(hashlib.sha256(f.read_bytes()).hexdigest(),)]
    assert w.con.execute("SELECT count(*) FROM transaction_payments").fetchone() == (6,)


def test_ragged_rows_are_refused_on_both_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Until issue 11 (item 6) both paths stored line 3 with the supplier "Smith", the
    # service area " J" and "Waste" dropped: the one pass sent the file to the careful
    # path, which read it without a word. Now both refuse it, naming the line.
    f = tmp_path / "ragged.csv"
    f.write_text(
        "Payment Date,Net Amount,Supplier Name,Service Area\n"
        "01/03/2024,1.00,Acme,Waste\n"
        "02/03/2024,2.00,Smith, J,Waste\n"  # an unquoted comma: one field too many
        "03/03/2024,3.00,Acme\n",  # one too few: its service area is empty, as before
        encoding="utf-8",
    )
    for i, on in enumerate((True, False)):
        use_one_pass(monkeypatch, on)
        w = new_place(tmp_path / f"ws-{i}")
        try:
            with pytest.raises(InputError) as e:
                import_transactions(w, [f], partner="hbc")
            assert [(p.row, p.value, p.message) for p in e.value.problems] == [
                (3, "'Waste' in column 5 (E)", "this row has 5 cells but the header has 4")
            ]
            assert w.con.execute("SELECT count(*) FROM transactions").fetchall() == [(0,)]
        finally:
            w.close()


def test_long_statements_report_duckdbs_progress(tmp_path: Path) -> None:
    import duckdb

    con = duckdb.connect()
    seen: list[tuple[str, int, int]] = []
    txmod._with_query_progress(
        con,
        lambda: con.execute("SELECT sum(hash(i)) FROM range(300000000) t(i)").fetchall(),
        lambda stage, done, total: seen.append((stage, done, total)),
        "read",
        every=0.02,
    )
    assert seen[-1] == ("read", 100, 100)
    # Whether the poller catches the query mid-flight depends on the machine's load, so the
    # figures in between are checked only when there are some (the scripted test below
    # checks them always).
    middle = [d for _, d, _ in seen[:-1]]
    assert all(0 <= d <= 100 for d in middle)
    assert middle == sorted(middle)  # it only goes forward
    # the settings are put back
    assert con.execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)


def test_query_progress_is_reported_as_whole_percentages() -> None:
    """The poller with DuckDB's progress scripted, so nothing depends on timing: -1 (no
    query running yet) is not reported, 12.7 % is reported as 12, and 100 closes the stage."""
    import threading

    import duckdb

    real = duckdb.connect()
    script = [-1.0, 12.7, 50.0, 99.9]
    polled = threading.Event()

    class Scripted:
        def execute(self, *args: object) -> object:
            return real.execute(*args)

        def query_progress(self) -> float:
            if script:
                return script.pop(0)
            polled.set()
            return -1.0

    seen: list[tuple[str, int, int]] = []
    txmod._with_query_progress(
        Scripted(),  # type: ignore[arg-type]
        lambda: polled.wait(10),
        lambda stage, done, total: seen.append((stage, done, total)),
        "check",
        every=0.001,
    )
    assert polled.is_set()
    assert seen == [("check", 12, 100), ("check", 50, 100), ("check", 99, 100), ("check", 100, 100)]
    assert real.execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)


def test_one_pass_import_reports_its_stages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_one_pass(monkeypatch, True)
    w = new_place(tmp_path / "ws")
    seen: list[tuple[str, int, int]] = []
    import_transactions(
        w,
        [national_file(tmp_path, NATIONAL)],
        partner=None,
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    stages = list(dict.fromkeys(s for s, _, _ in seen))
    assert stages == ["read", "check", "write"]
    assert ("read", 100, 100) in seen and seen[-1] == ("write", 1, 1)


def test_two_partners_with_the_same_name_do_not_double_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for on in (True, False):
        use_one_pass(monkeypatch, on)
        w = new_place(tmp_path / f"ws-{on}")
        with w.write("another partner of the same name"):
            upsert(
                w, [Partner("lcc2", "Lancashire County Council Ltd", "county council", "C", "LG")]
            )
        (r,) = import_transactions(w, [national_file(tmp_path, NATIONAL)], partner=None)
        assert (r.rows, r.total_gbp) == (6, Decimal("14182.87"))
        paid = w.con.execute(
            "SELECT counterparty, sum(amount_gbp), count(*) FROM transactions "
            "WHERE counterparty IS NOT NULL GROUP BY 1 ORDER BY 1"
        ).fetchall()
        # the first id of the two takes the payment, once
        assert paid == [("hbc", Decimal("5.00"), 1), ("lcc", Decimal("900.10"), 1)]
        lines = w.con.execute("SELECT sum(amount_gbp) FROM spend_lines").fetchone()[0]
        assert lines == Decimal("14182.87")
        w.close()
