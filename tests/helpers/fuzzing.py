"""Hostile files for the fuzz test (tests/security/test_fuzz.py): what they are made of.

Every strategy here turns a valid seed file into a stream of hostile variants of it:
random bytes, the seed cut short, NULs and odd Unicode put in, cells replaced by values of
the wrong kind, numbers out of range, deep nesting, broken zips. Each strategy is named, so
that a class of crash another branch is fixing can be skipped by name (with that branch
named in the reason) while the rest keep running.

The place's state is compared before and after a refused file by :func:`snapshot`: every
table's row count and a checksum of its rows, and the files in the place's folder; the memory
one file takes is measured by :class:`PeakMemory`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tracemalloc
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml
from hypothesis import strategies as st

# -- values --------------------------------------------------------------------------------

# Values of the wrong kind, or at an edge, that every reader must refuse or accept cleanly.
ODD_TEXT = [
    "",
    " ",
    "abc",
    "£",
    "-",
    "0",
    "-1",
    "0.00",
    "1,000",
    "£1,234.56",
    "1.005",
    "12e3",
    "50%",
    "120%",
    "-5%",
    "2024/25",
    "2024-25",
    "1899/00",
    "2999/00",
    "FY",
    "yes",
    "no",
    "null",
    "~",
    "true",
    "=1+1",
    "@SUM(A1)",
    "\t",
    "a\nb",
    "a\r\nb",
    "é",
    "Café Verde",
    "日本語",
    "\u202egnp.exe",
    "\ufeff",
    "💷",
    "\x00",
    "\x1b[31m",
    "0x1F",
    "1_000",
    "[1, 2]",
    "{a: 1}",
    "*a",
    "&a",
    "!!binary AAAA",
    "%",
    "'",
    '"',
    ",",
    ";",
    "x" * 300,
]
ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    3.5,
    -0.0,
    123456789.12,
    [],
    [1],
    [[[]]],
    {},
    {"a": 1},
    {"cash": "x"},
    date(2024, 4, 1),
    *ODD_TEXT,
]

# Numbers beyond what an amount can hold (DECIMAL(18,2)) or a float can: the subject of
# branch sec-amounts (amounts) and sec-inputs (populations).
OUT_OF_RANGE: list[Any] = [
    "1e17",
    1e17,
    "1e30",
    1e30,
    -1e30,
    "1e999999999",
    "-1e999999999",
    "9999999999999999.995",
    "99999999999999999999999",
    10**23,
    10**40,
    "9" * 40,
    float("inf"),
    float("-inf"),
    float("nan"),
    "inf",
    "-Infinity",
    "NaN",
    "1e-999999999",
]
# Amounts written the way no ledger writes them: branch sec-amounts.
JUNK_AMOUNTS = [
    "(-100)",
    "-100 CR",
    "--5",
    "+-3",
    "€1$2£3",
    "1 2 3",
    "١٢٣",
    "１２３",
    "(1,000) CR",
    "1.2.3",
    "£-£5",
]
# Dates far outside any financial year a file covers: branch sec-amounts.
ODD_DATES = [
    "0000-01-01",
    "0001-01-01",
    "00/00/0000",
    "31/02/2024",
    "9999-12-31",
    "01/01/0001",
    "1-Jan-00",
    "29/02/2023",
]
LONG_FIELD = "x" * 200_000  # beyond the csv module's 131,072: branch sec-inputs

# -- text files ----------------------------------------------------------------------------


def random_bytes() -> st.SearchStrategy[bytes]:
    return st.binary(max_size=2048)


def empty() -> st.SearchStrategy[bytes]:
    return st.sampled_from([b"", b"\n", b"\r\n\r\n", b"\xef\xbb\xbf", b"\x00", b" ", b"\xff\xfe"])


def truncated(seed: bytes) -> st.SearchStrategy[bytes]:
    return st.integers(0, max(len(seed) - 1, 0)).map(lambda k: seed[:k])


def with_nuls(seed: bytes) -> st.SearchStrategy[bytes]:
    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        out = bytearray(seed)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(out)))
            out[at:at] = b"\x00" * draw(st.integers(1, 3))
        return bytes(out)

    return build()


def with_unicode(seed: bytes) -> st.SearchStrategy[bytes]:
    """Odd text (control characters, right-to-left marks, astral planes) put anywhere."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        text = seed.decode("utf-8")
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(text)))
            piece = draw(
                st.one_of(
                    st.sampled_from(ODD_TEXT),
                    st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
                )
            )
            text = text[:at] + piece + text[at:]
        return text.encode("utf-8")

    return build()


