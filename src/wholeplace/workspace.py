"""A place: a folder holding ``place.duckdb``.

Every write goes through :meth:`Workspace.write`, one transaction that also records
an audit-log entry, so an import lands whole or not at all and is always accounted for.

Opening looks before it touches (:meth:`Workspace.open`): the file is first opened
read-only and checked to be a whole place (its core tables there, long enough to hold the
blocks it has in use, its migrations readable); only then, and only for a command that
changes the place, is it opened for writing, migrated, and cleared of the scratch folders
of imports that were killed. A file that is not a place, or is damaged, is never changed.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import duckdb

from wholeplace.errors import InputError, Problem, WorkspaceError
from wholeplace.population import BadPopulation, check_population, parse_population
from wholeplace.server_lock import running

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend as IbisDuckDB

DB_NAME = "place.duckdb"
# Scratch folders of imports (:meth:`Workspace.scratch_dir`): ``.import-<pid>-<random>``.
SCRATCH_PREFIX = ".import-"
# The tables every place has had since its first migration (0001_core.sql).
CORE_TABLES = frozenset({"schema_migrations", "settings", "audit_log"})
# DuckDB's words for a database file that is cut short or corrupt.
_DAMAGED = ("Could not read enough bytes", "Corrupt database file", "not a valid DuckDB database")
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _migrations() -> list[tuple[str, str]]:
    folder = resources.files("wholeplace") / "migrations"
    found = [
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    ]
    return sorted(found)


@dataclass
class AuditEntry:
    at: datetime
    who: str
    action: str
    file: str | None
    sha256: str | None
    rows: int | None
    detail: dict[str, object]


@dataclass(frozen=True)
class AuditRecord:
    """One audit entry of something that changed nothing (:meth:`Workspace.record`)."""

    who: str
    action: str
    detail: Mapping[str, object]
    sha256: str | None = None


class WriteInfo(TypedDict):
    """What :meth:`Workspace.write` records in the audit log; the body may update it."""

    rows: int | None
    detail: dict[str, object]
    sha256: str | None


def _check_population(population: int | str) -> int:
    """The place's population, from a number or the text typed after ``--population``
    (``91,000``; ``1e99`` and 23 digits get the problem table, not Typer's usage box)."""
    try:
        if isinstance(population, str):
            return parse_population(population)
        return check_population(population)
    except BadPopulation as bad:
        where = Problem(
            "(command line)", None, "--population", str(population), bad.message, bad.fix
        )
        raise InputError([where], "the place was not made") from None


class Workspace:
    """An open place. Use :meth:`create` or :meth:`open`; close with :meth:`close`."""

    def __init__(
        self, path: Path, con: duckdb.DuckDBPyConnection, *, read_only: bool = False
    ) -> None:
        self.path = path
        self.con = con
        # opened for reading only: a write is refused (Workspace.write) before DuckDB is asked
        self.read_only = read_only
        # Progress is ours to show (Rich, in the CLI): DuckDB's own bar would print
        # over it on long queries.
        con.execute("SET enable_progress_bar_print = false")
        self._ibis: IbisDuckDB | None = None
        self._in_write = False
        # who the audit log names for writes (a web user); None: the login running the program
        self._actor: str | None = None

    # -- lifecycle -------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, name: str, population: int | str | None = None) -> Workspace:
        path = Path(path)
        if isinstance(population, str) and not population.strip():
            population = None  # left blank: not known
        if population is not None:
            population = _check_population(population)
        db = path / DB_NAME
        if db.exists():
            raise WorkspaceError(
                f"{path} already holds a place ({DB_NAME} exists). "
                "Fix: choose another folder, or use --workspace to work with that place."
            )
        path.mkdir(parents=True, exist_ok=True)
        ws = cls(path, duckdb.connect(str(db)))
        try:
            ws.migrate()
            with ws.write("init", detail={"name": name, "population": population}):
                ws.set_setting("name", name)
                ws.set_setting("created_at", datetime.now(UTC).isoformat())
                if population is not None:
                    ws.set_setting("population", str(population))
        except BaseException:
            # A half-made place is worse than none: remove it so init can be re-run.
            ws.con.close()
            for leftover in (db, db.with_name(db.name + ".wal")):
                leftover.unlink(missing_ok=True)
            raise
        return ws

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> Workspace:
        """The place in ``path``. ``read_only``: for commands that only read (the log, the
        map, reports): nothing in the folder is changed, and a place on read-only media,
        or without write permission, can still be read (:attr:`writable` says which).

        Raises :class:`WorkspaceError`, changing nothing, when there is no place, the file
        is not a place or is damaged, another program holds it, or (to write) the place
        cannot be written.
        """
        path = Path(path)
        db = path / DB_NAME
        if not db.exists():
            raise WorkspaceError(
                f"No place found in {path.resolve()} (no {DB_NAME}). "
                f"Fix: run `wholeplace init {path} --name NAME`, or pass --workspace DIR."
            )
        served = running(path)
        if served is not None:
            raise served_error(path, served.describe(), served.url, read_only)
        con = _connect(db, read_only=True, to_change=not read_only)
        try:
            pending = _check_place(con, db)
        except BaseException:
            con.close()
            raise
        if read_only and not pending:
            return cls(path, con, read_only=True)
        con.close()
        if not _can_write(path):
            if read_only:  # an older place that needs its migrations to be read
                raise WorkspaceError(
                    f"The place in {path} was made by an older version of wholeplace and "
                    f"must be upgraded (migrations {', '.join(pending)}) before it can be "
                    "read, but it is read-only. Nothing was changed. Fix: copy the folder "
                    "somewhere you can write and use the copy."
                )
            raise read_only_error(path)
        ws = cls(path, _connect(db, read_only=False, to_change=True))
        try:
            ws.migrate()
            ws.clean_stale_scratch()
        except BaseException:
            ws.close()
            raise
        # a reader that had to upgrade an older place first still may not write
        ws.read_only = read_only
        return ws

    @property
    def writable(self) -> bool:
        """Whether this program may change the place's folder and file (not: whether it
        was opened to change them, which :attr:`read_only` says)."""
        return _can_write(self.path)

    # -- scratch folders -------------------------------------------------------------
    def scratch_dir(self) -> tempfile.TemporaryDirectory[str]:
        """A temporary folder inside the place (for an import's decoded copy: on the same
        disk as the place, which has room for it), removed when the ``with`` ends. Its
        name carries this process's id, so :meth:`clean_stale_scratch` knows it is live."""
        return tempfile.TemporaryDirectory(dir=self.path, prefix=f"{SCRATCH_PREFIX}{os.getpid()}-")

    def recorded_name(self, file: Path | str) -> str:
        """How the place records a file an import read (audit log, spend imports,
        transaction files): the path as given, but a file in one of the place's scratch
        folders by its name alone. That is a web upload, saved there under the base name of
        the file the user sent (``web.uploads.safe_name``); the folder is gone when the
        import ends and its path means nothing to whoever reads the record."""
        path = Path(file)
        try:
            inside = path.resolve().relative_to(self.path.resolve())
        except (OSError, ValueError):
            return str(file)
        if inside.parts and inside.parts[0].startswith(SCRATCH_PREFIX):
            return path.name
        return str(file)

    def clean_stale_scratch(self) -> list[str]:
        """Remove the scratch folders that imports killed part-way left behind; return
        their names.

        Only a program holding the place open for writing imports into it, and DuckDB lets
        one program at a time do that: so once this one has opened it for writing, every
        scratch folder is stale but those of this very process (a second Workspace open in
        the same program shares DuckDB's lock), whose id is in their names.
        """
        if self.read_only:
            return []
        mine = f"{SCRATCH_PREFIX}{os.getpid()}-"
        removed = []
        for entry in self.path.glob(SCRATCH_PREFIX + "*"):
            if entry.is_dir() and not entry.is_symlink() and not entry.name.startswith(mine):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry.name)
        return sorted(removed)

    def close(self) -> None:
        if self._ibis is not None:
            self._ibis = None
        self.con.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def acting_as(self, who: str) -> Iterator[None]:
        """Writes in the ``with`` are recorded in the audit log as ``who`` (a web user,
        with the address they came from), not as the login running the server."""
        before, self._actor = self._actor, who
        try:
            yield
        finally:
            self._actor = before

    # -- schema ----------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply every shipped migration not yet applied, each in its own transaction."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(id VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
        )
        applied = {r[0] for r in self.con.execute("SELECT id FROM schema_migrations").fetchall()}
        done: list[str] = []
        for name, sql in _migrations():
            if name in applied:
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?)", [name, datetime.now(UTC)]
                )
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise
            done.append(name)
        return done

    def applied_migrations(self) -> list[str]:
        return [
            r[0]
            for r in self.con.execute("SELECT id FROM schema_migrations ORDER BY id").fetchall()
        ]

    # -- writes ----------------------------------------------------------------------
    @contextmanager
    def write(
        self,
        action: str,
        *,
        file: Path | str | None = None,
        sha256: str | None = None,
        rows: int | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> Iterator[WriteInfo]:
        """One transaction plus its audit entry.

        The body may update the yielded dict (``rows``, ``detail``, ``sha256``) before it ends;
        the audit entry is written inside the same transaction, so it exists exactly
        when the change does.
        """
        if self._in_write:
            raise RuntimeError("nested Workspace.write")
        if self.read_only:
            raise WorkspaceError(
                f"The place in {self.path} was opened read-only, so {action!r} cannot change it."
            )
        if file is not None and sha256 is None and Path(file).is_file():
            sha256 = file_sha256(Path(file))
        info: WriteInfo = {"rows": rows, "detail": dict(detail or {}), "sha256": sha256}
        with self._transaction():
            yield info
            self.con.execute(
                "INSERT INTO audit_log (happened_at, who, action, file, sha256, rows, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    datetime.now(UTC),
                    self._actor or _who(),
                    action,
                    None if file is None else self.recorded_name(file),
                    info["sha256"] or None,
                    info["rows"],
                    json.dumps(info["detail"], default=str, sort_keys=True),
                ],
            )

    def record(self, entries: Sequence[AuditRecord]) -> None:
        """Audit entries of things that changed nothing (a report run, a view of raw lines),
        each with its own actor, in one transaction: all are written, or none."""
        if self.read_only:
            raise WorkspaceError(f"The place in {self.path} was opened read-only.")
        with self._transaction():
            now = datetime.now(UTC)
            self.con.executemany(
                "INSERT INTO audit_log (happened_at, who, action, file, sha256, rows, detail) "
                "VALUES (?, ?, ?, NULL, ?, NULL, ?)",
                [
                    [
                        now,
                        e.who,
                        e.action,
                        e.sha256,
                        json.dumps(dict(e.detail), default=str, sort_keys=True),
                    ]
                    for e in entries
                ],
            )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction of :meth:`write` or :meth:`record`: committed when the body ends,
        rolled back if it raises; never one inside another."""
        if self._in_write:
            raise RuntimeError("nested Workspace.write")
        self._in_write = True
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        finally:
            self._in_write = False

    def audit_log(self, limit: int | None = None) -> list[AuditEntry]:
        sql = (
            "SELECT happened_at, who, action, file, sha256, rows, detail "
            "FROM audit_log ORDER BY seq DESC"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [
            AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6] or "{}"))
            for r in self.con.execute(sql).fetchall()
        ]

    # -- settings --------------------------------------------------------------------
    def set_setting(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, value])

    def setting(self, key: str, default: str | None = None) -> str | None:
        # fetchall, not fetchone: DuckDB 2 refuses Ibis queries on a connection with an
        # unfinished result
        rows = self.con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchall()
        return default if not rows else rows[0][0]

    @property
    def name(self) -> str:
        return self.setting("name") or self.path.name

    @property
    def population(self) -> int | None:
        v = self.setting("population")
        return None if v is None else int(v)

    # -- analytics -------------------------------------------------------------------
    @property
    def ibis(self) -> IbisDuckDB:
        """An Ibis DuckDB backend over this place's own connection."""
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis


