"""docs/governance.md's worked example, run through the command line and compared with the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from wholeplace.cli import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "governance.md"
PARTNERS = """id,name,type,group,sector
cc,Valeshire County Council,county council,County council,Local government
dc,Vale District Council,district,District councils,Local government
icb,NHS Valeshire ICB,nhs commissioner,NHS,Health
dwp,Department for Work and Pensions,dwp,DWP,Central government
police,Valeshire Police,police,Police,Police
"""


def doc_files(text: str) -> dict[str, str]:
    return dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", text, re.S))


def expect(text: str, name: str) -> str:
    return text.split(f"<!-- expect: {name} -->\n")[1].split("\n\n")[0].strip()


def table(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in text.splitlines()[2:]]


def make_place(tmp_path: Path) -> str:
    doc = DOC.read_text(encoding="utf-8")
    (tmp_path / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    for name, body in doc_files(doc).items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    w = str(tmp_path / "valeshire")
    r = CliRunner()
    assert r.invoke(app, ["init", w, "--name", "Valeshire"]).exit_code == 0
    assert (
        r.invoke(app, ["partners", "import", str(tmp_path / "partners.csv"), "-w", w]).exit_code
        == 0
    )
    res = r.invoke(app, ["governance", "import", str(tmp_path / "governance.yaml"), "-w", w])
    assert res.exit_code == 0, res.output
    return w


def report(w: str, as_of: str) -> dict:
    res = CliRunner().invoke(app, ["governance", "report", "--as-of", as_of, "-w", w, "--json"])
    assert res.exit_code == 0, res.stdout
    return json.loads(res.stdout)


def test_worked_example_matches_the_page(tmp_path: Path) -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert set(doc_files(doc)) == {"governance.yaml"}
    w = make_place(tmp_path)
    out = report(w, "2025-04-01")
    assert out["summary"] == expect(doc, "summary")
    assert [(x["kind"], x["subject"]) for x in out["warnings"]] == [
        (row[0], row[1]) for row in table(expect(doc, "warnings"))
    ]
    days = {x["subject"]: x["days"] for x in out["warnings"] if x["days"] is not None}
    assert days == {"ISA-2": -1, "ISA-1": 90, "R2": -31}
    scores = [
        [r["id"], str(r["score"]), r["band"], str(r["residual_score"]), r["residual_band"]]
        for r in out["risks"]
    ]
    assert scores == table(expect(doc, "scores"))


def test_the_days_either_side_the_page_names(tmp_path: Path) -> None:
    w = make_place(tmp_path)
    isa1 = [x for x in report(w, "2025-04-02")["warnings"] if x["subject"] == "ISA-1"]
    assert [(x["kind"], x["days"]) for x in isa1] == [("agreement_expiring", 89)]
    isa1 = [x for x in report(w, "2025-03-31")["warnings"] if x["subject"] == "ISA-1"]
    assert isa1 == []


def test_the_register_is_the_framework_evidence_for_data_sharing(tmp_path: Path) -> None:
    """SW-DA-2 (data shared under agreements) read from the worked register, by hand:
    F1 (direct care) is covered by ISA-1; F2's use (service planning) is not among ISA-1's
    uses; F3 is covered by ISA-2 up to and including its end, 31 March 2025; F4 has no
    agreement. So 2 of 4 flows on 31 March 2025 and 1 of 4 on 1 April 2025."""
    from datetime import date

    from wholeplace.framework import service as framework_service
    from wholeplace.place_evidence import PlaceEvidence
    from wholeplace.workspace import Workspace

    ws = Workspace.open(Path(make_place(tmp_path)))
    try:
        facts = PlaceEvidence(ws)
        for day, covered, uncovered in (
            (date(2025, 3, 31), 2, ("F2", "F4")),
            (date(2025, 4, 1), 1, ("F2", "F3", "F4")),
        ):
            sharing = facts.data_sharing(day)
            assert sharing is not None
            assert (sharing.flows, sharing.uncovered) == (4, uncovered)
            found = framework_service.check_evidence(ws, facts, on=day).findings
            (sw_da_2,) = [f for f in found if f.statement_id == "SW-DA-2"]
            assert sw_da_2.status == "partly"
            assert f"{covered} of 4 data flows" in sw_da_2.reason
            assert not sw_da_2.stale
    finally:
        ws.close()