def in_other_encoding(seed: bytes) -> st.SearchStrategy[bytes]:
    """The seed (with a non-ASCII name in it) saved as UTF-16, UTF-32 or Windows-1252."""
    text = seed.decode("utf-8").replace("a", "é", 1)
    return st.sampled_from(["utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"]).map(
        lambda enc: text.encode(enc)
    )


def mixed_encoding(seed: bytes) -> st.SearchStrategy[bytes]:
    """One line in Windows-1252, the rest in UTF-8: branch sec-place."""
    lines = seed.decode("utf-8").splitlines(keepends=True)

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        return b"".join(
            (ln + "é").encode("cp1252") if n == i else (ln + "é").encode("utf-8")
            for n, ln in enumerate(lines)
        )

    return build()


def shuffled_lines(seed: bytes) -> st.SearchStrategy[bytes]:
    """Lines dropped, repeated or moved (the header too)."""
    lines = seed.splitlines(keepends=True)

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        out = list(lines)
        for _ in range(draw(st.integers(1, 4))):
            op = draw(st.sampled_from(["drop", "repeat", "move", "many"]))
            if not out:
                break
            i = draw(st.integers(0, len(out) - 1))
            if op == "drop":
                del out[i]
            elif op == "repeat":
                out.insert(i, out[i])
            elif op == "move":
                out.insert(draw(st.integers(0, len(out))), out.pop(i))
            else:
                out[i:i] = [out[i]] * 200
        return b"".join(out)

    return build()


# -- CSV -----------------------------------------------------------------------------------


def _csv_cells(seed: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(seed.decode("utf-8"))))


def _csv_bytes(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def csv_cell(seed: bytes, values: list[Any], header: bool = False) -> st.SearchStrategy[bytes]:
    """One to three cells of the seed replaced by ``values`` (data rows; or the header)."""
    rows = _csv_cells(seed)

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        out = [list(r) for r in rows]
        filled = [i for i, r in enumerate(out) if r and i > 0]
        for _ in range(draw(st.integers(1, 3))):
            r = 0 if header else draw(st.sampled_from(filled))
            c = draw(st.integers(0, len(out[r]) - 1))
            v = draw(st.sampled_from(values))
            out[r][c] = "" if v is None else str(v)
        return _csv_bytes(out)

    return build()


def duplicate_header(seed: bytes) -> st.SearchStrategy[bytes]:
    """A column named twice, or named by two of its spellings: branch sec-place."""
    rows = _csv_cells(seed)

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        out = [list(r) for r in rows]
        c = draw(st.integers(0, len(out[0]) - 1))
        alias = draw(st.sampled_from([out[0][c], out[0][c].upper(), "amount", "Amount (£)"]))
        out[0].append(alias)
        for r in out[1:]:
            r.append(draw(st.sampled_from(["1", "x", ""])))
        return _csv_bytes(out)

    return build()


def ragged_rows(seed: bytes) -> st.SearchStrategy[bytes]:
    """Rows with more cells than the header, or fewer: branch sec-place."""
    rows = _csv_cells(seed)

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        out = [list(r) for r in rows]
        r = draw(st.sampled_from([i for i, row in enumerate(out) if row and i > 0]))
        if draw(st.booleans()):
            out[r] = out[r] + ["extra"] * draw(st.integers(1, 3))
        else:
            out[r] = out[r][: draw(st.integers(0, max(len(out[r]) - 1, 0)))]
        return _csv_bytes(out)

    return build()


# -- YAML and JSON -------------------------------------------------------------------------


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            found.extend(_paths(v, (*prefix, k)))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            found.extend(_paths(v, (*prefix, i)))
    return found


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in doc.items()}
    return [_replace(v, rest, value) if i == head else v for i, v in enumerate(doc)]


def _nested(depth: int, leaf: Any, kind: str) -> Any:
    for _ in range(depth):
        leaf = [leaf] if kind == "list" else {"a": leaf}
    return leaf


def _dump(doc: Any, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(doc, default=str, allow_nan=True).encode("utf-8")
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000).encode("utf-8")


