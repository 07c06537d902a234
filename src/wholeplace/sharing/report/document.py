"""The small document model every sharing report is built from: sections of plain-English
text, tables and charts, and one page per partner (the agreement schedule a partnership
annexes to its legal agreement). The builders (one module per report) make a
:class:`Report`; the HTML and XLSX writers render it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wholeplace.money import ZERO
from wholeplace.reports.layout import Answer


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Any] = field(default_factory=list)  # plotly Figures
    new_page: bool = False


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section]
    # The report's answer in one sentence and its headline figures (the layout's first
    # section); without one, the first paragraph of the first section is the sentence.
    answer: Answer | None = None
    # Sections shown after the tables and charts: method, rules, assumptions.
    method: list[Section] = field(default_factory=list)

    def the_answer(self) -> Answer:
        if self.answer is not None:
            return self.answer
        first = next((p for s in self.sections for p in s.paragraphs), self.subtitle)
        return Answer(first)


def cumulative(values: Iterable[Decimal]) -> list[Decimal]:
    """Running totals: [1, 2, 3] -> [1, 3, 6]."""
    out: list[Decimal] = []
    c = ZERO
    for v in values:
        c += v
        out.append(c)
    return out


def warnings(texts: Iterable[str]) -> list[str]:
    """Paragraphs that the writers show as warnings."""
    return [f"Warning: {w}." for w in texts]
