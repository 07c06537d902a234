"""An appraisal piped into gain-share: the two agree (issue 10, "cost-benefit into gain-share").

``wholeplace cba run FILE --json`` carries each agency's flows by year (costs, fiscal benefits
and their cashable part) and the discounting; ``wholeplace sharing gainshare`` reads them, so
the joint net present value of the agreement is the appraisal's net present budget impact.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from typer.testing import CliRunner

from wholeplace.cli import app

runner = CliRunner()
D = Decimal
DATA = Path(__file__).resolve().parents[2] / "src" / "wholeplace" / "data"
EXAMPLE = DATA / "cba" / "example_appraisal.yaml"


def penny(x: Fraction) -> Decimal:
    return (D(x.numerator) / D(x.denominator)).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def pipe(tmp_path: Path, appraisal: Path, *rule: str) -> tuple[dict, dict]:
    res = runner.invoke(app, ["cba", "run", str(appraisal), "--json", "-w", str(tmp_path)])
    assert res.exit_code == 0, res.output
    cba = tmp_path / "cba.json"
    cba.write_text(res.stdout, encoding="utf-8")
    res = runner.invoke(app, ["sharing", "gainshare", str(cba), *rule, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(cba.read_text()), json.loads(res.stdout)


def test_shipped_example_agrees_on_the_joint_net_present_value(tmp_path: Path) -> None:
    cba, share = pipe(tmp_path, EXAMPLE, "--rule", "equal")
    # The appraisal: PV fiscal 819,739.35 - PV costs 635,537.63 = 184,201.72, a return of
    # £1.29 per £1. Gain-share used to see cashable present values only, undiscounted:
    # 273,285.32 - 635,537.63 = -362,252.31, "does not pay back".
    assert cba["net_present_budget_impact"] == "184201.72"
    assert D("819739.35") - D("635537.63") == D("184201.72")
    assert share["joint_net"]["discounted"] == cba["net_present_budget_impact"]
    assert share["years"] == ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20"]
    assert share["discount"] == {"name": "flat", "bands": [{"from_year": 0, "rate": "0.035"}]}
    # By hand from the flows the appraisal printed: each year's fiscal benefits less costs,
    # over every agency, discounted at 3.5 % from year 0.
    joint = [Fraction(0)] * 5
    for row in cba["by_agency"].values():
        for t in range(5):
            joint[t] += Fraction(row["by_year"]["fiscal"][t]) - Fraction(row["by_year"]["costs"][t])
    assert penny(sum(j / Fraction("1.035") ** t for t, j in enumerate(joint))) == D("184201.72")
    assert penny(sum(joint)) == D(share["joint_net"]["undiscounted"]) == D("204308.14")
    assert not any("does not pay back" in w for w in share["warnings"])
    # cashable benefits are said apart; DWP's half of its fiscal savings
    dwp = next(p for p in share["partners"] if p["id"] == "DWP")
    assert dwp["benefit"] == "378092.85" and dwp["cashable_benefit"] == "189046.42"
    assert sum(D(x) for x in cba["by_agency"]["DWP"]["by_year"]["fiscal_cashable"]) == D(
        "189046.42"
    )
    assert any("DWP pays more than its cashable savings" in w for w in share["warnings"])


def test_green_book_schedule_is_carried_into_the_agreement(tmp_path: Path) -> None:
    # 33 years with the Green Book schedule: the council pays £1,000 in year 31, the NHS saves
    # £3,000 in year 32. Joint NPV = -1,000 / (1.035^30 x 1.03) + 3,000 / (1.035^30 x 1.03^2)
    costs = [0] * 33
    costs[31] = 1000
    cohort = [0] * 33
    cohort[32] = 1
    f = tmp_path / "long.yaml"
    f.write_text(
        "appraisal: {name: L, price_year: 2015/16, start_year: 2015/16, years: 33,"
        " discount_rate: green_book}\n"
        f"costs:\n  - {{description: c, agency: Council, type: capital, confidence: 1,"
        f" amounts: {costs}}}\n"
        f"outcomes:\n  - {{description: o, value: 3000, value_type: fiscal, agency: NHS,"
        f" cohort: {cohort}, success: 1, confidence: 1}}\n",
        encoding="utf-8",
    )
    cba, share = pipe(tmp_path, f, "--rule", "equal")
    y31 = 1 / (Fraction("1.035") ** 30 * Fraction("1.03"))
    y32 = y31 / Fraction("1.03")
    npv = penny(-1000 * y31 + 3000 * y32)
    assert npv == D("661.58")
    assert D(cba["net_present_budget_impact"]) == npv
    assert D(share["joint_net"]["discounted"]) == npv
    assert share["discount"]["name"] == "green_book"
    assert [b["from_year"] for b in share["discount"]["bands"]] == [0, 31, 76]


def test_flows_by_year_without_present_values_are_read(tmp_path: Path) -> None:
    # by_agency.AGENCY.by_year alone: the DWP gains 100 + 200, the council pays 250 + 0
    doc = {
        "by_year": [{"year": "2015/16"}, {"year": "2016/17"}],
        "by_agency": {
            "DWP": {"by_year": {"costs": ["0", "0"], "fiscal": ["100", "200"]}},
            "LA": {"by_year": {"costs": ["250", "0"], "fiscal": ["0", "0"]}},
        },
    }
    f = tmp_path / "flows.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    res = runner.invoke(app, ["sharing", "gainshare", str(f), "--rule", "equal", "--json"])
    assert res.exit_code == 0, res.output
    got = {
        p["id"]: (D(p["investment"]), D(p["benefit"])) for p in json.loads(res.stdout)["partners"]
    }
    assert got == {"DWP": (D("0"), D("300")), "LA": (D("250"), D("0"))}


def test_an_entry_with_no_flows_is_refused_not_counted_as_zero(tmp_path: Path) -> None:
    doc = {"by_agency": {"DWP": {"benefit": ["100"]}, "LA": {"costs": ["50"]}}}
    f = tmp_path / "flows.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    res = runner.invoke(app, ["sharing", "gainshare", str(f), "--rule", "equal", "--json"])
    assert res.exit_code == 2, res.output
    found = json.loads(res.stdout)["problems"]
    assert [p["message"] for p in found] == ["has no costs, benefits or cashable by year"]
    assert "DWP" in json.dumps(found[0])