def current_user() -> str:
    """Who is running the program, as the audit log records it."""
    return _who()


def _connect(db: Path, *, read_only: bool, to_change: bool) -> duckdb.DuckDBPyConnection:
    """A connection to ``db``; ``to_change``: for a command that changes the place (the
    error then says so, even when this is its first, read-only, look)."""
    try:
        return duckdb.connect(str(db), read_only=read_only)
    except duckdb.Error as exc:
        if read_only and "different configuration" in str(exc):
            # This program has the place open for writing already (a test, or a server
            # holding it): DuckDB shares that open database, in its own mode, with every
            # connection made here, so look through it (Workspace.read_only still bars
            # writes through this one).
            try:
                return duckdb.connect(str(db), read_only=False)
            except duckdb.Error:
                pass
        raise _open_error(db, exc, to_change) from exc


def _open_error(db: Path, exc: duckdb.Error, to_change: bool) -> WorkspaceError:
    """Why ``db`` could not be opened, in words a person can act on."""
    text = str(exc)
    damaged = damaged_error(db, exc)
    if damaged is not None:
        return damaged
    holder = _LOCK_HOLDER.search(text)
    if holder or "Could not set lock" in text:
        who = f" ({holder.group(1)}, PID {holder.group(2)})" if holder else ""
        if not to_change:
            # DuckDB (2.0) lets no other program read a file while one writes it
            return WorkspaceError(
                f"The place in {db.parent} is being written by another program{who}. "
                "DuckDB does not let a place be read while it is being written. "
                "Fix: try again when it finishes."
            )
        return WorkspaceError(
            f"The place in {db.parent} is in use by another program{who}: DuckDB could "
            "not set its lock. Only one program may change a place at a time, and none "
            "while another reads it. Fix: try again when it finishes."
        )
    if "different configuration" in text:
        return WorkspaceError(
            f"{db} is open in this program for reading only, so it cannot also be opened "
            "here to change it. Fix: close the read-only Workspace first."
        )
    if "Permission denied" in text or "Read-only file system" in text:
        return read_only_error(db.parent)
    return WorkspaceError(f"Cannot open {db}: {text.splitlines()[0]}. Nothing was changed.")


