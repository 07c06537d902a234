"""A release holding a gain-share agreement (issue 13): the agreement is attached when the
release is prepared, worked out then, and frozen into the release, shown alike on the page,
in the JSON and in the CSV.

The agreement is docs/web.md's worked example (read from the page): the council invests
1,000 in 2024/25 and saves 300 in 2025/26, the trust saves 900 in 2025/26; shared equally;
3.5 %, the first year not discounted. By hand, as exact fractions, rounded once to the penny:

    joint net       -1000, 1200: 200; discounted -1000 + 1200/1.035 = 159.4202...  -> 159.42
    each after      -500, 600: 100; discounted -500 + 600/1.035 = 79.7101...      -> 79.71
    council before  -1000, 300: -700; discounted -1000 + 300/1.035 = -710.1449... -> -710.14
    trust before    0, 900: 900; discounted 900/1.035 = 869.5652...                -> 869.57
    transfers       council +500, +300; trust -500, -300 (after - before, each year)
"""

from __future__ import annotations

import csv
import hashlib
import html as markup
import io
import re
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from web_place import RELEASE, Clock, csrf_of, sign_in, table_rows

from wholeplace.web import Place

DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"
TITLE = "Tenancy support 2024/25"
NEW = "tenancy-support-2024-25"
SECTION = "Gain-share agreement: Shared tenancy support"
COUNCIL = "Testshire County Council"
TRUST = "Testshire Hospitals NHS Trust"
RATE = Fraction(1035, 1000)


def _penny(x: Fraction) -> str:
    """``x`` rounded half-up to the penny, as text."""
    sign = "-" if x < 0 else ""
    pence = (abs(x) * 100 + Fraction(1, 2)).__floor__()
    return f"{sign}{pence // 100}.{pence % 100:02d}"


JOINT = _penny(-1000 + 1200 / RATE)
AFTER = _penny(-500 + 600 / RATE)
COUNCIL_BEFORE = _penny(-1000 + 300 / RATE)
TRUST_BEFORE = _penny(900 / RATE)


def test_the_hand_figures() -> None:
    assert (JOINT, AFTER, COUNCIL_BEFORE, TRUST_BEFORE) == ("159.42", "79.71", "-710.14", "869.57")


def _docs_yaml() -> str:
    found = re.search(
        r"<!-- release-gainshare:begin -->\n```yaml\n(.*?)```", DOCS.read_text("utf-8"), re.S
    )
    assert found, "docs/web.md has lost its release gain-share example"
    return found.group(1)


AGREEMENT = _docs_yaml()


def _files(**sent: tuple[str, bytes]) -> dict[str, tuple[str, bytes, str]]:
    return {field: (name, data, "application/yaml") for field, (name, data) in sent.items()}


def _prepare(client: TestClient, items: list[str], **sent: tuple[str, bytes]) -> Any:
    sign_in(client, "mem")
    page = client.get("/publishing").text
    data = {"title": TITLE, "summary": "", "items": items, "csrf": csrf_of(page)}
    return client.post("/publishing", data=data, files=_files(**sent), follow_redirects=False)


def _post(client: TestClient, action: str, **fields: Any) -> Any:
    page = client.get(f"/publishing/{NEW}").text
    return client.post(
        f"/publishing/{NEW}/{action}",
        data={"csrf": csrf_of(page)} | fields,
        follow_redirects=False,
    )


def _section(versions: list[dict[str, Any]], item: str, version: int = -1) -> dict[str, Any]:
    found: dict[str, Any] = next(
        s for s in versions[version]["content"]["sections"] if s["item"] == item
    )
    return found


