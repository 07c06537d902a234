"""Shared fixtures: a fresh place per test, and the published reference files.

The reference files are real published spreadsheets and returns kept beside the repository,
in ``../shared/reference`` (or wherever ``WHOLEPLACE_REFERENCE`` points). They are read in
place, never copied. A test that needs them asks for the ``reference`` fixture (or calls
:func:`reference_dir`); when the folder is missing it skips with one reason, "reference files
not found at <path>", unless ``WHOLEPLACE_REQUIRE_REFERENCE=1`` is set (CI sets it), in which
case it fails with that message.

The ``engine`` fixture runs a test on both engines, DuckDB and Spark ``local[2]`` (the Spark
run marked ``spark``; ``-m "not spark"`` leaves it out). See ``tests/helpers/engines.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from engines import ENGINES, SPARK_MASTER, Engine

from wholeplace.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
REFERENCE_ENV = "WHOLEPLACE_REFERENCE"
REQUIRE_ENV = "WHOLEPLACE_REQUIRE_REFERENCE"


def reference_path() -> Path:
    """Where the reference files should be: ``$WHOLEPLACE_REFERENCE`` or ``../shared/reference``."""
    env = os.environ.get(REFERENCE_ENV)
    return Path(env).expanduser().absolute() if env else DEFAULT_REFERENCE


def reference_dir() -> Path:
    """The reference folder; skips the calling test (fails it in require mode) when missing.

    The one way a test reaches the reference files: through the ``reference`` fixture, or by
    calling this where a fixture cannot be used.
    """
    path = reference_path()
    if not path.is_dir():
        message = f"reference files not found at {path}"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def reference() -> Path:
    """The real published files, read in place, never copied (see :func:`reference_dir`)."""
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
