"""The pieces every browser test shares (tests/browser): the system's Chromium, started the one
way the tests start it, axe-core's WCAG 2.2 A and AA check, and signing in to the web
application. One copy, so a change to how Chromium is started or how axe is run is made once.

Waits are generous (:data:`PAGE_TIMEOUT_MS`, :data:`SERVER_START_SECONDS`): on a machine shared
by other work (``make test`` beside other jobs, a loaded CI runner) a page or the server may take
many times its usual second, and a test must then be slow, not fail. Every page made from
:func:`chromium`'s browser (``new_page``, ``new_context``) gets them; a test never sets its own.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# no sandbox: the tests run as root in a container; no background networking: nothing is
# fetched from anywhere but the page under test
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"]
AXE = Path(__file__).resolve().parents[1] / "browser" / "axe" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Playwright's own default is 30 s for every wait, click and navigation; twice that, for loaded
# machines. A test that passes waits no longer: these bound only a page that never comes.
PAGE_TIMEOUT_MS = 60_000
# how long a test server (wholeplace serve, or uvicorn in a thread) may take to answer, and to
# stop, before the test fails; polled, so a quick start costs nothing
SERVER_START_SECONDS = 60
SERVER_STOP_SECONDS = 60


def has_chromium() -> bool:
    return Path(CHROMIUM).exists()


def patient(target: Any) -> Any:
    """A page or browser context with the generous waits of :data:`PAGE_TIMEOUT_MS`."""
    target.set_default_timeout(PAGE_TIMEOUT_MS)
    target.set_default_navigation_timeout(PAGE_TIMEOUT_MS)
    return target


class PatientBrowser:
    """A Playwright browser whose new pages and contexts are :func:`patient`; everything
    else is the browser's own."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_page(self, **options: Any) -> Any:
        return patient(self._browser.new_page(**options))

    def new_context(self, **options: Any) -> Any:
        return patient(self._browser.new_context(**options))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@contextmanager
def chromium(pw: Any) -> Iterator[Any]:
    """The system's Chromium, headless, closed on the way out; its pages wait generously."""
    browser = pw.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=PAGE_TIMEOUT_MS
    )
    try:
        yield PatientBrowser(browser)
    finally:
        browser.close()


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 A and AA violations on the page, one line each (rule, help, where).

    axe is put in through the DevTools protocol, which a page's Content-Security-Policy does
    not govern, and only once per document."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return r.violations.map(v => v.id + ": " + v.help + " at "
                + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; "));
        }""",
        WCAG,
    )
    return list(found)


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    """Sign in through the form, as a person would, and land on the home page."""
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#sign-in")
    page.wait_for_url(base + "/")
