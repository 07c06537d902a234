"""docs/areas.md's worked example, run through the command line and compared with the page."""

from __future__ import annotations

import json
import re
import shlex
from decimal import Decimal
from pathlib import Path

import areas_helpers
from typer.testing import CliRunner

from wholeplace.cli import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "areas.md"


def doc_files(text: str) -> dict[str, str]:
    return dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", text, re.S))


def table(text: str, name: str) -> list[list[str]]:
    block = text.split(f"<!-- expect: {name} -->\n")[1].split("\n\n")[0].strip()
    return [[c.strip() for c in line.strip("|").split("|")] for line in block.splitlines()[2:]]


def test_worked_example_matches_the_page(tmp_path: Path) -> None:
    doc = DOC.read_text(encoding="utf-8")
    files = doc_files(doc)
    # the tests' crafted place (tests/helpers/areas_helpers.py) is the page's
    assert files["areas.csv"] == areas_helpers.AREAS
    assert files["deciles.csv"] == areas_helpers.DECILES
    assert files["sleepers.csv"] == areas_helpers.SLEEPERS
    assert files["spend.csv"] == areas_helpers.SPEND
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    commands = doc.split("```console\nwholeplace init vale")[1].split("```")[0]
    r = CliRunner()
    out = ""
    for line in ["wholeplace init vale" + commands.splitlines()[0], *commands.splitlines()[1:]]:
        if not line.strip():
            continue
        args = [
            a.replace("vale", str(tmp_path / "vale")) if a == "vale" else a
            for a in shlex.split(line)[1:]
        ]
        args = [str(tmp_path / a) if (tmp_path / a).is_file() else a for a in args]
        res = r.invoke(app, args)
        assert res.exit_code == 0, (line, res.output)
        out = res.output
    sentence = table_sentence(doc)
    assert sentence in " ".join(out.split())
    data = json.loads(
        r.invoke(
            app,
            [
                "areas",
                "profile",
                "--all",
                "--allocate-by",
                "population",
                "-w",
                str(tmp_path / "vale"),
                "--json",
            ],
        ).stdout
    )
    got = [
        [
            a["code"],
            (a["spend"] or {}).get("amount_gbp", "0.00"),
            a["spend"]["allocated_gbp"],
            a["per_head_gbp"],
        ]
        for a in data["areas"]
    ]
    assert got == table(doc, "allocation")
    assert sum(Decimal(row[2]) for row in got) == Decimal("100000.01")
    assert data["place_per_head_gbp"] == "95.00"
    one = next(a for a in data["areas"] if a["code"] == "V1")
    assert [[s["code"], s["distance"]] for s in one["similar"]] == table(doc, "similar")
    assert [
        [f["indicator"], f["value"], str(f["rank"]), f["place_median"], f["similar_mean"]]
        for f in one["indicators"]
    ] == [[r[0], *r[1:]] for r in table(doc, "one")]


def table_sentence(doc: str) -> str:
    return doc.split("<!-- expect: sentence -->\n> ")[1].split("\n")[0]
