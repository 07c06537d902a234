"""The web application's users, roles, passwords and sessions, kept in the place.

Passwords are hashed with argon2id (``argon2-cffi``'s defaults: RFC 9106's low-memory
profile, 64 MiB, 3 passes, 4 lanes, a random salt each). A scrypt hash written before
argon2 (``scrypt$n$r$p$salt$hash``) still verifies, and is replaced by an argon2 one at the
user's next successful sign-in. A session is a random token in an HttpOnly cookie whose
sha256 only is stored, with its own CSRF token. Five failed sign-ins in a row lock an account
for 15 minutes; twenty failed sign-ins from one address within 15 minutes pause sign-in from
that address for 15 minutes, whatever the name. Every change here is one
:meth:`Workspace.write`, so it is in the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from wholeplace.errors import InputError, Problem, WholeplaceError
from wholeplace.partners import partner_ids
from wholeplace.workspace import Workspace

ADMIN = "administrator"
ANALYST = "partner analyst"
MEMBER = "partnership member"
BOARD = "board viewer"
PUBLIC = "public"  # no account: whoever is not signed in
ROLES: tuple[str, ...] = (ADMIN, ANALYST, MEMBER, BOARD)

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
# by address: enough for an office behind one address mistyping, far too few to guess
ADDRESS_FAILURES = 20
ADDRESS_WINDOW = timedelta(minutes=15)
ADDRESS_PAUSE = timedelta(minutes=15)
SESSION_FOR = timedelta(hours=8)
MAX_TOKEN = 128  # a cookie longer than any token made here (43 characters) is not looked up
MIN_PASSWORD = 12
_ARGON2 = PasswordHasher()
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")


@dataclass(frozen=True)
class User:
    username: str
    role: str
    partner: str | None

    def to_json(self) -> dict[str, str | None]:
        return {"username": self.username, "role": self.role, "partner": self.partner}


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


class SignInError(WholeplaceError):
    """Wrong name or password, or a locked account: one message for all, so it tells an
    attacker nothing about which names exist."""


class AddressPaused(SignInError):
    """Too many failed sign-ins from one address: says so, and until when (it tells nothing
    about any account)."""


def hash_password(password: str) -> str:
    return _ARGON2.hash(password)


def needs_rehash(stored: str) -> bool:
    """A hash not made by argon2 with today's parameters (a scrypt one, above all)."""
    if not stored.startswith("$argon2"):
        return True
    try:
        return _ARGON2.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


def check_password(password: str, stored: str) -> bool:
    if stored.startswith("$argon2"):
        try:
            return _ARGON2.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    return _check_scrypt(password, stored)


@cache
def _dummy_hash() -> str:
    return hash_password("not a user")


