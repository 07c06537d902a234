"""A release holding a cost-benefit appraisal (issue 13): the file is attached when the release
is prepared, run then, and its figures frozen into the release, shown alike on the page, in
the JSON and in the CSV.

The appraisal is docs/web.md's worked example (read from the page, so the docs and this test
agree): one cost of £1,000 in year 0 (2024/25) to the county council, and a fiscal benefit of
£600 in each of years 1 and 2 to the trust, no optimism bias (grade 1), discounted at the
Green Book's 3.5 %. By hand, as exact fractions, rounded once to the penny:

    PV costs     1000                                   -> 1000.00
    PV benefits  600 / 1.035 + 600 / 1.035**2
                 = 1221 / 1.071225 = 1139.8165...       -> 1139.82
    NPV          1139.8165... - 1000 = 139.8165...      -> 139.82
    ratio        1139.8165... / 1000 = 1.1398...        -> 1.14
    payback      year 1: 579.71 < 1000; year 2: 1139.82 >= 1000 -> 2026/27

The test place is tests/helpers/web_place.py (partners cc, *Testshire County Council*, a
county council, and trust, *Testshire Hospitals NHS Trust*, an NHS trust: the appraisal's
*Local Authority* and *NHS* are mapped onto them).
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

import openpyxl
from fastapi.testclient import TestClient
from web_place import RELEASE, Clock, csrf_of, sign_in, table_rows

from wholeplace.cba import service as cba_service
from wholeplace.web import Place

DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"
TITLE = "Joint discharge 2024/25"
NEW = "joint-discharge-2024-25"
SECTION = "Cost-benefit appraisal: Joint discharge team"
COUNCIL = "Testshire County Council"
TRUST = "Testshire Hospitals NHS Trust"


def _penny(x: Fraction) -> str:
    """``x`` rounded half-up to the penny, as text (``x`` is never negative here)."""
    pence = (x * 100 + Fraction(1, 2)).__floor__()
    return f"{pence // 100}.{pence % 100:02d}"


RATE = Fraction(1035, 1000)
PV_COSTS = Fraction(1000)
PV_BENEFITS = Fraction(600) / RATE + Fraction(600) / RATE**2
NPV = PV_BENEFITS - PV_COSTS
RATIO = (PV_BENEFITS / PV_COSTS * 100 + Fraction(1, 2)).__floor__()  # hundredths


def test_the_hand_figures() -> None:
    assert Fraction(1221) / Fraction("1.071225") == PV_BENEFITS
    assert (_penny(PV_BENEFITS), _penny(NPV), RATIO) == ("1139.82", "139.82", 114)
    # after year 1 the benefits fall short of the cost; after year 2 they pass it
    assert Fraction(600) / RATE < PV_COSTS <= PV_BENEFITS


def _docs_yaml() -> str:
    found = re.search(
        r"<!-- release-appraisal:begin -->\n```yaml\n(.*?)```", DOCS.read_text("utf-8"), re.S
    )
    assert found, "docs/web.md has lost its release appraisal example"
    return found.group(1)


APPRAISAL = _docs_yaml()


def _prepare(
    client: TestClient, file: tuple[str, bytes] | None, title: str = TITLE, **fields: Any
) -> Any:
    sign_in(client, "mem")
    page = client.get("/publishing").text
    data = {
        "title": title,
        "summary": "The joint discharge team pays for itself in two years.",
        "items": ["headline", "appraisal"],
        "csrf": csrf_of(page),
    } | fields
    files = None if file is None else {"appraisal": (file[0], file[1], "application/yaml")}
    return client.post("/publishing", data=data, files=files, follow_redirects=False)


def _post(client: TestClient, action: str, file: tuple[str, bytes] | None, **fields: Any) -> Any:
    page = client.get(f"/publishing/{NEW}").text
    files = None if file is None else {"appraisal": (file[0], file[1], "application/yaml")}
    return client.post(
        f"/publishing/{NEW}/{action}",
        data={"csrf": csrf_of(page)} | fields,
        files=files,
        follow_redirects=False,
    )


def _appraisal(versions: list[dict[str, Any]], version: int = -1) -> dict[str, Any]:
    found: dict[str, Any] = next(
        s for s in versions[version]["content"]["sections"] if s["item"] == "appraisal"
    )
    return found


def _csv(client: TestClient, path: str) -> dict[tuple[str, str], str]:
    r = client.get(path)
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.text)))
    return {(x["row"], x["measure"]): x["value"] for x in rows if x["section"] == SECTION}


BENEFITS = _penny(PV_BENEFITS)
SENTENCE = (
    f"Every £1 spent returns £1.14 to the public purse; {COUNCIL} pays, {TRUST} gains; "
    "payback in 2026/27."
)


def test_prepare_with_an_appraisal_then_the_public_reads_the_hand_figures(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, place, clock = site
    data = APPRAISAL.encode()
    digest = hashlib.sha256(data).hexdigest()
    r = _prepare(client, ("discharge.yaml", data))
    assert r.status_code == 303, r.text
    # the draft, as its member reads it
    page = client.get(f"/published/{NEW}").text
    assert SENTENCE in markup.unescape(page)
    figures = table_rows(page, "release-figures-appraisal")
    assert figures["Present value of costs"] == ["£1,000.00"]
    assert figures["Present value of benefits to the public purse (fiscal)"] == ["£1,139.82"]
    assert figures["Net present budget impact (fiscal less costs)"] == ["£139.82"]
    assert figures["Net present public value"] == ["£139.82"]
    assert figures["Benefit-cost ratio: returned to the public purse per £1 spent"] == ["1.14"]
    assert figures["Payback year (discounted)"] == ["2026/27"]
    who = table_rows(page, "release-table-appraisal")
    assert who == {
        COUNCIL: ["£1,000.00", "£0.00", "-£1,000.00"],
        TRUST: ["£0.00", "£1,139.82", "£1,139.82"],
        "The proposal as a whole": ["£1,000.00", "£1,139.82", "£139.82"],
    }
    assert f"Source: discharge.yaml, SHA-256 <code>{digest}</code>" in page
    # the preparation is audited with the file and its checksum, as an upload is
    with place.read() as ws:
        entry = next(e for e in ws.audit_log() if e.action == "release create")
    assert (entry.who, entry.file, entry.sha256) == ("mem@testclient", "discharge.yaml", digest)
    assert entry.detail["appraisal"] == {"file": "discharge.yaml", "sha256": digest}

    # scheduled for 1 December; at 09:30 the public reads it, signed out
    assert _post(client, "schedule", None, publish_on="2026-12-01").status_code == 303
    client.cookies.clear()
    assert client.get(f"/published/{NEW}").status_code == 404
    clock.at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    public = client.get(f"/published/{NEW}").text
    assert table_rows(public, "release-table-appraisal") == who
    assert table_rows(public, "release-figures-appraisal") == figures
    s = _appraisal(client.get(f"/api/published/{NEW}").json())
    assert (s["title"], s["proposal"], s["summary"]) == (SECTION, "Joint discharge team", SENTENCE)
    assert s["source"] == {"file": "discharge.yaml", "sha256": digest}
    values = {f["key"]: f["value"] for f in s["figures"]}
    assert values["pv_costs"] == _penny(PV_COSTS) == "1000.00"
    assert values["pv_fiscal"] == values["pv_public_value"] == BENEFITS
    assert (values["pv_economic"], values["pv_social"]) == ("0.00", "0.00")
    assert values["npv_budget"] == values["npv_public"] == _penny(NPV)
    assert (values["financial_roi"], values["payback"]) == (f"{RATIO / 100:.2f}", "2026/27")
    assert [c["kind"] for c in s["columns"]] == ["gbp", "gbp", "gbp"]
    assert {r["label"]: r["values"] for r in s["table"]} == {
        COUNCIL: {"pv_costs": "1000.00", "pv_fiscal": "0.00", "net_position": "-1000.00"},
        TRUST: {"pv_costs": "0.00", "pv_fiscal": BENEFITS, "net_position": BENEFITS},
    }
    assert s["total"]["values"] == {
        "pv_costs": "1000.00",
        "pv_fiscal": BENEFITS,
        "net_position": _penny(NPV),
    }
    cells = _csv(client, f"/published/{NEW}/1/figures.csv")
    assert cells[("", "Present value of costs")] == "1000.00"
    assert cells[("", "Present value of benefits to the public purse (fiscal)")] == BENEFITS
    assert cells[("", "Net present public value")] == "139.82"
    assert cells[("", "Benefit-cost ratio: returned to the public purse per £1 spent")] == "1.14"
    assert cells[(COUNCIL, "Net position")] == "-1000.00"
    assert cells[(TRUST, "Present value of fiscal benefits")] == BENEFITS
    assert cells[("The proposal as a whole", "Net position")] == "139.82"
    assert cells[("", "Source file")] == "discharge.yaml"
    assert cells[("", "Source file SHA-256")] == digest


def _bad_workbook(tmp_path: Path) -> bytes:
    """The worked example as the XLSX template, its cost's confidence grade 9 (1 to 6)."""
    src = tmp_path / "discharge.yaml"
    src.write_text(APPRAISAL, encoding="utf-8")
    out = tmp_path / "discharge.xlsx"
    cba_service.write_appraisal(cba_service.open_form(src), out)
    wb = openpyxl.load_workbook(out)
    costs = wb["Costs"]
    column = [c.value for c in costs[1]].index("confidence") + 1
    costs.cell(row=2, column=column, value=9)
    wb.save(out)
    return out.read_bytes()


