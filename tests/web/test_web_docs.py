"""docs/web.md says what the application does: its table of who sees what is the one the
routes are checked against, and its worked example's figures are the pages' (test place in
tests/helpers/web_place.py)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from web_place import api_routes, sign_in

from wholeplace.web import Place, create_app
from wholeplace.web.access import PERMISSIONS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")


def test_the_roles_table_is_the_permissions_table() -> None:
    section = DOC.split("| permission | roles | routes |")[1].split("\n\n")[0]
    rows = [line.split("|")[1:3] for line in section.strip().splitlines()[1:]]
    documented = {
        name.strip(): frozenset(r.strip() for r in roles.split(",")) for name, roles in rows
    }
    assert documented == {k: v for k, v in PERMISSIONS.items()}


def test_worked_example_figures(client: TestClient) -> None:
    flat = " ".join(DOC.split())
    for figure in (
        "imported £3,550.75 = consolidated £3,250.75 + eliminated £300.00",
        "The home page shows **£3,250.75**",
        "NHS £2,000.25 and Local government £1,250.50",
        "Adult social care £1,000.00 and Children's social care £250.50",
        "filtering to Older people gives £3,000.25",
    ):
        assert figure in flat
    sign_in(client, "mem")
    assert "£3,250.75" in client.get("/").text
    top = client.get("/api/spend/drill").json()
    assert {r["key"]: r["amount_gbp"] for r in top["rows"]} == {
        "NHS": "2000.25",
        "Local government": "1250.50",
    }
    older = client.get("/api/spend/drill", params={"customer_group": "Older people"}).json()
    assert older["total_gbp"] == "3000.25"
    rec = " ".join(client.get("/spend/reconciliation").text.split())
    assert "imported £3,550.75 = consolidated £3,250.75 + eliminated £300.00" in rec


def test_every_route_is_in_the_table_under_its_permission(app_place: Place) -> None:
    """Each route of the app, with its method, is listed in docs/web.md's table in the row of
    the permission it names (`POST /path` for a form, the bare path for a page)."""
    section = DOC.split("| permission | roles | routes |")[1].split("\n\n")[0]
    listed = {
        row.split("|")[1].strip(): set(re.findall(r"`([^`]+)`", row.split("|")[3]))
        for row in section.strip().splitlines()[1:]
    }
    missing = []
    for route in api_routes(create_app(app_place).routes):
        permission = (route.openapi_extra or {}).get("x-permission")
        for method in route.methods:
            shown = route.path if method == "GET" else f"{method} {route.path}"
            if shown not in listed.get(permission, set()):
                missing.append((permission, shown))
    assert missing == [], missing
