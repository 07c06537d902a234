"""Publishing, as the Department for Education's Explore Education Statistics does it.

A partnership member prepares a *release*: a title, the answer in a sentence, a financial
year and the figures chosen from the consolidated spend (the headline, the map by group,
partner, service, customer group or area, the reconciliation), beyond spend, and from files
attached (an appraisal, a gain-share agreement: :mod:`wholeplace.web.release_appraisal`). The
figures are copied into the release when it is prepared, so what is published never changes
when the place's data does. The member names a pre-release access list and schedules
publication for a date; it is published at 09:30 London time on that date. Those on the
list may read it for the 24 hours before (the limit of the Pre-release Access to Official
Statistics Order 2008).

A published version is immutable: every change to it is refused. A correction is a new
version, with a note saying what changed, prepared and scheduled in the same way; the
earlier versions stay readable. Whether a version is published depends only on the time
(``now``, which every function here takes, so tests set the clock).

This module prepares and reads releases; scheduling, publication records and corrections
are in :mod:`wholeplace.web.release_publication`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from wholeplace.errors import InputError, Problem, WholeplaceError
from wholeplace.spend import service as spend_service
from wholeplace.web import release_appraisal, release_figures, release_gainshare
from wholeplace.workspace import Workspace
from wholeplace.years import YearError, parse_year

LONDON = ZoneInfo("Europe/London")
PUBLISH_TIME = time(9, 30)
PRE_RELEASE = timedelta(hours=24)

DRAFT = "draft"
SCHEDULED = "scheduled"
PRE_RELEASE_STATE = "pre-release"
PUBLISHED = "published"

# What a release may hold: the spend map's views, and two summaries of the whole.
VIEWS = ("group", "partner", "service", "customer_group", "area")
ITEMS: dict[str, str] = {
    "headline": "Headline: consolidated spend, per resident, and payments eliminated",
    "group": "Spend by group of partners",
    "partner": "Spend by partner",
    "service": "Spend by service",
    "customer_group": "Spend by customer group",
    "area": "Spend by area",
    "reconciliation": "Reconciliation: imported = consolidated + eliminated",
    **release_figures.TITLES,
    **release_appraisal.TITLES,
    **release_gainshare.TITLES,
}
SPEND_ITEMS = ("headline", *VIEWS, "reconciliation")
_SLUG = re.compile(r"[^a-z0-9]+")
MAX_TITLE = 200
MAX_SUMMARY = 2000
MAX_NOTE = 2000


class ReleaseError(WholeplaceError):
    """A change the release's state does not allow (above all: a published version)."""


@dataclass(frozen=True)
class Version:
    release: str
    version: int
    title: str
    summary: str
    year: str
    items: tuple[str, ...]
    content: dict[str, Any]
    note: str | None
    publish_on: date | None
    publish_at: datetime | None  # UTC, aware
    pre_release: tuple[str, ...]
    prepared_by: str
    prepared_at: datetime

    def state(self, now: datetime) -> str:
        if self.publish_at is None:
            return DRAFT
        if self.publish_at <= now:
            return PUBLISHED
        if self.publish_at - PRE_RELEASE <= now:
            return PRE_RELEASE_STATE
        return SCHEDULED

    @property
    def pre_release_from(self) -> datetime | None:
        return None if self.publish_at is None else self.publish_at - PRE_RELEASE

    def to_json(self, now: datetime, *, with_list: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "release": self.release,
            "version": self.version,
            "state": self.state(now),
            "title": self.title,
            "summary": self.summary,
            "year": self.year,
            "items": list(self.items),
            "note": self.note,
            "publish_on": None if self.publish_on is None else self.publish_on.isoformat(),
            "publish_at": None if self.publish_at is None else self.publish_at.isoformat(),
            "content": self.content,
        }
        if with_list:
            out["pre_release"] = list(self.pre_release)
            out["prepared_by"] = self.prepared_by
        return out


@dataclass(frozen=True)
class Viewer:
    """Who is reading: a username (None for the public) and whether they prepare releases."""

    username: str | None
    prepares: bool


def publish_instant(on: date) -> datetime:
    """09:30 in London on ``on``, in UTC (08:30 UTC in summer time, 09:30 in winter)."""
    return datetime.combine(on, PUBLISH_TIME, LONDON).astimezone(UTC)


