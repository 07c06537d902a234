"""Suppliers on the web: the council pays Care Homes PLC £5,000.00 and the trust pays Care
Homes Ltd £2,000.00, so the shared supplier CARE HOMES has £7,000.00 from two partners (the
legal suffix is not part of the name, docs/national.md); the JSON is the CLI's."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_place import build_place, sign_in

from wholeplace.cli import app as cli
from wholeplace.spend import import_transactions
from wholeplace.web import Place, create_app
from wholeplace.workspace import Workspace

HEAD = "Supplier Name,Payment Date,Net Amount\n"


def test_shared_suppliers(tmp_path: Path) -> None:
    folder = build_place(tmp_path)
    with Workspace.open(folder) as ws:
        for partner, row in (
            ("cc", "Care Homes PLC,10/06/2024,5000.00"),
            ("trust", "Care Homes Ltd,06/05/2024,2000.00"),
        ):
            f = tmp_path / f"{partner}-tx.csv"
            f.write_text(HEAD + row + "\n", encoding="utf-8")
            import_transactions(ws, [f], partner=partner)
    place = Place.open(folder)
    try:
        with TestClient(create_app(place)) as client:
            sign_in(client, "board")
            api = client.get("/api/spend/suppliers", params=dict(shared="true")).json()
            rows = api["suppliers"]
            assert len(rows) == 1 and "7000.00" in json.dumps(rows[0])
            page = client.get("/suppliers", params=dict(shared="true"))
            assert page.status_code == 200 and "7000.00" in page.text
            run = CliRunner().invoke(
                cli, ["spend", "suppliers", "--shared", "--json", "-w", str(folder)]
            )
            assert run.exit_code == 0, run.output
            assert api == json.loads(run.stdout)
    finally:
        place.close()


def test_no_transactions_yet(client: TestClient) -> None:
    sign_in(client, "board")
    assert "No transactions have been imported yet" in client.get("/suppliers").text
