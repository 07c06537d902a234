"""Files named inside another file (a forecast's ``scheme:``): read from the naming file's
own folder or below it, never from wherever a path inside a file points.

A file is data a person may have been sent; a path written in it is followed only as far as
the folder the file is in. An absolute path (``/etc/passwd``, ``C:\\data\\x.yaml``,
``\\\\server\\share``) or one that climbs out with ``..`` is refused, so running someone
else's file cannot make the program read, or show, what else is on the machine.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath


def outside_reason(value: str) -> str | None:
    """Why ``value``, a path written inside a file, may not be followed; None if it may."""
    if not value.strip():
        return "no file is named"
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).anchor:
        return "an absolute path: a file names others only from its own folder"
    if ".." in re.split(r"[\\/]", value):
        return "leaves the file's folder (..): a file names others only from its own folder"
    return None


def beside(named_by: Path, value: str) -> Path:
    """The file ``value`` names, from the folder of ``named_by`` (the file that names it);
    check :func:`outside_reason` first."""
    return named_by.parent / value
