"""The pages and their JSON, on the small place of conftest.py (totals added by hand there).

Imported 3,550.75 = consolidated 3,250.75 + eliminated 300.00 (the council's payment to the
trust); Local government 1,250.50 (1,000.00 + 250.50), NHS 2,000.25.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_place import sign_in

from wholeplace.cli import app as cli
from wholeplace.spend import service as spend_service
from wholeplace.web import Place


def test_public_home_shows_no_figures_and_offers_sign_in(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "3,250.75" not in r.text and "<svg" not in r.text
    assert 'href="/login"' in r.text
    assert 'href="/spend"' not in r.text  # no link to what the public may not see


def test_home_has_headline_total_bubbles_and_links(client: TestClient) -> None:
    sign_in(client, "board")
    r = client.get("/")
    assert r.status_code == 200
    assert '<p class="govuk-heading-xl" id="headline-total">£3,250.75</p>' in r.text
    assert "after taking out £300.00 paid between partners" in r.text
    assert '<svg id="bubbles"' in r.text or 'id="bubbles"' in r.text
    assert "Testshire Hospitals NHS Trust" in r.text  # a bubble's label
    for href in ("/spend", "/spend/reconciliation", "/api/docs"):
        assert f'href="{href}"' in r.text


def test_spend_map_drills_down_group_partner_service(client: TestClient) -> None:
    sign_in(client, "mem")
    top = client.get("/api/spend/drill").json()
    assert top["by"] == "group" and top["total_gbp"] == "3250.75"
    assert [(r["key"], r["amount_gbp"]) for r in top["rows"]] == [
        ("NHS", "2000.25"),
        ("Local government", "1250.50"),
    ]
    group = client.get("/api/spend/drill", params={"group": "Local government"}).json()
    assert group["by"] == "partner"
    assert [(r["key"], r["amount_gbp"]) for r in group["rows"]] == [("cc", "1250.50")]
    partner = client.get("/api/spend/drill", params={"partner": "cc"}).json()
    assert partner["by"] == "service" and partner["group"] == "Local government"
    assert [(r["key"], r["amount_gbp"]) for r in partner["rows"]] == [
        ("ASC", "1000.00"),
        ("CSC", "250.50"),
    ]
    page = client.get("/spend", params={"partner": "cc"})
    assert page.status_code == 200
    assert "£1,250.50 spent by Testshire County Council in 2024/25" in page.text
    assert "Adult social care" in page.text
    # the links down from the top level
    assert 'href="/spend?year=2024/25&group=NHS"' in client.get("/spend").text


def test_spend_map_filters_by_customer_group(client: TestClient) -> None:
    sign_in(client, "mem")
    # Older people: the council's 1,000.00 (its 300.00 to the trust is eliminated) and the
    # trust's 2,000.25
    d = client.get("/api/spend/drill", params={"customer_group": "Older people"}).json()
    assert d["total_gbp"] == "3000.25"
    page = client.get("/spend", params={"customer_group": "Older people"})
    assert "£3,000.25 spent in Testshire in 2024/25, for Older people" in page.text
    bad = client.get("/spend", params={"customer_group": "Nobody"})
    assert bad.status_code == 400 and "There is no customer group" in bad.text


def test_reconciliation_page(client: TestClient) -> None:
    sign_in(client, "board")
    r = client.get("/spend/reconciliation")
    assert r.status_code == 200
    text = " ".join(r.text.split())
    assert "imported £3,550.75 = consolidated £3,250.75 + eliminated £300.00" in text
    assert "holds" in text
    assert 'Testshire County Council</td><td class="govuk-table__cell">Testshire Hospitals' in text


def test_api_spend_map_is_the_cli_json(client: TestClient, place_dir: Path) -> None:
    sign_in(client, "mem")
    api = client.get("/api/spend/map", params={"by": "partner"}).json()
    # The server holds the place in this process; the CLI's read goes through the same
    # database (workspace._connect), as a second program's would through the server.
    run = CliRunner().invoke(
        cli, ["spend", "map", "--by", "partner", "--json", "--workspace", str(place_dir)]
    )
    assert run.exit_code == 0, run.output
    assert api == json.loads(run.stdout)
    assert api["total_gbp"] == "3250.75"


def test_api_docs_and_openapi(client: TestClient) -> None:
    r = client.get("/api/docs")
    assert r.status_code == 200 and "/api/spend/map" in r.text
    spec = client.get("/api/openapi.json").json()
    assert spec["paths"]["/api/spend/map"]["get"]["x-permission"] == "dashboards"


def test_static_assets_are_served_from_the_package(client: TestClient) -> None:
    for name in ("govuk-frontend.min.css", "plotly.min.js", "htmx.min.js", "wholeplace.js"):
        assert client.get(f"/static/{name}").status_code == 200
    page = client.get("/").text
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page.replace("https://www.w3.org", "")


def test_pages_send_security_headers(client: TestClient) -> None:
    r = client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"
    assert "<script>" not in r.text  # no inline script


def test_build_maps_is_build_map_for_each_view(app_place: Place) -> None:
    """The home page's maps come from one consolidation of several views: the same maps as
    one consolidation per view."""
    with app_place.read() as ws:
        views = ("group", "partner", "service", "customer_group")
        together = spend_service.build_maps(ws, "2024/25", views)
        for by in views:
            assert together[by].to_json() == spend_service.build_map(ws, "2024/25", by).to_json()
