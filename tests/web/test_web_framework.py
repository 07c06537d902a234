"""The self-assessment's grid on the web: one statement (SW-DA-1, stewardship x data)
answered met (2 points), not met (0) and partly (1) by three partners is 3 of 6 points,
50.0 %, in its cell, its level, its dimension and overall (as docs/framework.md scores)."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from framework_helpers import add_three
from typer.testing import CliRunner
from web_place import PASSWORD, sign_in

from wholeplace.cli import app as cli
from wholeplace.framework import service
from wholeplace.web import Place, create_app
from wholeplace.web.users import add_user
from wholeplace.workspace import Workspace


def test_framework_grid(tmp_path: Path) -> None:
    folder = tmp_path / "vale"
    with Workspace.create(folder, "Valeshire") as ws:
        add_three(ws)
        add_user(ws, "board", "board viewer", PASSWORD)
    place = Place.open(folder)
    try:
        with TestClient(create_app(place)) as client:
            sign_in(client, "board")
            assert "No assessment has been started yet" in client.get("/framework").text
            with place.write("test") as ws:
                service.start_assessment(ws, "2025/26")
                for p, a in (("vale", "met"), ("icb", "not met"), ("police", "partly")):
                    service.answer(ws, p, "SW-DA-1", a)
            page = " ".join(client.get("/framework").text.split())
            assert "the partnership scores <strong>50.0%</strong> (3 of 6 points)" in page
            cell = '<td class="govuk-table__cell govuk-table__cell--numeric">'
            assert f"Valeshire Police (police)</td>{cell}50.0%" in page
            api = client.get("/api/framework/scores").json()
            assert api["overall"]["points"] == 3 and api["overall"]["out_of"] == 6
            run = CliRunner().invoke(cli, ["framework", "scores", "--json", "-w", str(folder)])
            assert run.exit_code == 0, run.output
            assert api == json.loads(run.stdout)
    finally:
        place.close()
