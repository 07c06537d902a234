"""What the fuzzing of the OpenAPI (test_web_fuzz.py) found, each pinned by a test that
failed on the code before its fix."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_place import build_place, sign_in

from wholeplace.cli import app


def test_a_csrf_token_with_non_ascii_characters_is_refused_not_a_crash(
    client: TestClient,
) -> None:
    # hmac.compare_digest raised TypeError on "\x80": a 500 instead of the 403
    sign_in(client, "mem")
    r = client.post("/logout", data={"csrf": "\x80"}, follow_redirects=False)
    assert r.status_code == 403
    assert "did not come from this site" in r.text
    assert client.get("/api/me").json()["username"] == "mem"  # still signed in


def test_the_sign_in_form_with_a_non_ascii_token_is_refused_not_a_crash(
    client: TestClient,
) -> None:
    client.cookies.clear()
    client.get("/login")  # sets the sign-in form's own token
    r = client.post(
        "/login",
        data={"username": "mem", "password": "x" * 12, "csrf": "é"},
        follow_redirects=False,
    )
    assert r.status_code == 403


def test_same_token() -> None:
    from wholeplace.web.base import same_token

    assert same_token("abc", "abc")
    assert not same_token("abd", "abc")
    assert not same_token("\x80", "abc")
    assert not same_token("", "")  # no token expected: nothing matches
    assert not same_token(None, "abc")
    assert not same_token("\udc80", "abc")  # a lone surrogate cannot crash it either


def test_a_year_that_is_not_a_year_is_a_400_with_the_fix(client: TestClient) -> None:
    # spend_service.suppliers let YearError (a ValueError) out: a 500
    sign_in(client, "mem")
    r = client.get("/api/spend/suppliers", params={"year": "0"})
    assert r.status_code == 400
    assert r.json()["error"] == "'0' is not a financial year. Fix: write the year as 2024/25."


def test_the_command_line_says_the_same(tmp_path: Path) -> None:
    place = build_place(tmp_path)
    res = CliRunner().invoke(app, ["spend", "suppliers", "--year", "0", "-w", str(place), "--json"])
    assert res.exit_code == 2, res.output
    assert "'0' is not a financial year" in res.output
