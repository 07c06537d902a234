"""The demo's estate (data/demo/assets/): its one co-location candidate worked by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from wholeplace.areas import import_boundaries
from wholeplace.assets import service
from wholeplace.cba.discounting import DEFAULT_SCHEDULE, defaults
from wholeplace.demo import demo_data
from wholeplace.money import round_half_up
from wholeplace.partners import import_partners
from wholeplace.workspace import Workspace


def test_demo_estate_by_hand(ws: Workspace, tmp_path: Path) -> None:
    """County offices LCC-001 (6,000 m², 40% used), town hall offices PCC-001, the health
    centre ICB-001 and the police office POL-001 are under-used and within 500 m of one
    another (each under 420 m); the library and the fire station are close but well used.
    Keep LCC-001 (the largest); vacate the others:
    saving = 380,000 + 190,000 + 95,000 = £665,000 a year;
    space moved = 4,000 x 60% + 1,500 x 50% + 800 x 40% = 2,400 + 750 + 320 = 3,470 m²,
    within LCC-001's 6,000 - 2,400 = 3,600 m² spare; moving = 3,470 x £100 = £347,000;
    no receipt (no value per m² given); NPV = -347,000 + 665,000 x 8.3166053...
    = £5,183,542.54."""
    demo = demo_data()
    import_partners(ws, demo.folder / "partners.csv")
    import_boundaries(ws, demo.folder / "boundaries.geojson", "code")
    reports = tmp_path / "reports"
    reports.mkdir()
    gb = defaults(ws).schedules[DEFAULT_SCHEDULE]
    paths, sentence = service.demo_estate(
        ws, demo.folder / "assets", reports, gb.factors(11), gb.describe()
    )
    assert [p.name for p in paths] == ["estate.html", "estate.xlsx"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert sentence.startswith("7 assets: 1 co-location candidate(s)")
    found = service.opportunities(ws, service.Criteria(), gb.factors(11), gb.describe())
    [g] = found.co_locations
    assert g.keep.key == "lcc/LCC-001"
    assert [a.key for a in g.vacate] == ["lancs-pcc/POL-001", "nhs-lsc/ICB-001", "preston/PCC-001"]
    assert (g.saving_a_year, g.space_moved_m2, g.spare_m2) == (
        Decimal(665000),
        Decimal(3470),
        Decimal(3600),
    )
    assert (g.moving_cost, g.receipt) == (Decimal(347000), Decimal(0))
    annuity = sum((Fraction(1000, 1035) ** t for t in range(1, 11)), Fraction(0))
    assert g.npv == round_half_up(-347_000 + 665_000 * annuity, 2) == Decimal("5183542.54")
    # the depot serves Preston 014A (E01025295), in the most deprived tenth (imd2019.csv)
    depot = next(d for d in found.disposals if d.asset.ref == "PCC-002")
    assert depot.rank == 1 and depot.around["E01025295"]["imd_decile"] == 1
    # docs/assets.md: it serves ten LSOAs, all in the three most deprived tenths
    assert len(depot.around) == 10
    assert all(v["imd_decile"] <= 3 for v in depot.around.values())
    # every asset is placed in Preston and in one of its LSOAs (point in polygon)
    for a in service.register(ws):
        assert "E07000123" in a.areas and len(a.areas) == 2, a.key
    offices = next(a for a in service.register(ws) if a.ref == "LCC-001")
    assert offices.areas == ("E01025231", "E07000123")  # Preston 013A
    profiles = {p.code: p for p in service.profiles(ws).areas}
    assert len(profiles) == 86 + 14 - 0  # Preston's LSOAs and the demo's 14 districts
    assert sum(profiles[c].values["population"] for c in profiles if c.startswith("E01")) == 140431
