"""PF-ST-1's evidence: the outcomes scorecard from approved data only (docs/framework.md,
"Evidence from the place's own data"), on docs/outcomes.md's worked example."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from outcomes_example import cli_json, make_example

from wholeplace.framework import service
from wholeplace.framework.evidence import NOT_MET, OutcomesFacts, outcomes_scorecard
from wholeplace.framework.model import MET, PARTLY
from wholeplace.place_evidence import PlaceEvidence
from wholeplace.workspace import Workspace


def facts(w: str) -> OutcomesFacts | None:
    ws = Workspace.open(Path(w), read_only=True)
    try:
        return PlaceEvidence(ws).outcomes_scorecard()
    finally:
        ws.close()


def finding(w: str, on: date) -> tuple[str, str, date | None, bool]:
    ws = Workspace.open(Path(w), read_only=True)
    try:
        f = service.check_evidence(ws, PlaceEvidence(ws), on=on).by_statement()["PF-ST-1"]
    finally:
        ws.close()
    return f.status, f.reason, f.as_of, f.stale


def test_no_outcomes_framework_is_not_met(tmp_path: Path) -> None:
    f = outcomes_scorecard("PF-ST-1", None, date(2025, 1, 1))
    assert (f.status, f.as_of) == (NOT_MET, None)
    assert "no outcomes framework" in f.reason


def test_some_indicators_without_approved_figures_is_partly_met() -> None:
    # 3 indicators, 2 with figures: 1 green, 0 amber, 0 red, so 1 without a target
    got = OutcomesFacts(2, 3, 2, 1, 0, 0, date(2024, 9, 30))
    f = outcomes_scorecard("PF-ST-1", got, date(2025, 1, 1))
    assert f.status == PARTLY
    assert f.reason == (
        "2 outcomes with 3 indicators, 2 with approved figures: 1 on target (green), 0 "
        "improving but short of target (amber), 0 no better than the baseline (red), 1 without "
        "a target"
    )
    # 30 September 2024 + 15 months: current to 30 December 2025 (the same day of the month),
    # stale from 31 December 2025 (the staleness rule of docs/framework.md)
    assert outcomes_scorecard("PF-ST-1", got, date(2025, 12, 30)).stale is False
    assert outcomes_scorecard("PF-ST-1", got, date(2025, 12, 31)).stale is True


def test_only_approved_figures_count(tmp_path: Path) -> None:
    w, folder = make_example(tmp_path)
    # the page's framework: 1 outcome with 1 indicator (repeat-dv); no data yet
    assert facts(w) == OutcomesFacts(1, 1, 0, 0, 0, 0, None)
    assert finding(w, date(2025, 1, 1))[:2] == (
        NOT_MET,
        "1 outcome with 1 indicator; none has an approved figure yet",
    )
    cli_json("outcomes", "import-data", str(folder / "data.csv"), "--dataset", "q2", "-w", w)
    cli_json("outcomes", "review", "q2", "--by", "A. Patel", "-w", w)
    assert facts(w) == OutcomesFacts(1, 1, 0, 0, 0, 0, None)  # reviewed is not approved
    cli_json(
        "outcomes", "approve", "q2", "--by", "J. Smith", "--exception", "audit booked", "-w", w
    )
    # repeat-dv's latest approved figure: 10.8 in 2024/25 Q2 (ends 30 September 2024), better
    # than the baseline 12.0 and short of the target 9.0: amber (docs/outcomes.md)
    assert facts(w) == OutcomesFacts(1, 1, 1, 0, 1, 0, date(2024, 9, 30))
    status, reason, as_of, stale = finding(w, date(2025, 1, 1))
    assert (status, as_of, stale) == (MET, date(2024, 9, 30), False)
    assert reason == (
        "1 outcome with 1 indicator, 1 with approved figures: 0 on target (green), 1 improving "
        "but short of target (amber), 0 no better than the baseline (red), 0 without a target"
    )
    # importing the dataset again reopens it: its figures no longer count
    cli_json("outcomes", "import-data", str(folder / "data.csv"), "--dataset", "q2", "-w", w)
    assert facts(w) == OutcomesFacts(1, 1, 0, 0, 0, 0, None)
