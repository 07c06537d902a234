"""docs/formats.md states the limits the code enforces, and its table of limits links to them."""

import re
from pathlib import Path

from wholeplace import workbook_limits, yaml_files

DOC = Path(__file__).resolve().parents[2] / "docs" / "formats.md"


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_of_the_page_to_itself_names_one_of_its_sections() -> None:
    text = DOC.read_text(encoding="utf-8")
    anchors = {_anchor(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links, "the limits at a glance link to their sections"
    assert set(links) <= anchors, set(links) - anchors


def test_the_limits_stated_are_the_limits_enforced() -> None:
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    columns = sum(26**n for n in range(1, workbook_limits.MAX_COLUMN_LETTERS + 1))
    stated = {
        f"**{yaml_files.MAX_VALUES:,} values**",
        f"**{yaml_files.MAX_DEPTH} levels**",
        f"**{workbook_limits.MAX_UNCOMPRESSED_BYTES // 2**30} GiB**",
        f"**{workbook_limits.MAX_RATIO} times**",
        f"**ZZ** ({columns} columns)",
        f"**{workbook_limits.MAX_MERGED_CELLS:,} cells**",
    }
    assert workbook_limits.MAX_UNCOMPRESSED_BYTES % 2**30 == 0
    assert {s for s in stated if s not in text} == set()
