"""What the place records of a web upload (issue 13, the audit log): the name the user
uploaded, reduced to its base name, and the SHA-256 of its bytes, never the path of the
server's scratch folder the upload was saved in for the import (gone once it ends)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_place import build_place, csrf_of, sign_in

from wholeplace.web import Place, create_app
from wholeplace.workspace import Workspace

LINES = "partner,year,service,amount_gbp\ncc,2025/26,EDU,23.45\n"
PAYMENTS = "Supplier Name,Payment Date,Net Amount,Service Area\nAcme,01/05/2024,100.00,Education\n"
PARTNERS = "id,name,type,group,sector\nvol,Volunteers,voluntary,Voluntary,voluntary\n"


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Place]:
    place = Place.open(build_place(tmp_path))
    yield place
    place.close()


@pytest.fixture
def web(fresh: Place) -> Iterator[TestClient]:
    with TestClient(create_app(fresh)) as c:
        yield c


def _latest(client: TestClient, action: str) -> dict[str, Any]:
    entries = client.get("/api/audit", params={"limit": 50}).json()
    found: dict[str, Any] = next(e for e in entries if e["action"] == action)
    return found


def _post(client: TestClient, route: str, name: str, body: str) -> None:
    csrf = csrf_of(client.get("/uploads").text)
    r = client.post(route, data={"csrf": csrf}, files={"file": (name, body.encode())})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("route", "action", "body"),
    [
        ("/uploads/spend", "spend import", LINES),
        ("/uploads/partners", "partners import", PARTNERS),
        ("/uploads/transactions", "spend import-transactions", PAYMENTS),
    ],
)
def test_audit_names_the_uploaded_file_not_the_scratch_folder(
    web: TestClient, fresh: Place, route: str, action: str, body: str
) -> None:
    sign_in(web, "admin" if route == "/uploads/partners" else "ana")
    # a browser may send a path: only its last part is the file's name
    _post(web, route, "C:\\Users\\ana\\Desktop\\May spend.csv", body)
    sign_in(web, "admin")  # who reads the audit log
    entry = _latest(web, action)
    assert entry["file"] == "May spend.csv"
    assert entry["sha256"] == hashlib.sha256(body.encode()).hexdigest()
    text = str(entry)
    assert ".import-" not in text and str(fresh.path) not in text
    assert "Desktop" not in text


def test_stored_imports_name_the_uploaded_file(web: TestClient, fresh: Place) -> None:
    """The spend imports and transaction files the place keeps say the same name."""
    sign_in(web, "ana")
    _post(web, "/uploads/spend", "lines.csv", LINES)
    _post(web, "/uploads/transactions", "payments.csv", PAYMENTS)
    with fresh.read() as ws:
        imports = [r[0] for r in ws.con.execute("SELECT file FROM spend_imports").fetchall()]
        files = [r[0] for r in ws.con.execute("SELECT file FROM transaction_files").fetchall()]
    assert "lines.csv" in imports
    assert files == ["payments.csv"]
    assert not any(".import-" in f for f in imports + files)


def test_the_command_line_keeps_recording_the_path_it_was_given(tmp_path: Path) -> None:
    given = tmp_path / "files" / "spend.csv"
    given.parent.mkdir()
    given.write_text(LINES, encoding="utf-8")
    ws = Workspace.create(tmp_path / "place", "Test")
    try:
        with ws.write("spend import", file=given):
            pass
        with ws.scratch_dir() as tmp, ws.write("spend import", file=Path(tmp) / "upload.csv"):
            pass
        entries = ws.audit_log(limit=2)
    finally:
        ws.close()
    assert [e.file for e in entries] == ["upload.csv", str(given)]
