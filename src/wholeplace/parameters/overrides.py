"""A place's own value for a parameter, kept in its workspace and recorded in its audit log."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from wholeplace.errors import InputError, Problem
from wholeplace.parameters.files import Value, check_values, parameter, to_data
from wholeplace.workspace import Workspace, _who


@dataclass(frozen=True)
class Override:
    """A place's values for one parameter, by effective date, and why it set them."""

    name: str
    values: dict[date, Value]
    reason: str
    set_at: datetime
    set_by: str

    def to_json(self) -> dict[str, Any]:
        kind = parameter(self.name).kind
        return {
            "name": self.name,
            "values": {d.isoformat(): to_data(kind, v) for d, v in sorted(self.values.items())},
            "reason": self.reason,
            "set_at": self.set_at.isoformat(),
            "set_by": self.set_by,
        }


def _check(name: str, values: Mapping[Any, Any], label: str) -> dict[date, Value]:
    kind = parameter(name).kind
    if not values:
        raise InputError(
            [Problem(label, None, "values", None, "no values", 'give values: {"2024-04-01": ...}')]
        )
    if not isinstance(values, Mapping):  # from a file: a single value, or a list
        raise InputError(
            [
                Problem(
                    label,
                    None,
                    "values",
                    str(values)[:200],
                    "not a mapping of dates to values",
                    'key each value by the date it takes effect: values: {"2024-04-01": ...}',
                )
            ]
        )
    out, problems = check_values(kind, values, label)
    if problems:
        raise InputError(problems)
    return out


def override(
    ws: Workspace, name: str, values: Mapping[Any, Any], reason: str, *, file: str | None = None
) -> Override:
    """Set this place's values for ``name`` (replacing any earlier override), audited."""
    label = file or name
    checked = _check(name, values, label)
    if not reason.strip():
        raise InputError(
            [Problem(label, None, "reason", None, "no reason given", "say why, e.g. --reason ...")]
        )
    kind = parameter(name).kind
    data = {d.isoformat(): to_data(kind, v) for d, v in sorted(checked.items())}
    now = datetime.now(UTC)
    who = _who()
    with ws.write(
        "parameters.set", file=file, detail={"name": name, "reason": reason, "values": data}
    ):
        ws.con.execute("DELETE FROM parameter_overrides WHERE name = ?", [name])
        ws.con.execute(
            "INSERT INTO parameter_overrides (name, value_json, reason, set_at, set_by) "
            "VALUES (?, ?, ?, ?, ?)",
            [name, json.dumps(data, sort_keys=True), reason, now, who],
        )
    return Override(name, checked, reason, now, who)


def reset(ws: Workspace, name: str) -> bool:
    """Remove this place's override of ``name``, audited; False if there was none."""
    parameter(name)  # an unknown name is an error, not a silent no-op
    row = ws.con.execute("SELECT 1 FROM parameter_overrides WHERE name = ?", [name]).fetchone()
    if row is None:
        return False
    with ws.write("parameters.reset", detail={"name": name}):
        ws.con.execute("DELETE FROM parameter_overrides WHERE name = ?", [name])
    return True


def overrides(ws: Workspace) -> dict[str, Override]:
    """Every override this place has set, by parameter name."""
    rows = ws.con.execute(
        "SELECT name, value_json, reason, set_at, set_by FROM parameter_overrides ORDER BY name"
    ).fetchall()
    out: dict[str, Override] = {}
    for name, value_json, reason, set_at, set_by in rows:
        values = _check(name, json.loads(value_json), f"{ws.path} (override of {name})")
        out[name] = Override(name, values, reason, set_at, set_by)
    return out
