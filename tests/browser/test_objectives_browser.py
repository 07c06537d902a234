"""The shared objectives page in Debian's Chromium (issue 13): a member signs in to a real
``wholeplace serve`` over the test place, uploads the customer groups and objectives through
the forms, takes the groups the spend map names, sees the hand-computed figures
(tests/web/test_web_objectives.py works them) and the stacked chart drawn, and axe-core finds
no WCAG 2.2 A or AA violation on the page, with a bad upload's problem table, after the
groups from the spend, and with the analysis; on a phone's screen nothing is wider than the
screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import axe_violations, chromium, has_chromium, sign_in
from objectives_files import GROUPS, OBJECTIVES, SENTENCE
from web_place import PASSWORD, build_place, served

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_chromium(), reason="Chromium is not installed"),
]

BAD = (
    "partner,objective,customer_group,outcome,direction,target,measure\n"
    "nosuch,Help older people stay at home,Older people,Admissions,reduce,,per 1000\n"
)


@pytest.fixture
def site(tmp_path: Path, artefacts: Path) -> Iterator[tuple[str, Any, Path]]:
    sync_api = pytest.importorskip("playwright.sync_api")
    place = build_place(tmp_path)
    with (
        served(place) as (_server, port),
        sync_api.sync_playwright() as pw,
        chromium(pw) as browser,
    ):
        page = browser.new_page()
        base = f"http://127.0.0.1:{port}"
        problems: list[str] = []
        page.on(
            "request",
            lambda r: None if r.url.startswith((base, "data:")) else problems.append(r.url),
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.problems = problems  # type: ignore[attr-defined]
        try:
            yield base, page, artefacts
        except BaseException:
            page.screenshot(path=str(artefacts / "failure.png"), full_page=True)
            raise


def _upload(page: Any, field: str, button: str, path: Path) -> None:
    page.set_input_files(field, str(path))
    page.click(button)
    page.wait_for_load_state()


def test_upload_see_the_figures_and_chart_and_pass_axe(
    site: tuple[str, Any, Path], tmp_path: Path
) -> None:
    base, page, shots = site
    sign_in(page, base, "mem", PASSWORD)
    page.click("text=Objectives")
    page.wait_for_url(base + "/objectives")
    found = {"/objectives (empty)": axe_violations(page)}
    files = {}
    for name, text in (("groups.csv", GROUPS), ("objectives.csv", OBJECTIVES), ("bad.csv", BAD)):
        files[name] = tmp_path / name
        files[name].write_text(text, encoding="utf-8")
    _upload(page, "#groups-file", "#upload-groups", files["groups.csv"])
    assert "2 added, 0 replaced" in page.inner_text("#upload-result")
    # the groups the spend map names: both already answered by the file's groups
    page.select_option("#from-spend-year", "2024/25")
    page.click("#groups-from-spend-button")
    page.wait_for_load_state()
    assert page.inner_text("#upload-result") == (
        "Customer groups from spend map 2024/25: 0 added, 0 replaced."
    )
    found["/objectives (groups from spend)"] = axe_violations(page)
    _upload(page, "#objectives-file", "#upload-objectives", files["bad.csv"])
    page.wait_for_selector("#problem-table")
    assert "nosuch" in page.inner_text("#problem-table")
    found["/objectives (problems)"] = axe_violations(page)
    page.screenshot(path=str(shots / "objectives-problems.png"), full_page=True)
    _upload(page, "#objectives-file", "#upload-objectives", files["objectives.csv"])
    assert "Imported 3 objectives" in page.inner_text("#upload-result")
    page.goto(base + "/objectives?year=2024/25")
    assert " ".join(page.inner_text("#objectives-spend").split()) == SENTENCE
    table = page.inner_text("#objectives-spend-table")
    assert "£3,000.25" in table and "£250.50" in table and "£3,250.75" in table
    page.wait_for_selector("#chart[data-drawn=yes] .main-svg")
    # two partners stacked: a bar trace for each, with its legend entry
    assert page.locator("#chart .trace.bars").count() == 2
    assert page.locator("#chart .legendtext").count() == 2
    page.screenshot(path=str(shots / "objectives.png"), full_page=True)
    found["/objectives"] = axe_violations(page)
    assert {k: v for k, v in found.items() if v} == {}
    # on a phone: nothing wider than the screen (the wide tables scroll inside themselves)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(base + "/objectives")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.problems == []  # type: ignore[attr-defined]
