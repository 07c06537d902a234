"""Reading a governance register from YAML, every problem of the file at once.

The file is one YAML mapping with any of the sections ``delivery_models``, ``boards``,
``data_flows``, ``agreements`` and ``risks``, each a list of items (docs/governance.md). A
problem names the file, the section (as the sheet), the line of the value (as the row), the
field (as the column), the value found and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from wholeplace.errors import Problems
from wholeplace.governance.model import (
    ARTICLE_6,
    ARTICLE_9,
    MODELS,
    ROLES,
    Agreement,
    Board,
    DataFlow,
    DeliveryModel,
    Member,
    Register,
    Risk,
)
from wholeplace.labels import match_key
from wholeplace.yaml_files import ItemReader, LinedMap, LineLoader, parse_yaml

SECTIONS = ("delivery_models", "boards", "data_flows", "agreements", "risks")
T = TypeVar("T")

# What people write for each delivery model and role, as match_key keys.
MODEL_NAMES: dict[str, str] = {
    **{match_key(k): k for k in MODELS},
    **{match_key(v): k for k, v in MODELS.items()},
    "pooled budget": "pooled_budget",
    "section 75": "pooled_budget",
    "s75": "pooled_budget",
    "lead commissioner": "lead_commissioning",
    "jv": "joint_venture",
}
ROLE_NAMES: dict[str, str] = {
    **{match_key(k): k for k in ROLES},
    **{match_key(v): k for k, v in ROLES.items()},
    "senior responsible officer": "sro",
}
_ART6 = re.compile(r"^(?:art(?:icle)?\s*)?6\s*\(?\s*1\s*\)?\s*\(?\s*([a-f])\s*\)?$", re.I)
_ART9 = re.compile(r"^(?:art(?:icle)?\s*)?9\s*\(?\s*2\s*\)?\s*\(?\s*([a-j])\s*\)?$", re.I)


class Reader(ItemReader):
    """The governance register's own checks, beside the shared ones."""

    partners: set[str]  # a register is always read against its place's partners

    def __init__(self, label: str, partners: set[str]) -> None:
        super().__init__(label, partners)

    def score(self, section: str, item: LinedMap, key: str) -> int | None:
        v = item.get(key)
        if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 5:
            return v
        self.add(section, item, key, v, f"{key} must be a whole number from 1 to 5", "use 1 to 5")
        return None

    def choice(
        self, section: str, item: LinedMap, key: str, names: dict[str, str], allowed: str
    ) -> str | None:
        v = self.text(section, item, key)
        if v is None:
            return None
        found = names.get(match_key(v))
        if found is None:
            self.add(section, item, key, v, f"not a known {key}", f"use one of: {allowed}")
        return found

    def items(self, raw: LinedMap, section: str) -> list[LinedMap]:
        v = raw.get(section)
        if v is None:
            return []
        if not isinstance(v, list) or not all(isinstance(x, LinedMap) for x in v):
            self.p.add(
                raw.line_of(section),
                None,
                None,
                f"{section} must be a list of items, each with keys",
                "write each item as '- id: ...' on its own lines",
                sheet=section,
            )
            return []
        return list(v)

    def unique(self, section: str, items: list[LinedMap], key: str) -> None:
        seen: dict[str, int | None] = {}
        for item in items:
            v = item.get(key)
            if not isinstance(v, str):
                continue
            if v in seen:
                self.add(
                    section,
                    item,
                    key,
                    v,
                    f"{key} given twice (first on line {seen[v]})",
                    f"give each {section[:-1].replace('_', ' ')} its own {key}",
                )
            else:
                seen[v] = item.line_of(key)


def _all(*values: object) -> bool:
    return all(v is not None for v in values)


def _build(
    r: Reader, raw: LinedMap, section: str, key: str, make: Callable[[LinedMap], T | None]
) -> list[T]:
    items = r.items(raw, section)
    if key:
        r.unique(section, items, key)
    return [x for item in items if (x := make(item)) is not None]


