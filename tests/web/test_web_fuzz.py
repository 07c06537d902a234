"""schemathesis fuzzes every operation of the OpenAPI description, as every role, in this
process (issue 13, security tests): no answer may be a server error (5xx).

Each role signs in to a place of its own (so that what one role's fuzzing changes cannot
hide another's errors). Forms that carry a CSRF token are sent the session's real token, so
that the fuzzed values reach the code behind the check, except signing out and removing a
user, which would end the run's own session. The run is bounded: ``EXAMPLES`` cases per
operation and role, a few seconds per role here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web_place import USERS, build_place, sign_in

from wholeplace.web import Place, create_app
from wholeplace.web.base import COOKIE

schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = int(os.environ.get("WHOLEPLACE_FUZZ_EXAMPLES", "12"))
ROLES = ("public", *USERS)  # public: nobody signed in
# would sign the fuzzer out, or remove the users the other cases sign in as
NO_REAL_CSRF = {("POST", "/logout"), ("POST", "/users/{username}/remove")}


@pytest.fixture(scope="module")
def served_places(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from fastapi.testclient import TestClient

    made: dict[str, Any] = {}
    opened = []
    try:
        for who in ROLES:
            place = Place.open(build_place(tmp_path_factory.mktemp("fuzz")))
            opened.append(place)
            app = create_app(place)
            cookies: dict[str, str] = {}
            csrf = ""
            if who != "public":
                with TestClient(app) as client:
                    sign_in(client, who)
                    cookies = {COOKIE: client.cookies[COOKIE]}
                    page = client.get("/api/me")
                    assert page.json()["username"] == who
                with place.read() as ws:
                    from wholeplace.web.users import session_for

                    found = session_for(ws, cookies[COOKIE])
                    assert found is not None
                    csrf = found.csrf
            made[who] = (app, cookies, csrf)
        yield made
    finally:
        for place in opened:
            place.close()


def _operations(app: Any) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())
    return found


def _fuzz(op: Any, client: Any, csrf: str, errors: list[str]) -> None:
    real_csrf = bool(csrf) and (op.method.upper(), op.path) not in NO_REAL_CSRF

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("WHOLEPLACE_FUZZ_EXAMPLES"),  # CI: the same cases
        suppress_health_check=list(HealthCheck),
    )
    @given(case=op.as_strategy(), data=st.data())
    def fuzz(case: Any, data: Any) -> None:
        if real_csrf and isinstance(case.body, dict) and "csrf" in case.body:
            case.body["csrf"] = data.draw(st.sampled_from([csrf, case.body["csrf"]]))
        response = case.call(session=client, allow_redirects=False)
        if response.status_code >= 500:
            errors.append(
                f"{case.method} {case.formatted_path} {case.query} {case.body!r}: "
                f"{response.status_code} {response.text[:300]}"
            )

    fuzz()


@pytest.mark.parametrize("who", ROLES)
def test_no_operation_answers_a_server_error(who: str, served_places: dict[str, Any]) -> None:
    from schemathesis.python import asgi

    app, cookies, csrf = served_places[who]
    operations = _operations(app)
    assert len(operations) >= 20  # every page and JSON route is described
    errors: list[str] = []
    with asgi.get_client(app) as client:
        client.cookies.update(cookies)
        for op in operations:
            _fuzz(op, client, csrf, errors)
    assert errors == []


def test_the_fuzzer_reaches_past_the_csrf_check(
    served_places: dict[str, Any], tmp_path: Path
) -> None:
    """The real token lets the fuzzed forms through: an administrator's fuzzing adds users
    (or is refused with the problem table, 400), it is not all 403s."""
    app, cookies, csrf = served_places["admin"]
    from schemathesis.python import asgi

    with asgi.get_client(app) as client:
        client.cookies.update(cookies)
        r = client.post(
            "/users",
            data={"username": "fuzzed", "role": "nonsense", "password": "x", "csrf": csrf},
            allow_redirects=False,
        )
    assert r.status_code == 400 and "not a role" in r.text
