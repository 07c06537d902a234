"""Checking an XLSX file before it is opened: a few kilobytes must not cost gigabytes.

An XLSX is a zip of XML. Three cheap tricks make a tiny file expensive to load: a zip bomb
(XML that decompresses a thousandfold), a cell far out in column XFD on every row (each row
read as 16,384 cells), and one merged range over the whole sheet (every cell of it filled
in). :func:`check_workbook` reads the zip's directory and streams each sheet's XML once,
looking only for those, and refuses the file with the problem table past the limits below
(stated in docs/formats.md). Every XLSX reader calls it before openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from wholeplace.errors import InputError, Problem

MAX_UNCOMPRESSED_BYTES = 1 << 30  # 1 GiB of XML: about 4 million rows of a payments file
MAX_RATIO = 100  # real workbooks compress 3-10 times (measured on the reference files)
MAX_COLUMN_LETTERS = 2  # columns A to ZZ (702): no finance table is wider
MAX_MERGED_CELLS = 100_000

_WIDE_CELL = re.compile(rb'\br="[A-Z]{%d,}[0-9]' % (MAX_COLUMN_LETTERS + 1))
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_CHUNK = 1 << 20


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _refuse(path: Path, message: str, fix: str) -> InputError:
    return InputError([Problem(path.name, None, None, None, message, fix)])


def check_workbook(path: Path | str) -> None:
    """Raise :class:`InputError` if ``path`` is an XLSX beyond the limits; else nothing.

    A file that is not a zip at all is left to the reader, which says it cannot read it.
    """
    path = Path(path)
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with book:
        parts = book.infolist()
        total = sum(p.file_size for p in parts)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise _refuse(
                path,
                f"this workbook unpacks to {total:,} bytes, more than the "
                f"{MAX_UNCOMPRESSED_BYTES:,} wholeplace reads",
                "split it into smaller files, or save the sheet as CSV",
            )
        packed = max(path.stat().st_size, 1)
        if total > 10 * _CHUNK and total / packed > MAX_RATIO:
            raise _refuse(
                path,
                f"this workbook unpacks to {total / packed:,.0f} times its size "
                f"(real workbooks: under {MAX_RATIO})",
                "open it in Excel and save it again, or export the sheet as CSV",
            )
        for part in parts:
            if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                _check_sheet(path, book, part)


def _check_sheet(path: Path, book: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    merged = 0
    tail = b""
    with book.open(part) as xml:
        while True:
            chunk = xml.read(_CHUNK)
            text = tail + chunk
            # a tag is shorter than the 64 bytes carried over: one that starts in them is
            # counted with the next chunk, where it is whole
            limit = len(text) - 64 if chunk else len(text)
            if _WIDE_CELL.search(text):
                raise _refuse(
                    path,
                    "this workbook has cells beyond column ZZ (702 columns)",
                    "delete the columns to the right of the table, or save it as CSV",
                )
            for m in _MERGE.finditer(text):
                if m.start() < limit and m.group(3):
                    rows = int(m.group(4)) - int(m.group(2)) + 1
                    cols = _column(m.group(3)) - _column(m.group(1)) + 1
                    merged += max(rows, 1) * max(cols, 1)
            if merged > MAX_MERGED_CELLS:
                raise _refuse(
                    path,
                    f"this workbook merges more than {MAX_MERGED_CELLS:,} cells",
                    "unmerge the cells (Home > Merge & Center) and save it again",
                )
            if not chunk:
                return
            tail = text[-64:]
