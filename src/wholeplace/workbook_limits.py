"""Checking an XLSX file before it is opened: a few kilobytes must not cost gigabytes.

An XLSX is a zip of XML. Three cheap tricks make a tiny file expensive to load: a zip bomb
(XML that decompresses a thousandfold), a cell far out in column XFD on every row (each row
read as 16,384 cells), and one merged range over the whole sheet (every cell of it filled
in). :func:`check_workbook` reads the zip's directory and streams each sheet's XML once,
looking only for those, and refuses the file with the problem table past the limits below
(stated in docs/formats.md). Every XLSX reader calls it before openpyxl.

A part whose XML declares a document type (``<!DOCTYPE``) is refused too: Excel never writes
one, and its entities are how an XML file reads a file of the server (XXE) or expands a few
bytes into gigabytes (billion laughs). The XML parser under openpyxl already resists both, but
the file is refused before it, with a message that says why.

It also refuses what is not an XLSX at all (an empty file, random bytes, a text file or an old
``.xls`` renamed ``.xlsx``, a zip cut short, a zip of something else), so that openpyxl only
ever sees a zip with a workbook in it; :func:`reading_workbook` wraps the reading itself
(openpyxl or xlrd) and turns whatever a damaged file still makes them raise into the same
problem table.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from wholeplace.errors import InputError, Problem, WholeplaceError

MAX_UNCOMPRESSED_BYTES = 1 << 30  # 1 GiB of XML: about 4 million rows of a payments file
MAX_RATIO = 100  # real workbooks compress 3-10 times (measured on the reference files)
MAX_COLUMN_LETTERS = 2  # columns A to ZZ (702): no finance table is wider
MAX_MERGED_CELLS = 100_000

_WIDE_CELL = re.compile(rb'\br="[A-Z]{%d,}[0-9]' % (MAX_COLUMN_LETTERS + 1))
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_CHUNK = 1 << 20
# "<!DOCTYPE" as UTF-8 (and ASCII-compatible encodings) and as UTF-16 either way round: the
# XML of a part may be in either, and a DTD is the only way to declare an entity
_DOCTYPE = re.compile(
    b"|".join(re.escape("<!DOCTYPE".encode(codec)) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_RESAVE = "open it in Excel and save it as Excel Workbook (.xlsx), or fetch the file again"


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _refuse(path: Path, message: str, fix: str) -> InputError:
    return InputError([Problem(path.name, None, None, None, message, fix)])


def _not_a_workbook(path: Path, why: str, fix: str = _RESAVE) -> InputError:
    return _refuse(path, f"not a readable Excel workbook: {why}", fix)


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(8)
    except OSError as exc:
        raise _refuse(path, f"cannot be read ({exc.strerror})", "check the path") from exc


def check_workbook(path: Path | str) -> None:
    """Raise :class:`InputError` if ``path`` is not an XLSX, or one beyond the limits."""
    path = Path(path)
    head = _head(path)
    if not head:
        raise _not_a_workbook(path, "the file is empty")
    if head.startswith(_OLE2_MAGIC):
        raise _not_a_workbook(
            path,
            "this is an old-format .xls file or a password-protected workbook",
            "open it in Excel, remove any password, and save it as Excel Workbook (.xlsx)",
        )
    if not head.startswith(_ZIP_MAGIC):
        raise _not_a_workbook(path, "an .xlsx file is a zip archive and this one is not")
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _not_a_workbook(path, f"the file is damaged or cut short ({exc})") from exc
    with book:
        parts = book.infolist()
        if "[Content_Types].xml" not in {p.filename for p in parts}:  # every OOXML file has it
            raise _not_a_workbook(path, "this zip archive holds no Excel workbook")
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
        try:
            for part in parts:
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    _check_sheet(path, book, part)
                elif not part.is_dir() and not part.filename.startswith("xl/media/"):
                    _check_part(path, book, part)  # pictures are never read as XML
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise _not_a_workbook(path, f"the file is damaged or cut short ({exc})") from exc


def check_xls(path: Path | str) -> None:
    """Raise :class:`InputError` if ``path``, named ``.xls``, is plainly not one."""
    path = Path(path)
    head = _head(path)
    if not head:
        raise _not_a_workbook(path, "the file is empty")
    if head.startswith(_ZIP_MAGIC):
        raise _not_a_workbook(
            path, "this is an .xlsx workbook named .xls", "rename it to end in .xlsx"
        )


def refuse_old_xls(path: Path | str, reads: str) -> None:
    """Raise the problem table if ``path`` is named ``.xls``, for a reader of ``reads`` that
    would otherwise take it for text and report its bytes as garbled rows."""
    path = Path(path)
    if path.suffix.lower() == ".xls":
        raise _refuse(
            path,
            f"an old-format Excel workbook (.xls): this command reads {reads}",
            "open it in Excel and save it as Excel Workbook (.xlsx)",
        )


@contextmanager
def reading_workbook(path: Path | str) -> Iterator[None]:
    """Run the reading of a workbook (openpyxl or xlrd); what a damaged file makes them raise
    becomes the problem table naming ``path``. Errors meant for the user pass through."""
    try:
        yield
    except (WholeplaceError, MemoryError, OSError):  # OSError: the disk, not the file's content
        raise
    except Exception as exc:  # openpyxl and xlrd raise anything from KeyError to ParseError
        raise InputError([Problem.unreadable_workbook(Path(path).name, exc)]) from exc


def _refuse_doctype(path: Path, part: zipfile.ZipInfo) -> InputError:
    return _refuse(
        path,
        f"this workbook's part {part.filename} declares a document type (<!DOCTYPE>), which "
        "Excel never writes: its entities could read the server's files or expand without end",
        "open the file in Excel and save it again as Excel Workbook (.xlsx), or save the "
        "sheet as CSV; if you did not make the file, do not use it",
    )


def _check_part(path: Path, book: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """A part other than a sheet (shared strings, the workbook, relationships, ...): only
    looked at for a document type."""
    with book.open(part) as data:
        for text, _ in _scan(data):
            if _DOCTYPE.search(text):
                raise _refuse_doctype(path, part)


def _scan(xml: IO[bytes]) -> Iterator[tuple[bytes, int]]:
    """Stream a sheet's XML in chunks; each comes with the offset below which a tag that
    starts in it is whole (the 64 bytes after it are carried into the next chunk)."""
    tail = b""
    while True:
        chunk = xml.read(_CHUNK)
        text = tail + chunk
        yield text, (len(text) - 64 if chunk else len(text))
        if not chunk:
            return
        tail = text[-64:]


def _merges(text: bytes, limit: int) -> Iterator[tuple[int, int, int, int]]:
    for m in _MERGE.finditer(text):
        if m.start() < limit and m.group(3):
            yield (
                _column(m.group(1)),
                int(m.group(2)),
                _column(m.group(3)),
                int(m.group(4)),
            )


def merged_ranges(xml: IO[bytes]) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a sheet's XML as (first column, first row, last column, last row):
    openpyxl's read-only mode, which streams a large sheet, does not give them."""
    return [rng for text, limit in _scan(xml) for rng in _merges(text, limit)]


def _check_sheet(path: Path, book: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    merged = 0
    with book.open(part) as xml:
        for text, limit in _scan(xml):
            if _DOCTYPE.search(text):
                raise _refuse_doctype(path, part)
            if _WIDE_CELL.search(text):
                raise _refuse(
                    path,
                    "this workbook has cells beyond column ZZ (702 columns)",
                    "delete the columns to the right of the table, or save it as CSV",
                )
            for c1, r1, c2, r2 in _merges(text, limit):
                merged += max(r2 - r1 + 1, 1) * max(c2 - c1 + 1, 1)
            if merged > MAX_MERGED_CELLS:
                raise _refuse(
                    path,
                    f"this workbook merges more than {MAX_MERGED_CELLS:,} cells",
                    "unmerge the cells (Home > Merge & Center) and save it again",
                )
