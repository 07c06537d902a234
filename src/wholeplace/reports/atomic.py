"""Write output files whole or not at all.

A report is written to a temporary file in the destination folder and moved over the
destination with :func:`os.replace` only once complete, so a reader never sees half a
file and a failure leaves any earlier version untouched. The temporary file sits in the
same folder because a rename is atomic only within one file system. The file's data is
flushed to disk before the rename and the folder's entry after it, so a power cut
leaves either the old file or the new one. The file gets ``mode`` (0644 unless asked:
readable by everyone, writable by its owner), whatever the process's umask.

This is the one atomic writer in wholeplace: every output file goes through it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

DEFAULT_MODE = 0o644


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable. Not every platform can open a folder
    (Windows cannot); there the rename is as durable as the platform makes it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on a folder
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(target: Path | str, mode: int = DEFAULT_MODE) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    The body writes the temporary file (by any means: ``open``, ``wb.save``...). When the
    body ends, the file is fsynced, given ``mode``, moved over ``target`` and the folder
    fsynced. If the body raises, the temporary file is removed and ``target`` is left
    as it was.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _fsync_file(tmp)
        # An explicit mode, not 0666 & ~umask: a report is readable by whoever may read
        # the folder, whatever umask the process that wrote it happened to run under.
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def write_text_atomic(
    target: Path | str, text: str, encoding: str = "utf-8", mode: int = DEFAULT_MODE
) -> Path:
    """Write ``text`` to ``target`` atomically (newlines as given: no translation)."""
    with atomic_path(target, mode) as tmp, open(tmp, "w", encoding=encoding, newline="") as f:
        f.write(text)
    return Path(target)


def write_bytes_atomic(target: Path | str, data: bytes, mode: int = DEFAULT_MODE) -> Path:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target, mode) as tmp, open(tmp, "wb") as f:
        f.write(data)
    return Path(target)
