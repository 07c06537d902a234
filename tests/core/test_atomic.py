"""The one atomic writer: whole or nothing, mode 0644 unless asked, fsynced."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from wholeplace.reports import atomic
from wholeplace.reports.atomic import atomic_path, write_bytes_atomic, write_text_atomic


@pytest.fixture
def strict_umask() -> Iterator[None]:
    """A umask that would leave a plain new file readable by its owner only."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_text_is_mode_0644_even_with_a_restrictive_umask(
    tmp_path: Path, strict_umask: None
) -> None:
    out = write_text_atomic(tmp_path / "report.html", "<p>hello</p>\n")
    assert out == tmp_path / "report.html"
    assert out.read_text(encoding="utf-8") == "<p>hello</p>\n"
    assert _mode(out) == 0o644


def test_bytes_and_atomic_path_are_mode_0644_too(tmp_path: Path, strict_umask: None) -> None:
    b = write_bytes_atomic(tmp_path / "a.xlsx", b"PK\x03\x04")
    assert b.read_bytes() == b"PK\x03\x04"
    assert _mode(b) == 0o644
    with atomic_path(tmp_path / "b.csv") as tmp:
        tmp.write_text("x\n")
    assert _mode(tmp_path / "b.csv") == 0o644


def test_a_custom_mode_is_honoured(tmp_path: Path) -> None:
    out = write_text_atomic(tmp_path / "secret.txt", "s", mode=0o600)
    assert _mode(out) == 0o600
    out = write_bytes_atomic(tmp_path / "shared.bin", b"s", mode=0o664)
    assert _mode(out) == 0o664


def test_a_failure_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="half way"), atomic_path(target) as tmp:
        tmp.write_text("half a new fi")
        raise RuntimeError("half way")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_the_temporary_file_sits_beside_the_target_and_is_hidden(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deep" / "r.html"  # missing folders are made
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent
        assert tmp.name.startswith(".r.html.") and tmp.name.endswith(".tmp")
        assert not target.exists()  # nothing visible until the body ends
        tmp.write_text("new")
    assert target.read_text() == "new"
    assert [p.name for p in target.parent.iterdir()] == ["r.html"]


def test_replaces_an_existing_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    target.write_text("a much longer old content")
    write_text_atomic(target, "new")
    assert target.read_text() == "new"


def test_newlines_are_written_as_given(tmp_path: Path) -> None:
    out = write_text_atomic(tmp_path / "a.csv", "a\r\nb\n")
    assert out.read_bytes() == b"a\r\nb\n"


def test_file_and_folder_are_fsynced_before_and_after_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    monkeypatch.setattr(atomic.os, "replace", replace)
    write_text_atomic(tmp_path / "r.txt", "x")
    assert events == ["fsync file", "replace", "fsync folder"]


def test_a_relative_target_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_text_atomic("here.txt", "x")
    assert (tmp_path / "here.txt").read_text() == "x"
