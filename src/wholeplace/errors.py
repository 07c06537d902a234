"""Errors a person can act on.

An importer collects every :class:`Problem` in a file before it gives up, so the
user fixes the whole file in one go rather than one line per run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
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
        """A file that openpyxl or xlrd cannot read (corrupt, password-protected, not XLSX)."""
        return cls(
            path,
            None,
            None,
            None,
            f"not a readable Excel workbook ({type(exc).__name__}: {exc})",
            "open it in Excel and save it as Excel Workbook (.xlsx), or fetch the file again",
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


@dataclass(frozen=True)
class Notice:
    """Something an import did that the user should check, though it did not stop it
    (amounts rounded to the penny, dates far from the rest of the file): how many rows,
    and the first of them."""

    file: str
    kind: str
    message: str
    count: int
    rows: tuple[int, ...] = ()

    @classmethod
    def rounded(
        cls,
        file: str,
        count: int,
        rows: Sequence[int],
        shown: Sequence[str] | None = None,
        *,
        at: Sequence[str] = (),
    ) -> Notice:
        """``count`` amounts had more than 2 decimal places; ``rows``: the first of them
        (``shown``: the same as a person reads them, e.g. with their sheet). ``at``: for a
        file without rows (YAML), the first of them by key path instead."""
        many = count != 1
        if at:
            where = "at " + ", ".join(at) + (" ..." if count > len(at) else "")
        else:
            where = rows_shown(shown if shown is not None else rows, count)
        return cls(
            file,
            "rounded",
            f"{count:,} amount{'s' if many else ''} had more than 2 decimal places and "
            f"{'were' if many else 'was'} rounded to the penny (half up): " + where,
            count,
            tuple(rows),
        )

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "kind": self.kind,
            "message": self.message,
            "count": self.count,
            "rows": list(self.rows),
        }


def rows_shown(rows: Iterable[int | str], count: int) -> str:
    """``rows 5, 9, 12`` (and `` ...`` when there are more than those shown)."""
    shown = [str(r) for r in rows]
    label = "row" if count == 1 else "rows"
    return f"{label} {', '.join(shown)}" + (" ..." if count > len(shown) else "")


class WholeplaceError(Exception):
    """Base for errors shown to the user as a plain message (no traceback)."""


class InputError(WholeplaceError):
    """An input file has problems; nothing was written."""

    def __init__(self, problems: list[Problem], summary: str | None = None) -> None:
        self.problems = problems
        n = len(problems)
        self.summary = summary or (f"{n} problem{'s' if n != 1 else ''} found; nothing was written")
        super().__init__(self.summary + "\n" + "\n".join(str(p) for p in problems[:50]))


class Problems:
    """The problems of one input file, collected before anything is written.

    ::

        p = Problems("partners.csv")
        p.add(3, "type", "cuncil", "unknown partner type", "use one of: ...")
        p.raise_if_any()  # InputError listing every problem, if there is one

    ``sheet`` given here is the default for every :meth:`add`; an ``add`` may name
    another. A value is shown as ``str(value)`` (``None`` stays ``None``).
    """

    def __init__(self, file: str, sheet: str | None = None) -> None:
        self.file = file
        self.sheet = sheet
        self.problems: list[Problem] = []

    def add(
        self,
        row: int | None,
        column: str | None,
        value: object,
        message: str,
        fix: str,
        sheet: str | None = None,
    ) -> Problem:
        """Record one problem (and return it)."""
        problem = Problem(
            self.file,
            row,
            column,
            None if value is None else str(value),
            message,
            fix,
            sheet=self.sheet if sheet is None else sheet,
        )
        self.problems.append(problem)
        return problem

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record problems found elsewhere (kept as they are, file and sheet included)."""
        self.problems.extend(problems)

    def __len__(self) -> int:
        return len(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(list(self.problems))

    def raise_if_any(self, summary: str | None = None) -> None:
        """Raise :class:`InputError` with every problem recorded, if there is one."""
        if self.problems:
            raise self.error(summary)

    def error(self, summary: str | None = None) -> InputError:
        """The :class:`InputError` of the problems recorded, for ``raise p.error()`` where
        the caller knows there is one (a file that cannot be read at all)."""
        if not self.problems:
            raise ValueError("no problems recorded")
        return InputError(list(self.problems), summary)


class WorkspaceError(WholeplaceError):
    """The workspace is missing, locked or of an unknown schema."""