def test_the_xlsx_template_gives_the_same_figures(
    site: tuple[TestClient, Place, Clock], tmp_path: Path
) -> None:
    client, _place, _clock = site
    src = tmp_path / "discharge.yaml"
    src.write_text(APPRAISAL, encoding="utf-8")
    out = tmp_path / "discharge.xlsx"
    cba_service.write_appraisal(cba_service.open_form(src), out)
    assert _prepare(client, ("discharge.xlsx", out.read_bytes())).status_code == 303
    s = _appraisal(client.get("/api/releases").json()[NEW])
    assert {f["key"]: f["value"] for f in s["figures"]}["pv_fiscal"] == BENEFITS
    assert s["total"]["values"]["net_position"] == "139.82"


def test_a_bad_workbook_shows_the_problem_table_and_stores_nothing(
    site: tuple[TestClient, Place, Clock], tmp_path: Path
) -> None:
    client, place, _clock = site

    def prepared() -> int:
        with place.read() as ws:
            return sum(e.action == "release create" for e in ws.audit_log())

    before = prepared()
    r = _prepare(client, ("discharge.xlsx", _bad_workbook(tmp_path)))
    assert r.status_code == 400
    rows = table_rows(r.text, "problem-table")
    # file | sheet | row | column | value | problem | fix
    assert rows["discharge.xlsx"][:4] == ["Costs", "2", "costs[0].confidence", "9"]
    assert rows["discharge.xlsx"][5]  # a fix is given
    assert list(client.get("/api/releases").json()) == [RELEASE]
    assert prepared() == before
    # a file that is not an appraisal at all is refused the same way
    r = _prepare(client, ("notes.txt", b"hello"))
    assert r.status_code == 400 and "not a YAML or YML or XLSX file" in r.text
    # ticking the appraisal without attaching a file stores nothing either
    r = _prepare(client, None)
    assert r.status_code == 400 and "no appraisal file is attached" in r.text
    assert list(client.get("/api/releases").json()) == [RELEASE]
    assert prepared() == before


