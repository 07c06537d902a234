"""Fixtures for the web application's tests: the place of ``web_place.py``, served in this
process through FastAPI's TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_place import PASSWORD, USERS, build_place, csrf_of, sign_in

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
