"""One transaction file being imported: where it goes, how, and its result so far."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wholeplace.spend.transactions.mapping import TransactionMapping
from wholeplace.spend.transactions.results import MANY_PARTNERS, FileResult
from wholeplace.spend.transactions.statements import ProgressFn
from wholeplace.workspace import Workspace


@dataclass
class FileJob:
    """What every step of importing one file needs (staging, the one pass, checking,
    recording), passed as one object rather than as the same seven arguments."""

    ws: Workspace
    path: Path
    partner: str | None  # None: each row names its partner (a national collection)
    mapping: TransactionMapping
    strict: bool
    res: FileResult
    progress: ProgressFn | None

    @property
    def label(self) -> str:
        return self.path.name

    @property
    def owner(self) -> str:
        """Whose file it is: the partner, or the marker of a file of many partners."""
        return self.partner or MANY_PARTNERS
