"""Every report of the demo in a real Chromium (Playwright, the system's Chromium), at a
desktop's and a phone's width and in print on A4 portrait and landscape (issue 12).

Each view is kept as a screenshot (tests/browser/conftest.py ``artefacts``: one folder per
report) and asserted:

- nothing sticks out sideways: the page never scrolls sideways, and no element's right edge
  is past the screen unless it sits in a box that scrolls by itself (a wide table's box); in
  print nothing scrolls, so nothing at all may be wider than the page;
- the labels are there: the answer sentence; every chart has a title or axis titles, its
  legend when it has several series, labels on its axes or shapes, a text alternative (a
  caption, or an SVG's title) and a table with its figures in its section or the next;
- in print, table headers repeat on every page and no chart is cut by a page: each keeps
  itself whole (``break-inside: avoid``) and is no taller than a page;
- axe-core finds no WCAG 2.2 A or AA violation.

The print views are laid out at the width of the printed page's content box, which is what
Chromium lays out into when it prints (``base.html``: A4 with 12 mm margins, landscape 10 mm):
A4 portrait 210 - 24 = 186 mm = 703 CSS px wide and 273 mm = 1032 px high; landscape
297 - 20 = 277 mm = 1047 px wide and 190 mm = 718 px high (96 px to 25.4 mm).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import axe_violations, chromium, has_chromium

from wholeplace.demo import make_demo

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_chromium(), reason="Chromium is not installed"),
]

PHONE = {"width": 390, "height": 844}  # a common phone's CSS pixels
DESKTOP = {"width": 1280, "height": 900}
PORTRAIT = {"width": 703, "height": 1032}  # A4 portrait's content box, 12 mm margins
LANDSCAPE = {"width": 1047, "height": 718}  # A4 landscape's content box, 10 mm margins
LANDSCAPE_RULE = "@page { size: A4 landscape; margin: 10mm; }"  # base.html, landscape=True

# Every page the demo writes: spend, 3 alignment (framework, objectives, governance), estate,
# area profiles, 2 outcomes, 7 toolkit (appraisal, its sensitivity and simulation,
# gain-share, pool, PbR claim, recharges), and the index.
REPORTS = (
    "appraisal-sensitivity",
    "appraisal-simulation",
    "appraisal",
    "areas",
    "estate",
    "framework-2025-26",
    "gainshare",
    "governance",
    "index",
    "objectives",
    "outcomes-public",
    "outcomes",
    "pbr-claim",
    "pool",
    "recharges",
    "spend-2024-25",
)

# Elements whose right edge is past ``width``, leaving out those inside a box that scrolls
# or clips sideways (a table's box) when ``boxes`` is true, those inside a ``.wide`` section
# when ``skipWide`` is (printed on landscape pages of their own), and shapes an SVG clips.
STICKING_OUT = """({width, boxes, skipWide}) => {
  const out = [];
  const inBox = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right <= width + 0.5) continue;
    if (skipWide && el.closest(".wide")) continue;
    // a shape inside an SVG is clipped by it (plotly's drag handles reach past the plot)
    const svg = el.ownerSVGElement;
    if (svg && getComputedStyle(svg).overflowX !== "visible") continue;
    if (boxes && inBox(el)) continue;
    out.push(`${el.tagName.toLowerCase()}#${el.id}.${el.getAttribute("class") || ""}`
             + ` right=${Math.round(r.right)}`);
  }
  return out;
}"""

# What each chart shows besides its marks: title, legend, axis or shape labels, its text
# alternative, and a table with its figures.
CHARTS = """() => {
  const text = (n) => (n ? n.textContent.trim() : "");
  // tables in the chart's section, or the section after it, or where its caption links to
  const tablesNear = (c) => {
    const section = c.closest("section");
    if (!section) return document.querySelectorAll("table").length;
    let n = section.querySelectorAll("table").length;
    const next = section.nextElementSibling;
    if (next) n += next.querySelectorAll("table").length;
    const figure = c.closest("figure");
    for (const a of figure ? figure.querySelectorAll("figcaption a[href^='#']") : []) {
      const target = document.getElementById(a.getAttribute("href").slice(1));
      if (target) n += target.querySelectorAll("table").length;
    }
    return n;
  };
  return Array.from(document.querySelectorAll(".js-plotly-plot, svg[role=img]")).map((c) => {
    const figure = c.closest("figure");
    const caption = figure ? text(figure.querySelector("figcaption")) : "";
    const plotly = c.classList.contains("js-plotly-plot");
    const titled = c.getAttribute("aria-labelledby");
    const svgTitle = titled ? text(document.getElementById(titled)) : "";
    const traces = plotly ? (c.data || []).filter((t) => t.showlegend !== false && t.name) : [];
    return {
      id: c.id || c.getAttribute("class"),
      plotly,
      title: plotly
        ? [".gtitle", ".xtitle", ".ytitle"].map((s) => text(c.querySelector(s))).join(" ").trim()
        : svgTitle,
      named: traces.length,
      legend: Array.from(c.querySelectorAll(".legendtext")).map(text).filter((t) => t).length,
      labels: Array.from(c.querySelectorAll(
        ".xtick text, .ytick text, .slicetext, text.bubble-label, .legend text, text"
      )).map(text).filter((t) => t).length,
      alt: caption || svgTitle,
      tables: tablesNear(c),
      // a title cut by the chart's edge (Plotly never wraps one)
      cut: Array.from(c.querySelectorAll(".gtitle")).filter((t) => {
        const r = t.getBoundingClientRect(), box = c.getBoundingClientRect();
        return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
      }).map(text),
    };
  });
}"""

# In print: how each table head is shown, and each chart's break rule and height.
PRINT_RULES = """() => ({
  theads: Array.from(document.querySelectorAll("thead")).map((t) => getComputedStyle(t).display),
  charts: Array.from(document.querySelectorAll(
    "figure, .chart, .js-plotly-plot, svg[role=img]"
  )).map((c) => ({
    id: c.id || c.tagName.toLowerCase(),
    rule: getComputedStyle(c).breakInside,
    height: c.getBoundingClientRect().height,
    wide: !!c.closest(".wide"),
  })),
})"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "place"
    make_demo(target)
    return target / "reports"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright.sync_playwright() as pw, chromium(pw) as b:
        yield b


