"""The common service taxonomy and the mapping of partners' own service names onto it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from wholeplace.errors import InputError, Problem
from wholeplace.labels import match_key
from wholeplace.tabular import read_table


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    division_code: str
    division: str
    sector: str
    source: str
    year: str


def _key(name: str) -> str:
    """Match service names ignoring case, punctuation and spacing."""
    return match_key(name)


@cache
def services() -> dict[str, Service]:
    text = (resources.files("wholeplace") / "data/taxonomy/services.csv").read_text("utf-8")
    return {r["code"]: Service(**r) for r in csv.DictReader(text.splitlines())}


@cache
def _builtin_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for s in services().values():
        names[_key(s.code)] = s.code
        names[_key(s.name)] = s.code
    text = (resources.files("wholeplace") / "data/taxonomy/synonyms.csv").read_text("utf-8")
    for r in csv.DictReader(text.splitlines()):
        names[_key(r["name"])] = r["code"]
    return names


@dataclass
class ServiceMapping:
    """Partners' own service names -> taxonomy codes.

    A mapping file has columns ``source_service, service`` and optionally ``partner``
    (a line with a partner applies to that partner only and wins over a general line).
    Taxonomy codes and names, and the published Revenue Outturn line names, are
    recognised without any mapping.
    """

    general: dict[str, str]
    by_partner: dict[tuple[str, str], str]
    file: str | None = None

    @classmethod
    def empty(cls) -> ServiceMapping:
        return cls({}, {})

    def resolve(self, partner: str, name: str) -> str | None:
        k = _key(name)
        if (partner, k) in self.by_partner:
            return self.by_partner[(partner, k)]
        if k in self.general:
            return self.general[k]
        return _builtin_names().get(k)


def read_mapping(path: Path) -> ServiceMapping:
    table = read_table(
        path,
        required=["source_service", "service"],
        aliases={"from": "source_service", "to": "service", "service_code": "service"},
    )
    problems: list[Problem] = []
    general: dict[str, str] = {}
    by_partner: dict[tuple[str, str], str] = {}
    known = services()
    for row in table.rows:
        src = row.values.get("source_service", "").strip()
        code = row.values.get("service", "").strip()
        partner = row.values.get("partner", "").strip()
        if not src:
            problems.append(
                Problem(table.label, row.number, "source_service", src, "empty", "fill it in")
            )
            continue
        resolved = code if code in known else _builtin_names().get(_key(code))
        if resolved is None:
            problems.append(
                Problem(
                    table.label,
                    row.number,
                    "service",
                    code,
                    "not a taxonomy code",
                    "use a code from `wholeplace spend services` (e.g. ASC, NHS.ACUTE)",
                )
            )
            continue
        if partner:
            by_partner[(partner, _key(src))] = resolved
        else:
            general[_key(src)] = resolved
    if problems:
        raise InputError(problems)
    return ServiceMapping(general, by_partner, file=table.label)
