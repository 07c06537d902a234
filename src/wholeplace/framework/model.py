"""The framework as data: levels, dimensions, statements, and the answers a partner gives.

The shipped framework is ``data/framework/alps-2015.yaml``; a place's own version is that
file with the place's changes applied (:mod:`wholeplace.framework.changes`). Everything
here is pure: it reads the text it is given and returns typed objects, or raises
:class:`~wholeplace.errors.InputError` with every problem of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from wholeplace.errors import InputError, Problems
from wholeplace.labels import match_key
from wholeplace.yaml_files import parse_yaml

SHIPPED = "alps-2015.yaml"

LEVELS: tuple[str, ...] = ("stewardship", "performance", "transformation")
DIMENSIONS: tuple[str, ...] = ("strategy", "delivery", "data")
LEVEL_CODES = {"stewardship": "SW", "performance": "PF", "transformation": "TR"}
DIMENSION_CODES = {"strategy": "ST", "delivery": "DL", "data": "DA"}

# The checks the place's own data can make (wholeplace.framework.evidence); a statement
# names at most one.
CHECKS: tuple[str, ...] = (
    "consolidated_return",
    "information_sharing",
    "joint_appraisal",
    "outcomes_scorecard",
    "sharing_agreement",
    "spend_by_need",
)

# The cells of a framework, shipped or the place's, must each hold this many statements.
SHIPPED_PER_CELL = (4, 6)

_ID = re.compile(r"^[A-Z]{2}-[A-Z]{2}-P?[0-9]{1,3}$")

# -- answers ---------------------------------------------------------------------------

MET, PARTLY, NOT_MET, NOT_APPLICABLE = "met", "partly", "not_met", "n/a"
ANSWERS: tuple[str, ...] = (MET, PARTLY, NOT_MET, NOT_APPLICABLE)
# What a person reads and picks from the questionnaire's drop-down.
ANSWER_WORDS: dict[str, str] = {
    MET: "met",
    PARTLY: "partly met",
    NOT_MET: "not met",
    NOT_APPLICABLE: "not applicable",
}
# Points of the scoring rule (docs/framework.md): not applicable scores nothing and is
# left out of the count.
POINTS: dict[str, int] = {MET: 2, PARTLY: 1, NOT_MET: 0}
_ANSWER_KEYS: dict[str, str] = {
    "met": MET,
    "yes": MET,
    "partly met": PARTLY,
    "partly": PARTLY,
    "partially met": PARTLY,
    "partial": PARTLY,
    "not met": NOT_MET,
    "not": NOT_MET,
    "no": NOT_MET,
    "unmet": NOT_MET,
    "not applicable": NOT_APPLICABLE,
    "n a": NOT_APPLICABLE,
    "na": NOT_APPLICABLE,
}
ANSWER_FIX = "use one of: met, partly met, not met, not applicable"


_LEVEL_NAMES = {
    "securing stewardship": "stewardship",
    "supporting performance": "performance",
    "enabling transformation": "transformation",
}


def level_key(text: object) -> str:
    """``"Securing Stewardship"`` or ``"stewardship"`` -> ``stewardship`` (else the key)."""
    key = match_key(text)
    return _LEVEL_NAMES.get(key, key)


def parse_answer(text: object) -> str | None:
    """``"Partly Met"`` -> ``partly``; ``"N/A"`` -> ``n/a``; None for anything else."""
    return _ANSWER_KEYS.get(match_key(text))


# -- the framework ---------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """One statement of good practice, in one cell of the grid."""

    id: str
    level: str
    dimension: str
    text: str
    questions: tuple[str, ...]
    evidence: tuple[str, ...]
    check: str | None = None
    origin: str = "shipped"  # shipped | edited (the place's words) | place (the place's own)
    retired: bool = False

    @property
    def cell(self) -> tuple[str, str]:
        return (self.level, self.dimension)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "dimension": self.dimension,
            "text": self.text,
            "questions": list(self.questions),
            "evidence": list(self.evidence),
            "check": self.check,
            "origin": self.origin,
            "retired": self.retired,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Statement:
        return cls(
            id=str(d["id"]),
            level=str(d["level"]),
            dimension=str(d["dimension"]),
            text=str(d["text"]),
            questions=tuple(str(q) for q in d["questions"]),
            evidence=tuple(str(e) for e in d["evidence"]),
            check=None if d.get("check") is None else str(d["check"]),
            origin=str(d.get("origin", "shipped")),
            retired=bool(d.get("retired", False)),
        )


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    year: int
    url: str

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "publisher": self.publisher,
            "year": self.year,
            "url": self.url,
        }


@dataclass(frozen=True)
class Framework:
    """A version of the framework: the shipped statements and a place's changes to them.

    ``version`` is ``<id>/<edition>`` as shipped, ``<id>/<edition>+<n>`` after the place's
    ``n``-th change, so an assessment can say exactly which statements it used.
    """

    id: str
    title: str
    edition: str
    source: Source
    level_names: dict[str, str]
    level_about: dict[str, str]
    dimension_names: dict[str, str]
    statements: tuple[Statement, ...]
    place_changes: int = 0
    licence: str = ""

    @property
    def version(self) -> str:
        base = f"{self.id}/{self.edition}"
        return base if self.place_changes == 0 else f"{base}+{self.place_changes}"

    @property
    def active(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if not s.retired)

    def checks(self, check: str) -> bool:
        """Whether an active statement names ``check`` (so its facts are worth reading)."""
        return any(s.check == check for s in self.active)

    def statement(self, sid: str) -> Statement | None:
        return next((s for s in self.statements if s.id == sid), None)

    def in_cell(self, level: str, dimension: str) -> list[Statement]:
        return [s for s in self.active if s.level == level and s.dimension == dimension]

    def with_statements(self, statements: Iterable[Statement], changes: int) -> Framework:
        return replace(self, statements=tuple(statements), place_changes=changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "edition": self.edition,
            "version": self.version,
            "source": self.source.to_json(),
            "licence": self.licence,
            "levels": [
                {"key": k, "name": self.level_names[k], "about": self.level_about.get(k, "")}
                for k in LEVELS
            ],
            "dimensions": [{"key": k, "name": self.dimension_names[k]} for k in DIMENSIONS],
            "place_changes": self.place_changes,
            "statements": [s.to_json() for s in self.statements],
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Framework:
        src = d["source"]
        return cls(
            id=str(d["id"]),
            title=str(d["title"]),
            edition=str(d["edition"]),
            source=Source(str(src["title"]), str(src["publisher"]), int(src["year"]), src["url"]),
            level_names={x["key"]: x["name"] for x in d["levels"]},
            level_about={x["key"]: x.get("about", "") for x in d["levels"]},
            dimension_names={x["key"]: x["name"] for x in d["dimensions"]},
            statements=tuple(Statement.from_json(s) for s in d["statements"]),
            place_changes=int(d.get("place_changes", 0)),
            licence=str(d.get("licence", "")),
        )


def cell_label(fw: Framework, level: str, dimension: str) -> str:
    """``Securing stewardship × Data``."""
    return f"{fw.level_names[level]} × {fw.dimension_names[dimension]}"


# -- reading and checking --------------------------------------------------------------


def _texts(value: object) -> list[str] | None:
    """A list of non-empty strings, or None if ``value`` is not one."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        return None
    out = [str(v).strip() for v in value if isinstance(v, str | int | float)]
    if len(out) != len(value) or not all(out):
        return None
    return out


