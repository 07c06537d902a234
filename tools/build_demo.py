"""Build the shipped demo place, ``src/wholeplace/data/demo/``, from real published files.

Maintainer tool: the package never imports it and the tests never run it; its output is
committed. Run it from the repository root::

    .venv/bin/python tools/build_demo.py [--reference ../shared/reference]

Inputs (all under the reference folder, each with its own SOURCES.md):

* ``revenue-outturn-lancashire-json/<council>_budgets_govuk.json`` - MHCLG Revenue Outturn (RSX)
  service lines of the 15 Lancashire councils, total expenditure (gross), 2023-24 and 2024-25
  (council lines, exact; Pendle's missing 2023-24 is estimated from 2022-23 and 2024-25).
* ``revenue-outturn-rs/RS_2017-18_data_by_LA.xlsx`` - MHCLG RS 2017-18: Lancashire PCC and
  Lancashire Fire service lines, and each district's / unitary's housing benefit payments.
* ``hmt-cra-pesa/CRA_2018_Database_for_Publication_rvsd.xlsx`` - HM Treasury Country and
  Regional Analysis 2018, North West outturn 2017-18 for DWP and the NHS.
* ``lookups/mysociety_*`` - ONS mid-2020 populations and codes (via mySociety).
* ``boundaries-england/LAD_Dec2024_UK_BFC_simplified.geojson`` - ONS district boundaries.

Every figure written carries its source; estimated lines say how they were estimated. The
script prints its sanity checks and stops (writing nothing) if one fails.

The pieces live in ``tools/demo_build/``: ``config`` (partners, years, service lines, sources),
``readers``, ``councils`` (council lines and payments between partners), ``estimates`` (NHS,
DWP, police, fire), ``geography`` (areas, boundaries) and ``output`` (files, SOURCES.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from demo_build.config import (
    COUNCIL_SECTOR,
    COUNCILS,
    DEFAULT_REFERENCE,
    HEADLINE_YEAR,
    OTHER_PARTNERS,
    OUT,
    POP_SOURCE,
    POP_YEAR,
    REPO,
    RS_LINES,
    SPEND_COLUMNS,
    YEARS,
)
from demo_build.councils import check_payment_sizes, council_lines, lcc_payments
from demo_build.estimates import blue_light_lines, dwp_lines, nhs_lines
from demo_build.geography import build_areas, build_boundaries
from demo_build.model import DERIVED, AreaInfo, BuildError, Line
from demo_build.output import csv_text, sources_md, write_atomic
from demo_build.readers import north_west_populations, read_cra_north_west, read_rs_2017_18

from wholeplace.money import fmt_millions


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    ref: Path = args.reference

    areas, registry, pop = build_areas(ref)
    nw_pops = north_west_populations(registry, pop)
    missing = [a.code for a in areas if a.code not in nw_pops]
    if missing:
        raise BuildError(f"areas missing from the North West population list: {missing}")

    lines, gaps, expected, council_estimates = council_lines(ref, areas, registry)
    lines += lcc_payments(lines)
    rs, rs_names = read_rs_2017_18(ref)
    cra = read_cra_north_west(ref)
    dwp, dwp_notes = dwp_lines(cra, rs, areas, nw_pops)
    lines += nhs_lines(cra, areas, nw_pops) + dwp + blue_light_lines(rs, rs_names, areas)

    place_pop = sum(a.population for a in areas)
    partners = partner_rows(areas, registry, pop, place_pop)
    partner_group = {p[0]: p[3] for p in partners}

    problems = check_lines(lines, areas, partner_group)
    totals = partner_year_totals(lines, expected, problems)
    payment_problems, asc_other_income = check_payment_sizes(ref)
    problems += payment_problems
    group_totals = place_totals(lines, partner_group)
    if problems:
        print("\nProblems (nothing written):", *problems, sep="\n  ", file=sys.stderr)
        return 1

    out: Path = args.out
    write_place(out, ref, areas, partners, lines, place_pop)
    write_atomic(
        out / "SOURCES.md",
        sources_md(
            partners=partners,
            totals=totals,
            group_totals=group_totals,
            council_estimates=council_estimates,
            asc_other_income=asc_other_income,
            gaps=gaps,
            dwp_notes=dwp_notes,
            nw_pop=sum(nw_pops.values()),
            place_pop=place_pop,
        ),
    )
    print(f"\nWrote {out} ({len(lines)} spend lines, {len(partners)} partners, {len(areas)} areas)")
    print("Council-years estimated:", *council_estimates, sep="\n  ")
    print("Derived Education lines:", *DERIVED, sep="\n  ")
    print("Gaps:", *gaps, sep="\n  ")
    print("DWP notes:", *dwp_notes, sep="\n  ")
    return 0


def partner_rows(
    areas: list[AreaInfo],
    registry: dict[str, dict[str, str]],
    pop: dict[str, int],
    place_pop: int,
) -> list[list[str]]:
    """partners.csv's rows: id, name, type, group, sector, population served."""
    partners = []
    county_pop = sum(a.population for a in areas if a.council not in ("blackburn", "blackpool"))
    for c in COUNCILS:
        r = registry[c.register]
        served = county_pop if c.type == "county council" else pop[c.register]
        partners.append([c.id, r["official-name"], c.type, c.group, COUNCIL_SECTOR, str(served)])
    for pid, name, ptype, group, sector in OTHER_PARTNERS:
        partners.append([pid, name, ptype, group, sector, str(place_pop)])
    return partners


