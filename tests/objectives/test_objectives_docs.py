"""docs/objectives.md's worked example, run through the command line and compared with the page."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.money import fmt_gbp

DOC = Path(__file__).resolve().parents[2] / "docs" / "objectives.md"


def doc_files(text: str) -> dict[str, str]:
    return dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", text, re.S))


def expect(text: str, name: str) -> str:
    return text.split(f"<!-- expect: {name} -->\n")[1].split("\n\n")[0].strip()


def run(*args: str) -> dict:
    res = CliRunner().invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.stdout
    return json.loads(res.stdout)


def test_worked_example_matches_the_page(tmp_path: Path) -> None:
    doc = DOC.read_text(encoding="utf-8")
    files = doc_files(doc)
    assert set(files) == {"partners.csv", "groups.csv", "spend-2024-25.csv", "objectives.csv"}
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    w = str(tmp_path / "valeshire")
    assert CliRunner().invoke(app, ["init", w, "--name", "Valeshire"]).exit_code == 0
    run("partners", "import", str(tmp_path / "partners.csv"), "-w", w)
    run("spend", "import", str(tmp_path / "spend-2024-25.csv"), "-w", w)
    run("objectives", "groups", str(tmp_path / "groups.csv"), "-w", w)
    run("objectives", "import", str(tmp_path / "objectives.csv"), "-w", w)
    out = run("objectives", "report", "-w", w)

    assert out["summary"] == expect(doc, "summary")
    # The findings the page works out by hand, row by row.
    assert [(f["partners"], [r["row"] for r in f["rows"]]) for f in out["overlaps"]] == [
        (["cc", "icb"], [2, 3]),
        (["cc", "dwp"], [8, 7]),
    ]
    assert all("measure it differently" in f["explanation"] for f in out["overlaps"])
    assert [(f["subtype"], [r["row"] for r in f["rows"]]) for f in out["conflicts"]] == [
        ("opposite", [5, 4]),
        ("same_resource", [2, 4]),
    ]
    (d,) = out["different_approaches"]
    assert d["customer_group"] == "Older people" and d["partners"] == ["cc", "dc", "icb"]

    m = out["matrix"]
    table = expect(doc, "matrix").splitlines()
    header = [c.strip() for c in table[0].strip("|").split("|")]
    assert header[1:] == m["customer_groups"]
    cells = {(c["partner"], c["customer_group"]): c for c in m["cells"]}
    for line in table[2:]:
        row = [c.strip() for c in line.strip("|").split("|")]
        for group, shown in zip(m["customer_groups"], row[1:], strict=True):
            c = cells.get((row[0], group))
            if c is None:
                assert shown == ""
                continue
            words = "; ".join(c["directions"]) or "no objective"
            money = fmt_gbp(Decimal(c["spend_gbp"]), pence=False) if c["spend_gbp"] else None
            assert shown == (f"{words}, {money}" if money else words), (row[0], group)
    assert m["unmatched_spend"] == [
        {"partner": "dwp", "label": "(not stated)", "spend_gbp": "10000000.00"}
    ]
    total = sum(Decimal(c["spend_gbp"] or 0) for c in m["cells"]) + Decimal("10000000.00")
    spend = run("spend", "map", "-w", w)
    assert total == Decimal(spend["total_gbp"]) == Decimal("410000000.00")
    assert "£410,000,000" in doc and fmt_gbp(total, pence=False) == "£410,000,000"
