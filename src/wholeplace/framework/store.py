"""The framework's tables in the place (migration 0040): read and write, nothing else.

Writes here run inside the caller's :meth:`Workspace.write`, so each change lands with its
audit-log entry or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from wholeplace.framework.model import Change, Framework, Statement, apply_changes, shipped
from wholeplace.framework.scoring import Answer, PlanEntry
from wholeplace.workspace import Workspace

# -- the place's framework -------------------------------------------------------------


def changes(ws: Workspace) -> list[Change]:
    rows = ws.con.execute(
        "SELECT version, action, statement_json, reason, base, changed_at, changed_by "
        "FROM framework_changes ORDER BY version"
    ).fetchall()
    return [
        Change(
            version=r[0],
            action=r[1],
            statement=Statement.from_json(json.loads(r[2])),
            reason=r[3],
            base=r[4],
            changed_at=r[5].isoformat(),
            changed_by=r[6],
        )
        for r in rows
    ]


def framework(ws: Workspace) -> Framework:
    """The place's framework: the shipped one with the place's changes applied."""
    return apply_changes(shipped(), changes(ws))


def add_change(ws: Workspace, action: str, statement: Statement, reason: str, who: str) -> int:
    """Record one change; return the place's new version number."""
    version = len(changes(ws)) + 1
    ws.con.execute(
        "INSERT INTO framework_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            version,
            shipped().version,
            action,
            statement.id,
            json.dumps(statement.to_json(), sort_keys=True),
            reason,
            datetime.now(UTC),
            who,
        ],
    )
    return version


# -- assessments -----------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    name: str
    started_at: datetime
    framework: Framework

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "started_at": self.started_at.isoformat(),
            "framework_version": self.framework.version,
        }


def assessments(ws: Workspace) -> list[Assessment]:
    """Every assessment, the first started first."""
    rows = ws.con.execute(
        "SELECT name, started_at, framework_json FROM framework_assessments "
        "ORDER BY started_at, name"
    ).fetchall()
    return [Assessment(r[0], r[1], Framework.from_json(json.loads(r[2]))) for r in rows]


def add_assessment(ws: Workspace, name: str, fw: Framework) -> Assessment:
    now = datetime.now(UTC)
    ws.con.execute(
        "INSERT INTO framework_assessments VALUES (?, ?, ?, ?)",
        [name, now, fw.version, json.dumps(fw.to_json(), sort_keys=True)],
    )
    return Assessment(name, now.replace(tzinfo=None), fw)


def answers(ws: Workspace, assessment: str) -> list[Answer]:
    rows = ws.con.execute(
        "SELECT partner, statement_id, answer, evidence, note, answered_at, source "
        "FROM framework_answers WHERE assessment = ? ORDER BY partner, statement_id",
        [assessment],
    ).fetchall()
    return [Answer(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]


def put_answers(ws: Workspace, assessment: str, given: Iterable[Answer]) -> int:
    """Record answers, each replacing the partner's earlier answer to the statement."""
    now = datetime.now(UTC)
    n = 0
    for a in given:
        ws.con.execute(
            "INSERT OR REPLACE INTO framework_answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [assessment, a.partner, a.statement_id, a.answer, a.evidence, a.note, now, a.source],
        )
        n += 1
    return n


# -- the plan --------------------------------------------------------------------------


def plan_entries(ws: Workspace) -> dict[str, PlanEntry]:
    rows = ws.con.execute(
        "SELECT statement_id, owner, due, note FROM framework_plan ORDER BY statement_id"
    ).fetchall()
    return {r[0]: PlanEntry(r[0], r[1], r[2], r[3]) for r in rows}


def put_plan_entry(ws: Workspace, entry: PlanEntry) -> None:
    ws.con.execute(
        "INSERT OR REPLACE INTO framework_plan VALUES (?, ?, ?, ?)",
        [entry.statement_id, entry.owner, entry.due, entry.note],
    )


# -- linked documents ------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    kind: str
    file: Path
    sha256: str
    linked_on: date


def links(ws: Workspace) -> list[Link]:
    rows = ws.con.execute(
        "SELECT kind, file, sha256, linked_at FROM framework_documents ORDER BY kind, file"
    ).fetchall()
    return [Link(r[0], Path(r[1]), r[2], r[3].date()) for r in rows]


def put_link(ws: Workspace, kind: str, file: Path, sha256: str) -> None:
    ws.con.execute(
        "INSERT OR REPLACE INTO framework_documents VALUES (?, ?, ?, ?)",
        [kind, str(file), sha256, datetime.now(UTC)],
    )


def remove_link(ws: Workspace, kind: str, file: Path) -> int:
    before = len(links(ws))
    ws.con.execute("DELETE FROM framework_documents WHERE kind = ? AND file = ?", [kind, str(file)])
    return before - len(links(ws))
