"""Changing the place's framework: add, edit and retire statements (service layer).

Each change is one version of the place's framework (``<id>/<edition>+<n>``), recorded in
``framework_changes`` with its reason, and in the audit log, in one transaction. An
assessment already started keeps the framework it started with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from wholeplace.errors import InputError, Problem, Problems
from wholeplace.framework import store
from wholeplace.framework.model import (
    DIMENSIONS,
    LEVELS,
    Change,
    Framework,
    Statement,
    check_statement,
    level_key,
    next_place_id,
)
from wholeplace.labels import match_key
from wholeplace.workspace import Workspace, current_user

CLI = "command line"


def see_statements() -> str:
    return "see `wholeplace framework statements` for the ids"


@dataclass(frozen=True)
class FrameworkView:
    """The place's framework now: statements and the changes made to the shipped one."""

    framework: Framework
    changes: list[Change]
    show_retired: bool = False

    def to_json(self) -> dict[str, Any]:
        out = self.framework.to_json()
        if not self.show_retired:
            out["statements"] = [s.to_json() for s in self.framework.active]
        out["changes"] = [c.to_json() for c in self.changes]
        return out


def framework(ws: Workspace, *, show_retired: bool = False) -> FrameworkView:
    return FrameworkView(store.framework(ws), store.changes(ws), show_retired)


@dataclass(frozen=True)
class StatementChange:
    action: str
    statement: Statement
    version: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "statement": self.statement.to_json(),
            "framework_version": self.version,
            "reason": self.reason,
        }


def _need_reason(reason: str, p: Problems) -> None:
    if not reason.strip():
        p.add(None, "--reason", None, "say why the place changes its framework", "add --reason")


def add_statement(
    ws: Workspace,
    level: str,
    dimension: str,
    text: str,
    questions: Sequence[str],
    evidence: Sequence[str],
    reason: str,
) -> StatementChange:
    """Add a statement of the place's own to a cell (id ``<cell>-P<n>``)."""
    p = Problems(CLI)
    fw = store.framework(ws)
    lv, dm = level_key(level), match_key(dimension)
    sid = next_place_id(fw, lv, dm) if lv in LEVELS and dm in DIMENSIONS else ""
    raw = {
        "id": sid,
        "level": level,
        "dimension": dimension,
        "text": text,
        "questions": list(questions),
        "evidence": list(evidence),
        "origin": "place",
    }
    s = check_statement(raw, p, "statement", need_id=False)
    _need_reason(reason, p)
    p.raise_if_any()
    assert s is not None
    return _change(ws, "add", s, reason)


def edit_statement(
    ws: Workspace,
    sid: str,
    reason: str,
    *,
    text: str | None = None,
    questions: Sequence[str] | None = None,
    evidence: Sequence[str] | None = None,
) -> StatementChange:
    """Change a statement's text, questions or evidence (its cell and id stay)."""
    old = _statement(ws, sid)
    p = Problems(CLI)
    raw = {
        **old.to_json(),
        # a shipped statement in the place's words is no longer comparable with other places'
        "origin": "edited" if old.origin == "shipped" else old.origin,
        "text": old.text if text is None else text,
        "questions": list(old.questions if questions is None else questions),
        "evidence": list(old.evidence if evidence is None else evidence),
    }
    s = check_statement(raw, p, "statement")
    _need_reason(reason, p)
    if text is None and questions is None and evidence is None:
        p.add(None, None, sid, "nothing to change", "give --text, --question or --evidence")
    p.raise_if_any()
    assert s is not None
    return _change(ws, "edit", s, reason)


def retire_statement(ws: Workspace, sid: str, reason: str) -> StatementChange:
    """Retire a statement: later assessments leave it out; earlier ones keep it."""
    old = _statement(ws, sid)
    p = Problems(CLI)
    _need_reason(reason, p)
    fw = store.framework(ws)
    if len(fw.in_cell(old.level, old.dimension)) <= 1:
        p.add(None, "STATEMENT_ID", sid, "the last statement of its cell", "add another first")
    p.raise_if_any()
    return _change(ws, "retire", replace(old, retired=True), reason)


def _statement(ws: Workspace, sid: str) -> Statement:
    s = store.framework(ws).statement(sid.strip().upper())
    if s is None or s.retired:
        raise InputError(
            [Problem(CLI, None, "STATEMENT_ID", sid, "no such statement", see_statements())]
        )
    return s


def _change(ws: Workspace, action: str, s: Statement, reason: str) -> StatementChange:
    with ws.write(
        f"framework statement {action}", rows=1, detail={"statement": s.id, "reason": reason}
    ) as info:
        n = store.add_change(ws, action, s, reason.strip(), current_user())
        version = store.framework(ws).version
        info["detail"]["framework_version"] = version
        info["detail"]["change"] = n
    return StatementChange(action, s, version, reason.strip())
