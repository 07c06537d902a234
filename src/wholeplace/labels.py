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
