"""Publishing a prepared release (:mod:`wholeplace.web.publishing`): scheduling it for 09:30
London time on a date, taking it back to a draft, recording each publication in the audit log
when its time comes, and correcting a published one with a new version.

A published version is never changed: these refuse to touch one, and a correction is a new
version with a note saying what changed. ``now`` is passed in, so tests set the clock.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from wholeplace.errors import InputError
from wholeplace.web import release_appraisal
from wholeplace.web.publishing import (
    LONDON,
    MAX_NOTE,
    PUBLISHED,
    ReleaseError,
    Sections,
    Version,
    _file_of,
    _latest,
    _naive,
    _problem,
    _unpublished,
    _write_access,
    publish_instant,
    snapshot,
    versions,
)
from wholeplace.workspace import Workspace


def schedule(ws: Workspace, release: str, on: date | None, now: datetime) -> Version:
    """Publish the latest version at 09:30 (London) on ``on``, which must be still to come.
    A correction (version 2 on) may be published at once instead (``on`` None)."""
    v = _unpublished(ws, release, now, "scheduled again")
    if on is None:
        if v.version == 1:
            raise InputError(
                [
                    _problem(
                        "publish_on",
                        "",
                        "a first release is published at 09:30 on a date",
                        "choose the date of publication",
                    )
                ],
                "the release was not scheduled",
            )
        at = now
    else:
        at = publish_instant(on)
        if at <= now:
            raise InputError(
                [
                    _problem(
                        "publish_on",
                        on.isoformat(),
                        "09:30 on that date has passed",
                        "choose a date still to come (today only before 09:30)",
                    )
                ],
                "the release was not scheduled",
            )
    day = at.astimezone(LONDON).date()
    with ws.write(
        "release schedule",
        detail={"release": release, "version": v.version, "publish_at": at.isoformat()},
    ):
        ws.con.execute(
            "UPDATE web_release_versions SET publish_on = ?, publish_at = ? "
            "WHERE release_id = ? AND version = ?",
            [day, _naive(at), release, v.version],
        )
    record_publications(ws, now)
    return versions(ws, release)[-1]


def unschedule(ws: Workspace, release: str, now: datetime) -> Version:
    """Back to a draft, before publication only."""
    v = _unpublished(ws, release, now, "withdrawn")
    with ws.write("release unschedule", detail={"release": release, "version": v.version}):
        ws.con.execute(
            "UPDATE web_release_versions SET publish_on = NULL, publish_at = NULL "
            "WHERE release_id = ? AND version = ?",
            [release, v.version],
        )
    return versions(ws, release)[-1]


def correct(
    ws: Workspace,
    release: str,
    note: str,
    who: str,
    now: datetime,
    attached: Sections | None = None,
) -> Version:
    """A new version of a published release, with a note saying what changed: a draft with
    the same title, summary, figures chosen and pre-release list, its figures taken again;
    an appraisal's or agreement's are kept as the published version froze them unless a
    new file is ``attached``."""
    v = _latest(ws, release)
    if v.state(now) != PUBLISHED:
        raise ReleaseError(
            f"Version {v.version} of {release!r} is not published yet. Nothing was changed. "
            "Fix: edit it instead; a correction follows a published version."
        )
    note = note.strip()
    if not note or len(note) > MAX_NOTE:
        raise InputError(
            [
                _problem(
                    "note",
                    note[:80],
                    "a correction needs a note saying what changed",
                    f"write what changed and why, in 1 to {MAX_NOTE} characters",
                )
            ],
            "the correction was not started",
        )
    attached = attached or {}
    items = list(dict.fromkeys([*v.items, *attached]))
    frozen = {**release_appraisal.frozen(v.content), **attached}
    found_year, content = snapshot(ws, v.year, items, frozen)
    n = v.version + 1
    file, digest = _file_of(attached)
    with ws.write(
        "release correction",
        detail={
            "release": release,
            "version": n,
            "note": note,
            **release_appraisal.audit_detail(attached),
        },
        file=file,
        sha256=digest,
    ):
        ws.con.execute(
            "INSERT INTO web_release_versions VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, NULL)",
            [
                release,
                n,
                v.title,
                v.summary,
                found_year,
                json.dumps(items),
                json.dumps(content),
                note,
                who,
                _naive(now),
            ],
        )
        _write_access(ws, release, n, v.pre_release)
    return versions(ws, release)[-1]


def due_unrecorded(ws: Workspace, now: datetime) -> list[tuple[str, int, datetime]]:
    """The versions whose time of publication has come and whose audit entry is not written:
    (release, version, the time, naive UTC)."""
    rows = ws.con.execute(
        "SELECT release_id, version, publish_at FROM web_release_versions "
        "WHERE publish_at IS NOT NULL AND publish_at <= ? AND recorded_at IS NULL "
        "ORDER BY publish_at, release_id, version",
        [_naive(now)],
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def record_publications(ws: Workspace, now: datetime) -> int:
    """Write the audit entry of each version whose time of publication has come (once each);
    the server does this every minute. Publication itself needs nothing written: a version
    is published when its time has passed."""
    due = due_unrecorded(ws, now)
    for release, version, at in due:
        with ws.write(
            "release published",
            detail={
                "release": release,
                "version": version,
                "publish_at": at.replace(tzinfo=UTC).isoformat(),
            },
        ):
            ws.con.execute(
                "UPDATE web_release_versions SET recorded_at = ? "
                "WHERE release_id = ? AND version = ?",
                [_naive(now), release, version],
            )
    return len(due)
