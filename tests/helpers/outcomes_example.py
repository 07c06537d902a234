"""docs/outcomes.md's worked example for the outcomes tests: the page's files and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from wholeplace.cli import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "outcomes.md"
PARTNERS = """id,name,type,group,sector
cc,Riverton Council,unitary,Council,Local government
police,Riverton Police,police,Police,Police
icb,NHS Riverton ICB,nhs commissioner,NHS,Health
"""


def doc_files() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", text, re.S))


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def cli_json(*args: str) -> Any:
    res = cli(*args, "--json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def make_example(tmp_path: Path) -> tuple[str, Path]:
    """A place with the page's partners and framework imported: (place, folder of files)."""
    (tmp_path / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    for name, body in doc_files().items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    w = str(tmp_path / "riverton")
    assert cli("init", w, "--name", "Riverton").exit_code == 0
    assert cli("partners", "import", str(tmp_path / "partners.csv"), "-w", w).exit_code == 0
    res = cli("outcomes", "import-framework", str(tmp_path / "outcomes.yaml"), "-w", w)
    assert res.exit_code == 0, res.output
    return w, tmp_path
