"""The server keeps an appraisal's and a pooled budget's result on the page (issue 13's
performance): the same file, with the same choices, on the same day, over the same data, is
answered from the result kept, and each run is still in the audit log. A changed file,
choice or day, or a write of data, computes it afresh; a report to download is always made
afresh (it says when it was made)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_place import csrf_of, sign_in

from wholeplace.cba import service as cba_service
from wholeplace.web import Place, appraisals, create_app, sharing_pages

DATA = resources.files("wholeplace") / "data"
APPRAISAL = (DATA / "cba" / "example_appraisal.yaml").read_bytes()
POOL = (DATA / "sharing" / "pool_example.yaml").read_bytes()


@pytest.fixture
def site(place_dir: Path) -> Iterator[tuple[TestClient, Place]]:
    # a Place of its own for each test: what one test's runs leave kept is not the next's
    p = Place.open(place_dir)
    try:
        with TestClient(create_app(p)) as c:
            sign_in(c, "mem")
            yield c, p
    finally:
        p.close()


def _counting(real: Callable[..., Any]) -> tuple[Callable[..., Any], list[int]]:
    calls: list[int] = []

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    return wrapped, calls


@pytest.fixture
def appraisal_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    wrapped, calls = _counting(cba_service.run)
    monkeypatch.setattr(cba_service, "run", wrapped)
    return calls


@pytest.fixture
def pool_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    wrapped, calls = _counting(sharing_pages.sharing_service.pool)
    monkeypatch.setattr(sharing_pages.sharing_service, "pool", wrapped)
    return calls


def _appraise(c: TestClient, body: bytes = APPRAISAL, output: str = "page", name: str = "a.yaml"):
    csrf = csrf_of(c.get("/appraisals").text)
    return c.post(
        "/appraisals/run",
        data={"csrf": csrf, "output": output},
        files={"file": (name, body, "application/yaml")},
    )


def _pool(c: TestClient, body: bytes = POOL):
    csrf = csrf_of(c.get("/sharing").text)
    return c.post(
        "/sharing/run",
        data={"csrf": csrf, "kind": "pool", "output": "page"},
        files={"file": ("pool.yaml", body, "application/yaml")},
    )


def _audit(p: Place, action: str) -> list[tuple[str | None, str]]:
    with p.read() as ws:
        rows = ws.con.execute(
            "SELECT sha256, detail FROM audit_log WHERE action = ? ORDER BY seq", [action]
        ).fetchall()
    return [(r[0], r[1]) for r in rows]


def test_the_same_appraisal_again_is_answered_from_the_result_kept(
    site: tuple[TestClient, Place], appraisal_calls: list[int]
) -> None:
    c, p = site
    before = len(_audit(p, "appraisal run"))  # the place is shared by this module's tests
    first = _appraise(c)
    again = _appraise(c)
    assert first.status_code == again.status_code == 200
    assert "£635,537.63" in first.text  # PV of costs, worked by hand in docs/cba.md
    assert again.content == first.content
    assert len(appraisal_calls) == 1
    # each run is in the audit log, with the file's SHA-256, kept or not
    sha = hashlib.sha256(APPRAISAL).hexdigest()
    assert [s for s, _d in _audit(p, "appraisal run")[before:]] == [sha, sha]


def test_a_changed_file_choice_or_day_computes_afresh(
    site: tuple[TestClient, Place], appraisal_calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    c, _p = site
    assert _appraise(c).status_code == 200 and _appraise(c).status_code == 200
    assert len(appraisal_calls) == 1
    changed = APPRAISAL + b"\n# the same appraisal, one comment longer\n"
    assert _appraise(c, changed).status_code == 200
    assert len(appraisal_calls) == 2
    # the same bytes under another name are read by that name's rules, so are their own
    assert _appraise(c, name="a.yml").status_code == 200
    assert len(appraisal_calls) == 3
    # a report to download is made each time: it says when it was made
    assert _appraise(c, output="html").status_code == 200
    assert _appraise(c, output="html").status_code == 200
    assert len(appraisal_calls) == 5
    # the parameters in force are today's: another day, another result
    monkeypatch.setattr(appraisals, "date", _Tomorrow)
    assert _appraise(c).status_code == 200
    assert len(appraisal_calls) == 6
    # a file with problems gets the problem table each time and nothing is kept
    bad = b"name: x\nsettings: [1, 2\n"
    assert _appraise(c, bad).status_code == 400 and _appraise(c, bad).status_code == 400
    assert len(appraisal_calls) == 8


class _Tomorrow(date):
    @classmethod
    def today(cls) -> _Tomorrow:
        d = date.today()
        return cls.fromordinal(d.toordinal() + 1)


def test_a_write_of_data_drops_the_runs_kept(
    site: tuple[TestClient, Place], appraisal_calls: list[int], pool_calls: list[int]
) -> None:
    c, p = site
    for run in (_appraise, _pool):
        assert run(c).status_code == 200 and run(c).status_code == 200
    assert (len(appraisal_calls), len(pool_calls)) == (1, 1)
    with p.write("test"):
        pass
    for run in (_appraise, _pool):
        assert run(c).status_code == 200 and run(c).status_code == 200
    assert (len(appraisal_calls), len(pool_calls)) == (2, 2)


def test_the_same_pooled_budget_again_is_answered_from_the_result_kept(
    site: tuple[TestClient, Place], pool_calls: list[int]
) -> None:
    c, p = site
    before = len(_audit(p, "sharing run"))
    first = _pool(c)
    again = _pool(c)
    assert first.status_code == 200 and "1296364.79" in first.text  # docs/sharing.md
    assert again.content == first.content and len(pool_calls) == 1
    assert _pool(c, POOL + b"\n# one comment longer\n").status_code == 200
    assert len(pool_calls) == 2
    assert len(_audit(p, "sharing run")) == before + 3
