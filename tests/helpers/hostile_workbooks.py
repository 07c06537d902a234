"""Hostile XLSX files, each made from a real workbook by editing its XML as an attacker
would: shared by the command line's tests (tests/security) and the web's (tests/web).

Each builder writes a file and returns its path; :data:`XLSX_GARBAGE` gives bytes that are
not a workbook at all, with the words the refusal must say.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SHEET = "xl/worksheets/sheet1.xml"


def real_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["partner", "year", "service", "amount_gbp"])
    wb.active.append(["cc", "2024/25", "EDU", 100])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_of_text() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    return buf.getvalue()


# name -> (bytes, what the message says)
XLSX_GARBAGE: dict[str, tuple[Callable[[], bytes], str]] = {
    "random bytes": (
        lambda: random.Random(11).randbytes(4000),
        "a zip archive and this one is not",
    ),
    "a text file renamed": (
        lambda: b"partner,year\ncc,2024/25\n",
        "a zip archive and this one is not",
    ),
    "an empty file": (lambda: b"", "the file is empty"),
    "a zip cut short": (lambda: real_xlsx()[:2500], "damaged or cut short"),
    "a zip of something else": (zip_of_text, "holds no Excel workbook"),
    "an old .xls renamed": (lambda: OLE2 + bytes(600), "old-format .xls"),
}


def workbook(path: Path, wide: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["partner", "year", "service", "amount_gbp"])
    ws.append(["cc", "2024/25", "EDU", 100])
    if wide:
        ws.cell(row=2, column=16384, value="x")  # column XFD
    wb.save(path)
    return path


def edit_part(path: Path, edit: Callable[[bytes], bytes], part: str = SHEET) -> Path:
    """A copy of the workbook ``path`` named ``hostile-NAME`` with ``part``'s XML edited."""
    out = path.with_name("hostile-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == part:
                data = edit(data)
            dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out


def merged_over_the_sheet(tmp_path: Path) -> Path:
    return edit_part(
        workbook(tmp_path / "m.xlsx"),
        lambda x: x.replace(
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="F1:XFD1048576"/></mergeCells>',
        ),
    )


def zip_bomb(tmp_path: Path) -> Path:
    padding = b" " * (30 << 20)  # 30 MB of white space: compresses about a thousandfold
    return edit_part(
        workbook(tmp_path / "z.xlsx"),
        lambda x: x.replace(b"</sheetData>", padding + b"</sheetData>"),
    )


def far_column(tmp_path: Path) -> Path:
    return workbook(tmp_path / "w.xlsx", wide=True)


# nine levels of ten: &lol9; is 10**9 copies of "lol" once expanded
LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
    + b"]>"
)


def _entity_in_a_cell(dtd: bytes, reference: bytes) -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        xml = dtd + xml  # openpyxl writes no XML declaration: the DTD comes first
        return xml.replace(b"<t>EDU</t>", b"<t>" + reference + b"</t>")

    return edit


def billion_laughs(tmp_path: Path) -> Path:
    return edit_part(workbook(tmp_path / "laughs.xlsx"), _entity_in_a_cell(LAUGHS, b"&lol9;"))


def external_entity(tmp_path: Path, secret: Path | None = None) -> Path:
    """XXE: a cell whose text is an entity naming a file of the machine (``secret``)."""
    secret = secret or tmp_path / "secret.txt"
    if not secret.exists():
        secret.write_text("TOP SECRET", encoding="utf-8")
    dtd = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "' + secret.as_uri().encode() + b'">]>'
    return edit_part(workbook(tmp_path / "xxe.xlsx"), _entity_in_a_cell(dtd, b"&xxe;"))


def utf16_doctype(tmp_path: Path) -> Path:
    """The laughs in a sheet written in UTF-16, where "<!DOCTYPE" is not those bytes."""

    def edit(xml: bytes) -> bytes:
        text = _entity_in_a_cell(LAUGHS, b"&lol9;")(xml).decode("utf-8")
        return ("\ufeff" + text).encode("utf-16-le")

    return edit_part(workbook(tmp_path / "utf16.xlsx"), edit)


def entity_in_the_workbook_part(tmp_path: Path) -> Path:
    """The DTD in xl/workbook.xml, a part no sheet check reads."""
    return edit_part(
        workbook(tmp_path / "wbpart.xlsx"), lambda x: LAUGHS + x, part="xl/workbook.xml"
    )


# name -> (builder, what the refusal says)
HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zip bomb": (zip_bomb, "unpacks to"),
    "merged over the sheet": (merged_over_the_sheet, "merges more than 100,000 cells"),
    "far column": (far_column, "beyond column ZZ"),
    "billion laughs": (billion_laughs, "declares a document type"),
    "external entity (XXE)": (external_entity, "declares a document type"),
    "UTF-16 document type": (utf16_doctype, "declares a document type"),
    "entity in the workbook part": (entity_in_the_workbook_part, "declares a document type"),
}
