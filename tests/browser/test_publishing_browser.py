"""Publishing in Debian's Chromium (issue 13): a partnership member prepares a release,
names the pre-release list and schedules it for 09:30; signed out, it cannot be read until
then, and at 09:30 it can, with its figures and chart; axe-core finds no WCAG 2.2 A or AA
violation on the publishing pages.

The server runs in this process (uvicorn in a thread) over the test place, so that the
test sets its clock: the time is never read from the machine.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from browser_kit import (
    SERVER_START_SECONDS,
    SERVER_STOP_SECONDS,
    axe_violations,
    chromium,
    has_chromium,
    sign_in,
)
from release_place import PUBLISHED, build_release_place
from release_place import RELEASE as FIGURES_RELEASE
from web_place import PASSWORD, Clock, build_place, free_port

from wholeplace.web import Place, create_app

RELEASE = "spend-in-testshire-2024-25"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_chromium(), reason="Chromium is not installed"),
]


@pytest.fixture
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Any, Path, Clock]]:
    """The server over the test place (or the place a test names by indirect parameter)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    import uvicorn

    build = getattr(request, "param", build_place)
    clock = Clock(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    place = Place.open(build(tmp_path), clock=clock)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(place), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    shots = Path(os.environ.get("WHOLEPLACE_ARTEFACTS", tmp_path / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        with sync_api.sync_playwright() as pw, chromium(pw) as browser:
            page = browser.new_page()
            base = f"http://127.0.0.1:{port}"
            page.problems = []  # type: ignore[attr-defined]

            def outside(request: Any) -> None:
                if not request.url.startswith(base) and not request.url.startswith("data:"):
                    page.problems.append(f"fetched {request.url}")  # type: ignore[attr-defined]

            page.on("request", outside)
            page.on("pageerror", lambda e: page.problems.append(str(e)))  # type: ignore[attr-defined]
            yield base, page, shots, clock
    finally:
        server.should_exit = True
        thread.join(timeout=SERVER_STOP_SECONDS)
        place.close()


def test_publish_a_release_and_read_it_signed_out(
    site: tuple[str, Any, Path, Clock],
) -> None:
    base, page, shots, clock = site
    found: dict[str, list[str]] = {}
    sign_in(page, base, "mem", PASSWORD)
    page.click("text=Publishing")
    page.wait_for_url(base + "/publishing")
    found["/publishing"] = axe_violations(page)
    page.fill("#release-title-field", "Spend in Testshire 2024/25")
    page.fill("#release-summary-field", "The partners of Testshire spent £3,250.75 in 2024/25.")
    page.check("#item-headline")
    page.check("#item-group")
    page.check("input[name=pre_release][value=board]")
    page.click("#create-release")
    page.wait_for_url(f"{base}/publishing/{RELEASE}")
    page.fill("#publish-on", "2026-12-01")
    page.click("#schedule")
    page.wait_for_url(f"{base}/publishing/{RELEASE}")
    state = " ".join(page.inner_text("#release-state").split())
    assert "Version 1: scheduled, to be published at 09:30 on 1 December 2026" in state
    assert "pre-release access from 09:30 on 30 November 2026" in state
    assert "Pre-release list: board." in state
    found[f"/publishing/{RELEASE}"] = axe_violations(page)
    page.screenshot(path=str(shots / "publishing-scheduled.png"), full_page=True)

    page.click("text=Sign out")
    page.wait_for_url(base + "/")
    response = page.goto(f"{base}/published/{RELEASE}")
    assert response.status == 404  # not yet: nothing tells it exists
    assert "There is no published release here." in page.inner_text("main")

    clock.at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # 09:30 in London (GMT)
    page.goto(base + "/published")
    found["/published"] = axe_violations(page)
    page.click("text=Spend in Testshire 2024/25")
    page.wait_for_url(f"{base}/published/{RELEASE}")
    assert page.inner_text("#release-title") == "Spend in Testshire 2024/25"
    assert "Published 09:30 on 1 December 2026." in page.inner_text("#release-status")
    assert page.inner_text("#release-total strong") == "£3,250.75"
    table = page.inner_text("#section-group")
    assert "£2,000.25" in table and "£1,250.50" in table
    page.wait_for_selector("#chart[data-drawn=yes] .main-svg")  # Plotly drew the figures
    found[f"/published/{RELEASE}"] = axe_violations(page)
    page.screenshot(path=str(shots / "published-release.png"), full_page=True)
    assert {k: v for k, v in found.items() if v} == {}
    assert page.problems == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("site", [build_release_place], indirect=True)
def test_a_release_of_outcomes_and_areas_reads_and_passes_axe(
    site: tuple[str, Any, Path, Clock],
) -> None:
    """The release of tests/web/test_web_release_figures.py, read signed out once published:
    its tables, the chart of spend per head and the CSV link, with no WCAG 2.2 A or AA
    violation."""
    base, page, shots, clock = site
    clock.at = PUBLISHED
    page.goto(f"{base}/published/{FIGURES_RELEASE}")
    page.wait_for_selector("#chart[data-drawn=yes] .main-svg")
    areas = page.inner_text("#release-table-areas")
    assert "Testshire 001C (T3)" in areas and "<5" in areas
    assert "Emergency admissions" in page.inner_text("#release-table-outcomes")
    assert page.get_attribute("#release-download a", "href") == (
        f"/published/{FIGURES_RELEASE}/1/figures.csv"
    )
    page.screenshot(path=str(shots / "release-outcomes-areas.png"), full_page=True)
    assert axe_violations(page) == []
    assert page.problems == []  # type: ignore[attr-defined]
