"""What the web benchmarks share (web_load.py, web_lcp.py): a place to serve (the demo,
built afresh, unless one is named), `wholeplace serve` over it on a free port of 127.0.0.1,
a partnership member to sign in as, and a visitor that signs in and sends requests.

Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import http.client
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOST = "127.0.0.1"  # loopback only: no other address is ever a target
USER = "load-member"
PASSWORD = "load test password, not a secret"
COOKIE = "wholeplace_session"


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
    return ordered[int(rank) - 1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def cli(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wholeplace.cli", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def prepare(place: Path) -> None:
    """A partnership member the virtual users sign in as."""
    w = ("-w", str(place))
    added = cli(
        "users",
        "add",
        USER,
        "--role",
        "partnership member",
        "--password-stdin",
        *w,
        stdin=PASSWORD + "\n",
    )
    if added.returncode != 0:
        reset = cli("users", "reset-password", USER, "--password-stdin", *w, stdin=PASSWORD + "\n")
        if reset.returncode != 0:
            sys.exit(f"cannot add the user {USER}: {added.stdout}{added.stderr}{reset.stderr}")


class Visitor:
    """One virtual user: a keep-alive connection and a session cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.con = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, kind: str | None = None
    ) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if kind:
            headers["Content-Type"] = kind
        try:
            self.con.request(method, path, body=body, headers=headers)
            response = self.con.getresponse()
        except (OSError, http.client.HTTPException):
            self.con.close()  # reconnect once: the server may have closed a kept-alive one
            self.con = http.client.HTTPConnection(HOST, self.port, timeout=60)
            self.con.request(method, path, body=body, headers=headers)
            response = self.con.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";")[0]
        return response.status, data

    def sign_in(self) -> str:
        status, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf" value="([^"]+)"', page)
        if status != 200 or token is None:
            sys.exit(f"the sign-in page answered {status}")
        form = urllib.parse.urlencode(
            {"username": USER, "password": PASSWORD, "csrf": token.group(1).decode()}
        ).encode()
        status, _ = self.request("POST", "/login", form, "application/x-www-form-urlencoded")
        if status != 303:
            sys.exit(f"signing in answered {status}")
        _, page = self.request("GET", "/appraisals")
        found = re.search(rb'name="csrf" value="([^"]+)"', page)
        if found is None:
            sys.exit("signed in, but the appraisals page has no form")
        return found.group(1).decode()


def serve(place: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wholeplace.cli",
            "serve",
            "-w",
            str(place),
            "--host",
            HOST,
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            con = http.client.HTTPConnection(HOST, port, timeout=2)
            con.request("GET", "/published")
            if con.getresponse().status == 200:
                return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"the server stopped (exit {server.returncode})")
        time.sleep(0.3)
    server.kill()
    sys.exit("the server did not start in 120 s")


def machine() -> str:
    load = os.getloadavg()
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


@contextmanager
def served(place: Path | None) -> Iterator[int]:
    """``wholeplace serve`` over ``place`` (default: the demo place, built afresh in a
    temporary folder), with the user ``USER``; yields its port, and stops it (as Ctrl+C does)
    at the end."""
    with tempfile.TemporaryDirectory(prefix="wp-web-") as tmp:
        if place is None:
            place = Path(tmp) / "demo-place"
            print(f"building the demo place in {place} ...", flush=True)
            built = cli("demo", str(place))
            if built.returncode != 0:
                sys.exit("the demo place could not be built:\n" + built.stdout + built.stderr)
        prepare(place)
        port = free_port()
        print(machine(), flush=True)
        server = serve(place, port)
        try:
            yield port
        finally:
            server.send_signal(2)  # SIGINT, as Ctrl+C: the server withdraws serving.json
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
