"""The one palette (issue 12): Okabe-Ito, one colour per kind of partner in every chart, no two
partners of one chart alike, gains and losses never red against blue."""

from __future__ import annotations

from wholeplace.reports.charts import money_ticks, nice_step
from wholeplace.reports.palette import (
    BLUE,
    GAIN,
    LOSS,
    OKABE_ITO,
    ORANGE,
    VERMILLION,
    colours,
    preferred_colour,
)


def test_okabe_ito_colours_as_published() -> None:
    # Okabe and Ito (2008), https://jfly.uni-koeln.de/color/: RGB 230/159/0, 86/180/233,
    # 0/158/115, 240/228/66, 0/114/178, 213/94/0, 204/121/167 (and grey for "other")
    assert set(OKABE_ITO) == {
        "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999",
    }  # fmt: skip
    assert (GAIN, LOSS) == (BLUE, ORANGE)  # blue against orange, not red against blue


def test_a_partner_is_coloured_by_its_kind_whatever_its_spelling() -> None:
    assert preferred_colour("NHS") == preferred_colour("NHS Lancashire ICB") == BLUE
    assert preferred_colour("Lancashire Police and Crime Commissioner") == VERMILLION
    assert preferred_colour("Lancashire County Council") == preferred_colour("Local Authority")
    assert preferred_colour("Zebra Trust Ltd") == preferred_colour("zebra trust ltd")


def test_no_two_partners_of_one_chart_share_a_colour() -> None:
    names = ["Lancashire County Council", "Preston City Council", "NHS", "Police", "DWP"]
    got = colours(names)
    assert len(set(got.values())) == len(names)
    assert got["Lancashire County Council"] == ORANGE  # the first keeps its kind's colour
    assert got["NHS"] == BLUE


def test_money_ticks_are_pounds_with_units_from_zero() -> None:
    # values -600,000 to 400,000: span 1,000,000 / 6 = 166,667 -> a step of 200,000
    assert nice_step(1_000_000) == 200_000
    t = money_ticks([-600_000, 400_000])
    assert t["tickvals"][0] == -600_000 and t["tickvals"][-1] == 400_000
    assert t["ticktext"] == ["-£600k", "-£400k", "-£200k", "£0", "£200k", "£400k"]