def check_lines(
    lines: list[Line], areas: list[AreaInfo], partner_group: dict[str, str]
) -> list[str]:
    """Every line has a known service, area and counterparty, a positive amount and a source."""
    problems = []
    taxonomy = REPO / "src" / "wholeplace" / "data" / "taxonomy" / "services.csv"
    with open(taxonomy, encoding="utf-8") as f:
        codes = {r["code"] for r in csv.DictReader(f)}
    area_codes = {a.code for a in areas}
    for ln in lines:
        if ln.service not in codes:
            problems.append(f"unknown service {ln.service} ({ln.partner})")
        if ln.amount <= 0:
            problems.append(f"non-positive amount {ln.amount} ({ln.partner} {ln.subservice})")
        if ln.area and ln.area not in area_codes:
            problems.append(f"unknown area {ln.area}")
        if ln.counterparty and ln.counterparty not in partner_group:
            problems.append(f"unknown counterparty {ln.counterparty}")
        if ln.estimate and not ln.estimate_method:
            problems.append(f"estimate without method ({ln.partner} {ln.subservice})")
        if not ln.source:
            problems.append(f"line without source ({ln.partner} {ln.subservice})")
    return problems


def partner_year_totals(
    lines: list[Line], expected: dict[tuple[str, str], Decimal], problems: list[str]
) -> dict[tuple[str, str], Decimal]:
    """Each partner's total per year, printed and checked against the published totals."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for ln in lines:
        totals[(ln.partner, ln.year)] += ln.amount
    print("Per partner per year (£):")
    for (pid, year), amount in sorted(totals.items()):
        check = ""
        if (pid, year) in expected:
            ok = expected[(pid, year)] == amount
            check = "= published gross total (or its lines / estimate)" if ok else "MISMATCH"
            if not ok:
                problems.append(f"{pid} {year}: {amount} != {expected[(pid, year)]}")
        print(f"  {pid:16} {year}  {amount:>18,.2f}  {check}")
    # Independent spot checks: 2024-25 gross TOTAL SERVICE EXPENDITURE (£k) read by hand from
    # the parsed returns (the reference SOURCES.md quotes the net totals).
    for pid, tse_k in [("lcc", "3027333"), ("burnley", "52811"), ("hyndburn", "29330")]:
        if totals[(pid, "2024/25")] != Decimal(tse_k) * 1000:
            problems.append(f"{pid} 2024/25 total differs from the published gross TSE {tse_k}k")
    return totals


def place_totals(lines: list[Line], partner_group: dict[str, str]) -> dict[str, dict[str, Decimal]]:
    """Per year: the place's total by group, all lines and eliminations (printed)."""
    print("\nPlace total by group (£m; gross of eliminations) and eliminations:")
    group_totals: dict[str, dict[str, Decimal]] = {}
    for year in YEARS.values():
        by_group: dict[str, Decimal] = defaultdict(Decimal)
        eliminated = Decimal(0)
        for ln in lines:
            if ln.year == year:
                by_group[partner_group[ln.partner]] += ln.amount
                if ln.counterparty:
                    eliminated += ln.amount
        total = sum(by_group.values(), Decimal(0))
        group_totals[year] = {**by_group, "_all": total, "_eliminated": eliminated}
        print(
            f"  {year}: all lines {fmt_millions(total)}; eliminations {fmt_millions(eliminated)};"
            f" consolidated {fmt_millions(total - eliminated)}"
        )
        for g, v in sorted(by_group.items(), key=lambda kv: -kv[1]):
            print(f"      {g:32} {fmt_millions(v):>12}  ({v:,.2f})")
    return group_totals


