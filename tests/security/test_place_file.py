"""Opening a place changes nothing until it is known to be a whole place (issue 11, items
4, 6 and 7).

Before: ``wholeplace log`` (a read) on a DuckDB file that was not a place added the 17
tables of the migrations to it; a truncated or corrupt ``place.duckdb`` gave a traceback;
an import killed part-way left its ``.import-XXXX`` folder in the place for good; and every
command opened the place for writing, so none could read a place on read-only media.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from place_state import cli, make_place, state

import wholeplace.workspace as wsmod
from wholeplace.errors import WorkspaceError
from wholeplace.workspace import DB_NAME, Workspace

REPO = Path(__file__).resolve().parents[2]
READS = [["log"], ["partners", "list"], ["spend", "map"], ["spend", "suppliers"]]
WRITE = ["partners", "add", "--id", "x", "--name", "X", "--type", "other"]
WRITE += ["--group", "G", "--sector", "S"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, str]:
    return {p.name: _sha(p) if p.is_file() else "dir" for p in sorted(folder.iterdir())}


def _error(res: object, says: str) -> str:
    out = getattr(res, "output", "")
    assert getattr(res, "exit_code", None) == 2, out
    assert "Traceback" not in out
    flat = " ".join(out.split())
    assert says in flat, flat
    return flat


@pytest.fixture
def place(tmp_path: Path) -> Path:
    folder = make_place(tmp_path / "place")
    spend = tmp_path / "spend.csv"
    spend.write_text(
        "partner,year,service,amount_gbp\n"
        + "".join(f"cc,2024/25,ASC,{i}.00\ndc,2024/25,EDU,{i}.50\n" for i in range(1, 200)),
        "utf-8",
    )
    res = cli("spend", "import", str(spend), "-w", str(folder))
    assert res.exit_code == 0, res.output
    return folder


# -- a file that is not a place, or not whole ---------------------------------------------


@pytest.mark.parametrize("argv", [*READS, WRITE])
def test_a_duckdb_file_that_is_not_a_place_is_left_alone(tmp_path: Path, argv: list[str]) -> None:
    con = duckdb.connect(str(tmp_path / DB_NAME))
    con.execute("CREATE TABLE invoices (id INTEGER, amount DECIMAL(18, 2))")
    con.execute("INSERT INTO invoices VALUES (1, 12.50)")
    con.close()
    before = _files(tmp_path)
    _error(cli(*argv, "-w", str(tmp_path)), "is a DuckDB database but not a wholeplace place")
    assert _files(tmp_path) == before  # no table added, no write-ahead log left
    con = duckdb.connect(str(tmp_path / DB_NAME), read_only=True)
    assert con.execute("SELECT table_name FROM duckdb_tables()").fetchall() == [("invoices",)]
    con.close()


@pytest.mark.parametrize("argv", [*READS, WRITE])
def test_a_truncated_place_is_refused(place: Path, argv: list[str]) -> None:
    db = place / DB_NAME
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])  # as a copy cut short, or a full disk, leaves it
    before = _files(place)
    _error(cli(*argv, "-w", str(place)), "is damaged (cut short)")
    assert _files(place) == before


def test_a_place_whose_free_blocks_were_cut_off_its_end_opens(tmp_path: Path) -> None:
    # DuckDB shortens its file when the blocks at the end fall free, yet goes on counting
    # them in total_blocks: only the blocks in use must lie within the file.
    ws = Workspace.create(tmp_path / "p", "Vale")
    for table in ("kept", "dropped"):
        ws.con.execute(f"CREATE TABLE {table} AS SELECT range AS i, md5(range::VARCHAR) AS s "
                       "FROM range(300000)")  # fmt: skip
        ws.con.execute("CHECKPOINT")
    ws.con.execute("DROP TABLE dropped")
    ws.con.execute("CHECKPOINT")
    ws.close()
    db = tmp_path / "p" / DB_NAME
    con = duckdb.connect(str(db), read_only=True)
    ((size, total, used),) = con.execute(
        "SELECT block_size, total_blocks, used_blocks FROM pragma_database_size()"
    ).fetchall()
    con.close()
    assert used * size <= db.stat().st_size < total * size
    with Workspace.open(tmp_path / "p", read_only=True) as again:
        assert again.name == "Vale"


def test_a_corrupt_block_is_reported_whenever_it_is_read(place: Path) -> None:
    # The checks on opening read the place's core tables; a damaged block elsewhere (here:
    # every block after the first) is found by the command that reads it, with the same
    # message, never a traceback.
    db = place / DB_NAME
    size = db.stat().st_size
    with open(db, "r+b") as f:
        for block in range(12288 + 262144, size, 262144):
            f.seek(block + 100)
            f.write(b"\xff" * 64)
    before = _files(place)
    for argv in [*READS, WRITE]:
        _error(cli(*argv, "-w", str(place)), "is damaged (cut short or corrupt)")
    assert _files(place) == before


@pytest.mark.parametrize("content", [b"", b"not a database at all\n" * 100])
def test_a_file_that_is_not_duckdb_is_refused(tmp_path: Path, content: bytes) -> None:
    (tmp_path / DB_NAME).write_bytes(content)
    for argv in [*READS, WRITE]:
        _error(cli(*argv, "-w", str(tmp_path)), "is not a DuckDB database file")
    assert (tmp_path / DB_NAME).read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == [DB_NAME]


def test_reads_leave_the_place_byte_for_byte(place: Path) -> None:
    before = _files(place)
    for argv in READS:
        assert cli(*argv, "-w", str(place)).exit_code == 0
    assert _files(place) == before


def test_a_workspace_opened_read_only_refuses_to_write(place: Path) -> None:
    with Workspace.open(place, read_only=True) as ws:
        assert ws.read_only and ws.name == "Testshire"
        with pytest.raises(WorkspaceError, match="opened read-only"), ws.write("x"):
            pass


def test_a_reader_upgrades_an_older_place_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = wsmod._migrations()
    monkeypatch.setattr(wsmod, "_migrations", lambda: every[:1])
    Workspace.create(tmp_path / "old", "Vale").close()
    monkeypatch.setattr(wsmod, "_migrations", lambda: every)
    with Workspace.open(tmp_path / "old", read_only=True) as ws:
        assert ws.applied_migrations() == [name for name, _ in every]
        assert ws.read_only


# -- scratch folders of killed imports ------------------------------------------------------


def test_stale_scratch_folders_are_removed_by_the_next_writer(place: Path) -> None:
    dead = place / ".import-1-k2j3h4"  # another process's (pid 1 is never a test's)
    old_style = place / ".import-9x8y7z"  # as tempfile named them before issue 11
    mine = place / f".import-{os.getpid()}-live"  # this process's, maybe in use
    for folder in (dead, old_style, mine):
        folder.mkdir()
        (folder / "payments.utf8.csv").write_text("1,a\n")
    with Workspace.open(place, read_only=True):
        pass
    assert dead.exists() and old_style.exists()  # a reader changes nothing
    with Workspace.open(place) as ws:
        assert not dead.exists() and not old_style.exists()
        assert mine.exists()
        with ws.scratch_dir() as scratch:
            assert Path(scratch).name.startswith(f".import-{os.getpid()}-")
            assert ws.clean_stale_scratch() == []
            assert Path(scratch).exists()


def test_an_import_killed_part_way_leaves_nothing_for_long(place: Path, tmp_path: Path) -> None:
    # A Windows-1252 file is decoded into a scratch folder in the place before DuckDB
    # reads it: kill the import while that folder is there.
    payments = tmp_path / "payments.csv"
    line = "Place,Parks,Caf\u00e9 Verde,06/04/2024,5.00\n".encode("cp1252")
    payments.write_bytes(
        b"Directorate,Service Area,Supplier Name,Payment Date,Net Amount\n" + line * 600_000
    )
    before = state(place)
    argv = [sys.executable, "-m", "wholeplace.cli", "spend", "import-transactions"]
    argv += [str(payments), "--partner", "dc", "-w", str(place)]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not list(place.glob(".import-*")) and proc.poll() is None:
            assert time.monotonic() < deadline, "the import never made its scratch folder"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    [left] = place.glob(".import-*")
    assert left.is_dir()
    assert cli("log", "-w", str(place)).exit_code == 0
    assert left.exists()  # a read changes nothing
    assert state(place) == before  # the killed import wrote nothing
    assert cli(*WRITE, "-w", str(place)).exit_code == 0
    assert not left.exists()


# -- read-only media ------------------------------------------------------------------------


@pytest.fixture
def read_only_place(place: Path) -> Iterator[tuple[Path, list[str]]]:
    """A copy of the place no one may write (the command prefix to run the CLI with).

    As root, file permissions do not stop writes: the CLI is then run as ``nobody``
    (setpriv), from a folder under /tmp that ``nobody`` may enter. Otherwise the folder is
    made read-only (``chmod -R a-w``) for this user.
    """
    as_root = os.geteuid() == 0
    if as_root and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: no user to whom the place is read-only")
    top = Path(tempfile.mkdtemp(prefix="wholeplace-ro-"))
    try:
        top.chmod(0o755)
        folder = top / "place"
        shutil.copytree(place, folder)
        (folder / ".import-1-dead").mkdir()  # stale, but a reader must not remove it
        (top / "reports").mkdir(mode=0o777)
        (top / "reports").chmod(0o777)
        for p in [folder, *folder.rglob("*")]:
            p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        prefix = [sys.executable, "-m", "wholeplace.cli"]
        if as_root:
            prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *prefix]
            probe = _run(prefix[:-2], "-c", "import wholeplace.cli")
            if probe.returncode != 0:
                pytest.skip(f"user nobody cannot run this Python and wholeplace: {probe.stderr}")
        yield folder, prefix
    finally:
        for p in [top, *top.rglob("*")]:
            p.chmod(p.stat().st_mode | stat.S_IWUSR)
        shutil.rmtree(top)


def _run(prefix: list[str], *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "HOME": tempfile.gettempdir()}
    return subprocess.run([*prefix, *argv], capture_output=True, text=True, env=env, timeout=300)


def test_a_read_only_place_answers_reads(read_only_place: tuple[Path, list[str]]) -> None:
    folder, prefix = read_only_place
    before = _files(folder)
    log = _run(prefix, "log", "-w", str(folder), "--json")
    assert log.returncode == 0, log.stderr
    assert '"action": "spend import"' in log.stdout
    assert "is read-only" in " ".join(log.stderr.split())
    assert _run(prefix, "spend", "map", "-w", str(folder)).returncode == 0
    out = folder.parent / "reports" / "spend.html"
    report = _run(prefix, "spend", "report", "--out", str(out), "-w", str(folder))
    assert report.returncode == 0, report.stderr
    assert out.stat().st_size > 0
    write = _run(prefix, *WRITE, "-w", str(folder))
    assert write.returncode == 2, write.stderr
    flat = " ".join(write.stderr.split())
    assert "is read-only" in flat and "copy the folder somewhere you can write" in flat
    assert "Traceback" not in flat
    assert _files(folder) == before


def test_read_only_media_simulated(place: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same logic wherever the tests run (as root, file permissions stop nothing):
    # the folder reports itself unwritable, and DuckDB refuses to open it for writing.
    monkeypatch.setattr(wsmod, "_can_write", lambda _path: False)
    real = duckdb.connect

    def connect(database: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        if not read_only:
            raise duckdb.IOException(
                f'IO Error: Cannot open file "{database}": Read-only file system'
            )
        return real(database, read_only=True)

    monkeypatch.setattr(wsmod.duckdb, "connect", connect)
    before = _files(place)
    log = cli("log", "-w", str(place))
    assert log.exit_code == 0, log.output
    assert "is read-only" in " ".join(log.output.split())
    _error(cli(*WRITE, "-w", str(place)), "copy the folder somewhere you can write")
    monkeypatch.setattr(wsmod, "_can_write", lambda _path: True)  # DuckDB's refusal alone
    _error(cli(*WRITE, "-w", str(place)), "is read-only (on read-only media")
    assert _files(place) == before


# -- another program using the place ------------------------------------------------------


@pytest.mark.parametrize("holder_reads", [False, True])
def test_another_program_holding_the_place(place: Path, holder_reads: bool) -> None:
    code = (
        "import sys, time\n"
        "from wholeplace.workspace import Workspace\n"
        f"ws = Workspace.open(sys.argv[1], read_only={holder_reads})\n"
        "print('open', flush=True)\n"
        "sys.stdin.read()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(place)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        log = cli("log", "-w", str(place))
        if holder_reads:  # readers share the place
            assert log.exit_code == 0, log.output
        else:  # DuckDB 2.0 refuses a reader while another program writes (docs/workspace.md)
            flat = _error(log, "is being written by another program")
            assert f"PID {holder.pid})" in flat and "try again when it finishes" in flat
        flat = _error(cli(*WRITE, "-w", str(place)), "is in use by another program")
        assert f"PID {holder.pid})" in flat and "could not set its lock" in flat
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
