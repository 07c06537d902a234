"""One copy of plotly.js for a folder of reports written by one run.

A report is a single self-contained file that works offline, so each one embeds plotly.js
(about 4.8 MB). When one run writes several reports into one folder (``wholeplace demo``),
:func:`share_plotly` writes ``plotly.min.js`` once beside them and replaces each page's
embedded copy with ``<script src="plotly.min.js">``: the folder still works offline, as a
whole, and is several times smaller. A report written on its own keeps its embedded copy.
"""

from __future__ import annotations

from pathlib import Path

from wholeplace.reports.atomic import write_text_atomic

PLOTLY_FILE = "plotly.min.js"


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def share_plotly(folder: Path) -> list[Path]:
    """Link every ``*.html`` of ``folder`` that embeds plotly.js to one shared copy; the
    pages changed. ``plotly.min.js`` is written only when a page needed it."""
    js = _plotly_js()
    embedded = f"<script>{js}</script>"
    linked = f'<script src="{PLOTLY_FILE}"></script>'
    changed: list[Path] = []
    for page in sorted(folder.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        if embedded not in text:
            continue
        if not changed:
            write_text_atomic(folder / PLOTLY_FILE, js)
        write_text_atomic(page, text.replace(embedded, linked))
        changed.append(page)
    return changed
