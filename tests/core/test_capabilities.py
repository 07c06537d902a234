"""The registry of capabilities is what the command line is built from."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from wholeplace.capabilities import CAPABILITIES
from wholeplace.cli import app

REPO = Path(__file__).resolve().parents[2]


def test_every_capability_has_its_docs_page() -> None:
    for cap in CAPABILITIES:
        assert (REPO / cap.docs).is_file(), f"{cap.name}: {cap.docs} is missing"


def test_every_registered_group_is_on_the_command_line() -> None:
    out = CliRunner().invoke(app, ["--help"]).stdout
    names = {g.name for cap in CAPABILITIES for g in cap.commands if g.name}
    assert names == {
        "partners",
        "areas",
        "spend",
        "sharing",
        "unitcosts",
        "cba",
        "framework",
        "parameters",
        "objectives",
        "governance",
        "assets",
        "outcomes",
        "users",
    }
    for name in names | {"init", "log", "version", "demo", "serve"}:
        assert f" {name} " in out, name


def test_a_group_made_of_two_modules_has_the_commands_of_both() -> None:
    out = CliRunner().invoke(app, ["spend", "--help"]).stdout
    for command in ("import", "map", "report", "services"):  # commands/spend.py
        assert f" {command} " in out, command
    for command in ("import-outturn", "import-transactions", "suppliers", "estimate"):
        assert f" {command} " in out, command  # commands/spend_national.py
