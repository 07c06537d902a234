"""The web application in Debian's Chromium, driven by Playwright (issue 13).

A real ``wholeplace serve`` over the test place (tests/helpers/web_place.py): sign in, upload a
file with errors and see them by row, upload a good file and see the total change, the bubble
diagram and the Plotly chart drawn, the pages worked from the keyboard alone, and axe-core's
WCAG 2.2 A and AA rules on every page. Nothing is fetched from anywhere but the server.
Screenshots are kept as the run's artefacts, one folder per test (tests/browser/conftest.py:
``$WHOLEPLACE_ARTEFACTS/<test>``, else under pytest's temporary folder), with
``failure.png``, the page as it was, when a test fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from browser_kit import axe_violations, chromium, has_chromium, sign_in
from web_place import PASSWORD, build_place, served

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_chromium(), reason="Chromium is not installed"),
]

# 2024/25 before: 3,250.75 (tests/helpers/web_place.py). The good file replaces the trust's
# 2,000.25 with 2,500.00: 3,250.75 - 2,000.25 + 2,500.00 = 3,750.50.
BAD = "year,service,amount_gbp\n2024/25,NHS.ACUTE,2500.00\n2024/25,NHS.ACUTE,lots\n"
GOOD = "year,service,amount_gbp\n2024/25,NHS.ACUTE,2000.00\n2024/25,NHS.MENTAL,500.00\n"


@pytest.fixture
def site(
    tmp_path: Path, artefacts: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[str, Any, Path]]:
    sync_api = pytest.importorskip("playwright.sync_api")
    place = build_place(tmp_path)
    shots = artefacts
    with (
        served(place) as (_server, port),
        sync_api.sync_playwright() as pw,
        chromium(pw) as browser,
    ):
        page = browser.new_page()
        base = f"http://127.0.0.1:{port}"
        page.problems = []  # type: ignore[attr-defined]

        def outside(request: Any) -> None:
            if not request.url.startswith(base) and not request.url.startswith("data:"):
                page.problems.append(f"fetched {request.url}")  # type: ignore[attr-defined]

        def failed(response: Any) -> None:
            if response.status >= 400 and "/uploads/" not in response.url:
                page.problems.append(f"{response.status} {response.url}")  # type: ignore[attr-defined]

        page.on("request", outside)
        page.on("response", failed)

        def console(message: Any) -> None:
            # a page answered 4xx is logged too: the response handler judges those
            if message.type == "error" and "Failed to load resource" not in message.text:
                page.problems.append(message.text)  # type: ignore[attr-defined]

        page.on("console", console)
        page.on("pageerror", lambda e: page.problems.append(str(e)))  # type: ignore[attr-defined]
        yield base, page, shots
        report = getattr(request.node, "report_call", None)  # conftest.py keeps it
        if report is not None and report.failed:
            page.screenshot(path=str(shots / "failure.png"), full_page=True)


def test_sign_in_upload_bad_then_good_and_see_the_total_change(
    site: tuple[str, Any, Path], tmp_path: Path
) -> None:
    base, page, shots = site
    sign_in(page, base, "bob", PASSWORD)  # the trust's analyst
    assert page.inner_text("#headline-total") == "£3,250.75"
    assert page.locator("#bubbles svg circle").count() >= 2  # the bubble diagram is drawn
    page.screenshot(path=str(shots / "home.png"), full_page=True)

    bad = tmp_path / "trust bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.goto(base + "/uploads")
    page.set_input_files("#spend-file", str(bad))
    page.click("#upload-spend")
    page.wait_for_selector("#problem-table")
    rows = page.locator("#problem-table tbody tr")
    assert rows.count() == 1
    cells = rows.nth(0).locator("td").all_inner_texts()
    assert cells[0] == "trust bad.csv" and cells[2] == "3" and cells[3] == "amount_gbp"
    assert cells[4] == "lots"
    page.screenshot(path=str(shots / "upload-problems.png"), full_page=True)
    page.goto(base + "/")
    assert page.inner_text("#headline-total") == "£3,250.75"  # nothing was stored

    good = tmp_path / "trust.csv"
    good.write_text(GOOD, encoding="utf-8")
    page.goto(base + "/uploads")
    page.set_input_files("#spend-file", str(good))
    page.click("#upload-spend")
    page.wait_for_selector("#upload-result")
    assert "Imported 2 lines (£2,500.00) from trust.csv." in page.inner_text("#upload-result")
    page.goto(base + "/")
    assert page.inner_text("#headline-total") == "£3,750.50"

    page.goto(base + "/spend")
    page.wait_for_selector("#chart[data-drawn=yes] .main-svg")  # Plotly drew the chart
    page.screenshot(path=str(shots / "spend-map.png"), full_page=True)
    assert page.problems == []  # type: ignore[attr-defined]


# The council's payments of May 2024: row 3 has a bad date and a bad amount. The good file,
# 100.00 + 23.45 = 123.45, re-builds the council's 2024/25 lines from its payments: its
# 1,250.50 consolidated (its 300.00 to the trust eliminated) becomes 123.45, so the total is
# 3,250.75 - 1,250.50 + 123.45 = 2,123.70.
BAD_TX = (
    "Supplier Name,Payment Date,Net Amount,Service Area\n"
    "Acme,01/05/2024,100.00,Adult Social Care\n"
    "Beta,32/05/2024,lots,Adult Social Care\n"
)
GOOD_TX = (
    "Supplier Name,Payment Date,Net Amount,Service Area\n"
    "Acme,01/05/2024,100.00,Adult Social Care\n"
    "Beta,15/05/2024,23.45,Education\n"
)


def test_upload_transactions_bad_then_good_and_see_the_total_change(
    site: tuple[str, Any, Path], tmp_path: Path
) -> None:
    base, page, shots = site
    sign_in(page, base, "ana", PASSWORD)  # the council's analyst
    assert page.inner_text("#headline-total") == "£3,250.75"
    bad = tmp_path / "May 2024.csv"
    bad.write_text(BAD_TX, encoding="utf-8")
    page.goto(base + "/uploads")
    page.set_input_files("#transactions-file", str(bad))
    page.click("#upload-transactions")
    page.wait_for_selector("#problem-table")
    rows = page.locator("#problem-table tbody tr")
    assert rows.count() == 2
    first = rows.nth(0).locator("td").all_inner_texts()
    second = rows.nth(1).locator("td").all_inner_texts()
    assert first[0] == "May 2024.csv" and first[2:5] == ["3", "date", "32/05/2024"]
    assert second[2:5] == ["3", "amount", "lots"]
    page.screenshot(path=str(shots / "transactions-problems.png"), full_page=True)
    page.goto(base + "/")
    assert page.inner_text("#headline-total") == "£3,250.75"  # nothing was stored

    good = tmp_path / "May 2024 fixed.csv"
    good.write_text(GOOD_TX, encoding="utf-8")
    page.goto(base + "/uploads")
    page.set_input_files("#transactions-file", str(good))
    page.click("#upload-transactions")
    page.wait_for_selector("#upload-result")
    assert (
        page.inner_text("#upload-result")
        == "Imported 2 payments (£123.45) from May 2024 fixed.csv, 2024/25."
    )
    page.screenshot(path=str(shots / "transactions-imported.png"), full_page=True)
    page.goto(base + "/")
    assert page.inner_text("#headline-total") == "£2,123.70"
    page.screenshot(path=str(shots / "home-after.png"), full_page=True)
    assert sorted(p.name for p in shots.glob("*.png")) == [
        "home-after.png",
        "transactions-imported.png",
        "transactions-problems.png",
    ]
    assert page.problems == []  # type: ignore[attr-defined]


def _tab_to(page: Any, text: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_keyboard_only_and_on_a_phone(site: tuple[str, Any, Path]) -> None:
    """Sign in, follow the menu and drill down the spend map without a mouse; then the pages
    on a phone's screen."""
    base, page, _shots = site
    page.goto(base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    _tab_to(page, "Sign in")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/login")
    page.keyboard.press("Tab")  # skip link
    _tab_to(page, "")  # into the user name field (an input has no text)
    assert page.evaluate("document.activeElement.id") == "username"
    page.keyboard.type("mem")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")
    _tab_to(page, "Spend map")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/spend")
    _tab_to(page, "NHS")
    page.keyboard.press("Enter")
    page.wait_for_url("**/spend?year=2024/25&group=NHS")
    assert "£2,000.25 spent by NHS" in page.inner_text("#drill-total")
    # the focused element is visibly marked (GOV.UK's yellow focus state)
    _tab_to(page, "Testshire Hospitals NHS Trust")
    colour = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert colour == "rgb(255, 221, 0)"
    # on a phone: nothing wider than the screen (wide tables scroll inside themselves)
    page.set_viewport_size({"width": 360, "height": 740})
    for path in (
        "/",
        "/spend",
        "/spend?partner=cc",
        "/spend/reconciliation",
        "/estate",
        "/areas",
        "/areas/T1",
        "/api/docs",
    ):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
    # on a phone the menu is folded behind one button, so a page starts with its content
    # (15 links took the first 550 px of every page); the keyboard opens it
    page.goto(base + "/")
    menu = page.locator("button.govuk-service-navigation__toggle")
    spend_link = page.locator("#navigation a", has_text="Spend map")
    assert menu.is_visible() and not spend_link.is_visible()
    assert page.locator("h1").bounding_box()["y"] < 300  # type: ignore[index]
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true" and spend_link.is_visible()
    page.set_viewport_size({"width": 1024, "height": 740})
    menu.wait_for(state="hidden")  # GOV.UK Frontend hears the width change after the resize
    assert spend_link.is_visible()
    assert page.problems == []  # type: ignore[attr-defined]


PAGES = (
    "/",
    "/published",
    "/spend",
    "/spend?group=NHS",
    "/spend?partner=cc",
    "/spend/reconciliation",
    "/framework",
    "/governance",
    "/objectives",
    "/suppliers",
    "/uploads",
    "/partners/cc/lines",
    "/audit",
    "/users",
    "/publishing",
    "/publishing/testshire-spend-2024-25",
    "/published/testshire-spend-2024-25",
    "/appraisals",
    "/appraisals/edit",
    "/sharing",
    "/estate",
    "/areas",
    "/areas?indicator=rough_sleepers&classes=natural-breaks",
    "/areas/T1",
    "/api/docs",
)


def test_every_page_passes_axe_wcag_22_aa(site: tuple[str, Any, Path], tmp_path: Path) -> None:
    base, page, _shots = site
    found: dict[str, list[str]] = {}
    page.goto(base + "/login")
    found["/login"] = axe_violations(page)
    page.fill("#username", "admin")
    page.fill("#password", "wrong password")
    page.click("#sign-in")
    found["/login (failed)"] = axe_violations(page)
    sign_in(page, base, "admin", PASSWORD)
    for path in PAGES:
        page.goto(base + path)
        if path in ("/spend", "/estate"):
            page.wait_for_selector("#chart[data-drawn=yes] .main-svg")
        found[path] = axe_violations(page)
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.goto(base + "/uploads")
    page.select_option("#spend-partner", "trust")
    page.set_input_files("#spend-file", str(bad))
    page.click("#upload-spend")
    page.wait_for_selector("#problem-table")
    found["/uploads (problems)"] = axe_violations(page)
    data = resources.files("wholeplace") / "data"
    for path, field, example, button in (
        (
            "/appraisals",
            "#appraisal-file",
            data / "cba" / "example_appraisal.yaml",
            "#run-appraisal",
        ),
        ("/sharing", "#sharing-file", data / "sharing" / "pool_example.yaml", "#run-sharing"),
    ):
        copy = tmp_path / example.name
        copy.write_bytes(example.read_bytes())
        page.goto(base + path)
        page.set_input_files(field, str(copy))
        page.click(button)
        page.wait_for_selector("#appraisal-headline, #sharing-result")
        found[path + " (result)"] = axe_violations(page)
    assert {k: v for k, v in found.items() if v} == {}
