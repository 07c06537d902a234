"""Which encoding a text file from a partner is in: UTF-8, Windows-1252, or a mix of the two.

Finance systems export CSV in UTF-8 or in Windows-1252 (what Excel on Windows saves as
"CSV"). A file that has been edited by both (rows pasted from one into the other) holds
UTF-8 characters on some lines and Windows-1252 bytes on others. Read as Windows-1252
throughout, its UTF-8 ``é`` becomes ``Ã©`` ("CafÃ© Verde"); read as UTF-8 it cannot be read
at all. Neither reading is right, so such a file is refused with the line to look at.

The rule (:func:`scan`): a file that is valid UTF-8 is UTF-8. A file that is not, and holds
no byte sequence that is a UTF-8 multi-byte character, is Windows-1252. A file that is not
valid UTF-8 and still holds such sequences is mixed. Windows-1252 text can form such a
sequence by chance only when a capital accented letter or ``ß`` (bytes C2-DF) is followed at
once by one of ``€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ`` or a Latin-1 sign (bytes 80-BF), as in
``CAFÉ’S``; such a file is refused too, and saving it as UTF-8 imports it. (None of the
Windows-1252 files among the reference council files does this; see
``tests/security/test_encodings.py``.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from wholeplace.errors import InputError, Problems

# A character that is not ASCII, once bytes that are not UTF-8 are read as U+FFFD
_NOT_ASCII = re.compile("[^\x00-\x7f\ufffd]")
_FFFD = "\ufffd".encode()
_CHUNK = 4 << 20

SAVE_AS_UTF8 = (
    "open the file in Excel (or a text editor) and save it as 'CSV UTF-8'; check the names "
    "on the rows named here first, as one of the two encodings will show them garbled"
)


@dataclass(frozen=True)
class Scan:
    """What :func:`scan` found. Line numbers count from 1, as a text editor shows them
    (a line ends at LF, CRLF or a lone CR)."""

    first_bad_line: int | None  # the first line with a byte that is not UTF-8
    first_bad_text: str  # that line, its non-UTF-8 bytes shown as \\xNN
    first_utf8_line: int | None  # the first line with a UTF-8 multi-byte character

    @property
    def encoding(self) -> str:
        """``utf-8``, ``cp1252`` or ``mixed``."""
        if self.first_bad_line is None:
            return "utf-8"
        return "mixed" if self.first_utf8_line is not None else "cp1252"


def _lines_in(data: bytes) -> int:
    """Line breaks in ``data``: LF, CRLF and lone CR each end one line."""
    if b"\r" not in data:  # most files: counting CRLF is the slow part
        return data.count(b"\n")
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _incomplete_tail(buf: bytes) -> int:
    """How many bytes at the end of ``buf`` may be the start of a character (or a CR
    whose LF is in the next chunk), to be read with the next chunk."""
    if buf.endswith(b"\r"):
        return 1
    for back in range(1, min(3, len(buf)) + 1):
        b = buf[-back]
        if b < 0x80:
            return 0
        if b >= 0xC0:  # a lead byte: is its character cut off?
            need = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
            return back if need > back else 0
    return 0


def scan_chunks(chunks: Iterable[bytes]) -> Scan:
    """:func:`scan` over the bytes of a file given in pieces (a file is never held whole)."""
    line = 1  # the line the next byte is on
    bad_line: int | None = None
    bad_bytes = b""  # the line with the first bad byte, gathered up to its end
    bad_done = False
    utf8_line: int | None = None
    carry = b""
    since_break = b""  # the bytes of the current line read so far (the last 200)
    for chunk in _with_end(chunks):
        buf = carry + chunk
        keep = _incomplete_tail(buf) if chunk else 0
        body, carry = (buf[:-keep], buf[-keep:]) if keep else (buf, b"")
        if bad_line is not None and not bad_done:
            end = _line_end(body, 0)
            bad_bytes += body[:end]
            bad_done = end < len(body) or not chunk or len(bad_bytes) > _SHOWN
        if utf8_line is None:
            utf8_line = _first_multibyte_line(body, line)
        if bad_line is None:
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad_line = line + _lines_in(body[: exc.start])
                start = max(body.rfind(b"\n", 0, exc.start), body.rfind(b"\r", 0, exc.start)) + 1
                end = _line_end(body, exc.start)
                bad_bytes = (since_break if start == 0 else b"") + body[start:end]
                bad_done = end < len(body) or not chunk
        if bad_done and utf8_line is not None:
            break
        line += _lines_in(body)
        cut = max(body.rfind(b"\n"), body.rfind(b"\r"))
        since_break = (body[cut + 1 :] if cut >= 0 else since_break + body)[-_SHOWN:]
    return Scan(bad_line, _shown(bad_bytes) if bad_line else "", utf8_line)


_SHOWN = 200


def _first_multibyte_line(body: bytes, line: int) -> int | None:
    """The line of the first well-formed UTF-8 character of two or more bytes in ``body``
    (which starts on ``line``), if there is one.

    Decoded with every byte that is not UTF-8 as U+FFFD (three bytes in UTF-8), the text
    re-encodes to ``len(text) + 2 * (U+FFFD count)`` bytes unless a real multi-byte
    character is there: that test runs in C at over 150 MB/s, where a regular expression
    over the bytes ran at 13 MB/s. A U+FFFD written in the file itself is such a character.
    """
    text = body.decode("utf-8", errors="replace")
    literal = body.find(_FFFD)
    if literal < 0 and len(text.encode()) == len(text) + 2 * text.count("\ufffd"):
        return None
    found = []
    if literal >= 0:
        found.append(line + _lines_in(body[:literal]))
    if m := _NOT_ASCII.search(text):
        head = text[: m.start()]
        found.append(line + head.count("\n") + head.count("\r") - head.count("\r\n"))
    return min(found)


def _line_end(data: bytes, at: int) -> int:
    ends = [i for i in (data.find(b"\n", at), data.find(b"\r", at)) if i >= 0]
    return min(ends) if ends else len(data)


def _with_end(chunks: Iterable[bytes]) -> Iterator[bytes]:
    yield from (c for c in chunks if c)
    yield b""  # the end: whatever is carried is read as it is


def _shown(line: bytes) -> str:
    """A line as the problem table shows it: bytes that are not UTF-8 as \\xNN."""
    text = line.decode("utf-8", errors="backslashreplace").strip()
    return text if len(text) <= 120 else text[:117] + "..."


def scan(data: bytes) -> Scan:
    """Which encoding ``data`` (a whole file's bytes) is in; see the module's docstring."""
    return scan_chunks([data])


def scan_file(path: Path) -> Scan:
    """:func:`scan` of a file, read 4 MiB at a time."""
    with open(path, "rb") as f:
        return scan_chunks(iter(lambda: f.read(_CHUNK), b""))


def mixed_error(label: str, found: Scan) -> InputError:
    """The problem table of a file that mixes UTF-8 and Windows-1252."""
    p = Problems(label)
    p.add(
        found.first_bad_line,
        None,
        found.first_bad_text,
        "this file mixes two text encodings: line "
        f"{found.first_bad_line} has a byte that is not UTF-8 (Windows-1252, as Excel saves "
        f"'CSV'), while line {found.first_utf8_line} has UTF-8 characters; read either way, "
        "some names would come out wrong (CafÃ© for Café)",
        SAVE_AS_UTF8,
    )
    return p.error()


def decode_bytes(data: bytes, label: str = "the file") -> tuple[str, str]:
    """(text, encoding) of a whole file: UTF-8 (with or without BOM) first, then
    Windows-1252, which is what Excel on Windows writes as "CSV"; latin-1 for the five
    bytes Windows-1252 leaves undefined. A file mixing UTF-8 and Windows-1252 raises
    :class:`InputError` naming ``label``."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    found = scan(data)
    if found.encoding == "mixed":
        raise mixed_error(label, found)
    for enc in ("cp1252", "latin-1"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover
