"""A small place served by the web application, with one user of every role.

Two partners, each with its own spend lines (hand-added totals in the tests), and a
payment from the council to the trust that the consolidation eliminates.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from wholeplace.partners import add_partner
from wholeplace.spend import import_lines
from wholeplace.web import Place, create_app
from wholeplace.web.users import add_user
from wholeplace.workspace import Workspace

PASSWORD = "correct horse battery staple"
# username -> (role, partner)
USERS = {
    "admin": ("administrator", None),
    "ana": ("partner analyst", "cc"),
    "bob": ("partner analyst", "trust"),
    "mem": ("partnership member", None),
    "board": ("board viewer", None),
}

# 2024/25: the council spends 1,000.00 + 250.50 + 300.00 (a payment to the trust, eliminated);
# the trust 2,000.25. Imported 3,550.75 = consolidated 3,250.75 + eliminated 300.00.
COUNCIL_CSV = (
    "partner,year,service,area,customer_group,amount_gbp,counterparty\n"
    "cc,2024/25,Adult social care,,Older people,1000.00,\n"
    "cc,2024/25,Children's social care,,Children and families,250.50,\n"
    "cc,2024/25,Adult social care,,Older people,300.00,trust\n"
)
TRUST_CSV = (
    "partner,year,service,area,customer_group,amount_gbp,counterparty\n"
    "trust,2024/25,NHS.ACUTE,,Older people,2000.25,\n"
)


def build_place(root: Path) -> Path:
    folder = root / "place"
    ws = Workspace.create(folder, "Testshire", population=1000)
    try:
        add_partner(
            ws,
            {
                "id": "cc",
                "name": "Testshire County Council",
                "type": "county council",
                "group": "Local government",
                "sector": "local government",
            },
        )
        add_partner(
            ws,
            {
                "id": "trust",
                "name": "Testshire Hospitals NHS Trust",
                "type": "nhs trust",
                "group": "NHS",
                "sector": "health",
            },
        )
        for name, text in (("council.csv", COUNCIL_CSV), ("trust.csv", TRUST_CSV)):
            f = root / name
            f.write_text(text, encoding="utf-8")
            import_lines(ws, f)
        for username, (role, partner) in USERS.items():
            add_user(ws, username, role, PASSWORD, partner)
    finally:
        ws.close()
    return folder


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


def csrf_of(html: str) -> str:
    marker = 'name="csrf" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign in afresh (any earlier session's cookie dropped)."""
    client.cookies.clear()
    page = client.get("/login")
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
