"""The one layout of every report, as a small Python API over ``templates/base.html``.

A report is, in this order:

1. **the answer**: one sentence that answers the report's question, computed from the
   result (:class:`Answer`), and a few headline figures (:class:`Headline`);
2. the tables and charts (the report's own template, ``{% block content %}``);
3. the method, sources, assumptions and reconciliation (``{% block method %}``);
4. a footer with the place, the date, the wholeplace version and every input file with
   its SHA-256 checksum (:class:`InputFile`), so a reader can tell which data made it.

Every table is put in its own scrolling box (:func:`boxed_tables`), so on a phone a wide
table scrolls inside the page instead of widening it; the print stylesheet in
``base.html`` lets long tables break between rows with their header repeated, and keeps
charts whole.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wholeplace.reports.html import render


@dataclass(frozen=True)
class Headline:
    """One headline figure: ``value`` as shown (``£1.29``) and what it is, in words."""

    value: str
    what: str


@dataclass(frozen=True)
class Answer:
    """The first thing a report says: the answer in one sentence, and its figures."""

    sentence: str
    figures: Sequence[Headline] = ()


@dataclass(frozen=True)
class InputFile:
    """A file a report was made from, named and fingerprinted for the footer."""

    name: str
    sha256: str

    @classmethod
    def of(cls, path: Path | str) -> InputFile:
        digest = hashlib.sha256()
        with Path(path).open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        return cls(Path(path).name, digest.hexdigest())


def input_files(paths: Iterable[Path | str | None]) -> list[InputFile]:
    """The footer's list: each file that exists, once, in the order given."""
    seen: dict[str, InputFile] = {}
    for p in paths:
        if p is None or not Path(p).is_file():
            continue
        key = str(Path(p).resolve())
        if key not in seen:
            seen[key] = InputFile.of(p)
    return list(seen.values())


_SCRIPT = re.compile(r"(<script\b.*?</script>)", re.DOTALL | re.IGNORECASE)
_TABLE = re.compile(r"<table\b")
_TABLE_END = re.compile(r"</table>")


def boxed_tables(html: str) -> str:
    """Each ``<table>`` inside ``<div class="table-box">``: on a narrow screen the box
    scrolls, not the page. The box can take focus, so a keyboard user can scroll it.
    Scripts (plotly.js, chart data) are left as they are."""
    parts = _SCRIPT.split(html)
    for i in range(0, len(parts), 2):  # the even parts are outside <script>
        boxed = _TABLE.sub('<div class="table-box" tabindex="0"><table', parts[i])
        parts[i] = _TABLE_END.sub("</table></div>", boxed)
    return "".join(parts)


def render_report(
    template: str,
    *,
    title: str,
    answer: Answer,
    place: str | None = None,
    inputs: Sequence[InputFile] = (),
    landscape: bool = False,
    **context: Any,
) -> str:
    """A report page in the one layout; ``template`` extends ``base.html``.

    ``landscape`` prints on A4 landscape (wide tables); otherwise A4 portrait, with any
    element of class ``wide`` on landscape pages of its own.
    """
    page = render(
        template,
        title=title,
        answer=answer,
        place=place,
        inputs=list(inputs),
        landscape=landscape,
        **context,
    )
    return boxed_tables(page)