def tree_values(doc: Any, values: list[Any], fmt: str = "yaml") -> st.SearchStrategy[bytes]:
    """One to three values (or whole branches) of a YAML/JSON document replaced."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        out = doc
        for _ in range(draw(st.integers(1, 3))):
            # the paths of the document as it is now: a replaced branch has gone
            path = draw(st.sampled_from(_paths(out)))
            out = _replace(out, path, draw(st.sampled_from(values)))
        return _dump(out, fmt)

    return build()


def tree_deep(doc: Any, fmt: str = "yaml") -> st.SearchStrategy[bytes]:
    """A value replaced by lists or mappings nested 2 to 3,000 levels deep."""
    paths = _paths(doc)

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        depth = draw(st.sampled_from([2, 5, 20, 49, 50, 51, 200, 3000]))
        kind = draw(st.sampled_from(["list", "map"]))
        deep = _nested(depth, draw(st.sampled_from([1, "x", None])), kind)
        path = draw(st.sampled_from(paths))
        if fmt == "json" or depth > 200:
            # safe_dump itself recurses: written by hand, in flow style, past its depth
            opening, closing = ("[", "]") if kind == "list" else ('{"a": ', "}")
            marker = "__deep__"
            text = _dump(_replace(doc, path, marker), fmt).decode("utf-8")
            quoted = json.dumps(marker) if fmt == "json" else marker
            text = text.replace(quoted, opening * depth + "1" + closing * depth, 1)
            return text.encode("utf-8")
        return _dump(_replace(doc, path, deep), fmt)

    return build()


YAML_SPECIALS = [
    ": ",
    "- ",
    "&a ",
    "*a",
    "*zz",
    "!!python/object/apply:os.system ['true']",
    "!!binary",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!timestamp x",
    "%YAML 1.1\n",
    "\n---\n",
    "\n...\n",
    "\t",
    "<<: *a",
    "|\n",
    ">-\n",
    "'",
    '"',
    "{",
    "[",
    "#",
    "@",
    "`",
    "2024-13-45",
    "0o777",
    ".inf",
    ".nan",
]
# YAML that makes a mapping key of a list or a mapping: branch sec-inputs.
UNHASHABLE_KEYS = ["? [a, b]\n: 1\n", "{[1]: 2}", "? {a: 1}\n: x\n", "[[1]]: 1\n"]


def yaml_syntax(seed: bytes, pieces: list[str] = YAML_SPECIALS) -> st.SearchStrategy[bytes]:
    """YAML's own syntax (anchors, tags, documents, flow brackets) put anywhere."""
    text = seed.decode("utf-8")

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        out = text
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(out)))
            out = out[:at] + draw(st.sampled_from(pieces)) + out[at:]
        return out.encode("utf-8")

    return build()


def unhashable_keys(seed: bytes) -> st.SearchStrategy[bytes]:
    """A list or mapping as a key, at the top or within: branch sec-inputs."""
    text = seed.decode("utf-8")
    lines = text.splitlines(keepends=True)

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        piece = draw(st.sampled_from(UNHASHABLE_KEYS))
        if draw(st.booleans()):
            return (text.rstrip("\n") + "\n" + piece).encode("utf-8")
        i = draw(st.integers(0, len(lines)))
        indent = ""
        if i < len(lines):
            stripped = lines[i].lstrip(" ")
            indent = lines[i][: len(lines[i]) - len(stripped)]
        block = "".join(indent + p + "\n" for p in piece.splitlines())
        return "".join([*lines[:i], block, *lines[i:]]).encode("utf-8")

    return build()


# -- XLSX ----------------------------------------------------------------------------------

Sheets = dict[str, list[list[Any]]]


def workbook_bytes(sheets: Sheets, merges: dict[str, list[str]] | None = None) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sh = wb.create_sheet(name[:31] or "Sheet")
        for r in rows:
            sh.append([_cell(v) for v in r])
        for ref in (merges or {}).get(name, []):
            sh.merge_cells(ref)
    out = io.BytesIO()
    wb.save(out)
    return stable(out.getvalue())


