"""The demo place's outcomes (data/demo/outcomes, illustrative), figures by hand."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

from wholeplace.areas import import_areas
from wholeplace.demo import demo_data
from wholeplace.outcome_values import unit_cost_proxies
from wholeplace.outcomes import service
from wholeplace.partners import import_partners
from wholeplace.workspace import Workspace


def test_demo_outcomes(tmp_path: Path) -> None:
    demo = demo_data()
    ws = Workspace.create(tmp_path / "demo", "Lancashire", population=1_515_487)
    try:
        import_partners(ws, demo.folder / "partners.csv")
        import_areas(ws, demo.folder / "areas.csv")
        reports = tmp_path / "reports"
        reports.mkdir()
        files, sentence = service.demo(ws, demo.folder / "outcomes", reports, unit_cost_proxies(ws))
        assert [f.name for f in files] == ["outcomes.html", "outcomes-public.html"]
        r = service.report(ws, public=True, proxies=unit_cost_proxies(ws))
        inside = service.report(ws, proxies=unit_cost_proxies(ws))
    finally:
        ws.close()
    status = {row.indicator.id: row.status for row in r.rows}
    # each latest value is better than its baseline and short of its target, by hand:
    # 6210 < 6400, > 6000; 0.058 < 0.062, > 0.05; 2.9 < 3.2, > 2.8; 0.88 in (0.7, 0.9);
    # 0.66 in (0.6, 0.7); families supported has no target
    assert status == {
        "emergency-admissions-65": "amber",
        "neet-16-17": "amber",
        "repeat-domestic-abuse": "amber",
        "families-supported": "no target",
        "plans-on-time": "amber",
        "sustained-progress": "amber",
    }
    assert r.suppressed == 1  # Ribble Valley's 3 of 4
    # areas compared in 2024/25 Q4, lower is better: Blackburn with Darwen 6540, Blackpool 7020
    rows = {row.indicator.id: row for row in r.rows}
    areas = [(o.area, o.value) for o in rows["emergency-admissions-65"].areas]
    assert areas == [("E06000008", 6540), ("E06000009", 7020)]
    assert r.area_names["E06000008"] == "Blackburn with Darwen"
    assert rows["plans-on-time"].areas == ()  # Ribble Valley's small number, suppressed
    inside_rows = {row.indicator.id: row for row in inside.rows}
    assert [o.area for o in inside_rows["plans-on-time"].areas] == ["E07000124"]
    html = (reports / "outcomes-public.html").read_text(encoding="utf-8")
    assert "areas compared, 2024/25 Q4 (best first)" in html
    assert html.index("Blackburn with Darwen</th>") < html.index("Blackpool</th>")
    # residents see the outcomes' three indicators, not the service's measures
    assert r.summary.startswith(
        "3 outcomes, 3 indicators: 0 on target (green), 3 improving but short of target (amber)"
    )
    assert sentence.startswith("Outcomes (illustrative): 3 outcomes, 6 indicators and measures")
    assert r.names(("lcc", "gone")) == ["Lancashire County Council", "gone"]
    [claim] = r.claims
    assert claim.net == F(20)  # (40 - 15) x (1 - 0.2)
    # SROI by hand: A&E 1500 x £152.68 x 0.7 x 0.8 = £128,251.20, then half in year 2;
    # work 120 x £19,315.90 x 0.6 x 0.75 = £1,043,058.60, x 0.8 and x 0.64 after; at 3.5 %.
    d = F("1.035")
    a = F("128251.20")
    b = F("1043058.60")
    pv = a / d + a / 2 / d**2 + b / d + b * F(4, 5) / d**2 + b * F(16, 25) / d**3
    assert r.sroi is not None
    assert r.sroi.total == pv
    assert r.sroi.ratio == pv / 1_200_000
    assert str(r.sroi.ratio_shown) == "2.14"
    assert sentence.endswith("£2.14 of social value for every £1 invested.")
    # the budget, by hand: 3 x 250,000 + 3 x 260,000 + 3 x 270,000 + 3 x 280,000 = 3,180,000;
    # April to November spent 2,080,386.50 against 2,070,000 (10,386.50 over); the outturn adds
    # December to March's 1,110,000: 3,190,386.50
    assert r.budget == []  # not on the residents' page
    [b] = inside.budget
    spent = sum(
        F(x)
        for x in (
            "241350.00", "262480.50", "255100.00", "249875.25",
            "251200.00", "270030.00", "268900.00", "281450.75",
        )
    )  # fmt: skip
    assert spent == F("2080386.50")
    assert (b.budget, b.actual_to_date, b.variance_to_date) == (3180000, spent, F("10386.50"))
    assert b.forecast_outturn == spent + 1110000 == F("3190386.50")