def when(moment: datetime | None) -> str:
    """``09:30 on 1 December 2026``, London time."""
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _aware(stored: datetime | None) -> datetime | None:
    return None if stored is None else stored.replace(tzinfo=UTC)


def _problem(column: str, value: str, message: str, fix: str) -> Problem:
    return Problem("(release)", None, column, value, message, fix)


def slug(title: str) -> str:
    return _SLUG.sub("-", title.lower()).strip("-")[:64].strip("-")


# -- reading ------------------------------------------------------------------------------

_COLUMNS = (
    "release_id, version, title, summary, year, items, content, note, publish_on, "
    "publish_at, prepared_by, prepared_at"
)


def _versions(ws: Workspace, where: str, params: Sequence[object]) -> list[Version]:
    rows = ws.con.execute(
        f"SELECT {_COLUMNS} FROM web_release_versions WHERE {where} "  # noqa: S608
        "ORDER BY release_id, version",
        list(params),
    ).fetchall()
    access: dict[tuple[str, int], list[str]] = {}
    for rid, ver, username in ws.con.execute(
        "SELECT release_id, version, username FROM web_release_access ORDER BY username"
    ).fetchall():
        access.setdefault((rid, ver), []).append(username)
    return [
        Version(
            release=r[0],
            version=r[1],
            title=r[2],
            summary=r[3],
            year=r[4],
            items=tuple(json.loads(r[5])),
            content=json.loads(r[6]),
            note=r[7],
            publish_on=r[8],
            publish_at=_aware(r[9]),
            pre_release=tuple(access.get((r[0], r[1]), ())),
            prepared_by=r[10],
            prepared_at=r[11].replace(tzinfo=UTC),
        )
        for r in rows
    ]


def versions(ws: Workspace, release: str) -> list[Version]:
    """Every version of ``release``, oldest first (none if there is no such release)."""
    return _versions(ws, "release_id = ?", [release])


def all_versions(ws: Workspace) -> dict[str, list[Version]]:
    out: dict[str, list[Version]] = {}
    for v in _versions(ws, "TRUE", []):
        out.setdefault(v.release, []).append(v)
    return out


def may_read(v: Version, viewer: Viewer, now: datetime) -> bool:
    """Published: everyone. Before: those who prepare releases; in the 24 hours before
    09:30, also the users on the version's pre-release list."""
    state = v.state(now)
    if state == PUBLISHED or viewer.prepares:
        return True
    return (
        state == PRE_RELEASE_STATE
        and viewer.username is not None
        and viewer.username in v.pre_release
    )


def readable(ws: Workspace, release: str, viewer: Viewer, now: datetime) -> list[Version]:
    """The versions of ``release`` this viewer may read, oldest first."""
    return [v for v in versions(ws, release) if may_read(v, viewer, now)]


def catalogue(
    versions: Mapping[str, list[Version]], viewer: Viewer, now: datetime
) -> list[Version]:
    """The latest version of each release this viewer may read, newest publication first,
    from every version (``all_versions``)."""
    latest = []
    for found in versions.values():
        seen = [v for v in found if may_read(v, viewer, now)]
        if seen:
            latest.append(seen[-1])
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(latest, key=lambda v: (v.publish_at or far, v.release), reverse=True)


# -- the figures ---------------------------------------------------------------------------


def _other_year(ws: Workspace, year: str | None) -> str:
    """The year of a release holding no spend figure: the spend year its areas' spend per
    head is taken from (the latest, or ``year``), else ``year`` as written, else none."""
    try:
        return spend_service.choose_year(ws, year)
    except WholeplaceError:
        if year is None:
            return ""
        try:
            return parse_year(year)
        except YearError:
            raise InputError(
                [_problem("year", year[:40], "not a financial year", "write it as 2024/25")],
                "the release was not saved",
            ) from None


Sections = Mapping[str, dict[str, Any]]


