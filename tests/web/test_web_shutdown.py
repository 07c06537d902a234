"""The server stops only once its check for releases due has finished. That check runs in a
worker thread on the place's connection; a server that stopped while it ran let the place be
closed under it, and DuckDB refuses to close a connection that is busy (CI, session 7:
``ResourceInUseException: connection is busy with another call``)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_place import build_place

from wholeplace.web import Place, create_app, releases


def test_the_server_waits_for_the_check_in_progress_before_it_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, finished = threading.Event(), threading.Event()
    real = releases.record_due

    def slow(p: Place) -> int:
        started.set()
        time.sleep(0.5)
        try:
            return real(p)
        finally:
            finished.set()

    monkeypatch.setattr(releases, "record_due", slow)
    p = Place.open(build_place(tmp_path))
    try:
        with TestClient(create_app(p)):
            assert started.wait(10)
        assert finished.is_set(), "the server stopped while its check was still running"
    finally:
        p.close()  # raised ResourceInUseException when the check still held the connection
