"""Normalising labels to match names: the one rule, used wherever names are matched.

People write the same name many ways: ``Adult Social Care``, ``adult social-care``,
``ADULT  SOCIAL CARE.``, ``Highways & Transport``. :func:`match_key` turns each into
one key, so two labels match when their keys are equal::

    >>> match_key("  Highways & Transport (Services) ")
    'highways and transport services'

The rules, in order:

1. ``None`` is the empty label; anything else is read as ``str(text)``.
2. Accents are dropped (Unicode NFKD, combining marks removed): ``Ynys Môn`` matches
   ``Ynys Mon``; compatibility forms fold too (``²`` -> ``2``, ``ﬁ`` -> ``fi``).
3. Case is folded (``str.casefold``: ``Straße`` -> ``strasse``).
4. ``&`` is the word ``and`` (``A&E`` -> ``a and e``).
5. Every run of anything other than the letters ``a``-``z`` and digits ``0``-``9``
   (spaces, punctuation, ``_``, ``£``, letters with no ASCII form) is one space, and
   spaces at either end are dropped. A key is words separated by single spaces.

:func:`header_key` is the same key written with ``_`` between the words, for column
names (``Amount (£)`` -> ``amount_gbp``).

The copies this replaces, and the inputs on which each gives a different key (surveyed
for issue 9; where nothing is listed, a copy agrees with ``match_key``):

- ``partners._type_key`` (gone; ``normalise_type`` uses ``match_key``): folded only
  whitespace, ``_`` and ``-``, and stripped before folding, so ``"County Council."``,
  ``"academy/trust"`` and ``" nhs_trust- "`` were unknown types and are now accepted.
  Every type accepted before gives the same key.
- ``tabular.norm_header`` (now ``header_key``): ``&`` was dropped (``R&D`` -> ``r_d``,
  now ``r_and_d``); a falsy non-string (``0``) was ``""`` (now ``"0"``).
- ``spend.transactions.header_key``: same rules for ASCII; ``None``/``0`` -> ``""``.
- ``spend.taxonomy._key``: same rules for ASCII (takes ``str`` only).
- ``spend.estimate._key``: keeps ``.`` (``10.2 Old age`` -> ``10.2 old age``, where
  ``match_key`` gives ``10 2 old age``: its function-code matching splits on the first
  space, so it needs the dot), has no ``&`` rule (``A&E`` -> ``a e``), and ``0`` -> ``""``.
- ``spend.outturn._label_key``: removes footnote markers first (``clean_name``:
  ``Social care (a)`` -> ``social care``; ``match_key`` alone gives ``social care a``), keeps
  punctuation (``children's social care``, where ``match_key`` gives ``children s social
  care``, so its ``SERVICE_COLUMNS`` prefixes change with it), and ``&`` -> ``and`` with no
  spaces (``A&E`` -> ``aande``). Use ``match_key(clean_name(label))``.
- ``cba.unitcost_workbook._norm``: no ``&`` rule (``A&E`` -> ``a e``); a float cell is read as an
  integer when whole (``3.0`` -> ``3``, ``match_key`` gives ``3 0``): pass it ``_text(v)``.
- All the copies above kept ASCII letters only, so a letter with an accent or no ASCII
  form was a space (``Ynys Môn`` -> ``ynys m n``, ``Straße`` -> ``stra e``, ``x²`` -> ``x``);
  ``match_key`` gives ``ynys mon``, ``strasse``, ``x2``.
- ``supplier_key`` (SQL macro, migration 0031; left as it is): upper case, drops a leading
  ``THE`` and a trailing ``LIMITED``/``LTD``/``PLC``/``LLP``/``CIC``, no ``&`` rule, and
  ``NULL`` for an empty key.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def match_key(text: object) -> str:
    """The key two labels share when a person would call them the same name."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("&", " and ")
    return _NOT_WORD.sub(" ", s).strip()


def header_key(text: object) -> str:
    """A column name as a key: :func:`match_key` with ``_`` between the words, and ``£``
    read as ``gbp`` (``" Amount (£) "`` -> ``amount_gbp``, ``£m`` -> ``gbpm``)."""
    if text is None:
        return ""
    return match_key(str(text).replace("£", "gbp")).replace(" ", "_")


# Initialisms a key spells in lower case that read in capitals as words.
_INITIALISMS = frozenset({"imd", "nhs", "asb", "dwp", "icb", "pv", "roi", "gp", "uprn", "lsoa"})


def in_words(key: str, *, capital: bool = True) -> str:
    """A program key as words a person reads: ``imd_decile`` -> ``IMD decile``,
    ``crime_rate`` -> ``Crime rate``, ``total_gbp`` -> ``Total (£)`` (``capital=False``:
    ``total (£)``, for words inside a sentence); text that is not a key is returned as it is.
    For labels the toolkit made itself; a person's own label is shown as they wrote it."""
    if not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", key):
        return key
    parts = key.split("_")
    money = len(parts) > 1 and parts[-1] == "gbp"
    if money:
        parts = parts[:-1]
    said = [w.upper() if w in _INITIALISMS else w for w in parts]
    if capital:
        said[0] = said[0][:1].upper() + said[0][1:]
    return " ".join(said) + (" (£)" if money else "")


def detail_text(detail: dict[str, object]) -> str:
    """A record's details (the audit log's, say) as one line a person reads:
    ``{"year": "2024-25", "partners_added": 2}`` -> ``year 2024-25; partners added 2``.
    Lists are joined with commas and a nested record is written the same way in brackets."""

    def value(v: object) -> str:
        if isinstance(v, dict):
            return "(" + detail_text(v) + ")"
        if isinstance(v, (list, tuple)):
            return ", ".join(value(x) for x in v) or "none"
        if v is None:
            return "none"
        if isinstance(v, bool):
            return "yes" if v else "no"
        return str(v)

    return "; ".join(f"{in_words(str(k), capital=False)} {value(v)}" for k, v in detail.items())
