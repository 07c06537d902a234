"""Write output files whole or not at all.

A report is written to a temporary file in the destination folder and moved over the
destination with :func:`os.replace` only once complete, so a reader never sees half a
file and a failure leaves any earlier version untouched. The temporary file sits in the
same folder because a rename is atomic only within one file system. The file's data is
flushed to disk before the rename and the folder's entry after it, so a power cut
leaves either the old file or the new one. The file gets ``mode`` (0644 unless asked:
readable by everyone, writable by its owner), whatever the process's umask.

This is the one atomic writer in wholeplace: every output file goes through it, so it is
also the one place where a file that cannot be written (``--out`` naming a folder, a path
under a file, a read-only folder, a full disk, a name too long) becomes the problem table
(:class:`~wholeplace.errors.InputError`) instead of a traceback. Whatever the reason, the
temporary file is removed and any earlier file at the target is left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from wholeplace.errors import InputError, Problem

DEFAULT_MODE = 0o644
# The temporary file's name carries at most this much of the target's, so that a target
# name near the file system's limit (255 bytes on most) still leaves room for it.
_TMP_STEM = 64
_NAME_MAX = 255
_CHOOSE = "choose another file with --out"


def _first_file(path: Path) -> Path | None:
    """The nearest existing ancestor of ``path`` that is not a folder, if any."""
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def unwritable(target: Path, exc: OSError) -> InputError:
    """The problem table for ``target`` that could not be written because of ``exc``."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        message = "the disk is full (no space left on it), so nothing was written"
        fix = "free some space on that disk, or write to another disk with --out"
    elif code == errno.ENAMETOOLONG:
        message = f"the file name is too long ({len(target.name)} characters)"
        fix = f"use a shorter name: file systems allow {_NAME_MAX} bytes at most"
    elif code == errno.EROFS:
        message = "that disk is read-only"
        fix = _CHOOSE + ", on a disk you can write to"
    elif code in (errno.EACCES, errno.EPERM):
        message = f"no permission to write in the folder {target.parent}"
        fix = _CHOOSE + ", in a folder you can write to"
    elif code == errno.EISDIR or target.is_dir():
        message = "this is a folder, not a file"
        fix = f"name a file inside it, e.g. {target / 'report.html'}"
    elif code in (errno.ENOTDIR, errno.EEXIST) and (blocker := _first_file(target)):
        message = f"{blocker} is a file, not a folder, so nothing can be written under it"
        fix = _CHOOSE + ", in a folder"
    else:
        message = f"cannot write this file ({exc.strerror or exc})"
        fix = _CHOOSE
    problem = Problem(str(target), None, None, None, message, fix)
    return InputError([problem], "could not write the file; nothing was written")


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # pragma: no cover - no pathconf (Windows)
        return _NAME_MAX


def _check_target(target: Path, folder: Path) -> None:
    """Refuse before anything is written what cannot end well: a folder as the target,
    or a name longer than the folder's file system takes."""
    if target.is_dir():
        raise unwritable(target, IsADirectoryError(errno.EISDIR, "Is a directory"))
    if folder.is_dir() and len(os.fsencode(target.name)) > _name_max(folder):
        raise unwritable(target, OSError(errno.ENAMETOOLONG, "File name too long"))


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

    An :class:`OSError` on the way (making the folder, writing, renaming) is raised as
    :class:`~wholeplace.errors.InputError` naming ``target``: see :func:`unwritable`.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        _check_target(target, folder)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name[:_TMP_STEM]}.", suffix=".tmp", dir=folder
        )
        os.close(fd)
    except OSError as exc:
        raise unwritable(target, exc) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        _fsync_file(tmp)
        # An explicit mode, not 0666 & ~umask: a report is readable by whoever may read
        # the folder, whatever umask the process that wrote it happened to run under.
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise unwritable(target, exc) from exc
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
