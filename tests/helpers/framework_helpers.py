"""Builders for the framework tests: a place with three partners, and answers."""

from __future__ import annotations

from wholeplace.framework.scoring import Answer
from wholeplace.partners import Partner, upsert
from wholeplace.workspace import Workspace

THREE = [
    Partner("vale", "Valeshire County Council", "county council", "County council", "LG"),
    Partner("icb", "NHS Valeshire ICB", "nhs commissioner", "NHS", "Health"),
    Partner("police", "Valeshire Police", "police", "Police", "Police"),
]


def add_three(ws: Workspace) -> None:
    with ws.write("test partners"):
        upsert(ws, THREE)


def answers(rows: list[tuple[str, str, str]]) -> list[Answer]:
    """``[(partner, statement, answer), ...]`` as answers."""
    return [Answer(p, s, a) for p, s, a in rows]
