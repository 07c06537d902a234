"""The worked example of docs/outcomes.md as a place (tests/helpers/outcomes_example.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from outcomes_example import make_example


@pytest.fixture
def example(tmp_path: Path) -> tuple[str, Path]:
    return make_example(tmp_path)
