"""Sharing agreements on the web: the shipped pooled budget gives the county council a net
cost of £1,296,364.79 over the pool (docs/sharing.md's worked table), on the page and in its
XLSX report."""

from __future__ import annotations

import io
from importlib import resources

import openpyxl
from fastapi.testclient import TestClient
from web_place import csrf_of, sign_in

SHARING = resources.files("wholeplace") / "data" / "sharing"


def _run(client: TestClient, kind: str, output: str, name: str, body: bytes):
    csrf = csrf_of(client.get("/sharing").text)
    return client.post(
        "/sharing/run",
        data={"csrf": csrf, "kind": kind, "output": output},
        files={"file": (name, body, "application/octet-stream")},
    )


def test_pool_on_the_page_and_as_xlsx(client: TestClient) -> None:
    sign_in(client, "mem")
    body = (SHARING / "pool_example.yaml").read_bytes()
    r = _run(client, "pool", "page", "pool.yaml", body)
    assert r.status_code == 200, r.text
    assert "1296364.79" in r.text and "76364.79" in r.text  # lcc's net cost, variance share
    x = _run(client, "pool", "xlsx", "pool.yaml", body)
    assert x.headers["content-disposition"] == 'attachment; filename="pool-report.xlsx"'
    cells = [
        str(c.value)
        for ws in openpyxl.load_workbook(io.BytesIO(x.content))
        for row in ws.iter_rows()
        for c in row
    ]
    assert any("1296364.79" in c for c in cells)


def test_every_kind_runs_its_shipped_example(client: TestClient) -> None:
    sign_in(client, "admin")
    for kind, name in (
        ("gainshare", "gainshare_example.yaml"),
        ("recharges", "staff_example.csv"),
    ):
        r = _run(client, kind, "page", name, (SHARING / name).read_bytes())
        assert r.status_code == 200, (kind, r.text[-2000:])
        assert 'id="sharing-result"' in r.text


def test_a_bad_file_gets_the_problem_table(client: TestClient) -> None:
    sign_in(client, "mem")
    r = _run(client, "pool", "page", "pool.yaml", b"pool: x\nyears: 3\n")
    assert r.status_code == 400 and 'id="problem-table"' in r.text
    r = _run(client, "nonsense", "page", "pool.yaml", b"")
    assert r.status_code == 400
