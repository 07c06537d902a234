"""Assurance: draft -> reviewed -> approved by two named people, a change reopens review, the
quality threshold needs a recorded exception, and only approved data reach a public report."""

from __future__ import annotations

from pathlib import Path

from outcomes_example import cli, cli_json

# Quarter 2 for the outcome indicator only (all its quality scores are 4 or 5, above the
# threshold of 3), and a draft that must never be published.
APPROVED = """indicator,period,area,value,numerator,denominator,note
repeat-dv,2024/25 Q1,place,11.5,,,
repeat-dv,2024/25 Q2,place,10.8,,,
"""
DRAFT = """indicator,period,area,value,numerator,denominator,note
repeat-dv,2024/25 Q3,place,777.7,,,not yet checked
families-supported,2024-06,place,86420.9,,,
"""


def setup(example: tuple[str, Path]) -> str:
    w, folder = example
    (folder / "q2.csv").write_text(APPROVED, encoding="utf-8")
    (folder / "q3.csv").write_text(DRAFT, encoding="utf-8")
    cli_json("outcomes", "import-data", str(folder / "q2.csv"), "-w", w)
    cli_json("outcomes", "import-data", str(folder / "q3.csv"), "-w", w)
    return w


def refused(w: str, *args: str) -> str:
    res = cli("outcomes", *args, "-w", w)
    assert res.exit_code == 2, res.output
    return " ".join(res.output.split())


def test_two_people_and_the_history_is_kept(example: tuple[str, Path]) -> None:
    w = setup(example)
    assert "only a reviewed dataset is approved" in refused(w, "approve", "q2", "--by", "J. Smith")
    cli_json("outcomes", "review", "q2", "--by", "A. Patel", "--note", "totals checked", "-w", w)
    assert "only a draft is reviewed" in refused(w, "review", "q2", "--by", "A. Patel")
    # the same person, written another way, may not approve what they reviewed
    assert "cannot approve it too" in refused(w, "approve", "q2", "--by", "a.  patel")
    d = cli_json("outcomes", "approve", "q2", "--by", "J. Smith", "-w", w)
    assert (d["status"], d["reviewed_by"], d["approved_by"]) == ("approved", "A. Patel", "J. Smith")
    assert [(s["action"], s["by"], s["status"]) for s in d["history"]] == [
        ("imported", None, "draft"),
        ("reviewed", "A. Patel", "reviewed"),
        ("approved", "J. Smith", "approved"),
    ]
    assert "No dataset 'q9'" in refused(w, "review", "q9", "--by", "A. Patel")


def test_a_change_after_approval_reopens_review(example: tuple[str, Path]) -> None:
    w = setup(example)
    folder = example[1]
    cli_json("outcomes", "review", "q2", "--by", "A. Patel", "-w", w)
    cli_json("outcomes", "approve", "q2", "--by", "J. Smith", "-w", w)
    res = cli_json("outcomes", "import-data", str(folder / "q2.csv"), "-w", w)
    assert (res["status"], res["was"]) == ("draft", "approved")
    [d] = [x for x in cli_json("outcomes", "datasets", "-w", w) if x["dataset"] == "q2"]
    assert (d["status"], d["reviewed_by"], d["approved_by"]) == ("draft", None, None)
    assert [s["action"] for s in d["history"]] == ["imported", "reviewed", "approved", "reopened"]
    public = cli_json("outcomes", "report", "--public", "-w", w)
    assert all(r["series"] == [] for r in public["scorecard"])  # nothing approved now


def test_under_the_quality_threshold_only_with_a_recorded_exception(
    example: tuple[str, Path],
) -> None:
    w, folder = example
    (folder / "plans.csv").write_text(
        "indicator,period,value,numerator,denominator\nplans-on-time,2024-04,0.72,18,25\n",
        encoding="utf-8",
    )
    cli_json("outcomes", "import-data", str(folder / "plans.csv"), "-w", w)
    cli_json("outcomes", "review", "plans", "--by", "A. Patel", "-w", w)
    # plans-on-time: accuracy 2, its lowest score, under the threshold of 3
    msg = refused(w, "approve", "plans", "--by", "J. Smith")
    assert "has data quality 2, under the place's threshold of 3" in msg
    d = cli_json(
        "outcomes", "approve", "plans", "--by", "J. Smith", "--exception", "audit due", "-w", w
    )
    assert d["quality_exception"] == "audit due"
    assert d["history"][-1]["note"] == "audit due"


def test_unapproved_data_never_reach_the_public_report(example: tuple[str, Path]) -> None:
    w = setup(example)
    folder = example[1]
    cli_json("outcomes", "review", "q2", "--by", "A. Patel", "-w", w)
    cli_json("outcomes", "approve", "q2", "--by", "J. Smith", "-w", w)
    public = cli_json("outcomes", "report", "--public", "-w", w)
    values = {s["value"] for r in public["scorecard"] for s in r["series"]}
    assert values == {"11.5", "10.8"}
    assert public["unapproved_left_out"] == 2
    for out in ("public.html", "public.xlsx"):
        res = cli("outcomes", "report", "--public", "--out", str(folder / out), "-w", w)
        assert res.exit_code == 0, res.output
    html = (folder / "public.html").read_text(encoding="utf-8")
    assert "10.8" in html and "777.7" not in html and "86420.9" not in html
    assert "not yet checked" not in html
    from openpyxl import load_workbook

    wb = load_workbook(folder / "public.xlsx")
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert "10.8" in cells and "777.7" not in cells and "86420.9" not in cells
    # the partnership's own report has them, marked by their dataset's status
    internal = cli_json("outcomes", "report", "-w", w)
    assert {s["value"] for r in internal["scorecard"] for s in r["series"]} >= {"777.7", "86420.9"}


def test_small_numbers_are_suppressed_in_public_and_shown_inside(
    example: tuple[str, Path],
) -> None:
    w, folder = example
    (folder / "s.csv").write_text(
        "indicator,period,value,numerator,denominator\n"
        "families-safer,2024/25 Q1,0.58,29,50\n"
        "families-safer,2024/25 Q2,0.75,3,4\n"
        "families-safer,2024/25 Q3,0.8,4,5\n"
        "families-safer,2024/25 Q4,0.625,5,8\n",
        encoding="utf-8",
    )
    cli_json("outcomes", "import-data", str(folder / "s.csv"), "-w", w)
    cli_json("outcomes", "review", "s", "--by", "A. Patel", "-w", w)
    cli_json("outcomes", "approve", "s", "--by", "J. Smith", "-w", w)
    public = cli_json("outcomes", "report", "--public", "-w", w)
    [row] = [r for r in public["scorecard"] if r["indicator"] == "families-safer"]
    # numerators 3 and 4 are under 5 and left out; 5 is shown
    assert [s["period"] for s in row["series"]] == ["2024/25 Q1", "2024/25 Q4"]
    assert public["suppressed"] == 2
    inside = cli_json("outcomes", "report", "-w", w)
    [row] = [r for r in inside["scorecard"] if r["indicator"] == "families-safer"]
    assert len(row["series"]) == 4
