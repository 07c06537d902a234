"""Hostile uploads through the web (issue 13, security tests): oversized files, XLSX zip
bombs and their cousins, files that are not workbooks named .xlsx, and XML entities (XXE,
billion laughs) are refused on every upload form with a clear message, and nothing is
stored: the place's tables, its audit log and its folder are as they were.

The hostile workbooks are the command line's (tests/helpers/hostile_workbooks.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hostile_workbooks import HOSTILE, XLSX_GARBAGE, external_entity
from place_state import snapshot_of
from web_place import build_place, csrf_of, sign_in

from wholeplace.web import Place, create_app

LIMIT = 256 * 1024  # the place's upload limit here: every hostile workbook is under it

# every form that takes an XLSX: route -> the other fields it needs
FORMS: dict[str, dict[str, str]] = {
    "/uploads/spend": {},
    "/uploads/partners": {},
    "/uploads/transactions": {"partner": "cc"},
    "/uploads/outturn": {"authority": "E3421", "partner": "cc"},
    "/appraisals/run": {"output": "xlsx"},
    "/sharing/run": {"kind": "pool", "output": "page"},
    "/uploads/capital": {"authority": "E3421", "partner": "cc"},
    "/appraisals/edit/open": {},
    "/sharing/pbr/claim": {},
    "/objectives/groups": {},
    "/objectives/import": {},
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, str]]:
    """Each hostile file's bytes, and what its refusal says."""
    made: dict[str, tuple[bytes, str]] = {}
    for name, (build, says) in HOSTILE.items():
        made[name] = (build(tmp_path_factory.mktemp("hostile")).read_bytes(), says)
    for name, (garbage, says) in XLSX_GARBAGE.items():
        made[name] = (garbage(), says)
    return made


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Place]]:
    folder = build_place(tmp_path_factory.mktemp("web"))
    place = Place.open(folder, max_upload=LIMIT)
    yield folder, place
    place.close()


@pytest.fixture(scope="module")
def admin(served: tuple[Path, Place]) -> Iterator[TestClient]:
    with TestClient(create_app(served[1])) as client:
        sign_in(client, "admin")
        yield client


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _state(place: Place) -> dict[str, list[str]]:
    with place.read() as ws:
        return snapshot_of(ws.con)


@pytest.mark.parametrize("route", list(FORMS))
def test_every_hostile_workbook_is_refused_on_every_form_and_nothing_stored(
    admin: TestClient,
    served: tuple[Path, Place],
    hostile: dict[str, tuple[bytes, str]],
    route: str,
) -> None:
    folder, place = served
    csrf = csrf_of(admin.get("/uploads").text)
    before, files = _state(place), _files(folder)
    for kind, (data, says) in hostile.items():
        r = admin.post(
            route,
            data={"csrf": csrf, **FORMS[route]},
            files={"file": ("partner file.xlsx", data)},
        )
        assert r.status_code == 400, (route, kind, r.status_code)
        text = " ".join(r.text.split())
        assert 'id="problem-table"' in text, (route, kind)
        assert says in text.replace("&#39;", "'"), (route, kind)
        assert "partner file.xlsx" in text  # the file is named, as the user named it
        assert "Traceback" not in text
    assert _state(place) == before
    assert _files(folder) == files  # no scratch copy left behind


def test_the_xxe_file_is_never_read(admin: TestClient, tmp_path: Path) -> None:
    """The entity names a real file: its words appear nowhere in the answer."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET of the server", encoding="utf-8")
    data = external_entity(tmp_path, secret).read_bytes()
    csrf = csrf_of(admin.get("/uploads").text)
    r = admin.post("/uploads/spend", data={"csrf": csrf}, files={"file": ("x.xlsx", data)})
    assert r.status_code == 400 and "TOP SECRET" not in r.text
    assert "declares a document type (&lt;!DOCTYPE&gt;)" in r.text


@pytest.mark.parametrize("route", list(FORMS))
@pytest.mark.parametrize("chunked", [False, True], ids=["with its length", "chunked"])
def test_an_oversized_file_is_refused_on_every_form_and_nothing_stored(
    admin: TestClient, served: tuple[Path, Place], route: str, chunked: bool
) -> None:
    folder, place = served
    csrf = csrf_of(admin.get("/uploads").text)
    before, files = _state(place), _files(folder)
    big = b"partner,year,service,amount_gbp\n" + b"cc,2024/25,EDU,1.00\n" * (LIMIT // 20 + 10)
    boundary = "wholeplace-boundary"
    fields = {"csrf": csrf, **FORMS[route]}
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    )
    body = head.encode() + big + f"\r\n--{boundary}--\r\n".encode()

    def pieces() -> Iterator[bytes]:
        for i in range(0, len(body), 8192):
            yield body[i : i + 8192]

    r = admin.post(
        route,
        content=pieces() if chunked else body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert r.status_code == 413, (route, r.status_code)
    assert "bigger than this server accepts (256 KiB). Nothing was stored." in r.text
    assert _state(place) == before
    assert _files(folder) == files
