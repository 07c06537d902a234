"""An appraisal a framework links to is read only from the framework file's own folder
(review of issue 13): an absolute path, or one that climbs out with ``..``, is refused with
the problem table (file, sheet, row, field, value, fix), exit code 2, and nothing is written,
as a PbR forecast's ``scheme:`` is (wholeplace.named_files)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from outcomes_example import cli, cli_json

APPRAISAL = "early-help-cba.yaml"
LINE = "Fewer repeat call-outs"


def _framework(folder: Path, appraisal: str) -> Path:
    """The page's framework in ``folder/work``, linking ``appraisal``; the real appraisal is
    put beside it, in ``work/sub`` and one folder up (the page's folder), so only the rule
    on paths can refuse it."""
    work = folder / "work"
    (work / "sub").mkdir(parents=True)
    shutil.copy(folder / APPRAISAL, work / APPRAISAL)
    shutil.copy(folder / APPRAISAL, work / "sub" / APPRAISAL)
    text = (folder / "outcomes.yaml").read_text(encoding="utf-8")
    link = f"    appraisal_lines:\n      - {{appraisal: '{appraisal}', line: {LINE}}}\n"
    assert "    partners: [cc, police]\n" in text
    out = work / "linked.yaml"
    out.write_text(
        text.replace("    partners: [cc, police]\n", "    partners: [cc, police]\n" + link),
        encoding="utf-8",
    )
    return out


@pytest.mark.parametrize(
    ("appraisal", "why"),
    [
        ("{abs}", "an absolute path"),
        (f"../{APPRAISAL}", "leaves the file's folder"),
        (f"sub/../../{APPRAISAL}", "leaves the file's folder"),
        (f"..\\{APPRAISAL}", "leaves the file's folder"),
        (f"C:\\appraisals\\{APPRAISAL}", "an absolute path"),
    ],
)
def test_an_appraisal_outside_the_frameworks_folder_is_refused(
    example: tuple[str, Path], appraisal: str, why: str
) -> None:
    w, folder = example
    appraisal = appraisal.replace("{abs}", str(folder / APPRAISAL))
    f = _framework(folder, appraisal)
    res = cli("outcomes", "import-framework", str(f), "-w", w, "--json")
    assert res.exit_code == 2, res.output
    (problem,) = json.loads(res.stdout)["problems"]
    # the framework's items start at line 8 (after partners, line 6): the link is line 8
    assert (problem["file"], problem["sheet"], problem["row"], problem["column"]) == (
        "linked.yaml",
        "appraisal_lines",
        8,
        "appraisal",
    )
    assert problem["value"] == appraisal
    assert why in problem["message"]
    assert "from the framework file's folder" in problem["fix"]
    # nothing written: the framework is still the page's, without links
    outcome = cli_json("outcomes", "report", "-w", w)["outcomes"][0]
    assert outcome["appraisal_values"] == []
    # and for people: the problem table, no traceback
    res = cli("outcomes", "import-framework", str(f), "-w", w)
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "nothing was written" in res.output


@pytest.mark.parametrize("appraisal", [APPRAISAL, f"sub/{APPRAISAL}"])
def test_an_appraisal_from_the_frameworks_folder_is_read(
    example: tuple[str, Path], appraisal: str
) -> None:
    w, folder = example
    cli_json("outcomes", "import-framework", str(_framework(folder, appraisal)), "-w", w)
    (value,) = cli_json("outcomes", "report", "-w", w)["outcomes"][0]["appraisal_values"]
    # the page's worked example (docs/outcomes.md, "Links"): 30 call-outs, £29,492.75
    assert (value["line"], value["present_value"]) == (LINE, "29492.75")
