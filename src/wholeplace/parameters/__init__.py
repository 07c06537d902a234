"""Parameters as data, each with its source, edition, licence and effective dates.

As OpenFisca does, the figures a calculation depends on (the Green Book discount rate
schedule, the optimism-bias grades) are YAML files in this package, each value keyed by
the date it took effect. A place may set its own value (:func:`override`); the change is
recorded in its audit log, and :func:`load` with ``ws=`` uses it.

>>> from wholeplace import parameters
>>> parameters.load("discount_rate.green_book").value[0]
(0, Decimal('0.035'))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from wholeplace.errors import InputError, Problem
from wholeplace.parameters.files import (
    Parameter,
    RateByGrade,
    RateSchedule,
    Source,
    Value,
    names,
    parameter,
    to_data,
    value_on,
)
from wholeplace.parameters.overrides import Override, override, overrides, reset
from wholeplace.workspace import Workspace

__all__ = [
    "Override",
    "Parameter",
    "ParameterValue",
    "RateByGrade",
    "RateSchedule",
    "Source",
    "Value",
    "load",
    "names",
    "override",
    "overrides",
    "parameter",
    "reset",
    "to_data",
]


@dataclass(frozen=True)
class ParameterValue:
    """The value of a parameter in force on a date, and where it came from."""

    name: str
    value: Value
    effective_from: date
    parameter: Parameter
    override: Override | None = None

    def to_json(self) -> dict[str, Any]:
        p = self.parameter
        return {
            "name": self.name,
            "value": to_data(p.kind, self.value),
            "effective_from": self.effective_from.isoformat(),
            "overridden": self.override is not None,
            "override_reason": None if self.override is None else self.override.reason,
            "description": p.description,
            "source": {
                "title": p.source.title,
                "publisher": p.source.publisher,
                "url": p.source.url,
            },
            "edition": p.edition,
            "licence": p.licence,
        }


def load(name: str, on: date | None = None, ws: Workspace | None = None) -> ParameterValue:
    """The value of ``name`` in force on ``on`` (default today): the place's own if it set one."""
    on = on or date.today()
    p = parameter(name)
    ov = overrides(ws).get(name) if ws is not None else None
    if ov is not None:
        found = value_on(ov.values, on)
        if found is not None:
            return ParameterValue(name, found[1], found[0], p, ov)
    found = value_on(p.values, on)
    if found is None:
        first = min(p.values).isoformat()
        raise InputError(
            [
                Problem(
                    p.file,
                    None,
                    "values",
                    on.isoformat(),
                    f"no value in force on this date (the first is from {first})",
                    "choose a later date, or set the place's own value",
                )
            ]
        )
    return ParameterValue(name, found[1], found[0], p, None)
