"""What the server records of things that change nothing (a report run, a view of raw lines)
is written together when many arrive at once (a group commit, Place.audit): every entry is
written once, with its own actor, and durable before its request is answered."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from web_place import build_place

from wholeplace.web import Place
from wholeplace.workspace import AuditRecord, Workspace


def _entries(p: Place, action: str) -> list[tuple[str, str]]:
    with p.read() as ws:
        rows = ws.con.execute(
            "SELECT who, detail FROM audit_log WHERE action = ? ORDER BY seq", [action]
        ).fetchall()
    return [(r[0], r[1]) for r in rows]


def test_entries_arriving_together_are_written_once_each_in_fewer_transactions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = Place.open(build_place(tmp_path))
    transactions: list[int] = []
    real = Workspace.record

    def slow(self: Workspace, entries: list[AuditRecord]) -> None:
        transactions.append(len(entries))
        time.sleep(0.05)  # a slow disk: the others arrive while this one is written
        real(self, entries)

    monkeypatch.setattr(Workspace, "record", slow)
    start = threading.Barrier(20)

    def run(i: int) -> None:
        start.wait()
        p.audit(f"user{i}@127.0.0.1", "appraisal run", {"file": f"{i}.yaml"})

    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        found = _entries(p, "appraisal run")
        assert sorted(who for who, _ in found) == sorted(f"user{i}@127.0.0.1" for i in range(20))
        assert {d for _, d in found} == {f'{{"file": "{i}.yaml"}}' for i in range(20)}
        assert sum(transactions) == 20  # each entry in exactly one transaction
        assert len(transactions) < 20  # and some shared one
    finally:
        p.close()


def test_a_failed_write_fails_every_entry_it_held_and_writes_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = Place.open(build_place(tmp_path))

    def broken(self: Workspace, entries: list[AuditRecord]) -> None:
        raise OSError("disk full")

    try:
        monkeypatch.setattr(Workspace, "record", broken)
        with pytest.raises(OSError, match="disk full"):
            p.audit("ana@127.0.0.1", "view raw lines", {"partner": "cc"})
        monkeypatch.undo()
        assert _entries(p, "view raw lines") == []
        # the next entry is written, alone: the failed one is not carried over
        p.audit("bob@127.0.0.1", "view raw lines", {"partner": "trust"})
        assert _entries(p, "view raw lines") == [("bob@127.0.0.1", '{"partner": "trust"}')]
    finally:
        p.close()


def test_recording_keeps_the_views(tmp_path: Path) -> None:
    p = Place.open(build_place(tmp_path))
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    try:
        assert p.memo("view", compute) == 1
        p.audit("mem@127.0.0.1", "appraisal run", {"file": "a.yaml"})
        assert p.memo("view", compute) == 1
    finally:
        p.close()
