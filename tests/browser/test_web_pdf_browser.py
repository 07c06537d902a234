"""The governance and objectives reports downloaded from the web as PDF (issue 13): the
server prints the report's HTML with its Chromium (reports/pdf.py, as ``--out FILE.pdf``),
and the file is a PDF whose text holds the report's answer sentence, read back with PDFium
(pypdfium2). Each download is in the audit log. The registers and files are the worked
examples of docs/web.md ("Governance on the web", "Objectives on the web")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_kit import has_chromium
from fastapi.testclient import TestClient
from governance_place import REGISTER, build_governance_place
from objectives_files import GROUPS, OBJECTIVES
from web_place import csrf_of, sign_in

from wholeplace.web import Place, create_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_chromium(), reason="Chromium is not installed"),
]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    folder = build_governance_place(tmp_path)
    place = Place.open(folder)
    try:
        with TestClient(create_app(place)) as c:
            yield c
    finally:
        place.close()


def _text(pdf: bytes) -> str:
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(pdf)
    return " ".join(" ".join(page.get_textpage().get_text_bounded() for page in doc).split())


def _post(client: TestClient, route: str, page: str, name: str, text: str) -> None:
    files = {"file": (name, text.encode("utf-8"), "text/plain")}
    r = client.post(route, data={"csrf": csrf_of(client.get(page).text)}, files=files)
    assert r.status_code == 200, r.text


def test_the_governance_and_objectives_reports_download_as_pdf(client: TestClient) -> None:
    sign_in(client, "mem")
    _post(client, "/governance/upload", "/governance", "governance.yaml", REGISTER)
    _post(client, "/objectives/groups", "/objectives", "groups.csv", GROUPS)
    _post(client, "/objectives/import", "/objectives", "objectives.csv", OBJECTIVES)

    r = client.get("/governance/report", params={"format": "pdf", "as_of": "2026-11-30"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="governance-2026-11-30.pdf"'
    assert r.content.startswith(b"%PDF")
    # the report's answer: 3 agreements, 3 flows, the 3 risks of the worked register, and
    # the four warnings docs/web.md works by hand on 30 November 2026
    assert (
        "On 2026-11-30: 0 delivery models, 3 information-sharing agreements covering 3 data "
        "flows, 3 risks; 4 warnings." in _text(r.content)
    )

    r = client.get("/objectives/report.pdf", params={"year": "2024/25"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="objectives-2024-25.pdf"'
    assert r.content.startswith(b"%PDF")
    assert (
        "3 objectives of 2 partners: 1 overlap, 0 conflicts, 1 customer group with different "
        "approaches." in _text(r.content)
    )

    sign_in(client, "admin")
    log = client.get("/api/audit").json()
    assert [e["detail"] for e in log if e["action"] == "objectives export"] == [
        {"output": "pdf", "year": "2024/25"}
    ]
    assert [e["detail"] for e in log if e["action"] == "governance export"] == [
        {"format": "pdf", "as_of": "2026-11-30"}
    ]