def test_the_demo_writes_every_report_checked_here(demo: Path) -> None:
    assert sorted(p.stem for p in demo.glob("*.html")) == sorted(REPORTS)


def _open(browser: Any, page_file: Path, size: dict[str, int], media: str = "screen") -> Any:
    page = browser.new_page(viewport=size)
    page.emulate_media(media=media)
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    return page


def _check_screen(page: Any, name: str, view: str) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (name, view, scroll, width)
    out = page.evaluate(STICKING_OUT, {"width": width, "boxes": True, "skipWide": False})
    assert out == [], (name, view, out[:5])
    assert page.locator("#answer .answer").inner_text().strip(), (name, view)


def _check_charts(page: Any, name: str) -> int:
    charts = page.evaluate(CHARTS)
    for c in charts:
        where = (name, c["id"])
        assert c["title"], ("no title", where)
        assert c["alt"], ("no text alternative", where)
        assert c["labels"] >= 2, ("no labels", where, c["labels"])
        assert c["tables"] >= 1, ("no table behind the chart", where)
        assert c["cut"] == [], ("title cut by the chart's edge", where, c["cut"])
        if c["plotly"] and c["named"] > 1:
            assert c["legend"] >= c["named"], ("legend", where, c["legend"], c["named"])
    return len(charts)


def _check_print(
    page: Any, name: str, size: dict[str, int], skip_wide: bool, all_landscape: bool
) -> None:
    """``skip_wide``: the portrait view leaves ``.wide`` sections to the landscape view;
    ``all_landscape``: the whole report prints landscape, else only its ``.wide`` sections
    do (so only their charts must fit a landscape page's height)."""
    width = size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if not skip_wide:
        assert scroll <= width, (name, "print", width, scroll)
    # nothing scrolls in print: every element, table boxes' contents included, fits the page
    out = page.evaluate(STICKING_OUT, {"width": width, "boxes": False, "skipWide": skip_wide})
    assert out == [], (name, "print", width, out[:5])
    rules = page.evaluate(PRINT_RULES)
    assert set(rules["theads"]) <= {"table-header-group"}, (name, rules["theads"])
    for c in rules["charts"]:
        if skip_wide and c["wide"]:
            continue
        assert c["rule"] == "avoid", (name, c)
        if skip_wide or all_landscape or c["wide"]:
            assert c["height"] <= size["height"], ("taller than a page", name, c)


