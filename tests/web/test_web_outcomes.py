"""/outcomes and /api/outcomes (docs/web.md, "Outcomes"): members, board viewers and
administrators read the partnership's scorecard; everyone else only the residents' version,
from approved data with small numbers left out."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from release_place import APPROVED, INDICATORS, OUTCOME
from web_place import build_place, sign_in

from wholeplace.outcome_values import spend_behind, spend_lines, unit_cost_proxies
from wholeplace.outcomes import service as outcomes_service
from wholeplace.spend.service import plain
from wholeplace.web import Place, create_app
from wholeplace.workspace import Workspace

FRAMEWORK = (
    OUTCOME
    + """\
    contributions:
      - {partner: cc, service: ASC}
      - {partner: trust, customer_group: Older people}
"""
    + INDICATORS
)
# APPROVED: admissions 18 (amber); reablement 3 of 4 (a small number, left out in public)
# a draft: only the partnership sees it
DRAFT = """\
indicator,period,area,value,numerator,denominator,note
admissions,2024/25 Q2,place,14,,,
"""


@pytest.fixture(scope="module")
def outcomes_place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("web-outcomes")
    folder = build_place(root)
    for name, text in (
        ("framework.yaml", FRAMEWORK),
        ("approved.csv", APPROVED),
        ("draft.csv", DRAFT),
    ):
        (root / name).write_text(text, encoding="utf-8")
    ws = Workspace.open(folder)
    try:
        outcomes_service.import_framework(ws, root / "framework.yaml")
        outcomes_service.import_observations(ws, root / "approved.csv", "q1")
        outcomes_service.review(ws, "q1", "A. Analyst")
        outcomes_service.approve(ws, "q1", "B. Director")
        outcomes_service.import_observations(ws, root / "draft.csv", "q2")
    finally:
        ws.close()
    yield folder


@pytest.fixture
def client(outcomes_place: Path) -> Iterator[TestClient]:
    p = Place.open(outcomes_place)
    try:
        with TestClient(create_app(p)) as c:
            yield c
    finally:
        p.close()


def cli_json(folder: Path, public: bool) -> object:
    ws = Workspace.open(folder, read_only=True)
    try:
        r = outcomes_service.report(
            ws, public, unit_cost_proxies(ws), spend_behind(ws), spend_lines(ws)
        )
        return plain(r.to_json())
    finally:
        ws.close()


def latest(data: dict[str, object], indicator: str) -> object:
    rows = data["scorecard"]
    assert isinstance(rows, list)
    return next(r["latest"] for r in rows if r["indicator"] == indicator)


def test_the_public_reads_only_approved_unsuppressed_figures(
    client: TestClient, outcomes_place: Path
) -> None:
    data = client.get("/api/outcomes").json()
    assert data == cli_json(outcomes_place, public=True)
    assert data["public"] is True
    assert latest(data, "admissions") == {"period": "2024/25 Q1", "value": "18"}  # not the draft
    assert latest(data, "reablement") is None  # 3 of 4: under 5, left out
    assert (data["suppressed"], data["unapproved_left_out"]) == (1, 1)
    page = client.get("/outcomes")
    assert page.status_code == 200
    assert "For residents" in page.text and ">14 (" not in page.text
    # asking for the partnership's version changes nothing for the public
    assert client.get("/api/outcomes?public=false").json()["public"] is True


@pytest.mark.parametrize("user", ["mem", "board", "admin"])
def test_members_board_and_admin_read_the_partnerships_scorecard(
    client: TestClient, outcomes_place: Path, user: str
) -> None:
    sign_in(client, user)
    data = client.get("/api/outcomes").json()
    assert data == cli_json(outcomes_place, public=False)
    assert latest(data, "admissions") == {"period": "2024/25 Q2", "value": "14"}  # the draft
    assert latest(data, "reablement") == {"period": "2024/25 Q1", "value": "0.75"}
    # the money behind it, by hand: the council's adult social care 1,000.00 (its 300.00 to
    # the trust eliminated) + the trust's lines for older people 2,000.25 = 3,000.25
    spend = data["outcomes"][0]["contribution_spend"]
    assert [x["amount"] for x in spend["lines"]] == ["1000.00", "2000.25"]
    assert Decimal(spend["total"]) == Decimal("1000.00") + Decimal("2000.25")
    page = client.get("/outcomes")
    assert page.status_code == 200
    assert "14 (2024/25 Q2)" in page.text and "£3,000.25" in page.text
    assert client.get("/api/outcomes?public=true").json() == cli_json(outcomes_place, True)


def test_an_analyst_reads_the_residents_version(client: TestClient) -> None:
    sign_in(client, "ana")
    assert client.get("/api/outcomes").json()["public"] is True


def test_a_place_without_outcomes_says_so(tmp_path: Path) -> None:
    p = Place.open(build_place(tmp_path))
    try:
        with TestClient(create_app(p)) as c:
            page = c.get("/outcomes")
            assert page.status_code == 200
            assert "No outcomes framework imported yet" in page.text
            r = c.get("/api/outcomes")
            assert r.status_code == 400
            assert "No outcomes framework imported yet" in r.text
    finally:
        p.close()