def damaged_error(db: Path, exc: BaseException) -> WorkspaceError | None:
    """The error to show for DuckDB's ``exc`` if it says the place's file is damaged
    (cut short, corrupt, or not a DuckDB file at all), else None."""
    text = str(exc)
    if not any(d in text for d in _DAMAGED):
        return None
    first = text.splitlines()[0]
    if "not a valid DuckDB database" in text:
        return WorkspaceError(
            f"{db} is not a DuckDB database file, so it is not a place ({first}). Nothing "
            f"was changed. Fix: restore {DB_NAME} from a backup or an earlier copy of the "
            "folder, or, if this folder was never a place, pass --workspace with a place's."
        )
    return WorkspaceError(
        f"{db} is damaged (cut short or corrupt): {first}. Nothing was changed. Fix: "
        f"restore {DB_NAME} from a backup or an earlier copy of the folder."
    )


def served_error(path: Path, server: str, url: str, read_only: bool) -> WorkspaceError:
    """The place is being served: the server holds it, and is its single writer."""
    if read_only:
        fix = (
            f"read it through the server: open {url} in a browser, or its JSON API "
            f"({url}/api/docs); or stop the server and run the command again."
        )
    else:
        fix = (
            f"make the change through the server ({url}: uploads, users), or stop the "
            "server (Ctrl+C where it runs) and run the command again."
        )
    return WorkspaceError(
        f"The place in {path} is being served by {server}, which is its single writer: "
        f"no other program may open it meanwhile. Nothing was changed. Fix: {fix}"
    )