def snapshot(
    ws: Workspace, year: str | None, items: Sequence[str], frozen: Sections | None = None
) -> tuple[str, dict[str, Any]]:
    """The chosen figures of ``year`` (default: the latest), as they are now and as the
    public may read them (disclosure control applied: wholeplace.disclosure); a section
    made from a file (an appraisal, a gain-share agreement) is taken from ``frozen``, made
    when the file was attached."""
    frozen = frozen or {}
    maps: dict[str, spend_service.MapResult] = {}
    if any(i in SPEND_ITEMS for i in items):
        views = [i for i in items if i in VIEWS] or ["group"]
        maps = spend_service.build_maps(ws, year, views)
        first = maps[views[0]].map
        found_year = first.year
    else:
        found_year = _other_year(ws, year)
    content: dict[str, Any] = {"place": ws.name, "year": found_year, "sections": []}
    problems = []
    for item in items:
        section: dict[str, Any]
        if item in release_appraisal.FROZEN:
            if item not in frozen:
                problems.append(
                    _problem(
                        "items",
                        item,
                        f"no {release_appraisal.KINDS[item].split(' (')[0]} is attached",
                        f"attach the {release_appraisal.KINDS[item]} the release is to hold",
                    )
                )
                continue
            section = dict(frozen[item])
        elif item in release_figures.BUILDERS:
            try:
                section = release_figures.BUILDERS[item](ws, found_year)
            except release_figures.NotHeld as exc:
                problems.append(
                    _problem("items", item, str(exc), "import those figures first, or leave it out")
                )
                continue
        elif item in VIEWS:
            m = maps[item].map
            section = {
                "item": item,
                "title": ITEMS[item],
                "total_gbp": str(m.total_gbp),
                "rows": [
                    {"label": r.label, "amount_gbp": str(r.amount_gbp), "share": str(r.share)}
                    for r in m.rows
                ],
            }
        elif item == "headline":
            section = {
                "item": item,
                "title": ITEMS[item],
                "total_gbp": str(first.total_gbp),
                "per_head_gbp": None if first.per_head_gbp is None else str(first.per_head_gbp),
                "eliminated_gbp": str(first.eliminated_gbp),
                "population": first.population,
            }
        else:
            rec = first.reconciliation
            section = {
                "item": item,
                "title": ITEMS[item],
                "imported_gbp": str(rec.imported_gbp),
                "consolidated_gbp": str(rec.consolidated_gbp),
                "eliminated_gbp": str(rec.eliminated_gbp),
            }
        content["sections"].append(section)
    if problems:
        raise InputError(problems, "the release was not saved")
    return found_year, content


# -- preparing -----------------------------------------------------------------------------


def _check(
    ws: Workspace, title: str, summary: str, items: Sequence[str], pre_release: Sequence[str]
) -> None:
    problems = []
    if not title.strip() or len(title) > MAX_TITLE or not slug(title):
        problems.append(
            _problem(
                "title",
                title[:80],
                "a release needs a title",
                f"give a title of 1 to {MAX_TITLE} characters with a letter or digit",
            )
        )
    if len(summary) > MAX_SUMMARY:
        problems.append(
            _problem(
                "summary",
                summary[:80],
                f"longer than {MAX_SUMMARY} characters",
                "say the answer in a sentence or two",
            )
        )
    if not items:
        problems.append(
            _problem("items", "", "a release holds no figures", "choose at least one figure")
        )
    for item in items:
        if item not in ITEMS:
            problems.append(
                _problem("items", item, "not a figure a release can hold", ", ".join(ITEMS))
            )
    known = {r[0] for r in ws.con.execute("SELECT username FROM web_users").fetchall()}
    for name in pre_release:
        if name not in known:
            problems.append(
                _problem(
                    "pre_release",
                    name,
                    "not a user of the place",
                    "name users of the web application (wholeplace users list)",
                )
            )
    if problems:
        raise InputError(problems, "the release was not saved")


def _file_of(attached: Sections) -> tuple[str | None, str | None]:
    """The audit entry's file and SHA-256: the first file attached, if any (its detail
    names each file attached, with its SHA-256)."""
    for s in attached.values():
        return s["source"]["file"], s["source"]["sha256"]
    return None, None


def _names(pre_release: Sequence[str]) -> list[str]:
    return sorted({n.strip().lower() for n in pre_release if n.strip()})