def write_place(
    out: Path,
    ref: Path,
    areas: list[AreaInfo],
    partners: list[list[str]],
    lines: list[Line],
    place_pop: int,
) -> None:
    """partners.csv, areas.csv, boundaries.geojson, one spend file per partner, place.yaml."""
    write_atomic(
        out / "partners.csv",
        csv_text(["id", "name", "type", "group", "sector", "population_served"], partners),
    )
    write_atomic(
        out / "areas.csv",
        csv_text(
            ["code", "name", "population", "source"],
            [[a.code, a.name, str(a.population), POP_SOURCE] for a in areas],
        ),
    )
    geo = build_boundaries(ref, areas)
    write_atomic(out / "boundaries.geojson", json.dumps(geo, separators=(",", ":")) + "\n")
    write_spend_files(out / "spend", partners, lines)
    write_atomic(
        out / "place.yaml",
        "# Generated by tools/build_demo.py - edit the script, not this file.\n"
        + yaml.safe_dump(place_meta(place_pop), sort_keys=False, allow_unicode=True, width=100),
    )


def write_spend_files(spend_dir: Path, partners: list[list[str]], lines: list[Line]) -> None:
    """One spend file per partner, in a stable order; stale files removed."""
    order = {code: i for i, (_, code) in enumerate(RS_LINES)}
    wanted = set()
    for p in partners:
        pid = p[0]
        mine = [ln for ln in lines if ln.partner == pid]
        mine.sort(
            key=lambda ln: (
                ln.year,
                order.get(ln.service, 99),
                ln.service,
                ln.area,
                ln.counterparty,
                ln.subservice,
            )
        )
        write_atomic(spend_dir / f"{pid}.csv", csv_text(SPEND_COLUMNS, [ln.row() for ln in mine]))
        wanted.add(f"{pid}.csv")
    for stale in spend_dir.glob("*.csv"):
        if stale.name not in wanted:
            stale.unlink()


def place_meta(place_pop: int) -> dict[str, Any]:
    """place.yaml: the place, its years and its sources."""
    return {
        "name": "Lancashire",
        "description": (
            "Demo place: the Lancashire two-tier area (county council, 12 districts) and its two "
            "unitaries, Blackburn with Darwen and Blackpool. Council lines are published gross "
            "outturn (Pendle 2023/24 estimated); NHS, DWP, police and fire lines are marked "
            "estimates (see SOURCES.md)."
        ),
        # Printed by `wholeplace demo` under the map's mixed-bases warning.
        "basis_note": (
            "The demo mixes bases on purpose, as a real place's returns do: the councils' "
            "lines are gross expenditure (Revenue Outturn RSX), NHS and DWP lines gross "
            "estimates (HM Treasury CRA) and housing benefit the payments made; police and "
            "fire come only as net current expenditure (Revenue Outturn Summary RS 2017-18: "
            "after their own fees, charges and other income), so they sit below what those "
            "bodies spend gross. No payment between partners goes to them, so no elimination "
            "depends on it."
        ),
        "population": place_pop,
        "population_source": POP_SOURCE + "; sum of the 14 lower-tier areas",
        "population_year": POP_YEAR,
        "years": list(YEARS.values()),
        "headline_year": HEADLINE_YEAR,
        "sources": [
            {
                "name": (
                    "MHCLG Revenue Outturn (RSX) 2022-23, 2023-24 and 2024-25, service lines, "
                    "total expenditure (gross)"
                ),
                "via": "tompickup23/burnleycouncil budgets_govuk.json (commit 467dd3f9)",
                "licence": "OGL v3.0",
                "used_for": (
                    "council lines (exact; 2023-24 Education derived from the published total; "
                    "Pendle 2023-24 estimated from its 2022-23 and 2024-25 returns)"
                ),
            },
            {
                "name": "MHCLG Revenue Outturn Summary (RS) 2017-18",
                "via": "BBC-Data-Unit/council-cuts-charts (commit 5b54d08f)",
                "licence": "OGL v3.0",
                "used_for": (
                    "police and fire estimates (net current expenditure, basis net); "
                    "housing benefit estimate (payments, basis gross)"
                ),
            },
            {
                "name": "HM Treasury Country and Regional Analysis 2018 (outturn 2017-18)",
                "via": "thomasforth/PESAParser (commit 804728f7)",
                "licence": "OGL v3.0",
                "used_for": "NHS and DWP estimates (North West, by population)",
            },
            {
                "name": "ONS mid-2020 population estimates",
                "via": "mySociety uk_local_authority_names_and_codes (commit 67ef8b11)",
                "licence": "CC BY 4.0 (mySociety compilation of ONS data, OGL v3.0)",
                "used_for": "area populations, apportionment",
            },
            {
                "name": "ONS Local Authority Districts (December 2024) boundaries, BFC",
                "via": "dfe-analytical-services/shiny-template (simplified by DfE, commit 8f77d7fa)",  # noqa: E501
                "licence": "OGL v3.0; contains OS data (c) Crown copyright and database right",
                "used_for": "boundaries.geojson",
            },
        ],
    }


if __name__ == "__main__":
    sys.exit(main())
