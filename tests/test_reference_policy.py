"""The reference-file policy: a missing folder skips with one reason, or fails in CI mode.

Each case runs one reference test of the real suite in a fresh pytest process, with
``WHOLEPLACE_REFERENCE`` pointing at a folder that does not exist.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from reference_files import REFERENCE_ENV, REQUIRE_ENV, reference_dir

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
# a test that needs nothing but the reference folder
NEEDS_REFERENCE = (
    "tests/spend/test_outturn_rs.py::test_every_published_workbook_reads_with_its_moving_header"
)


def run_pytest(missing: Path, require: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != REQUIRE_ENV}
    env[REFERENCE_ENV] = str(missing)
    if require:
        env[REQUIRE_ENV] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", NEEDS_REFERENCE, "-p", "no:cacheprovider", "-rs"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_missing_folder_skips_with_one_clear_reason(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    res = run_pytest(missing, require=False)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "1 skipped" in res.stdout
    reasons = re.findall(r"^SKIPPED \[1\] \S+: (.*)$", res.stdout, re.M)
    assert reasons == [
        f"reference files not found at {missing}: this test reads real published files that "
        f"are not shipped with the repository; set {REFERENCE_ENV} to their folder to run it"
    ]


def test_missing_folder_fails_when_reference_is_required(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    res = run_pytest(missing, require=True)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "skipped" not in res.stdout
    assert re.search(r"\b1 error\b", res.stdout), res.stdout
    assert f"Failed: reference files not found at {missing}" in res.stdout


def test_reference_dir_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    monkeypatch.setenv(REFERENCE_ENV, str(tmp_path))
    assert reference_dir() == tmp_path
    monkeypatch.setenv(REFERENCE_ENV, str(tmp_path / "gone"))
    with pytest.raises(
        pytest.skip.Exception,
        match="^reference files not found at .*gone: .* set WHOLEPLACE_REFERENCE",
    ):
        reference_dir()
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(
        pytest.fail.Exception,
        match="^reference files not found at .*gone: .* set WHOLEPLACE_REFERENCE",
    ):
        reference_dir()
    monkeypatch.setenv(REQUIRE_ENV, "0")  # only "1" requires the folder
    with pytest.raises(pytest.skip.Exception):
        reference_dir()


def other_ways(tree: ast.AST) -> list[tuple[int, str]]:
    """Code (not docstrings or comments) that names the reference folder by itself."""
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docstrings:
                continue
            v = node.value
            if v.strip("/") == "shared" or "shared/reference" in v or "WHOLEPLACE_REF" in v:
                found.append((node.lineno, repr(v)))
        elif (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Store)
            and "REFERENCE" in node.id
        ):
            found.append((node.lineno, node.id))
    return sorted(found)


def test_no_test_finds_the_reference_folder_by_itself() -> None:
    """Module paths, ``REFERENCE`` constants, ``parents[..] / "shared"``: only the fixture."""
    allowed = {TESTS / "helpers" / "reference_files.py", Path(__file__).resolve()}
    offenders = [
        f"{path.relative_to(REPO)}:{line}: {what}"
        for path in sorted(TESTS.rglob("*.py"))
        if path not in allowed
        for line, what in other_ways(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == [], "use the reference fixture:\n" + "\n".join(offenders)


def test_the_check_finds_the_old_ways() -> None:
    old = (
        'REFERENCE = REPO.parent / "shared" / "reference"\n'
        'ROOT = Path(__file__).parents[2] / "shared"\n'
        'DIR = os.environ["WHOLEPLACE_REFERENCE"]\n'
        'F = "../shared/reference/x.csv"\n'
    )
    assert [line for line, _ in other_ways(ast.parse(old))] == [1, 1, 2, 3, 4]