def check_statement(
    d: Mapping[str, Any], problems: Problems, where: str, *, need_id: bool = True
) -> Statement | None:
    """A statement from its mapping, or None with the problems recorded under ``where``."""
    before = len(problems)

    def bad(column: str, value: object, message: str, fix: str) -> None:
        problems.add(None, f"{where}.{column}", value, message, fix)

    sid = str(d.get("id") or "").strip()
    if need_id and not _ID.match(sid):
        bad(
            "id", d.get("id"), "not a statement id", "write it as SW-DA-1: level, dimension, number"
        )
    level = level_key(d.get("level"))
    if level not in LEVELS:
        bad("level", d.get("level"), "unknown level", f"use one of: {', '.join(LEVELS)}")
    dimension = match_key(d.get("dimension"))
    if dimension not in DIMENSIONS:
        bad(
            "dimension",
            d.get("dimension"),
            "unknown dimension",
            f"use one of: {', '.join(DIMENSIONS)}",
        )
    text = d.get("text")
    if not isinstance(text, str) or not text.strip():
        bad("text", text, "a statement needs its text", "write the statement of good practice")
    questions = _texts(d.get("questions"))
    if questions is None:
        bad(
            "questions",
            d.get("questions"),
            "a statement needs at least one question",
            "list the questions that test it",
        )
    evidence = _texts(d.get("evidence"))
    if evidence is None:
        bad(
            "evidence",
            d.get("evidence"),
            "a statement needs the evidence that would show it is met",
            "list at least one document or figure",
        )
    check = d.get("check")
    if check is not None and check not in CHECKS:
        bad("check", check, "unknown check", f"use one of: {', '.join(CHECKS)}, or leave it out")
    if len(problems) > before:
        return None
    assert isinstance(text, str) and questions is not None and evidence is not None
    return Statement(
        id=sid,
        level=level,
        dimension=dimension,
        text=" ".join(text.split()),
        questions=tuple(questions),
        evidence=tuple(evidence),
        check=None if check is None else str(check),
        origin=str(d.get("origin", "shipped")),
        retired=bool(d.get("retired", False)),
    )


