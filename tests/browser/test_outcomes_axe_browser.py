"""The outcomes reports, public and inside, checked by axe-core in headless Chromium: no WCAG
2.2 A or AA violation, with every section drawn (trend charts with the old trend's bands,
gross and net beside the difference in differences, SROI, budget)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_kit import axe_violations, chromium, has_chromium
from outcomes_example import cli, cli_json, make_example

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_chromium(), reason="Chromium is not installed"),
]


@pytest.mark.parametrize("public", [True, False])
def test_the_outcomes_report_passes_axe_wcag_22_aa(tmp_path: Path, public: bool) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    w, folder = make_example(tmp_path)
    assert cli("areas", "import", str(folder / "areas.csv"), "-w", w).exit_code == 0
    cli_json("outcomes", "import-budget", str(folder / "budget.csv"), "-w", w)
    for name in ("data", "history", "comparison"):
        cli_json("outcomes", "import-data", str(folder / f"{name}.csv"), "--dataset", name, "-w", w)
        cli_json("outcomes", "review", name, "--by", "A. Patel", "-w", w)
        cli_json("outcomes", "approve", name, "--by", "J. Smith", "--exception", "x", "-w", w)
    out = folder / ("public.html" if public else "inside.html")
    args = ["outcomes", "report", "--out", str(out), "-w", w] + (["--public"] if public else [])
    assert cli(*args).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "turned the curve" in html and "Difference in differences" in html
    with sync_api.sync_playwright() as pw, chromium(pw) as browser:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(out.as_uri())
        page.wait_for_selector(".main-svg")
        assert axe_violations(page) == []
        assert errors == []
