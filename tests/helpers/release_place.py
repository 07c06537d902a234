"""A place whose release holds the outcomes scorecard and the area profiles (issue 13):
the test place (web_place.py) with a third area, spend in T1 and an outcomes framework.
The hand calculations are in tests/web/test_web_release_figures.py."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from web_place import build_place

from wholeplace.areas import import_areas, import_boundaries
from wholeplace.outcomes import service as outcomes_service
from wholeplace.spend import import_lines
from wholeplace.web import publishing, release_publication
from wholeplace.workspace import Workspace

# One outcome and its two indicators; tests/web/test_web_outcomes.py adds its contributions
# (the services behind it) between the two parts.
OUTCOME = """\
outcomes:
  - id: independent
    title: Older people live independently
    partners: [cc, trust]
"""
INDICATORS = """\
    indicators:
      - id: admissions
        name: Emergency admissions of people aged 65 and over
        definition: Emergency admissions per 1,000 people aged 65 and over
        source: Hospital episode statistics
        unit: per 1,000
        polarity: lower
        frequency: quarterly
        owner: trust
        baseline: {value: 20, date: 2024-03-31}
        target: {value: 15, date: 2026-03-31}
        quality: {accuracy: 4, completeness: 4, uniqueness: 4,
                  consistency: 4, timeliness: 4, validity: 4}
      - id: reablement
        name: Still at home 91 days after reablement
        definition: Share of people still at home 91 days after leaving hospital into reablement
        source: Council case system
        unit: share
        polarity: higher
        frequency: quarterly
        owner: cc
        baseline: {value: 0.8, date: 2024-03-31}
        target: {value: 0.9, date: 2026-03-31}
        quality: {accuracy: 4, completeness: 4, uniqueness: 4,
                  consistency: 4, timeliness: 4, validity: 4}
"""
FRAMEWORK = OUTCOME + INDICATORS
APPROVED = """\
indicator,period,area,value,numerator,denominator,note
admissions,2024/25 Q1,place,18,,,
reablement,2024/25 Q1,place,0.75,3,4,
"""
T3 = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"code": "T3", "LSOA11NM": "Testshire 001C"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [351000, 449000],
                        [352000, 449000],
                        [352000, 450000],
                        [351000, 450000],
                        [351000, 449000],
                    ]
                ],
            },
        }
    ],
}
RELEASE = "testshire-outcomes-and-areas"
PREPARED = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
PUBLISHED = datetime(2026, 12, 1, 9, 31, tzinfo=UTC)  # 09:30 GMT on 1 December has passed


def put(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


def build_release_place(root: Path) -> Path:
    """The test place with T3, £1,200.00 in T1, the outcomes framework and the release
    ``RELEASE`` of outcomes and areas, prepared at ``PREPARED`` for 09:30 on 1 December
    2026."""
    folder = build_place(root)
    ws = Workspace.open(folder)
    try:
        import_areas(ws, put(root, "t3.csv", "code,name,population\nT3,,3\n"))
        import_boundaries(ws, put(root, "t3.geojson", json.dumps(T3)))
        import_lines(
            ws,
            put(
                root,
                "t1.csv",
                "partner,year,service,area,customer_group,amount_gbp,counterparty\n"
                "cc,2024/25,Adult social care,T1,Older people,1200.00,\n",
            ),
        )
        outcomes_service.import_framework(ws, put(root, "framework.yaml", FRAMEWORK))
        outcomes_service.import_observations(ws, put(root, "q1.csv", APPROVED), "q1")
        outcomes_service.review(ws, "q1", "A. Analyst")
        outcomes_service.approve(ws, "q1", "B. Director")
        publishing.create(
            ws,
            "Testshire outcomes and areas",
            "How Testshire is doing.",
            None,
            ["outcomes", "areas"],
            [],
            "mem@testclient",
            PREPARED,
        )
        release_publication.schedule(ws, RELEASE, date(2026, 12, 1), PREPARED)
    finally:
        ws.close()
    return folder
