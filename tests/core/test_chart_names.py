"""Long names in charts (wholeplace.reports.charts.finish): legend entries and category
labels past NAME_LINE characters are broken between words with Plotly's <br>, the data keep
the whole name, and a tall legend grows the chart instead of scrolling."""

from __future__ import annotations

import plotly.graph_objects as go

from wholeplace.reports.charts import (
    LEGEND_ROOM,
    LEGEND_ROW,
    NAME_LINE,
    finish,
    label_lines,
    trace_name,
)

TRUST = "Lancashire Teaching Hospitals NHS Foundation Trust"  # 50 characters


def test_a_long_name_is_broken_between_words_into_lines_of_20() -> None:
    assert NAME_LINE == 20
    # greedy, by hand: "Lancashire Teaching" (19) + " Hospitals" would be 29;
    # "Hospitals NHS" (13) + " Foundation" would be 24; "Foundation Trust" (16)
    assert label_lines(TRUST) == "Lancashire Teaching<br>Hospitals NHS<br>Foundation Trust"
    assert label_lines("County Council after") == "County Council after"  # 20: fits
    assert label_lines("County Council (host)") == "County Council<br>(host)"  # 21
    assert label_lines("Police") == "Police"
    assert label_lines("A" * 45) == "A" * 20 + "<br>" + "A" * 20 + "<br>" + "A" * 5


def test_finish_wraps_legends_and_category_ticks_but_keeps_the_data() -> None:
    fig = go.Figure()
    fig.add_bar(y=[TRUST, "Police"], x=[1.0, 2.0], name="Pays (costs)", orientation="h")
    fig.add_bar(y=[TRUST, "Police"], x=[3.0, 4.0], name=TRUST + " gains", orientation="h")
    finish(fig, title="Who pays", money_axis="x", money_values=[1, 2, 3, 4])
    # "Foundation Trust gains" would be 22
    assert fig.data[1].name == ("Lancashire Teaching<br>Hospitals NHS<br>Foundation Trust<br>gains")
    assert list(fig.data[0].y) == [TRUST, "Police"]  # the hover keeps the whole name
    # a workbook drawn from the figure names its series whole
    assert [trace_name(t) for t in fig.data] == ["Pays (costs)", TRUST + " gains"]
    assert list(fig.layout.yaxis.tickvals) == [TRUST, "Police"]
    assert list(fig.layout.yaxis.ticktext) == [label_lines(TRUST), "Police"]
    # legend on a phone: 1 line + 4 lines = 5 rows of 19 px + 12 = 107 px; the room is
    # 3 x 19 + 12 = 69, so the chart grows by 107 - 69 = 38 px from 420
    assert LEGEND_ROOM == 69 and LEGEND_ROW == 19
    assert fig.layout.height == 420 + 38


def test_short_names_change_nothing() -> None:
    fig = go.Figure()
    fig.add_bar(x=["2024/25", "2025/26"], y=[1.0, 2.0], name="Council")
    fig.add_bar(x=["2024/25", "2025/26"], y=[1.0, 2.0], name="Police")
    finish(fig, title="Spend", money_axis="y", money_values=[1, 2])
    assert [t.name for t in fig.data] == ["Council", "Police"]
    assert fig.layout.xaxis.tickvals is None
    assert fig.layout.height == 420
