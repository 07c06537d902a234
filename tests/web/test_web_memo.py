"""The server keeps the consolidated views between requests and drops them on every write:
it is the place's only writer, so nothing else can make them stale."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from web_place import build_place

from wholeplace.web import Place


def _counter() -> Callable[[], int]:
    """A computation that answers how many times it has run."""
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return compute


def test_a_view_is_computed_once_until_the_next_write(tmp_path: Path) -> None:
    p = Place.open(build_place(tmp_path))
    calls: list[int] = []

    def compute() -> list[int]:
        calls.append(1)
        return [len(calls)]

    try:
        first = p.memo("view", compute)
        assert p.memo("view", compute) is first and calls == [1]
        assert p.memo("other", compute) == [2]  # a different key is its own view
        with p.write("test"):
            pass
        assert p.memo("view", compute) == [3]
        assert p.memo("view", compute) == [3] and len(calls) == 3
    finally:
        p.close()


def test_a_write_while_a_view_is_computed_leaves_it_unkept(tmp_path: Path) -> None:
    p = Place.open(build_place(tmp_path))
    calls: list[int] = []

    def compute_during_a_write() -> int:
        calls.append(1)
        if len(calls) == 1:
            with p.write("test"):
                pass
        return len(calls)

    try:
        assert p.memo("view", compute_during_a_write) == 1
        assert p.memo("view", compute_during_a_write) == 2  # the first was not kept
        assert p.memo("view", compute_during_a_write) == 2
    finally:
        p.close()


def test_a_failed_write_still_drops_the_views(tmp_path: Path) -> None:
    p = Place.open(build_place(tmp_path))
    compute = _counter()
    try:
        assert p.memo("view", compute) == 1
        try:
            with p.write("test"):
                raise ValueError("the import failed half-way")
        except ValueError:
            pass
        assert p.memo("view", compute) == 2
    finally:
        p.close()


def test_a_write_to_the_audit_log_alone_keeps_the_views(tmp_path: Path) -> None:
    # running an appraisal or viewing raw lines only records that it happened: the spend
    # views are still right, so they are kept
    p = Place.open(build_place(tmp_path))
    compute = _counter()
    try:
        assert p.memo("view", compute) == 1
        with p.write("test", audit_only=True) as ws, ws.write("appraisal run", detail={}):
            pass
        assert p.memo("view", compute) == 1
        with p.write("test"):
            pass
        assert p.memo("view", compute) == 2
    finally:
        p.close()
