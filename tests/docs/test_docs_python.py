"""docs/python.md is run line by line: the notebook walk-through must work as printed.

Its figures are the spend and appraisal guides' hand-worked ones (docs/spend.md, docs/cba.md,
docs/sharing.md), so this checks the services against those, not against themselves.
"""

from __future__ import annotations

import doctest
import re
import shutil
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
DATA = Path(__file__).resolve().parents[2] / "src" / "wholeplace" / "data"


def _files(page: str) -> dict[str, str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", text, re.S))


def test_python_walk_through_runs_as_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, body in _files("spend.md").items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    cba_page = (DOCS / "cba.md").read_text(encoding="utf-8")
    proposal = re.search(r"<!-- worked-example:begin -->\n```yaml\n(.*?)```", cba_page, re.S)
    assert proposal, "docs/cba.md has lost its worked example"
    (tmp_path / "proposal.yaml").write_text(proposal.group(1), encoding="utf-8")
    shutil.copy(DATA / "sharing" / "pool_example.yaml", tmp_path / "pool.yaml")
    monkeypatch.chdir(tmp_path)

    failures, tried = doctest.testfile(
        str(DOCS / "python.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS,
        raise_on_error=False,
        verbose=False,
    )
    assert tried > 20, "docs/python.md has lost its examples"
    assert failures == 0, "docs/python.md does not run as printed (see the output above)"
