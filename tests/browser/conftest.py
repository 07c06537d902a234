"""What every browser test may keep: a folder of artefacts (screenshots) per test, and a
screenshot of the page when a test fails there.

The folder is ``$WHOLEPLACE_ARTEFACTS/<test>`` when that is set (``.ci/run`` sets
``artefacts/screenshots``, kept after the run), else ``artefacts/<test>`` under pytest's
temporary folder for the run (``pytest --basetemp DIR`` to choose it; pytest keeps the last
three runs' folders). docs/testing.md says where to find them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator
from pathlib import Path

import pytest


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test, so a fixture's teardown knows it failed."""
    report = yield
    setattr(item, "report_" + report.when, report)
    return report


@pytest.fixture
def artefacts(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = os.environ.get("WHOLEPLACE_ARTEFACTS")
    base = Path(root) if root else tmp_path_factory.getbasetemp() / "artefacts"
    folder = base / re.sub(r"[^A-Za-z0-9._-]+", "_", request.node.name)[:120]
    folder.mkdir(parents=True, exist_ok=True)
    return folder
