"""A file mixing UTF-8 and Windows-1252 is refused; a Windows-1252 file still imports
(issue 11, item 6).

Before: a mixed file was read as Windows-1252 throughout, so its UTF-8 "Café Verde" was
stored as "CafÃ© Verde"; and a Windows-1252 transaction file whose first MiB happened to be
plain ASCII was refused with DuckDB's "not utf-8 encoded" error.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import duckdb
import pytest
from place_state import cli, make_place, problems_of, state


def enc() -> ModuleType:
    """wholeplace.encodings, imported late so that the command tests below also run (and
    fail) on the code before it existed."""
    import wholeplace.encodings

    return wholeplace.encodings


CAFE_UTF8 = "Café Verde".encode()
CAFE_1252 = "Café Rouge £".encode("cp1252")
TX_HEADER = b"Directorate,Service Area,Supplier Name,Payment Date,Net Amount\n"


@pytest.fixture
def place(tmp_path: Path) -> Path:
    return make_place(tmp_path / "place")


def _stored(place: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(place / "place.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# -- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding", "bad", "utf8"),
    [
        (b"plain ascii\n", "utf-8", None, None),
        (b"a\n" + CAFE_UTF8 + b"\n", "utf-8", None, 2),
        (b"a\n" + CAFE_1252 + b"\n", "cp1252", 2, None),
        (b"a\n" + CAFE_UTF8 + b"\n" + CAFE_1252 + b"\n", "mixed", 3, 2),
        (b"a\r\n" + CAFE_1252 + b"\r\n" + CAFE_UTF8, "mixed", 2, 3),  # CRLF
        (b"a\r\r" + CAFE_1252 + b"\r" + CAFE_UTF8, "mixed", 3, 4),  # old Mac CR only
        (b"\xef\xbb\xbfid\n" + CAFE_1252, "mixed", 2, 1),  # a UTF-8 byte-order mark counts
        (b"x\n\xe2\x82", "cp1252", 2, None),  # a character cut off at the end
    ],
)
def test_which_encoding(data: bytes, encoding: str, bad: int | None, utf8: int | None) -> None:
    found = enc().scan(data)
    assert (found.encoding, found.first_bad_line, found.first_utf8_line) == (encoding, bad, utf8)


def test_reading_in_pieces_finds_the_same_at_every_cut() -> None:
    # cuts inside a character (é is two bytes, € three), between CR and LF, everywhere
    data = b"a\r\n" + "€ Café\r\n".encode() + b"x\r" + CAFE_1252 + b"\r\n" + "€".encode()
    whole = enc().scan(data)
    assert (whole.encoding, whole.first_bad_line, whole.first_utf8_line) == ("mixed", 4, 2)
    for i in range(len(data) + 1):
        for j in range(i, len(data) + 1):
            assert enc().scan_chunks([data[:i], data[i:j], data[j:]]) == whole, (i, j)


def test_the_problem_names_the_line_and_shows_the_byte() -> None:
    with pytest.raises(Exception) as e:
        enc().decode_bytes(b"name\n" + CAFE_UTF8 + b"\n" + CAFE_1252 + b"\n", "x.csv")
    [p] = e.value.problems  # type: ignore[attr-defined]
    assert (p.file, p.row, p.value) == ("x.csv", 3, "Caf\\xe9 Rouge \\xa3")
    assert "line 3 has a byte that is not UTF-8" in p.message
    assert "line 2 has UTF-8 characters" in p.message
    assert "CSV UTF-8" in p.fix


def test_no_windows_1252_reference_file_reads_as_mixed(reference: Path) -> None:
    # The false alarm the rule can raise (a capital accented letter followed at once by a
    # Windows-1252 sign, as in CAFÉ’S) does not occur in the published files: the nine in
    # Windows-1252 (eight Hyndburn spend files, Cheltenham's asset register) read as such.
    found = {f.name: enc().scan_file(f).encoding for f in sorted(reference.rglob("*.csv"))}
    cp1252 = sorted(n for n, e in found.items() if e == "cp1252")
    assert len(cp1252) == 9
    assert "mixed" not in found.values()


# -- through the commands ---------------------------------------------------------------------


def test_mixed_spend_file_is_refused(place: Path, tmp_path: Path) -> None:
    f = tmp_path / "spend.csv"
    f.write_bytes(
        b"partner,year,service,amount_gbp,subservice\n"
        + b"cc,2024/25,ASC,1.00,"
        + CAFE_UTF8
        + b"\ncc,2024/25,EDU,2.00,"
        + CAFE_1252
        + b"\n"
    )
    before = state(place)
    [p] = problems_of(cli("spend", "import", str(f), "-w", str(place), "--json"))
    assert (p["file"], p["row"]) == ("spend.csv", 3)
    assert state(place) == before


def test_windows_1252_spend_file_still_imports(place: Path, tmp_path: Path) -> None:
    f = tmp_path / "spend.csv"
    f.write_bytes(b"partner,year,service,amount_gbp,subservice\ncc,2024/25,ASC,1.00,Caf\xe9\n")
    res = cli("spend", "import", str(f), "-w", str(place))
    assert res.exit_code == 0, res.output
    assert _stored(place, "SELECT subservice FROM spend_lines") == [("Café",)]


@pytest.mark.parametrize("filler", [0, 30_000])  # 30,000 lines: past the first MiB
def test_mixed_transaction_file_is_refused(place: Path, tmp_path: Path, filler: int) -> None:
    body = b"".join(b"Place,Parks,Supplier %d,06/04/2024,5.00\n" % i for i in range(filler))
    f = tmp_path / "payments.csv"
    f.write_bytes(
        TX_HEADER
        + body
        + b"Place,Parks,"
        + CAFE_UTF8
        + b",06/04/2024,5.00\nPlace,Parks,"
        + CAFE_1252
        + b",07/04/2024,6.00\n"
    )
    before = state(place)
    argv = ("spend", "import-transactions", str(f), "--partner", "dc", "-w", str(place))
    [p] = problems_of(cli(*argv, "--json"))
    assert p["row"] == filler + 3
    assert f"line {filler + 2} has UTF-8 characters" in str(p["message"])
    assert state(place) == before


@pytest.mark.parametrize(
    ("filler", "one_pass"),
    [(0, False), (30_000, False), (30_000, True)],  # one_pass: as a file of 64 MB or more
)
def test_windows_1252_transaction_file_imports(
    place: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filler: int, one_pass: bool
) -> None:
    import wholeplace.spend.transactions.loading as loading

    monkeypatch.setattr(loading, "FAST_PATH_BYTES", 0 if one_pass else 1 << 62)
    body = b"".join(b"Place,Parks,Supplier %d,06/04/2024,5.00\n" % i for i in range(filler))
    f = tmp_path / "payments.csv"
    f.write_bytes(TX_HEADER + body + b"Place,Parks," + CAFE_1252 + b",07/04/2024,6.00\n")
    assert f.stat().st_size > (1 << 20) or filler == 0
    argv = ("spend", "import-transactions", str(f), "--partner", "dc", "-w", str(place))
    res = cli(*argv)
    assert res.exit_code == 0, res.output
    assert "(2024/25; cp1252)" in res.stdout
    assert _stored(place, "SELECT supplier FROM transactions WHERE supplier LIKE 'Caf%'") == [
        ("Café Rouge £",)
    ]


def test_mixed_deflator_file_is_refused(place: Path, tmp_path: Path) -> None:
    f = tmp_path / "deflators.csv"
    f.write_bytes(
        b"year,pct_change,source\n2023/24,1.0," + CAFE_UTF8 + b"\n2024/25,2.0," + CAFE_1252
    )
    before = state(place)
    [p] = problems_of(cli("unitcosts", "deflators", "import", str(f), "-w", str(place), "--json"))
    assert p["row"] == 3
    assert state(place) == before
