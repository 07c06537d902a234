"""The HTML spend report opened in a real headless Chromium, offline.

Proves the embedded plotly.js runs (the sunburst's SVG exists only once it has) and that
the bubble diagram and map are in the rendered page.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from wholeplace.areas import import_areas, import_boundaries
from wholeplace.partners import add_partner
from wholeplace.spend import import_spend
from wholeplace.spend.report import gather, write_html

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.fixture
def report(ws, tmp_path: Path) -> Path:
    partners = [
        ("cc", "Testshire County Council", "county council", "County council"),
        ("icb", "NHS Testshire ICB", "nhs commissioner", "NHS"),
        ("trust", "Testshire Hospitals NHS Trust", "nhs trust", "NHS"),
        ("dwp", "Department for Work and Pensions", "dwp", "DWP"),
    ]
    for pid, name, typ, group in partners:
        add_partner(ws, {"id": pid, "name": name, "type": typ, "group": group, "sector": "x"})
    (tmp_path / "areas.csv").write_text("code,name,population\nA1,North,600000\nA2,South,400000\n")
    import_areas(ws, tmp_path / "areas.csv")
    squares = {
        "A1": [[-2.6, 53.9], [-2.4, 53.9], [-2.4, 54.1], [-2.6, 54.1], [-2.6, 53.9]],
        "A2": [[-2.4, 53.9], [-2.2, 53.9], [-2.2, 54.1], [-2.4, 54.1], [-2.4, 53.9]],
    }
    geo = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": c},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
            for c, ring in squares.items()
        ],
    }
    (tmp_path / "b.geojson").write_text(json.dumps(geo))
    import_boundaries(ws, tmp_path / "b.geojson")
    (tmp_path / "spend.csv").write_text(
        "partner,year,service,area,amount_gbp,counterparty,estimate,estimate_method\n"
        "cc,2024/25,EDU,A1,500000000,,no,\n"
        "cc,2024/25,ASC,A2,300000000,,no,\n"
        "cc,2024/25,ASC,,20000000,icb,no,\n"
        "icb,2024/25,NHS.PRIMARY,A1,250000000,,no,\n"
        "trust,2024/25,NHS.ACUTE,A2,600000000,,no,\n"
        "dwp,2024/25,SSB.PENSION,A1,700000000,,yes,share of national spend by population\n"
    )
    import_spend(ws, tmp_path / "spend.csv")
    out = tmp_path / "report.html"
    write_html(gather(ws, "2024/25"), out)
    return out


def test_rendered_report_runs_plotly_offline_and_shows_bubbles(report: Path, tmp_path: Path):
    dom = chromium(tmp_path, "--dump-dom", report.as_uri()).stdout
    sunburst = dom[dom.index('id="drilldown-sunburst"') :]
    # plotly.js builds these at run time: their presence proves the embedded JS ran.
    assert 'class="main-svg"' in sunburst
    # The first two rings are drawn (services open on a click): 3 groups + 4 partners.
    assert len(re.findall(r'class="slice cursor-pointer"', sunburst)) == 3 + 4
    labels = set(re.findall(r'data-unformatted="([^"]*)"', sunburst))
    assert {"NHS", "County council", "DWP", "Testshire Hospitals NHS Trust"} <= labels
    assert re.search(r'<svg[^>]*id="bubbles"', dom)
    # the picture for a wide screen, and the same bubbles drawn again for a phone's width
    wide = dom[dom.index('id="bubbles"') : dom.index('id="bubbles-phone"')]
    phone = dom[dom.index('id="bubbles-phone"') :]
    for picture in (wide, phone):
        assert len(re.findall(r'class="bubble-partner"', picture)) == 4
        assert len(re.findall(r'class="bubble-group"', picture)) == 3
    assert 'id="per-head-map"' in dom


def test_screenshot_renders(report: Path, tmp_path: Path):
    png = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", report.as_uri())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    # A blank page compresses to almost nothing; a drawn report does not.
    assert len(data) > 50_000
