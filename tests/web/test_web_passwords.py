"""Passwords are argon2id; a scrypt hash of before still verifies and is replaced at the next
successful sign-in; sign-in is throttled by address as well as locked by account (issue 13).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_place import PASSWORD, Clock, build_place, csrf_of, sign_in

from wholeplace.web import Place, create_app
from wholeplace.web import users as web_users


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Place, Clock]]:
    clock = Clock(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    place = Place.open(build_place(tmp_path), clock=clock)
    try:
        with TestClient(create_app(place)) as client:
            yield client, place, clock
    finally:
        place.close()


def _stored(place: Place, username: str) -> str:
    rows = place.ws.con.execute(
        "SELECT password FROM web_users WHERE username = ?", [username]
    ).fetchall()
    return str(rows[0][0])


def _attempt(client: TestClient, username: str, password: str) -> tuple[int, str]:
    client.cookies.clear()
    page = client.get("/login")
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    return r.status_code, r.text


def test_new_passwords_are_argon2id() -> None:
    stored = web_users.hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert web_users.check_password(PASSWORD, stored)
    assert not web_users.check_password(PASSWORD + "x", stored)
    assert not web_users.needs_rehash(stored)
    assert not web_users.check_password(PASSWORD, "$argon2id$not a hash")


def _scrypt(password: str) -> str:
    """A hash as the scrypt era wrote it (migration 0080): scrypt$n$r$p$salt_hex$hash_hex,
    made here with the standard library, not with the code under test."""
    salt = bytes(range(16))
    digest = hashlib.scrypt(password.encode(), salt=salt, n=1 << 14, r=8, p=1, dklen=32)
    return f"scrypt${1 << 14}$8$1${salt.hex()}${digest.hex()}"


def test_a_scrypt_hash_still_verifies_and_becomes_argon2_at_the_next_sign_in(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, place, _clock = site
    old = _scrypt(PASSWORD)
    with place.write("test") as ws, ws.write("test: a password of the scrypt era"):
        ws.con.execute("UPDATE web_users SET password = ? WHERE username = 'mem'", [old])
    assert web_users.check_password(PASSWORD, old)
    assert web_users.needs_rehash(old)
    # a wrong password against it fails, and leaves it as it was
    assert _attempt(client, "mem", "not the password at all")[0] == 400
    assert _stored(place, "mem") == old
    # the right one signs in, and the hash is argon2 from now on
    assert _attempt(client, "mem", PASSWORD)[0] == 303
    new = _stored(place, "mem")
    assert new.startswith("$argon2id$") and web_users.check_password(PASSWORD, new)
    logins = [e for e in place.ws.audit_log() if e.action == "login"]
    assert logins[0].detail == {"ip": "testclient", "password_rehashed": True}
    # and the next sign-in needs no change
    sign_in(client, "mem")
    assert _stored(place, "mem") == new
    logins = [e for e in place.ws.audit_log() if e.action == "login"]
    assert logins[0].detail == {"ip": "testclient"}


def test_twenty_failures_from_one_address_pause_it_whatever_the_name(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, place, clock = site
    # four wrong passwords for each of five names (one of them not a user): no account
    # reaches its five, but the address reaches twenty
    for name in ("admin", "mem", "board", "ana", "nosuch"):
        for _ in range(4):
            status, text = _attempt(client, name, "wrong password!")
            assert status == 400 and "The user name or password is not right" in text
    failed = [e for e in place.ws.audit_log() if e.action == "login failed"]
    assert len(failed) == 20
    assert failed[0].detail.get("address_paused") is True
    assert all("address_paused" not in e.detail for e in failed[1:])
    # now even the right password is refused from this address, for 15 minutes
    status, text = _attempt(client, "admin", PASSWORD)
    assert status == 429
    assert "signing in from it is paused until 12:15 UTC" in text
    throttled = [e for e in place.ws.audit_log() if e.action == "login throttled"]
    assert throttled[0].detail == {
        "username": "admin",
        "ip": "testclient",
        "until": "2026-11-29T12:15:00",
    }
    # another address is not paused
    with place.write("admin@10.0.0.2") as ws:
        web_users.sign_in(ws, "admin", PASSWORD, "10.0.0.2", clock())
    # 15 minutes later this one may sign in again
    clock.at += timedelta(minutes=14, seconds=59)
    assert _attempt(client, "admin", PASSWORD)[0] == 429
    clock.at += timedelta(seconds=1)
    assert _attempt(client, "admin", PASSWORD)[0] == 303


def test_failures_older_than_the_window_are_not_counted(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, _place, clock = site
    for _ in range(19):
        _attempt(client, "nosuch", "wrong password!")
    clock.at += timedelta(minutes=15)  # the window of the first failure has passed
    for _ in range(19):
        assert _attempt(client, "nosuch", "wrong password!")[0] == 400
    assert _attempt(client, "admin", PASSWORD)[0] == 303
