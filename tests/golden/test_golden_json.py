"""Every ``--json`` command on the demo place and the docs' examples, against its recording.

The recordings (``expected/*.json``) were made by ``python tests/golden/record.py`` on the code
as it stood before the core refactor; see ``cases.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cases import CASES, normalise, run

from wholeplace.cli import app

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
DOCS = HERE.parents[1] / "docs"
DATA = HERE.parents[1] / "src" / "wholeplace" / "data"


def doc_files(page: str) -> dict[str, str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", text, re.S))


def make_places(root: Path) -> tuple[Path, Path]:
    """The demo place and a folder with the docs' example files, as a user would have them."""
    from typer.testing import CliRunner

    ws = root / "demo-place"
    res = CliRunner().invoke(app, ["demo", str(ws), "--json"])
    assert res.exit_code == 0, res.output
    docs = root / "docs"
    docs.mkdir()
    for name, body in doc_files("spend.md").items():
        (docs / name).write_text(body, encoding="utf-8")
    national = doc_files("national.md")
    (docs / "national-partners.csv").write_text(national["partners.csv"], encoding="utf-8")
    (docs / "map.csv").write_text(national["map.csv"], encoding="utf-8")
    # as the page says: Windows-1252 with old Mac line endings
    (docs / "payments.csv").write_bytes(
        national["payments.csv"].replace("\n", "\r").encode("cp1252")
    )
    # docs/assets.md's worked example, in a folder of its own (it has a partners.csv too)
    estate = docs / "assets"
    estate.mkdir()
    for name, body in doc_files("assets.md").items():
        (estate / name).write_text(body, encoding="utf-8")
    return ws, docs


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_places(tmp_path_factory.mktemp("golden"))


# Cases run in the order listed: the docs' cases build their place step by step.
@pytest.mark.parametrize("case", list(CASES))
def test_json_output_unchanged(case: str, places: tuple[Path, Path]) -> None:
    ws, docs = places
    # Recorded with year labels normalised in values only; keys are normalised here.
    expected = normalise(json.loads((EXPECTED / f"{case}.json").read_text(encoding="utf-8")), {})
    assert run(case, ws, DATA, docs) == expected
