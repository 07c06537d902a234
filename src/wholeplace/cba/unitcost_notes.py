"""What the Unit Cost Database says in words: transfer payments and stated public values.

The workbook's Guidance sheet: "A small number of fiscal values should be excluded from the
public value calculations as they are transfer payments, e.g. tax or social security benefits.
These are indicated by a comment in the fiscal value cell". In v1.4 those notes read, for
example (Employment & Economy!H3, E&E1.0): "When calculating total public value, the £9,234
fiscal benefit to DWP should be excluded, as it is a transfer payment. Total public value is
£14,610 (2012/13 prices)." The Education & Skills qualifications (E&S5.0 ... E&S13.0) say the
same of their whole fiscal value to HM Treasury, without an amount. A few Comment cells state a
public value too (FI1.0's "average public value consequence cost per fire ... is £5,792").

The note on the fiscal value cell is read first, then the entry's Comment cell.
"""

from __future__ import annotations

import re
from decimal import Decimal

from wholeplace.cba.agencies import normalise_agency
from wholeplace.cba.deflators import DeflatorError, parse_year
from wholeplace.cba.unitcost_book import StatedValue, Transfer, UnitCost
from wholeplace.cba.unitcost_use import is_constituent

_MONEY = r"£\s?(?P<amount>\d[\d,]*(?:\.\d+)?)"
_TRANSFER = re.compile(
    r"(?:" + _MONEY + r"\s+)?fiscal\s+(?:benefit|saving|value)s?"
    r"(?:\s+to\s+(?P<agency>[\w&'/ ]+?))?(?:\s+from\s+[\w ]+?)?\s+should\s+be\s+excluded",
    re.I,
)
_STATED = re.compile(
    r"public value[^£.]*?\b(?:is|was)\b(?:\s+therefore)?\s+" + _MONEY,
    re.I,
)
_PRICES = re.compile(r"\((?P<year>\d{4}\s*[/-]\s*\d{2})\s+prices\)", re.I)
# A sentence ends at a full stop followed by a space or the end (not the point in "£5.40").
_SENTENCE_END = re.compile(r"\.(?=\s|$)")


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding ``text[start:end]``."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return (before[-1] if before else 0), (after.start() if after else len(text))


def _clean(text: str) -> str:
    return " ".join(text.split())


def find_transfer(text: str, where: str, entry: UnitCost) -> Transfer | None:
    """The transfer a note states, if it states one (the whole fiscal value where it names
    no amount; the entry's agency where it names none)."""
    if "transfer payment" not in text.lower() or "fiscal" not in entry.values:
        return None
    m = _TRANSFER.search(text)
    if m is None:
        return None
    fiscal = entry.values["fiscal"].amount
    amount = _amount(m.group("amount")) if m.group("amount") else fiscal
    agency = normalise_agency(m.group("agency") or entry.agency)
    s, e = _sentence(text, m.start(), m.end())
    return Transfer(amount, agency, _clean(text[s:e]) + ".", where)


def find_stated(text: str, where: str, entry: UnitCost) -> StatedValue | None:
    """The public value a note states, with its price year (the one named in the same
    sentence, else the year of the entry's values)."""
    m = _STATED.search(text)
    if m is None:
        return None
    s, e = _sentence(text, m.start(), m.end())
    year_m = _PRICES.search(text, m.end(), e) or _PRICES.search(text, s, e)
    year = None
    if year_m:
        try:
            year = parse_year(re.sub(r"\s", "", year_m.group("year")))
        except DeflatorError:
            year = None
    if year is None:
        years = [v.year for v in entry.values.values()]
        if not years:
            return None
        year = years[0]
    return StatedValue(_amount(m.group("amount")), year, _clean(text[s:e]) + ".", where)


def col_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_notes(entry: UnitCost, texts: list[tuple[str, str]]) -> UnitCost:
    """``entry`` with the transfer and stated public value its notes give; ``texts`` are
    (text, where) in the order to read them: the fiscal cell's note, then the Comment."""
    transfer = stated = None
    for text, where in texts:
        if not text:
            continue
        transfer = transfer or find_transfer(text, where, entry)
        stated = stated or find_stated(text, where, entry)
    entry.transfer = transfer
    entry.stated_public_value = stated
    return entry


def derive_constituent_transfers(entries: list[UnitCost]) -> list[str]:
    """A headline's transfer marks its constituent that is exactly that transfer: E&E1.0's
    note excludes "the £9,234 fiscal benefit to DWP", which is E&E1.0.1 (DWP, £9,234).
    Returns a note per entry marked."""
    notes: list[str] = []
    for head in entries:
        t = head.transfer
        fiscal = head.values.get("fiscal")
        if t is None or fiscal is None or t.where.startswith("derived"):
            continue
        for e in entries:
            v = e.values.get("fiscal")
            if (
                e.transfer is None
                and is_constituent(e.code, head.code)
                and v is not None
                and v.year == fiscal.year
                and v.amount == t.amount
                and normalise_agency(e.agency) == t.agency
            ):
                e.transfer = Transfer(
                    v.amount, t.agency, t.note, f"derived from the note on {head.code} ({t.where})"
                )
                notes.append(
                    f"{e.code}: all of it a transfer to {t.agency}, as {head.code}'s note says"
                )
    return notes
