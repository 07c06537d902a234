"""Any YAML a person might write gets a plain-English InputError, never a traceback."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wholeplace.errors import InputError
from wholeplace.sharing.common import Issues
from wholeplace.sharing.gain_sharing import parse_agreement
from wholeplace.sharing.pbr import parse_scheme
from wholeplace.sharing.pooled_budget import compute_pool, parse_pool

KEYS = [
    "name",
    "host",
    "partners",
    "years",
    "contributions",
    "outturn",
    "overspend",
    "underspend",
    "rule",
    "discount_rate",
    "shapley",
    "essential",
    "costs",
    "benefits",
    "cash",
    "in_kind",
    "tiers",
    "up_to",
    "split",
    "caps",
    "fixed",
    "lcc",
    "icb",
    "2024-25",
    "forecast",
    "max_payment",
    "programme_years",
    "attachment_fee_share",
    "results",
    "id",
    "payment",
    "all_of",
    "any_of",
    "measure",
    "test",
    "value",
    "percent",
    "months",
    "source",
    "agency_matrix",
    "samples",
    "seed",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.text(max_size=8),
    st.sampled_from(
        ["proportional", "equal", "host", "shapley", "50%", "0.5", "2024-25", "lcc", "icb"]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children, max_size=5)
    ),
    max_leaves=25,
)
documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents)
def test_parsers_never_crash(doc):
    for parse in (parse_pool, parse_agreement, parse_scheme):
        try:
            parse(doc)
        except InputError as e:
            assert e.problems and all(p.message and p.fix for p in e.problems)


amounts = st.integers(min_value=0, max_value=10**7).map(lambda p: Decimal(p) / 100)


@settings(max_examples=150, deadline=None)
@given(
    cash=st.lists(amounts, min_size=1, max_size=4),
    outturn=amounts,
    over=st.sampled_from(["proportional", "cash", "equal", "host only", "Equally"]),
    under=st.sampled_from(["proportional_cash", "contributions", "host"]),
)
def test_a_well_formed_pool_parses_and_balances(cash, outturn, over, under):
    """The other side of never crashing: a well-formed pool is read as written and its
    variance (outturn less the sum of contributions, summed here) is shared to the penny."""
    ids = [f"p{i}" for i in range(len(cash))]
    doc = {
        "name": "Generated",
        "host": ids[0],
        "partners": {i: f"Partner {i}" for i in ids},
        "years": ["2025-26"],
        "contributions": {"2025-26": {i: str(c) for i, c in zip(ids, cash, strict=True)}},
        "outturn": {"2025-26": str(outturn)},
        "overspend": over,
        "underspend": under,
    }
    pool = parse_pool(doc)
    assert list(pool.partners) == ids and pool.host == ids[0]
    assert [pool.contributions["2025/26"][i].cash for i in ids] == cash
    year = compute_pool(pool).years[0]
    variance = outturn - sum(cash, Decimal(0))
    assert year.budget == sum(cash, Decimal(0)) and year.variance == variance
    shares = [r.variance_share for r in year.rows]
    assert sum(shares, Decimal(0)) == variance
    # Every partner moves the same way as the variance: nobody is paid from an overspend.
    assert all(s * variance >= 0 for s in shares)


def test_percent_must_not_be_ambiguous():
    issues = Issues("f.yaml")
    assert issues.percent("x", "80") == Decimal("0.8")
    assert issues.percent("x", "80%") == Decimal("0.8")
    assert issues.percent("x", "0.5%") == Decimal("0.005")
    assert issues.percent("x", 0) == 0
    assert issues.percent("x", 0.8) is None
    assert "fraction or a percentage" in issues.problems[0].message


@pytest.mark.parametrize("bad", [{"shapley": {"samples": "many"}}, {"shapley": "yes"}])
def test_bad_shapley_settings(bad):
    doc = {"partners": {"a": {"costs": [1], "benefits": [2]}}, **bad}
    with pytest.raises(InputError):
        parse_agreement(doc)


def test_forecast_with_wrong_shapes(tmp_path):
    from importlib import resources
    from pathlib import Path

    from wholeplace.sharing.pbr import load_forecast

    scheme = Path(
        str(resources.files("wholeplace") / "data" / "sharing" / "troubled_families_2012.yaml")
    )
    f = tmp_path / "fc.yaml"
    f.write_text(f"scheme: {scheme}\ncohort: [200, 300]\nscenarios: central\n")
    with pytest.raises(InputError) as e:
        load_forecast(f)
    assert e.value.problems[0].file == "fc.yaml"


def test_broken_json_appraisal(tmp_path):
    from wholeplace.sharing.gain_sharing import load_agreement

    f = tmp_path / "cba.json"
    f.write_text('{"by_agency": {"DWP": ')
    with pytest.raises(InputError) as e:
        load_agreement(f)
    assert "cannot read this JSON" in e.value.problems[0].message


def test_many_partners_use_sampled_shapley():
    from wholeplace.sharing.gain_sharing import Agreement, PartnerFlows, Rule, compute_gainshare

    n = 17
    partners = [
        PartnerFlows(
            f"p{i}",
            f"P{i}",
            [Decimal(1000 if i == 0 else 0), Decimal(0)],
            [Decimal(0), Decimal(100 * (i + 1))],
        )
        for i in range(n)
    ]
    a = Agreement(
        "big", ["y1", "y2"], partners, Rule("shapley"), shapley_samples=200, shapley_seed=3
    )
    r = compute_gainshare(a)
    assert r.shapley is not None and r.shapley.method == "sampled"
    for y in range(2):
        assert sum(o.transfer_by_year[y] for o in r.outcomes) == 0
    assert sum(o.after.undiscounted for o in r.outcomes) == r.joint_net.undiscounted
    again = compute_gainshare(a)
    assert [o.after_by_year for o in again.outcomes] == [o.after_by_year for o in r.outcomes]