def _write_access(ws: Workspace, release: str, version: int, names: Sequence[str]) -> None:
    ws.con.execute(
        "DELETE FROM web_release_access WHERE release_id = ? AND version = ?", [release, version]
    )
    for name in names:
        ws.con.execute("INSERT INTO web_release_access VALUES (?, ?, ?)", [release, version, name])


def _checked(
    ws: Workspace, title: str, summary: str, items: Sequence[str], pre_release: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The pre-release names and the chosen figures (each once), once both are checked."""
    names = _names(pre_release)
    chosen = list(dict.fromkeys(items))
    _check(ws, title, summary, chosen, names)
    return names, chosen


def create(
    ws: Workspace,
    title: str,
    summary: str,
    year: str | None,
    items: Sequence[str],
    pre_release: Sequence[str],
    who: str,
    now: datetime,
    attached: Sections | None = None,
) -> Version:
    """A new release: version 1, a draft holding the chosen figures as they are now (and
    the sections made from files ``attached``: an appraisal, a gain-share agreement)."""
    attached = attached or {}
    names, items = _checked(ws, title, summary, [*items, *attached], pre_release)
    release = slug(title)
    if ws.con.execute("SELECT 1 FROM web_releases WHERE id = ?", [release]).fetchall():
        raise InputError(
            [_problem("title", title, "a release has this title already", "choose another")],
            "the release was not saved",
        )
    found_year, content = snapshot(ws, year, items, attached)
    file, digest = _file_of(attached)
    with ws.write(
        "release create",
        detail={"release": release, "version": 1, **release_appraisal.audit_detail(attached)},
        file=file,
        sha256=digest,
    ):
        ws.con.execute("INSERT INTO web_releases VALUES (?, ?, ?)", [release, who, _naive(now)])
        ws.con.execute(
            "INSERT INTO web_release_versions VALUES "
            "(?, 1, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?, NULL)",
            [
                release,
                title.strip(),
                summary.strip(),
                found_year,
                json.dumps(items),
                json.dumps(content),
                who,
                _naive(now),
            ],
        )
        _write_access(ws, release, 1, names)
    return versions(ws, release)[-1]


def _latest(ws: Workspace, release: str) -> Version:
    found = versions(ws, release)
    if not found:
        raise ReleaseError(f"There is no release {release!r}. Fix: see the list of releases.")
    return found[-1]


def _unpublished(ws: Workspace, release: str, now: datetime, doing: str) -> Version:
    v = _latest(ws, release)
    if v.state(now) == PUBLISHED:
        assert v.publish_at is not None
        raise ReleaseError(
            f"Version {v.version} of {release!r} was published at {when(v.publish_at)} "
            f"and cannot be {doing}: "
            "a published release never changes. Nothing was changed. Fix: publish a "
            "correction, a new version with a note saying what changed."
        )
    return v


def edit(
    ws: Workspace,
    release: str,
    title: str,
    summary: str,
    year: str | None,
    items: Sequence[str],
    pre_release: Sequence[str],
    who: str,
    now: datetime,
    attached: Sections | None = None,
) -> Version:
    """Change the latest version before it is published; its figures are taken again, but
    an appraisal's or agreement's are kept as they were frozen unless a new file is
    ``attached``."""
    v = _unpublished(ws, release, now, "edited")
    attached = attached or {}
    names, items = _checked(ws, title, summary, [*items, *attached], pre_release)
    frozen = {**release_appraisal.frozen(v.content), **attached}
    found_year, content = snapshot(ws, year, items, frozen)
    file, digest = _file_of(attached)
    with ws.write(
        "release edit",
        detail={
            "release": release,
            "version": v.version,
            **release_appraisal.audit_detail(attached),
        },
        file=file,
        sha256=digest,
    ):
        ws.con.execute(
            "UPDATE web_release_versions SET title = ?, summary = ?, year = ?, items = ?, "
            "content = ?, prepared_by = ?, prepared_at = ? WHERE release_id = ? AND version = ?",
            [
                title.strip(),
                summary.strip(),
                found_year,
                json.dumps(items),
                json.dumps(content),
                who,
                _naive(now),
                release,
                v.version,
            ],
        )
        _write_access(ws, release, v.version, names)
    return versions(ws, release)[-1]
