"""Errors a person can act on.

An importer collects every :class:`Problem` in a file before it gives up, so the
user fixes the whole file in one go rather than one line per run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row, or file) of an input."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    fix: str
    sheet: str | None = None

    @classmethod
    def unreadable_workbook(cls, path: str, exc: BaseException) -> Problem:
        """A file that openpyxl cannot open at all (corrupt, password-protected, not XLSX)."""
        return cls(
            path,
            None,
            None,
            None,
            f"cannot read this workbook ({exc})",
            "open it in Excel and save it again as .xlsx",
        )

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        value = "" if self.value is None else f" (found {self.value!r})"
        return f"{self.where()}: {self.message}{value}. Fix: {self.fix}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class WholeplaceError(Exception):
    """Base for errors shown to the user as a plain message (no traceback)."""


class InputError(WholeplaceError):
    """An input file has problems; nothing was written."""

    def __init__(self, problems: list[Problem], summary: str | None = None) -> None:
        self.problems = problems
        n = len(problems)
        self.summary = summary or (f"{n} problem{'s' if n != 1 else ''} found; nothing was written")
        super().__init__(self.summary + "\n" + "\n".join(str(p) for p in problems[:50]))


class WorkspaceError(WholeplaceError):
    """The workspace is missing, locked or of an unknown schema."""