def parse_framework(text: str, label: str) -> Framework:
    """The framework in YAML ``text`` (``label`` names it in problems), checked whole."""
    problems = Problems(label)
    raw = parse_yaml(text, label)
    if not isinstance(raw, dict):
        problems.add(None, None, None, "the file is not a YAML mapping", "see docs/framework.md")
        raise problems.error()
    for key in ("id", "title", "edition", "source", "levels", "dimensions", "statements"):
        if key not in raw:
            problems.add(None, key, None, "missing", f"add {key}: (see docs/framework.md)")
    problems.raise_if_any()
    src = raw["source"] if isinstance(raw["source"], dict) else {}
    for key in ("title", "publisher", "year", "url"):
        if not src.get(key):
            problems.add(None, f"source.{key}", None, "missing", "name the framework's source")
    levels = {str(x.get("key")): x for x in raw["levels"] or [] if isinstance(x, dict)}
    dimensions = {str(x.get("key")): x for x in raw["dimensions"] or [] if isinstance(x, dict)}
    if set(levels) != set(LEVELS):
        problems.add(None, "levels", sorted(levels), "wrong levels", f"list {', '.join(LEVELS)}")
    if set(dimensions) != set(DIMENSIONS):
        problems.add(
            None,
            "dimensions",
            sorted(dimensions),
            "wrong dimensions",
            f"list {', '.join(DIMENSIONS)}",
        )
    statements = _check_statements(raw["statements"], problems)
    problems.raise_if_any()
    return Framework(
        id=str(raw["id"]),
        title=str(raw["title"]),
        edition=str(raw["edition"]),
        source=Source(str(src["title"]), str(src["publisher"]), int(src["year"]), str(src["url"])),
        level_names={k: str(levels[k]["name"]) for k in LEVELS},
        level_about={k: str(levels[k].get("about", "")) for k in LEVELS},
        dimension_names={k: str(dimensions[k]["name"]) for k in DIMENSIONS},
        statements=tuple(statements),
        licence=str(raw.get("licence", "")),
    )


def _check_statements(raw: object, problems: Problems) -> list[Statement]:
    if not isinstance(raw, list):
        problems.add(None, "statements", None, "not a list", "list the statements")
        return []
    out: list[Statement] = []
    seen: set[str] = set()
    for i, d in enumerate(raw, start=1):
        where = f"statements[{i}]"
        if not isinstance(d, dict):
            problems.add(None, where, d, "not a mapping", "give id, level, dimension, text, ...")
            continue
        s = check_statement(d, problems, where)
        if s is None:
            continue
        if s.id in seen:
            problems.add(
                None, f"{where}.id", s.id, "duplicate statement id", "give each its own id"
            )
        seen.add(s.id)
        expected = f"{LEVEL_CODES[s.level]}-{DIMENSION_CODES[s.dimension]}-"
        if not s.id.startswith(expected):
            problems.add(
                None, f"{where}.id", s.id, "the id does not name its cell", f"start it {expected}"
            )
        out.append(s)
    return out


def check_cells(fw: Framework, per_cell: tuple[int, int] = SHIPPED_PER_CELL) -> list[str]:
    """What is wrong with the grid: a cell with too few or too many active statements."""
    lo, hi = per_cell
    wrong = []
    for level in LEVELS:
        for dimension in DIMENSIONS:
            n = len(fw.in_cell(level, dimension))
            if not lo <= n <= hi:
                wrong.append(f"{cell_label(fw, level, dimension)} has {n} statements ({lo}-{hi})")
    return wrong


@cache
def shipped() -> Framework:
    """The framework as shipped with wholeplace (checked: a bad file is a bug, not input)."""
    text = (resources.files("wholeplace") / "data" / "framework" / SHIPPED).read_text("utf-8")
    try:
        fw = parse_framework(text, SHIPPED)
    except InputError as exc:  # pragma: no cover - tests/framework checks the shipped file
        raise RuntimeError(f"the shipped framework is broken: {exc}") from exc
    return fw


def next_place_id(fw: Framework, level: str, dimension: str) -> str:
    """The id of a place's new statement in a cell: ``SW-DA-P1``, ``SW-DA-P2``...

    The ``P`` keeps a place's ids apart from those a later shipped edition may add.
    """
    prefix = f"{LEVEL_CODES[level]}-{DIMENSION_CODES[dimension]}-P"
    used = [int(s.id[len(prefix) :]) for s in fw.statements if s.id.startswith(prefix)]
    return f"{prefix}{max(used, default=0) + 1}"


@dataclass(frozen=True)
class Change:
    """One change a place made to its framework: its version after the change is ``version``."""

    version: int
    action: str  # add | edit | retire
    statement: Statement
    reason: str
    base: str = ""
    changed_at: str = ""
    changed_by: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "action": self.action,
            "statement_id": self.statement.id,
            "statement": self.statement.to_json(),
            "reason": self.reason,
            "base": self.base,
            "changed_at": self.changed_at,
            "changed_by": self.changed_by,
        }


def apply_changes(base: Framework, changes: Sequence[Change]) -> Framework:
    """``base`` with the place's changes applied, in order."""
    statements = {s.id: s for s in base.statements}
    order = [s.id for s in base.statements]
    for c in changes:
        if c.statement.id not in statements:
            order.append(c.statement.id)
        statements[c.statement.id] = c.statement
    return base.with_statements((statements[i] for i in order), len(changes))
