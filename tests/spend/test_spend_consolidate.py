import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from spend_helpers import PARTNERS, add_partners, write
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.engine import duckdb_tables
from wholeplace.spend import consolidate, import_spend
from wholeplace.spend.consolidate import (
    NOT_ALLOCATED,
    NOT_STATED,
    SpendFilter,
    consolidated_lines,
    filtered_rows,
)
from wholeplace.spend.importer import LINE_SCHEMA
from wholeplace.workspace import Workspace

D = Decimal


@pytest.fixture
def place(ws: Workspace, tmp_path: Path) -> Workspace:
    add_partners(ws)
    with ws.write("areas"):
        ws.con.execute("INSERT INTO areas VALUES ('A1', 'North', 600000), ('A2', 'South', 400000)")
    write(
        tmp_path / "all.csv",
        "partner,year,service,area,customer_group,amount_gbp,counterparty,estimate,estimate_method\n"
        "cc,2024/25,ASC,A1,Older people,1000000.00,,,\n"
        "cc,2024/25,ASC,A2,Older people,500000.00,,,\n"
        "cc,2024/25,ASC,,Older people,300000.00,icb,,\n"  # pooled budget: eliminated
        "cc,2024/25,EDU,A1,Children,2000000.00,,,\n"
        "cc,2024/25,HTS,A2,,150000.00,acme-ltd,,\n"  # outside the place: kept
        "dc,2024/25,ENV,A1,,250000.01,,,\n"
        "icb,2024/25,NHS.ACUTE,A1,,4000000.00,,,\n"
        "icb,2024/25,NHS.COMMUNITY,,,100000.00,cc,,\n"  # ICB -> county: eliminated
        "dwp,2024/25,SSB.PENSION,A2,Older people,3000000.00,,yes,national per head\n"
        "cc,2023/24,ASC,A1,Older people,900000.00,,,\n",
    )
    import_spend(ws, tmp_path / "all.csv")
    return ws


def test_by_group_with_eliminations(place: Workspace) -> None:
    m = consolidate(duckdb_tables(place), "2024/25", "group", population=1_000_000)
    imported = D("11300000.01")
    eliminated = D("400000.00")
    assert m.reconciliation.imported_gbp == imported
    assert m.eliminated_gbp == eliminated
    assert m.total_gbp == imported - eliminated == D("10900000.01")
    assert m.reconciliation.holds
    assert [(r.key, r.amount_gbp) for r in m.rows] == [
        ("NHS", D("4000000.00")),
        ("County council", D("3650000.00")),
        ("DWP", D("3000000.00")),
        ("District councils", D("250000.01")),
    ]
    assert m.estimated_gbp == D("3000000.00")
    assert {r.key: r.estimated_gbp for r in m.rows}["DWP"] == D("3000000.00")
    assert m.per_head_gbp == D("10.90")
    assert [r.per_head_gbp for r in m.rows][:2] == [D("4.00"), D("3.65")]
    assert sum(r.share for r in m.rows) == pytest.approx(D("1"), abs=D("0.0002"))
    elims = [(e.payer, e.payee, e.service, e.amount_gbp) for e in m.eliminations]
    assert elims == [
        ("cc", "icb", "ASC", D("300000.00")),
        ("icb", "cc", "NHS.COMMUNITY", D("100000.00")),
    ]


def test_by_area_uses_area_population(place: Workspace) -> None:
    m = consolidate(
        duckdb_tables(place),
        "2024/25",
        "area",
        population=1_000_000,
        area_population={"A1": 600000, "A2": 400000},
    )
    rows = {r.key: r for r in m.rows}
    assert rows["A1"].amount_gbp == D("7250000.01")
    assert rows["A1"].label == "North"
    assert rows["A1"].per_head_gbp == D("12.08")  # 7,250,000.01 / 600,000
    assert rows["A2"].amount_gbp == D("3650000.00")
    assert rows["A2"].per_head_gbp == D("9.13")  # 3,650,000 / 400,000 = 9.125 -> half up
    assert set(rows) == {"A1", "A2"}  # the unallocated lines were both eliminated


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        (
            "partner",
            {"cc": "3650000.00", "icb": "4000000.00", "dwp": "3000000.00", "dc": "250000.01"},
        ),
        (
            "division",
            {
                "ASC": "1500000.00",
                "EDU": "2000000.00",
                "HTS": "150000.00",
                "ENV": "250000.01",
                "NHS": "4000000.00",
                "SSB": "3000000.00",
            },
        ),
        (
            "customer_group",
            {"Older people": "4500000.00", "Children": "2000000.00", "(not stated)": "4400000.01"},
        ),
    ],
)
def test_other_dimensions(place: Workspace, by: str, expected: dict[str, str]) -> None:
    m = consolidate(duckdb_tables(place), "2024/25", by)
    assert {r.key: str(r.amount_gbp) for r in m.rows} == expected
    assert sum(r.amount_gbp for r in m.rows) == m.total_gbp


