"""Who sees what: the authorisation matrix, generated from the app's route table, and each
partner's raw lines its own (pages, JSON, guessed ids, error messages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_place import PASSWORD, RELEASE, USERS, api_routes, build_place, csrf_of, sign_in

from wholeplace.web import Place, create_app
from wholeplace.web.access import PERMISSIONS, sees_partner
from wholeplace.web.users import PUBLIC, reset_password

PARTNERS = ("cc", "trust", "nosuch")
ROLES_USERS = {PUBLIC: None} | {role: name for name, (role, _p) in USERS.items()}
# one user per role (the second analyst is checked in the isolation tests)
ROLES_USERS["partner analyst"] = "ana"


def _routes(app_place: Place) -> list[tuple[str, str, str]]:
    app = create_app(app_place)
    found = []
    for route in api_routes(app.routes):
        if True:
            permission = (route.openapi_extra or {}).get("x-permission")
            for method in route.methods:
                found.append((method, route.path, permission))
    return found


def test_every_route_names_a_known_permission(app_place: Place) -> None:
    routes = _routes(app_place)
    assert len(routes) >= 20
    for method, path, permission in routes:
        assert permission in PERMISSIONS, (method, path)


def _paths(path: str) -> list[tuple[str, str | None]]:
    """The path with its parameters filled in: every partner (real and guessed)."""
    if "{partner}" in path:
        return [(path.replace("{partner}", p), p) for p in PARTNERS]
    if "{release}" in path:
        return [(path.replace("{release}", RELEASE).replace("{version}", "1"), None)]
    if "{username}" in path:
        return [(path.replace("{username}", "board"), None)]
    if "{kind}" in path:
        return [(path.replace("{kind}", "pool"), None)]
    if "{code}" in path:
        return [(path.replace("{code}", "T1"), None)]
    return [(path, None)]


@pytest.mark.parametrize("role", list(ROLES_USERS))
def test_authorisation_matrix(app_place: Place, role: str) -> None:
    """Every route x this role x every partner: refused exactly when the table says so."""
    with TestClient(create_app(app_place)) as client:
        username = ROLES_USERS[role]
        own = None
        if username is not None:
            sign_in(client, username)
            own = USERS[username][1]
        for method, template, permission in _routes(app_place):
            if template in ("/logout", "/login"):
                continue  # signing in and out change the session the loop relies on
            assert permission is not None
            may = role in PERMISSIONS[permission]
            for path, partner in _paths(template):
                if may and partner is not None:
                    may_partner = sees_partner(role, own, partner) and partner != "nosuch"
                else:
                    may_partner = may
                r = client.request(method, path, follow_redirects=False)
                if not may:
                    expected = {303, 401} if role == PUBLIC else {403}
                    assert r.status_code in expected, (role, method, path, r.status_code)
                elif method == "GET":
                    if partner is not None and not may_partner:
                        ok = {403} if partner != "nosuch" or role != "administrator" else {400}
                        assert r.status_code in ok, (role, path, r.status_code)
                    else:
                        # let through: 200, or 400 where the place has nothing to show
                        # yet (no self-assessment started), never refused, never a crash
                        assert r.status_code in (200, 400), (role, method, path, r.status_code)
                else:
                    # allowed, but sent without the form's CSRF token: refused
                    assert r.status_code in (403, 422), (role, method, path, r.status_code)


def _lines_leak(text: str) -> bool:
    return "2000.25" in text or "2,000.25" in text or "NHS.ACUTE" in text


def test_analyst_reads_own_lines_not_another_partners(client: TestClient) -> None:
    sign_in(client, "ana")
    own = client.get("/partners/cc/lines")
    assert own.status_code == 200
    assert "3 lines, £1,550.50" in own.text  # 1,000.00 + 250.50 + 300.00, as imported
    assert client.get("/api/partners/cc/lines").json()["total_gbp"] == "1550.50"
    for path in ("/partners/trust/lines", "/api/partners/trust/lines"):
        for query in ("", "?year=2024/25", "?year=2024%2F25&partner=trust"):
            r = client.get(path + query)
            assert r.status_code == 403 and not _lines_leak(r.text), path
    # a guessed id gets the same answer as a real one: nothing tells them apart
    real = client.get("/partners/trust/lines").text
    guessed = client.get("/partners/nosuch/lines").text
    assert real == guessed
    assert (
        client.get("/api/partners/trust/lines").json()
        == client.get("/api/partners/nosuch/lines").json()
    )


def test_member_and_board_never_read_raw_lines(client: TestClient) -> None:
    for name in ("mem", "board"):
        sign_in(client, name)
        for partner in ("cc", "trust"):
            r = client.get(f"/api/partners/{partner}/lines")
            assert r.status_code == 403 and not _lines_leak(r.text)


def test_public_reads_nothing_but_public_pages(client: TestClient) -> None:
    assert client.get("/api/spend/map").status_code == 401
    assert client.get("/api/partners/trust/lines").status_code == 401
    r = client.get("/spend", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/spend"
    assert client.get("/published").status_code == 200
    assert client.get("/api/outcomes").status_code == 400  # public, but no outcomes yet


def test_every_form_needs_its_csrf_token(client: TestClient) -> None:
    # sign-in without the token set with the form
    r = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf": "x"})
    assert r.status_code == 403
    sign_in(client, "admin")
    page = client.get("/users").text
    for path, data in (
        ("/logout", {}),
        ("/users", {"username": "eve", "role": "board viewer", "password": "x" * 20}),
        ("/users/board/remove", {}),
    ):
        r = client.post(path, data=data | {"csrf": "forged"}, follow_redirects=False)
        assert r.status_code == 403, path
    files = {"file": ("a.csv", b"partner,year,service,amount_gbp\n", "text/csv")}
    r = client.post("/uploads/spend", data={"csrf": "forged"}, files=files)
    assert r.status_code == 403
    # with the right token it works
    r = client.post(
        "/users",
        data={
            "username": "eve",
            "role": "board viewer",
            "password": "x" * 20,
            "csrf": csrf_of(page),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = client.post("/users/eve/remove", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 303


def test_sign_in_is_recorded_with_user_and_address(client: TestClient) -> None:
    sign_in(client, "ana")
    client.get("/partners/cc/lines")
    client.cookies.clear()
    sign_in(client, "admin")
    log = client.get("/api/audit").json()
    views = [e for e in log if e["action"] == "view raw lines"]
    assert views and views[0]["who"] == "ana@testclient"
    assert views[0]["detail"] == {"partner": "cc"}
    logins = [e for e in log if e["action"] == "login"]
    assert logins[0]["who"] == "admin@testclient"


def test_session_cookie_is_httponly_and_samesite(client: TestClient) -> None:
    page = client.get("/login")
    r = client.post(
        "/login",
        data={"username": "mem", "password": PASSWORD, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    cookie = r.headers["set-cookie"]
    assert "wholeplace_session=" in cookie
    assert "HttpOnly" in cookie and re.search("samesite=lax", cookie, re.I)


def test_five_failed_sign_ins_lock_the_account(tmp_path: Path) -> None:
    place = Place.open(build_place(tmp_path))
    try:
        with TestClient(create_app(place)) as client:
            for _ in range(5):
                page = client.get("/login")
                r = client.post(
                    "/login",
                    data={"username": "mem", "password": "wrong", "csrf": csrf_of(page.text)},
                )
                assert r.status_code == 400
                assert "The user name or password is not right" in r.text
            page = client.get("/login")
            r = client.post(
                "/login",
                data={"username": "mem", "password": PASSWORD, "csrf": csrf_of(page.text)},
                follow_redirects=False,
            )
            assert r.status_code == 400  # the right password, but locked
            with place.write("test") as ws:
                reset_password(ws, "mem", PASSWORD)
            sign_in(client, "mem")
            failed = [e for e in place.ws.audit_log() if e.action == "login failed"]
            assert len(failed) == 6 and failed[0].detail["locked"] is True
    finally:
        place.close()


def test_sign_in_never_redirects_to_another_site(client: TestClient) -> None:
    for target, expected in (
        ("/spend", "/spend"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("/\tspend", "/"),
    ):
        client.cookies.clear()
        page = client.get("/login", params={"next": target})
        r = client.post(
            "/login",
            data={
                "username": "mem",
                "password": PASSWORD,
                "csrf": csrf_of(page.text),
                "next": target,
            },
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == expected, target


def test_unknown_pages_get_the_sites_404(client: TestClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "There is a problem" in r.text
    assert client.get("/api/no/such").json() == {"error": "Not Found"}


def test_signing_out_ends_the_session_on_the_server(client: TestClient) -> None:
    sign_in(client, "admin")
    token = client.cookies.get("wholeplace_session")
    csrf = csrf_of(client.get("/users").text)
    r = client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    # the old cookie, sent again, is worth nothing: the session is gone from the place
    client.cookies.set("wholeplace_session", token or "")
    assert client.get("/api/me").json()["role"] == "public"
    assert client.get("/api/users").status_code == 401


def test_the_audit_page_shows_details_in_words(client: TestClient) -> None:
    sign_in(client, "ana")
    client.get("/partners/cc/lines")
    client.cookies.clear()
    sign_in(client, "admin")
    page = client.get("/audit").text
    assert "partner cc" in page
    assert "{&#34;partner&#34;" not in page and '{"partner"' not in page