def _check_scrypt(password: str, stored: str) -> bool:
    """A hash of the scrypt era (``scrypt$n$r$p$salt_hex$hash_hex``)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        found = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(digest) // 2,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found.hex(), digest)


def _problem(column: str, value: str, message: str, fix: str) -> Problem:
    return Problem("(user)", None, column, value, message, fix)


def _check(ws: Workspace, username: str, role: str, partner: str | None, password: str) -> None:
    problems = []
    if not _USERNAME.match(username):
        problems.append(
            _problem(
                "username",
                username,
                "not a usable user name",
                "use 1 to 64 lower-case letters, digits, '.', '_', '-' or '@', starting "
                "with a letter or digit",
            )
        )
    if role not in ROLES:
        problems.append(_problem("role", role, "not a role", "use one of: " + ", ".join(ROLES)))
    if role == ANALYST and (partner is None or partner not in partner_ids(ws)):
        problems.append(
            _problem(
                "partner",
                partner or "",
                "a partner analyst works for one partner of the place",
                "give the id of a partner of the place (wholeplace partners list)",
            )
        )
    if role != ANALYST and partner:
        problems.append(
            _problem("partner", partner, "only a partner analyst has a partner", "leave it out")
        )
    if len(password) < MIN_PASSWORD:
        problems.append(
            _problem(
                "password",
                "(hidden)",
                f"the password is shorter than {MIN_PASSWORD} characters",
                f"choose a password of at least {MIN_PASSWORD} characters (a few words)",
            )
        )
    if problems:
        raise InputError(problems, "the user was not added")


def add_user(
    ws: Workspace, username: str, role: str, password: str, partner: str | None = None
) -> User:
    username = username.strip().lower()
    partner = (partner or "").strip() or None
    _check(ws, username, role, partner, password)
    if find_user(ws, username) is not None:
        raise InputError(
            [_problem("username", username, "this user exists already", "choose another name")],
            "the user was not added",
        )
    hashed = hash_password(password)
    with ws.write("user add", detail={"username": username, "role": role, "partner": partner}):
        ws.con.execute(
            "INSERT INTO web_users (username, role, partner, password, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [username, role, partner, hashed, datetime.now(UTC).replace(tzinfo=None)],
        )
    return User(username, role, partner)


def find_user(ws: Workspace, username: str) -> User | None:
    rows = ws.con.execute(
        "SELECT username, role, partner FROM web_users WHERE username = ?", [username]
    ).fetchall()
    return None if not rows else User(*rows[0])


def list_users(ws: Workspace) -> list[User]:
    rows = ws.con.execute("SELECT username, role, partner FROM web_users ORDER BY username")
    return [User(*r) for r in rows.fetchall()]


def _must_exist(ws: Workspace, username: str) -> User:
    user = find_user(ws, username)
    if user is None:
        raise WholeplaceError(f"There is no user {username!r}. Fix: see `wholeplace users list`.")
    return user


def remove_user(ws: Workspace, username: str) -> User:
    user = _must_exist(ws, username)
    with ws.write("user remove", detail={"username": username}):
        ws.con.execute("DELETE FROM web_sessions WHERE username = ?", [username])
        # off every pre-release list, so a later user of the same name inherits no access
        ws.con.execute("DELETE FROM web_release_access WHERE username = ?", [username])
        ws.con.execute("DELETE FROM web_users WHERE username = ?", [username])
    return user


def reset_password(ws: Workspace, username: str, password: str) -> User:
    user = _must_exist(ws, username)
    if len(password) < MIN_PASSWORD:
        _check(ws, user.username, user.role, user.partner, password)
    hashed = hash_password(password)
    with ws.write("user reset-password", detail={"username": username}):
        ws.con.execute(
            "UPDATE web_users SET password = ?, failed_logins = 0, locked_until = NULL "
            "WHERE username = ?",
            [hashed, username],
        )
        ws.con.execute("DELETE FROM web_sessions WHERE username = ?", [username])
    return user


def token_key(token: str) -> str:
    """What is stored of a session's token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _address_paused(ws: Workspace, ip: str, now: datetime) -> datetime | None:
    rows = ws.con.execute(
        "SELECT blocked_until FROM web_login_addresses WHERE ip = ?", [ip]
    ).fetchall()
    until: datetime | None = rows[0][0] if rows else None
    return until if until is not None and until > now else None


def _count_address(ws: Workspace, ip: str, now: datetime) -> bool:
    """Count a failed sign-in from ``ip`` (inside the caller's write); True when this one
    pauses the address."""
    rows = ws.con.execute(
        "SELECT failures, first_failure FROM web_login_addresses WHERE ip = ?", [ip]
    ).fetchall()
    if not rows or rows[0][1] + ADDRESS_WINDOW <= now:
        failures, first = 1, now
    else:
        failures, first = rows[0][0] + 1, rows[0][1]
    paused = failures >= ADDRESS_FAILURES
    ws.con.execute(
        "INSERT OR REPLACE INTO web_login_addresses VALUES (?, ?, ?, ?)",
        [
            ip,
            0 if paused else failures,
            now if paused else first,
            now + ADDRESS_PAUSE if paused else None,
        ],
    )
    return paused


def _paused_message(until: datetime) -> str:
    return (
        "Too many failed sign-ins have come from your address, so signing in from it is "
        f"paused until {until:%H:%M} UTC. Fix: wait until then; if you have forgotten your "
        "password, ask an administrator to reset it."
    )


