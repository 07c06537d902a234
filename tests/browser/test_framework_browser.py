"""Answering the self-assessment in Debian's Chromium (issue 13): a partner analyst signs in,
answers two statements (one from the keyboard alone, one with the mouse) and sees their
partner's score and the partnership's change; axe-core finds no WCAG 2.2 A or AA violation
on the self-assessment's pages (with a problem table too), and none is wider than a phone.

The hand calculation: the ICB's partly met on SW-DA-1 (1 of 2 points) is there before. The
county council's analyst answers SW-DA-1 met: the council 2 of 2, 100.0 %; the partnership
2 + 1 = 3 of 4, 75.0 %. Then SW-DA-2 not met: the council 2 of 4, 50.0 %; the partnership
3 of 6, 50.0 %.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import axe_violations, chromium, has_chromium, sign_in
from framework_helpers import add_three
from web_place import PASSWORD, free_port

from wholeplace.framework import service
from wholeplace.web import Place, create_app
from wholeplace.web.users import add_user
from wholeplace.workspace import Workspace

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_chromium(), reason="Chromium is not installed"),
]


@pytest.fixture
def site(tmp_path: Path, artefacts: Path) -> Iterator[tuple[str, Any]]:
    sync_api = pytest.importorskip("playwright.sync_api")
    import uvicorn

    folder = tmp_path / "vale"
    with Workspace.create(folder, "Valeshire") as ws:
        add_three(ws)
        add_user(ws, "vana", "partner analyst", PASSWORD, "vale")
        add_user(ws, "mem", "partnership member", PASSWORD)
        service.start_assessment(ws, "2025/26")
        service.answer(ws, "icb", "SW-DA-1", "partly met")
    place = Place.open(folder)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(place), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        with sync_api.sync_playwright() as pw, chromium(pw) as browser:
            page = browser.new_page()
            page.problems = []  # type: ignore[attr-defined]
            page.on("pageerror", lambda e: page.problems.append(str(e)))  # type: ignore[attr-defined]
            yield f"http://127.0.0.1:{port}", page
            page.screenshot(path=str(artefacts / "framework-answers.png"), full_page=True)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        place.close()


def _scores(page: Any) -> tuple[str, str]:
    return (
        " ".join(page.inner_text("#partner-score").split()),
        " ".join(page.inner_text("#partnership-score").split()),
    )


def test_an_analyst_answers_two_statements_and_the_scores_change(site: tuple[str, Any]) -> None:
    base, page = site
    sign_in(page, base, "vana", PASSWORD)
    page.goto(base + "/framework/answers")
    assert _scores(page) == ("–", "50.0% (1 of 2 points)")
    assert axe_violations(page) == []
    # SW-DA-1 from the keyboard alone: focus the first answer, choose it, tab to Save
    page.focus("#SW-DA-1-1")
    page.keyboard.press("Space")
    assert page.is_checked("#SW-DA-1-1")
    page.keyboard.press("Tab")  # the evidence field (radios are one tab stop)
    page.keyboard.type("spend-2024-25.html")
    page.keyboard.press("Tab")  # the note
    page.keyboard.press("Tab")  # Save
    assert page.evaluate("document.activeElement.id") == "SW-DA-1-save"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.inner_text("#saved").startswith("Your answer to SW-DA-1")
    assert _scores(page) == ("100.0% (2 of 2 points)", "75.0% (3 of 4 points)")
    assert page.input_value("#SW-DA-1-evidence") == "spend-2024-25.html"
    # SW-DA-2 with the mouse: not met
    page.click("label[for='SW-DA-2-3']")
    with page.expect_navigation():
        page.click("#SW-DA-2-save")
    assert _scores(page) == ("50.0% (2 of 4 points)", "50.0% (3 of 6 points)")
    assert axe_violations(page) == []
    # saving with no answer chosen: the problem table, nothing saved, still accessible
    with page.expect_navigation():
        page.click("#SW-DA-3-save")
    assert "not an answer" in page.inner_text("#problem-table")
    assert _scores(page) == ("50.0% (2 of 4 points)", "50.0% (3 of 6 points)")
    assert axe_violations(page) == []
    paths = (
        "/framework",
        "/framework/assessments",
        "/framework/disagreements",
        "/framework/plan",
        "/framework/progress",
    )
    for path in paths:
        page.goto(base + path)
        assert axe_violations(page) == [], path
    # a member's pages have the forms: start an assessment, set the plan
    sign_in(page, base, "mem", PASSWORD)
    for path in ("/framework/assessments", "/framework/plan", "/framework/answers?partner=icb"):
        page.goto(base + path)
        assert axe_violations(page) == [], path
    page.set_viewport_size({"width": 360, "height": 740})
    for path in (*paths, "/framework/answers?partner=icb"):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
    assert page.problems == []  # type: ignore[attr-defined]
