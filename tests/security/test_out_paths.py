"""A report that cannot be written is refused with the problem table (issue 11, item 4, --out).

Every command that writes a file goes through ``wholeplace.reports.atomic``; whatever stops the
write (the path is a folder, sits under a file, is read-only, the disk is full, the name is too
long), the user gets the problem table naming the file, exit code 2, no temporary file left
behind and any earlier file unchanged.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from place_state import small_place
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.reports import atomic

SHARING = Path(__file__).parents[2] / "src" / "wholeplace" / "data" / "sharing"
CBA = Path(__file__).parents[2] / "src" / "wholeplace" / "data" / "cba"


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small place with one partner's spend (enough for `spend report`)."""
    return small_place(tmp_path_factory.mktemp("out"))


# Every command that writes a file, with {out} where the file goes.
WRITERS = {
    "spend report html": ["spend", "report", "-w", "{place}", "--out", "{out}.html"],
    "spend report xlsx": ["spend", "report", "-w", "{place}", "--out", "{out}.xlsx"],
    "cba run html": ["cba", "run", str(CBA / "example_appraisal.yaml"), "--out", "{out}.html"],
    "cba run xlsx": ["cba", "run", str(CBA / "example_appraisal.yaml"), "--out", "{out}.xlsx"],
    "cba template": ["cba", "template", "{out}.xlsx"],
    "sharing pool": ["sharing", "pool", str(SHARING / "pool_example.yaml"), "-o", "{out}.html"],
    "sharing gainshare": [
        "sharing",
        "gainshare",
        str(SHARING / "gainshare_example.yaml"),
        "-o",
        "{out}.xlsx",
    ],
    "sharing recharges": [
        "sharing",
        "recharges",
        str(SHARING / "staff_example.csv"),
        "-o",
        "{out}.html",
    ],
    "sharing pbr forecast": [
        "sharing",
        "pbr",
        "forecast",
        str(SHARING / "pbr_forecast_example.yaml"),
        "-o",
        "{out}.xlsx",
    ],
}


def _invoke(place: Path, name: str, out: str) -> tuple[int, str]:
    argv = [a.format(place=place, out=out) for a in WRITERS[name]] + ["--json"]
    res = CliRunner().invoke(app, argv)
    return res.exit_code, res.output


def _refused(code: int, output: str, says: str) -> None:
    assert code == 2, output
    assert "Traceback" not in output
    assert '"problems"' in output, output
    assert says in output, output


def _no_temporary_files(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("name", list(WRITERS))
def test_out_naming_a_folder(place: Path, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "report"
    suffix = WRITERS[name][-1].removeprefix("{out}")
    (tmp_path / f"report{suffix}").mkdir()
    code, output = _invoke(place, name, str(folder))
    _refused(code, output, "this is a folder, not a file")
    _no_temporary_files(tmp_path)


@pytest.mark.parametrize("name", list(WRITERS))
def test_out_under_a_file(place: Path, tmp_path: Path, name: str) -> None:
    (tmp_path / "notes.txt").write_text("not a folder")
    code, output = _invoke(place, name, str(tmp_path / "notes.txt" / "report"))
    _refused(code, output, "notes.txt is a file, not a folder")
    assert (tmp_path / "notes.txt").read_text() == "not a folder"


@pytest.mark.parametrize("name", list(WRITERS))
def test_out_with_a_300_character_name(place: Path, tmp_path: Path, name: str) -> None:
    code, output = _invoke(place, name, str(tmp_path / ("r" * 300)))
    _refused(code, output, "the file name is too long")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", list(WRITERS))
def test_out_on_a_full_disk_keeps_the_old_file(
    place: Path, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    suffix = WRITERS[name][-1].removeprefix("{out}")
    old = tmp_path / f"report{suffix}"
    old.write_bytes(b"last month's report")

    def full(path: Path) -> None:  # the data reaches the disk at fsync: ENOSPC is said there
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic, "_fsync_file", full)
    code, output = _invoke(place, name, str(tmp_path / "report"))
    _refused(code, output, "the disk is full")
    assert "nothing was written" in output
    assert old.read_bytes() == b"last month's report"
    _no_temporary_files(tmp_path)


@pytest.mark.parametrize("name", ["spend report html", "cba template", "sharing pool"])
def test_out_in_a_folder_without_permission(
    place: Path, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated (tests may run as root, whom permissions do not stop)."""

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    code, output = _invoke(place, name, str(tmp_path / "report"))
    _refused(code, output, "no permission to write in the folder")


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root")
def test_out_in_a_read_only_folder(place: Path, tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        code, output = _invoke(place, "spend report html", str(ro / "report"))
    finally:
        ro.chmod(0o755)
    _refused(code, output, "no permission to write in the folder")


@pytest.mark.parametrize("name", ["spend report html", "cba run xlsx", "cba template"])
def test_out_into_a_missing_folder_creates_it(place: Path, tmp_path: Path, name: str) -> None:
    code, output = _invoke(place, name, str(tmp_path / "new" / "deeper" / "report"))
    assert code == 0, output
    written = list((tmp_path / "new" / "deeper").iterdir())
    assert [p.stem for p in written] == ["report"]


def test_a_name_near_the_limit_still_leaves_room_for_the_temporary_file(tmp_path: Path) -> None:
    """The temporary file used to be named `.NAME.XXXXXXXX.tmp`: 14 bytes longer than the
    target, so a valid 250-byte name could not be written."""
    name = "r" * 245 + ".html"
    out = atomic.write_text_atomic(tmp_path / name, "<p>ok</p>")
    assert out.read_text() == "<p>ok</p>"
    _no_temporary_files(tmp_path)
