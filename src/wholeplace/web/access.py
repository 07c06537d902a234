"""Who may do what: the one table the web application's routes are checked against.

Each route names one permission (``x-permission`` in its OpenAPI entry); a request is let
through only if the signed-in user's role (``public`` when nobody is signed in) holds it. A
route that names none is refused to everyone, so a route added without thought is closed,
not open. ``docs/web.md`` prints this table and a test checks the two agree.
"""

from __future__ import annotations

from wholeplace.web.users import ADMIN, ANALYST, BOARD, MEMBER, PUBLIC

SIGNED_IN = frozenset({ADMIN, ANALYST, MEMBER, BOARD})
EVERYONE = SIGNED_IN | {PUBLIC}

PERMISSIONS: dict[str, frozenset[str]] = {
    # the home page (its figures only when signed in), sign-in, published pages, API docs
    "public": EVERYONE,
    # consolidated views: home figures and bubbles, spend map and drill-down, reconciliation
    "dashboards": SIGNED_IN,
    # uploading spend lines: an analyst for their own partner only
    "upload spend": frozenset({ADMIN, ANALYST}),
    # the partners of the place
    "upload partners": frozenset({ADMIN}),
    # a partner's raw spend lines: an analyst their own partner's only
    "raw lines": frozenset({ADMIN, ANALYST}),
    "audit log": frozenset({ADMIN, MEMBER}),
    # cost-benefit appraisals and sharing agreements: run on an uploaded file, read, download
    "appraisals": frozenset({ADMIN, MEMBER}),
    # the partners' shared objectives: the analysis, its JSON and its report (every
    # partner's objectives and spend by group: not for an analyst, as on /outcomes)
    "objectives": frozenset({ADMIN, MEMBER, BOARD}),
    # the objectives and customer-groups files
    "upload objectives": frozenset({ADMIN, MEMBER}),
    "users": frozenset({ADMIN}),
    # preparing, scheduling and correcting releases (reading them is "public": who may read
    # which version is decided by the release's state and pre-release list, web/publishing.py)
    "publish": frozenset({ADMIN, MEMBER}),
    # the governance register: uploading it and downloading its report (reading it is
    # "dashboards": an agreement register is the partnership's, not a partner's raw data)
    "governance": frozenset({ADMIN, MEMBER}),
    # the self-assessment: answering (an analyst for their own partner only), uploading a
    # filled-in questionnaire, downloading the questionnaire
    "answer framework": frozenset({ADMIN, ANALYST, MEMBER}),
    # starting an assessment; setting the improvement plan's owners and dates
    "manage framework": frozenset({ADMIN, MEMBER}),
    # the report (every partner's answers, evidence and notes) and the anonymised export
    "framework reports": frozenset({ADMIN, MEMBER, BOARD}),
    # signing out: anyone with a session
    "session": SIGNED_IN,
}


def allowed(permission: str | None, role: str) -> bool:
    return permission is not None and role in PERMISSIONS.get(permission, frozenset())


def sees_partner(role: str, own_partner: str | None, partner: str) -> bool:
    """Whether a user may read ``partner``'s raw lines: an administrator any partner's,
    an analyst only their own."""
    if role == ADMIN:
        return True
    return role == ANALYST and own_partner is not None and own_partner == partner
