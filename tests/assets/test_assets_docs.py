"""docs/assets.md's worked example, run through the command line and compared with the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from wholeplace.cli import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "assets.md"
PARTNERS = """id,name,type,group,sector
cc,Valeshire County Council,county council,County council,Local government
icb,NHS Valeshire ICB,nhs commissioner,NHS,Health
police,Valeshire Police,police,Police,Police
"""


def doc_files(text: str) -> dict[str, str]:
    return dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", text, re.S))


def table(text: str, name: str) -> list[list[str]]:
    block = text.split(f"<!-- expect: {name} -->\n")[1].split("\n\n")[0].strip()
    return [[c.strip() for c in line.strip("|").split("|")] for line in block.splitlines()[2:]]


def run(*args: str) -> dict:
    res = CliRunner().invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_worked_example_matches_the_page(tmp_path: Path) -> None:
    doc = DOC.read_text(encoding="utf-8")
    files = doc_files(doc)
    assert set(files) == {
        "vale.geojson",
        "cc.csv",
        "icb.csv",
        "icb-map.csv",
        "police.csv",
        "need.csv",
    }
    (tmp_path / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    w = str(tmp_path / "vale")
    r = CliRunner()
    assert r.invoke(app, ["init", w, "--name", "Valeshire"]).exit_code == 0
    run("partners", "import", str(tmp_path / "partners.csv"), "-w", w)
    run("areas", "boundaries", str(tmp_path / "vale.geojson"), "-w", w)
    run("assets", "import", str(tmp_path / "cc.csv"), "--partner", "cc", "-w", w)
    icb = run(
        "assets",
        "import",
        str(tmp_path / "icb.csv"),
        "--partner",
        "icb",
        "--mapping",
        str(tmp_path / "icb-map.csv"),
        "-w",
        w,
    )
    assert icb["layout"] == "mapping icb-map.csv"
    run("assets", "import", str(tmp_path / "police.csv"), "--partner", "police", "-w", w)
    found = run("assets", "opportunities", "--value-per-m2", "1000", "-w", w)
    assert [
        [
            str(g["rank"]),
            g["keep"],
            ", ".join(g["vacate"]),
            g["saving_a_year"],
            g["receipt"],
            g["moving_cost"],
            g["npv"],
        ]
        for g in found["co_locations"]
    ] == table(doc, "co-locations")
    assert [
        [str(d["rank"]), d["asset"], str(len(d["reasons"]))] for d in found["disposals"]
    ] == table(doc, "disposals")
    assert found["discounting"].startswith("green_book (3.50% from year 0")
    run(
        "assets",
        "indicator",
        str(tmp_path / "need.csv"),
        "--name",
        "imd_decile",
        "--column",
        "imd_decile",
        "--source",
        "Illustrative",
        "--as-of",
        "2019",
        "--higher-is",
        "better",
        "-w",
        w,
    )
    profiles = run("assets", "profile", "-w", w)
    assert [
        [
            a["code"],
            a["values"]["imd_decile"],
            str(a["ranks"]["imd_decile"]),
            ", ".join(a["assets"]),
        ]
        for a in profiles["areas"]
    ] == table(doc, "profiles")
    out = tmp_path / "estate.html"
    written = run("assets", "report", "--out", str(out), "--value-per-m2", "1000", "-w", w)
    assert written["opportunities"]["co_locations"][0]["npv"] == "653081.19"
    assert 'id="profile-map"' in out.read_text(encoding="utf-8")
