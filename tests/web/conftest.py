"""Fixtures for the web application's tests: the place of ``web_place.py``, served in this
process through FastAPI's TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_place import PASSWORD, USERS, Clock, build_place, csrf_of, sign_in

from wholeplace.web import Place, create_app

__all__ = ["PASSWORD", "USERS", "build_place", "csrf_of", "sign_in"]


@pytest.fixture(scope="module")
def place_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_place(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def app_place(place_dir: Path) -> Iterator[Place]:
    p = Place.open(place_dir)
    yield p
    p.close()


@pytest.fixture
def client(app_place: Place) -> Iterator[TestClient]:
    with TestClient(create_app(app_place)) as c:
        yield c


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Place, Clock]]:
    """A place of its own whose clock a test sets, served: Sunday 29 November 2026, noon
    (GMT: London time is UTC). A test module may define its own ``site``."""
    clock = Clock(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    place = Place.open(build_place(tmp_path), clock=clock)
    try:
        with TestClient(create_app(place)) as client:
            yield client, place, clock
    finally:
        place.close()
