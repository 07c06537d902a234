"""The authorisation table against a matrix written out by hand from docs/web.md ("Who sees
what"), not read from ``PERMISSIONS``: a deliberate change to who holds a permission, or to
who reads a partner's raw lines, fails here (issue 17)."""

from __future__ import annotations

import pytest

from wholeplace.web.access import PERMISSIONS, allowed, sees_partner

A, N, M, B, P = "administrator", "partner analyst", "partnership member", "board viewer", "public"

# permission -> the roles that hold it, as docs/web.md prints them
BY_HAND: dict[str, set[str]] = {
    "public": {P, A, N, M, B},
    "dashboards": {A, N, M, B},
    "upload spend": {A, N},
    "upload partners": {A},
    "raw lines": {A, N},
    "audit log": {A, M},
    "appraisals": {A, M},
    "objectives": {A, M, B},
    "upload objectives": {A, M},
    "users": {A},
    "publish": {A, M},
    "governance": {A, M},
    "answer framework": {A, N, M},
    "manage framework": {A, M},
    "framework reports": {A, M, B},
    "session": {A, N, M, B},
}
ROLES = (A, N, M, B, P)


def test_the_permissions_are_the_ones_docs_web_md_names() -> None:
    assert set(PERMISSIONS) == set(BY_HAND)


@pytest.mark.parametrize("permission", list(BY_HAND))
def test_each_role_is_let_through_exactly_where_the_table_says(permission: str) -> None:
    got = {role for role in ROLES if allowed(permission, role)}
    assert got == BY_HAND[permission]


def test_a_route_naming_no_permission_or_an_unknown_one_is_closed_to_everyone() -> None:
    for role in ROLES:
        assert not allowed(None, role)
        assert not allowed("no such permission", role)
    assert not allowed("users", "no such role")


@pytest.mark.parametrize(
    ("role", "own", "partner", "sees"),
    [
        (A, None, "cc", True),  # an administrator reads any partner's lines
        (A, "trust", "cc", True),
        (N, "cc", "cc", True),  # an analyst their own partner's
        (N, "cc", "trust", False),  # never another's
        (N, None, "cc", False),  # an analyst with no partner reads none
        (N, None, "", False),
        (M, "cc", "cc", False),  # a member, a board viewer or the public never
        (B, "cc", "cc", False),
        (P, None, "cc", False),
    ],
)
def test_who_reads_a_partners_raw_lines(
    role: str, own: str | None, partner: str, sees: bool
) -> None:
    assert sees_partner(role, own, partner) is sees
