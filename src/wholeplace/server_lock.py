"""The note a running web server leaves in the place it serves (``serving.json``).

``wholeplace serve`` holds the place's DuckDB file open for writing for as long as it runs:
it is the place's single writer, and DuckDB lets no other program open the file meanwhile,
not even to read. So that a command run beside it fails with words a person can act on
(which server, at which address, under which process id) rather than DuckDB's lock error,
the server writes this note, atomically, once it holds the file, and removes it when it
stops. :meth:`wholeplace.workspace.Workspace.open` reads it first. A note left by a server
that was killed names a process that no longer runs, and is ignored.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from wholeplace.reports.atomic import write_text_atomic

LOCK_NAME = "serving.json"


@dataclass(frozen=True)
class Server:
    pid: int
    host: str
    port: int
    started_at: str

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def describe(self) -> str:
        return f"wholeplace serve at {self.url} (PID {self.pid}, started {self.started_at})"


def announce(place: Path, host: str, port: int) -> Server:
    """Write the note for this process serving ``place`` on ``host:port``."""
    server = Server(os.getpid(), host, port, datetime.now(UTC).isoformat(timespec="seconds"))
    write_text_atomic(place / LOCK_NAME, json.dumps(asdict(server), indent=2) + "\n")
    return server


def withdraw(place: Path) -> None:
    """Remove the note, if it is this process's own."""
    server = _read(place)
    if server is not None and server.pid == os.getpid():
        (place / LOCK_NAME).unlink(missing_ok=True)


def running(place: Path) -> Server | None:
    """The server serving ``place`` from another process that is still running, if any."""
    server = _read(place)
    if server is None or server.pid == os.getpid() or not _alive(server.pid):
        return None
    return server


def _read(place: Path) -> Server | None:
    try:
        data = json.loads((place / LOCK_NAME).read_text(encoding="utf-8"))
        return Server(
            int(data["pid"]), str(data["host"]), int(data["port"]), str(data["started_at"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        # no note, or one that is not ours to read: DuckDB's own lock still guards the file
        return None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, as another user
        return True
    return True
