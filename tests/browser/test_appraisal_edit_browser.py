"""Editing an appraisal in Debian's Chromium (issue 13): open a file into the editor, change a
cost, run it and see the present value of costs change, then put a wrong value in and see
it in the problem table with its field marked.

The appraisal (tests/web/test_web_appraisal_edit.py works it by hand): two years at 25 %, a
cost of 1,000 then 500 at grade 1 (no optimism bias): PV of costs 1,000 + 500 / 1.25 =
1,400.00; the year-1 cost changed to 750: 1,000 + 750 / 1.25 = 1,600.00.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_kit import chromium, has_chromium
from web_place import PASSWORD, build_place, served

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_chromium(), reason="Chromium is not installed"),
]

HAND = """appraisal:
  name: Hand worked
  price_year: 2015/16
  start_year: 2015/16
  years: 2
  discount_rate: 0.25
  optimism_bias: [0, 0.1, 0.2, 0.3, 0.4, 0.5]
costs:
  - {description: Council team, agency: Council, type: revenue, confidence: 1, amounts: [1000, 500]}
outcomes:
  - {description: Wellbeing, value: 30, value_type: social, cohort: [0, 10], success: 1,
     confidence: 1}
"""


def _pv_costs(page: Any) -> str:
    row = page.locator("#appraisal-headline tr", has_text="Present value of costs")
    return str(row.locator("td").inner_text()).strip()


def test_edit_a_cost_run_it_and_see_the_figure_change(tmp_path: Path, artefacts: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    place = build_place(tmp_path / "place")
    hand = tmp_path / "hand.yaml"
    hand.write_text(HAND, encoding="utf-8")
    with (
        served(place) as (_server, port),
        sync_api.sync_playwright() as pw,
        chromium(pw) as browser,
    ):
        page = browser.new_page()
        base = f"http://127.0.0.1:{port}"
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "/login")
        page.fill("#username", "mem")
        page.fill("#password", PASSWORD)
        page.click("#sign-in")
        page.wait_for_url(base + "/")
        page.goto(base + "/appraisals")
        page.set_input_files("#open-file", str(hand))
        page.click("#open-appraisal")
        page.wait_for_selector("#appraisal-headline")
        assert _pv_costs(page) == "£1,400.00"
        assert page.input_value("#c-0-amounts") == "1000, 500"
        page.fill("#c-0-amounts", "1000, 750")
        page.click("#edit-run")
        page.wait_for_selector("#appraisal-headline")
        assert _pv_costs(page) == "£1,600.00"
        assert page.input_value("#c-0-amounts") == "1000, 750"
        page.screenshot(path=str(artefacts / "edited.png"), full_page=True)
        page.fill("#c-0-amounts", "1000, lots")
        page.click("#edit-run")
        page.wait_for_selector("#problem-table")
        row = page.locator("#problem-table tbody tr").first
        assert row.locator("td").all_inner_texts()[1:5] == [
            "Costs",
            "1",
            "costs[0].amounts[1]",
            "lots",
        ]
        assert "govuk-input--error" in (page.get_attribute("#c-0-amounts", "class") or "")
        with page.expect_download() as download:
            page.fill("#c-0-amounts", "1000, 750")
            page.click("#edit-report-xlsx")
        assert download.value.suggested_filename == "hand-report.xlsx"
        assert errors == []
