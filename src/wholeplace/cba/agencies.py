"""Agencies: the Unit Cost Database's names for who bears a cost, and the place's partners.

The workbook spells one body several ways (``Local Authority`` and ``Local authority``;
``HMT`` in a note for ``HM Treasury``). :func:`normalise_agency` gives each body one name, so
an appraisal's who-pays-who-gains matrix has one row per body.

``Multiple`` is no one: a fiscal value the workbook gives to several agencies without saying
how much each gains. The appraisal splits it where the workbook does (its constituent lines,
see :mod:`wholeplace.cba.unitcost_use`); what is left stays ``Multiple``, and gain-share
refuses to make it pay (``wholeplace.sharing.gain_sharing.unattributed``).

In a place, :class:`AgencyMap` turns a workbook agency (level 1, and level 2 where it
decides) into one of the place's partners, by the documented table :data:`PARTNER_TYPES`, by
a partner's id or name, or by the place's own choice (``wholeplace unitcosts agencies set``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from wholeplace.labels import match_key

UNATTRIBUTED = "Multiple"
"""The workbook's word for a value falling to several agencies, unsplit."""

# One name per body: a spelling's match key -> the name used. Keys not listed keep the
# spelling the workbook uses most often (see :func:`canonical_names`).
CANONICAL: dict[str, str] = {
    "local authority": "Local Authority",
    "la": "Local Authority",
    "nhs": "NHS",
    "dwp": "DWP",
    "department for work and pensions": "DWP",
    "hmt": "HM Treasury",
    "hm treasury": "HM Treasury",
    "hmrc": "HM Revenue and Customs",
    "hm revenue and customs": "HM Revenue and Customs",
    "court": "Court",
    "courts": "Court",
    "social services": "Social Services",
    "housing services": "Housing Services",
    "children s services": "Children's Services",
    "acute trust hospital": "Acute Trust / Hospital",
    "multiple": UNATTRIBUTED,
    "police": "Police",
    "fire service": "Fire Service",
    "schools": "Schools",
}


def normalise_agency(text: object) -> str:
    """One name per body: ``"Local authority"`` -> ``"Local Authority"``, ``"HMT"`` ->
    ``"HM Treasury"``; ``"-"`` and blanks -> ``""``; other names as written, spaces tidied."""
    shown = " ".join(str(text or "").split())
    key = match_key(shown)
    if not key:
        return ""
    return CANONICAL.get(key, shown)


def canonical_names(spellings: Iterable[str]) -> dict[str, str]:
    """For every spelling seen, the one name used for its body: :data:`CANONICAL` where it
    lists the body, else the spelling seen most often (the first seen on a tie)."""
    counts: dict[str, dict[str, int]] = {}
    for s in spellings:
        shown = " ".join(str(s or "").split())
        counts.setdefault(match_key(shown), {}).setdefault(shown, 0)
        counts[match_key(shown)][shown] += 1
    out: dict[str, str] = {}
    for key, seen in counts.items():
        if not key:
            chosen = ""
        elif key in CANONICAL:
            chosen = CANONICAL[key]
        else:
            chosen = max(seen.items(), key=lambda kv: kv[1])[0]
        for s in seen:
            out[s] = chosen
    return out


def is_unattributed(agency: str) -> bool:
    return match_key(agency) == match_key(UNATTRIBUTED)


# -- mapping onto the place's partners ------------------------------------------------

# The partner types (``wholeplace partners types``) each workbook agency falls to, in order
# of preference; keyed by the level-1 name, or "level 1 / level 2" where level 2 decides.
# An agency with no local partner (courts, prisons, HM Treasury, ...) is not listed.
PARTNER_TYPES: dict[str, tuple[str, ...]] = {
    "Local Authority": ("county council", "unitary", "district"),
    "Local Authority / Social Services": ("county council", "unitary"),
    "Local Authority / Children's Services": ("county council", "unitary"),
    "Local Authority / Housing Services": ("district", "unitary"),
    "NHS": ("nhs commissioner", "nhs trust"),
    "NHS / Acute Trust / Hospital": ("nhs trust", "nhs commissioner"),
    "DWP": ("dwp",),
    "Police": ("police",),
    "Fire Service": ("fire",),
    "Schools": ("academy trust",),
}


@dataclass(frozen=True)
class PartnerRef:
    id: str
    name: str
    type: str


@dataclass(frozen=True)
class Mapped:
    """Where one agency goes in a place: ``partner`` (an id) or None, and why."""

    agency: str
    partner: str | None
    how: str  # "place's choice", "partner id or name", "partner type ...", or why not

    @property
    def label(self) -> str:
        """What the appraisal calls it: the partner's id, else the agency's own name."""
        return self.partner or self.agency


@dataclass
class AgencyMap:
    """A place's partners and its own choices; :meth:`resolve` maps one agency."""

    partners: list[PartnerRef] = field(default_factory=list)
    overrides: Mapping[str, str] = field(default_factory=dict)  # agency key -> partner id

    def resolve(self, agency: str, detail: str = "") -> Mapped:
        name = normalise_agency(agency)
        detail = normalise_agency(detail)
        if not name:
            return Mapped(name, None, "no agency")
        if is_unattributed(name):
            return Mapped(name, None, "no one: attribute the line to the partners that gain")
        by_id = {p.id: p for p in self.partners}
        for key in (f"{name} / {detail}" if detail else None, name):
            if key is None:
                continue
            chosen = self.overrides.get(match_key(key))
            if chosen is not None and chosen in by_id:
                return Mapped(name, chosen, f"the place's choice for {key!r}")
        for p in self.partners:
            if match_key(name) in (match_key(p.id), match_key(p.name)):
                return Mapped(name, p.id, "partner id or name")
        types = PARTNER_TYPES.get(f"{name} / {detail}") or PARTNER_TYPES.get(name)
        if not types:
            return Mapped(name, None, "no partner type for this agency")
        for t in types:
            of_type = [p for p in self.partners if p.type == t]
            if len(of_type) == 1:
                return Mapped(name, of_type[0].id, f"the place's only {t} partner")
            if of_type:
                ids = ", ".join(p.id for p in of_type)
                why = f"{len(of_type)} partners of type {t} ({ids}): choose one"
                return Mapped(name, None, why)
        return Mapped(name, None, f"no partner of type {' or '.join(types)}")
