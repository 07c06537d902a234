"""docs/cba.md: the worked example's numbers are recomputed here, two ways."""

from __future__ import annotations

import csv
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import yaml

from wholeplace.cba import model
from wholeplace.cba.unitcosts import curated_book

D = Decimal
DOC = Path(__file__).resolve().parents[2] / "docs" / "cba.md"
DATA = Path(model.__file__).parent.parent / "data" / "cba"


def _between(text: str, name: str) -> str:
    m = re.search(rf"<!-- {name}:begin -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert m, f"{name} block missing from docs/cba.md"
    return m.group(1)


def _table(block: str) -> list[list[str]]:
    rows = [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in block.splitlines()
        if line.startswith("|")
    ]
    return [r for r in rows[1:] if not set("".join(r)) <= set("-")]


def _penny(x: Fraction) -> Decimal:
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _worked(tmp_path: Path) -> tuple[dict, model.Result]:
    text = DOC.read_text(encoding="utf-8")
    block = _between(text, "worked-example")
    src = block.split("```yaml\n", 1)[1].rsplit("```", 1)[0]
    p = tmp_path / "worked.yaml"
    p.write_text(src)
    return yaml.safe_load(src), model.compute(model.load_appraisal(p, curated_book()))


def test_doc_results_table_matches_the_model(tmp_path: Path) -> None:
    _, result = _worked(tmp_path)
    j = result.to_json()
    text = DOC.read_text(encoding="utf-8")
    table = dict(_table(_between(text, "worked-example-results")))
    assert set(table) == set(j) - {"by_agency", "by_year", "discount", "warnings"}
    assert j["warnings"] == []
    for key, written in table.items():
        assert str(j[key]) == written, key
    agencies = _table(_between(text, "worked-example-agencies"))
    assert {r[0] for r in agencies} == set(j["by_agency"])
    for name, *vals in agencies:
        row = j["by_agency"][name]
        got = [str(row[k]) for k in ("pv_costs", "pv_fiscal", "pv_fiscal_cashable", "net_position")]
        assert got == vals, name


def test_doc_numbers_recomputed_independently(tmp_path: Path) -> None:
    """Recompute the worked example from its YAML with fractions, apart from the model."""
    raw, _ = _worked(tmp_path)
    text = DOC.read_text(encoding="utf-8")
    table = dict(_table(_between(text, "worked-example-results")))
    idx: dict[str, Fraction] = {}
    prev = None
    for r in csv.DictReader((DATA / "gdp_deflators.csv").open()):
        prev = Fraction(100) if prev is None else prev * (1 + Fraction(r["pct_change"]) / 100)
        idx[r["year"]] = prev
    units = {r["code"]: r for r in csv.DictReader((DATA / "unit_costs.csv").open())}
    a = raw["appraisal"]
    n = a["years"]
    r = Fraction(str(a["discount_rate"]))
    bias = [
        Fraction(0),
        Fraction(5, 100),
        Fraction(10, 100),
        Fraction(15, 100),
        Fraction(25, 100),
        Fraction(40, 100),
    ]
    df = [1 / (1 + r) ** t for t in range(n)]
    pv_costs = sum(
        Fraction(str(x)) * (1 + bias[c["confidence"] - 1]) * df[t]
        for c in raw["costs"]
        for t, x in enumerate(c["amounts"])
    )
    pv = {
        "fiscal": Fraction(0),
        "cash": Fraction(0),
        "transfer": Fraction(0),
        "economic": Fraction(0),
        "social": Fraction(0),
    }
    by_year_fiscal = [Fraction(0)] * n
    for o in raw["outcomes"]:
        if "unit_cost" in o:
            u = units[o["unit_cost"]]
            value = _penny(
                Fraction(u["fiscal_value"]) * idx[a["price_year"]] / idx[u["fiscal_year"]]
            )
            kind = "fiscal"
        else:
            value = Decimal(str(o["value"]))
            kind = o["value_type"]
        rate = (
            Fraction(str(o.get("engagement", 1)))
            * Fraction(str(o["success"]))
            * (1 - Fraction(str(o.get("deadweight", 0))))
        )
        keep = 1 - bias[o["confidence"] - 1]
        for t, people in enumerate(o["cohort"]):
            for k, share in enumerate(o.get("persistence", [1])):
                if t + k >= n:
                    continue
                b = Fraction(people) * rate * Fraction(value) * Fraction(str(share)) * keep
                pv[kind] += b * df[t + k]
                if kind == "fiscal":
                    by_year_fiscal[t + k] += b * df[t + k]
                    pv["cash"] += b * Fraction(str(o.get("cashable", 0))) * df[t + k]
                    if o.get("transfer"):
                        pv["transfer"] += b * df[t + k]
    public = pv["fiscal"] - pv["transfer"] + pv["economic"] + pv["social"]
    assert str(_penny(pv_costs)) == table["pv_costs"]
    assert str(_penny(pv["fiscal"])) == table["pv_fiscal"]
    assert str(_penny(pv["cash"])) == table["pv_fiscal_cashable"]
    assert str(_penny(pv["social"])) == table["pv_social"]
    assert str(_penny(pv["fiscal"] - pv_costs)) == table["net_present_budget_impact"]
    assert str(_penny(public - pv_costs)) == table["net_present_public_value"]
    assert str(_penny(pv["fiscal"] / pv_costs)) == table["financial_roi"]
    assert str(_penny(public / pv_costs)) == table["public_value_roi"]
    # the step-by-step prose: the uprated unit value and the payback year
    assert "**£9,724.61**" in text
    cum_c = [
        sum(
            Fraction(str(c["amounts"][t])) * (1 + bias[c["confidence"] - 1]) * df[t]
            for c in raw["costs"]
        )
        for t in range(n)
    ]
    # payback: the first year after which the cumulative position stays >= 0 to the end
    cc = cf = Fraction(0)
    position = []
    for t in range(n):
        cc += cum_c[t]
        cf += by_year_fiscal[t]
        position.append(cf - cc)
    payback = next(t for t in range(n) if all(p >= 0 for p in position[t:]))
    assert payback == 1 and table["payback_year"] == "2016/17"
    # undiscounted: 157,500 against 143,034.384 after year 0 (140,034.384 + 3,000); after
    # year 1, 210,000 against 143,034.384 + 70,017.192 + 3,000 = 216,051.576; nothing after
    assert table["payback_year_undiscounted"] == "2016/17"
    assert "216,051.58" in text


def _yaml_block(text: str, name: str) -> str:
    return _between(text, name).split("```yaml\n", 1)[1].split("```", 1)[0]


def test_parameters_example_figures(tmp_path: Path) -> None:
    """docs/cba.md, Parameters: the schedule's factors and PV, recomputed by hand."""
    from fractions import Fraction as F

    from typer.testing import CliRunner

    from wholeplace.cli import app

    text = DOC.read_text(encoding="utf-8")
    block = _between(text, "parameters-example")
    src = _yaml_block(text, "parameters-example")
    f = tmp_path / "long-lived.yaml"
    f.write_text(src, encoding="utf-8")
    j = model.compute(model.load_appraisal(f, curated_book())).to_json()
    hand = {
        30: 1 / F("1.035") ** 30,
        31: 1 / (F("1.035") ** 30 * F("1.03")),
        32: 1 / (F("1.035") ** 30 * F("1.03") ** 2),
    }
    rows = _table(block)
    assert [int(r[0]) for r in rows] == [30, 31, 32]
    for year, _rate, written in rows:
        shown = Decimal(written.rsplit("= ", 1)[1])
        exact = hand[int(year)]
        assert shown == (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal("0.000001"), rounding=ROUND_HALF_UP
        )
        assert j["by_year"][int(year)]["discount_factor"] == shown
    assert j["pv_costs"] == _penny(1000 * hand[31] + 1000 * hand[32]) == Decimal("681.73")
    assert "**£681.73**" in block
    flat = 1000 / F("1.035") ** 31 + 1000 / F("1.035") ** 32
    assert f"£{_penny(flat)})" in block

    # the override, set through the command line in a place, as the docs show it
    over = _between(text, "parameters-override")
    (tmp_path / "own-rates.yaml").write_text(_yaml_block(text, "parameters-override"), "utf-8")
    runner = CliRunner()
    place = tmp_path / "myplace"
    assert runner.invoke(app, ["init", str(place), "--name", "P"]).exit_code == 0
    res = runner.invoke(
        app,
        ["parameters", "set", "discount_rate.green_book", str(tmp_path / "own-rates.yaml"),
         "-w", str(place)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["cba", "run", str(f), "-w", str(place), "--json"])
    got = json.loads(res.stdout)
    own31 = 1 / (F("1.04") ** 30 * F("1.035"))
    own32 = own31 / F("1.035")
    assert Decimal(got["pv_costs"]) == _penny(1000 * own31 + 1000 * own32) == Decimal("585.71")
    assert f"**£{got['pv_costs']}**" in over and f"PV costs £{got['pv_costs']}" in over
    for name, v in (("31's factor", own31), ("32's", own32)):
        q = (Decimal(v.numerator) / Decimal(v.denominator)).quantize(
            Decimal("0.000001"), rounding=ROUND_HALF_UP
        )
        assert f"{q}" in over, name


def test_simulate_example_explains_the_six_percent() -> None:
    """docs/cba.md: the shipped example's simulated PV costs against its point estimate."""
    from fractions import Fraction as F

    from wholeplace.cba.montecarlo import simulate

    text = DOC.read_text(encoding="utf-8")
    m = re.search(r"<!-- simulate-example: ([\d.]+) ([\d.]+) ([\d.]+) -->", text)
    assert m
    line_pv, mean, point = (Decimal(x) for x in m.groups())
    raw = yaml.safe_load((DATA / "example_appraisal.yaml").read_text(encoding="utf-8"))
    worker = raw["costs"][0]
    assert worker["uncertainty"] == {"dist": "triangular", "low": 0.9, "mode": 1.0, "high": 1.3}
    pv = sum(F(str(a)) * F(105, 100) / F("1.035") ** t for t, a in enumerate(worker["amounts"]))
    assert _penny(pv) == line_pv
    app = model.load_appraisal(DATA / "example_appraisal.yaml", curated_book())
    exact = model.compute(app).to_json()["pv_costs"]
    assert exact == point
    # the triangular's mean is (0.9 + 1.0 + 1.3) / 3 = 1 + 1/15
    assert _penny(F(point) + pv / 15) == mean
    for figure in (line_pv, mean, point):
        assert f"£{figure:,}" in text
    got = simulate(app, 10_000, 2015).outputs["pv_costs"].mean()
    # standard error: sqrt(0.13 / 18) x 548,042 / 100 = 466; allow four
    assert abs(got - float(mean)) < 4 * 466
    assert "5.7 %" in text and round(float(pv / 15 / F(point)) * 100, 1) == 5.7


# -- issue 10: transfers, units, current prices, agencies (docs/cba.md) ---------------------


def test_transfers_example_matches_the_model_and_the_hand_sums(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    block = _between(text, "transfers-example")
    src = block.split("```yaml\n", 1)[1].split("```", 1)[0]
    j = model.compute(model.loads_appraisal(src, "t.yaml", curated_book())).to_json()
    tables = block.split("| agency |")
    results = dict(_table(tables[0]))
    for key, written in results.items():
        assert str(j[key]) == written, key
    for name, *vals in _table("| agency |" + tables[1]):
        row = j["by_agency"][name]
        assert [str(row[k]) for k in ("pv_costs", "pv_fiscal", "net_position")] == vals, name
    assert set(j["by_agency"]) == {"DWP", "Local Authority", "NHS"}
    # by hand: 10 x (9,800 - 9,234 + 14,044) - 100,000; ROI 146,100 / 100,000
    assert D(results["net_present_public_value"]) == 10 * (9800 - 9234 + 14044) - 100000
    flat = " ".join(block.split()) + " ".join(text.split())
    # the old figures: (98,000 + 140,440) / 100,000 and, with transfer: true, 140,440 / 100,000
    assert "net present public value £138,440.00, public value ROI 2.38" in flat
    assert round(Fraction(98000 + 140440, 100000), 2) == Fraction(238, 100)
    assert "(public value ROI 1.40)" in flat
    assert round(Fraction(140440, 100000), 2) == Fraction(140, 100)


def test_units_and_current_prices_examples(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    units = _between(text, "units-example")
    week = units.split("**£")[1].split("**")[0]
    year = units.split("**£")[2].split("**")[0]
    assert (week, year) == ("72.40", f"{D('72.40') * 52:,}")
    current = _between(text, "current-prices-example")
    idx = (
        100
        * (1 + Fraction("2.3746660769686345") / 100)
        * (1 + Fraction("2.3859678173042687") / 100)
    )
    assert f"{float(idx):.4f}" in current
    value = _penny(9234 * idx / Fraction("74.4335"))
    assert f"**£{value:,}**" in current


def test_stated_public_values_table_is_what_the_importer_finds(reference: Path) -> None:
    from wholeplace.cba import unitcosts as uc
    from wholeplace.cba.unitcost_use import public_value

    rows = _table(_between(DOC.read_text(encoding="utf-8"), "stated-public-values"))
    book = uc.read_workbook(reference / "unit-cost-database" / "unit-cost-database-v1.4.xlsx")
    found = {e.code: e for e in book.entries if e.stated_public_value is not None}
    assert sorted(r[0] for r in rows) == sorted(found)
    for code, _transfer, stated, year, computed, where in rows:
        e = found[code]
        assert e.stated_public_value is not None
        assert f"{e.stated_public_value.amount:,}" == stated and e.stated_public_value.year == year
        assert e.stated_public_value.where == where
        pv = public_value(e, year, book.deflators).total
        assert f"{pv.quantize(D(1), rounding=ROUND_HALF_UP):,}" == computed


def test_agency_partner_types_table_is_the_code() -> None:
    from wholeplace.cba.agencies import PARTNER_TYPES

    rows = _table(_between(DOC.read_text(encoding="utf-8"), "agency-partner-types"))
    assert {a: tuple(t.split(", ")) for a, t in rows} == PARTNER_TYPES
