"""Publishing (issue 13): a member prepares a release, names a pre-release list and schedules
it for 09:30 London time; the public sees it from then, the list 24 hours before; a published
version never changes; a correction is a new version with a note.

The time is set by the test (the place's clock), never read from the machine. The test
place is tests/helpers/web_place.py: 2024/25 consolidated £3,250.75 (NHS £2,000.25, Local
government £1,250.50; imported £3,550.75 = consolidated £3,250.75 + eliminated £300.00).
"""

from __future__ import annotations

import html
from datetime import UTC, date, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from web_place import RELEASE, Clock, csrf_of, sign_in

from wholeplace.spend import import_lines
from wholeplace.web import Place, publishing
from wholeplace.web.releases import record_due
from wholeplace.web.users import remove_user

NEW = "spend-in-testshire-2024-25"  # the release's id, made from its title


def _prepare(client: TestClient, **fields: object) -> object:
    sign_in(client, "mem")
    page = client.get("/publishing").text
    data = {
        "title": "Spend in Testshire 2024/25",
        "summary": "The partners spent £3,250.75.",
        "items": ["headline", "group", "reconciliation"],
        "pre_release": ["board"],
        "csrf": csrf_of(page),
    } | fields
    return client.post("/publishing", data=data, follow_redirects=False)


def _post(client: TestClient, action: str, **fields: str) -> object:
    page = client.get(f"/publishing/{NEW}").text
    return client.post(
        f"/publishing/{NEW}/{action}",
        data={"csrf": csrf_of(page)} | fields,
        follow_redirects=False,
    )


def test_09_30_london_is_09_30_utc_in_winter_and_08_30_in_summer() -> None:
    assert publishing.publish_instant(date(2026, 12, 1)) == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert publishing.publish_instant(date(2026, 7, 1)) == datetime(2026, 7, 1, 8, 30, tzinfo=UTC)
    # the clocks go forward on Sunday 29 March 2026 at 01:00 UTC: that morning is summer time
    assert publishing.publish_instant(date(2026, 3, 29)) == datetime(2026, 3, 29, 8, 30, tzinfo=UTC)


