"""Payment by results, starting files and place naming on the sharing page (issue 13:
"sharing agreements: pools, gain-share, PbR claims and recharges").

Figures worked by hand in docs/sharing.md:
- claim (shipped scheme, families_example.csv, as of 2015-03-31): F001 £700 + F002 £1,600 +
  F003 £200 + F006 £2,100 = £4,600.00 of results;
- funding, 600 estimated families: 600 × 5/6 = 500 funded; 2012/13's attachment fees
  500 × £3,200 / 3 = £533,333.33;
- forecast (central scenario): 200 families of 2012/13 × (0.4 × £700 + 0.1 × £100 +
  0.1 × £800 = £370) = £74,000.00 of results in 2013/14.
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

import openpyxl
from fastapi.testclient import TestClient
from web_place import csrf_of, sign_in

from wholeplace.sharing import service as sharing_service
from wholeplace.spend.service import plain
from wholeplace.web import Place

SHARING = resources.files("wholeplace") / "data" / "sharing"
SCHEME = Path(str(SHARING / "troubled_families_2012.yaml"))
FAMILIES = (SHARING / "families_example.csv").read_bytes()
FORECAST = (SHARING / "pbr_forecast_example.yaml").read_bytes()


def _post(client: TestClient, route: str, files: dict, **data: str):
    csrf = csrf_of(client.get("/sharing").text)
    return client.post(route, data={"csrf": csrf, **data}, files=files)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_claim_with_the_shipped_scheme(client: TestClient) -> None:
    sign_in(client, "mem")
    r = _post(
        client, "/sharing/pbr/claim", {"file": ("families.csv", FAMILIES)}, as_of="2015-03-31"
    )
    assert r.status_code == 200, r.text[-2000:]
    page = _flat(r.text)
    assert "Payment-by-results claim" in page
    assert "4600.00" in page  # £700 + £1,600 + £200 + £2,100
    xlsx = _post(
        client,
        "/sharing/pbr/claim",
        {"file": ("families.csv", FAMILIES)},
        as_of="2015-03-31",
        output="xlsx",
    )
    assert xlsx.headers["content-disposition"] == 'attachment; filename="pbr-claim-report.xlsx"'
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_claim_problems_are_shown_by_row(client: TestClient) -> None:
    sign_in(client, "mem")
    bad = FAMILIES.decode("utf-8").replace("F001,C1,exclusions,4,2", "F001,C1,exclusions,four,2")
    r = _post(client, "/sharing/pbr/claim", {"file": ("families.csv", bad.encode("utf-8"))})
    assert r.status_code == 400 and 'id="problem-table"' in r.text
    assert "<code>four</code>" in r.text
    r = _post(client, "/sharing/pbr/claim", {"file": ("f.csv", FAMILIES)}, as_of="31/03/2015")
    assert r.status_code == 400 and "write it as YYYY-MM-DD" in r.text
    r = _post(client, "/sharing/pbr/claim", {"scheme": ("", b"")})
    assert r.status_code == 400 and "no file was chosen for the families" in r.text


def test_funding_for_600_families(client: TestClient) -> None:
    sign_in(client, "mem")
    r = _post(client, "/sharing/pbr/funding", {"scheme": ("", b"")}, estimated_families="600")
    assert r.status_code == 200
    page = _flat(r.text)
    assert "533333.33" in page  # 500 funded × £3,200 / 3
    r = _post(
        client,
        "/sharing/pbr/funding",
        {"scheme": ("", b"")},
        estimated_families="600",
        allocation="2012/13=half",
    )
    assert r.status_code == 400 and "<code>2012/13=half</code>" in r.text
    r = _post(client, "/sharing/pbr/funding", {"scheme": ("", b"")}, estimated_families="lots")
    assert r.status_code == 400 and "not a number of families" in r.text


def test_forecast_and_its_scheme_is_the_forms(client: TestClient, app_place: Place) -> None:
    sign_in(client, "mem")
    r = _post(client, "/sharing/pbr/forecast", {"file": ("forecast.yaml", FORECAST)})
    assert r.status_code == 200
    assert "74000.00" in _flat(r.text)  # 200 families × £370
    # a forecast naming a path on the server is not followed: the form's scheme is used
    sneaky = FORECAST.replace(b"scheme: troubled_families_2012.yaml", b"scheme: /etc/passwd")
    assert sneaky != FORECAST
    r = _post(client, "/sharing/pbr/forecast", {"file": ("forecast.yaml", sneaky)})
    assert r.status_code == 200 and "root:" not in r.text
    # the figures are those of the service the command line calls
    with app_place.read() as ws, ws.scratch_dir() as tmp:
        (Path(tmp) / "f.yaml").write_bytes(FORECAST)
        expected = plain(
            sharing_service.pbr_forecast(Path(tmp) / "f.yaml", scheme=SCHEME).to_json()
        )
    assert isinstance(expected, dict)
    assert str(expected["scenarios"]["central"]["years"][1]["results_income"]) == "74000.00"


def test_starting_files(client: TestClient) -> None:
    sign_in(client, "mem")
    r = client.get("/sharing/template/pool")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="pool.yaml"'
    assert r.content == (SHARING / "pool_example.yaml").read_bytes()
    placed = client.get("/sharing/template/recharges?place_partners=true")
    assert placed.text.splitlines()[0] == "staff_id,name,employer,annual_cost,cc,trust"
    gain = client.get("/sharing/template/gainshare?place_partners=true").text
    assert "Testshire County Council" in gain and "Testshire Hospitals NHS Trust" in gain
    assert client.get("/sharing/template/nonsense").status_code == 404


def test_partners_named_as_the_place_does(client: TestClient) -> None:
    sign_in(client, "mem")
    pool = (SHARING / "pool_example.yaml").read_bytes()
    r = _post(client, "/sharing/run", {"file": ("pool.yaml", pool)}, kind="pool")
    assert r.status_code == 200
    # as --workspace: the example's partners are not this place's, and are refused
    r = _post(
        client, "/sharing/run", {"file": ("pool.yaml", pool)}, kind="pool", place_partners="1"
    )
    assert r.status_code == 400 and "not a partner of the place" in r.text
    assert "<code>lcc</code>" in r.text
    skeleton = client.get("/sharing/template/pool?place_partners=true").content
    r = _post(
        client, "/sharing/run", {"file": ("pool.yaml", skeleton)}, kind="pool", place_partners="1"
    )
    assert r.status_code == 200 and "Testshire County Council" in r.text


def test_recharges_with_actuals(client: TestClient) -> None:
    sign_in(client, "admin")
    staff = (SHARING / "staff_example.csv").read_bytes()
    actuals = (SHARING / "staff_actuals_example.csv").read_bytes()
    csrf = csrf_of(client.get("/sharing").text)
    files = [("file", ("staff.csv", staff)), ("actuals", ("actuals.csv", actuals))]
    r = client.post("/sharing/run", data={"csrf": csrf, "kind": "recharges"}, files=files)
    assert r.status_code == 200, r.text[-2000:]
    assert "true_up" in r.text or "true-up" in r.text
    r = client.post("/sharing/run", data={"csrf": csrf, "kind": "pool"}, files=files)
    assert r.status_code == 400 and "Actuals are for staff recharges only" in r.text
    log = client.get("/api/audit").json()
    assert log[0]["detail"]["kind"] == "recharges" and log[0]["detail"]["place"] is False


def test_pbr_needs_the_role_and_the_token(client: TestClient) -> None:
    sign_in(client, "mem")
    r = client.post(
        "/sharing/pbr/claim", data={"csrf": "forged"}, files={"file": ("f.csv", FAMILIES)}
    )
    assert r.status_code == 403
    for name in ("ana", "board"):
        sign_in(client, name)
        assert client.get("/sharing/template/pool").status_code == 403
        r = client.post("/sharing/pbr/forecast", data={"csrf": "x"}, files={"file": ("f", b"")})
        assert r.status_code == 403


def test_docs_web_md_gives_these_figures() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "web.md"
    flat = _flat(doc.read_text(encoding="utf-8"))
    for figure in (
        "the claim as of 2015-03-31 is £4,600.00 of results",
        "500 funded and £533,333.33 of attachment fees in 2012/13",
        "the forecast brings £74,000.00 of results in 2013/14",
    ):
        assert figure in flat
