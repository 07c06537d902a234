"""Sharing reports in the one report layout (issue 12): the answer first, worked by hand; a
partner in the same colour as in the appraisal report; the print and phone styles.

The agreement: the Council invests 100 in year 1, the NHS gains 300 in year 2; the rule
shares each year's joint net benefit equally:

    joint net by year     -100, +300            (together: invest 100, gain 300, net 200)
    each partner's share   -50, +150
    Council before -100, 0 -> after -50, 150: transfers +50, +150 = +200 (receives)
    NHS     before    0, 300 -> after -50, 150: transfers -50, -150 = -200 (pays)
"""

from __future__ import annotations

from pathlib import Path

from wholeplace import sharing
from wholeplace.cba import model
from wholeplace.cba import report as cba_report
from wholeplace.cba.service import analyse
from wholeplace.cba.unitcosts import curated_book
from wholeplace.reports.palette import preferred_colour
from wholeplace.sharing.report import gainshare_report
from wholeplace.sharing.report.html_page import render_html

AGREEMENT = """
name: Test agreement
years: ["2025-26", "2026-27"]
discount_rate: 0
partners:
  council: {name: Council, costs: [100, 0], benefits: [0, 0]}
  nhs: {name: NHS, costs: [0, 0], benefits: [0, 300]}
rule: equal
"""

APPRAISAL = """
appraisal: {name: Small, price_year: 2015/16, start_year: 2015/16, years: 2, discount_rate: 0}
costs:
  - {description: Team, agency: Council, type: revenue, confidence: 1, amounts: [100, 0]}
outcomes:
  - {description: Fewer admissions, value: 300, value_type: fiscal, agency: NHS,
     cohort: [0, 1], success: 1, confidence: 1}
"""


def _gainshare(tmp_path: Path) -> sharing.GainShareResult:
    f = tmp_path / "agreement.yaml"
    f.write_text(AGREEMENT, encoding="utf-8")
    return sharing.gainshare(f)


def test_gainshare_answer_is_worked_from_the_result(tmp_path: Path) -> None:
    report = gainshare_report(_gainshare(tmp_path))
    assert report.answer is not None
    assert report.answer.sentence == (
        "Together the partners invest £100.00 and gain £300.00, a joint net benefit of "
        "£200.00; under the agreement NHS pays Council £200.00 in all."
    )
    page = render_html(report, place="Testshire", sources=[tmp_path / "agreement.yaml"])
    assert page.index('<p class="answer">Together the partners') < page.index("<table")
    assert '<meta name="viewport"' in page and "@media print" in page
    assert "thead { display: table-header-group; }" in page
    assert page.count("<table") == page.count('<div class="table-box" tabindex="0"><table')
    assert "agreement.yaml" in page[page.index("<footer") :]


def test_a_partner_has_one_colour_in_two_reports(tmp_path: Path) -> None:
    """The NHS line of the gain-share chart is the colour of the NHS row of the appraisal."""
    nhs = preferred_colour("NHS")
    report = gainshare_report(_gainshare(tmp_path))
    chart = report.sections[0].figures[0]
    lines = {t.name: t.line.color for t in chart.data}
    assert lines["NHS before"] == lines["NHS after"] == nhs
    gain_page = render_html(report)
    assert f'"color":"{nhs}"' in gain_page

    r = model.compute(model.loads_appraisal(APPRAISAL, "small.yaml", curated_book()))
    cba_page = cba_report.html_text(r, analyse(r, draws=100, seed=1))
    assert f'style="color: {nhs}">&#9632;</span> NHS<' in cba_page
    council = preferred_colour("Council")
    assert council != nhs and lines["Council before"] == council
    assert f'style="color: {council}">&#9632;</span> Council<' in cba_page


def test_pool_answer_names_the_variance_and_each_partners_net_cost() -> None:
    data = Path(sharing.__file__).parent.parent / "data" / "sharing" / "pool_example.yaml"
    report = sharing.report.pool_report(sharing.pool(data))
    assert report.answer is not None
    # pool_example.yaml: budgets 500 + 100 + 300 + 100 = 1,000k and 520 + 100 + 310 + 70 =
    # 1,000k; outturns 1,150,000 + 970,000 = 2,120,000
    assert report.answer.sentence.startswith(
        "Over 2 years the pool spent £2,120,000.00 against budgets of £2,000,000.00, "
        "an overspend of £120,000.00; each partner's net cost: County Council (host) "
    )


def test_one_completion_message_for_every_report(tmp_path: Path) -> None:
    """``Wrote FILE.``, as the spend, framework, objectives and governance commands say."""
    from typer.testing import CliRunner

    from wholeplace.cli import app

    data = Path(sharing.__file__).parent.parent / "data"
    for args, out in (
        (["sharing", "pool", str(data / "sharing" / "pool_example.yaml")], "p.xlsx"),
        (["cba", "run", str(data / "cba" / "example_appraisal.yaml")], "a.xlsx"),
    ):
        res = CliRunner().invoke(app, [*args, "--out", str(tmp_path / out)], env={"COLUMNS": "400"})
        assert res.exit_code == 0, res.output
        assert f"Wrote {tmp_path / out}." in res.output


def test_sheet_names_are_not_cut_mid_word() -> None:
    from wholeplace.reports.xlsx import sheet_name

    used: set[str] = set()
    long = "Schedule - NHS Lancashire and South Cumbria Integrated Care Board"
    # 31 characters end in "South C"; the cut falls before "South", and the dangling "and"
    # goes too: a name ending in "and" reads as cut short
    assert sheet_name(long, used) == "Schedule - NHS Lancashire"
    assert sheet_name("Costs and benefits of the early help offer", set()) == (
        "Costs and benefits of the early"
    )
    # 31 characters end in "the yea": "year", then the dangling "for the", are dropped
    assert sheet_name("Spending by partner for the year 2024/25", set()) == "Spending by partner"
    # "/" may not be in a sheet name: a year reads 2024-25, not 202425
    assert sheet_name("Year 2024/25", set()) == "Year 2024-25"
    assert sheet_name(long, used) == "Schedule - NHS Lancashire (2)"
    assert sheet_name("Pooled budget", used) == "Pooled budget"
    assert sheet_name("A" * 40, used) == "A" * 31  # one long word: cut where it must be