def test_prepare_with_an_agreement_then_the_public_reads_the_hand_figures(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, place, clock = site
    data = AGREEMENT.encode()
    digest = hashlib.sha256(data).hexdigest()
    assert _prepare(client, ["gain-share"], gainshare=("tenancy.yaml", data)).status_code == 303
    assert _post(client, "schedule", publish_on="2026-12-01").status_code == 303
    with place.read() as ws:
        entry = next(e for e in ws.audit_log() if e.action == "release create")
    assert (entry.file, entry.sha256) == ("tenancy.yaml", digest)
    assert entry.detail["gain-share"] == {"file": "tenancy.yaml", "sha256": digest}
    clock.at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    client.cookies.clear()
    page = client.get(f"/published/{NEW}").text
    assert (
        "Together the partners invest £1,000.00 and gain £1,200.00, a joint net benefit of "
        f"£200.00; under the agreement {TRUST} pays {COUNCIL} £800.00 in all."
    ) in markup.unescape(page)
    # Invests | Gains | before | after | before, discounted | after, discounted | 2 transfers
    assert table_rows(page, "release-table-gain-share") == {
        COUNCIL: [
            "£1,000.00",
            "£300.00",
            "-£700.00",
            "£100.00",
            "-£710.14",
            "£79.71",
            "£500.00",
            "£300.00",
        ],
        TRUST: [
            "£0.00",
            "£900.00",
            "£900.00",
            "£100.00",
            "£869.57",
            "£79.71",
            "-£500.00",
            "-£300.00",
        ],
        "The partners together": [
            "£1,000.00",
            "£1,200.00",
            "£200.00",
            "£200.00",
            "£159.42",
            "£159.42",
            "£0.00",
            "£0.00",
        ],
    }
    figures = table_rows(page, "release-figures-gain-share")
    assert figures["Joint net benefit, discounted at 3.5%"] == ["£159.42"]
    assert figures["Paid between the partners over the agreement"] == ["£800.00"]
    assert f"Source: tenancy.yaml, SHA-256 <code>{digest}</code>" in page
    s = _section(client.get(f"/api/published/{NEW}").json(), "gain-share")
    by_name = {r["label"]: r["values"] for r in s["table"]}
    assert by_name[COUNCIL] == {
        "investment": "1000.00",
        "benefit": "300.00",
        "before": "-700.00",
        "after": "100.00",
        "before_discounted": COUNCIL_BEFORE,
        "after_discounted": AFTER,
        "transfer_0": "500.00",
        "transfer_1": "300.00",
    }
    assert (by_name[TRUST]["before_discounted"], by_name[TRUST]["transfer_1"]) == (
        TRUST_BEFORE,
        "-300.00",
    )
    assert s["total"]["values"]["after_discounted"] == JOINT
    r = client.get(f"/published/{NEW}/1/figures.csv")
    rows = [x for x in csv.DictReader(io.StringIO(r.text)) if x["section"] == SECTION]
    cells = {(x["row"], x["measure"]): x["value"] for x in rows}
    assert cells[(COUNCIL, "Transfer 2024/25 (+ receives, - pays)")] == "500.00"
    assert cells[(TRUST, "Before, discounted")] == TRUST_BEFORE
    assert cells[("The partners together", "After, discounted")] == JOINT
    assert cells[("", "Joint net benefit")] == "200.00"
    assert cells[("", "Rule")] == "equally"
    assert cells[("", "Source file SHA-256")] == digest


def test_a_bad_agreement_stores_nothing(site: tuple[TestClient, Place, Clock]) -> None:
    client, place, _clock = site
    bad = AGREEMENT.replace("costs: [1000, 0]", "costs: [1000, -5x]").encode()
    r = _prepare(client, ["gain-share"], gainshare=("tenancy.yaml", bad))
    assert r.status_code == 400
    rows = table_rows(r.text, "problem-table")
    assert rows["tenancy.yaml"][2:4] == ["partners.cc.costs[2]", "-5x"]
    assert list(client.get("/api/releases").json()) == [RELEASE]
    with place.read() as ws:
        assert not [e for e in ws.audit_log() if e.detail.get("release") == NEW]
    # an appraisal attached beside a bad agreement is not kept either
    appraisal = re.search(
        r"<!-- release-appraisal:begin -->\n```yaml\n(.*?)```", DOCS.read_text("utf-8"), re.S
    )
    assert appraisal
    r = _prepare(
        client,
        ["gain-share", "appraisal"],
        gainshare=("tenancy.yaml", bad),
        appraisal=("discharge.yaml", appraisal.group(1).encode()),
    )
    assert r.status_code == 400
    assert list(client.get("/api/releases").json()) == [RELEASE]


def test_both_files_at_once_and_a_correction_keeps_them(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, _place, clock = site
    appraisal = re.search(
        r"<!-- release-appraisal:begin -->\n```yaml\n(.*?)```", DOCS.read_text("utf-8"), re.S
    )
    assert appraisal
    r = _prepare(
        client,
        ["headline"],
        gainshare=("tenancy.yaml", AGREEMENT.encode()),
        appraisal=("discharge.yaml", appraisal.group(1).encode()),
    )
    assert r.status_code == 303, r.text
    first = client.get("/api/releases").json()[NEW][-1]
    # attaching a file adds its figure, ticked or not
    assert first["items"] == ["headline", "appraisal", "gain-share"]
    assert _post(client, "schedule", publish_on="2026-12-01").status_code == 303
    clock.at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    sign_in(client, "mem")
    assert _post(client, "correct", note="Restated.").status_code == 303
    versions = client.get("/api/releases").json()[NEW]
    for item in ("appraisal", "gain-share"):
        assert _section(versions, item, 1) == _section(versions, item, 0)
    # the manage page says which files the draft holds
    page = client.get(f"/publishing/{NEW}").text
    assert "This version holds <strong>Shared tenancy support</strong>" in page
    assert "This version holds <strong>Joint discharge team</strong>" in page


def test_hostile_names_are_escaped_on_the_page_and_inert_in_the_csv(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, _place, clock = site
    hostile = AGREEMENT.replace(
        "name: Shared tenancy support", "name: \"<script>alert('x')</script>\""
    ).replace("{name: Testshire County Council,", "{name: '=HYPERLINK(\"http://x.invalid\")',")
    r = _prepare(client, ["gain-share"], gainshare=("tenancy.yaml", hostile.encode()))
    assert r.status_code == 303, r.text
    assert _post(client, "schedule", publish_on="2026-12-01").status_code == 303
    clock.at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    client.cookies.clear()
    page = client.get(f"/published/{NEW}").text
    assert "<script>alert(" not in page and "&lt;script&gt;alert(" in page
    text = client.get(f"/published/{NEW}/1/figures.csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    partners = {x["row"] for x in rows if x["measure"] == "Invests"}
    assert partners == {'\'=HYPERLINK("http://x.invalid")', TRUST, "The partners together"}
