"""The governance register in Debian's Chromium (issue 13): a partnership member signs in,
follows the menu to Governance, uploads a register with problems and sees them by row, uploads
the register of docs/web.md, checks it on 30 November 2026 through the date field and reads
the answer (F2 has no current agreement) and the risk heat maps; axe-core finds no WCAG 2.2 A
or AA violation on each state of the page, and nothing is wider than a 360-pixel phone
screen."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from browser_kit import axe_violations, chromium, has_chromium, sign_in
from governance_place import REGISTER, build_governance_place
from web_place import PASSWORD, free_port

from wholeplace.web import Place, create_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_chromium(), reason="Chromium is not installed"),
]


def test_upload_and_check_the_register_passes_axe(tmp_path: Path, artefacts: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    import uvicorn

    folder = build_governance_place(tmp_path)
    good = tmp_path / "governance.yaml"
    good.write_text(REGISTER, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace("parties: [trust, cc]", "parties: [nhs, cc]"))
    place = Place.open(folder)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(place), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    found: dict[str, list[str]] = {}
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_api.sync_playwright() as pw, chromium(pw) as browser:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            sign_in(page, base, "mem", PASSWORD)
            page.click("text=Governance")
            page.wait_for_url(base + "/governance")
            assert "No governance register has been imported yet" in page.inner_text(
                "#governance-answer"
            )
            found["empty"] = axe_violations(page)

            page.set_input_files("#governance-file", str(bad))
            page.click("#upload-governance")
            page.wait_for_selector("#problem-table")
            problems = page.inner_text("#problem-table")
            assert "parties" in problems and "nhs" in problems
            found["problems"] = axe_violations(page)

            page.set_input_files("#governance-file", str(good))
            page.click("#upload-governance")
            page.wait_for_selector("#governance-done")
            assert "3 data flows, 3 agreements" in page.inner_text("#governance-done")
            found["uploaded"] = axe_violations(page)

            page.fill("#as-of", "2026-11-30")
            page.click("#check")
            page.wait_for_url("**/governance?as_of=2026-11-30")
            assert page.inner_text("#governance-answer") == (
                "1 of 3 flows of data has no current agreement that covers it on "
                "30 November 2026: F2."
            )
            assert "Testshire Police" in page.inner_text("#flows-without-agreement")
            assert "Expired" in page.inner_text("#governance-agreements")
            # the two risk heat maps, in words as well as colour (axe runs over them below)
            assert "2 risks" in page.inner_text("#heat-residual")
            assert "very high (16): R1" in page.inner_text("#heat-inherent")
            # very high is 15 to 25: 3 x 5, 5 x 3, 4 x 4, 4 x 5, 5 x 4 and 5 x 5, six cells
            assert page.locator("#heat-inherent td.wp-band-very-high").count() == 6
            page.screenshot(path=str(artefacts / "governance.png"), full_page=True)
            found["checked"] = axe_violations(page)

            page.set_viewport_size({"width": 360, "height": 740})
            page.reload()
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            assert errors == []
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        place.close()
    assert {k: v for k, v in found.items() if v} == {}