def test_schedule_pre_release_window_and_publication(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, place, clock = site
    r = _prepare(client)
    assert r.status_code == 303 and r.headers["location"] == f"/publishing/{NEW}"  # type: ignore[attr-defined]
    # a draft: nobody but those who prepare releases sees it
    client.cookies.clear()
    assert client.get(f"/published/{NEW}").status_code == 404
    sign_in(client, "mem")
    assert _post(client, "schedule", publish_on="2026-12-01").status_code == 303  # type: ignore[attr-defined]
    # published at 09:30 UTC on 1 December; pre-release from 09:30 UTC on 30 November
    v = client.get("/api/releases").json()[NEW][-1]
    assert v["publish_at"] == "2026-12-01T09:30:00+00:00" and v["state"] == "scheduled"
    assert v["pre_release"] == ["board"]

    def seen(username: str | None, path: str = f"/published/{NEW}") -> int:
        if username is None:
            client.cookies.clear()
        else:
            sign_in(client, username)
        return int(client.get(path).status_code)

    # before the window: only those who prepare releases
    clock.at = datetime(2026, 11, 30, 9, 29, 59, tzinfo=UTC)
    assert [seen(u) for u in (None, "board", "ana", "bob", "mem", "admin")] == [
        404,
        404,
        404,
        404,
        200,
        200,
    ]
    # in the 24 hours before 09:30: the pre-release list too, with the warning
    clock.at = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    assert [seen(u) for u in (None, "board", "ana", "bob")] == [404, 200, 404, 404]
    sign_in(client, "board")
    page = client.get(f"/published/{NEW}").text
    assert "Pre-release access: this will be published at 09:30 on 1 December 2026" in page
    assert "£3,250.75" in page
    assert [r["release"] for r in client.get("/api/published").json()] == [NEW, RELEASE]
    client.cookies.clear()
    assert [r["release"] for r in client.get("/api/published").json()] == [RELEASE]
    # a second before: still not public; at 09:30: everyone, without signing in
    clock.at = datetime(2026, 12, 1, 9, 29, 59, tzinfo=UTC)
    assert seen(None) == 404 and seen(None, f"/api/published/{NEW}") == 404
    clock.at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    client.cookies.clear()
    page = " ".join(client.get(f"/published/{NEW}").text.split())
    assert "Published 09:30 on 1 December 2026." in page
    for figure in ("£3,250.75", "£2,000.25", "£1,250.50"):
        assert figure in page
    assert "Imported £3,550.75 = consolidated £3,250.75 + eliminated £300.00" in page
    assert "Spend in Testshire 2024/25" in client.get("/published").text
    # the publication is in the audit log, once
    assert record_due(place) == 1 and record_due(place) == 0
    sign_in(client, "admin")
    log = client.get("/api/audit").json()
    published = [e for e in log if e["action"] == "release published"]
    assert published[0]["detail"] == {
        "release": NEW,
        "version": 1,
        "publish_at": "2026-12-01T09:30:00+00:00",
    }
    actions = [e["action"] for e in log if (e["detail"] or {}).get("release") == NEW]
    assert actions == ["release published", "release schedule", "release create"]
    sched = [e for e in log if e["action"] == "release schedule"]
    assert sched[0]["who"] == "mem@testclient"


def test_a_published_release_never_changes_and_a_correction_is_a_new_version(
    site: tuple[TestClient, Place, Clock], tmp_path: Path
) -> None:
    client, place, clock = site
    _prepare(client)
    _post(client, "schedule", publish_on="2026-12-01")
    clock.at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    sign_in(client, "mem")  # the session of two days ago has ended (8 hours)
    before = client.get("/api/releases").json()[NEW]
    # every change to the published version is refused, and nothing changes
    r = _post(
        client, "edit", title="Spend in Testshire 2024/25", summary="changed", items="headline"
    )
    assert r.status_code == 400  # type: ignore[attr-defined]
    assert "was published at 09:30 on 1 December 2026 and cannot be edited" in r.text  # type: ignore[attr-defined]
    assert _post(client, "schedule", publish_on="2026-12-24").status_code == 400  # type: ignore[attr-defined]
    assert _post(client, "unschedule").status_code == 400  # type: ignore[attr-defined]
    assert client.get("/api/releases").json()[NEW] == before
    # the place's data changes; the published figures do not
    trust = tmp_path / "trust.csv"
    trust.write_text(
        "partner,year,service,area,customer_group,amount_gbp,counterparty\n"
        "trust,2024/25,NHS.ACUTE,,Older people,2000.00,\n"
        "trust,2024/25,NHS.MENTAL,,Older people,500.00,\n",
        encoding="utf-8",
    )
    with place.write("mem@testclient") as ws:
        import_lines(ws, trust)
    client.cookies.clear()
    assert "£3,250.75" in client.get(f"/published/{NEW}").text
    # a correction needs a note
    sign_in(client, "mem")
    r = _post(client, "correct", note="  ")
    assert r.status_code == 400 and "a correction needs a note" in r.text  # type: ignore[attr-defined]
    assert len(client.get("/api/releases").json()[NEW]) == 1
    note = "The trust's mental health spend was missing."
    assert _post(client, "correct", note=note).status_code == 303  # type: ignore[attr-defined]
    v2 = client.get("/api/releases").json()[NEW][-1]
    # 3,250.75 - 2,000.25 + 2,000.00 + 500.00 = 3,750.50
    assert v2["version"] == 2 and v2["state"] == "draft" and v2["note"] == note
    assert v2["content"]["sections"][0]["total_gbp"] == "3750.50"
    assert v2["pre_release"] == ["board"]  # the list is carried over
    # until the correction is published the public still reads version 1
    client.cookies.clear()
    assert [v["version"] for v in client.get(f"/api/published/{NEW}").json()] == [1]
    sign_in(client, "mem")
    # a correction may go out at once
    assert _post(client, "schedule", immediately="yes").status_code == 303  # type: ignore[attr-defined]
    client.cookies.clear()
    found = client.get(f"/api/published/{NEW}").json()
    assert [(v["version"], v["state"]) for v in found] == [(1, "published"), (2, "published")]
    assert found[1]["publish_at"] == "2026-12-01T09:30:00+00:00"  # the clock's now
    page = html.unescape(" ".join(client.get(f"/published/{NEW}").text.split()))
    assert "£3,750.50" in page and note in page and "(version 2)" in page
    old = client.get(f"/published/{NEW}/1").text
    assert "£3,250.75" in old and "This is not the latest version" in old
    assert client.get(f"/published/{NEW}/3").status_code == 404


def test_a_first_release_is_scheduled_for_a_date_still_to_come(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, _place, clock = site
    _prepare(client)
    # noon on 29 November: 09:30 that day has passed
    r = _post(client, "schedule", publish_on="2026-11-29")
    assert r.status_code == 400 and "09:30 on that date has passed" in r.text  # type: ignore[attr-defined]
    r = _post(client, "schedule", publish_on="29/11/2026")
    assert r.status_code == 400 and "not a date" in r.text  # type: ignore[attr-defined]
    r = _post(client, "schedule", immediately="yes")
    assert r.status_code == 400 and "a first release is published at 09:30" in r.text  # type: ignore[attr-defined]
    assert client.get("/api/releases").json()[NEW][-1]["state"] == "draft"
    # today before 09:30 is still to come
    clock.at = datetime(2026, 11, 29, 9, 29, tzinfo=UTC)
    sign_in(client, "mem")  # signed in "later" than now: a fresh session for this clock
    assert _post(client, "schedule", publish_on="2026-11-29").status_code == 303  # type: ignore[attr-defined]
    # withdrawn before publication: a draft again, and the public never saw it
    assert _post(client, "unschedule").status_code == 303  # type: ignore[attr-defined]
    clock.at = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    client.cookies.clear()
    assert client.get(f"/published/{NEW}").status_code == 404


def test_a_release_is_checked_before_it_is_saved(site: tuple[TestClient, Place, Clock]) -> None:
    client, _place, _clock = site
    r = _prepare(client, title=" ", items=["nonsense"], pre_release=["nobody"])
    assert r.status_code == 400  # type: ignore[attr-defined]
    text = r.text  # type: ignore[attr-defined]
    for words in ("a release needs a title", "not a figure a release can hold", "not a user"):
        assert words in text
    assert NEW not in client.get("/api/releases").json()
    # the same title twice
    assert _prepare(client).status_code == 303  # type: ignore[attr-defined]
    r = _prepare(client)
    assert r.status_code == 400 and "a release has this title already" in r.text  # type: ignore[attr-defined]


def test_only_members_and_administrators_prepare_releases(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, _place, _clock = site
    for username in ("board", "ana", "bob"):
        sign_in(client, username)
        assert client.get("/publishing").status_code == 403
        assert client.get("/api/releases").status_code == 403
        page = client.get("/published").text
        r = client.post(
            "/publishing",
            data={"title": "Mine", "items": ["headline"], "csrf": csrf_of(page)},
        )
        assert r.status_code == 403
    client.cookies.clear()
    r = client.get("/publishing", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/publishing"
    assert client.get("/api/releases").status_code == 401
    for username in ("mem", "admin"):
        sign_in(client, username)
        assert client.get("/publishing").status_code == 200


def test_names_in_a_release_are_escaped(site: tuple[TestClient, Place, Clock]) -> None:
    client, _place, clock = site
    _prepare(client, title="<script>alert(1)</script> spend", summary="<b>bold</b>")
    _rid = "script-alert-1-script-spend"
    page = client.get(f"/publishing/{_rid}").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    page = client.get(f"/published/{_rid}").text
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_docs_web_md_worked_example_is_the_tests() -> None:
    """docs/web.md's publishing example states the times and figures the tests above check."""
    doc = Path(__file__).resolve().parents[2] / "docs" / "web.md"
    flat = " ".join(doc.read_text(encoding="utf-8").split())
    for phrase in (
        "it will be published at 09:30 UTC (GMT) on 1 December",
        "the board viewer reads it from 09:30 on Monday 30 November",
        "at 09:29:59 on 30 November only the member and administrators can",
        "consolidated **£3,250.75** (NHS £2,000.25, Local government £1,250.50)",
        "imported £3,550.75 = consolidated £3,250.75 + eliminated £300.00",
        "the published release still says £3,250.75",
        "£3,250.75 − £2,000.25 + £2,500.00 = **£3,750.50**",
        "09:30 UTC in winter, 08:30 UTC in British Summer Time",
        "Twenty failed sign-ins from one address within 15 minutes",
    ):
        assert phrase in flat, phrase


def test_a_removed_user_leaves_every_pre_release_list(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, place, _clock = site
    _prepare(client, pre_release=["board", "bob"])
    assert client.get("/api/releases").json()[NEW][-1]["pre_release"] == ["board", "bob"]
    with place.write("admin@testclient") as ws:
        remove_user(ws, "board")
    assert client.get("/api/releases").json()[NEW][-1]["pre_release"] == ["bob"]
