"""Where the published reference files are, and what a test does when they are missing.

The reference files are real published spreadsheets and returns kept beside the repository,
in ``../shared/reference``, or wherever ``WHOLEPLACE_REFERENCE`` points. They are read in
place, never copied. Every test reaches them through the ``reference`` fixture
(``tests/conftest.py``), which calls :func:`reference_dir`; nothing else in the tests names
the folder (``tests/test_reference_policy.py`` checks that).

When the folder is missing, a test that needs it skips with one reason, "reference files not
found at <path>"; with ``WHOLEPLACE_REQUIRE_REFERENCE=1`` (``.ci/run`` sets it) it fails with
that message instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
REFERENCE_ENV = "WHOLEPLACE_REFERENCE"
REQUIRE_ENV = "WHOLEPLACE_REQUIRE_REFERENCE"


def reference_path() -> Path:
    """Where the reference files should be: ``$WHOLEPLACE_REFERENCE`` or ``../shared/reference``."""
    env = os.environ.get(REFERENCE_ENV)
    return Path(env).expanduser().absolute() if env else DEFAULT_REFERENCE


def missing_message(path: Path) -> str:
    return (
        f"reference files not found at {path}: this test reads real published files that are "
        f"not shipped with the repository; set {REFERENCE_ENV} to their folder to run it"
    )


def reference_dir() -> Path:
    """The reference folder; skips the calling test (fails it in require mode) when missing."""
    path = reference_path()
    if not path.is_dir():
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(missing_message(path))
        pytest.skip(missing_message(path))
    return path
