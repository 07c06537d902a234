"""The shipped demo place: it builds, it reconciles, and every council figure is the
published Revenue Outturn gross figure (read from ../shared/reference, not from the package)."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from wholeplace.demo import build_demo, demo_data
from wholeplace.engine import duckdb_tables
from wholeplace.spend import consolidate

JSON_DIR = "revenue-outturn-lancashire-json"
TOTAL = "Total Service Expenditure"
EDUCATION = "Education services"

# Demo partner id -> file stem of its parsed Revenue Outturn return in the reference folder.
COUNCIL_FILES = {
    "lcc": "lancashire_cc",
    "burnley": "burnley",
    "chorley": "chorley",
    "fylde": "fylde",
    "hyndburn": "hyndburn",
    "lancaster": "lancaster",
    "pendle": "pendle",
    "preston": "preston",
    "ribble-valley": "ribble_valley",
    "rossendale": "rossendale",
    "south-ribble": "south_ribble",
    "west-lancashire": "west_lancashire",
    "wyre": "wyre",
    "blackburn": "blackburn",
    "blackpool": "blackpool",
}

# The RSX service lines and the taxonomy codes the demo files them under.
RSX_CODES = {
    EDUCATION: "EDU",
    "Highways and transport services": "HTS",
    "Children Social Care": "CSC",
    "Adult Social Care": "ASC",
    "Public Health": "PHS",
    "Housing services (GFRA only)": "HSG",
    "Cultural and related services": "CUL",
    "Environmental and regulatory services": "ENV",
    "Planning and development services": "PLN",
    "Police services": "POL",
    "Fire and rescue services": "FIR",
    "Central services": "CEN",
    "Other services": "OTH",
}

# The one council-year the parse holds nothing for; the demo estimates it from its neighbours.
ESTIMATED = ("pendle", "2023/24", "2022-23", "2024-25")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    ws, place = build_demo(tmp_path_factory.mktemp("demo") / "place")
    yield ws, place
    ws.close()


def gross(reference: Path, partner: str, pub_year: str) -> dict[str, Decimal | None]:
    """Published RSX gross (total expenditure) lines in £, None where the parse has none."""
    path = reference / JSON_DIR / f"{COUNCIL_FILES[partner]}_budgets_govuk.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    services = data["by_year"][pub_year]["detailed_services"]["RSX"]["services"]
    out: dict[str, Decimal | None] = {}
    for name in [*RSX_CODES, TOTAL]:
        v = services[name]["total_expenditure"]["value_thousands"]
        out[name] = None if v is None else Decimal(str(v)) * 1000
    return out


def demo_by_service(ws, partner: str, year: str) -> dict[str, Decimal]:
    rows = ws.con.execute(
        "SELECT service, sum(amount_gbp) FROM spend_lines WHERE partner = ? AND year = ? "
        "GROUP BY service",
        [partner, year],
    ).fetchall()
    return {service: amount for service, amount in rows}


def test_demo_reconciles_every_year(demo) -> None:
    ws, place = demo
    for year in place.meta["years"]:
        m = consolidate(duckdb_tables(ws), year, "group")
        assert m.reconciliation.holds
        assert m.eliminated_gbp > 0, "the demo shows eliminations"
        assert 0 < m.estimated_gbp < m.total_gbp


def test_council_lines_are_the_published_gross_figures(demo, reference: Path) -> None:
    ws, place = demo
    types = dict(
        ws.con.execute(
            "SELECT id, type FROM partners WHERE type IN ('county council', 'district', 'unitary')"
        ).fetchall()
    )
    assert set(types) == set(COUNCIL_FILES)
    sources_md = (demo_data().folder / "SOURCES.md").read_text(encoding="utf-8")
    checked = 0
    for partner in COUNCIL_FILES:
        for year in place.meta["years"]:
            if (partner, year) == ESTIMATED[:2]:
                continue
            pub = gross(reference, partner, year.replace("/", "-"))
            total = pub[TOTAL]
            assert total is not None, (partner, year)
            got = demo_by_service(ws, partner, year)
            # Every published gross line is in the demo exactly (the county's ASC line is
            # split into its own spending and the payments carved out of it; summed back here).
            for name, code in RSX_CODES.items():
                if pub[name] is not None:
                    assert got.get(code, Decimal(0)) == pub[name], (partner, year, name)
            lines_sum = sum((v for k, v in pub.items() if k != TOTAL and v is not None), Decimal(0))
            demo_total = sum(got.values(), Decimal(0))
            if pub[EDUCATION] is None and types[partner] != "district":
                # Education is derived: the published total less the 12 published lines.
                assert got["EDU"] == total - lines_sum > 0
                assert demo_total == total, (partner, year)
            elif lines_sum == total:
                assert demo_total == total, (partner, year)
            else:
                # A district whose published lines miss the published total by rounding: the
                # demo follows the lines, and SOURCES.md must say so.
                assert types[partner] == "district"
                assert demo_total == lines_sum
                assert abs(total - lines_sum) <= 5000
                assert f"{partner} {year}: the published gross lines sum to" in sources_md
            checked += 1
    assert checked == 29  # 15 councils x 2 years, less the estimated one


def test_the_missing_council_year_is_estimated_from_its_neighbours(demo, reference) -> None:
    ws, _ = demo
    partner, year, before, after = ESTIMATED
    missing = gross(reference, partner, year.replace("/", "-"))
    assert all(v is None for v in missing.values()), "the parse now has this year; use it"
    rows = ws.con.execute(
        "SELECT service, amount_gbp, is_estimate, estimate_method, source FROM spend_lines "
        "WHERE partner = ? AND year = ?",
        [partner, year],
    ).fetchall()
    assert rows
    assert all(is_est and method and source for _, _, is_est, method, source in rows)
    b, a = gross(reference, partner, before), gross(reference, partner, after)
    by_code = {code: name for name, code in RSX_CODES.items()}
    for service, amount, _, method, source in rows:
        name = by_code[service]
        assert amount == ((b[name] or 0) + (a[name] or 0)) / 2, service
        assert before in source and after in source
        assert "Mean" in method
    assert sum(r[1] for r in rows) == (b[TOTAL] + a[TOTAL]) / 2


def test_estimates_say_how_and_from_where(demo) -> None:
    ws, _ = demo
    missing = ws.con.execute(
        "SELECT count(*) FROM spend_lines WHERE is_estimate "
        "AND (coalesce(trim(estimate_method), '') = '' OR coalesce(trim(source), '') = '')"
    ).fetchall()[0][0]
    assert missing == 0
    unsourced = ws.con.execute(
        "SELECT count(*) FROM spend_lines WHERE coalesce(trim(source), '') = ''"
    ).fetchall()[0][0]
    assert unsourced == 0


def test_population_is_sum_of_areas(demo) -> None:
    ws, place = demo
    areas_total = ws.con.execute("SELECT sum(population) FROM areas").fetchall()[0][0]
    assert int(place.meta["population"]) == areas_total
    assert demo_data().headline_year in place.meta["years"]


# RS 2017-18 net current expenditure (£ thousand) of the police and fire bodies, read from the
# published workbook (sheet "RS LA Data 2017-18", E-codes E7023 and E6123) and checked by hand:
# police 266,218.9 (line 601) + 1,413.7 (690) = 267,632.6; fire 53,017 (602) + 450 (690) = 53,467.
NET_PARTNERS = {"lancs-pcc": Decimal("267632600.00"), "lancs-fire": Decimal("53467000.00")}


def test_police_and_fire_lines_are_net_and_everything_else_gross() -> None:
    """Read from the shipped CSV files themselves: RS-derived police and fire lines say net."""
    import csv

    seen: dict[tuple[str, str], Decimal] = {}
    for path in demo_data().spend_files:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                want = "net" if row["partner"] in NET_PARTNERS else "gross"
                assert row["basis"] == want, (path.name, row["service"], row["area"])
                key = (row["partner"], row["year"])
                seen[key] = seen.get(key, Decimal(0)) + Decimal(row["amount_gbp"])
    for partner, total in NET_PARTNERS.items():
        for year in demo_data().meta["years"]:
            assert seen[(partner, year)] == total, (partner, year)


def test_the_demo_map_lists_each_basis_and_warns(demo) -> None:
    ws, place = demo
    m = consolidate(duckdb_tables(ws), place.headline_year, "group")
    bases = {b.partner: b for b in m.bases}
    for partner, total in NET_PARTNERS.items():
        assert bases[partner].basis == "net"
        assert bases[partner].net_gbp == total
        assert bases[partner].gross_gbp is None  # no income stated, so gross is not known
    assert {b.basis for p, b in bases.items() if p not in NET_PARTNERS} == {"gross"}
    mixed = [w for w in m.warnings if w.startswith("Bases are mixed")]
    assert len(mixed) == 1
    assert "net current expenditure: lancs-fire, lancs-pcc." in mixed[0]
    # Nothing is paid to police or fire, so their basis changes no elimination.
    assert m.not_eliminated == []
    assert "police and fire come only as net current expenditure" in place.meta["basis_note"]
    # docs/spend.md quotes the two net figures.
    doc = (Path(__file__).parents[2] / "docs" / "spend.md").read_text(encoding="utf-8")
    police, fire = (f"£{NET_PARTNERS[p]:,.2f}" for p in ("lancs-pcc", "lancs-fire"))
    assert f"net current expenditure ({police} and {fire} a year)" in doc


# The alignment reports' figures, worked by hand from data/demo/alignment/ (its SOURCES.md):
# framework: the 7 statements x 3 partners of docs/framework.md's example, one not applicable,
#   met 2 + partly 1 + met 2, met 2 + met 2 + not met 0, partly 1 + partly 1 (stewardship x
#   data: 11 of 16), 2 + 0 + 1 + 1 + 1 + 1 (performance x delivery: 6 of 12),
#   0 + 2 + 0 + 0 + 0 + 1 (transformation x strategy: 3 of 12) = 20 of 40 points, 50.0%;
# objectives: overlaps = (adults, emergency admissions, reduce: lcc, nhs-lsc) and (working-age
#   adults, employment rate, increase: dwp, blackpool); conflicts = care home placements
#   (nhs-lsc increase, lcc reduce) and reablement staff (lcc for admissions, nhs-lsc for
#   placements); different approaches = adults (admissions, placements) and children and
#   young people (lcc: looked after; lancs-pcc: first-time entrants);
# governance: F2 (service planning) outside ISA-1's direct care, F4 with no agreement, csp
#   with only a sponsor, R2 reviewed 2026-03-01 (before the register's as-of date, 31 March
#   2026) = 4 warnings (the others' dates: 2030).
ALIGNMENT = {
    "framework-2025-26.html": "overall score (20 of 40 points)",
    "objectives.html": (
        "8 objectives of 5 partners: 2 overlaps, 2 conflicts, "
        "2 customer groups with different approaches."
    ),
    "governance.html": (
        "3 delivery models, 2 information-sharing agreements covering 4 data flows, "
        "3 risks; 4 warnings."
    ),
}


def test_demo_command_shows_bases_why_and_the_alignment_reports(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from wholeplace.cli import app

    res = CliRunner().invoke(app, ["demo", str(tmp_path / "place")], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    out = res.output
    reports = tmp_path / "place" / "reports"
    for name, figure in ALIGNMENT.items():
        assert figure in (reports / name).read_text(encoding="utf-8"), name
    assert "20 of 40 points (50.0%)" in out
    assert ALIGNMENT["objectives.html"] in out
    assert "Basis of each partner's figures" in out
    row = re.search(r"Lancashire Combined Fire Authority\s*│\s*(.+?)\s*│\s*(\S+)\s*│", out)
    assert row is not None and row.groups() == ("net current expenditure", "£53.5m"), out
    assert "Warning: Bases are mixed" in out
    assert "Why: The demo mixes bases on purpose" in out
