"""The server keeps the consolidated views between requests and drops them on every write:
it is the place's only writer, so nothing else can make them stale."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_place import RELEASE, build_place, csrf_of, sign_in

from wholeplace.web import Place, base, create_app, publishing, users
from wholeplace.web.base import COOKIE, MEMO_SIZES
from wholeplace.web.releases import record_due
from wholeplace.workspace import Workspace


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


def test_each_kind_keeps_its_most_recently_used_up_to_its_size(tmp_path: Path) -> None:
    p = Place.open(build_place(tmp_path))
    compute = _counter()
    try:
        view = p.memo("view", compute)
        size = MEMO_SIZES["runs"]
        for i in range(size):
            p.memo(("run", i), compute, kind="runs")
        p.memo(("run", 0), compute, kind="runs")  # used again: now the most recent
        p.memo(("run", size), compute, kind="runs")  # one more than the size: drops run 1
        assert compute() == size + 3  # every run computed once, and the view
        assert p.memo(("run", 0), compute, kind="runs") == 2
        assert p.memo(("run", 2), compute, kind="runs") == 4
        assert p.memo(("run", 1), compute, kind="runs") == size + 4  # dropped: computed again
        # the runs are kept apart from the views: the view was not dropped to make room
        assert p.memo("view", compute) == view == 1
    finally:
        p.close()


def test_the_minutely_check_for_releases_due_keeps_the_views(tmp_path: Path) -> None:
    # once the test place's release is recorded nothing is due, so nothing is written: the
    # views still hold
    p = Place.open(build_place(tmp_path))
    compute = _counter()
    try:
        assert p.memo("view", compute) == 1
        assert record_due(p) == 1  # a write: the view is dropped
        assert p.memo("view", compute) == 2
        assert record_due(p) == 0
        assert p.memo("view", compute) == 2
    finally:
        p.close()


def test_the_published_releases_are_read_once_until_the_next_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = publishing.all_versions

    def counting(ws: Workspace) -> dict[str, list[publishing.Version]]:
        calls.append(1)
        return real(ws)

    monkeypatch.setattr(publishing, "all_versions", counting)
    p = Place.open(build_place(tmp_path))
    record_due(p)  # the test place's release, recorded now: the server has nothing due
    calls.clear()
    try:
        with TestClient(create_app(p)) as c:
            first = c.get("/published")
            assert first.status_code == 200 and RELEASE in first.text
            assert c.get("/published").text == first.text
            assert c.get("/api/published").json()[0]["release"] == RELEASE
            assert len(calls) == 1
            with p.write("test"):
                pass
            assert c.get("/published").text == first.text
            assert len(calls) == 2
    finally:
        p.close()


class _Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def test_a_session_is_looked_up_once_until_the_next_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = base.find_session

    def counting(ws: Workspace, token: str) -> tuple[users.Session, datetime] | None:
        calls.append(1)
        return real(ws, token)

    monkeypatch.setattr(base, "find_session", counting)
    p = Place.open(build_place(tmp_path))
    try:
        with TestClient(create_app(p)) as c:
            sign_in(c, "mem")
            calls.clear()
            for _ in range(3):
                assert c.get("/api/me").json()["username"] == "mem"
            assert len(calls) == 1
            # signing out is a write: the session kept is dropped with it, and ends at once
            cookie = c.cookies[COOKIE]
            csrf = csrf_of(c.get("/appraisals").text)
            assert c.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
            c.cookies.set(COOKIE, cookie)
            assert c.get("/api/me").json()["username"] is None
            assert len(calls) == 2
    finally:
        p.close()


def test_a_session_kept_still_ends_on_time(tmp_path: Path) -> None:
    clock = _Clock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    p = Place.open(build_place(tmp_path), clock=clock)
    try:
        with TestClient(create_app(p)) as c:
            sign_in(c, "mem")
            assert c.get("/api/me").json()["username"] == "mem"
            clock.at += users.SESSION_FOR - timedelta(seconds=1)
            assert c.get("/api/me").json()["username"] == "mem"
            clock.at += timedelta(seconds=1)  # eight hours after signing in: ended
            assert c.get("/api/me").json()["username"] is None
            assert c.get("/spend", follow_redirects=False).status_code == 303
    finally:
        p.close()


def test_signing_in_and_out_keeps_the_views_and_drops_the_sessions(tmp_path: Path) -> None:
    # a stranger's failed sign-ins must not make the server recompute every view
    p = Place.open(build_place(tmp_path))
    compute = _counter()
    record_due(p)  # the test place's release, recorded now: the server has nothing due
    try:
        with TestClient(create_app(p)) as c:
            assert p.memo("view", compute) == 1
            assert p.memo("session", compute, kind="sessions") == 2
            page = c.get("/login")
            csrf = csrf_of(page.text)
            for _ in range(3):
                failed = c.post(
                    "/login", data={"username": "mem", "password": "wrong", "csrf": csrf}
                )
                assert failed.status_code == 400
            assert p.memo("view", compute) == 1
            assert p.memo("session", compute, kind="sessions") == 3  # dropped, computed again
            sign_in(c, "mem")
            assert p.memo("view", compute) == 1
            assert p.memo("session", compute, kind="sessions") == 4
            with p.write("test"):  # any other write still drops every kind
                pass
            assert p.memo("view", compute) == 5
    finally:
        p.close()


def _race(p: Place, compute: Callable[[], object], callers: int) -> list[object]:
    """``callers`` threads asking for one view at once; what each got, or the error it saw."""
    got: list[object] = []

    def ask() -> None:
        try:
            got.append(p.memo("view", compute))
        except RuntimeError as exc:
            got.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return got


def test_requests_that_miss_a_view_at_once_share_one_computation(tmp_path: Path) -> None:
    p = Place.open(build_place(tmp_path))
    calls: list[int] = []
    everyone_waits = threading.Event()

    def slow() -> list[int]:
        calls.append(1)
        everyone_waits.wait(0.5)  # long enough for the other four to arrive and miss
        return [len(calls)]

    try:
        got = _race(p, slow, 5)
        assert calls == [1]
        assert len(got) == 5 and all(g is got[0] for g in got)
    finally:
        p.close()


def test_when_the_shared_computation_fails_each_waiting_request_tries_itself(
    tmp_path: Path,
) -> None:
    p = Place.open(build_place(tmp_path))
    calls: list[int] = []
    lock = threading.Lock()

    def first_fails() -> int:
        with lock:
            calls.append(1)
            n = len(calls)
        if n == 1:
            time.sleep(0.3)
            raise RuntimeError("the first computation failed")
        return n

    try:
        got = _race(p, first_fails, 3)
        errors = [g for g in got if isinstance(g, RuntimeError)]
        assert len(errors) == 1 and len(got) == 3
        # the failure reached its own request only; the two that waited got a figure
        assert sorted(type(g).__name__ for g in got) == ["RuntimeError", "int", "int"]
        kept = p.memo("view", first_fails)
        assert kept in (2, 3) and len(calls) in (2, 3)
    finally:
        p.close()
