"""Reading the published files under the reference folder."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import openpyxl

from demo_build.config import Council
from demo_build.model import BuildError, dec


def read_populations(ref: Path) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    lookups = ref / "lookups"
    with open(lookups / "mysociety_uk_local_authorities_current.csv", encoding="utf-8") as f:
        registry = {r["local-authority-code"]: r for r in csv.DictReader(f)}
    with open(lookups / "mysociety_la_area_pop2020.csv", encoding="utf-8") as f:
        pop = {r["local-authority-code"]: int(r["pop-2020"]) for r in csv.DictReader(f)}
    return registry, pop


def north_west_populations(
    registry: dict[str, dict[str, str]], pop: dict[str, int]
) -> dict[str, int]:
    """Current lower-tier and unitary areas of the North West region, mid-2020 population."""
    out = {}
    for code, r in registry.items():
        if r["region"] == "North West" and r["lower-or-unitary"] == "True" and not r["end-date"]:
            out[r["gss-code"]] = pop[code]
    return out


def read_council_json(ref: Path, council: Council) -> dict:
    path = ref / "revenue-outturn-lancashire-json" / f"{council.stem}_budgets_govuk.json"
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_rs_2017_18(ref: Path) -> tuple[dict[str, dict[int, Decimal]], dict[str, str]]:
    """RS 2017-18 rows keyed by ONS code (and E-code for bodies without one): {line no: £k}."""
    path = ref / "revenue-outturn-rs" / "RS_2017-18_data_by_LA.xlsx"
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(wb["RS LA Data 2017-18"].iter_rows(values_only=True))
    wb.close()
    line_numbers = rows[5]
    if rows[6][0] != "E-code" or line_numbers[5] != 190:
        raise BuildError(f"{path.name}: header not where expected (row 6/7)")
    out: dict[str, dict[int, Decimal]] = {}
    names: dict[str, str] = {}
    for r in rows[7:]:
        if not r or not r[0] or not str(r[0]).startswith("E"):
            continue
        vals = {}
        for i, ln in enumerate(line_numbers):
            if isinstance(ln, int) and isinstance(r[i], (int, float)):
                vals[ln] = dec(r[i])
        for key in (r[0], r[1]):
            if key:
                out[str(key)] = vals
                names[str(key)] = str(r[2])
    return out, names


def read_cra_north_west(ref: Path) -> list[dict[str, object]]:
    """Identifiable current (CUR) spending in the North West, outturn 2017-18 (£ thousand)."""
    path = ref / "hmt-cra-pesa" / "CRA_2018_Database_for_Publication_rvsd.xlsx"
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    it = wb["CRA 2018 database"].iter_rows(values_only=True)
    header = [str(h) for h in next(it)]
    want = {
        "Department Name",
        "Organisation Name",
        "CRA Segment Name",
        "HMT Function",
        "ID/non-ID",
        "CAP or CUR",
        "NUTS Region",
        "2017-18",
    }
    if not want <= set(header):
        raise BuildError(f"{path.name}: missing columns {sorted(want - set(header))}")
    out = []
    for r in it:
        d = dict(zip(header, r, strict=False))
        # NUTS Region is not consistently cased in this file (see its SOURCES.md).
        region = str(d["NUTS Region"] or "").strip().lower()
        if region == "england_north west" and d["ID/non-ID"] == "ID" and d["CAP or CUR"] == "CUR":
            out.append(d)
    wb.close()
    return out
