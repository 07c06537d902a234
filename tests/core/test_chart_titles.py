"""A chart's top margin follows its title's real lines and font size (review of issue 13):
it was 50 + 20 px a line while a line of an 18 px title takes 18 x 1.3 = 23.4 px, so the
pool report's title of four lines ran across the plot's top tick on a phone. The browser
test (tests/browser/test_long_names_browser.py) checks the drawn boxes."""

from __future__ import annotations

import plotly.graph_objects as go

from wholeplace.reports.charts import finish, title_lines


def test_the_margin_holds_every_line_of_the_title() -> None:
    title = (
        "Each partner's share of the variance by year "
        "(+ pays towards an overspend, - gets back an underspend)"
    )
    lines = title_lines(title)
    assert lines.count("<br>") + 1 == 4
    fig = finish(go.Figure(go.Bar(x=["a"], y=[1])), title=title)
    # by hand: pad 10 + 4 lines x 18 px x 1.3 = 93.6, 94 px + gap 18 = 122
    assert fig.layout.margin.t == 122
    assert (fig.layout.title.text, fig.layout.title.font.size) == (lines, 18)
    # hung from the top edge, so the lines grow down into the margin made for them
    assert (fig.layout.title.yref, fig.layout.title.y, fig.layout.title.yanchor) == (
        "container",
        1,
        "top",
    )
    # one line: 10 + 23.4 -> 24 + 18 = 52
    assert finish(go.Figure(), title="Spend").layout.margin.t == 52
