"""Reading and keeping customer groups and the partners' objectives.

Both importers check the whole file first and write nothing if any row is wrong (the problem
table names file, sheet, row, column, value and fix). A customer group is matched by its
name or by any of its spend labels, with :func:`wholeplace.labels.match_key`, so
``Older people`` in an objectives file and ``older-people`` in a spend file are one group.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wholeplace.errors import Problems
from wholeplace.labels import match_key
from wholeplace.objectives.findings import DIRECTIONS, Objective
from wholeplace.partners import partner_ids
from wholeplace.tabular import TableFile, read_table
from wholeplace.workspace import Workspace

OBJECTIVE_COLUMNS = (
    "partner",
    "objective",
    "customer_group",
    "outcome",
    "direction",
    "target",
    "measure",
)
GROUP_COLUMNS = ("customer_group",)
# What spend files call the same column (spend.importer reads these names too).
ALIASES = {
    "customer": "customer_group",
    "client_group": "customer_group",
    "group": "customer_group",
}
LABEL_SEPARATOR = ";"
NOT_STATED = "(not stated)"  # what the spend map calls lines with no customer group


@dataclass(frozen=True)
class CustomerGroup:
    name: str
    description: str | None = None
    spend_labels: tuple[str, ...] = ()

    def match_keys(self) -> set[str]:
        return {match_key(self.name), *(match_key(label) for label in self.spend_labels)}


@dataclass
class GroupIndex:
    """Customer groups by every key they answer to."""

    groups: list[CustomerGroup] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_key = {k: g for g in self.groups for k in g.match_keys() if k}

    def find(self, label: str | None) -> CustomerGroup | None:
        return self.by_key.get(match_key(label))

    def names(self) -> list[str]:
        return sorted(g.name for g in self.groups)


def _suggest(value: str, known: Iterable[str], what: str, how: str) -> str:
    known = sorted(known)
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}? Known {what}: {', '.join(known[:15])}"
    if not known:
        return how
    return f"use one of: {', '.join(known[:15])}" + (" ..." if len(known) > 15 else "")


# -- customer groups ---------------------------------------------------------------------


def customer_groups(ws: Workspace) -> GroupIndex:
    rows = ws.con.execute(
        "SELECT name, description, spend_labels FROM customer_groups ORDER BY name"
    ).fetchall()
    return GroupIndex([CustomerGroup(r[0], r[1], tuple(r[2] or ())) for r in rows])


def read_groups(path: Path, sheet: str | None = None) -> list[CustomerGroup]:
    """Customer groups from a CSV/XLSX with ``customer_group`` and optionally
    ``description`` and ``spend_labels`` (labels separated by ``;``)."""
    table = read_table(path, required=GROUP_COLUMNS, aliases=ALIASES, sheet=sheet)
    p = Problems(table.label, table.sheet)
    seen: dict[str, int] = {}
    out: list[CustomerGroup] = []
    for r in table.rows:
        name = r.values.get("customer_group", "").strip()
        labels = tuple(
            s.strip() for s in r.values.get("spend_labels", "").split(LABEL_SEPARATOR) if s.strip()
        )
        if not name:
            p.add(r.number, "customer_group", None, "no customer group name", "name the group")
            continue
        row_ok = True
        for key, shown, col in [(match_key(name), name, "customer_group")] + [
            (match_key(label), label, "spend_labels") for label in labels
        ]:
            if not key:
                p.add(r.number, col, shown, "a name with no letters or digits", "name it in words")
                row_ok = False
            elif key == match_key(NOT_STATED):
                p.add(
                    r.number,
                    col,
                    shown,
                    "this is what the spend map calls lines with no customer group",
                    "give the group a name of its own",
                )
                row_ok = False
            elif key in seen and seen[key] != r.number:
                p.add(
                    r.number,
                    col,
                    shown,
                    f"the same name as a group or label in row {seen[key]}",
                    "give each group and spend label once",
                )
                row_ok = False
            else:
                seen[key] = r.number
        if row_ok:
            out.append(CustomerGroup(name, r.values.get("description", "").strip() or None, labels))
    if not table.rows:
        p.add(table.header_row, None, None, "no customer groups in the file", "add one per row")
    p.raise_if_any()
    return out


def save_groups(ws: Workspace, groups: Sequence[CustomerGroup]) -> tuple[int, int]:
    """Add ``groups``, or replace the place's group of the same key; (added, replaced).

    A replaced group's new name is carried into the objectives that name it.
    Call inside ``ws.write``.
    """
    existing = customer_groups(ws)
    added = replaced = 0
    for g in groups:
        old = existing.find(g.name)
        if old is None:
            added += 1
        else:
            replaced += 1
            ws.con.execute("DELETE FROM customer_groups WHERE name = ?", [old.name])
            ws.con.execute(
                "UPDATE objectives SET customer_group = ? WHERE customer_group = ?",
                [g.name, old.name],
            )
        ws.con.execute(
            "INSERT INTO customer_groups VALUES (?, ?, ?)",
            [g.name, g.description, list(g.spend_labels)],
        )
    return added, replaced


def groups_from_labels(index: GroupIndex, labels: Iterable[str]) -> list[CustomerGroup]:
    """A new group for each spend label no group answers to yet (not ``(not stated)``)."""
    new: dict[str, CustomerGroup] = {}
    for label in sorted(labels):
        key = match_key(label)
        if not key or key == match_key(NOT_STATED) or index.find(label) or key in new:
            continue
        new[key] = CustomerGroup(label.strip(), None, (label.strip(),))
    return list(new.values())


# -- objectives ------------------------------------------------------------------------


def read_objectives(
    path: Path, partners: set[str], groups: GroupIndex, sheet: str | None = None
) -> list[Objective]:
    """Every objective of the file, checked against the place's partners and groups."""
    table = read_table(path, required=OBJECTIVE_COLUMNS, aliases=ALIASES, sheet=sheet)
    p = Problems(table.label, table.sheet)
    if not groups.groups:
        p.add(
            None,
            "customer_group",
            None,
            "the place has no customer groups yet",
            "import them first: `wholeplace objectives groups FILE`, or "
            "`wholeplace objectives groups --from-spend` to take them from the spend map",
        )
        raise p.error()
    out = [
        o for r in table.rows if (o := _objective(table, r.number, r.values, partners, groups, p))
    ]
    _duplicates(out, p)
    if not table.rows:
        p.add(table.header_row, None, None, "no objectives in the file", "add one per row")
    p.raise_if_any()
    return out


