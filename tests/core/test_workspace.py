import hashlib
from pathlib import Path

import pytest

from wholeplace.errors import WorkspaceError
from wholeplace.workspace import Workspace


def test_create_open_and_audit(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "p", "Shire", population=123)
    assert (tmp_path / "p" / "place.duckdb").exists()
    assert ws.applied_migrations()[0] == "0001_core.sql"
    ws.close()
    ws = Workspace.open(tmp_path / "p")
    assert ws.name == "Shire"
    assert ws.population == 123
    log = ws.audit_log()
    assert [e.action for e in log] == ["init"]
    assert log[0].detail == {"name": "Shire", "population": 123}
    ws.close()


def test_create_refuses_existing_place(tmp_path: Path) -> None:
    Workspace.create(tmp_path, "A").close()
    with pytest.raises(WorkspaceError, match="already holds a place"):
        Workspace.create(tmp_path, "B")


def test_open_missing_place_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="wholeplace init"):
        Workspace.open(tmp_path)


def test_failed_write_rolls_back_change_and_audit(ws: Workspace) -> None:
    before = len(ws.audit_log())
    with pytest.raises(RuntimeError), ws.write("settings change"):
        ws.set_setting("name", "Changed")
        raise RuntimeError("boom")
    assert ws.name == "Testshire"
    assert len(ws.audit_log()) == before


def test_write_records_file_checksum(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a\n1\n")
    with ws.write("test", file=f, rows=1):
        pass
    entry = ws.audit_log(1)[0]
    assert entry.sha256 == hashlib.sha256(b"a\n1\n").hexdigest()
    assert entry.file == str(f) and entry.rows == 1
