"""An ``index.html`` for a folder of reports from one run: one link per report, each with the
report's answer in one sentence, in the one report layout."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.layout import Answer, render_report


@dataclass(frozen=True)
class IndexEntry:
    """One report of the folder: what it answers, the file, and its answer in a sentence."""

    title: str
    path: Path
    sentence: str = ""
    others: Sequence[Path] = ()  # the same report in other formats (XLSX, PDF)


def write_index(
    folder: Path, title: str, entries: Sequence[IndexEntry], *, place: str | None = None
) -> Path:
    """Write ``folder/index.html`` linking every entry (links relative to the folder)."""

    def rel(p: Path) -> str:
        return Path(os.path.relpath(p, folder)).as_posix()

    rows = [
        {
            "title": e.title,
            "href": rel(e.path),
            "sentence": e.sentence,
            "others": [(p.suffix.lstrip(".").upper(), rel(p)) for p in e.others],
        }
        for e in entries
    ]
    n = len(rows)
    page = render_report(
        "index.html",
        title=title,
        answer=Answer(
            f"{n} report{'s' if n != 1 else ''} on {place or 'the place'}, "
            "each opening with its answer in one sentence."
        ),  # fmt: skip
        place=place,
        rows=rows,
    )
    return write_text_atomic(folder / "index.html", page)