def test_counterparty_outside_place_is_kept(place: Workspace) -> None:
    m = consolidate(duckdb_tables(place), "2024/25", "service")
    assert {r.key: r.amount_gbp for r in m.rows}["HTS"] == D("150000.00")


def test_cli_json(place: Workspace) -> None:
    res = CliRunner().invoke(
        app, ["spend", "map", "--year", "2024-25", "--by", "group", "--json", "-w", str(place.path)]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["year"] == "2024/25"
    assert data["total_gbp"] == "10900000.01"
    assert data["eliminated_gbp"] == "400000.00"
    assert data["rows"][0] == {
        "key": "NHS",
        "label": "NHS",
        "amount_gbp": "4000000.00",
        "estimated_gbp": "0.00",
        "share": 0.367,
        "per_head_gbp": "4.00",
        "capital_gbp": "0.00",
        "combined_gbp": "4000000.00",
    }
    assert data["reconciliation"]["holds"] is True


def test_cli_unknown_year_is_a_plain_error(place: Workspace) -> None:
    res = CliRunner().invoke(app, ["spend", "map", "--year", "2019/20", "-w", str(place.path)])
    assert res.exit_code == 2
    assert "No spend for 2019/20" in res.output and "Traceback" not in res.output


amounts = st.decimals(min_value=0, max_value=D("9999999999.99"), places=2, allow_nan=False)
line = st.tuples(
    st.sampled_from([p.id for p in PARTNERS]),
    st.sampled_from(["ASC", "EDU", "NHS.ACUTE", "SSB.HB"]),
    amounts,
    st.sampled_from([None, "cc", "dc", "icb", "dwp", "outsider", "another-body"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(line, min_size=1, max_size=40))
def test_money_is_conserved_for_any_lines(ws: Workspace, data: list) -> None:
    """sum of imported lines = consolidated total + eliminations, to the penny."""
    if not ws.con.execute("SELECT count(*) FROM partners").fetchone()[0]:
        add_partners(ws)
    ws.con.execute("DELETE FROM spend_lines")
    rows = [d for d in data if d[3] != d[0]]
    assume(rows)
    tbl = pa.table(
        {
            "partner": [r[0] for r in rows],
            "year": ["2024/25"] * len(rows),
            "service": [r[1] for r in rows],
            "source_service": [r[1] for r in rows],
            "subservice": [None] * len(rows),
            "area": [None] * len(rows),
            "customer_group": [None] * len(rows),
            "amount_gbp": [r[2] for r in rows],
            "counterparty": [r[3] for r in rows],
            "is_estimate": [False] * len(rows),
            "estimate_method": [None] * len(rows),
            "source": [None] * len(rows),
            "source_row": list(range(len(rows))),
            "basis": ["gross"] * len(rows),
            "account": ["revenue"] * len(rows),
        },
        schema=LINE_SCHEMA,
    )
    ws.con.register("_t", tbl)
    ws.con.execute("INSERT INTO spend_lines SELECT 0, * FROM _t")
    ws.con.unregister("_t")
    internal = {"cc", "dc", "icb", "dwp"}
    expected_total = sum((r[2] for r in rows), D(0))
    expected_elim = sum((r[2] for r in rows if r[3] in internal), D(0))
    for by in ("group", "partner", "service", "area"):
        m = consolidate(duckdb_tables(ws), "2024/25", by)
        assert m.reconciliation.imported_gbp == expected_total
        assert m.eliminated_gbp == expected_elim
        assert m.total_gbp + m.eliminated_gbp == expected_total
        assert sum((r.amount_gbp for r in m.rows), D(0)) == m.total_gbp
        assert sum((e.amount_gbp for e in m.eliminations), D(0)) == m.eliminated_gbp


kinded = st.tuples(line, st.sampled_from(["gross", "net", "payments"]), st.booleans())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(kinded, min_size=1, max_size=40))
def test_each_payment_is_taken_off_once_whatever_the_bases(ws: Workspace, data: list) -> None:
    """Issue 10: for any lines on any bases and accounts, a payment to a partner is
    eliminated exactly when that partner has no net lines in the year and account, and
    revenue and capital each reconcile to the penny."""
    if not ws.con.execute("SELECT count(*) FROM partners").fetchone()[0]:
        add_partners(ws)
    ws.con.execute("DELETE FROM spend_lines")
    rows = [(*ln, basis, "capital" if cap else "revenue") for ln, basis, cap in data]
    rows = [r for r in rows if r[3] != r[0]]
    assume(rows)
    n = len(rows)
    tbl = pa.table(
        {
            "partner": [r[0] for r in rows],
            "year": ["2024/25"] * n,
            "service": [r[1] for r in rows],
            "source_service": [f"{r[1]} {i}" for i, r in enumerate(rows)],
            "subservice": [None] * n,
            "area": [None] * n,
            "customer_group": [None] * n,
            "amount_gbp": [r[2] for r in rows],
            "counterparty": [r[3] for r in rows],
            "is_estimate": [False] * n,
            "estimate_method": [None] * n,
            "source": [None] * n,
            "source_row": list(range(n)),
            "basis": [r[4] for r in rows],
            "account": [r[5] for r in rows],
        },
        schema=LINE_SCHEMA,
    )
    ws.con.register("_t", tbl)
    ws.con.execute("INSERT INTO spend_lines SELECT 0, * FROM _t")
    ws.con.unregister("_t")
    partners = {"cc", "dc", "icb", "dwp"}
    net = {(r[0], r[5]) for r in rows if r[4] == "net"}
    m = consolidate(duckdb_tables(ws), "2024/25", "partner")
    kept = [r for r in rows if r[3] in partners and (r[3], r[5]) in net]
    assert sum((e.amount_gbp for e in m.not_eliminated), D(0)) == sum((r[2] for r in kept), D(0))
    for acc, rec in (("revenue", m.reconciliation), ("capital", m.capital)):
        mine = [r for r in rows if r[5] == acc]
        out = [r for r in mine if r[3] in partners and (r[3], acc) not in net]
        assert rec.imported_gbp == sum((r[2] for r in mine), D(0))
        assert rec.eliminated_gbp == sum((r[2] for r in out), D(0))
        assert rec.holds
    assert sum((r.amount_gbp for r in m.rows), D(0)) == m.total_gbp
    assert sum((r.capital_gbp for r in m.rows), D(0)) == m.capital_gbp


def test_reconciliation_difference_is_imported_less_what_is_accounted_for() -> None:
    from wholeplace.spend.consolidate import Reconciliation

    # 100 imported, 70 consolidated, 20 eliminated: 10 unaccounted for, shown as +10.
    short = Reconciliation(D("100.00"), D("70.00"), D("20.00"))
    assert short.difference_gbp == D("10.00") and not short.holds
    # 100 imported, 90 + 20 accounted for: 10 too much, -10.
    over = Reconciliation(D("100.00"), D("90.00"), D("20.00"))
    assert over.difference_gbp == D("-10.00") and not over.holds
    exact = Reconciliation(D("100.00"), D("80.00"), D("20.00"))
    assert exact.difference_gbp == 0 and exact.holds


def test_spend_map_per_head_is_half_up_and_in_the_json() -> None:
    from wholeplace.spend.consolidate import Reconciliation, SpendMap

    rec = Reconciliation(D("1000.01"), D("1000.01"), D("0.00"))

    def spend_map(population: int | None) -> SpendMap:
        return SpendMap("2024/25", "group", D("1000.01"), D(0), D(0), [], rec, population)

    # 1,000.01 / 2 = 500.005: half-up to 500.01 (half-even would give 500.00).
    assert spend_map(2).per_head_gbp == D("500.01")
    assert spend_map(3).per_head_gbp == D("333.34")  # 333.3366..
    assert spend_map(None).per_head_gbp is None and spend_map(0).per_head_gbp is None
    j = spend_map(2).to_json()
    assert (j["population"], j["per_head_gbp"], j["total_gbp"]) == (2, "500.01", "1000.01")
    assert j["reconciliation"] == {
        "imported_gbp": "1000.01",
        "consolidated_gbp": "1000.01",
        "eliminated_gbp": "0.00",
        "holds": True,
    }
    assert spend_map(None).to_json()["per_head_gbp"] is None
    assert {k: j[k] for k in ("year", "by", "eliminated_gbp", "estimated_gbp", "rows")} == {
        "year": "2024/25",
        "by": "group",
        "eliminated_gbp": "0",
        "estimated_gbp": "0",
        "rows": [],
    }


def test_a_reconciliation_cannot_be_changed_and_group_is_the_default_view(
    place: Workspace,
) -> None:
    import dataclasses

    m = consolidate(duckdb_tables(place), "2024/25")
    assert m.by == "group" and m.to_json()["by"] == "group"
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.reconciliation.imported_gbp = D(0)  # type: ignore[misc]
    # the one estimated line (DWP's 3,000,000.00) in the JSON too
    assert m.to_json()["estimated_gbp"] == "3000000.00"


# The place's consolidated lines by service, summed by hand from the fixture: the county's
# adult social care 1,000,000 + 500,000 (its 300,000 to the ICB is eliminated), the ICB's
# acute 4,000,000 (its 100,000 to the county is eliminated), and the rest one line each.
BY_SERVICE = {
    "ASC": D("1500000.00"),
    "EDU": D("2000000.00"),
    "HTS": D("150000.00"),
    "ENV": D("250000.01"),
    "NHS.ACUTE": D("4000000.00"),
    "SSB.PENSION": D("3000000.00"),
}


def test_by_service_and_a_single_view(place: Workspace) -> None:
    from wholeplace.spend.consolidate import consolidate_views

    t = duckdb_tables(place)
    m = consolidate(t, "2024/25", "service")
    assert {r.key: r.amount_gbp for r in m.rows} == BY_SERVICE
    (only,) = consolidate_views(t, "2024/25", ["service"]).values()
    assert {r.key: r.amount_gbp for r in only.rows} == BY_SERVICE
    assert only == m


def test_an_unknown_view_names_every_view_there_is(place: Workspace) -> None:
    from wholeplace.spend.consolidate import consolidate_views

    message = (
        "^cannot map spend by 'place'; choose one of group, partner, division, service, area, "
        "customer_group$"
    )
    with pytest.raises(ValueError, match=message):
        consolidate(duckdb_tables(place), "2024/25", "place")
    with pytest.raises(ValueError, match=message):
        consolidate_views(duckdb_tables(place), "2024/25", ["group", "place"])


def test_several_views_at_once_by_hand(place: Workspace) -> None:
    from wholeplace.spend.consolidate import consolidate_views

    maps = consolidate_views(
        duckdb_tables(place), "2024/25", ["service", "group", "customer_group"]
    )
    assert list(maps) == ["service", "group", "customer_group"]
    assert {r.key: r.amount_gbp for r in maps["service"].rows} == BY_SERVICE
    assert {r.key: r.amount_gbp for r in maps["group"].rows} == {
        "NHS": D("4000000.00"),
        "County council": D("3650000.00"),  # 1,000,000 + 500,000 + 2,000,000 + 150,000
        "DWP": D("3000000.00"),
        "District councils": D("250000.01"),
    }
    assert {r.key: r.amount_gbp for r in maps["customer_group"].rows} == {
        "Older people": D("4500000.00"),  # 1,000,000 + 500,000 + 3,000,000
        "Children": D("2000000.00"),
        "(not stated)": D("4400000.01"),  # 150,000 + 250,000.01 + 4,000,000
    }
    assert {r.key: r.estimated_gbp for r in maps["group"].rows}["DWP"] == D("3000000.00")
    # two views: the shared query too
    two = consolidate_views(duckdb_tables(place), "2024/25", ["group", "service"])
    assert {r.key: r.amount_gbp for r in two["service"].rows} == BY_SERVICE


def test_lines_without_an_area_and_immutable_rows(place: Workspace) -> None:
    import dataclasses

    m = consolidate(duckdb_tables(place), "2024/25", "area")
    # The two lines without an area (the county's 300,000 to the ICB and the ICB's 100,000
    # to the county) are both eliminated, so every row has an area. By customer group the
    # lines without one are "(not stated)", as the page says.
    assert "(not allocated to an area)" not in {r.key for r in m.rows}
    cg = consolidate(duckdb_tables(place), "2024/25", "customer_group")
    assert "(not stated)" in {r.key for r in cg.rows}
    from wholeplace.spend.lines import Line, write_lines

    line = Line(
        partner="dc",
        year="2025/26",
        service="ENV",
        source_service="bins",
        amount_gbp=D("10.00"),
        area=None,
        customer_group=None,
        counterparty=None,
        is_estimate=False,
        estimate_method=None,
        source_row=1,
    )
    write_lines(place, [line], action="a line without an area", file=None, sha256="")
    rows = consolidate(duckdb_tables(place), "2025/26", "area").rows
    assert [(r.key, r.label, r.amount_gbp) for r in rows] == [
        ("(not allocated to an area)", "(not allocated to an area)", D("10.00"))
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.rows[0].amount_gbp = D(0)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.eliminations[0].amount_gbp = D(0)  # type: ignore[misc]


def test_capital_is_reconciled_apart_and_combined_only_where_named(
    ws: Workspace, tmp_path: Path
) -> None:
    """Capital lines of the year stand beside the revenue total, never inside it; the
    county's capital grant to the district is taken off once, like a revenue payment.
    By hand: revenue 1,000.00 + 250.50 = 1,250.50; capital 400.00 + 99.99 + 60.00 (the
    grant, eliminated) = 559.99 imported, 499.99 consolidated; together 1,750.49."""
    add_partners(ws)
    write(
        tmp_path / "cap.csv",
        "partner,year,service,amount_gbp,counterparty,account\n"
        "cc,2024/25,ASC,1000.00,,revenue\n"
        "dc,2024/25,ENV,250.50,,revenue\n"
        "cc,2024/25,EDU,400.00,,capital\n"
        "dc,2024/25,ENV,99.99,,capital\n"
        "cc,2024/25,HTS,60.00,dc,capital\n",
    )
    import_spend(ws, tmp_path / "cap.csv")
    t = duckdb_tables(ws)
    m = consolidate(t, "2024/25", "partner")
    assert m.total_gbp == D("1250.50")
    # the lines counted in each account's total, as the spend report reads them
    for account, count, total in (("revenue", 2, "1250.50"), ("capital", 2, "499.99")):
        lines = consolidated_lines(t, "2024/25", account)
        assert (lines.count().execute(), lines.amount_gbp.sum().execute()) == (count, D(total))
    assert (m.capital.imported_gbp, m.capital.eliminated_gbp) == (D("559.99"), D("60.00"))
    assert m.capital_gbp == D("499.99")
    assert m.combined_gbp == D("1750.49")
    data = m.to_json()
    assert (data["total_gbp"], data["capital_gbp"], data["combined_gbp"]) == (
        "1250.50",
        "499.99",
        "1750.49",
    )
    cap = data["capital_reconciliation"]
    assert (cap["imported_gbp"], cap["eliminated_gbp"], cap["consolidated_gbp"]) == (
        "559.99",
        "60.00",
        "499.99",
    )
    assert {r["key"]: (r["capital_gbp"], r["combined_gbp"]) for r in data["rows"]} == {
        "cc": ("400.00", "1400.00"),
        "dc": ("99.99", "350.49"),
    }
    # each partner's basis is of its revenue lines only: capital is not gross spend
    assert [
        (b["partner"], b["basis"], b["by_basis_gbp"], b["gross_gbp"]) for b in data["bases"]
    ] == [
        ("cc", "gross", {"gross": "1000.00"}, "1000.00"),
        ("dc", "gross", {"gross": "250.50"}, "250.50"),
    ]


def test_a_payment_to_a_partner_reporting_net_is_kept_and_said_so_in_the_json(
    ws: Workspace, tmp_path: Path
) -> None:
    """The district reports net current expenditure, so the county's 60.00 to it is already
    off the district's figure: kept where the county records it, listed as not eliminated,
    and the mixed bases named in the warnings. By hand: 1,000.00 + 60.00 + 250.50 = 1,310.50,
    nothing eliminated."""
    add_partners(ws)
    write(
        tmp_path / "net.csv",
        "partner,year,service,amount_gbp,counterparty,basis\n"
        "cc,2024/25,ASC,1000.00,,gross\n"
        "cc,2024/25,HTS,60.00,dc,gross\n"
        "dc,2024/25,ENV,250.50,,net\n",
    )
    import_spend(ws, tmp_path / "net.csv")
    data = consolidate(duckdb_tables(ws), "2024/25", "partner").to_json()
    assert (data["total_gbp"], data["eliminated_gbp"]) == ("1310.50", "0.00")
    assert data["not_eliminated"] == [
        {"payer": "cc", "payee": "dc", "service": "HTS", "amount_gbp": "60.00"}
    ]
    [mixed] = data["warnings"]
    assert mixed.startswith("Bases are mixed: gross expenditure: cc; net current expenditure: dc.")


def test_a_slice_of_the_map_is_cut_after_the_eliminations(place: Workspace) -> None:
    """The drill-down's slices, by hand from the place's lines of 2024/25."""
    import dataclasses

    t = duckdb_tables(place)
    # the county's older people in the North: its 1,000,000.00 of adult social care only
    total, rows = filtered_rows(
        t, "2024/25", "service", SpendFilter(frozenset({"cc"}), "A1", "Older people")
    )
    assert (total, [(r.key, r.amount_gbp, r.share) for r in rows]) == (
        D("1000000.00"),
        [("ASC", D("1000000.00"), D("1"))],
    )
    # lines naming no customer group, by partner: the ICB's 4,000,000.00 of acute care, the
    # district's 250,000.01 and the county's 150,000.00 to a supplier; the ICB's 100,000.00
    # to the county has none either, but is eliminated before the slice is cut
    total, rows = filtered_rows(
        t, "2024/25", "partner", SpendFilter(customer_group=NOT_STATED), population=1_000
    )
    assert total == D("4400000.01")
    assert [(r.key, r.amount_gbp, r.per_head_gbp) for r in rows] == [
        ("icb", D("4000000.00"), D("4000.00")),
        ("dc", D("250000.01"), D("250.00")),
        ("cc", D("150000.00"), D("150.00")),
    ]
    # spend on no area: only the two payments between partners, both eliminated
    assert filtered_rows(t, "2024/25", "partner", SpendFilter(area=NOT_ALLOCATED)) == (D(0), [])
    with pytest.raises(ValueError, match="customer_group"):
        filtered_rows(t, "2024/25", "department", SpendFilter())
    with pytest.raises(dataclasses.FrozenInstanceError):
        SpendFilter().area = "A1"  # type: ignore[misc]


def test_the_estimate_counted_is_revenue_kept_in_the_place(ws: Workspace, tmp_path: Path) -> None:
    """Of three estimated lines only the county's 1,000.00 of revenue counts as estimated:
    its capital estimate stands apart and its estimated payment to the district is
    eliminated. An area of one person has a figure per head like any other; rows of equal
    revenue are ordered by their capital, largest first."""
    add_partners(ws)
    with ws.write("areas"):
        ws.con.execute("INSERT INTO areas VALUES ('A1', 'Hamlet', 1), ('A2', 'Town', 5000)")
    write(
        tmp_path / "est.csv",
        "partner,year,service,area,amount_gbp,counterparty,account,estimate,estimate_method\n"
        "cc,2024/25,ASC,A1,1000.00,,revenue,yes,national per head\n"
        "cc,2024/25,EDU,A2,400.00,,capital,yes,national per head\n"
        "cc,2024/25,HTS,A2,60.00,dc,revenue,yes,national per head\n"
        "dc,2024/25,ENV,A2,1000.00,,revenue,,\n"
        "dc,2024/25,ENV,A2,10.00,,capital,,\n",
    )
    import_spend(ws, tmp_path / "est.csv")
    t = duckdb_tables(ws)
    m = consolidate(t, "2024/25", "area", area_population={"A1": 1, "A2": 5000})
    assert m.estimated_gbp == D("1000.00")
    rows = {r.key: r for r in m.rows}
    assert rows["A1"].per_head_gbp == D("1000.00")  # 1,000.00 / 1
    assert rows["A2"].per_head_gbp == D("0.20")  # 1,000.00 / 5,000
    by_partner = consolidate(t, "2024/25", "partner").rows
    assert [(r.key, r.amount_gbp, r.capital_gbp) for r in by_partner] == [
        ("cc", D("1000.00"), D("400.00")),
        ("dc", D("1000.00"), D("10.00")),
    ]
