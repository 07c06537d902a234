"""Hostile text in every free-text field of the spend report runs nothing in Chromium (issue 11).

Each payload, if it ran, would set ``data-pwned`` on the page's body; the attribute's name
is put together at run time, so the escaped text of the payload cannot match it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from wholeplace.areas import import_areas, import_boundaries
from wholeplace.partners import add_partner
from wholeplace.spend import import_lines, write_report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]

RUN = "document.body.setAttribute('data-'+'pwned','{}')"
ATTR = 'G2" autofocus onfocus="' + RUN.format("attr") + '" x="'
TAG = '<img src=x onerror="' + RUN.format("tag") + '">'
SCRIPT = "</script><script>" + RUN.format("script") + "</script>"
SVG = '<svg onload="' + RUN.format("svg") + '"/>'


def _csv(*cells: str) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\n"


def test_spend_report_runs_no_text_from_its_inputs(ws, tmp_path: Path) -> None:
    add_partner(
        ws, {"id": "cc", "name": TAG, "type": "county council", "group": ATTR, "sector": TAG}
    )
    add_partner(
        ws,
        {"id": "icb", "name": SVG, "type": "nhs commissioner", "group": SCRIPT, "sector": "Health"},
    )
    (tmp_path / "areas.csv").write_text(
        "code,name,population\n" + _csv(ATTR, TAG, "600000") + _csv("A2", SCRIPT, "400000")
    )
    import_areas(ws, tmp_path / "areas.csv")
    ring = [[-2.6, 53.9], [-2.4, 53.9], [-2.4, 54.1], [-2.6, 54.1], [-2.6, 53.9]]
    ring2 = [[-2.4, 53.9], [-2.2, 53.9], [-2.2, 54.1], [-2.4, 54.1], [-2.4, 53.9]]
    geo = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": c}, "geometry": {"type": "Polygon",
             "coordinates": [r]}}
            for c, r in ((ATTR, ring), ("A2", ring2))
        ],
    }  # fmt: skip
    (tmp_path / "b.geojson").write_text(json.dumps(geo))
    import_boundaries(ws, tmp_path / "b.geojson")
    (tmp_path / "spend.csv").write_text(
        "partner,year,service,subservice,area,amount_gbp,customer_group\n"
        + _csv("cc", "2024/25", "ASC", SCRIPT, ATTR, "300000", TAG)
        + _csv("icb", "2024/25", "NHS.ACUTE", TAG, "A2", "200000", SCRIPT)
        + _csv("cc", "2024/25", "EDU", SVG, "A2", "100000", ATTR)
    )
    import_lines(ws, tmp_path / "spend.csv")
    out = write_report(ws, tmp_path / "report.html").out

    dom = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--virtual-time-budget=3000", "--dump-dom", out.as_uri(),
        ],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert 'class="main-svg"' in dom  # the page's own scripts did run
    assert "data-pwned" not in dom
