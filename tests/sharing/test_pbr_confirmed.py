"""Issue 10: the Troubled Families scheme says what the sources confirm; every claim,
forecast and report that uses an unconfirmed figure says so; the funding basis (estimated
families, five in six funded, attachment fees on the allocation) is worked out by hand here.

What is confirmed is taken from the project's reference excerpts (troubled-families-2012/
EXCERPTS.md, its status table), read here, not from the scheme file under test."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from wholeplace import sharing
from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.money import fmt_gbp
from wholeplace.sharing.pbr import load_forecast, load_scheme, parse_scheme

D = Decimal
DATA = Path(str(resources.files("wholeplace") / "data" / "sharing"))
SCHEME = DATA / "troubled_families_2012.yaml"
FAMILIES = DATA / "families_example.csv"
DOC = Path(__file__).resolve().parents[2] / "docs" / "sharing.md"
AS_OF = date(2015, 3, 31)


def status_table(reference: Path) -> dict[str, str]:
    """The excerpts' "Status of the figures asked for" table: item -> status."""
    text = (reference / "troubled-families-2012" / "EXCERPTS.md").read_text(encoding="utf-8")
    table = text.split("## Status of the figures asked for")[1]
    rows = [ln.strip("|").split("|") for ln in table.strip().splitlines()[2:] if ln.startswith("|")]
    return {r[0].strip(): r[1].strip() for r in rows}


def test_the_scheme_marks_exactly_what_the_sources_do_not_confirm(reference: Path) -> None:
    status = status_table(reference)
    # The sources: the year totals and the year-1 amounts are confirmed; the year-2 and
    # year-3 single results are not (employment "not seen stated", the others "not found").
    assert status["Results (PbR) share £800 / £1,600 / £2,400"].startswith("confirmed")
    assert status["Continuous employment £800 in 2012-13"].startswith("confirmed")
    assert (
        "not seen stated" in status["Continuous employment £1,600 (2013-14) and £2,400 (2014-15)"]
    )
    key = "Crime/ASB/education and progress-to-work amounts in 2013-14 and 2014-15"
    assert "not found" in status[key]
    tf = load_scheme(SCHEME)
    unconfirmed = {(r, y) for r, y, _, _ in tf.unconfirmed_figures()}
    results = ("education_crime_asb", "progress_to_work", "continuous_employment")
    assert unconfirmed == {(r, y) for r in results for y in ("2013/14", "2014/15")}
    # every year's results add up to the confirmed total: £4,000 less the attachment fee
    for y, total in (("2012/13", 800), ("2013/14", 1600), ("2014/15", 2400)):
        assert tf.max_payment - tf.attachment_fee(y) == total
        pay = {r.id: r.payment[y] for r in tf.results}
        assert pay["education_crime_asb"] + pay["progress_to_work"] == total
        assert pay["continuous_employment"] == total
    fb = tf.funding
    assert fb is not None and fb.funded_share == Fraction(5, 6) and fb.funded_share_stated.confirmed
    assert fb.attachment_paid_on == "allocation"
    assert not fb.allocation_stated.confirmed and "slide deck" in fb.allocation_stated.note


def test_a_claim_marks_what_rests_on_unconfirmed_figures() -> None:
    run = sharing.pbr_claim(SCHEME, FAMILIES, as_of=AS_OF)
    d = json.loads(json.dumps(run.to_json(), default=str))
    status = {(c["family_id"], r["result"]): r["status"] for c in d["claims"] for r in c["results"]}
    assert status == {
        ("F001", "education_crime_asb"): "confirmed",  # 2012/13
        ("F002", "continuous_employment"): "unconfirmed",  # 2013/14
        ("F003", "progress_to_work"): "unconfirmed",  # 2013/14
        ("F006", "education_crime_asb"): "unconfirmed",  # 2014/15
    }
    # £1,600 + £200 + £2,100 of the £4,600 claimed
    assert d["totals"]["unconfirmed_total"] == "3900.00"
    assert d["totals"]["results_total"] == "4600.00"
    assert "attachment_fees" not in d["totals"]  # paid on the allocation, not per family
    assert "allocation" in d["attachment_fee_basis"]
    assert [(u["result"], u["year"], u["families"]) for u in d["unconfirmed"]] == [
        ("continuous_employment", "2013/14", ["F002"]),
        ("progress_to_work", "2013/14", ["F003"]),
        ("education_crime_asb", "2014/15", ["F006"]),
    ]
    text = DOC.read_text(encoding="utf-8")
    assert f"of which **{fmt_gbp(run.totals()['unconfirmed_total'])}** rests on unconfirmed" in text


def test_cli_and_reports_say_unconfirmed(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        ["sharing", "pbr", "claim", str(SCHEME), str(FAMILIES), "--as-of", "2015-03-31"]
        + ["--out", str(tmp_path / "claim.html")],
    )
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    assert "Of which £3,900.00 rests on payments the published sources do not confirm" in flat
    assert res.output.count("unconfirmed") >= 4
    html = (tmp_path / "claim.html").read_text(encoding="utf-8")
    assert "Figures not confirmed" in html and html.count(">unconfirmed<") == 3
    run = sharing.pbr_claim(SCHEME, FAMILIES, as_of=AS_OF)
    sharing.write_report(run, tmp_path / "claim.xlsx")
    book = openpyxl.load_workbook(tmp_path / "claim.xlsx")
    cells = [c for ws in book for row in ws.iter_rows(values_only=True) for c in row]
    assert cells.count("unconfirmed") == 3 and "Figures not confirmed" in cells


