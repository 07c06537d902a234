"""A small place for the web application's tests, with one user of every role, and a way to
run ``wholeplace serve`` over it in a process of its own.

Two partners, each with its own spend lines (hand-added totals in the tests), and a
payment from the council to the trust that the consolidation eliminates.
"""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from browser_kit import SERVER_START_SECONDS, SERVER_STOP_SECONDS
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from wholeplace.areas import import_areas, import_boundaries
from wholeplace.assets import service as assets_service
from wholeplace.partners import add_partner
from wholeplace.spend import import_lines
from wholeplace.web import publishing, release_publication
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


def table_rows(page: str, table_id: str) -> dict[str, list[str]]:
    """Each row of a page's table (after its header row), by its first cell: the words of
    every other cell, as a reader sees them (markup stripped, entities read)."""
    start = page.index(f'id="{table_id}"')
    table = page[start : page.index("</table>", start)]
    out = {}
    for row in table.split("<tr")[2:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        words = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]
        out[words[0]] = words[1:]
    return out


class Clock:
    """A place's clock (``Place(clock=...)``) that a test sets: a release's 09:30, locks."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


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
        add_release(ws)
        add_estate(ws, root)
    finally:
        ws.close()
    return folder


# The estate and areas (issue 16): two square areas side by side, T1 (349000-350000 E,
# 449000-450000 N) and T2 east of it, and three buildings. C1 and H1 are 424 m apart
# (300 m east, 300 m north), C2 is 761 m from H1. The hand calculations are in
# tests/web/test_web_estate.py.
ESTATE_AREAS = "code,name,population\nT1,North,600\nT2,South,400\n"
COUNCIL_ASSETS = (
    "UPRN,AssetCode,PropertyName,GeoX,GeoY,BuildingSize,Running cost,Utilisation,Condition,Use\n"
    "100000000001,C1,Council offices <script>alert(1)</script>,349500,449500,1000,50000,40,B,"
    "Office\n"
    "100000000002,C2,Library,350500,449500,200,10000,90,D,Office\n"
)
TRUST_ASSETS = (
    "UPRN,AssetCode,PropertyName,GeoX,GeoY,BuildingSize,Running cost,Utilisation,Condition,Use\n"
    "100000000003,H1,Health centre,349800,449800,400,20000,50,B,Clinic\n"
)
# rough_sleepers is a count of people: T1's 3 is shown as <5 on every page
INDICATORS = (
    ("imd_decile", "code,decile\nT1,2\nT2,8\n", "better", False),
    ("rough_sleepers", "code,people\nT1,3\nT2,12\n", "worse", True),
)
OPE_TARGETS = "year,receipts,savings\n2025/26,100000,15000\n"
OPE_PIPELINE = (
    "asset,stage,year,receipt,saving\n"
    "cc/C2,disposed,2025/26,150000,10000\n"
    "trust/H1,agreed,2025/26,80000,20000\n"
)


def _square(code: str, x0: int, y0: int) -> dict[str, Any]:
    ring = [[x0, y0], [x0 + 1000, y0], [x0 + 1000, y0 + 1000], [x0, y0 + 1000], [x0, y0]]
    return {
        "type": "Feature",
        "properties": {"code": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def add_estate(ws: Workspace, root: Path) -> None:
    import json

    def put(name: str, text: str) -> Path:
        path = root / name
        path.write_text(text, encoding="utf-8")
        return path

    import_areas(ws, put("areas.csv", ESTATE_AREAS))
    fc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": [_square("T1", 349000, 449000), _square("T2", 350000, 449000)],
    }
    import_boundaries(ws, put("areas.geojson", json.dumps(fc)), "code")
    assets_service.import_register(ws, put("cc-assets.csv", COUNCIL_ASSETS), "cc")
    assets_service.import_register(ws, put("trust-assets.csv", TRUST_ASSETS), "trust")
    for name, text, higher_is, counts in INDICATORS:
        column = text.split("\n")[0].split(",")[1]
        assets_service.import_indicator(
            ws,
            put(name + ".csv", text),
            name,
            column,
            source="Crafted for the tests",
            as_of="2025",
            higher_is=higher_is,
            counts=counts,
        )
    assets_service.import_targets(ws, put("ope-targets.csv", OPE_TARGETS))
    assets_service.import_pipeline(ws, put("ope-pipeline.csv", OPE_PIPELINE))


# A release published at 09:30 on 2 January 2025 (GMT: 09:30 UTC), prepared the day before.
RELEASE = "testshire-spend-2024-25"
RELEASE_PREPARED = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def add_release(ws: Workspace) -> None:
    publishing.create(
        ws,
        "Testshire spend 2024/25",
        "The partners of Testshire spent £3,250.75 in 2024/25.",
        None,
        ["headline", "group"],
        ["board"],
        "mem@testclient",
        RELEASE_PREPARED,
    )
    release_publication.schedule(ws, RELEASE, date(2025, 1, 2), RELEASE_PREPARED)


SRC = str(Path(__file__).resolve().parents[2] / "src")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(place: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``wholeplace serve`` over ``place`` on a free port, until the ``with`` ends (Ctrl+C)."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wholeplace.cli",
            "serve",
            "--workspace",
            str(place),
            "--port",
            str(port),
        ],
        env=os.environ | {"PYTHONPATH": SRC},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/published", timeout=2):
                    break
            except OSError:
                if server.poll() is not None:
                    out = server.stdout.read().decode() if server.stdout else ""
                    raise AssertionError("the server stopped: " + out) from None
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        yield server, port
    finally:
        server.send_signal(2)  # SIGINT: as Ctrl+C
        try:
            server.wait(timeout=SERVER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            # a loaded machine: the test has its answer; the server must not outlive it
            server.kill()
            server.wait()


def api_routes(routes: list[Any]) -> list[APIRoute]:
    """The app's routes, through the routers it includes (FastAPI 0.16x keeps an included
    router as one entry, holding the router's own routes)."""
    out: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append(route)
        elif hasattr(route, "original_router"):
            out.extend(api_routes(route.original_router.routes))
    return out


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of a page."""
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
