"""Bad register files: each problem with its section, line, field and fix; exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spend_helpers import add_partners
from test_governance_docs import DOC, doc_files
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.errors import InputError
from wholeplace.governance import service
from wholeplace.workspace import Workspace


@pytest.fixture
def place(ws: Workspace) -> Workspace:
    add_partners(ws)  # cc, dc, icb, dwp
    return ws


def problems(ws: Workspace, tmp_path: Path, text: str) -> list[tuple]:
    f = tmp_path / "g.yaml"
    f.write_text(text, encoding="utf-8")
    before = ws.con.execute("SELECT count(*) FROM governance_items").fetchall(), len(ws.audit_log())
    with pytest.raises(InputError) as exc:
        service.import_register(ws, f)
    after = ws.con.execute("SELECT count(*) FROM governance_items").fetchall(), len(ws.audit_log())
    assert after == before
    return [(p.sheet, p.row, p.column, p.value) for p in exc.value.problems]


AGREEMENT = """\
agreements:
  - id: A1
    title: T
    parties: [cc, icb]
    purpose: P
    uses: [direct care]
    legal_basis: {article_6: ["%s"]%s}
    special_category: %s
    data_items: [x]
    retention: 6 years
    security: encrypted
    review_date: 2025-06-30
"""


@pytest.mark.parametrize(
    ("art6", "art9", "special", "expected"),
    [
        ("6(1)(e)", "", "false", []),
        ("Art 6(1)(E)", "", "false", []),
        ("article 6 1 c", ', article_9: ["9(2)(h)"]', "true", []),
        ("6(1)(g)", "", "false", [("agreements", 7, "article_6", "6(1)(g)")]),
        ("6(e)", "", "false", [("agreements", 7, "article_6", "6(e)")]),
        ("6(1)(e)", "", "true", [("agreements", 7, "article_9", None)]),
        (
            "6(1)(e)",
            ', article_9: ["9(2)(k)"]',
            "true",
            [("agreements", 7, "article_9", "9(2)(k)")],
        ),
        (
            "6(1)(e)",
            ', article_9: ["9(2)(h)"]',
            "false",
            [("agreements", 7, "article_9", "9(2)(h)")],
        ),
        ("6(1)(e)", "", "maybe", [("agreements", 8, "special_category", "maybe")]),
    ],
)
def test_legal_basis(place, tmp_path, art6, art9, special, expected) -> None:
    text = AGREEMENT % (art6, art9, special)
    if not expected:
        f = tmp_path / "ok.yaml"
        f.write_text(text, encoding="utf-8")
        service.import_register(place, f)
        (a,) = service.register(place).agreements
        assert a.article_6[0].startswith("6(1)(")
        return
    assert problems(place, tmp_path, text) == expected


def test_every_problem_of_a_bad_register(place, tmp_path) -> None:
    text = """\
boards:
  - id: b1
    name: Board
    members:
      - {name: A, organisation: cc, role: chair}
      - {name: B, organisation: icb, role: Chair}
      - {name: C, organisation: icb, role: boss}
delivery_models:
  - service: Care
    model: pooled pot
    accountable_body: cx
    commissioner: icb
    deliverer: cc
    boards: [b9]
  - service: Other thing
    model: other
    accountable_body: cc
    commissioner: cc
    deliverer: cc
data_flows:
  - {id: F1, from: icb, to: icb, data_items: [x], use: care}
  - {id: F1, from: cc, to: icb, data_items: [x], use: care}
agreements:
  - id: A1
    title: T
    parties: [cc]
    purpose: P
    uses: [care]
    legal_basis: {article_6: ["6(1)(e)"]}
    data_items: [x]
    retention: r
    security: s
    review_date: 31/06/2025
    flows: [F9]
risks:
  - id: R1
    risk: r
    owner: o
    likelihood: 6
    impact: 2
    residual_likelihood: 1
    residual_impact: 1
    review_date: 2025-01-01
  - id: R2
    risk: r
    owner: o
    likelihood: 2
    impact: 2
    residual_likelihood: 3
    residual_impact: 2
    review_date: 2025-01-01
