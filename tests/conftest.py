"""Shared fixtures: a fresh place per test, and the published reference files."""

from __future__ import annotations

from pathlib import Path

import pytest

from wholeplace.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def reference() -> Path:
    """``../shared/reference``: real published files, read in place, never copied."""
    if not REFERENCE.is_dir():
        raise RuntimeError(
            f"reference files not found at {REFERENCE}; shared/ must sit beside the repo"
        )
    return REFERENCE


@pytest.fixture
def ws(tmp_path: Path):
    w = Workspace.create(tmp_path / "place", "Testshire", population=1_000_000)
    yield w
    w.close()