@pytest.mark.parametrize("name", REPORTS)
def test_report_on_desktop_phone_and_in_print(
    demo: Path, browser: Any, artefacts: Path, name: str
) -> None:
    page_file = demo / f"{name}.html"
    landscape = LANDSCAPE_RULE in page_file.read_text(encoding="utf-8")
    for view, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page = _open(browser, page_file, size)
        try:
            _check_screen(page, name, view)
            _check_charts(page, name)
            if view == "desktop":
                assert axe_violations(page) == [], name
            page.screenshot(path=artefacts / f"{name}-{view}.png", full_page=True)
        finally:
            page.close()
    prints = [("print-landscape", LANDSCAPE, False)]
    if not landscape:
        # a portrait report's .wide sections go on landscape pages: checked in that view
        prints.insert(0, ("print-portrait", PORTRAIT, True))
    for view, size, skip_wide in prints:
        page = _open(browser, page_file, size, media="print")
        try:
            _check_print(page, name, size, skip_wide, landscape)
            _check_charts(page, name)
            page.screenshot(path=artefacts / f"{name}-{view}.png", full_page=True)
        finally:
            page.close()
    assert len(list(artefacts.glob(f"{name}-*.png"))) == 2 + len(prints)


# The bubble picture shown: each label's box (a member's lines together, a group's name),
# its font size in CSS pixels, the picture's edges, and the bubbles listed as too small.
BUBBLE_LABELS = """() => {
  const svg = Array.from(document.querySelectorAll("svg.bubbles"))
    .find((s) => s.getBoundingClientRect().width > 0);
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const owners = new Map();
  for (const t of svg.querySelectorAll("text.pl, text.gl")) {
    const key = t.classList.contains("pl") ? t.parentElement : t;
    const r = t.getBoundingClientRect();
    const px = parseFloat(t.getAttribute("font-size")) * scale;
    const had = owners.get(key);
    owners.set(key, had
      ? {x0: Math.min(had.x0, r.left), y0: Math.min(had.y0, r.top),
         x1: Math.max(had.x1, r.right), y1: Math.max(had.y1, r.bottom),
         px: Math.min(had.px, px), text: had.text + " " + t.textContent}
      : {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, px, text: t.textContent});
  }
  const box = svg.getBoundingClientRect();
  return {
    labels: Array.from(owners.values()),
    left: box.left, right: box.right,
    unlabelled: Array.from(svg.querySelectorAll("text.unlabelled")).map((t) => t.textContent),
  };
}"""


def test_the_bubble_diagram_is_legible_on_a_phone(
    demo: Path, browser: Any, artefacts: Path
) -> None:
    """At a phone's 390 px: no two labels overlap, none is under 10 CSS px (the 760 px
    picture shrunk to a phone drew them at 4.4 px), none is cut by the picture's edge, and
    the bubbles too small for a label are listed under the picture."""
    page = _open(browser, demo / "spend-2024-25.html", PHONE)
    try:
        found = page.evaluate(BUBBLE_LABELS)
        page.locator("#bubbles-section").screenshot(path=artefacts / "bubbles-phone.png")
    finally:
        page.close()
    labels = found["labels"]
    assert len(labels) >= 5, labels  # the big bubbles are labelled
    for a in labels:
        assert a["px"] >= 10, a
        assert found["left"] - 0.5 <= a["x0"] and a["x1"] <= found["right"] + 0.5, a
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart = (
                a["x1"] <= b["x0"] + 0.5
                or b["x1"] <= a["x0"] + 0.5
                or a["y1"] <= b["y0"] + 0.5
                or b["y1"] <= a["y0"] + 0.5
            )
            assert apart, (a["text"], b["text"])
    assert found["unlabelled"] and all("Too small to label: " in t for t in found["unlabelled"])