def test_a_script_in_the_proposal_name_is_escaped(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, _place, _clock = site
    hostile = APPRAISAL.replace(
        "name: Joint discharge team", "name: \"<script>alert('x')</script>\""
    )
    assert _prepare(client, ("discharge.yaml", hostile.encode())).status_code == 303
    for path in (f"/published/{NEW}", f"/publishing/{NEW}"):
        page = client.get(path).text
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(" in page
    s = _appraisal(client.get("/api/releases").json()[NEW])
    assert s["proposal"] == "<script>alert('x')</script>"


def test_a_new_version_without_a_new_file_keeps_the_frozen_figures(
    site: tuple[TestClient, Place, Clock],
) -> None:
    client, place, clock = site
    data = APPRAISAL.encode()
    assert _prepare(client, ("discharge.yaml", data)).status_code == 303
    first = _appraisal(client.get("/api/releases").json()[NEW])
    # saved again without a file: the appraisal is kept as it was frozen
    assert (
        _post(client, "edit", None, title=TITLE, items=["headline", "appraisal"]).status_code == 303
    )
    assert _appraisal(client.get("/api/releases").json()[NEW]) == first
    assert _post(client, "schedule", None, publish_on="2026-12-01").status_code == 303
    clock.at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    # the place's partners are renamed: a run now would name them differently
    with place.write("test") as ws:
        ws.con.execute("UPDATE partners SET name = 'Renamed council' WHERE id = 'cc'")
    sign_in(client, "mem")
    r = _post(client, "correct", None, note="The headline was restated.")
    assert r.status_code == 303, r.text
    versions = client.get("/api/releases").json()[NEW]
    assert [v["version"] for v in versions] == [1, 2]
    assert _appraisal(versions, 1) == first
    assert "appraisal" in versions[1]["items"]
    # a correction with a new file takes that file's figures
    doubled = APPRAISAL.replace("value: 600", "value: 1200")
    assert (
        _post(
            client,
            "edit",
            ("discharge-v2.yaml", doubled.encode()),
            title=TITLE,
            items=["headline", "appraisal"],
        ).status_code
        == 303
    )
    second = _appraisal(client.get("/api/releases").json()[NEW])
    assert second["source"]["file"] == "discharge-v2.yaml"
    assert second["total"]["values"]["pv_fiscal"] == _penny(2 * PV_BENEFITS) == "2279.63"
    assert "Renamed council" in [r["label"] for r in second["table"]]
    # version 1, published, still says what it said
    client.cookies.clear()
    assert _appraisal(client.get(f"/api/published/{NEW}").json(), 0) == first
