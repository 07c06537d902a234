"""Keeping the register in the place: one row per item, replaced whole by each import."""

from __future__ import annotations

import json

from wholeplace.governance.load import SECTIONS
from wholeplace.governance.model import Register, register_from_json
from wholeplace.workspace import Workspace


def save_register(ws: Workspace, register: Register, file: str) -> dict[str, int]:
    """Replace the place's register with ``register``; items per section. Call inside
    ``ws.write``."""
    data = register.to_json()
    ws.con.execute("DELETE FROM governance_items")
    counts = {}
    for section in SECTIONS:
        items = data[section]
        counts[section] = len(items)
        for i, item in enumerate(items):
            key = item.get("id", item.get("service"))
            ws.con.execute(
                "INSERT INTO governance_items VALUES (?, ?, ?, ?, ?)",
                [section, i, key, json.dumps(item, sort_keys=True), file],
            )
    return counts


def load_register(ws: Workspace) -> Register | None:
    """The place's register, or None when none has been imported."""
    rows = ws.con.execute(
        "SELECT section, item FROM governance_items ORDER BY section, position"
    ).fetchall()
    if not rows:
        return None
    data: dict[str, list[dict[str, object]]] = {s: [] for s in SECTIONS}
    for section, item in rows:
        data[section].append(json.loads(item))
    return register_from_json(data)
