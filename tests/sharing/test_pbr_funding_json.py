"""What a payment-by-results scheme pays an authority, in its JSON and its refusals, worked out
by hand from the Troubled Families figures (docs/sharing.md): 600 estimated families, five in
six funded, up to £4,000 each, attachment fees 80 %, 60 % and 40 % of it, a third a year."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from fractions import Fraction
from importlib import resources
from pathlib import Path

import pytest

from wholeplace.errors import InputError
from wholeplace.sharing.pbr import load_scheme
from wholeplace.sharing.pbr.funding import funding

SCHEME = load_scheme(
    Path(str(resources.files("wholeplace") / "data" / "sharing" / "troubled_families_2012.yaml"))
)
THIRDS_NOTE = SCHEME.funding.allocation_stated.note if SCHEME.funding else ""


def test_the_funding_in_json() -> None:
    data = funding(SCHEME, 600).to_json()
    years = data.pop("years")
    assert data == {
        "scheme": SCHEME.name,
        "estimated_families": 600,
        "funded_share": "5/6",
        "funded_families": "500.00",  # 600 x 5/6
        "max_funding": D("2000000.00"),  # 500 x £4,000
        "attachment_paid_on": "allocation",
        "allocation": "the scheme's",
        # 500/3 x (£3,200 + £2,400 + £1,600) = 500/3 x £7,200 = £1,200,000.00
        "attachment_fees": D("1200000.00"),
        # 500/3 x (£800 + £1,600 + £2,400) = £800,000.00
        "results_available": D("800000.00"),
        "unconfirmed": [THIRDS_NOTE],  # only the thirds are unconfirmed
    }
    # each year 500/3 = 166.67 families; fees 500/3 x the year's fee, rounded once
    assert years == [
        {
            "year": "2012/13",
            "families": "166.67",
            "attachment_fee": D("3200"),
            "attachment_fees": D("533333.33"),
            "results_available": D("133333.33"),
            "status": "unconfirmed",
            "unconfirmed": [THIRDS_NOTE],
        },
        {
            "year": "2013/14",
            "families": "166.67",
            "attachment_fee": D("2400"),
            "attachment_fees": D("400000.00"),
            "results_available": D("266666.67"),
            "status": "unconfirmed",
            "unconfirmed": [THIRDS_NOTE],
        },
        {
            "year": "2014/15",
            "families": "166.67",
            "attachment_fee": D("1600"),
            "attachment_fees": D("266666.67"),
            "results_available": D("400000.00"),
            "status": "unconfirmed",
            "unconfirmed": [THIRDS_NOTE],
        },
    ]


def test_an_authoritys_own_allocation_rests_on_nothing_unconfirmed() -> None:
    f = funding(SCHEME, 7, {"2013-14": Fraction(2, 5), "2014/15": Fraction(3, 5)})
    data = f.to_json()
    assert data["allocation"] == "given" and data["unconfirmed"] == []
    # 7 x 5/6 = 35/6 = 5.8333 funded; 2013/14 takes 2/5 of them: 7/3 = 2.33 families
    assert data["funded_families"] == "5.83"
    assert [(y["year"], y["families"], y["status"]) for y in data["years"]] == [
        ("2012/13", "0.00", "confirmed"),
        ("2013/14", "2.33", "confirmed"),
        ("2014/15", "3.50", "confirmed"),
    ]
    # 7/3 x £2,400 = £5,600.00; 7/2 x £1,600 = £5,600.00; results 7/3 x £1,600 = £3,733.33,
    # 7/2 x £2,400 = £8,400.00
    assert [(y.attachment_fees, y.results_available) for y in f.years] == [
        (D("0.00"), D("0.00")),
        (D("5600.00"), D("3733.33")),
        (D("5600.00"), D("8400.00")),
    ]
    # at most 35/6 x £4,000 = £23,333.33
    assert data["max_funding"] == D("23333.33")


def test_a_scheme_with_no_funding_basis_funds_every_family_attached() -> None:
    plain = dataclasses.replace(SCHEME, funding=None)
    f = funding(plain, 3, {"2012/13": Fraction(1)})
    data = f.to_json()
    assert (data["funded_share"], data["funded_families"], data["attachment_paid_on"]) == (
        "1",
        "3.00",
        "family",
    )
    # 3 x £3,200 attachment and 3 x £800 results in the first year
    assert (data["attachment_fees"], data["results_available"]) == (D("9600.00"), D("2400.00"))
    with pytest.raises(InputError) as caught:
        funding(plain, 3)
    assert [(p.file, p.value, p.message, p.fix) for p in caught.value.problems] == [
        (
            "allocation",
            None,
            "the scheme says nothing of how the families are spread over the years",
            "give the allocation by year, e.g. 2012/13=1/3",
        )
    ]


def test_every_refusal_at_once() -> None:
    with pytest.raises(InputError) as caught:
        funding(SCHEME, -1, {"2011/12": Fraction(1, 2), "2012/13": Fraction(2, 3)})
    assert [(p.file, p.column, p.value, p.message, p.fix) for p in caught.value.problems] == [
        (
            "--estimated-families",
            None,
            "-1",
            "not a number of families",
            "give the estimated number of families, e.g. 600",
        ),
        (
            "allocation",
            "2011/12",
            "2011/12",
            "not a programme year of the scheme",
            "use 2012/13, 2013/14, 2014/15",
        ),
        (
            "allocation",
            None,
            "1/2 + 2/3",  # 7/6: more than all the funded families
            "the years' shares add up to more than the funded families",
            "make them add up to 1 at most",
        ),
    ]
    # no families at all is a number of families; shares adding up to exactly 1 are fine
    f = funding(SCHEME, 0, {"2012/13": Fraction(1, 2), "2013/14": Fraction(1, 2)})
    assert f.to_json()["attachment_fees"] == D("0.00")


def test_each_unconfirmed_part_of_the_basis_is_named_once_in_order() -> None:
    from wholeplace.sharing.pbr.scheme import Stated

    assert SCHEME.funding is not None
    fb = dataclasses.replace(
        SCHEME.funding,
        funded_share_stated=Stated(False, "five in six: not found"),
        attachment_stated=Stated(False, "paid on the allocation: not found"),
    )
    f = funding(dataclasses.replace(SCHEME, funding=fb), 600)
    # the funded share, then the attachment basis, then the scheme's own thirds
    expected = ["five in six: not found", "paid on the allocation: not found", THIRDS_NOTE]
    assert [y.unconfirmed for y in f.years] == [expected] * 3
    assert f.unconfirmed == expected  # once each, though every year rests on them
    # an authority's own allocation leaves the first two
    own = funding(dataclasses.replace(SCHEME, funding=fb), 600, {"2012/13": Fraction(1)})
    assert own.unconfirmed == expected[:2]


def test_the_funding_report_answers_first() -> None:
    from wholeplace.sharing.report.pbr import funding_report

    answer = funding_report(funding(SCHEME, 600)).the_answer()
    # 600 x 5/6 = 500 families, at most 500 x £4,000; fees and results as above
    assert answer.sentence == (
        "500 of 600 estimated families are funded, for at most £2,000,000.00: "
        "£1,200,000.00 in attachment fees and up to £800,000.00 in results payments."
    )
    assert [h.value for h in answer.figures] == ["£2,000,000.00", "500"]