def test_a_forecast_marks_its_unconfirmed_income() -> None:
    fc = load_forecast(DATA / "pbr_forecast_example.yaml")
    central = {y.year: y for y in fc.scenarios["central"]}
    # results come a year after attachment: 2012/13 families (confirmed) pay in 2013/14,
    # 2013/14 families (unconfirmed) in 2014/15, 2014/15 families in 2015/16
    assert central["2013/14"].results_unconfirmed == 0
    assert central["2014/15"].results_unconfirmed == central["2014/15"].results_income
    assert central["2014/15"].results_income == 200 * (
        D("0.4") * 1400 + D("0.1") * 200 + D("0.1") * 1600
    )  # £148,000
    assert central["2015/16"].results_unconfirmed == 100 * (
        D("0.4") * 2100 + D("0.1") * 300 + D("0.1") * 2400
    )  # £111,000
    assert any("not confirmed" in w for w in fc.warnings)
    text = DOC.read_text(encoding="utf-8")
    assert f"2014/15 (**{fmt_gbp(central['2014/15'].results_unconfirmed)}**)" in text
    assert f"2015/16 (**{fmt_gbp(central['2015/16'].results_unconfirmed)}**)" in text


def doc_funding_table() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(
        r"<!-- example-pbr-funding:begin -->\n(.*?)<!-- example-pbr-funding:end -->", text, re.S
    )
    assert m
    lines = m.group(1).strip().splitlines()[2:]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]


def test_funding_basis_by_hand(tmp_path: Path) -> None:
    f = sharing.pbr_funding(SCHEME, 600)
    # 600 x 5/6 = 500 funded families, at most 500 x £4,000
    assert f.funded_families == 500 and f.max_funding == D("2000000.00")
    # a third a year: 500/3 x £3,200 = £533,333.33; x £2,400 = £400,000; x £1,600 = £266,666.67
    by_hand = {
        "2012/13": (D("533333.33"), D("133333.33")),  # results: 500/3 x £800
        "2013/14": (D("400000.00"), D("266666.67")),  # 500/3 x £1,600
        "2014/15": (D("266666.67"), D("400000.00")),  # 500/3 x £2,400
    }
    assert {y.year: (y.attachment_fees, y.results_available) for y in f.years} == by_hand
    assert all(y.unconfirmed for y in f.years)  # the thirds are unconfirmed
    assert doc_funding_table() == [
        [y.year, "166.67", fmt_gbp(y.attachment_fees), fmt_gbp(y.results_available), "unconfirmed"]
        for y in f.years
    ]
    own = sharing.pbr_funding(
        SCHEME, 600, allocation={"2012-13": Fraction(1, 2), "2013/14": Fraction(1, 2)}
    )
    assert [(y.year, y.attachment_fees, y.unconfirmed) for y in own.years] == [
        ("2012/13", D("800000.00"), []),  # 250 x £3,200
        ("2013/14", D("600000.00"), []),  # 250 x £2,400
        ("2014/15", D("0.00"), []),
    ]
    res = CliRunner().invoke(
        app, ["sharing", "pbr", "funding", str(SCHEME), "--estimated-families", "600", "--json"]
    )
    assert res.exit_code == 0, res.output
    out = tmp_path / "funding.html"
    html_run = CliRunner().invoke(
        app,
        [
            "sharing",
            "pbr",
            "funding",
            str(SCHEME),
            "--estimated-families",
            "600",
            "--out",
            str(out),
        ],
    )
    assert html_run.exit_code == 0, html_run.output
    page = out.read_text(encoding="utf-8")
    assert page.count(">unconfirmed<") == 3 and "slide deck" in page
    d = json.loads(res.output)
    assert (d["funded_families"], d["attachment_fees"], d["results_available"]) == (
        "500.00",
        "1200000.00",
        "800000.00",
    )
    assert d["years"][0]["status"] == "unconfirmed"


def test_bad_allocations_and_statuses_are_refused() -> None:
    with pytest.raises(InputError):
        sharing.pbr_funding(
            SCHEME, 600, allocation={"2012/13": Fraction(2, 3), "2013/14": Fraction(2, 3)}
        )
    res = CliRunner().invoke(
        app,
        ["sharing", "pbr", "funding", str(SCHEME), "--estimated-families", "600"]
        + ["--allocation", "2012/13=lots"],
    )
    assert res.exit_code == 2 and "Traceback" not in res.output
    raw = {
        "source": "test",
        "max_payment": 100,
        "programme_years": ["2012-13"],
        "attachment_fee_share": {"2012-13": "50%"},
        "results": [
            {
                "id": "r",
                "payment": {"2012-13": {"amount": 50, "status": "unconfirmed"}},
                "any_of": [{"measure": "m", "test": "recorded_within_months", "months": 6}],
            }
        ],
    }
    with pytest.raises(InputError) as e:
        parse_scheme(raw)
    assert "must say why" in e.value.problems[0].message
    raw["results"][0]["payment"]["2012-13"]["status"] = "maybe"
    with pytest.raises(InputError) as e:
        parse_scheme(raw)
    assert "confirmed or unconfirmed" in e.value.problems[0].fix
