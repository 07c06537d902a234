"""One code path, two engines: DuckDB and Spark give the same spend map to the penny.

Runs PySpark ``local[2]`` once for the module (Spark's start-up is the slow part).
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

# PySpark is a dev dependency: a missing install must fail here, not skip silently.
import pyspark  # noqa: F401
import pytest

from wholeplace.engine import duckdb_tables, execute
from wholeplace.partners import Partner, upsert
from wholeplace.spend.consolidate import DIMENSIONS, consolidate
from wholeplace.spend.lines import Line, write_lines
from wholeplace.spend.transactions import (
    import_transactions,
    payments_between_partners,
    shared_suppliers,
    top_suppliers,
)
from wholeplace.workspace import Workspace

pytestmark = pytest.mark.spark

PARTNERS = [
    Partner("cc", "Shire County Council", "county council", "County council", "LG"),
    Partner("dc", "Vale District Council", "district", "Districts", "LG"),
    Partner("icb", "NHS Shire ICB", "nhs commissioner", "NHS", "Health"),
    Partner("pol", "Shire Police", "police", "Police", "Police"),
]
SERVICES = ["ASC", "CSC", "EDU", "HTS", "ENV", "NHS.ACUTE", "NHS.PRIMARY", "POL", "CEN"]


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("spark")
    ws = Workspace.create(root / "place", "Shire", population=812_345)
    with ws.write("test partners"):
        upsert(ws, PARTNERS)
        ws.con.execute("INSERT INTO areas VALUES ('A1', 'North', 300001), ('A2', 'South', 512344)")
    rng = random.Random(20261123)
    lines: list[Line] = []
    for i in range(1500):
        p = rng.choice(PARTNERS).id
        others = [q.id for q in PARTNERS if q.id != p] + ["outside-body"]
        lines.append(
            Line(
                partner=p,
                year=rng.choice(["2023/24", "2024/25"]),
                service=rng.choice(SERVICES),
                source_service=f"line {i}",
                amount_gbp=Decimal(rng.randint(-5_000_00, 900_000_000_00)) / 100,
                area=rng.choice(["A1", "A2", None]),
                customer_group=rng.choice(["Older people", "Children", None]),
                counterparty=rng.choice(others) if rng.random() < 0.15 else None,
                is_estimate=(est := rng.random() < 0.2),
                estimate_method="test" if est else None,
                source_row=i,
            )
        )
    write_lines(ws, lines, action="test lines", file=None, sha256="")
    a = root / "a.csv"
    b = root / "b.csv"
    rows_a = ["Supplier Name,Payment Date,Net Amount"]
    rows_b = ["Supplier Name,Payment Date,Net Amount"]
    names = ["Big Trucks Ltd", "Care Homes PLC", "Solo Co", "Vale District Council", "Paper Ltd"]
    for i in range(400):
        rows_a.append(
            f"{rng.choice(names)},{1 + i % 28}/0{4 + i % 6}/2024,"
            f"{rng.randint(1, 99999)}.{i % 100:02d}"
        )
        rows_b.append(f"{rng.choice(names[:3])},{1 + i % 28}/05/2024,-{rng.randint(1, 999)}.07")
    a.write_text("\n".join(rows_a) + "\n")
    b.write_text("\n".join(rows_b) + "\n")
    import_transactions(ws, [a], partner="cc")
    import_transactions(ws, [b], partner="pol")
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def engines(place: Workspace):
    from wholeplace.engine_spark import spark_session, spark_tables, spark_transactions

    spark = spark_tables(place, "local[2]", stage_dir=Path(place.path) / "spark-stage")
    tx = spark_transactions(place, spark.backend, stage_dir=Path(place.path) / "spark-stage")
    yield duckdb_tables(place), spark, tx
    spark_session("local[2]").stop()


@pytest.mark.parametrize(("year", "dimensions"), [("2024/25", DIMENSIONS), ("2023/24", ("group",))])
def test_spend_map_identical_on_every_dimension(
    place: Workspace, engines, year: str, dimensions: tuple[str, ...]
) -> None:
    duck, spark, _ = engines
    for by in dimensions:
        d = consolidate(duck, year, by, population=812_345, area_population={"A1": 300001})
        s = consolidate(spark, year, by, population=812_345, area_population={"A1": 300001})
        assert d == s, by
        assert d.reconciliation.holds and s.reconciliation.holds
    # the test data exercises eliminations, estimates and lines without an area
    assert d.eliminations and d.estimated_gbp and d.eliminated_gbp
    direct = place.con.execute(
        "SELECT sum(amount_gbp) FROM spend_lines WHERE year = ?", [year]
    ).fetchall()[0][0]
    assert s.reconciliation.imported_gbp == direct


def test_supplier_analysis_identical(place: Workspace, engines) -> None:
    _, spark, stx = engines
    dtx = place.ibis.table("transactions")
    dpartners = place.ibis.table("partners")

    def rows(backend, expr, key):
        return sorted(execute(backend, expr), key=key)

    def by_key(r):
        return r["supplier_key"]

    assert rows(place.ibis, top_suppliers(dtx, None, 10), by_key) == rows(
        spark.backend, top_suppliers(stx, None, 10), by_key
    )
    shared_d = rows(place.ibis, shared_suppliers(dtx, "2024/25"), by_key)
    assert shared_d == rows(spark.backend, shared_suppliers(stx, "2024/25"), by_key)
    assert {r["supplier_key"] for r in shared_d} == {"BIG TRUCKS", "CARE HOMES", "SOLO CO"}

    def pay_key(r):
        return (r["payer"], r["payee"], r["year"])

    pay_d = rows(place.ibis, payments_between_partners(dtx, dpartners), pay_key)
    assert pay_d == rows(spark.backend, payments_between_partners(stx, spark.partners), pay_key)
    assert [(r["payer"], r["payee"]) for r in pay_d] == [("cc", "dc")]