def stable(book: bytes) -> bytes:
    """The workbook with its save time taken out (zip entries and document properties), so
    the same cells always give the same bytes and a derandomized run is repeatable."""
    parts: list[tuple[str, bytes]] = []
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-04-01T00:00:00Z", data)
            parts.append((info.filename, data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, (2024, 4, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _cell(v: Any) -> Any:
    """What openpyxl can hold in a cell (it refuses control characters and containers)."""
    if isinstance(v, list | dict):
        return json.dumps(v)
    if isinstance(v, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("?", v)[:32_767]
    return v


XLSX_VALUES: list[Any] = [
    *[v for v in ODD_VALUES if not isinstance(v, list | dict)],
    datetime(2024, 4, 1, 12, 30),
    datetime(1900, 1, 1),
    "=1/0",
    "=A1",
    "=SUM(A1:A3)",
    '=HYPERLINK("http://x","y")',
    "=#REF!",
    "#N/A",
    "#DIV/0!",
]


def xlsx_cells(sheets: Sheets, values: list[Any]) -> st.SearchStrategy[bytes]:
    """One to three cells of a sheet replaced by ``values``; sometimes a small merge."""
    names = list(sheets)

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        out = {n: [list(r) for r in rows] for n, rows in sheets.items()}
        for _ in range(draw(st.integers(1, 3))):
            rows = out[draw(st.sampled_from(names))]
            r = draw(st.integers(0, len(rows) - 1))
            if not rows[r]:
                continue
            c = draw(st.integers(0, len(rows[r]) - 1))
            rows[r][c] = draw(st.sampled_from(values))
        merges: dict[str, list[str]] = {}
        if draw(st.booleans()):
            merges[draw(st.sampled_from(names))] = [
                draw(st.sampled_from(["A1:B2", "B2:C5", "A3:A4"]))
            ]
        return workbook_bytes(out, merges)

    return build()


def xlsx_sheets(sheets: Sheets) -> st.SearchStrategy[bytes]:
    """Sheets dropped, renamed, emptied or repeated; rows dropped or repeated."""
    names = list(sheets)

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        out = {n: [list(r) for r in rows] for n, rows in sheets.items()}
        op = draw(st.sampled_from(["drop", "rename", "empty", "rows", "extra"]))
        name = draw(st.sampled_from(names))
        if op == "drop" and len(out) > 1:
            del out[name]
        elif op == "rename":
            out[draw(st.sampled_from(["Sheet1", "x" * 31, "é", "'", "History"]))] = out.pop(name)
        elif op == "empty":
            out[name] = []
        elif op == "rows" and out[name]:
            i = draw(st.integers(0, len(out[name]) - 1))
            if draw(st.booleans()):
                del out[name][i]
            else:
                out[name][i:i] = [out[name][i]] * draw(st.integers(1, 300))
        else:
            out["Extra"] = [["a", "b"], [1, 2]]
        return workbook_bytes(out)

    return build()


def broken_zip(seed: bytes) -> st.SearchStrategy[bytes]:
    """A valid workbook with one of its parts cut short, replaced by junk, or left out."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        with zipfile.ZipFile(io.BytesIO(seed)) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
        name = draw(st.sampled_from(sorted(parts)))
        op = draw(st.sampled_from(["cut", "junk", "drop", "xml"]))
        if op == "cut":
            parts[name] = parts[name][: draw(st.integers(0, max(len(parts[name]) - 1, 0)))]
        elif op == "junk":
            parts[name] = draw(st.binary(max_size=256))
        elif op == "drop":
            del parts[name]
        else:
            text = parts[name].decode("utf-8", "replace")
            at = draw(st.integers(0, len(text)))
            piece = draw(
                st.sampled_from(["<v>1e999</v>", "<x>", "</row>", "&bad;", "\x00", 'r="ZZZ1"'])
            )
            parts[name] = (text[:at] + piece + text[at:]).encode("utf-8")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for n, data in parts.items():
                z.writestr(zipfile.ZipInfo(n, (2024, 4, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
        return out.getvalue()

    return build()


# -- the place -----------------------------------------------------------------------------


def snapshot(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, Any]:
    """Every table's row count and a checksum of its rows, and the place folder's files."""
    tables = [
        t
        for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1"
        ).fetchall()
    ]
    # one query for all: a query per table would be most of the fuzz test's time
    counts = " UNION ALL ".join(
        f"SELECT '{t}', count(*), coalesce(sum(hash(x)::HUGEINT), 0) FROM \"{t}\" x" for t in tables
    )
    state: dict[str, Any] = {t: (n, h) for t, n, h in con.execute(counts).fetchall()}
    state["files"] = sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if not p.name.endswith(".wal") and p.name != "place.duckdb"
    )
    return state


Strategy = Callable[[], st.SearchStrategy[bytes]]


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


class PeakMemory:
    """The most memory one call takes, beyond what the process held when it began.

    On Linux the process's peak resident size is reset before the call (``/proc/self/
    clear_refs``), so the figure counts what DuckDB and openpyxl hold in C as well as Python
    objects, at the cost of two small reads. Elsewhere it falls back on tracemalloc's peak,
    which sees Python's memory only and slows the run two to three times.
    """

    _CLEAR = Path("/proc/self/clear_refs")
    _STATUS = Path("/proc/self/status")

    def __init__(self) -> None:
        self.kernel = self._CLEAR.exists() and os.access(self._CLEAR, os.W_OK)
        self._base = 0

    def _status(self, key: str) -> int:
        m = re.search(rf"^{key}:\s+(\d+) kB", self._STATUS.read_text(), re.M)
        return int(m.group(1)) * 1024 if m else 0

    def start(self) -> None:
        if self.kernel:
            self._CLEAR.write_text("5")  # peak resident size := resident size now
            self._base = self._status("VmRSS")
        else:
            if not tracemalloc.is_tracing():
                tracemalloc.start()
            tracemalloc.reset_peak()
            self._base = tracemalloc.get_traced_memory()[0]

    def peak(self) -> int:
        """Bytes above the start, at the call's peak."""
        if self.kernel:
            return max(self._status("VmHWM") - self._base, 0)
        return tracemalloc.get_traced_memory()[1] - self._base