def sign_in(
    ws: Workspace, username: str, password: str, ip: str, now: datetime | None = None
) -> tuple[str, Session]:
    """A new session (its cookie token, and the session) for the right name and password.

    Raises :class:`SignInError` otherwise (:class:`AddressPaused` when too many have failed
    from ``ip``); the failure is counted, by account and by address, and recorded in the
    audit log, as is every sign-in. A password hash of an older kind is replaced by an
    argon2 one. ``now`` (aware) defaults to the clock's time."""
    username = username.strip().lower()
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    paused = _address_paused(ws, ip, now)
    if paused is not None:
        with ws.write(
            "login throttled",
            detail={"username": username[:64], "ip": ip, "until": paused.isoformat()},
        ):
            pass
        raise AddressPaused(_paused_message(paused))
    rows = ws.con.execute(
        "SELECT role, partner, password, failed_logins, locked_until FROM web_users "
        "WHERE username = ?",
        [username],
    ).fetchall()
    if not rows:
        check_password(password, _dummy_hash())  # the same time as a real check
        with ws.write("login failed", detail={"username": username[:64], "ip": ip}) as info:
            if _count_address(ws, ip, now):
                info["detail"]["address_paused"] = True
        raise SignInError("The user name or password is not right, or the account is locked.")
    role, partner, stored, failed, locked_until = rows[0]
    locked = locked_until is not None and locked_until > now
    if locked or not check_password(password, stored):
        failed = failed + (0 if locked else 1)
        lock = now + LOCK_FOR if failed >= MAX_FAILURES else locked_until
        with ws.write(
            "login failed", detail={"username": username, "ip": ip, "locked": lock is not None}
        ) as info:
            ws.con.execute(
                "UPDATE web_users SET failed_logins = ?, locked_until = ? WHERE username = ?",
                [0 if failed >= MAX_FAILURES else failed, lock, username],
            )
            if _count_address(ws, ip, now):
                info["detail"]["address_paused"] = True
        raise SignInError("The user name or password is not right, or the account is locked.")
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    rehash = needs_rehash(stored)
    detail: dict[str, object] = {"ip": ip} | ({"password_rehashed": True} if rehash else {})
    with ws.acting_as(f"{username}@{ip}"), ws.write("login", detail=detail):
        ws.con.execute(
            "UPDATE web_users SET failed_logins = 0, locked_until = NULL WHERE username = ?",
            [username],
        )
        if rehash:
            ws.con.execute(
                "UPDATE web_users SET password = ? WHERE username = ?",
                [hash_password(password), username],
            )
        ws.con.execute("DELETE FROM web_sessions WHERE expires_at < ?", [now])
        ws.con.execute(
            "INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?)",
            [token_key(token), username, csrf, now, now + SESSION_FOR],
        )
    return token, Session(User(username, role, partner), csrf)


def find_session(ws: Workspace, token: str) -> tuple[Session, datetime] | None:
    """The session whose cookie holds ``token`` and when it ends (aware, UTC), ended or not."""
    rows = ws.con.execute(
        "SELECT u.username, u.role, u.partner, s.csrf, s.expires_at FROM web_sessions s "
        "JOIN web_users u USING (username) WHERE s.token_sha256 = ?",
        [token_key(token)],
    ).fetchall()
    if not rows:
        return None
    username, role, partner, csrf, ends = rows[0]
    return Session(User(username, role, partner), csrf), ends.replace(tzinfo=UTC)


def session_for(ws: Workspace, token: str | None, now: datetime | None = None) -> Session | None:
    """The live session whose cookie holds ``token``, if any, at ``now`` (aware; default
    the machine's time)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    found = find_session(ws, token)
    if found is None or found[1] <= (now or datetime.now(UTC)):
        return None
    return found[0]


def sign_out(ws: Workspace, token: str, ip: str) -> None:
    key = token_key(token)
    with ws.write("logout", detail={"ip": ip}):
        ws.con.execute("DELETE FROM web_sessions WHERE token_sha256 = ?", [key])
