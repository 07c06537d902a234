"""Long partner names in the charts of the appraisal, gain-share and pool reports on a phone
(review of issue 13): at 390 CSS pixels a 40-character name in a chart's legend or on its axis
is shown whole, in lines within the screen, not cut by the chart's edge.

The shared chart finish (``wholeplace.reports.charts.finish``) breaks a legend entry or a
category axis's label longer than ``NAME_LINE`` characters between words; the page is drawn
by the system's Chromium and each label's text and box are read from the drawn SVG.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from browser_kit import chromium, has_chromium

from wholeplace import sharing
from wholeplace.cba import service as cba_service

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_chromium(), reason="Chromium is not installed"),
]

PHONE = {"width": 390, "height": 844}
NAMES = (
    "Mid and South Essex NHS Foundation Trust",  # 40 characters
    "Lancashire Teaching Hospitals NHS Foundation Trust",  # 50: a real trust's name
)
DATA = Path(str(resources.files("wholeplace") / "data"))

# Every label of the drawn charts (legend entries, axis ticks) that holds part of NAME:
# its text (lines joined by a space) and its box on the screen.
LABELS = """(part) => {
  const out = [];
  for (const el of document.querySelectorAll(".js-plotly-plot .legendtext, "
      + ".js-plotly-plot .xtick text, .js-plotly-plot .ytick text")) {
    const lines = el.querySelectorAll("tspan.line");
    const text = lines.length
      ? Array.from(lines).map((t) => t.textContent.trim()).join(" ")
      : el.textContent.trim();
    if (!text.includes(part)) continue;
    const r = el.getBoundingClientRect();
    const chart = el.closest(".js-plotly-plot").getBoundingClientRect();
    out.push({text, left: r.left, right: r.right, chartLeft: chart.left,
              chartRight: chart.right, kind: el.getAttribute("class") || "tick"});
  }
  return out;
}"""


def _reports(folder: Path, name: str) -> dict[str, Path]:
    pool = (DATA / "sharing" / "pool_example.yaml").read_text(encoding="utf-8")
    assert "icb: NHS Integrated Care Board" in pool
    (folder / "pool.yaml").write_text(
        pool.replace("icb: NHS Integrated Care Board", f"icb: {name}"), encoding="utf-8"
    )
    gain = (DATA / "sharing" / "gainshare_example.yaml").read_text(encoding="utf-8")
    assert "name: NHS\n" in gain
    (folder / "gainshare.yaml").write_text(
        gain.replace("name: NHS\n", f"name: {name}\n"), encoding="utf-8"
    )
    appraisal = (DATA / "cba" / "example_appraisal.yaml").read_text(encoding="utf-8")
    assert "agency: DWP\n" in appraisal
    (folder / "appraisal.yaml").write_text(
        appraisal.replace("agency: DWP\n", f"agency: {name}\n"), encoding="utf-8"
    )
    out = {
        "pool": sharing.write_report(sharing.pool(folder / "pool.yaml"), folder / "pool.html"),
        "gainshare": sharing.write_report(
            sharing.gainshare(folder / "gainshare.yaml"), folder / "gainshare.html"
        ),
    }
    run = cba_service.run(folder / "appraisal.yaml", None, folder / "appraisal.html", draws=200)
    assert run.report is not None
    out["appraisal"] = Path(run.report)
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """The three reports for each name, made once and kept."""
    out = {}
    for n, name in enumerate(NAMES):
        out[name] = _reports(tmp_path_factory.mktemp(f"long-names-{n}"), name)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright.sync_playwright() as pw, chromium(pw) as b:
        yield b


# The plot area of each chart (Plotly's drag layer), beside the chart's own box.
PLOTS = """() => Array.from(document.querySelectorAll(".js-plotly-plot")).map((c) => {
  const plot = c.querySelector(".draglayer .xy .nsewdrag");
  return {id: c.id, plot: plot ? plot.getBoundingClientRect().width : 0,
          chart: c.getBoundingClientRect().width};
})"""


@pytest.mark.parametrize("name", NAMES, ids=lambda n: f"{len(n)}-characters")
@pytest.mark.parametrize("report", ["pool", "gainshare", "appraisal"])
def test_a_long_partner_name_is_shown_whole_on_a_phone(
    browser: Any, made: dict[str, dict[str, Path]], report: str, name: str, artefacts: Path
) -> None:
    assert len(name) >= 40
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(made[name][report].as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        page.wait_for_load_state("load")
        page.screenshot(path=str(artefacts / f"{report}-phone.png"), full_page=True)
        found = page.evaluate(LABELS, name.split()[0])
        assert found, f"no label of {name!r} drawn in the {report} report"
        for label in found:
            where = (report, label)
            assert name in label["text"], where  # the whole name, every word
            assert "…" not in label["text"], where
            # within the chart's box and the screen: nothing past either edge is seen
            assert label["left"] >= max(0, label["chartLeft"]) - 1, where
            assert label["right"] <= min(PHONE["width"], label["chartRight"]) + 1, where
        # and the name leaves the chart room for its figures: at least half its width
        for chart in page.evaluate(PLOTS):
            assert chart["plot"] >= chart["chart"] / 2, (report, chart)
    finally:
        page.close()


def test_the_reports_are_kept(made: dict[str, dict[str, Path]], artefacts: Path) -> None:
    for n, reports in enumerate(made.values()):
        for report, path in reports.items():
            shutil.copy(path, artefacts / f"{report}-{n}.html")


# Each chart's title and what it must not touch: the plot area (Plotly's drag layer) and the
# tick labels (the top one, "£100k", sits half above the plot area's top edge).
TITLES = """() => Array.from(document.querySelectorAll(".js-plotly-plot")).map((c) => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const title = c.querySelector(".infolayer .gtitle");
  return {
    id: c.id,
    text: title ? title.textContent : null,
    lines: title ? Math.max(1, title.querySelectorAll("tspan.line").length) : 0,
    title: title ? box(title) : null,
    plots: Array.from(c.querySelectorAll(".draglayer .nsewdrag")).map(box),
    ticks: Array.from(c.querySelectorAll(".xtick text, .ytick text"))
      .filter((t) => t.textContent.trim()).map((t) => ({text: t.textContent, ...box(t)})),
  };
})"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


@pytest.mark.parametrize("report", ["pool", "gainshare", "appraisal"])
def test_a_charts_title_never_overlaps_its_plot_on_a_phone(
    browser: Any, made: dict[str, dict[str, Path]], report: str, artefacts: Path
) -> None:
    """At 390 px a title of several lines (the pool report's runs to four) ends above the
    plot area and its top tick label: the top margin follows the title's lines and size."""
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(made[NAMES[-1]][report].as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        page.wait_for_load_state("load")
        page.screenshot(path=str(artefacts / f"{report}-titles-phone.png"), full_page=True)
        charts = [c for c in page.evaluate(TITLES) if c["title"] is not None]
        assert charts, f"no chart with a title in the {report} report"
        if report == "pool":
            # the case found in review: a title of four lines
            assert max(c["lines"] for c in charts) >= 4, charts
        for c in charts:
            assert c["plots"], c
            for plot in c["plots"]:
                assert not _overlap(c["title"], plot), (report, c["text"], c["title"], plot)
            for tick in c["ticks"]:
                assert not _overlap(c["title"], tick), (report, c["text"], tick)
    finally:
        page.close()
