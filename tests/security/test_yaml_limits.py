"""A tiny YAML file cannot exhaust memory or the stack (issue 11, item 3, YAML part)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.yaml_files import MAX_DEPTH, MAX_VALUES

# The classic "billion laughs": 9 levels of 9 aliases, 9**9 = 387,420,489 strings once
# expanded, in a file of about a kilobyte.
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
DEEP = "x: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
VERY_DEEP = "x: " + "[" * 20_000 + "]" * 20_000 + "\n"


@pytest.mark.parametrize(
    ("argv", "body", "says"),
    [
        (["cba", "run"], LAUGHS, f"more than {MAX_VALUES:,} values"),
        (["sharing", "pool"], LAUGHS, f"more than {MAX_VALUES:,} values"),
        (["cba", "run"], DEEP, f"more than {MAX_DEPTH} levels"),
        (["sharing", "gainshare"], DEEP, f"more than {MAX_DEPTH} levels"),
        (["sharing", "pool"], VERY_DEEP, f"more than {MAX_DEPTH} levels"),
    ],
)
def test_refused_with_the_problem_table(
    tmp_path: Path, argv: list[str], body: str, says: str
) -> None:
    f = tmp_path / "hostile.yaml"
    f.write_text(body, encoding="utf-8")
    assert len(body) < 100_000
    res = CliRunner().invoke(app, [*argv, str(f), "--json"])
    assert res.exit_code == 2, res.output
    assert says in res.stdout
    assert "hostile.yaml" in res.stdout


def test_parameters_set_refuses_it_and_writes_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    place = tmp_path / "place"
    assert runner.invoke(app, ["init", str(place), "--name", "T"]).exit_code == 0
    f = tmp_path / "own.yaml"
    f.write_text(LAUGHS, encoding="utf-8")
    res = runner.invoke(
        app, ["parameters", "set", "discount_rate.green_book", str(f), "-w", str(place), "--json"]
    )
    assert res.exit_code == 2, res.output
    log = runner.invoke(app, ["log", "-w", str(place), "--json"]).stdout
    assert "parameters" not in log


def test_a_file_within_the_limits_still_uses_its_anchors(tmp_path: Path) -> None:
    from wholeplace.yaml_files import load_yaml_text

    text = "base: &b {rate: 0.035}\nfirst: *b\nsecond: *b\n"
    assert load_yaml_text(text, "ok.yaml") == {
        "base": {"rate": 0.035},
        "first": {"rate": 0.035},
        "second": {"rate": 0.035},
    }
