"""A place: a folder holding ``place.duckdb``.

Every write goes through :meth:`Workspace.write`, one transaction that also records
an audit-log entry, so an import lands whole or not at all and is always accounted for.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import duckdb

from wholeplace.errors import InputError, Problem, WorkspaceError
from wholeplace.population import BadPopulation, check_population

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend as IbisDuckDB

DB_NAME = "place.duckdb"


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


class WriteInfo(TypedDict):
    """What :meth:`Workspace.write` records in the audit log; the body may update it."""

    rows: int | None
    detail: dict[str, object]
    sha256: str | None


def _check_population(population: int) -> None:
    try:
        check_population(population)
    except BadPopulation as bad:
        where = Problem(
            "(command line)", None, "--population", str(population), bad.message, bad.fix
        )
        raise InputError([where], "the place was not made") from None


class Workspace:
    """An open place. Use :meth:`create` or :meth:`open`; close with :meth:`close`."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection) -> None:
        self.path = path
        self.con = con
        # Progress is ours to show (Rich, in the CLI): DuckDB's own bar would print
        # over it on long queries.
        con.execute("SET enable_progress_bar_print = false")
        self._ibis: IbisDuckDB | None = None
        self._in_write = False

    # -- lifecycle -------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, name: str, population: int | None = None) -> Workspace:
        path = Path(path)
        if population is not None:
            _check_population(population)
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
    def open(cls, path: Path | str) -> Workspace:
        path = Path(path)
        db = path / DB_NAME
        if not db.exists():
            raise WorkspaceError(
                f"No place found in {path.resolve()} (no {DB_NAME}). "
                f"Fix: run `wholeplace init {path} --name NAME`, or pass --workspace DIR."
            )
        try:
            con = duckdb.connect(str(db))
        except duckdb.IOException as exc:
            raise WorkspaceError(
                f"Cannot open {db}: {exc}. Fix: close any other program using this place."
            ) from exc
        ws = cls(path, con)
        ws.migrate()
        return ws

    def close(self) -> None:
        if self._ibis is not None:
            self._ibis = None
        self.con.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        if file is not None and sha256 is None and Path(file).is_file():
            sha256 = file_sha256(Path(file))
        info: WriteInfo = {"rows": rows, "detail": dict(detail or {}), "sha256": sha256}
        self._in_write = True
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield info
            self.con.execute(
                "INSERT INTO audit_log (happened_at, who, action, file, sha256, rows, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    datetime.now(UTC),
                    _who(),
                    action,
                    None if file is None else str(file),
                    info["sha256"] or None,
                    info["rows"],
                    json.dumps(info["detail"], default=str, sort_keys=True),
                ],
            )
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


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"