def _objective(
    table: TableFile,
    n: int,
    v: dict[str, str],
    partners: set[str],
    groups: GroupIndex,
    p: Problems,
) -> Objective | None:
    before = len(p)
    text = {c: (v.get(c) or "").strip() for c in (*OBJECTIVE_COLUMNS, "resource")}
    for col, what in (
        ("partner", "the partner's id"),
        ("objective", "the objective in a few words"),
        ("customer_group", "the customer group it serves"),
        ("outcome", "the outcome it aims to change"),
        ("measure", "how progress is measured"),
    ):
        if not text[col]:
            p.add(n, col, None, f"{col.replace('_', ' ')} is empty", f"give {what}")
    partner = text["partner"]
    if partner and partner not in partners:
        p.add(
            n,
            "partner",
            partner,
            "not a partner of this place",
            _suggest(partner, partners, "partners", "add partners first: wholeplace partners add"),
        )
    group = groups.find(text["customer_group"]) if text["customer_group"] else None
    if text["customer_group"] and group is None:
        p.add(
            n,
            "customer_group",
            text["customer_group"],
            "not a customer group of this place",
            _suggest(
                text["customer_group"],
                groups.names(),
                "groups",
                "add it with `wholeplace objectives groups FILE`",
            ),
        )
    direction = text["direction"].lower()
    if direction not in DIRECTIONS:
        p.add(
            n,
            "direction",
            text["direction"] or None,
            "direction must say which way the outcome should move",
            "use one of: increase, reduce, maintain",
        )
    if len(p) > before or group is None:
        return None
    return Objective(
        partner=partner,
        objective=text["objective"],
        customer_group=group.name,
        outcome=text["outcome"],
        direction=direction,
        target=text["target"] or None,
        measure=text["measure"],
        resource=text["resource"] or None,
        file=table.label,
        sheet=table.sheet,
        row=n,
    )


def _duplicates(objectives: Sequence[Objective], p: Problems) -> None:
    seen: dict[tuple[str, str, str, str], int] = {}
    for o in objectives:
        key = (o.partner, match_key(o.objective), o.customer_group, o.outcome_key)
        if key in seen:
            p.add(
                o.row,
                "objective",
                o.objective,
                f"the same objective, group and outcome as row {seen[key]}",
                "delete one of the two rows",
            )
        else:
            seen[key] = o.row


def save_objectives(ws: Workspace, objectives: Sequence[Objective]) -> dict[str, int]:
    """Replace the objectives of every partner in ``objectives``; rows replaced per partner.

    Call inside ``ws.write``.
    """
    replaced: dict[str, int] = {}
    for partner in sorted({o.partner for o in objectives}):
        n = ws.con.execute(
            "SELECT count(*) FROM objectives WHERE partner = ?", [partner]
        ).fetchall()[0][0]
        replaced[partner] = int(n)
        ws.con.execute("DELETE FROM objectives WHERE partner = ?", [partner])
    if not objectives:
        return replaced
    ws.con.executemany(
        "INSERT INTO objectives VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                o.partner,
                o.objective,
                o.customer_group,
                o.outcome,
                o.direction,
                o.target,
                o.measure,
                o.resource,
                o.file,
                o.sheet,
                o.row,
            ]
            for o in objectives
        ],
    )
    return replaced


def load_objectives(ws: Workspace) -> list[Objective]:
    rows = ws.con.execute(
        "SELECT partner, objective, customer_group, outcome, direction, target, measure, "
        "resource, file, sheet, source_row FROM objectives ORDER BY partner, file, source_row"
    ).fetchall()
    return [
        Objective(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], int(r[10]))
        for r in rows
    ]


def known_partners(ws: Workspace) -> set[str]:
    return partner_ids(ws)
