"""Choosing a report writer by the output file's suffix, with one error message."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from wholeplace.errors import WholeplaceError

Writer = Callable[[Path], object]

# Windows users often save web pages as .htm: it is the same file, so every report takes it.
_ALIASES = {".htm": ".html"}


def writer_for(path: Path | str, writers: Mapping[str, Writer], what: str) -> Writer:
    """The writer for ``path``'s suffix (``.html``, ``.xlsx``...; case does not matter).

    ``writers`` maps suffixes (with their dot) to functions that write the file at the
    path they are given; ``.htm`` is taken as ``.html``. Any other suffix raises
    :class:`WholeplaceError`: ``Cannot write {what} as '{suffix}': use one of .html, .xlsx``
    (the mapping's keys).
    """
    suffix = Path(path).suffix
    by_suffix = {k.lower(): w for k, w in writers.items()}
    writer = by_suffix.get(_ALIASES.get(suffix.lower(), suffix.lower()))
    if writer is None:
        raise WholeplaceError(f"Cannot write {what} as '{suffix}': use one of {', '.join(writers)}")
    return writer
