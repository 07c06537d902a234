"""``wholeplace demo`` writes every capability's report in the one design, and an index
linking them (issue 12)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs

from wholeplace.demo import make_demo
from wholeplace.reports.charts import label_lines
from wholeplace.reports.palette import preferred_colour
from wholeplace.reports.shared_js import PLOTLY_FILE, share_plotly


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "place"
    res = make_demo(target)
    assert target / "reports" / "index.html" in res.reports
    return target / "reports"


def test_index_links_every_report(demo: Path) -> None:
    links = _Links()
    links.feed((demo / "index.html").read_text(encoding="utf-8"))
    # plotly.min.js is the pages' shared script, not a report
    written = {p.name for p in demo.iterdir() if p.name not in ("index.html", PLOTLY_FILE)}
    linked = {h for h in links.hrefs if not h.startswith("#")}
    assert linked == written
    # every capability: spend, framework, objectives, governance, cba, sharing
    for name in (
        "spend-2024-25.html",
        "framework-2025-26.html",
        "objectives.html",
        "governance.html",
        "appraisal.html",
        "appraisal.xlsx",
        "gainshare.html",
        "pool.html",
        "pbr-claim.html",
        "recharges.xlsx",
        "appraisal-sensitivity.html",
        "appraisal-simulation.html",
    ):
        assert name in linked, name


def test_the_folder_holds_one_copy_of_plotly_js(demo: Path) -> None:
    """Four pages draw Plotly charts (spend, appraisal, gain-share, pool at least); the
    4.8 MB library is written once beside them, and no page embeds it."""
    js = get_plotlyjs()
    assert (demo / PLOTLY_FILE).read_text(encoding="utf-8") == js
    link = '<script src="plotly.min.js"></script>'
    linking = [p.name for p in demo.glob("*.html") if link in p.read_text(encoding="utf-8")]
    assert {"spend-2024-25.html", "appraisal.html", "gainshare.html", "pool.html"} <= set(linking)
    marker = js[:200]  # plotly.js's own licence header: present once per copy
    copies = sum(p.read_text(encoding="utf-8").count(marker) for p in demo.glob("*.html"))
    assert copies == 0
    # the folder: one 4.8 MB copy, well under the size of one copy per page
    size = sum(p.stat().st_size for p in demo.iterdir())
    assert size < len(js.encode()) + 4_000_000, size


def test_a_report_written_alone_keeps_plotly_js_inside(tmp_path: Path) -> None:
    """Only a folder written by one run shares: a page alone is still self-contained."""
    page = tmp_path / "alone.html"
    page.write_text("<html><body><p>no chart</p></body></html>", encoding="utf-8")
    assert share_plotly(tmp_path) == []
    assert not (tmp_path / PLOTLY_FILE).exists()


def test_every_report_is_in_the_one_design(demo: Path) -> None:
    for page in sorted(demo.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert '<section id="answer"' in html, page.name
        assert '<p class="answer">' in html, page.name
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert "@media print" in html and "@page wide" in html, page.name
        assert "Lancashire" in html[html.index("<footer") :], page.name


def test_demo_answers_and_one_colour_per_partner(demo: Path) -> None:
    appraisal = (demo / "appraisal.html").read_text(encoding="utf-8")
    # the example appraisal's figures (data/demo/toolkit/SOURCES.md): the agencies mapped
    # onto the demo's partners, named as the spend map names them
    assert re.search(
        r'<p class="answer">Every £1 spent returns £[0-9.]+ to the public purse; '
        r"Lancashire County Council pays, ",
        appraisal,
    )
    gain = (demo / "gainshare.html").read_text(encoding="utf-8")
    nhs = "NHS Lancashire and South Cumbria Integrated Care Board"
    colour = preferred_colour(nhs)
    assert f'style="color: {colour}">&#9632;</span> {nhs}<' in appraisal
    # the gain-share chart draws the same partner in the same colour; its legend gives the
    # name in lines (reports.charts.label_lines; "<" is written \u003c in the page's JSON)
    legend = re.escape(label_lines(f"{nhs} after").replace("<", "\\u003c").replace(">", "\\u003e"))
    assert re.search(rf'"color":"{colour}"[^}}]*\}}[^{{]*"name":"{legend}"', gain) or (
        re.search(rf'"name":"{legend}"', gain) and f'"color":"{colour}"' in gain
    )
    # Together 300,000 invested, 500,000 gained (docs/sharing.md's worked example)
    assert "Together the partners invest £300,000.00 and gain £500,000.00" in gain


def test_demo_workbooks_name_partners_by_name(demo: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(demo / "appraisal.xlsx")
    agencies = {row[0] for row in wb["Agencies"].iter_rows(min_row=2, values_only=True)}
    assert "Lancashire County Council" in agencies and "lcc" not in agencies
    assert wb["Summary"]["B2"].value == "='By year'!J7"  # 5 years: totals on row 7


DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_docs_show_a_picture_of_every_report(demo: Path) -> None:
    """docs/reports.md shows each report the demo writes, as docs/img/reports/<report>.png
    (tools/report_pictures.py makes them), each picture a small PNG that is there."""
    text = (DOCS / "reports.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"!\[[^\]]+\]\(img/reports/([^)]+)\.png\)", text))
    written = {p.stem for p in demo.glob("*.html")}
    assert written - shown == set()  # every report has its picture
    assert shown - written == set()  # and no picture is of a report the demo no longer writes
    total = 0
    for name in shown:
        png = DOCS / "img" / "reports" / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        total += png.stat().st_size
    assert total < 1_500_000  # the pictures stay light: 467 KB when made
