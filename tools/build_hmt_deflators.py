"""Build ``src/wholeplace/data/cba/gdp_deflators_hmt_2024_10.csv`` from HM Treasury's sheet.

Maintainer tool: the package never imports it and the tests never run it; its output is
committed, and ``tests/cba/test_cba_deflators.py`` checks it against the sheet. Run it from
the repository root::

    .venv/bin/python tools/build_hmt_deflators.py [--reference ../shared/reference]

Input: ``gdp-deflators-hmt/socialvalueadjuster_deflators_incl_hmt_mar2024_oct2024.xlsx``,
sheet ``30102024 deflator update`` (HM Treasury's own release sheet, embedded verbatim; see
that folder's SOURCES.md). Its financial-year rows, columns B (year), C (index, 2023-24 = 100;
"-" for forecast years) and D (per cent change on the previous year), are copied as
published: the index where HM Treasury prints one, the % change for every year; a year label
with a footnote ("2024-25 (1), (2)") is an OBR forecast.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

import openpyxl

SHEET = "30102024 deflator update"
BOOK = "socialvalueadjuster_deflators_incl_hmt_mar2024_oct2024.xlsx"
OUT = Path("src/wholeplace/data/cba/gdp_deflators_hmt_2024_10.csv")
SOURCE = (
    "HM Treasury, GDP deflators at market prices, and money GDP: October 2024 (Budget), "
    "sheet '30102024 deflator update' (outturn: ONS Quarterly National Accounts of "
    "30 September 2024, series L8GG; forecasts 2024-25 to 2029-30: OBR Economic and fiscal "
    "outlook, October 2024); Crown copyright, Open Government Licence v3.0"
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", default="../shared/reference")
    args = ap.parse_args()
    path = Path(args.reference) / "gdp-deflators-hmt" / BOOK
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = []
    for r in wb[SHEET].iter_rows(min_col=2, max_col=4, values_only=True):
        label = str(r[0] or "")
        m = re.match(r"^(\d{4})-(\d{2})", label)
        if not m:
            continue
        index = "" if r[1] in (None, "-") else repr(r[1]) if isinstance(r[1], float) else str(r[1])
        pct = "" if r[2] is None else repr(r[2]) if isinstance(r[2], float) else str(r[2])
        forecast = "y" if "(" in label else "n"
        rows.append([f"{m.group(1)}/{m.group(2)}", index, pct, forecast, SOURCE])
    wb.close()
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["year", "index", "pct_change", "forecast", "source"])
        w.writerows(rows)
    print(f"wrote {OUT}: {len(rows)} years, {rows[0][0]} to {rows[-1][0]}")


if __name__ == "__main__":
    main()
