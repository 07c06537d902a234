"""docs/framework.md: run the worked example (three partners) and check every figure on the
page. The figures on the page were worked out by hand (the page shows the working)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from wholeplace.framework import service
from wholeplace.framework.model import ANSWER_WORDS, cell_label
from wholeplace.framework.scoring import Score, pct_points
from wholeplace.partners import import_partners
from wholeplace.place_evidence import PlaceEvidence
from wholeplace.workspace import Workspace

DOC = Path(__file__).resolve().parents[2] / "docs" / "framework.md"
CELLS = [("stewardship", "data"), ("performance", "delivery"), ("transformation", "strategy")]
# answers-2026.csv is answers-2025.csv with these three rows changed, as the page says
CHANGED = {
    ("police", "SW-DA-2"): "met",
    ("icb", "PF-DL-1"): "met",
    ("vale", "TR-ST-1"): "partly met",
}


def doc_files() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", text, re.S))


def doc_table(name: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"<!-- {name}:begin -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert m, f"no table {name} in {DOC.name}"
    lines = [ln.strip().strip("|").split("|") for ln in m.group(1).strip().splitlines()]
    return [[c.strip() for c in row] for row in lines[2:]]


def pct(s: Score) -> str:
    return "" if s.pct is None else f"{s.pct}%"


def signed(d: object) -> str:
    return f"+{d}" if str(d)[0] not in "-0" else str(d)


def answers_2026(text: str) -> str:
    out = []
    for line in text.splitlines():
        cells = line.split(",")
        key = (cells[0], cells[1])
        if key in CHANGED:
            cells[2] = CHANGED[key]
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


@pytest.fixture
def valeshire(tmp_path: Path) -> Workspace:
    files = doc_files()
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    (tmp_path / "answers-2026.csv").write_text(
        answers_2026(files["answers-2025.csv"]), encoding="utf-8"
    )
    ws = Workspace.create(tmp_path / "valeshire", "Valeshire")
    import_partners(ws, tmp_path / "partners.csv")
    service.start_assessment(ws, "2025/26")
    done = service.import_answers(ws, tmp_path / "answers-2025.csv")
    assert (len(done.answers), done.partners) == (21, ["icb", "police", "vale"])
    yield ws
    ws.close()


def test_doc_cells(valeshire: Workspace) -> None:
    r = service.scores(valeshire)
    fw = r.assessment.framework
    got = [
        [
            cell_label(fw, *c),
            str(r.scores.cells[c].points),
            str(r.scores.cells[c].out_of),
            pct(r.scores.cells[c]),
        ]
        for c in CELLS
    ]
    o = r.scores.overall
    got.append(["overall", str(o.points), str(o.out_of), pct(o)])
    assert got == doc_table("example-cells")
    # the other six cells have no answers
    assert sum(1 for s in r.scores.cells.values() if s.fraction is None) == 6


def test_doc_partners(valeshire: Workspace) -> None:
    s = service.scores(valeshire).scores
    got = [
        [
            p,
            *[pct(s.partners[p][c]) for c in CELLS],
            pct(s.partner_overall[p]),
            signed(pct_points(s.partner_overall[p], s.overall)),
        ]
        for p in ("vale", "icb", "police")
    ]
    assert got == doc_table("example-partners")
    # the page's sentence: 83.33 - 68.75 = 14.6 points above the partnership
    assert pct_points(s.partners["vale"][CELLS[0]], s.cells[CELLS[0]]) == Decimal("14.6")


def test_doc_disagreements(valeshire: Workspace) -> None:
    got = [
        [str(i), d.statement.id, ", ".join(d.met_by), ", ".join(d.not_met_by), str(d.pairs)]
        for i, d in enumerate(service.disagreements(valeshire).disagreements, start=1)
    ]
    assert got == doc_table("example-disagreements")


def test_doc_plan(valeshire: Workspace) -> None:
    service.set_plan(valeshire, "SW-DA-3", owner="Head of finance, Vale", due="2026-03-31")
    service.set_plan(valeshire, "TR-ST-2", owner="Partnership board", due="2026-09-30")
    plan = service.plan(valeshire, PlaceEvidence(valeshire), on=date(2025, 12, 1))
    got = [
        [
            str(i),
            g.statement.id,
            pct(g.score),
            "; ".join(f"{p}: {ANSWER_WORDS[a]}" for p, a in g.short.items()),
            g.owner or "",
            "" if g.due is None else g.due.isoformat(),
        ]
        for i, g in enumerate(plan.gaps, start=1)
    ]
    assert got == doc_table("example-plan")
    # the five statements the place's data could show are all gaps (no spend, no linked
    # file, no governance register)
    checked = [g.statement.id for g in plan.gaps if g.evidence_says]
    assert checked == ["SW-DA-2", "SW-DA-1", "SW-DL-1", "PF-ST-1", "PF-ST-4", "TR-DA-1"]


def test_doc_progress(valeshire: Workspace) -> None:
    service.start_assessment(valeshire, "2026/27")
    csv = valeshire.path.parent / "answers-2026.csv"
    assert service.import_answers(valeshire, csv).assessment == "2026/27"
    p = service.progress(valeshire).progress
    fw = service.scores(valeshire).assessment.framework
    got = [
        [
            cell_label(fw, *c),
            pct(p.before.cells[c]),
            pct(p.after.cells[c]),
            signed(p.cell_change(c)),
        ]
        for c in CELLS
    ]
    got.append(
        [
            "overall",
            pct(p.before.overall),
            pct(p.after.overall),
            signed(pct_points(p.after.overall, p.before.overall)),
        ]
    )
    assert got == doc_table("example-progress")
    assert [(c.partner, c.statement_id, c.after) for c in p.changes] == [
        ("icb", "PF-DL-1", "met"),
        ("police", "SW-DA-2", "met"),
        ("vale", "TR-ST-1", "partly"),
    ]
    # the page's heading names the two assessments
    text = DOC.read_text(encoding="utf-8")
    assert "| cell | 2025/26 | 2026/27 | change (points) |" in text
