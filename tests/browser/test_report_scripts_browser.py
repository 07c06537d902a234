"""Hostile text in every free-text field of every HTML report runs nothing in Chromium (issue 11).

Each payload, if it ran, would set ``data-pwned`` on the page's body; the attribute's name
is put together at run time, so the escaped text of the payload cannot match it. Beyond what
ran, the rendered page is searched for any element a payload would have made (an ``<img>``, an
event handler holding a payload): a handler that needs focus or a click would not fire in a
headless page, yet must not be there either.

The reports: spend (partners, areas, boundaries, spend lines), the cost-benefit appraisal
(names, costs, outcomes, agencies, the deflator series), and the four sharing reports (pooled
budget, gain-share, payment-by-results claim and forecast, staff recharges), and the estate
report (partners, areas and their map, the register, an indicator's source).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from wholeplace.areas import import_areas, import_boundaries
from wholeplace.cba import service as cba
from wholeplace.partners import add_partner
from wholeplace.sharing import service as sharing
from wholeplace.spend import import_lines, write_report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]

RUN = "document.body.setAttribute('data-'+'pwned','{}')"
ATTR = 'G2" autofocus onfocus="' + RUN.format("attr") + '" x="'
SINGLE = "G3' autofocus onfocus='" + RUN.format("single") + "' x='"
TAG = '<img src=x onerror="' + RUN.format("tag") + '">'
SCRIPT = "</script><script>" + RUN.format("script") + "</script>"
SVG = '<svg onload="' + RUN.format("svg") + '"/>'
PAYLOADS = (ATTR, SINGLE, TAG, SCRIPT, SVG)

SHARING_DATA = resources.files("wholeplace") / "data" / "sharing"


def _csv(*cells: str) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\n"


def _rendered(tmp_path: Path, page: Path) -> str:
    """The page's DOM after its scripts ran, as headless Chromium saw it (offline)."""
    return subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--virtual-time-budget=3000", "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip


