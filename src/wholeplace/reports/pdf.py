"""``--out FILE.pdf``: the HTML report printed to PDF by headless Chromium.

The PDF is the HTML page as the print stylesheet lays it out (A4, charts whole, table
headers repeated), so it looks like the page a board member would print. Chromium is found
as ``$WHOLEPLACE_CHROMIUM``, else ``chromium``, ``chromium-browser`` or ``google-chrome`` on
the PATH; without one, the command stops with the problem table and writes nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from wholeplace.errors import WholeplaceError
from wholeplace.reports.atomic import write_bytes_atomic

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 180


def chromium() -> str | None:
    """The Chromium to print with, or None when there is none."""
    named = os.environ.get("WHOLEPLACE_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html_file: Path, out: Path | str) -> Path:
    """Print ``html_file`` to ``out`` (written atomically: a failure leaves no file)."""
    browser = chromium()
    if browser is None:
        raise WholeplaceError(
            "Cannot write a PDF: no Chromium found. Fix: install Chromium (apt install "
            "chromium) or set WHOLEPLACE_CHROMIUM to its path, or write .html and print it."
        )
    with tempfile.TemporaryDirectory(prefix="wholeplace-pdf-") as tmp:
        pdf = Path(tmp) / "report.pdf"
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            # time for the embedded plotly.js to draw the charts before printing
            "--virtual-time-budget=5000",
            f"--print-to-pdf={pdf}",
            html_file.resolve().as_uri(),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
        except (OSError, subprocess.TimeoutExpired) as e:
            raise WholeplaceError(f"Cannot write a PDF: Chromium failed ({e}).") from None
        if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
            raise WholeplaceError(
                "Cannot write a PDF: Chromium printed nothing. Fix: write .html and print it."
            )
        return write_bytes_atomic(out, pdf.read_bytes())


def pdf_writer(write_html: Callable[[Path], object]) -> Callable[[Path], Path]:
    """A ``.pdf`` writer for :func:`wholeplace.reports.writers.writer_for` from a report's
    HTML writer: the HTML is written to a temporary folder, then printed."""

    def write(out: Path) -> Path:
        with tempfile.TemporaryDirectory(prefix="wholeplace-html-") as tmp:
            page = Path(tmp) / "report.html"
            write_html(page)
            return print_pdf(page, out)

    return write
