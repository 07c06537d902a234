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

PHONE = {"width": 390, "height": 844}  # a common phone's CSS pixels
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    target = tmp_path_factory.mktemp("demo") / "place"
    make_demo(target)
    pages = sorted((target / "reports").glob("*.html"))
    # spend, 3 alignment, estate, area profiles, 2 outcomes, 7 toolkit (appraisal, its
    # sensitivity and simulation, gain-share, pool, PbR claim, recharges), the index
    assert len(pages) == 16
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


AXE = Path(__file__).with_name("axe") / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def test_every_report_passes_axe_wcag_22_aa(reports: list[Path]) -> None:
    """axe-core (tests/browser/axe, vendored) finds no WCAG 2.2 A or AA violation on any
    report of the demo, the index included, with its charts drawn."""
    found: dict[str, list[str]] = {}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
        )
        try:
            for page_file in reports:
                page = browser.new_page(viewport=DESKTOP)
                page.goto(page_file.as_uri())
                page.wait_for_load_state("load")
                page.evaluate(AXE.read_text(encoding="utf-8"))
                found[page_file.name] = page.evaluate(
                    """async (tags) => {
                        const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                        return r.violations.map(v => v.id + ": " + v.help + " at "
                            + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; "));
                    }""",
                    WCAG,
                )
                page.close()
        finally:
            browser.close()
    assert {k: v for k, v in found.items() if v} == {}
