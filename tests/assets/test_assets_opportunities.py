"""Co-location and disposal candidates on crafted registers: none, one, and overlapping
groups; the net present value against a hand calculation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from wholeplace.assets.model import Asset
from wholeplace.assets.opportunities import Criteria, co_locations, disposals, pairs_within
from wholeplace.cba.discounting import DiscountSchedule
from wholeplace.money import round_half_up

D = Decimal


def asset(partner: str, ref: str, e: int, n: int, gia: int, util: int, cost: int, **kw: object):
    return Asset(
        partner=partner,
        ref=ref,
        row=1,
        easting=D(e),
        northing=D(n),
        gia_m2=D(gia),
        utilisation=D(util),
        cost_other=D(cost),
        tenure=str(kw.pop("tenure", "Freehold")),
        **kw,  # type: ignore[arg-type]
    )


# A and B are 500 m apart (300, 400: a 3-4-5 triangle), B and C 500 m, A and C 1,000 m.
A = asset("cc", "A", 350000, 450000, 1000, 40, 50_000)
B = asset("icb", "B", 350300, 450400, 400, 50, 20_000)
C = asset("police", "C", 350600, 450800, 300, 60, 15_000, tenure="Leasehold")
GREEN_BOOK = DiscountSchedule("green_book", ((0, D("0.035")), (31, D("0.030"))))


def factors(years: int = 10) -> list[Decimal]:
    return GREEN_BOOK.factors(years + 1)


def annuity(years: int) -> Fraction:
    """Sum of 1 / 1.035^t for t = 1 .. years, exactly."""
    return sum((Fraction(1000, 1035) ** t for t in range(1, years + 1)), Fraction(0))


def test_none_when_the_distance_is_one_metre_short() -> None:
    assert pairs_within([A, B, C], D(499)) == []
    assert co_locations([A, B, C], Criteria(within_m=D(499)), factors()) == []


def test_none_for_buildings_of_one_partner_or_well_used() -> None:
    same = asset("cc", "B2", 350300, 450400, 400, 50, 20_000)
    busy = asset("icb", "B3", 350300, 450400, 400, 90, 20_000)
    assert co_locations([A, same], Criteria(), factors()) == []
    assert co_locations([A, busy], Criteria(), factors()) == []


def test_one_pair_with_its_estimate_and_npv_by_hand() -> None:
    """Keep A (the larger, 1,000 m²), vacate B (400 m², freehold, 50% used):
    saving £20,000 a year; space moved 400 x 50% = 200 m² into A's spare 1,000 - 400 = 600;
    moving 200 x £100 = £20,000; receipt 400 x £1,000 = £400,000;
    NPV = 400,000 - 20,000 + 20,000 x (sum of 1/1.035^t, t = 1..10 = 8.3166053...)
        = 380,000 + 166,332.11 = £546,332.11."""
    c = Criteria(value_per_m2=D(1000))
    [g] = co_locations([A, B], c, factors())
    assert (g.keep.key, [a.key for a in g.vacate]) == ("cc/A", ["icb/B"])
    assert g.pairs[0].distance_m == D("500.0")
    assert (g.saving_a_year, g.receipt, g.moving_cost) == (D(20000), D(400000), D(20000))
    assert (g.space_moved_m2, g.spare_m2, g.fits) == (D(200), D(600), True)
    exact = 400_000 - 20_000 + 20_000 * annuity(10)
    assert g.npv == round_half_up(exact, 2) == D("546332.11")


def test_overlapping_pairs_make_one_group() -> None:
    """A-B and B-C are pairs, A-C is not: one group A, B, C. Keep A; vacate B and C:
    saving 20,000 + 15,000 = £35,000; moved 200 + 300 x 60% = 380 m² (fits in 600);
    moving £38,000; receipt only from B (C is leasehold): £400,000;
    NPV = 400,000 - 38,000 + 35,000 x 8.3166053... = £653,081.19."""
    c = Criteria(value_per_m2=D(1000))
    [g] = co_locations([A, B, C], c, factors())
    assert [a.key for a in g.vacate] == ["icb/B", "police/C"]
    assert [(p.a, p.b) for p in g.pairs] == [("cc/A", "icb/B"), ("icb/B", "police/C")]
    assert (g.saving_a_year, g.receipt, g.moving_cost) == (D(35000), D(400000), D(38000))
    assert g.space_moved_m2 == D(380)
    exact = 400_000 - 38_000 + 35_000 * annuity(10)
    assert g.npv == round_half_up(exact, 2) == D("653081.19")
    assert g.reasons == ["police/C: not a freehold (Leasehold), no receipt"]


def test_two_groups_ranked_by_npv() -> None:
    far = 10_000
    d = asset("cc", "D", 350000 + far, 450000, 1000, 40, 5_000)
    e = asset("icb", "E", 350000 + far, 450100, 200, 40, 5_000)
    groups = co_locations([A, B, d, e], Criteria(), factors())
    assert [g.keep.key for g in groups] == ["cc/A", "cc/D"]
    assert [g.rank for g in groups] == [1, 2]
    assert groups[0].npv > groups[1].npv


def test_disposal_candidates_ranked_by_reasons_then_cost() -> None:
    """Costs per m²: A, B, C £50 each; D £40,000 / 100 m² = £400. Median of
    50, 50, 50, 400 = 50, so high is above £75: D has three reasons (condition D, high
    cost, surplus) and ranks first; A, B, C one each (under-used), by running cost."""
    d = Asset(
        "cc",
        "D",
        1,
        gia_m2=D(100),
        utilisation=D(90),
        cost_other=D(40000),
        condition="D",
        surplus=True,
    )
    found, mid = disposals([A, B, C, d], Criteria())
    assert mid == D(50)
    assert [(x.asset.key, len(x.reasons)) for x in found] == [
        ("cc/D", 3),
        ("cc/A", 1),
        ("icb/B", 1),
        ("police/C", 1),
    ]
    assert found[0].reasons == [
        "poor condition (D)",
        "high running cost: £400.00 per m² a year, more than £75.00 (1.5 times the "
        "register's median)",
        "declared surplus",
    ]


def test_disposal_candidates_show_the_need_of_the_areas_within_the_distance(ws, tmp_path) -> None:
    """Two areas side by side, 1,500 m wide each (VALE1 x 349,000-350,500, VALE2
    350,500-352,000). A depot at x 349,100 is 1,400 m from VALE2: only VALE1 is around it.
    One at x 350,100 is 400 m from VALE2: both are, with their deciles."""
    from assets_helpers import add_partners, square, with_squares

    from wholeplace.assets import service

    add_partners(ws, "cc")
    with_squares(
        ws, tmp_path, square("VALE1", 349000, 449000, 1500), square("VALE2", 350500, 449000, 1500)
    )
    (tmp_path / "need.csv").write_text("code,imd_decile\nVALE1,2\nVALE2,7\n", encoding="utf-8")
    service.import_indicator(
        ws, tmp_path / "need.csv", "imd_decile", "imd_decile", source="s", as_of="2019"
    )
    (tmp_path / "cc.csv").write_text(
        "UPRN,AssetCode,GeoX,GeoY,Surplus\n1,FAR,349100,450000,yes\n2,NEAR,350100,450000,yes\n",
        encoding="utf-8",
    )
    service.import_register(ws, tmp_path / "cc.csv", "cc")
    found = service.opportunities(ws, Criteria(), factors(), "green_book")
    around = {d.asset.ref: d.around for d in found.disposals}
    assert around == {
        "FAR": {"VALE1": {"imd_decile": D(2)}},
        "NEAR": {"VALE1": {"imd_decile": D(2)}, "VALE2": {"imd_decile": D(7)}},
    }


def test_by_road_with_the_travel_times_given() -> None:
    """By road A-C is 8 minutes (1,000 m apart in a straight line), A-B 30: within 10
    minutes only A and C pair. Keep A, vacate C (leasehold, no receipt): saving £15,000;
    moved 300 x 60% = 180 m², £18,000; NPV = -18,000 + 15,000 x 8.3166053... = £106,749.08.
    A pair with no time given is not close, whatever its distance (A-B is 500 m)."""
    minutes = {("cc/A", "police/C"): D(8), ("icb/B", "cc/A"): D(30)}
    c = Criteria(within_minutes=D(10))
    [g] = co_locations([A, B, C], c, factors(), minutes)
    assert (g.keep.key, [a.key for a in g.vacate]) == ("cc/A", ["police/C"])
    assert g.pairs[0].minutes == D(8) and g.pairs[0].distance_m is None
    assert g.npv == round_half_up(-18_000 + 15_000 * annuity(10), 2) == D("106749.08")
    assert co_locations([A, B, C], c, factors(), {}) == []


def test_cli_travel_times(ws, tmp_path) -> None:
    import json

    from assets_helpers import add_partners
    from typer.testing import CliRunner

    from wholeplace.assets import service
    from wholeplace.cli import app

    add_partners(ws, "cc", "police")
    (tmp_path / "cc.csv").write_text(
        "UPRN,AssetCode,GeoX,GeoY,BuildingSize,Running cost,Utilisation,TenureType\n"
        '1,A,350000,450000,1000,"50,000",40,Freehold\n',
        encoding="utf-8",
    )
    (tmp_path / "police.csv").write_text(
        "UPRN,AssetCode,GeoX,GeoY,BuildingSize,Running cost,Utilisation,TenureType\n"
        '3,C,350600,450800,300,"15,000",60,Leasehold\n',
        encoding="utf-8",
    )
    service.import_register(ws, tmp_path / "cc.csv", "cc")
    service.import_register(ws, tmp_path / "police.csv", "police")
    (tmp_path / "t.csv").write_text("from,to,minutes\ncc/A,police/C,8\n", encoding="utf-8")
    folder = str(ws.path)
    ws.close()
    base = ["assets", "opportunities", "-w", folder, "--json"]
    run = CliRunner().invoke(
        app, [*base, "--travel-times", str(tmp_path / "t.csv"), "--within-minutes", "10"]
    )
    assert run.exit_code == 0, run.output
    out = json.loads(run.stdout)
    assert out["co_locations"][0]["npv"] == "106749.08"
    assert out["co_locations"][0]["pairs"][0]["minutes"] == "8"
    assert "10 minutes by road" in out["summary"]
    run = CliRunner().invoke(app, [*base, "--within-minutes", "10"])
    assert run.exit_code == 2 and "go together" in json.loads(run.stdout)["error"]
