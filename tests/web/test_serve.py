"""`wholeplace serve` owns the place: the command line, run beside it, is refused with the
server's address and process id; once the server stops, the command line works again.
`wholeplace users ...` manages the accounts."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner
from web_place import SRC, build_place, served

from wholeplace.cli import app as cli
from wholeplace.errors import WorkspaceError
from wholeplace.server_lock import LOCK_NAME, announce, running, withdraw
from wholeplace.workspace import Workspace


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": SRC, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "wholeplace.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_cli_beside_a_running_server_names_it(tmp_path: Path) -> None:
    place = build_place(tmp_path)
    with served(place) as (server, port):
        note = json.loads((place / LOCK_NAME).read_text())
        assert note["pid"] == server.pid and note["port"] == port
        add = ("partners", "add", "--id", "x", "--name", "X", "--type", "voluntary")
        for args in (add + ("--group", "V", "--sector", "v"), ("partners", "list")):
            done = _cli(*args, "--workspace", str(place))
            assert done.returncode == 2, done.stdout + done.stderr
            said = " ".join((done.stdout + done.stderr).split())
            expected = (
                f"being served by wholeplace serve at http://127.0.0.1:{port} (PID {server.pid}"
            )
            assert expected in said
            assert "Traceback" not in said
    assert not (place / LOCK_NAME).exists()
    done = _cli("partners", "list", "--workspace", str(place), "--json")
    assert done.returncode == 0, done.stderr
    assert [p["id"] for p in json.loads(done.stdout)] == ["cc", "trust"]


def test_a_note_left_by_a_dead_server_is_ignored(tmp_path: Path) -> None:
    place = build_place(tmp_path)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (place / LOCK_NAME).write_text(
        json.dumps({"pid": gone.pid, "host": "127.0.0.1", "port": 8000, "started_at": "x"})
    )
    assert running(place) is None
    Workspace.open(place, read_only=True).close()


def test_workspace_open_refuses_a_served_place(tmp_path: Path) -> None:
    place = build_place(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (place / LOCK_NAME).write_text(
            json.dumps({"pid": other.pid, "host": "127.0.0.1", "port": 8123, "started_at": "t"})
        )
        for read_only in (False, True):
            with pytest.raises(
                WorkspaceError,
                match="being served by wholeplace serve at "
                r"http://127.0.0.1:8123 \(PID",
            ):
                Workspace.open(place, read_only=read_only)
    finally:
        other.kill()
        other.wait()
    # this process's own note never stops it
    announce(place, "127.0.0.1", 9000)
    Workspace.open(place, read_only=True).close()
    withdraw(place)
    assert not (place / LOCK_NAME).exists()


def test_users_commands(tmp_path: Path) -> None:
    place = build_place(tmp_path)
    runner = CliRunner()
    w = ["--workspace", str(place)]
    r = runner.invoke(
        cli,
        [
            "users",
            "add",
            "carol",
            "--role",
            "partner analyst",
            "--partner",
            "trust",
            "--password-stdin",
            *w,
        ],
        input="a long enough password\n",
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["users", "list", "--json", *w])
    assert {"username": "carol", "role": "partner analyst", "partner": "trust"} in json.loads(
        r.stdout
    )
    r = runner.invoke(
        cli,
        ["users", "add", "dave", "--role", "wizard", "--password-stdin", "--json", *w],
        input="short\n",
    )
    assert r.exit_code == 2
    problems = json.loads(r.stdout)["problems"]
    assert [(p["column"], p["message"]) for p in problems] == [
        ("role", "not a role"),
        ("password", "the password is shorter than 12 characters"),
    ]
    r = runner.invoke(
        cli,
        ["users", "reset-password", "carol", "--password-stdin", *w],
        input="another long password\n",
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["users", "remove", "carol", *w])
    assert r.exit_code == 0
    r = runner.invoke(cli, ["users", "remove", "carol", *w])
    assert r.exit_code == 2 and "There is no user 'carol'" in r.output


def test_serve_refuses_a_port_in_use(tmp_path: Path) -> None:
    place = build_place(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = CliRunner().invoke(cli, ["serve", "--workspace", str(place), "--port", str(port)])
    assert r.exit_code == 2
    said = " ".join(r.output.split())
    assert f"Cannot listen on 127.0.0.1 port {port}" in said and "choose another --port" in said
    assert not (place / LOCK_NAME).exists()
