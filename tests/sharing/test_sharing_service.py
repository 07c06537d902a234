"""The sharing services called directly, as a notebook or the web application would, checked
against the hand-worked examples of docs/sharing.md (figures copied from the page, where each
is worked out by hand), and against what the command line prints."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wholeplace import sharing
from wholeplace.commands.sharing import app
from wholeplace.errors import WholeplaceError

DATA = Path(str(resources.files("wholeplace") / "data" / "sharing"))
D = Decimal


def test_pool_service_hand_worked_example():
    # docs/sharing.md, "Worked example: pooled budget": the £150,000 overspend of 2024-25
    # is £20,000 to the host, £80,000 in 600:300:100, £50,000 half and half, then the
    # borough's £3,000 above its £5,000 cap passed on 93,000 : 49,000.
    r = sharing.pool(DATA / "pool_example.yaml")
    assert isinstance(r, sharing.PoolResult)
    first, second = r.years
    assert first.variance == D("150000.00")
    assert {x.partner: x.variance_share for x in first.rows} == {
        "lcc": D("94964.79"),
        "icb": D("50035.21"),
        "bc": D("5000.00"),
    }
    # 2025-26: a £30,000 underspend returned 62:31:7.
    assert {x.partner: x.variance_share for x in second.rows} == {
        "lcc": D("-18600.00"),
        "icb": D("-9300.00"),
        "bc": D("-2100.00"),
    }
    assert r.balanced


def test_gainshare_service_hand_worked_example():
    # Shapley weights 11 : 11 : 8 of the joint net benefit of £200,000; 2025-26's
    # -£200,000 x 11/30 = -£73,333.33..., the odd penny to the council (listed first).
    r = sharing.gainshare(DATA / "gainshare_example.yaml")
    assert isinstance(r, sharing.GainShareResult)
    assert r.joint_net.undiscounted == D("200000.00")
    assert [o.after_by_year[0] for o in r.outcomes] == [
        D("-73333.34"),
        D("-73333.33"),
        D("-53333.33"),
    ]
    # The council's discounted "before": -200,000 - 100,000/1.035 + 20,000/1.035
    # + 40,000/1.035^2 + 40,000/1.035^3.
    assert r.outcome("lcc").before.discounted == D("-203876.55")
    # recover_outlay_first: only 2028-29's £200,000 is shared equally.
    rec = sharing.gainshare(DATA / "gainshare_example.yaml", rule="recover_outlay_first")
    assert [o.after.undiscounted for o in rec.outcomes] == [
        D("66666.67"),
        D("66666.67"),
        D("66666.66"),
    ]


def test_gainshare_service_takes_an_agreement_object():
    from wholeplace.sharing.gain_sharing import load_agreement

    a = load_agreement(DATA / "gainshare_example.yaml", "equal")
    # equal thirds of £200,000: £66,666.68 (two odd pennies over the years), 66.66, 66.66
    assert [o.after.undiscounted for o in sharing.gainshare(a).outcomes] == [
        D("66666.68"),
        D("66666.66"),
        D("66666.66"),
    ]
    with pytest.raises(ValueError):
        sharing.gainshare(a, rule="shapley")


def test_pbr_services_hand_worked_examples():
    run = sharing.pbr_claim(
        DATA / "troubled_families_2012.yaml",
        DATA / "families_example.csv",
        as_of=date(2015, 3, 31),
    )
    assert isinstance(run, sharing.ClaimRun)
    # F001 £700, F002 £1,600, F003 £200, F006 £2,100
    assert {f.family: f.results_amount for f in run.claimable} == {
        "F001": D(700),
        "F002": D(1600),
        "F003": D(200),
        "F006": D(2100),
    }
    assert run.totals()["results_total"] == D(4600)
    fc = sharing.pbr_forecast(DATA / "pbr_forecast_example.yaml")
    assert isinstance(fc, sharing.Forecast)
    central = fc.scenarios["central"]
    # 200 families x (0.4 x £700 + 0.1 x £100 + 0.1 x £800) = £74,000 a year later;
    # 200 x 80 % of £4,000 = £640,000 of attachment fees in the first year.
    assert central[0].attachment_income == D(640000)
    assert [y.results_income for y in central] == [D(0), D(74000), D(148000), D(111000)]


def test_recharges_service_hand_worked_example():
    rc = sharing.recharges(DATA / "staff_example.csv", actuals=DATA / "staff_actuals_example.csv")
    assert isinstance(rc, sharing.RechargeResult)
    icb = rc.by_partner()["icb"]
    # £4,500.00 (S1) + £7,500.01 (S2) in Q1; £4,500.00 + £7,500.00 in Q4
    assert (icb["Q1"], icb["Q4"]) == (D("12000.01"), D("12000.00"))
    assert rc.reconciliation()["shared_cost"] == D("140000.03")


CLI = {
    "pool": (["pool", str(DATA / "pool_example.yaml")], lambda: sharing.pool(
        DATA / "pool_example.yaml"
    )),
    "gainshare": (
        ["gainshare", str(DATA / "gainshare_example.yaml"), "--rule", "equal"],
        lambda: sharing.gainshare(DATA / "gainshare_example.yaml", rule="equal"),
    ),
    "claim": (
        [
            "pbr",
            "claim",
            str(DATA / "troubled_families_2012.yaml"),
            str(DATA / "families_example.csv"),
            "--as-of",
            "2015-03-31",
        ],
        lambda: sharing.pbr_claim(
            DATA / "troubled_families_2012.yaml",
            DATA / "families_example.csv",
            as_of=date(2015, 3, 31),
        ),
    ),
    "forecast": (
        ["pbr", "forecast", str(DATA / "pbr_forecast_example.yaml")],
        lambda: sharing.pbr_forecast(DATA / "pbr_forecast_example.yaml"),
    ),
    "recharges": (
        ["recharges", str(DATA / "staff_example.csv"), "--year", "2025-26"],
        lambda: sharing.recharges(DATA / "staff_example.csv", year="2025-26"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", CLI)
def test_to_json_is_what_the_command_prints(name):
    from wholeplace.commands.common import _default

    args, call = CLI[name]
    res = CliRunner().invoke(app, [*args, "--json"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    mine = json.loads(json.dumps(call().to_json(), default=_default))
    assert mine == json.loads(res.stdout)


def test_write_report_by_suffix(tmp_path):
    r = sharing.pool(DATA / "pool_example.yaml")
    assert sharing.write_report(r, tmp_path / "pool.html").read_text(encoding="utf-8")
    assert sharing.write_report(r, tmp_path / "pool.XLSX").stat().st_size > 0
    with pytest.raises(WholeplaceError):
        sharing.write_report(r, tmp_path / "pool.docx")
    assert not (tmp_path / "pool.docx").exists()


def test_public_names():
    for name in sharing.__all__:
        assert getattr(sharing, name) is not None
    assert callable(sharing.pool) and callable(sharing.gainshare) and callable(sharing.recharges)