def build_register(raw: Any, label: str, partners: set[str]) -> Register:
    r = Reader(label, partners)
    if not isinstance(raw, LinedMap) or not any(s in raw for s in SECTIONS):
        r.p.add(
            None,
            None,
            None if raw is None else type(raw).__name__,
            f"the file must be a YAML mapping with any of the sections {', '.join(SECTIONS)}",
            "see the example in docs/governance.md",
        )
        raise r.p.error()
    for k in raw:
        if k not in SECTIONS:
            r.p.add(
                raw.line_of(k),
                str(k),
                None,
                "not a section of the register",
                f"use {', '.join(SECTIONS)}",
            )
    boards = _build(r, raw, "boards", "id", lambda i: _board(r, i))
    board_ids = {b.id for b in boards}
    models = _build(r, raw, "delivery_models", "", lambda i: _model(r, i, board_ids))
    flows = _build(r, raw, "data_flows", "id", lambda i: _flow(r, i))
    flow_ids = {f.id for f in flows} | {
        str(i.get("id")) for i in r.items(raw, "data_flows") if i.get("id")
    }
    agreements = _build(r, raw, "agreements", "id", lambda i: _agreement(r, i, flow_ids))
    risks = _build(r, raw, "risks", "id", lambda i: _risk(r, i))
    r.p.raise_if_any()
    return Register(models, boards, flows, agreements, risks)


def _board(r: Reader, item: LinedMap) -> Board | None:
    s = "boards"
    bid, name = r.text(s, item, "id"), r.text(s, item, "name")
    members: list[Member] = []
    raw = item.get("members")
    if not isinstance(raw, list) or not raw or not all(isinstance(m, LinedMap) for m in raw):
        r.add(
            s,
            item,
            "members",
            None if raw is None else raw,
            "a board needs its members",
            "list them: '- name: ..., organisation: ..., role: chair'",
        )
        return None
    for m in raw:
        who, org = r.text(s, m, "name"), r.text(s, m, "organisation")
        role = r.choice(
            s, m, "role", ROLE_NAMES, "chair, senior responsible owner (sro), sponsor, member"
        )
        if _all(who, org, role):
            members.append(Member(str(who), str(org), str(role)))
    chairs = [m for m in raw if ROLE_NAMES.get(match_key(m.get("role"))) == "chair"]
    if len(chairs) > 1:
        r.add(
            s,
            chairs[1],
            "role",
            "chair",
            f"board {bid} has {len(chairs)} chairs",
            "name one chair; the others are members",
        )
    if not _all(bid, name) or len(members) != len(raw) or len(chairs) > 1:
        return None
    return Board(str(bid), str(name), tuple(members))


def _model(r: Reader, item: LinedMap, boards: set[str]) -> DeliveryModel | None:
    s = "delivery_models"
    service = r.text(s, item, "service")
    model = r.choice(s, item, "model", MODEL_NAMES, ", ".join(MODELS))
    accountable = r.partner(s, item, "accountable_body")
    commissioner = r.partner(s, item, "commissioner")
    deliverer = r.text(s, item, "deliverer")
    description = r.text(s, item, "description", required=model == "other")
    named = r.texts(s, item, "boards", required=False)
    unknown = [b for b in named if b not in boards]
    if unknown:
        r.add(
            s,
            item,
            "boards",
            ", ".join(unknown),
            "not a board of the register",
            f"use a board id from the boards section ({', '.join(sorted(boards)) or 'none yet'})",
        )
    if not _all(service, model, accountable, commissioner, deliverer) or unknown:
        return None
    if model == "other" and description is None:
        return None
    return DeliveryModel(
        str(service),
        str(model),
        str(accountable),
        str(commissioner),
        str(deliverer),
        named,
        description,
    )


def _flow(r: Reader, item: LinedMap) -> DataFlow | None:
    s = "data_flows"
    fid = r.text(s, item, "id")
    source, recipient = r.partner(s, item, "from"), r.partner(s, item, "to")
    items, use = r.texts(s, item, "data_items"), r.text(s, item, "use")
    if source is not None and source == recipient:
        r.add(
            s,
            item,
            "to",
            recipient,
            "a flow goes from one partner to another",
            "name the partner receiving the data",
        )
        return None
    if not _all(fid, source, recipient, use) or not items:
        return None
    return DataFlow(str(fid), str(source), str(recipient), items, str(use))


def _basis(
    r: Reader,
    item: LinedMap,
    key: str,
    pattern: re.Pattern[str],
    article: str,
    names: dict[str, str],
) -> tuple[str, ...] | None:
    basis = item.get("legal_basis")
    if not isinstance(basis, LinedMap):
        return None
    values = r.texts("agreements", basis, key, required=False)
    out = []
    for v in values:
        m = pattern.match(v.strip())
        if m is None:
            r.add(
                "agreements",
                basis,
                key,
                v,
                f"not a lawful basis of UK GDPR article {article[0]}",
                "use one of: " + ", ".join(f"{article}({k}) {n}" for k, n in names.items()),
            )
            return None
        out.append(f"{article}({m.group(1).lower()})")
    return tuple(out)


