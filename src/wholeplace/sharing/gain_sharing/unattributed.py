""" "Multiple" is no one: a gain-share agreement cannot make it pay or receive.

The Unit Cost Database gives some fiscal values to "Multiple" agencies without saying how
much each gains. A cost-benefit appraisal splits them where the workbook does; what is left
stays "Multiple", and its row of the appraisal's agency matrix lists the lines that hold it
(``lines_to_attribute``). Before an agency matrix becomes partners, :func:`refuse_unattributed`
stops with those lines named, so the user attributes each to the partners that gain.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from wholeplace.errors import InputError, Problem
from wholeplace.labels import match_key

UNATTRIBUTED = ("multiple",)  # the match keys of names that are no one


def _has_money(value: Any) -> bool:
    """Any amount other than zero anywhere in ``value`` (numbers, decimal strings, lists)."""
    if isinstance(value, Mapping):
        return any(_has_money(v) for k, v in value.items() if k != "lines_to_attribute")
    if isinstance(value, list | tuple):
        return any(_has_money(v) for v in value)
    if isinstance(value, bool):
        return False
    try:
        return Decimal(str(value)) != 0
    except (InvalidOperation, ValueError):
        return False


def refuse_unattributed(matrix: Mapping[str, Any] | list[Any], file: str = "agency matrix") -> None:
    """Raise the problem table if an agency that is no one ("Multiple") holds any money,
    naming the appraisal's lines to attribute. ``matrix`` is ``{agency: row}`` or a list of
    rows with ``agency`` (the ``by_agency`` of ``wholeplace cba run --json``)."""
    if isinstance(matrix, Mapping) and isinstance(matrix.get("by_agency"), Mapping | list):
        matrix = matrix["by_agency"]
    rows: list[tuple[str, Any]]
    if isinstance(matrix, Mapping):
        rows = [(str(k), v) for k, v in matrix.items()]
    else:
        rows = [(str(r.get("agency", "")), r) for r in matrix if isinstance(r, Mapping)]
    problems = []
    for agency, row in rows:
        if match_key(agency) not in UNATTRIBUTED or not _has_money(row):
            continue
        lines = row.get("lines_to_attribute") if isinstance(row, Mapping) else None
        named = (
            "the appraisal's lines " + "; ".join(repr(str(x)) for x in lines)
            if lines
            else "the appraisal's lines whose unit cost's agency is Multiple "
            "(see `wholeplace unitcosts show CODE`)"
        )
        problems.append(
            Problem(
                file,
                None,
                agency,
                None,
                f"{agency!r} is no one: a gain-share cannot make it pay or receive; "
                f"{named} give it values the workbook does not split among agencies",
                "attribute each of those lines to the partners that gain (agency: PARTNER on "
                "the line, or use the unit cost's constituent codes, one per agency), run the "
                "appraisal again and give gain-share its new output",
            )
        )
    if problems:
        raise InputError(problems)
