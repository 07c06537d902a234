"""Hostile values in files a person gives are refused with the problem table (issue 11, item 4).

YAML keys that are lists or mappings, YAML and JSON nested past any real file, CSV fields
longer than a spreadsheet cell, and populations that are not a number of people: each gives
the standard problem table, exit code 2 and an unchanged place, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from place_state import small_place, snapshot
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.yaml_files import load_yaml_text

SHARING = Path(__file__).parents[2] / "src" / "wholeplace" / "data" / "sharing"


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_place(tmp_path_factory.mktemp("inputs"))


def _refused(argv: list[str], *says: str, place: Path | None = None) -> dict[str, object]:
    """Run ``argv`` with --json; it must exit 2 with the problem table, changing nothing."""
    import json

    before = snapshot(place) if place else None
    res = CliRunner().invoke(app, [*argv, "--json"])
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    out = json.loads(res.stdout)
    assert out["problems"], out
    text = json.dumps(out)
    for s in says:
        assert s in text, text
    if place:
        assert snapshot(place) == before
    return out


# -- YAML: keys that are lists or mappings -----------------------------------------------------

# name -> (file, the line the problem names: where the key's list or mapping is written)
UNHASHABLE = {
    "a list as a key": ("? [a, b]\n: 1\n", 1),
    "a flow list as a key": ("{[1]: 2}\n", 1),
    "a mapping as a key": ("appraisal:\n  ? {x: 1}\n  : 2\n", 2),
    "an alias of a list as a key": ("a: &l [1, 2]\n*l : 3\n", 1),
}


@pytest.mark.parametrize("body", list(UNHASHABLE))
@pytest.mark.parametrize(
    "argv",
    [["cba", "run"], ["sharing", "pool"], ["sharing", "gainshare"], ["sharing", "pbr", "forecast"]],
    ids=" ".join,
)
def test_yaml_key_that_is_a_list_or_mapping(tmp_path: Path, argv: list[str], body: str) -> None:
    f = tmp_path / "hostile.yaml"
    text, row = UNHASHABLE[body]
    f.write_text(text, encoding="utf-8")
    out = _refused([*argv, str(f)], "a key that is a list or a mapping", "hostile.yaml")
    (problem,) = out["problems"]  # type: ignore[misc]
    assert problem["row"] == row


def test_parameters_set_refuses_a_list_key_and_writes_nothing(place: Path, tmp_path: Path) -> None:
    f = tmp_path / "own.yaml"
    f.write_text("reason: test\nvalues:\n  ? [2024-04-01]\n  : 0.035\n", encoding="utf-8")
    _refused(
        ["parameters", "set", "discount_rate.green_book", str(f), "-w", str(place)],
        "a key that is a list or a mapping",
        place=place,
    )


def test_load_yaml_text_names_the_line_of_the_key() -> None:
    with pytest.raises(InputError) as e:
        load_yaml_text("name: pool\nyears:\n  ? [2024, 2025]\n  : 1\n", "pool.yaml")
    (p,) = e.value.problems
    assert (p.file, p.row) == ("pool.yaml", 3)
    assert "plain name" in p.fix


def test_deeply_nested_yaml_mappings_are_refused(tmp_path: Path) -> None:
    """Flow mappings 100,000 deep: the composer's recursion must not escape as a traceback."""
    f = tmp_path / "deep.yaml"
    f.write_text("x: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n", encoding="utf-8")
    _refused(["sharing", "pool", str(f)], "nested more than 50 levels", "deep.yaml")


def test_deeply_nested_json_agreement_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "cba.json"
    f.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _refused(["sharing", "gainshare", str(f)], "cba.json")
