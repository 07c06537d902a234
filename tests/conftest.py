"""Shared fixtures: a fresh place per test, the published reference files, and the engines.

``reference`` is the folder of real published files (see ``tests/helpers/reference_files.py``): a
test that asks for it skips with "reference files not found at <path>: ..." (saying how to
point to them) when the folder is missing, or fails with that message when
``WHOLEPLACE_REQUIRE_REFERENCE=1`` is set.
``WHOLEPLACE_REFERENCE=<dir>`` points it somewhere other than ``../shared/reference``.

``engine`` runs a test on both engines, DuckDB and Spark ``local[2]`` (the Spark run is marked
``spark``, so ``-m "not spark"`` leaves it out). See ``tests/helpers/engines.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from engines import ENGINES, SPARK_MASTER, Engine
from reference_files import reference_dir

from wholeplace.workspace import Workspace


@pytest.fixture(scope="session")
def reference() -> Path:
    """The real published files, read in place, never copied."""
    return reference_dir()


@pytest.fixture
def ws(tmp_path: Path):
    w = Workspace.create(tmp_path / "place", "Testshire", population=1_000_000)
    yield w
    w.close()


@pytest.fixture(scope="session")
def spark_session():
    """The Spark session ``local[2]``, started once for the whole run and stopped at its end."""
    # PySpark is a dev dependency: a missing install must fail here, not skip silently.
    import pyspark  # noqa: F401

    from wholeplace.engine_spark import spark_session as start

    session = start(SPARK_MASTER)
    yield session
    session.stop()


@pytest.fixture(
    params=[
        pytest.param(e, marks=[pytest.mark.spark] if e == "spark" else [], id=e) for e in ENGINES
    ]
)
def engine(request: pytest.FixtureRequest) -> Engine:
    """Runs the test once on DuckDB and once on Spark ``local[2]``."""
    if request.param == "spark":
        request.getfixturevalue("spark_session")
    return Engine(request.param)
