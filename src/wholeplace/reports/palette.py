"""The one palette of every report: Okabe and Ito's colour-blind-safe colours.

Source: Masataka Okabe and Kei Ito, *Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people* (2008),
https://jfly.uni-koeln.de/color/ ; the eight colours stay distinct for readers with
protanopia, deuteranopia and tritanopia.

The same partner gets the same colour in every chart: a partner's colour comes from the kind
of body it is (:data:`KIND_COLOURS`: NHS, police, fire, DWP, councils...), read from its name,
so "NHS" in an appraisal and "NHS Lancashire ICB" in a gain-share chart are both the NHS
colour. A name of no known kind takes a colour from a checksum of its name, which is the same
in every run. Only when two bodies of one chart would share a colour does the second take the
colour no other body of the chart prefers (:func:`colours`), so no chart shows two partners
alike and no body loses its own colour to a second council.

Gains and losses are blue against orange (:data:`GAIN`, :data:`LOSS`), never red against
blue or red against green.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from wholeplace.labels import match_key

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#999999"

OKABE_ITO: tuple[str, ...] = (
    BLUE,
    ORANGE,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
    GREY,
)
"""The order colours are handed out in (black is kept for text and rules)."""

# Beyond eight series the palette repeats with the same hues, so a ninth series would look
# like the first: Tableau 10's muted hues follow, still distinct in hue and lightness.
PALETTE: tuple[str, ...] = (*OKABE_ITO, "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1")

GAIN = BLUE
LOSS = ORANGE
NEUTRAL = GREY

# (words any of which in a name's match key mark the kind, colour), first match wins.
KIND_COLOURS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("nhs", "icb", "clinical commissioning", "hospital", "health"), BLUE),
    (("police", "pcc", "constabulary", "crime commissioner", "court", "justice"), VERMILLION),
    (("fire",), YELLOW),
    (("dwp", "work and pensions", "jobcentre", "hm treasury", "hmrc", "revenue"), REDDISH_PURPLE),
    (("school", "academy", "education", "college"), SKY_BLUE),
    (("housing", "homes"), GREY),
    (("council", "local authority", "borough", "district", "county", "social services"), ORANGE),
    (("children",), ORANGE),
    (("voluntary", "charity", "community", "third sector"), BLUISH_GREEN),
)


def preferred_colour(name: str) -> str:
    """The colour of a body by its kind, else by a checksum of its name (the same every run)."""
    key = f" {match_key(name)} "
    for words, colour in KIND_COLOURS:
        if any(f" {w} " in key for w in words):
            return colour
    return PALETTE[zlib.crc32(key.strip().encode("utf-8")) % len(PALETTE)]


def colours(names: Iterable[str]) -> dict[str, str]:
    """A colour for each name of one chart: its preferred colour, unless an earlier name of
    the chart has it already; such names then take the colours no name of the chart prefers,
    so a second council never takes the NHS's blue from the NHS."""
    order = list(dict.fromkeys(names))
    out: dict[str, str] = {}
    for name in order:
        colour = preferred_colour(name)
        if colour not in out.values():
            out[name] = colour
    for name in order:
        if name not in out:
            free = [c for c in PALETTE if c not in out.values()]
            out[name] = free[0] if free else PALETTE[len(out) % len(PALETTE)]
    return {name: out[name] for name in order}