def read_only_error(path: Path) -> WorkspaceError:
    return WorkspaceError(
        f"The place in {path} is read-only (on read-only media, or without write "
        "permission for you), so it cannot be changed. It can still be read: "
        "wholeplace log, spend map, spend report --out FILE (somewhere you can write). "
        "Fix: to change it, copy the folder somewhere you can write, or ask for write access."
    )


def _can_write(path: Path) -> bool:
    """The folder (for DuckDB's write-ahead log) and the database file can be written
    (False on read-only media, where even root cannot)."""
    return os.access(path, os.W_OK) and os.access(path / DB_NAME, os.W_OK)


def _check_place(con: duckdb.DuckDBPyConnection, db: Path) -> list[str]:
    """Check, through a read-only connection, that ``db`` is a whole place; return the
    shipped migrations it has not had. Raises WorkspaceError otherwise."""
    try:
        tables = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() "
                "WHERE database_name = current_database() AND schema_name = 'main'"
            ).fetchall()
        }
        if not tables >= CORE_TABLES:
            shown = ", ".join(sorted(tables)[:8]) + (" ..." if len(tables) > 8 else "")
            raise WorkspaceError(
                f"{db} is a DuckDB database but not a wholeplace place: it lacks a place's "
                f"tables {', '.join(sorted(CORE_TABLES - tables))} (it holds {len(tables)} "
                f"table{'s' if len(tables) != 1 else ''}{': ' + shown if tables else ''}). "
                "Nothing was changed. Fix: pass "
                "--workspace with the folder of a place, or make one with "
                "`wholeplace init DIR --name NAME`."
            )
        ((block_size, used),) = con.execute(
            "SELECT block_size, used_blocks FROM pragma_database_size() "
            "WHERE database_name = current_database()"
        ).fetchall()
        # DuckDB's file is its header (12 KiB in DuckDB 2.0) then its blocks, each at its
        # own place, so every block in use lies within the file. (Not the total count:
        # free blocks at the end are cut off the file, as a place holding 13 blocks and
        # counting 15 showed.) A file cut short (a copy stopped half-way, a full disk)
        # would fail later, on whichever table lived past the cut; one cut by less than
        # its free space still fails there, with the same message (open_workspace). The
        # header is left out of the sum, so the check can only err towards letting a
        # damaged file through, never refuse a whole one.
        if db.stat().st_size < int(block_size) * int(used):
            raise WorkspaceError(
                f"{db} is damaged (cut short): it is {db.stat().st_size:,} bytes, but "
                f"{int(used):,} blocks of {int(block_size):,} bytes are in use. "
                f"Nothing was changed. Fix: restore {DB_NAME} from a backup or an earlier "
                "copy of the folder."
            )
        applied = {r[0] for r in con.execute("SELECT id FROM schema_migrations").fetchall()}
    except duckdb.Error as exc:
        raise damaged_error(db, exc) or WorkspaceError(
            f"Cannot read {db}: {str(exc).splitlines()[0]}. Nothing was changed."
        ) from exc
    return [name for name, _sql in _migrations() if name not in applied]


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"
