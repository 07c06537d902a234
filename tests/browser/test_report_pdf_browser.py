"""``--out FILE.pdf``: reports printed to PDF by headless Chromium (issue 12), and its pages
checked as images against the HTML.

The same report is written as HTML and as PDF by the command line. Page 1 of the PDF,
rasterised by PDFium (pypdfium2) at 96 dpi, is compared with a screenshot of the HTML laid
out for print (print media, a viewport the size of A4's content box): both are reduced to
64 px wide greyscale and the mean absolute difference of their pixels (0 to 255) must be
under ``SAME_PAGE``. Measured on 30 November 2026: 6.8 for the appraisal and 2.8 for the
gain-share (the same page; the appraisal's first chart moves to page 2 in the PDF, as
``break-inside: avoid`` asks), while the PDF's pages 2 to 4 against the same screenshot
give 17.8 to 79.5. 12 lies between them. The pages are kept as PNG artefacts.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from browser_kit import CHROMIUM, chromium, has_chromium
from typer.testing import CliRunner

from wholeplace.cli import app

DATA = Path(__file__).resolve().parents[2] / "src" / "wholeplace" / "data"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_chromium(), reason="Chromium is not installed"),
]

SAME_PAGE = 12.0  # mean absolute difference, 0-255, of 64 px wide greyscale pages
INKED = 0.05  # page 1 is not blank: measured 0.21 and 0.20 of its pixels not white
DPI = 96  # CSS pixels: the PDF's page rendered at the screenshot's scale
MARGIN_MM = 12  # base.html: @page { size: A4; margin: 12mm }


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _words(text: str) -> str:
    return " ".join(text.split())


def _grey(image: Any, width: int = 64) -> Any:
    np = pytest.importorskip("numpy")
    from PIL import Image

    grey = image.convert("L")
    height = round(grey.height * width / grey.width)
    return np.asarray(grey.resize((width, height), Image.Resampling.BOX), dtype=float)


@pytest.mark.parametrize(
    "args",
    [
        ["cba", "run", str(DATA / "cba" / "example_appraisal.yaml"), "--draws", "500"],
        ["sharing", "gainshare", str(DATA / "sharing" / "gainshare_example.yaml")],
    ],
    ids=["appraisal", "gainshare"],
)
def test_report_prints_to_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]):
    monkeypatch.setenv("WHOLEPLACE_CHROMIUM", CHROMIUM)
    out = tmp_path / "report.pdf"
    res = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert _pages(pdf) >= 2  # the answer, tables, charts and method do not fit on one A4 page
    assert not list(tmp_path.glob(".*tmp*"))  # written atomically, nothing left behind


@pytest.mark.parametrize(
    "args",
    [
        ["cba", "run", str(DATA / "cba" / "example_appraisal.yaml"), "--draws", "500"],
        ["sharing", "gainshare", str(DATA / "sharing" / "gainshare_example.yaml")],
    ],
    ids=["appraisal", "gainshare"],
)
def test_pdf_pages_look_like_the_html_in_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, artefacts: Path, args: list[str]
) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    image = pytest.importorskip("PIL.Image")
    sync_api = pytest.importorskip("playwright.sync_api")
    np = pytest.importorskip("numpy")
    monkeypatch.setenv("WHOLEPLACE_CHROMIUM", CHROMIUM)
    html, pdf_file = tmp_path / "report.html", tmp_path / "report.pdf"
    for out in (html, pdf_file):
        res = CliRunner().invoke(app, [*args, "--out", str(out)])
        assert res.exit_code == 0, res.output
    pdf = pdfium.PdfDocument(pdf_file)
    pages = [pdf[i].render(scale=DPI / 72).to_pil() for i in range(len(pdf))]
    for i, page_image in enumerate(pages, start=1):
        page_image.save(artefacts / f"pdf-page-{i}.png")
    first = pages[0]
    assert first.size == (794, 1123)  # A4 portrait at 96 dpi: 210 x 297 mm
    inked = float((np.asarray(first.convert("L")) < 250).mean())
    assert inked > INKED, inked
    text = _words(pdf[0].get_textpage().get_text_bounded())

    margin = round(MARGIN_MM / 25.4 * DPI)
    content = first.crop((margin, margin, first.width - margin, first.height - margin))
    with sync_api.sync_playwright() as pw, chromium(pw) as browser:
        page = browser.new_page(viewport={"width": content.width, "height": content.height})
        page.emulate_media(media="print")
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        title = _words(page.inner_text("h1"))
        answer = _words(page.inner_text("#answer .answer"))
        shot = image.open(io.BytesIO(page.screenshot()))
        shot.save(artefacts / "html-print.png")
        # Chromium's own print of the same page (what its print preview shows)
        preview = pdfium.PdfDocument(page.pdf(prefer_css_page_size=True))
        page.close()
    assert title and title in text  # the headline is text in the PDF, not a picture
    assert answer[:60] in text
    assert len(pdf) == len(preview) >= 2
    a, b = _grey(content), _grey(shot)
    rows = min(len(a), len(b))
    difference = float(np.abs(a[:rows] - b[:rows]).mean())
    assert difference < SAME_PAGE, difference


def test_no_chromium_is_the_problem_table_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHOLEPLACE_CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "report.pdf"
    res = CliRunner().invoke(
        app,
        ["sharing", "gainshare", str(DATA / "sharing" / "gainshare_example.yaml"), "-o", str(out)],
    )
    assert res.exit_code == 2 and "Chromium" in res.output
    assert not out.exists()
