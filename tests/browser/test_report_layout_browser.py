"""Every report of the demo in a real Chromium (Playwright, the system's Chromium), at a
phone's width and in print (issue 12): the page never scrolls sideways (wide tables scroll
in their own box), the answer is shown, and the print stylesheet repeats table headers and
keeps charts whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wholeplace.demo import make_demo

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]

# assets/ and outcomes/ reports: the same base template, no answer sentence yet
NO_ANSWER_YET = {"estate.html", "outcomes.html", "outcomes-public.html"}
PHONE = {"width": 390, "height": 844}  # a common phone's CSS pixels
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    target = tmp_path_factory.mktemp("demo") / "place"
    make_demo(target)
    pages = sorted((target / "reports").glob("*.html"))
    assert len(pages) == 11  # spend, 3 alignment, estate, 2 outcomes, 3 toolkit, the index
    return pages


def test_reports_fit_a_phone_and_print_well(reports: list[Path], tmp_path: Path) -> None:
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
        )
        try:
            for size in (PHONE, DESKTOP):
                for page_file in reports:
                    page = browser.new_page(viewport=size)
                    page.goto(page_file.as_uri())
                    page.wait_for_load_state("load")
                    widths = page.evaluate(
                        "() => [document.documentElement.scrollWidth,"
                        " document.documentElement.clientWidth]"
                    )
                    # no horizontal overflow outside the table boxes
                    assert widths[0] <= widths[1], (page_file.name, size, widths)
                    if page_file.name not in NO_ANSWER_YET:
                        assert page.locator("#answer .answer").inner_text().strip(), page_file.name
                    page.screenshot(path=tmp_path / f"{page_file.stem}-{size['width']}.png")
                    page.emulate_media(media="print")
                    thead = page.evaluate(
                        "() => { const t = document.querySelector('thead');"
                        " return t ? getComputedStyle(t).display : 'table-header-group'; }"
                    )
                    assert thead == "table-header-group", page_file.name
                    chart = page.evaluate(
                        "() => { const c = document.querySelector('.chart, figure');"
                        " return c ? getComputedStyle(c).breakInside : 'avoid'; }"
                    )
                    assert chart == "avoid", page_file.name
                    page.close()
        finally:
            browser.close()
