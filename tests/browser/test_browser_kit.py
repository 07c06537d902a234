"""The browser tests' shared waits (tests/helpers/browser_kit.py): every page and context made
from ``chromium``'s browser waits PAGE_TIMEOUT_MS, and no browser test starts Chromium its own
way (it would miss them). Runs without Chromium: a stand-in browser records what is set."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from browser_kit import PAGE_TIMEOUT_MS, SERVER_START_SECONDS, chromium

HERE = Path(__file__).resolve().parent


class _Target:
    def __init__(self) -> None:
        self.timeouts: dict[str, float] = {}

    def set_default_timeout(self, ms: float) -> None:
        self.timeouts["default"] = ms

    def set_default_navigation_timeout(self, ms: float) -> None:
        self.timeouts["navigation"] = ms


class _Browser:
    closed = False
    version = "stand-in"

    def new_page(self, **options: Any) -> _Target:
        return _Target()

    def new_context(self, **options: Any) -> _Target:
        return _Target()

    def close(self) -> None:
        self.closed = True


class _Playwright:
    def __init__(self) -> None:
        self.browser = _Browser()
        self.launched: dict[str, Any] = {}
        self.chromium = self

    def launch(self, **options: Any) -> _Browser:
        self.launched = options
        return self.browser


def test_every_page_and_context_waits_generously() -> None:
    pw = _Playwright()
    with chromium(pw) as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        context = browser.new_context()
        assert browser.version == "stand-in"  # the rest is the browser's own
    generous = {"default": PAGE_TIMEOUT_MS, "navigation": PAGE_TIMEOUT_MS}
    assert page.timeouts == generous and context.timeouts == generous
    assert PAGE_TIMEOUT_MS >= 60_000 and SERVER_START_SECONDS >= 60
    assert pw.launched["timeout"] == PAGE_TIMEOUT_MS
    assert pw.browser.closed


def test_no_browser_test_starts_chromium_its_own_way() -> None:
    own = [
        p.name
        for p in sorted(HERE.glob("test_*.py"))
        if re.search(r"\.chromium\.launch\(|set_default_(navigation_)?timeout\(", p.read_text())
        and p.name != Path(__file__).name
    ]
    assert own == []
