"""A sharing file's partners named as the place names them.

A pool or an agreement names each partner by a short id (``lcc``) and, optionally, a name.
Given the place's partner register (``wholeplace partners``), each id is matched to a
partner of the place, and the place's name replaces the file's, so the schedules say
"Lancashire County Council pays Burnley Borough Council" in the same words as the spend map.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wholeplace.errors import Problems
from wholeplace.labels import match_key
from wholeplace.partners import Partner


def place_names(used: Mapping[str, str], place: Sequence[Partner], file: str) -> dict[str, str]:
    """``used`` (the file's id -> name) with each name replaced by its place partner's.

    An id matches a place partner by its id, else by its name (case, spaces and punctuation
    ignored); the file's name may also match the place's name. An id of no place partner is
    refused, with the place's partners to choose from, so no schedule names a partner the
    spend map does not know."""
    by_key: dict[str, Partner] = {}
    for p in place:
        by_key.setdefault(match_key(p.id), p)
    for p in place:
        by_key.setdefault(match_key(p.name), p)
    problems = Problems(file)
    out: dict[str, str] = {}
    for pid, name in used.items():
        found = by_key.get(match_key(pid)) or by_key.get(match_key(name))
        if found is None:
            choices = ", ".join(f"{p.id} ({p.name})" for p in place) or "none yet"
            problems.add(
                None,
                "partners",
                pid,
                "not a partner of the place",
                f"use the id of one of the place's partners: {choices}; "
                "or add it with `wholeplace partners add`",
            )
            continue
        out[pid] = found.name
    problems.raise_if_any()
    return out
