"""The pictures of docs/reports.md: the first screen of every report the demo writes.

Builds the demo place in a temporary folder, opens each HTML report in headless Chromium
(Playwright, the system's Chromium) at a desktop's width, takes the first screen and writes it,
halved and reduced to 64 colours, as ``docs/img/reports/<report>.png``. Run it from the
repository root after a change to a report's look::

    PYTHONPATH=src .venv/bin/python tools/report_pictures.py [--chromium /usr/bin/chromium]

Needs Playwright and Pillow (the ``dev`` extras). tests/core/test_demo_reports.py checks that
docs/reports.md shows a picture of every report and that each picture is here.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from wholeplace.demo import make_demo

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img" / "reports"
SCREEN = {"width": 1280, "height": 800}  # a laptop's first screen, in CSS pixels
WIDTH = 640  # the picture's width in the docs
COLOURS = 64  # a report's first screen has few colours; 64 keep the text's anti-aliasing


def picture(png: bytes) -> bytes:
    """The screenshot halved (Lanczos) and reduced to a palette: about a tenth of its size."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    height = round(image.height * WIDTH / image.width)
    small = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
    quantised = small.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=0)
    out = io.BytesIO()
    quantised.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wholeplace-pictures-") as tmp:
        target = Path(tmp) / "place"
        make_demo(target)
        pages = sorted((target / "reports").glob("*.html"))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=args.chromium,
                args=["--no-sandbox", "--disable-background-networking"],
            )
            try:
                for page_file in pages:
                    page = browser.new_page(viewport=SCREEN)
                    page.goto(page_file.as_uri())
                    page.wait_for_load_state("load")
                    data = picture(page.screenshot())
                    page.close()
                    (args.out / f"{page_file.stem}.png").write_bytes(data)
                    print(f"{page_file.stem}.png {len(data) / 1024:.0f} KB")
            finally:
                browser.close()
    total = sum(p.stat().st_size for p in args.out.glob("*.png"))
    print(f"Wrote {len(pages)} pictures to {args.out}, {total / 1024:.0f} KB in all.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
