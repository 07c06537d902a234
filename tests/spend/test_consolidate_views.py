"""Several views of one year at once: the same spend maps as one `consolidate` per view.

`consolidate_views` shares the reconciliation and the eliminations between the views and
reads every view's rows in one query (a pre-aggregation of the lines, summed again per
view); `consolidate` of one view groups the lines directly. Both must agree on every field.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from spend_helpers import PARTNERS, add_partners

from wholeplace.areas import area_populations, place_population
from wholeplace.demo import build_demo
from wholeplace.engine import duckdb_tables, taxonomy_rows
from wholeplace.spend.consolidate import (
    DIMENSIONS,
    NOT_ALLOCATED,
    NOT_STATED,
    consolidate,
    consolidate_views,
)
from wholeplace.spend.lines import Line, write_lines
from wholeplace.workspace import Workspace

D = Decimal
CENT = D("0.01")
YEAR = "2024/25"
AREAS = {"A1": ("North", 600_000), "A2": ("South", 400_001)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    ws, place = build_demo(tmp_path_factory.mktemp("demo") / "place")
    yield ws, place
    ws.close()


def test_demo_every_view_of_every_year_is_what_consolidate_gives(demo) -> None:
    ws, place = demo
    t = duckdb_tables(ws)
    population = place_population(ws)
    area_pop = area_populations(ws)
    assert population and area_pop, "the demo has populations, so per head is exercised"
    for year in place.meta["years"]:
        maps = consolidate_views(
            t, year, DIMENSIONS, population=population, area_population=area_pop
        )
        assert list(maps) == list(DIMENSIONS)
        for by in DIMENSIONS:
            one = consolidate(t, year, by, population=population, area_population=area_pop)
            assert maps[by] == one, (year, by)
            assert maps[by].by == by and maps[by].reconciliation.holds
        # the demo exercises eliminations, estimates, and per head of the place and of areas
        m = maps["group"]
        assert m.eliminations and m.eliminated_gbp > 0 and m.estimated_gbp > 0
        assert m.per_head_gbp is not None and all(r.per_head_gbp is not None for r in m.rows)
        per_area = [r for r in maps["area"].rows if r.key in area_pop]
        assert per_area and all(r.population == area_pop[r.key] for r in per_area)
        for r in per_area:
            assert r.per_head_gbp == (r.amount_gbp / area_pop[r.key]).quantize(CENT, ROUND_HALF_UP)
        # Both paths agree; and both are right: the totals summed here from the raw lines.
        by_partner, imported, internal = _sums_by_hand(ws, year)
        assert {r.key: r.amount_gbp for r in maps["partner"].rows} == by_partner
        assert m.reconciliation.imported_gbp == imported
        assert m.eliminated_gbp == internal and m.total_gbp == imported - internal
        assert m.per_head_gbp == (m.total_gbp / population).quantize(CENT, ROUND_HALF_UP)


def _sums_by_hand(ws, year: str) -> tuple[dict[str, Decimal], Decimal, Decimal]:
    """Each partner's spend outside the partnership, all spend, and spend paid to partners,
    summed in Python from the raw lines (not through the consolidation's expressions)."""
    partners = {r[0] for r in ws.con.execute("SELECT id FROM partners").fetchall()}
    rows = ws.con.execute(
        "SELECT partner, amount_gbp, counterparty FROM spend_lines WHERE year = ?", [year]
    ).fetchall()
    by_partner: dict[str, Decimal] = defaultdict(Decimal)
    for partner, amount, counterparty in rows:
        if counterparty not in partners:
            by_partner[partner] += amount
    imported = sum((r[1] for r in rows), D(0))
    internal = sum((r[1] for r in rows if r[2] in partners), D(0))
    return dict(by_partner), imported, internal


def test_demo_a_few_views_in_any_order(demo) -> None:
    ws, place = demo
    t = duckdb_tables(ws)
    year = place.meta["years"][-1]
    maps = consolidate_views(t, year, ["area", "partner", "area"], population=1_234_567)
    assert list(maps) == ["area", "partner"]  # asked-for order, each view once
    assert maps["partner"] == consolidate(t, year, "partner", population=1_234_567)
    by_partner, imported, internal = _sums_by_hand(ws, year)
    assert {r.key: r.amount_gbp for r in maps["partner"].rows} == by_partner
    assert maps["partner"].per_head_gbp == ((imported - internal) / 1_234_567).quantize(
        CENT, ROUND_HALF_UP
    )
    # without area populations, no area has a figure per head
    assert maps["area"] == consolidate(t, year, "area", population=1_234_567)
    assert all(r.per_head_gbp is None for r in maps["area"].rows)


def test_unknown_view_and_no_views(demo) -> None:
    ws, place = demo
    t = duckdb_tables(ws)
    with pytest.raises(ValueError, match="cannot map spend by 'place'"):
        consolidate_views(t, place.meta["years"][0], ("group", "place"))
    assert consolidate_views(t, place.meta["years"][0], ()) == {}


def test_maps_do_not_share_their_eliminations(demo) -> None:
    ws, place = demo
    maps = consolidate_views(duckdb_tables(ws), place.meta["years"][0], ("group", "service"))
    assert maps["group"].eliminations == maps["service"].eliminations
    maps["group"].eliminations.clear()
    assert maps["service"].eliminations


# -- any lines ---------------------------------------------------------------------------

TAXONOMY = {r["code"]: r for r in taxonomy_rows()}
SERVICES = ["ASC", "EDU", "NHS.ACUTE", "NHS.PRIMARY", "SSB.HB", "SSB.PENSION"]
GROUPS = {p.id: p.group for p in PARTNERS}
NAMES = {p.id: p.name for p in PARTNERS}

# The reconciliation property test's line, plus where, for whom, and whether estimated.
amounts = st.decimals(min_value=D("-99999.99"), max_value=D("9999999999.99"), places=2)
line = st.tuples(
    st.sampled_from([p.id for p in PARTNERS]),
    st.sampled_from(SERVICES),
    amounts,
    st.sampled_from([None, "cc", "dc", "icb", "dwp", "outsider", "another-body"]),
    st.sampled_from([None, "A1", "A2", "Z9"]),  # Z9: an area the place does not list
    st.sampled_from([None, "Children", "Older people"]),
    st.booleans(),
)


def expected_rows(rows: list[tuple], by: str) -> dict[str, tuple[str, Decimal, Decimal]]:
    """key -> (label, amount, estimated) of the consolidated lines, computed in Python."""
    out: dict[str, list] = defaultdict(lambda: ["", D(0), D(0)])
    for partner, service, amount, cp, area, cg, est in rows:
        if cp in GROUPS:
            continue  # paid to another partner: eliminated
        key, label = {
            "group": (GROUPS[partner], GROUPS[partner]),
            "partner": (partner, NAMES[partner]),
            "service": (service, TAXONOMY[service]["name"]),
            "division": (TAXONOMY[service]["division_code"], TAXONOMY[service]["division"]),
            "area": (
                (area, AREAS[area][0])
                if area in AREAS
                else (area or NOT_ALLOCATED, area or NOT_ALLOCATED)
            ),
            "customer_group": (cg or NOT_STATED, cg or NOT_STATED),
        }[by]
        acc = out[key]
        acc[0] = label
        acc[1] += amount
        acc[2] += amount if est else 0
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(line, min_size=1, max_size=30),
    st.sampled_from([None, 1, 812_345]),
)
def test_any_lines_every_view_is_what_consolidate_gives(
    ws: Workspace, data: list, population: int | None
) -> None:
    if not ws.con.execute("SELECT count(*) FROM partners").fetchone()[0]:
        add_partners(ws)
        with ws.write("areas"):
            for code, (name, pop) in AREAS.items():
                ws.con.execute("INSERT INTO areas VALUES (?, ?, ?)", [code, name, pop])
    ws.con.execute("DELETE FROM spend_lines")
    rows = [d for d in data if d[3] != d[0]]  # a partner cannot pay itself
    assume(rows)
    write_lines(
        ws,
        [
            Line(
                partner=p,
                year=YEAR,
                service=s,
                source_service=f"line {i}",
                amount_gbp=amount,
                area=area,
                customer_group=cg,
                counterparty=cp,
                is_estimate=est,
                estimate_method="test" if est else None,
                source_row=i,
            )
            for i, (p, s, amount, cp, area, cg, est) in enumerate(rows)
        ],
        action="test lines",
        file=None,
        sha256="",
    )
    t = duckdb_tables(ws)
    area_pop = {code: pop for code, (_, pop) in AREAS.items()}
    kw = {"population": population, "area_population": area_pop}
    maps = consolidate_views(t, YEAR, DIMENSIONS, **kw)
    internal = sum((r[2] for r in rows if r[3] in GROUPS), D(0))
    imported = sum((r[2] for r in rows), D(0))
    for by in DIMENSIONS:
        m = maps[by]
        assert m == consolidate(t, YEAR, by, **kw), by
        # and both are right, not merely alike
        got = {r.key: (r.label, r.amount_gbp, r.estimated_gbp) for r in m.rows}
        assert got == expected_rows(rows, by), by
        assert m.reconciliation.imported_gbp == imported
        assert m.eliminated_gbp == internal == sum((e.amount_gbp for e in m.eliminations), D(0))
        assert m.total_gbp == imported - internal == sum((r.amount_gbp for r in m.rows), D(0))
        assert [(-r.amount_gbp, r.key) for r in m.rows] == sorted(
            (-r.amount_gbp, r.key) for r in m.rows
        )
        for r in m.rows:
            pop = area_pop.get(r.key) if by == "area" else population
            assert r.population == pop
            per_head = None if not pop else (r.amount_gbp / pop).quantize(CENT, ROUND_HALF_UP)
            assert r.per_head_gbp == per_head


def test_views_of_a_year_without_lines(ws: Workspace, tmp_path: Path) -> None:
    add_partners(ws)
    maps = consolidate_views(duckdb_tables(ws), YEAR, DIMENSIONS, population=10)
    for by in DIMENSIONS:
        assert maps[by] == consolidate(duckdb_tables(ws), YEAR, by, population=10)
        assert maps[by].rows == [] and maps[by].total_gbp == D("0.00")
        assert maps[by].reconciliation.holds
        assert maps[by].eliminations == [] and maps[by].eliminated_gbp == 0
        assert maps[by].per_head_gbp == 0  # nothing spent: 0.00 a head of 10 people
        assert maps[by].reconciliation.imported_gbp == 0
