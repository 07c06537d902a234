"""One code path, two engines: the spend map and the supplier analysis on DuckDB and Spark.

Every test here runs on both engines through the ``engine`` fixture. The expected values are
worked by hand from the lines below (shares and per-head figures are exact fractions rounded
half-up), never taken from either engine, so each engine is checked against the same truth.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from engines import Engine
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.partners import Partner, upsert
from wholeplace.spend.consolidate import (
    DIMENSIONS,
    NOT_ALLOCATED,
    NOT_STATED,
    consolidate,
    consolidate_views,
)
from wholeplace.spend.lines import Income, Line, write_lines
from wholeplace.spend.transactions import (
    import_transactions,
    payments_between_partners,
    shared_suppliers,
    top_suppliers,
)
from wholeplace.workspace import Workspace

D = Decimal
POPULATION = 812_345
AREA_POPULATION = {"A1": 300_001}  # A2's population is left out on purpose: no per head

PARTNERS = [
    Partner("cc", "Shire County Council", "county council", "County council", "LG"),
    Partner("dc", "Vale District Council", "district", "Districts", "LG"),
    Partner("icb", "NHS Shire ICB", "nhs commissioner", "NHS", "Health"),
    Partner("pol", "Shire Police", "police", "Police", "Police"),
]
NAMES = {p.id: p.name for p in PARTNERS}


def line(partner, year, service, amount, area=None, group=None, to=None, est=False) -> Line:
    return Line(
        partner=partner,
        year=year,
        service=service,
        source_service=service,
        amount_gbp=D(amount),
        area=area,
        customer_group=group,
        counterparty=to,
        is_estimate=est,
        estimate_method="test" if est else None,
    )


OLD, KIDS = "Older people", "Children"
LINES = [
    # 2024/25, kept in the map
    line("cc", "2024/25", "ASC", "1000000.00", "A1", OLD),
    line("cc", "2024/25", "ASC", "250000.50", "A2", OLD, est=True),
    line("cc", "2024/25", "EDU", "2000000.00", "A2", KIDS),
    line("cc", "2024/25", "HTS", "-5000.25", "A1"),  # a credit
    line("cc", "2024/25", "CEN", "120000.00", to="outside-body"),  # not a partner: kept
    line("dc", "2024/25", "ENV", "333333.33", "A1"),
    line("icb", "2024/25", "NHS.ACUTE", "3000000.00", "A1"),
    line("icb", "2024/25", "NHS.PRIMARY", "700000.07", group=OLD, est=True),
    line("pol", "2024/25", "POL", "1500000.00", est=True),
    # 2024/25, paid to another partner: eliminated
    line("cc", "2024/25", "CSC", "400000.00", group=KIDS, to="icb"),
    line("dc", "2024/25", "HTS", "50000.00", "A2", to="cc"),
    line("icb", "2024/25", "NHS.PRIMARY", "100000.00", "A2", to="cc", est=True),
    line("pol", "2024/25", "CEN", "25000.00", "A1", to="dc"),
    line("pol", "2024/25", "CEN", "5000.00", to="dc"),
    # 2023/24
    line("cc", "2023/24", "ASC", "900000.00", "A1", OLD),
    line("icb", "2023/24", "NHS.ACUTE", "2500000.00", "A1", est=True),
    line("pol", "2023/24", "POL", "1000000.00", "A2", to="icb"),
]

# 2024/25 kept: 1,000,000.00 + 250,000.50 + 2,000,000.00 - 5,000.25 + 120,000.00
#   + 333,333.33 + 3,000,000.00 + 700,000.07 + 1,500,000.00 = 8,898,333.65
TOTAL = D("8898333.65")
# eliminated: 400,000.00 + 50,000.00 + 100,000.00 + 25,000.00 + 5,000.00 = 580,000.00
ELIMINATED = D("580000.00")
# estimated and kept: 250,000.50 + 700,000.07 + 1,500,000.00 (the eliminated estimate is out)
ESTIMATED = D("2450000.57")

# (key, label, £, of which estimated, share = £ / TOTAL, per head = £ / population), in
# the map's order: largest first. Shares to 4 places and £ per head to the penny, half up.
EXPECTED = {
    "group": [
        ("NHS", "NHS", "3700000.07", "700000.07", "0.4158", "4.55"),
        ("County council", "County council", "3365000.25", "250000.50", "0.3782", "4.14"),
        ("Police", "Police", "1500000.00", "1500000.00", "0.1686", "1.85"),
        ("Districts", "Districts", "333333.33", "0.00", "0.0375", "0.41"),
    ],
    "partner": [
        ("icb", "NHS Shire ICB", "3700000.07", "700000.07", "0.4158", "4.55"),
        ("cc", "Shire County Council", "3365000.25", "250000.50", "0.3782", "4.14"),
        ("pol", "Shire Police", "1500000.00", "1500000.00", "0.1686", "1.85"),
        ("dc", "Vale District Council", "333333.33", "0.00", "0.0375", "0.41"),
    ],
    "service": [
        ("NHS.ACUTE", "NHS acute hospital care", "3000000.00", "0.00", "0.3371", "3.69"),
        ("EDU", "Education services", "2000000.00", "0.00", "0.2248", "2.46"),
        ("POL", "Police services", "1500000.00", "1500000.00", "0.1686", "1.85"),
        ("ASC", "Adult social care", "1250000.50", "250000.50", "0.1405", "1.54"),
        (
            "NHS.PRIMARY",
            "NHS primary care (GP and other primary care)",
            "700000.07",
            "700000.07",
            "0.0787",
            "0.86",
        ),
        ("ENV", "Environmental and regulatory services", "333333.33", "0.00", "0.0375", "0.41"),
        ("CEN", "Central services", "120000.00", "0.00", "0.0135", "0.15"),
        ("HTS", "Highways and transport services", "-5000.25", "0.00", "-0.0006", "-0.01"),
    ],
    "division": [
        ("NHS", "Health care (NHS)", "3700000.07", "700000.07", "0.4158", "4.55"),
        ("EDU", "Education services", "2000000.00", "0.00", "0.2248", "2.46"),
        ("POL", "Police services", "1500000.00", "1500000.00", "0.1686", "1.85"),
        ("ASC", "Adult social care", "1250000.50", "250000.50", "0.1405", "1.54"),
        ("ENV", "Environmental and regulatory services", "333333.33", "0.00", "0.0375", "0.41"),
        ("CEN", "Central services", "120000.00", "0.00", "0.0135", "0.15"),
        ("HTS", "Highways and transport services", "-5000.25", "0.00", "-0.0006", "-0.01"),
    ],
    # A1: 1,000,000.00 - 5,000.25 + 333,333.33 + 3,000,000.00; per head over A1's 300,001
    "area": [
        ("A1", "North", "4328333.08", "0.00", "0.4864", "14.43"),
        (NOT_ALLOCATED, NOT_ALLOCATED, "2320000.07", "2200000.07", "0.2607", None),
        ("A2", "South", "2250000.50", "250000.50", "0.2529", None),
    ],
    "customer_group": [
        (NOT_STATED, NOT_STATED, "4948333.08", "1500000.00", "0.5561", "6.09"),
        (KIDS, KIDS, "2000000.00", "0.00", "0.2248", "2.46"),
        (OLD, OLD, "1950000.57", "950000.57", "0.2191", "2.40"),
    ],
}

# (payer, payee, service, £, lines), largest first
ELIMINATIONS = [
    ("cc", "icb", "CSC", "400000.00", 1),
    ("icb", "cc", "NHS.PRIMARY", "100000.00", 1),
    ("dc", "cc", "HTS", "50000.00", 1),
    ("pol", "dc", "CEN", "30000.00", 2),
]


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace.create(tmp_path_factory.mktemp("engines") / "place", "Shire", POPULATION)
    with ws.write("test partners"):
        upsert(ws, PARTNERS)
        ws.con.execute("INSERT INTO areas VALUES ('A1', 'North', 300001), ('A2', 'South', 512344)")
    write_lines(ws, LINES, action="test lines", file=None, sha256="")
    yield ws
    ws.close()


def as_rows(m) -> list[tuple]:
    return [
        (
            r.key,
            r.label,
            str(r.amount_gbp),
            str(r.estimated_gbp),
            str(r.share),
            None if r.per_head_gbp is None else str(r.per_head_gbp),
        )
        for r in m.rows
    ]


def check_map(m, by: str) -> None:
    assert as_rows(m) == EXPECTED[by]
    assert m.total_gbp == TOTAL
    assert m.eliminated_gbp == ELIMINATED
    assert m.estimated_gbp == ESTIMATED
    assert m.per_head_gbp == D("10.95")  # 8,898,333.65 / 812,345 = 10.9539
    assert m.reconciliation.imported_gbp == TOTAL + ELIMINATED == D("9478333.65")
    assert m.reconciliation.holds
    got = [(e.payer, e.payee, e.service, str(e.amount_gbp), e.lines) for e in m.eliminations]
    assert got == ELIMINATIONS
    assert {(e.payer_name, e.payee_name) for e in m.eliminations} == {
        (NAMES[p], NAMES[q]) for p, q, *_ in ELIMINATIONS
    }


@pytest.mark.parametrize("by", DIMENSIONS)
def test_spend_map_on_every_dimension(place: Workspace, engine: Engine, by: str) -> None:
    m = consolidate(
        engine.tables(place), "2024/25", by, population=POPULATION, area_population=AREA_POPULATION
    )
    check_map(m, by)
    if by == "area":
        assert [r.population for r in m.rows] == [300_001, None, None]


def test_all_views_at_once_match_the_hand_figures(place: Workspace, engine: Engine) -> None:
    maps = consolidate_views(
        engine.tables(place),
        "2024/25",
        DIMENSIONS,
        population=POPULATION,
        area_population=AREA_POPULATION,
    )
    assert list(maps) == list(DIMENSIONS)
    for by, m in maps.items():
        check_map(m, by)


def test_other_year_is_kept_apart(place: Workspace, engine: Engine) -> None:
    m = consolidate(engine.tables(place), "2023/24", "group", population=POPULATION)
    # kept: 900,000.00 + 2,500,000.00; police's 1,000,000.00 to the ICB is eliminated
    assert as_rows(m) == [
        ("NHS", "NHS", "2500000.00", "2500000.00", "0.7353", "3.08"),  # 25/34
        ("County council", "County council", "900000.00", "0.00", "0.2647", "1.11"),  # 9/34
    ]
    assert (m.total_gbp, m.eliminated_gbp, m.estimated_gbp) == (
        D("3400000.00"),
        D("1000000.00"),
        D("2500000.00"),
    )
    assert m.per_head_gbp == D("4.19")  # 3,400,000 / 812,345 = 4.1854
    assert [(e.payer, e.payee, e.service, e.lines) for e in m.eliminations] == [
        ("pol", "icb", "POL", 1)
    ]


def test_cli_map_on_the_engine(place: Workspace, engine: Engine) -> None:
    res = CliRunner().invoke(
        app,
        ["spend", "map", "--year", "2024/25", "--by", "area", "--json", "-w", str(place.path)]
        + engine.cli_args(),
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert (data["total_gbp"], data["eliminated_gbp"], data["per_head_gbp"]) == (
        "8898333.65",
        "580000.00",
        "10.95",
    )
    # from the command line both areas have their populations: A2 2,250,000.50 / 512,344
    assert [(r["key"], r["amount_gbp"], r["per_head_gbp"]) for r in data["rows"]] == [
        ("A1", "4328333.08", "14.43"),
        (NOT_ALLOCATED, "2320000.07", None),
        ("A2", "2250000.50", "4.39"),
    ]
    assert data["reconciliation"]["holds"] is True


# -- the same money on random lines, checked against exact sums ---------------------------

SERVICES = ["ASC", "CSC", "EDU", "HTS", "ENV", "NHS.ACUTE", "NHS.PRIMARY", "POL", "CEN"]
DIVISION = {s: "NHS" if s.startswith("NHS.") else s for s in SERVICES}
GROUP = {p.id: p.group for p in PARTNERS}


def random_lines() -> list[Line]:
    rng = random.Random(20261123)
    out = []
    for i in range(1500):
        p = rng.choice(PARTNERS).id
        others = [q.id for q in PARTNERS if q.id != p] + ["outside-body"]
        est = rng.random() < 0.2
        out.append(
            Line(
                partner=p,
                year=rng.choice(["2023/24", "2024/25"]),
                service=rng.choice(SERVICES),
                source_service=f"line {i}",
                amount_gbp=D(rng.randint(-5_000_00, 900_000_000_00)) / 100,
                area=rng.choice(["A1", "A2", None]),
                customer_group=rng.choice([OLD, KIDS, None]),
                counterparty=rng.choice(others) if rng.random() < 0.15 else None,
                is_estimate=est,
                estimate_method="test" if est else None,
                source_row=i,
            )
        )
    return out


KEY = {
    "group": lambda ln: GROUP[ln.partner],
    "partner": lambda ln: ln.partner,
    "service": lambda ln: ln.service,
    "division": lambda ln: DIVISION[ln.service],
    "area": lambda ln: ln.area or NOT_ALLOCATED,
    "customer_group": lambda ln: ln.customer_group or NOT_STATED,
}


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, list[Line]]:
    ws = Workspace.create(tmp_path_factory.mktemp("busy") / "place", "Shire", POPULATION)
    with ws.write("test partners"):
        upsert(ws, PARTNERS)
        ws.con.execute("INSERT INTO areas VALUES ('A1', 'North', 300001), ('A2', 'South', 512344)")
    lines = random_lines()
    write_lines(ws, lines, action="test lines", file=None, sha256="")
    yield ws, lines
    ws.close()


@pytest.mark.parametrize("year", ["2024/25", "2023/24"])
def test_random_lines_sum_exactly_on_every_dimension(busy, engine: Engine, year: str) -> None:
    ws, lines = busy
    in_year = [ln for ln in lines if ln.year == year]
    internal = [ln for ln in in_year if ln.counterparty in GROUP]
    kept = [ln for ln in in_year if ln.counterparty not in GROUP]
    # the data exercises eliminations, estimates and lines without an area
    assert internal and any(ln.is_estimate for ln in kept)
    assert any(ln.area is None for ln in kept)
    elims: dict[tuple[str, str, str], list] = defaultdict(lambda: [D(0), 0])
    for ln in internal:
        e = elims[(ln.partner, ln.counterparty, ln.service)]
        e[0] += ln.amount_gbp
        e[1] += 1
    t = engine.tables(ws)
    for by in DIMENSIONS:
        sums: dict[str, list[Decimal]] = defaultdict(lambda: [D(0), D(0)])
        for ln in kept:
            s = sums[KEY[by](ln)]
            s[0] += ln.amount_gbp
            s[1] += ln.amount_gbp if ln.is_estimate else D(0)
        m = consolidate(t, year, by, population=POPULATION)
        assert {r.key: [r.amount_gbp, r.estimated_gbp] for r in m.rows} == dict(sums), by
        assert m.total_gbp == sum(ln.amount_gbp for ln in kept)
        assert m.eliminated_gbp == sum(ln.amount_gbp for ln in internal)
        assert m.estimated_gbp == sum(ln.amount_gbp for ln in kept if ln.is_estimate)
        assert m.reconciliation.imported_gbp == sum(ln.amount_gbp for ln in in_year)
        got = {(e.payer, e.payee, e.service): [e.amount_gbp, e.lines] for e in m.eliminations}
        assert got == dict(elims)


# -- the supplier analysis ---------------------------------------------------------------

HEAD = "Supplier Name,Payment Date,Net Amount\n"
COUNTY_PAYS = [
    "Big Trucks Ltd,01/04/2024,1000.00",
    "BIG TRUCKS LIMITED,15/05/2024,250.50",
    "Care Homes PLC,10/06/2024,5000.00",
    "Solo Co,31/03/2024,99.99",  # March 2024: financial year 2023/24
    "Vale District Council,20/07/2024,12000.00",  # a partner of the place
    "The Vale District Council,21/07/2024,3000.00",  # the same, "The" ignored
    "Paper Ltd,01/09/2024,700.00",
    "Shire County Council,02/09/2024,40.00",  # its own name: not a payment between partners
]
POLICE_PAYS = [
    "Big Trucks PLC,05/05/2024,-100.07",  # a credit
    "Care Homes Ltd,06/05/2024,2000.00",
    "Solo Co.,07/05/2024,10.00",
    "Shire County Council,08/05/2024,500.00",
]


@pytest.fixture(scope="module")
def payments(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("payments")
    ws = Workspace.create(root / "place", "Shire", POPULATION)
    with ws.write("test partners"):
        upsert(ws, PARTNERS)
    for partner, rows in (("cc", COUNTY_PAYS), ("pol", POLICE_PAYS)):
        f = root / f"{partner}.csv"
        f.write_text(HEAD + "\n".join(rows) + "\n", encoding="utf-8")
        import_transactions(ws, [f], partner=partner)
    yield ws
    ws.close()


# supplier key, supplier (the greatest name as text), partners, payments, £
TOP = [
    ("VALE DISTRICT COUNCIL", "Vale District Council", 1, 2, "15000.00"),
    ("CARE HOMES", "Care Homes PLC", 2, 2, "7000.00"),
    ("BIG TRUCKS", "Big Trucks PLC", 2, 3, "1150.43"),  # 1,000.00 + 250.50 - 100.07
    ("PAPER", "Paper Ltd", 1, 1, "700.00"),
    ("SHIRE COUNTY COUNCIL", "Shire County Council", 2, 2, "540.00"),
    ("SOLO CO", "Solo Co.", 2, 2, "109.99"),
]


def supplier_rows(rows: list[dict]) -> list[tuple]:
    return [
        (r["supplier_key"], r["supplier"], r["partners"], r["payments"], str(r["amount_gbp"]))
        for r in rows
    ]


def test_top_suppliers(payments: Workspace, engine: Engine) -> None:
    backend, tx, _ = engine.transactions(payments)
    assert supplier_rows(engine.rows(backend, top_suppliers(tx, None, 10))) == TOP
    assert supplier_rows(engine.rows(backend, top_suppliers(tx, None, 3))) == TOP[:3]


def test_shared_suppliers_in_a_year(payments: Workspace, engine: Engine) -> None:
    backend, tx, _ = engine.transactions(payments)
    # in 2024/25 Solo Co is paid by the police only: the county paid it in March 2024
    assert supplier_rows(engine.rows(backend, shared_suppliers(tx, "2024/25"))) == [
        ("CARE HOMES", "Care Homes PLC", 2, 2, "7000.00"),
        ("BIG TRUCKS", "Big Trucks PLC", 2, 3, "1150.43"),
        ("SHIRE COUNTY COUNCIL", "Shire County Council", 2, 2, "540.00"),
    ]
    assert [r["supplier_key"] for r in engine.rows(backend, shared_suppliers(tx))] == [
        "CARE HOMES",
        "BIG TRUCKS",
        "SHIRE COUNTY COUNCIL",
        "SOLO CO",
    ]


def test_payments_between_partners(payments: Workspace, engine: Engine) -> None:
    backend, tx, partners = engine.transactions(payments)
    rows = engine.rows(backend, payments_between_partners(tx, partners))
    got = sorted(
        (r["payer"], r["payer_name"], r["payee"], r["year"], r["payments"], str(r["amount_gbp"]))
        for r in rows
    )
    assert got == [
        ("cc", "Shire County Council", "dc", "2024/25", 2, "15000.00"),  # 12,000 + 3,000
        ("pol", "Shire Police", "cc", "2024/25", 1, "500.00"),
    ]
    assert engine.rows(backend, payments_between_partners(tx, partners, "2023/24")) == []


def test_cli_suppliers_on_the_engine(payments: Workspace, engine: Engine) -> None:
    res = CliRunner().invoke(
        app,
        ["spend", "suppliers", "--shared", "--year", "2024/25", "--json"]
        + ["-w", str(payments.path)]
        + engine.cli_args(),
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [(r["supplier_key"], r["amount_gbp"]) for r in data["suppliers"]] == [
        ("CARE HOMES", "7000.00"),
        ("BIG TRUCKS", "1150.43"),
        ("SHIRE COUNTY COUNCIL", "540.00"),
    ]
    assert [(r["payer"], r["payee"], r["amount_gbp"]) for r in data["between_partners"]] == [
        ("cc", "dc", "15000.00"),
        ("pol", "cc", "500.00"),
    ]


# Issue 10: bases and accounts. The county reports net (stating £200,000 of fees and
# charges), the ICB and the district gross; the county and the district have capital lines.
BASIS_LINES = [
    Line("cc", "2024/25", "ASC", "ASC", D("1000000.00"), basis="net"),
    Line("cc", "2024/25", "EDU", "EDU", D("500000.00"), account="capital"),
    Line("icb", "2024/25", "NHS.ACUTE", "NHS.ACUTE", D("3000000.00")),
    # to the county, which reports net of it: kept
    Line("icb", "2024/25", "NHS.COMMUNITY", "BCF", D("100000.00"), counterparty="cc"),
    Line("dc", "2024/25", "ENV", "ENV", D("300000.00")),
    # to the ICB, which reports gross: eliminated
    Line("dc", "2024/25", "HTS", "HTS", D("40000.00"), counterparty="icb"),
    # a capital grant to the county, whose capital lines are gross: eliminated (capital)
    Line("dc", "2024/25", "EDU", "grant", D("60000.00"), counterparty="cc", account="capital"),
]


@pytest.fixture(scope="module")
def bases_place(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace.create(tmp_path_factory.mktemp("bases") / "place", "Shire", POPULATION)
    with ws.write("test partners"):
        upsert(ws, PARTNERS)
    fees = Income("cc", "2024/25", "ASC", "fees and charges", "ASC", D("200000.00"))
    write_lines(ws, BASIS_LINES, action="test", file=None, sha256="", income=[fees])
    yield ws
    ws.close()


def test_bases_and_capital_on_the_engine(bases_place: Workspace, engine: Engine) -> None:
    m = consolidate(engine.tables(bases_place), "2024/25", "partner")
    # revenue: 1,000,000 + 3,000,000 + 100,000 (kept) + 300,000; the district's 40,000 out
    assert (m.total_gbp, m.eliminated_gbp) == (D("4400000.00"), D("40000.00"))
    assert m.reconciliation.imported_gbp == D("4440000.00") and m.reconciliation.holds
    assert [(e.payer, e.payee, e.amount_gbp) for e in m.not_eliminated] == [
        ("icb", "cc", D("100000.00"))
    ]
    # capital: 500,000 + 60,000 imported; the district's grant to the county eliminated
    assert (m.capital.imported_gbp, m.capital.consolidated_gbp, m.capital.eliminated_gbp) == (
        D("560000.00"),
        D("500000.00"),
        D("60000.00"),
    )
    assert m.combined_gbp == D("4900000.00")
    assert [(r.key, r.amount_gbp, r.capital_gbp) for r in m.rows] == [
        ("icb", D("3100000.00"), D("0.00")),
        ("cc", D("1000000.00"), D("500000.00")),
        ("dc", D("300000.00"), D("0.00")),
    ]
    got = [(b.partner, b.basis, b.gross_gbp, b.net_gbp) for b in m.bases]
    assert got == [
        ("cc", "net", D("1200000.00"), D("1000000.00")),
        ("dc", "gross", D("340000.00"), None),
        ("icb", "gross", D("3100000.00"), None),
    ]
    assert len(m.warnings) == 1 and m.warnings[0].startswith("Bases are mixed")


def test_every_engine_test_runs_on_both_and_spark_is_marked() -> None:
    """``-m spark`` selects exactly the Spark runs, ``-m "not spark"`` exactly the DuckDB runs."""
    here = Path(__file__).resolve()

    def collected(marks: str) -> list[str]:
        res = subprocess.run(
            [sys.executable, "-m", "pytest", str(here), "-o", "addopts=", "--collect-only", "-q"]
            + ["-m", marks, "-p", "no:cacheprovider"],
            cwd=here.parents[2],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert res.returncode == 0, res.stdout + res.stderr
        return [ln.split("::", 1)[1] for ln in res.stdout.splitlines() if "::" in ln]

    spark, duck = collected("spark"), collected("not spark")
    assert spark and all("[spark" in t for t in spark)
    this = "test_every_engine_test_runs_on_both_and_spark_is_marked"
    assert sorted(t.replace("[spark", "[duckdb") for t in spark) == sorted(
        t for t in duck if t != this
    )
