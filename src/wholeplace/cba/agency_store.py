"""A place's agencies: its partners, and its own choice of partner for a workbook agency
(table ``cba_agency_partners``, migration 0011), each change in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime

from wholeplace.cba.agencies import AgencyMap, PartnerRef, normalise_agency
from wholeplace.errors import InputError, Problem
from wholeplace.labels import match_key
from wholeplace.partners import list_partners
from wholeplace.workspace import Workspace, _who


def _key(agency: str) -> str:
    """One key for "Local authority / social services" and "Local Authority / Social Services"
    (as :meth:`AgencyMap.resolve` looks it up)."""
    return match_key(" / ".join(normalise_agency(p) for p in agency.split(" / ")))


def place_agency_map(ws: Workspace) -> AgencyMap:
    """The place's partners and its own choices, to map agencies with."""
    partners = [PartnerRef(p.id, p.name, p.type) for p in list_partners(ws)]
    rows = ws.con.execute("SELECT agency_key, partner_id FROM cba_agency_partners").fetchall()
    return AgencyMap(partners, {k: v for k, v in rows})


def choices(ws: Workspace) -> list[tuple[str, str, str]]:
    """The place's own choices: (agency as written, partner id, reason)."""
    rows = ws.con.execute(
        "SELECT agency, partner_id, reason FROM cba_agency_partners ORDER BY agency"
    ).fetchall()
    return [(a, p, r) for a, p, r in rows]


def set_partner(ws: Workspace, agency: str, partner: str, reason: str) -> None:
    """Map ``agency`` ("Level 1" or "Level 1 / Level 2") onto ``partner`` in this place."""
    label = "unitcosts agencies set"
    problems: list[Problem] = []
    ids = {p.id for p in list_partners(ws)}
    if not normalise_agency(agency):
        problems.append(
            Problem(label, None, "agency", agency, "no agency", 'give it, e.g. "Local Authority"')
        )
    elif match_key(normalise_agency(agency)) == "multiple":
        problems.append(
            Problem(
                label,
                None,
                "agency",
                agency,
                "'Multiple' is no one: it cannot be one partner",
                "attribute each outcome line instead (agency: PARTNER on the line)",
            )
        )
    if partner not in ids:
        problems.append(
            Problem(
                label,
                None,
                "partner",
                partner,
                "not a partner of this place",
                "use a partner id from `wholeplace partners list`"
                + (f": {', '.join(sorted(ids)[:12])}" if ids else " (add partners first)"),
            )
        )
    if not reason.strip():
        problems.append(
            Problem(label, None, "reason", None, "no reason given", "say why, with --reason")
        )
    if problems:
        raise InputError(problems)
    key = _key(agency)
    with ws.write(
        "unitcosts.agencies.set", detail={"agency": agency, "partner": partner, "reason": reason}
    ):
        ws.con.execute("DELETE FROM cba_agency_partners WHERE agency_key = ?", [key])
        ws.con.execute(
            "INSERT INTO cba_agency_partners VALUES (?, ?, ?, ?, ?, ?)",
            [key, agency.strip(), partner, reason.strip(), datetime.now(UTC), _who()],
        )


def reset_partner(ws: Workspace, agency: str) -> bool:
    """Remove the place's own choice for ``agency``; False if it had none."""
    key = _key(agency)
    if ws.con.execute("SELECT 1 FROM cba_agency_partners WHERE agency_key = ?", [key]).fetchone():
        with ws.write("unitcosts.agencies.reset", detail={"agency": agency}):
            ws.con.execute("DELETE FROM cba_agency_partners WHERE agency_key = ?", [key])
        return True
    return False
