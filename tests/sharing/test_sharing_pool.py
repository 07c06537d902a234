"""Pooled budgets: statements, under- and overspends, and plain-English errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pool_workbook import write_pool_workbook

from wholeplace.errors import InputError
from wholeplace.sharing.pooled_budget import compute_pool, load_pool, parse_pool

D = Decimal


def base(**over):
    raw = {
        "name": "Test pool",
        "host": "la",
        "partners": {"la": "Council", "nhs": "NHS"},
        "years": ["2025-26"],
        "contributions": {"2025-26": {"la": {"cash": 70, "in_kind": 5}, "nhs": 25}},
        "outturn": {"2025-26": 120},
        "overspend": "proportional",
        "underspend": "equal",
    }
    raw.update(over)
    return raw


def test_overspend_proportional_and_net_cost():
    r = compute_pool(parse_pool(base()))
    y = r.years[0]
    assert y.budget == D(100) and y.variance == D(20)
    rows = {x.partner: x for x in y.rows}
    assert rows["la"].variance_share == D(15) and rows["nhs"].variance_share == D(5)
    assert rows["la"].net_cost == D(90) and rows["la"].in_kind == D(5)
    assert y.balanced


def test_underspend_uses_its_own_rule():
    r = compute_pool(parse_pool(base(outturn={"2025-26": {"forecast": "99.99"}})))
    y = r.years[0]
    assert y.outturn_kind == "forecast"
    # An underspend of 0.01 split equally: the penny goes back to the first partner.
    assert [x.variance_share for x in y.rows] == [D("-0.01"), D(0)]
    assert y.shares_sum == y.variance == D("-0.01")


def test_on_budget_means_no_shares():
    r = compute_pool(parse_pool(base(outturn={"2025-26": 100})))
    assert all(x.variance_share == 0 for x in r.years[0].rows)


def test_pool_file_errors_name_field_value_and_fix(tmp_path):
    raw = base(
        host="police",
        contributions={"2025-26": {"la": "£1,000", "nhs": "-5", "fire": 10}},
        outturn={"2025-26": "a lot"},
        overspend={"fixed": {"la": 50, "nhs": 40}},
    )
    with pytest.raises(InputError) as e:
        parse_pool(raw, "pool.yaml")
    probs = e.value.problems
    where = {p.column for p in probs}
    assert {
        "host",
        "contributions.2025-26.nhs",
        "contributions.2025-26.fire",
        "outturn.2025-26",
        "overspend.fixed",
    } <= where
    neg = next(p for p in probs if p.column == "contributions.2025-26.nhs")
    assert neg.value == "-5" and "negative" in neg.message and neg.fix
    assert all(p.file == "pool.yaml" for p in probs)


def test_yaml_syntax_error_names_line(tmp_path):
    f = tmp_path / "pool.yaml"
    f.write_text("name: x\npartners: [a, b\nhost: a\n")
    with pytest.raises(InputError) as e:
        load_pool(f)
    p = e.value.problems[0]
    assert p.file == "pool.yaml" and p.row is not None and "YAML" in p.message


def test_pool_from_workbook_matches_yaml(tmp_path):
    from importlib import resources
    from pathlib import Path

    from wholeplace.sharing.pooled_budget import load_pool_any

    f = tmp_path / "pool.xlsx"
    write_pool_workbook(f)
    data = Path(str(resources.files("wholeplace") / "data" / "sharing" / "pool_example.yaml"))
    a = compute_pool(load_pool_any(f)).to_json()
    b = compute_pool(load_pool_any(data)).to_json()
    assert a["years"] == b["years"] and a["totals"] == b["totals"]
    # Both read the rule written in pool_example.yaml, which says this in words:
    rule = (
        "the first £20,000 is shared by the host alone; from £20,000 to £100,000 is shared in "
        "proportion to contributions; above £100,000 is shared in fixed shares (County Council "
        "(host) 50%, NHS Integrated Care Board 50%); Borough Council pays at most £5,000 (the "
        "excess is shared among the others in proportion to their shares)"
    )
    assert a["overspend_rule"] == b["overspend_rule"] == rule
    assert a["underspend_rule"] == "all of it is shared in proportion to contributions"
    # 2024/25: overspend 150,000 = 20,000 to the host; 80,000 at 600:300:100 (48,000 /
    # 24,000 / 8,000); 50,000 at 50:50. bc's 8,000 is capped at 5,000 and its 3,000 goes
    # 93,000:49,000 to lcc and icb (1,964.79 / 1,035.21). 2025/26: underspend 30,000 at
    # 620:310:70 (18,600 / 9,300 / 2,100) returned.
    assert {p: t["variance_share"] for p, t in a["totals"].items()} == {
        "lcc": D("76364.79"),  # 20,000 + 48,000 + 25,000 + 1,964.79 - 18,600
        "icb": D("40735.21"),  # 24,000 + 25,000 + 1,035.21 - 9,300
        "bc": D("2900.00"),  # 5,000 - 2,100
    }


def test_pool_workbook_errors_name_sheet_and_row(tmp_path):
    from wholeplace.sharing.pooled_budget import load_pool_any

    f = tmp_path / "pool.xlsx"
    write_pool_workbook(
        f,
        [
            ["year", "partner", "cash", "in_kind"],
            ["2024-25", "lcc", "lots", None],
            ["2024-25", "fire", 5, None],
        ],
    )
    with pytest.raises(InputError) as e:
        load_pool_any(f)
    probs = {(p.sheet, p.row, p.column, p.value) for p in e.value.problems}
    assert ("contributions", 2, "cash", "lots") in probs
    assert ("contributions", 3, "partner", "fire") in probs


def test_pool_example_statement_worked_by_hand():
    from importlib import resources
    from pathlib import Path

    data = Path(str(resources.files("wholeplace") / "data" / "sharing" / "pool_example.yaml"))
    j = compute_pool(load_pool(data)).to_json()
    assert (j["pool"], j["host"]) == ("Integrated community equipment service pooled budget", "lcc")
    # every amount in the example is whole pounds: nothing was rounded to the penny
    assert j["notices"] == []
    assert j["partners"] == {
        "lcc": "County Council (host)",
        "icb": "NHS Integrated Care Board",
        "bc": "Borough Council",
    }
    y1, y2 = j["years"]
    # 2024/25: contributions 600,000 (500,000 cash + 100,000 in kind) + 300,000 + 100,000.
    assert (y1["year"], y1["budget"], y1["outturn"], y1["outturn_kind"]) == (
        "2024/25",
        D(1_000_000),
        D(1_150_000),
        "actual",
    )
    assert (y1["variance"], y1["shares_sum"], y1["balanced"]) == (D(150_000), D(150_000), True)
    assert y1["steps"] == [
        "overspend of £150,000.00: £20,000.00 (from £0.00 to £20,000.00) shared by the host alone",
        "overspend of £150,000.00: £80,000.00 (from £20,000.00 to £100,000.00) shared in "
        "proportion to contributions",
        "overspend of £150,000.00: £50,000.00 (from £100,000.00 to £150,000.00) shared in fixed "
        "shares (County Council (host) 50%, NHS Integrated Care Board 50%)",
        "overspend of £150,000.00: Borough Council capped at £5,000.00; £3,000.00 passed to the "
        "others",
    ]
    assert y1["warnings"] == []
    lcc = y1["partners"][0]
    assert lcc == {
        "partner": "lcc",
        "cash": D(500_000),
        "in_kind": D(100_000),
        "contribution": D(600_000),
        "variance_share": D("94964.79"),  # 20,000 + 48,000 + 25,000 + 1,964.79
        "net_cost": D("694964.79"),
    }
    # 2025/26: budget 620,000 + 310,000 + 70,000; forecast 970,000: 30,000 underspend returned
    # 620:310:70, so lcc gets 18,600 back and its net cost is 620,000 - 18,600.
    assert (y2["year"], y2["outturn_kind"], y2["variance"]) == ("2025/26", "forecast", D(-30_000))
    assert y2["steps"] == [
        "underspend of £30,000.00: £30,000.00 (from £0.00 to £30,000.00) shared in proportion "
        "to contributions"
    ]
    assert [(r["partner"], r["variance_share"], r["net_cost"]) for r in y2["partners"]] == [
        ("lcc", D(-18_600), D(601_400)),
        ("icb", D(-9_300), D(300_700)),
        ("bc", D(-2_100), D(67_900)),
    ]
    assert j["totals"]["bc"] == {
        "contribution": D(170_000),
        "variance_share": D(2_900),
        "net_cost": D(172_900),
    }
    assert j["balanced"] is True


def test_on_budget_has_no_steps():
    y = compute_pool(parse_pool(base(outturn={"2025-26": 100}))).years[0]
    assert y.steps == [] and y.variance == 0 and y.balanced
    assert not any(r.variance_share.is_signed() for r in y.rows)  # 0.00, never -0.00
    assert [(r.contribution, r.net_cost) for r in y.rows] == [(D(75), D(75)), (D(25), D(25))]


def test_a_partner_with_no_contribution_that_year_bears_no_proportional_share():
    # la alone puts in 100; outturn 110: the 10 overspend is all la's by contributions, nhs
    # (nothing in that year) has a zero row rather than no row.
    y = compute_pool(
        parse_pool(base(contributions={"2025-26": {"la": 100}}, outturn={"2025-26": 110}))
    ).years[0]
    assert y.budget == D(100)
    assert [(r.partner, r.cash, r.in_kind, r.variance_share, r.net_cost) for r in y.rows] == [
        ("la", D(100), D(0), D(10), D(110)),
        ("nhs", D(0), D(0), D(0), D(0)),
    ]


def test_an_underspend_split_by_cash_only():
    # Budget 100 (la 70 cash + 5 in kind, nhs 25); outturn 80: 20 back by cash 70:25, i.e.
    # 14.736.. and 5.263.. -> 14.74 and 5.26 (largest remainder).
    y = compute_pool(
        parse_pool(base(outturn={"2025-26": 80}, underspend="proportional_cash"))
    ).years[0]
    assert [(r.partner, r.variance_share, r.net_cost) for r in y.rows] == [
        ("la", D("-14.74"), D("60.26")),
        ("nhs", D("-5.26"), D("19.74")),
    ]


def test_a_contribution_cannot_be_changed_once_read():
    import dataclasses

    from wholeplace.sharing.pooled_budget import Contribution

    c = parse_pool(base()).contributions["2025/26"]["la"]
    assert c == Contribution(D(70), D(5)) and c.total == D(75)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.cash = D(0)  # type: ignore[misc]


def test_an_overspend_of_pennies():
    # Budget 100 (75 : 25), outturn 100.50: 50p at 75:25 is 37.5p and 12.5p; the tied spare
    # penny goes to the first: 38p and 12p.
    y = compute_pool(parse_pool(base(outturn={"2025-26": "100.50"}))).years[0]
    assert [r.variance_share for r in y.rows] == [D("0.38"), D("0.12")]
    assert y.steps[0].startswith("overspend of £0.50: ")


def test_a_pool_balances_only_if_every_year_does():
    from wholeplace.sharing.pooled_budget import PartnerYear, PoolResult, PoolYear

    pool = parse_pool(base())
    row = PartnerYear("la", D(1), D(0), D(1), D(1), D(2))

    def year(variance: str) -> PoolYear:
        return PoolYear("2025/26", D(1), D(2), "actual", D(variance), [row], [], [])

    assert year("1").balanced and not year("2").balanced
    assert PoolResult(pool, [year("1"), year("1")]).balanced
    assert not PoolResult(pool, [year("1"), year("2")]).balanced