def _agreement(r: Reader, item: LinedMap, flows: set[str]) -> Agreement | None:
    s = "agreements"
    aid, title, purpose = (
        r.text(s, item, "id"),
        r.text(s, item, "title"),
        r.text(s, item, "purpose"),
    )
    parties = r.texts(s, item, "parties")
    strangers = [p for p in parties if p not in r.partners]
    if strangers:
        r.add(
            s,
            item,
            "parties",
            ", ".join(strangers),
            "not a partner of this place",
            "use partner ids, or add them with `wholeplace partners add`",
        )
    elif len(set(parties)) < 2 and parties:
        r.add(
            s,
            item,
            "parties",
            ", ".join(parties),
            "an agreement has two parties or more",
            "list every partner that shares or receives the data",
        )
    uses = r.texts(s, item, "uses")
    special = item.get("special_category", False)
    if not isinstance(special, bool):
        r.add(
            s,
            item,
            "special_category",
            special,
            "special_category must be yes or no",
            "write true or false",
        )
        special = None
    if not isinstance(item.get("legal_basis"), LinedMap):
        r.add(
            s,
            item,
            "legal_basis",
            item.get("legal_basis"),
            "the legal basis is missing",
            "give legal_basis: {article_6: ['6(1)(e)'], article_9: ['9(2)(h)']}",
        )
        art6 = art9 = None
    else:
        art6 = _basis(r, item, "article_6", _ART6, "6(1)", ARTICLE_6)
        art9 = _basis(r, item, "article_9", _ART9, "9(2)", ARTICLE_9)
        basis = item["legal_basis"]
        if art6 == ():
            r.add(
                s,
                basis,
                "article_6",
                None,
                "every agreement needs a lawful basis under article 6",
                "give article_6: ['6(1)(e)'] (public task) or another basis",
            )
            art6 = None
        if special is True and art9 == ():
            r.add(
                s,
                basis,
                "article_9",
                None,
                "special category data (health, ethnicity...) needs an article 9 condition",
                "give article_9: ['9(2)(h)'] or another condition",
            )
            art9 = None
        if special is False and art9:
            r.add(
                s,
                basis,
                "article_9",
                ", ".join(art9),
                "an article 9 condition, but special_category is false",
                "set special_category: true if the data includes health or other special "
                "category data, or drop article_9",
            )
            art9 = None
    data_items = r.texts(s, item, "data_items")
    retention, security = r.text(s, item, "retention"), r.text(s, item, "security")
    review, expires = r.day(s, item, "review_date"), r.day(s, item, "expires", required=False)
    covered = r.texts(s, item, "flows", required=False)
    unknown = [f for f in covered if f not in flows]
    if unknown:
        r.add(
            s,
            item,
            "flows",
            ", ".join(unknown),
            "not a data flow of the register",
            "add the flow to data_flows, or correct its id",
        )
    if strangers or unknown or not (uses and data_items and parties) or len(set(parties)) < 2:
        return None
    if not _all(aid, title, purpose, special, art6, art9, retention, security, review):
        return None
    return Agreement(
        str(aid),
        str(title),
        parties,
        str(purpose),
        uses,
        tuple(art6 or ()),
        tuple(art9 or ()),
        bool(special),
        data_items,
        str(retention),
        str(security),
        review or date.min,
        expires,
        covered,
    )


def _risk(r: Reader, item: LinedMap) -> Risk | None:
    s = "risks"
    rid, text, owner = r.text(s, item, "id"), r.text(s, item, "risk"), r.text(s, item, "owner")
    li, im = r.score(s, item, "likelihood"), r.score(s, item, "impact")
    rli, rim = r.score(s, item, "residual_likelihood"), r.score(s, item, "residual_impact")
    mitigations = r.texts(s, item, "mitigations", required=False)
    review = r.day(s, item, "review_date")
    if li is None or im is None or rli is None or rim is None:
        return None
    if rli * rim > li * im:
        r.add(
            s,
            item,
            "residual_impact",
            f"{rli} x {rim} = {rli * rim}",
            f"the residual score is above the score before mitigation ({li} x {im} = {li * im})",
            "mitigations lower a risk: check the residual likelihood and impact",
        )
        return None
    if not _all(rid, text, owner, review):
        return None
    return Risk(str(rid), str(text), str(owner), li, im, mitigations, rli, rim, review or date.min)


def load_register(path: Path, partners: set[str]) -> Register:
    """The register in the YAML file ``path``, checked against the place's ``partners``."""
    label = path.name
    p = Problems(label)
    if not path.is_file():
        p.add(None, None, None, "file not found", "check the path")
        raise p.error()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        p.add(None, None, None, "not a UTF-8 text file", "save the register as UTF-8 YAML")
        raise p.error() from exc
    raw = parse_yaml(text, label, LineLoader)
    return build_register(raw, label, partners)
