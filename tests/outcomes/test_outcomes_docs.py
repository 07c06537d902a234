"""docs/outcomes.md's worked example, run through the command line and compared with the page."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

from outcomes_example import DOC, cli, cli_json

from wholeplace.money import fmt_gbp


def expect(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    return text.split(f"<!-- expect: {name} -->\n")[1].split("\n\n")[0].strip()


def table(name: str) -> list[list[str]]:
    lines = expect(name).splitlines()[2:]
    return [[c.strip() for c in line.strip("|").split("|")] for line in lines]


def test_worked_example_matches_the_page(example: tuple[str, Path]) -> None:
    w, folder = example
    imported = cli_json(
        "outcomes", "import-data", str(folder / "data.csv"), "--dataset", "q2", "-w", w
    )
    assert imported == {
        "dataset": "q2",
        "file": "data.csv",
        "rows": 7,
        "status": "draft",
        "was": "new",
    }
    cli_json("outcomes", "review", "q2", "--by", "A. Patel", "-w", w)
    refused = cli("outcomes", "approve", "q2", "--by", "J. Smith", "-w", w)
    assert refused.exit_code == 2
    assert expect("refused") in " ".join(refused.output.split())
    approved = cli_json(
        "outcomes",
        "approve",
        "q2",
        "--by",
        "J. Smith",
        "--exception",
        "accuracy audit booked for July",
        "-w",
        w,
    )
    assert approved["status"] == "approved"
    assert approved["quality_exception"] == "accuracy audit booked for July"

    r = cli_json("outcomes", "report", "-w", w)
    got = [
        [
            row["indicator"],
            f"{row['latest']['value']} ({row['latest']['period']})",
            row["status"],
            row["direction"],
        ]
        for row in r["scorecard"]
    ]
    assert got == table("scorecard")
    plans = next(x for x in r["scorecard"] if x["indicator"] == "plans-on-time")
    assert plans["interval_95"] == ["0.3006", "0.9544"]
    page = DOC.read_text(encoding="utf-8")
    assert "its 95 % Wilson interval is 0.3006 to 0.9544" in page

    assert [[c["id"], c["gross"], c["net"]] for c in r["claims"]] == table("claims")
    # By hand, as the page writes it: 73 - 38 = 35; 120 x 0.9 x 0.75 x 0.8 x 0.85 = 55.08.
    d = Decimal
    assert (73 - 38, 120 * d("0.9") * d("0.75") * d("0.8") * d("0.85")) == (35, d("55.08"))

    s = r["sroi"]
    rows = [
        [
            x["description"],
            fmt_gbp(Decimal(x["first_year_value"])),
            fmt_gbp(Decimal(x["present_value"])),
        ]
        for x in s["lines"]
    ]
    assert rows == table("sroi")
    assert s["sentence"] == expect("ratio")
    assert s["present_value"] == "268164.86" and s["ratio"] == "5.36"
    assert [x["proxy"] for x in s["lines"]] == ["152.68", "19315.90", "500.00"]


def test_the_public_page_leaves_out_the_small_number(example: tuple[str, Path]) -> None:
    w, folder = example
    cli_json("outcomes", "import-data", str(folder / "data.csv"), "--dataset", "q2", "-w", w)
    cli_json("outcomes", "review", "q2", "--by", "A. Patel", "-w", w)
    cli_json("outcomes", "approve", "q2", "--by", "J. Smith", "--exception", "audit", "-w", w)
    r = cli_json("outcomes", "report", "--public", "-w", w)
    plans = next(x for x in r["scorecard"] if x["indicator"] == "plans-on-time")
    assert plans["latest"] == {"period": "2024-04", "value": "0.72"}  # May's 3 of 4 left out
    assert r["suppressed"] == 1
    assert "May's plans figure (3 of 4) is left out" in DOC.read_text(encoding="utf-8")


def test_turning_the_curve_matches_the_page(example: tuple[str, Path]) -> None:
    w, folder = example
    cli_json("outcomes", "import-data", str(folder / "data.csv"), "--dataset", "q2", "-w", w)
    cli_json(
        "outcomes", "import-data", str(folder / "history.csv"), "--dataset", "history", "-w", w
    )
    r = cli_json("outcomes", "report", "-w", w)
    row = next(x for x in r["scorecard"] if x["indicator"] == "repeat-dv")
    c = row["baseline_forecast"]
    assert c["history"] == 8 and c["verdict"] == "turned the curve"
    got = [
        [
            p["period"],
            p["forecast"],
            " to ".join(p["interval_80"]),
            " to ".join(p["interval_95"]),
            p["actual"],
            p["verdict"],
        ]
        for p in c["points"]
    ]
    assert got == table("curve")
    # the page's reading of it: 11.5 is inside the 95 % range, 10.8 under its lower end
    lo1, lo2 = Decimal(got[0][3].split()[0]), Decimal(got[1][3].split()[0])
    assert lo1 < Decimal("11.5") and Decimal("10.8") < lo2
    assert "under the\nrange's lower end of 11.3986" in DOC.read_text(encoding="utf-8")


def test_the_budget_profile_matches_the_page(example: tuple[str, Path]) -> None:
    w, folder = example
    imported = cli_json("outcomes", "import-budget", str(folder / "budget.csv"), "-w", w)
    assert imported["rows"] == 4
    [p] = cli_json("outcomes", "budget", "-w", w)
    got = [
        [
            p["name"],
            *(
                fmt_gbp(Decimal(str(p[k])))
                for k in (
                    "budget",
                    "actual_to_date",
                    "variance_to_date",
                    "forecast_outturn",
                    "forecast_variance",
                )
            ),
        ]
    ]
    assert got == table("budget")
    # by hand, as the page writes it
    d = Decimal
    budget = d("10000") + d("10000") + d("12000") + d("12000")
    to_date = d("9500") + d("11250.50")
    outturn = to_date + d("12000") + d("12000")
    assert (budget, to_date, outturn) == (d("44000"), d("20750.50"), d("44750.50"))
    assert (to_date - d("20000"), outturn - budget) == (d("750.50"), d("750.50"))
    assert [m["variance"] for m in p["months"]] == ["-500.00", "1250.50", None, None]


def test_difference_in_differences_matches_the_page(example: tuple[str, Path]) -> None:
    w, folder = example
    assert cli("areas", "import", str(folder / "areas.csv"), "-w", w).exit_code == 0
    cli_json("outcomes", "import-data", str(folder / "data.csv"), "--dataset", "q2", "-w", w)
    cli_json("outcomes", "import-data", str(folder / "comparison.csv"), "--dataset", "c", "-w", w)
    r = cli_json("outcomes", "report", "-w", w)
    [claim] = [c for c in r["claims"] if c["difference_in_differences"] is not None]
    d = claim["difference_in_differences"]
    got = [[claim["id"], d["estimate"], " to ".join(d["interval_95"])]]
    assert got == table("did")
    # by hand, as the page writes it, with exact fractions for the variance
    from fractions import Fraction as F

    assert (F(10) - 12) - (F("10.5") - 11) == F("-1.5")
    rates = [(F(60, 5000), 5000), (F(50, 5000), 5000), (F(66, 6000), 6000), (F(63, 6000), 6000)]
    variance = sum(p * (1 - p) / n for p, n in rates)
    assert round(float(variance), 10) == 0.0000078960
    half = 1.959963984540054 * math.sqrt(variance) * 1000  # per 1,000 households
    assert f"{half:.4f}" == "5.5075"
    assert d["interval_95"] == [f"{-1.5 - half:.6f}", f"{-1.5 + half:.6f}"]
    # the public page: the unapproved comparison data are left out, so no estimate
    pub = cli_json("outcomes", "report", "--public", "-w", w)
    [pd] = [c["difference_in_differences"] for c in pub["claims"] if c["id"] == claim["id"]]
    assert pd["estimate"] is None and pd["reason"].startswith("no value for N01 in 2023/24 Q4")
