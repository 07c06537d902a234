"""The Spark engine: the workspace's tables in a Spark session, behind the same Ibis API.

The spend map and the supplier analysis are Ibis expressions over
:class:`~wholeplace.engine.SpendTables`; here those tables come from Spark instead of the
embedded DuckDB. Tables are exported from DuckDB as Parquet (Decimal(18,2) stays
Decimal(18,2)), read by Spark and registered as views. On a cluster, ``master`` is the
cluster's URL and the Parquet folder must be on storage every executor can read (pass
``stage_dir``); on one machine, ``local[*]`` and the workspace folder do.

One Spark session per process: Spark's JVM start-up costs seconds, so sessions are
reused (``SparkSession.builder.getOrCreate``).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

from wholeplace.engine import SpendTables, taxonomy_rows
from wholeplace.workspace import Workspace

TABLES = ("spend_lines", "partners", "areas", "spend_income")


def spark_session(master: str = "local[*]") -> Any:
    """The process's Spark session (created on first use)."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(master)
        .appName("wholeplace")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _stage(ws: Workspace, stage_dir: Path | None) -> Path:
    if stage_dir is not None:
        stage_dir.mkdir(parents=True, exist_ok=True)
        return stage_dir
    d = Path(tempfile.mkdtemp(prefix=".spark-", dir=ws.path))
    # Spark reads Parquet lazily, so the files live until the process ends.
    atexit.register(shutil.rmtree, d, True)
    return d


def _export(ws: Workspace, table_sql: str, name: str, folder: Path) -> Path:
    out = folder / f"{name}.parquet"
    ws.con.execute(f"COPY ({table_sql}) TO '{out}' (FORMAT parquet)")
    return out


def spark_tables(
    ws: Workspace, master: str = "local[*]", *, stage_dir: Path | None = None
) -> SpendTables:
    """The workspace's spend tables on an Ibis PySpark backend."""
    import ibis

    session = spark_session(master)
    folder = _stage(ws, stage_dir)
    for t in TABLES:
        path = _export(ws, f"SELECT * FROM {t}", t, folder)
        session.read.parquet(str(path)).createOrReplaceTempView(t)
    tax = taxonomy_rows()
    ws.con.execute("DROP TABLE IF EXISTS _taxonomy_export")
    ws.con.execute(
        "CREATE TEMP TABLE _taxonomy_export (code VARCHAR, name VARCHAR, "
        "division_code VARCHAR, division VARCHAR)"
    )
    ws.con.executemany(
        "INSERT INTO _taxonomy_export VALUES (?, ?, ?, ?)",
        [[r["code"], r["name"], r["division_code"], r["division"]] for r in tax],
    )
    path = _export(ws, "SELECT * FROM _taxonomy_export", "services", folder)
    ws.con.execute("DROP TABLE _taxonomy_export")
    session.read.parquet(str(path)).createOrReplaceTempView("services")
    backend = ibis.pyspark.connect(session)
    return SpendTables(
        lines=backend.table("spend_lines"),
        partners=backend.table("partners"),
        areas=backend.table("areas"),
        services=backend.table("services"),
        income=backend.table("spend_income"),
        backend=backend,
    )


def spark_transactions(ws: Workspace, backend: Any, *, stage_dir: Path | None = None) -> Any:
    """The workspace's transactions table on the same Spark backend."""
    folder = _stage(ws, stage_dir)
    path = _export(ws, "SELECT * FROM transactions", "transactions", folder)
    backend._session.read.parquet(str(path)).createOrReplaceTempView("transactions")
    return backend.table("transactions")