class _Elements(HTMLParser):
    """Every element of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def assert_inert(tmp_path: Path, page: Path, *, charts: bool = True) -> str:
    """Open ``page`` in Chromium; fail if any payload ran or made an element."""
    raw = page.read_text(encoding="utf-8")
    for payload in (TAG, SCRIPT, SVG):
        # verbatim, a payload with a "<" is live markup, or closes the <script> it sits in
        assert payload not in raw, f"{payload!r} is written unescaped"
    dom = _rendered(tmp_path, page)
    if charts:
        assert 'class="main-svg"' in dom  # the page's own scripts did run
    assert "data-pwned" not in dom
    parser = _Elements()
    parser.feed(dom)
    for tag, attrs in parser.found:
        made = [
            f"{name}={value!r}"
            for name, value in attrs.items()
            if name == "autofocus" or (name.startswith("on") and "pwned" in (value or ""))
        ]
        assert not made, f"<{tag}> carries a payload's attribute: {made}"
        assert not (tag == "img" and attrs.get("src") == "x"), f"<img> made from text: {attrs}"
    # each payload is still on the page, as text (so the test did put it somewhere shown)
    text = _text_of(dom)
    shown = [p for p in PAYLOADS if p in text]
    assert shown, "no payload reached the page's text: the test does not test anything"
    return dom


def _text_of(dom: str) -> str:
    chunks: list[str] = []

    class _Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            chunks.append(data)

    _Text(convert_charrefs=True).feed(dom)
    return "".join(chunks)


def test_spend_report_runs_no_text_from_its_inputs(ws, tmp_path: Path) -> None:
    add_partner(
        ws, {"id": "cc", "name": TAG, "type": "county council", "group": ATTR, "sector": TAG}
    )
    add_partner(
        ws,
        {"id": "icb", "name": SVG, "type": "nhs commissioner", "group": SCRIPT, "sector": SINGLE},
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
        "partner,year,service,subservice,area,amount_gbp,customer_group,counterparty,source\n"
        + _csv("cc", "2024/25", "ASC", SCRIPT, ATTR, "300000", TAG, SINGLE, SVG)
        + _csv("icb", "2024/25", "NHS.ACUTE", TAG, "A2", "200000", SCRIPT, ATTR, TAG)
        + _csv("cc", "2024/25", "EDU", SVG, "A2", "100000", ATTR, "", SCRIPT)
    )
    import_lines(ws, tmp_path / "spend.csv")
    assert_inert(tmp_path, write_report(ws, tmp_path / "report.html").out)


# -- the cost-benefit appraisal ---------------------------------------------------------


def _appraisal(tmp_path: Path) -> Path:
    doc: dict[str, Any] = {
        "appraisal": {
            "name": SCRIPT + ATTR,
            "price_year": "2015/16",
            "start_year": "2015/16",
            "years": 3,
            "discount_rate": 0.035,
        },
        "costs": [
            {"description": TAG, "agency": ATTR, "amounts": [100000, 50000, 0], "confidence": 2},
            {
                "description": SVG,
                "agency": SCRIPT,
                "type": "capital",
                "amounts": [20000, 0, 0],
                "confidence": 3,
            },
            {"description": SINGLE, "agency": TAG, "amounts": [5000, 5000, 5000], "confidence": 1},
        ],
        "outcomes": [
            {
                "description": SCRIPT,
                "value": 1000,
                "agency": SVG,
                "cohort": [50, 50, 0],
                "success": {"dist": "uniform", "low": 0.2, "high": 0.5},
                "confidence": 3,
            },
            {
                "description": ATTR,
                "value": 400,
                "value_year": "2013/14",
                "agency": SINGLE,
                "cohort": [80, 80, 80],
                "success": 0.4,
                "deadweight": 0.2,
                "confidence": 4,
            },
            {
                "description": TAG,
                "value": 300,
                "value_type": "social",
                "cohort": [100, 100, 100],
                "success": 0.3,
                "confidence": 6,
            },
        ],
    }
    path = tmp_path / "appraisal.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    return path


def test_appraisal_report_runs_no_text_from_its_inputs(ws, tmp_path: Path) -> None:
    # the place's own deflator series: its name and source are shown in the report
    shipped = resources.files("wholeplace") / "data" / "cba" / "gdp_deflators.csv"
    rows = list(csv.reader(io.StringIO(shipped.read_text(encoding="utf-8"))))
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(rows[0])
    for r in rows[1:]:
        w.writerow([*r[:3], SVG])
    (tmp_path / "deflators.csv").write_text(out.getvalue())
    cba.import_deflators(ws, tmp_path / "deflators.csv", name=TAG + SINGLE)

    result = cba.run(_appraisal(tmp_path), ws, tmp_path / "appraisal.html")
    assert result.report is not None
    dom = assert_inert(tmp_path, result.report)
    for payload in (SCRIPT + ATTR, TAG + SINGLE):  # the name and the deflator series
        assert payload in _text_of(dom)
    # the agency names are also data of the charts, in the JSON inside a <script>: there
    # "</script>" is written "\u003c\u002fscript\u003e", so it cannot end the script early
    assert "\\u003c\\u002fscript\\u003e" in result.report.read_text(encoding="utf-8")


# -- the sharing reports ----------------------------------------------------------------


def _yaml(tmp_path: Path, name: str, doc: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    return path


def test_pool_report_runs_no_text_from_its_inputs(tmp_path: Path) -> None:
    pool = _yaml(
        tmp_path,
        "pool.yaml",
        {
            "name": SCRIPT,
            "host": "lcc",
            "partners": {"lcc": ATTR, "icb": TAG, "bc": SVG, "pc": SINGLE},
            "services": [TAG, SCRIPT],
            "years": ["2024-25", "2025-26"],
            "contributions": {
                "2024-25": {"lcc": {"cash": 500000, "in_kind": 100000}, "icb": 300000,
                            "bc": 100000, "pc": 50000},
                "2025-26": {"lcc": 520000, "icb": 310000, "bc": 70000, "pc": 50000},
            },
            "outturn": {"2024-25": 1150000, "2025-26": {"forecast": 900000}},
            "overspend": {
                "host_absorbs_first": 20000,
                "tiers": [
                    {"up_to": 100000, "split": "proportional"},
                    {"split": {"fixed": {"lcc": 50, "icb": 50}}},
                ],
                "caps": {"bc": 5000},
            },
            "underspend": "proportional",
        },
    )  # fmt: skip
    out = sharing.write_report(sharing.pool(pool), tmp_path / "pool.html")
    assert_inert(tmp_path, out)


def test_gainshare_report_runs_no_text_from_its_inputs(tmp_path: Path) -> None:
    agreement = _yaml(
        tmp_path,
        "gainshare.yaml",
        {
            "name": SVG + SCRIPT,
            "years": ["2025-26", "2026-27", "2027-28"],
            "discount_rate": "3.5%",
            "partners": {
                "lcc": {"name": ATTR, "costs": [200000, 100000, 0], "benefits": [0, 20000, 40000]},
                "police": {"name": TAG, "costs": [0, 0, 0], "benefits": [0, 60000, 90000]},
                "nhs": {"name": SINGLE, "costs": [0, 0, 0], "benefits": [0, 30000, 60000]},
            },
            "rule": "shapley",
            "shapley": {"essential": ["lcc"], "seed": 1},
        },
    )
    out = sharing.write_report(sharing.gainshare(agreement), tmp_path / "gainshare.html")
    assert_inert(tmp_path, out)


def _hostile_scheme(tmp_path: Path) -> Path:
    scheme = yaml.safe_load((SHARING_DATA / "troubled_families_2012.yaml").read_text())
    scheme["name"] = SCRIPT
    scheme["source"] = ATTR
    for i, m in enumerate(scheme["measures"].values()):
        m["label"] = PAYLOADS[i % len(PAYLOADS)]
    for i, r in enumerate(scheme["results"]):
        r["label"] = PAYLOADS[(i + 1) % len(PAYLOADS)]
        for j, c in enumerate(r.get("all_of", []) + r.get("any_of", [])):
            c["label"] = PAYLOADS[(i + j + 2) % len(PAYLOADS)]
    return _yaml(tmp_path, "scheme.yaml", scheme)


def test_pbr_claim_report_runs_no_text_from_its_inputs(tmp_path: Path) -> None:
    scheme = _hostile_scheme(tmp_path)
    families = (SHARING_DATA / "families_example.csv").read_text().splitlines()
    reader = csv.reader(families)
    header = next(reader)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    fam = {"F001": ATTR, "F002": TAG, "F003": SCRIPT}
    for i, row in enumerate(reader):
        rec = dict(zip(header, row, strict=True))
        rec["family_id"] = fam.get(rec["family_id"], SVG)
        if rec["source"]:
            rec["source"] = PAYLOADS[i % len(PAYLOADS)]
        w.writerow([rec[h] for h in header])
    (tmp_path / "families.csv").write_text(out.getvalue())
    from datetime import date

    run = sharing.pbr_claim(scheme, tmp_path / "families.csv", as_of=date(2015, 3, 31))
    assert run.claimable, "the example families must claim something, or the claim table is empty"
    assert_inert(tmp_path, sharing.write_report(run, tmp_path / "claim.html"))


def test_pbr_forecast_report_runs_no_text_from_its_inputs(tmp_path: Path) -> None:
    scheme = _hostile_scheme(tmp_path)
    rates = {"education_crime_asb": "40%", "progress_to_work": "10%",
             "continuous_employment": "10%"}  # fmt: skip
    forecast = _yaml(
        tmp_path,
        "forecast.yaml",
        {
            "scheme": scheme.name,  # beside the forecast: a file names others from its folder
            "cohort": {"2012-13": 200, "2013-14": 200, "2014-15": 100},
            "result_lag_years": 1,
            "costs": {"2012-13": 1000000, "2013-14": 1500000, "2014-15": 1200000},
            "scenarios": {ATTR: rates, TAG: rates, SCRIPT: rates},
        },
    )
    out = sharing.write_report(sharing.pbr_forecast(forecast), tmp_path / "forecast.html")
    assert_inert(tmp_path, out)


def test_recharges_report_runs_no_text_from_its_inputs(tmp_path: Path) -> None:
    (tmp_path / "staff.csv").write_text(
        "staff_id,name,employer,annual_cost,lcc,icb,bc\n"
        + _csv(ATTR, TAG, "lcc", "60000", "50", "30", "20")
        + _csv(SCRIPT, SVG, "icb", "50000.03", "25", "60", "15")
        + _csv(TAG, SINGLE, "bc", "30000", "50", "", "50")
    )
    (tmp_path / "actuals.csv").write_text(
        "staff_id,actual_cost,lcc,icb,bc\n"
        + _csv(ATTR, "62000", "40", "40", "20")
        + _csv(SCRIPT, "50000.03", "25", "60", "15")
        + _csv(TAG, "28000", "50", "", "50")
    )
    rc = sharing.recharges(tmp_path / "staff.csv", actuals=tmp_path / "actuals.csv", year="2025/26")
    assert_inert(tmp_path, sharing.write_report(rc, tmp_path / "recharges.html"))


# -- the estate report (issue 16) ----------------------------------------------------------


def _square(code: str, x0: int, y0: int) -> dict[str, Any]:
    ring = [[x0, y0], [x0 + 2000, y0], [x0 + 2000, y0 + 2000], [x0, y0 + 2000], [x0, y0]]
    return {
        "type": "Feature",
        "properties": {"code": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_estate_report_runs_no_text_from_its_inputs(ws, tmp_path: Path) -> None:
    """Hostile text in the partners' names, the areas' codes and names, the assets' names,
    references, addresses, uses and postcodes, and an indicator's source: `wholeplace assets
    report --out estate.html` writes it as text, with the map of the areas."""
    from typer.testing import CliRunner

    from wholeplace.assets import service as assets
    from wholeplace.cli import app

    for pid, name in (("cc", TAG + ATTR), ("icb", SCRIPT + SVG)):
        add_partner(
            ws, {"id": pid, "name": name, "type": "other", "group": SINGLE, "sector": "Health"}
        )
    (tmp_path / "areas.csv").write_text(
        "code,name,population\n" + _csv(ATTR, TAG, "1500") + _csv("E01000002", SCRIPT, "1600")
    )
    import_areas(ws, tmp_path / "areas.csv")
    geo = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": [_square(ATTR, 354000, 434000), _square("E01000002", 356000, 434000)],
    }
    (tmp_path / "b.geojson").write_text(json.dumps(geo))
    import_boundaries(ws, tmp_path / "b.geojson", "code")
    head = "UPRN,AssetCode,PropertyName,StreetName,PostCode,OtherDetail,GeoX,GeoY,"
    head += "BuildingSize,running_cost,utilisation,condition,surplus\n"
    (tmp_path / "cc.csv").write_text(
        head
        + _csv("1", SINGLE, TAG, SCRIPT, SVG, ATTR, "355000", "435000", "900", "60000", "40",
               "C", "yes")
        + _csv("2", "C2", SVG, TAG, "", SCRIPT, "357000", "435000", "300", "9000", "90", "D",
               "no")
    )  # fmt: skip
    (tmp_path / "icb.csv").write_text(
        head
        + _csv("3", ATTR, SCRIPT, ATTR, TAG, SVG, "355200", "435000", "500", "30000", "50", "B",
               "no")
    )  # fmt: skip
    assets.import_register(ws, tmp_path / "cc.csv", "cc")
    assets.import_register(ws, tmp_path / "icb.csv", "icb")
    (tmp_path / "need.csv").write_text(
        "LSOA code,need\n" + _csv(ATTR, "3") + _csv("E01000002", "7")
    )
    assets.import_indicator(
        ws, tmp_path / "need.csv", "need", "need", source=TAG + SCRIPT, as_of=SVG
    )
    ws.close()
    out = tmp_path / "estate.html"
    res = CliRunner().invoke(
        app, ["assets", "report", "--out", str(out), "-w", str(ws.path), "--json"]
    )
    assert res.exit_code == 0, res.output
    said = json.loads(res.stdout)
    # the report has what the payloads sit in: a co-location, disposals and a map
    assert said["opportunities"]["co_locations"] and said["opportunities"]["disposals"]
    raw = out.read_text(encoding="utf-8")
    assert 'id="profile-map"' in raw
    dom = assert_inert(tmp_path, out, charts=False)
    text = _text_of(dom)
    for payload in PAYLOADS:
        assert payload in text, f"{payload!r} is not shown as text"
