"""The partners of a place: who they are, what type, and which reporting group."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from wholeplace.errors import InputError, Problem, Problems
from wholeplace.labels import match_key
from wholeplace.population import BadPopulation, parse_population
from wholeplace.tabular import read_table
from wholeplace.workspace import Workspace, file_sha256

# The documented list (docs/partners.md). Keys are what users type; matching ignores
# case, spaces, hyphens, underscores and other punctuation (``labels.match_key``).
PARTNER_TYPES: dict[str, str] = {
    "county council": "County council",
    "unitary": "Unitary authority",
    "district": "District or borough council",
    "combined authority": "Combined authority",
    "nhs commissioner": "NHS commissioner (ICB, CCG, NHS England)",
    "nhs trust": "NHS trust or foundation trust",
    "police": "Police force or police and crime commissioner",
    "fire": "Fire and rescue authority",
    "dwp": "Department for Work and Pensions",
    "academy trust": "Academy trust",
    "housing association": "Housing association",
    "voluntary": "Voluntary and community sector",
    "private": "Private sector",
    "other": "Other public body",
}

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def normalise_type(value: str) -> str | None:
    """The documented type key ``value`` names (``"NHS-Trust"`` -> ``"nhs trust"``), or None."""
    key = match_key(value)
    return key if key in PARTNER_TYPES else None


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    type: str
    group: str
    sector: str
    population_served: int | None = None


def validate_partner(
    values: dict[str, str], *, file: str, row: int | None, known_ids: set[str]
) -> tuple[Partner | None, list[Problem]]:
    problems = Problems(file)

    def bad(col: str, msg: str, fix: str) -> None:
        problems.add(row, col, values.get(col), msg, fix)

    pid = values.get("id", "").strip()
    if not pid:
        bad("id", "missing partner id", "give each partner a short id such as 'lcc' or 'nhs-lsc'")
    elif not _ID.match(pid):
        bad(
            "id",
            "ids may hold only letters, digits, '-', '_' and '.' (up to 64)",
            "use a short id such as 'lcc'",
        )
    elif pid in known_ids:
        bad("id", "duplicate partner id in this file", "give each partner its own id")
    for col in ("name", "group", "sector"):
        if not values.get(col, "").strip():
            bad(col, f"missing {col}", f"fill in the partner's {col}")
    raw_type = values.get("type", "")
    ptype = normalise_type(raw_type)
    if ptype is None:
        close = difflib.get_close_matches(match_key(raw_type), list(PARTNER_TYPES), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        bad("type", "unknown partner type", hint + "use one of: " + ", ".join(PARTNER_TYPES))
    pop: int | None = None
    raw_pop = values.get("population_served", "").strip()
    if raw_pop:
        try:
            pop = parse_population(raw_pop)
        except BadPopulation as wrong:
            bad("population_served", wrong.message, wrong.fix)
    if problems or ptype is None:
        return None, list(problems)
    return (
        Partner(
            pid,
            values["name"].strip(),
            ptype,
            values["group"].strip(),
            values["sector"].strip(),
            pop,
        ),
        [],
    )


def read_partners(path: Path) -> list[Partner]:
    table = read_table(
        path,
        required=["id", "name", "type", "group", "sector"],
        aliases={"partner_id": "id", "reporting_group": "group", "population": "population_served"},
    )
    partners: list[Partner] = []
    problems = Problems(table.label)
    seen: set[str] = set()
    for row in table.rows:
        p, probs = validate_partner(row.values, file=table.label, row=row.number, known_ids=seen)
        problems.extend(probs)
        seen.add(row.values.get("id", "").strip())
        if p:
            partners.append(p)
    problems.raise_if_any()
    if not partners:
        problems.add(None, None, None, "no partners in the file", "add one per row")
        problems.raise_if_any()
    return partners


def upsert(ws: Workspace, partners: list[Partner]) -> None:
    """Insert or replace partners; call inside ``ws.write``."""
    partners = list({p.id: p for p in partners}.values())  # the last of an id wins
    if not partners:
        return
    import pyarrow as pa

    # One statement for all of them: a national list has thousands of partners, and
    # one INSERT per partner took a second per 400.
    table = pa.table(
        {
            "id": [p.id for p in partners],
            "name": [p.name for p in partners],
            "type": [p.type for p in partners],
            "group": [p.group for p in partners],
            "sector": [p.sector for p in partners],
            "population_served": pa.array([p.population_served for p in partners], pa.int64()),
        }
    )
    ws.con.register("_partners_arrow", table)
    try:
        ws.con.execute(
            'INSERT OR REPLACE INTO partners (id, name, type, "group", sector, population_served)'
            ' SELECT id, name, type, "group", sector, population_served FROM _partners_arrow'
        )
    finally:
        ws.con.unregister("_partners_arrow")


def import_partners(ws: Workspace, path: Path) -> list[Partner]:
    partners = read_partners(path)
    with ws.write("partners import", file=path, sha256=file_sha256(path), rows=len(partners)):
        upsert(ws, partners)
    return partners


def add_partner(ws: Workspace, values: dict[str, str]) -> Partner:
    p, problems = validate_partner(values, file="(command line)", row=None, known_ids=set())
    if problems:
        raise InputError(problems)
    assert p is not None
    with ws.write("partners add", rows=1, detail={"id": p.id}):
        upsert(ws, [p])
    return p


def list_partners(ws: Workspace) -> list[Partner]:
    rows = ws.con.execute(
        'SELECT id, name, type, "group", sector, population_served FROM partners '
        'ORDER BY "group", name'
    ).fetchall()
    return [Partner(*r) for r in rows]


def partner_ids(ws: Workspace) -> set[str]:
    return {r[0] for r in ws.con.execute("SELECT id FROM partners").fetchall()}