extra: 1
"""
    assert problems(place, tmp_path, text) == [
        (None, 52, "extra", None),
        ("boards", 7, "role", "boss"),
        ("boards", 6, "role", "chair"),
        ("delivery_models", 10, "model", "pooled pot"),
        ("delivery_models", 11, "accountable_body", "cx"),
        ("delivery_models", 14, "boards", "b9"),
        ("delivery_models", 15, "description", None),
        ("data_flows", 22, "id", "F1"),
        ("data_flows", 21, "to", "icb"),
        ("agreements", 26, "parties", "cc"),
        ("agreements", 33, "review_date", "31/06/2025"),
        ("agreements", 34, "flows", "F9"),
        ("risks", 39, "likelihood", "6"),
        ("risks", 50, "residual_impact", "3 x 2 = 6"),
    ]


def test_unreadable_files(place, tmp_path) -> None:
    assert problems(place, tmp_path, "risks: [\n  - id: R1\n")[0][1] is not None  # the line
    assert problems(place, tmp_path, "- just a list\n") == [(None, None, None, "list")]
    assert problems(place, tmp_path, "risks: a string\n") == [("risks", 1, None, None)]
    f = tmp_path / "latin.yaml"
    f.write_bytes("risks:\n  - id: caf\xe9\n".encode("cp1252"))
    with pytest.raises(InputError, match="not a UTF-8"):
        service.import_register(place, f)


def test_cli_exit_2_and_import_replaces(place, tmp_path) -> None:
    place.close()
    w = str(tmp_path / "place")
    f = tmp_path / "g.yaml"
    f.write_text(AGREEMENT % ("6(1)(z)", "", "false"), encoding="utf-8")
    res = CliRunner().invoke(app, ["governance", "import", str(f), "-w", w, "--json"])
    assert res.exit_code == 2
    (p,) = json.loads(res.stdout)["problems"]
    assert (p["file"], p["sheet"], p["row"], p["column"]) == (
        "g.yaml",
        "agreements",
        7,
        "article_6",
    )
    assert "6(1)(e) public task" in p["fix"]
    res = CliRunner().invoke(app, ["governance", "report", "-w", w])
    assert res.exit_code == 2 and "No governance register imported yet" in res.output
    res = CliRunner().invoke(app, ["governance", "report", "--as-of", "1/4/25", "-w", w])
    assert res.exit_code == 2 and "not a date" in res.output


def test_report_html_and_xlsx(tmp_path) -> None:
    import openpyxl
    from test_governance_docs import make_place

    w = make_place(tmp_path)
    out = tmp_path / "g.html"
    res = CliRunner().invoke(
        app, ["governance", "report", "--out", str(out), "--as-of", "2025-04-01", "-w", w]
    )
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html
    assert html.count("<caption>") == html.count("<table")
    assert 'class="band-very-high">very high (16)<br><strong>R1</strong>' in html
    assert "ISA-2" in html and "expired on 2025-03-31, 1 day ago" in html
    out = tmp_path / "g.xlsx"
    res = CliRunner().invoke(
        app, ["governance", "report", "--out", str(out), "--as-of", "2025-04-01", "-w", w, "--json"]
    )
    assert json.loads(res.stdout)["out"] == [str(out)]
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "Warnings",
        "Delivery models",
        "Boards",
        "Agreements",
        "Data flows",
        "Risks",
        "Heat map",
    ]
    heat = wb["Heat map"]
    assert heat.cell(row=4, column=5).value == "very high (16): R1"  # impact 4, likelihood 4
    assert heat.cell(row=4, column=5).fill.fgColor.rgb.endswith("F5C2C7")


def test_doc_files_are_the_example() -> None:
    assert "governance.yaml" in doc_files(DOC.read_text(encoding="utf-8"))


def test_the_question_other_capabilities_ask(tmp_path) -> None:
    from datetime import date

    from test_governance_docs import make_place

    w = make_place(tmp_path)
    with Workspace.open(w) as ws:
        assert service.current_agreement_for_every_flow(ws, date(2025, 4, 1)) is False
    empty = Workspace.create(tmp_path / "empty", "E")
    assert service.current_agreement_for_every_flow(empty) is None
    empty.close()
