"""The outcomes report: one self-contained HTML page (charts with the table behind each),
or a workbook. The public report is the same design in plain words, built only from
approved data with small numbers suppressed (the service chooses the data)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from wholeplace.outcomes.model import CATEGORIES
from wholeplace.outcomes.scorecard import Row, interval_of
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.html import plotly_div
from wholeplace.reports.layout import Answer, render_report
from wholeplace.reports.xlsx import Col, new_workbook, save_atomic, title, write_pairs, write_table

if TYPE_CHECKING:  # the service imports this module when it writes
    from openpyxl.worksheet.worksheet import Worksheet

    from wholeplace.outcomes.service import Report

STATUS_WORDS = {
    "green": "on target",
    "amber": "improving, not yet on target",
    "red": "no better than where we started",
    "no target": "no target set",
    "no data": "no published figures yet",
}


def _chart(row: Row, include_js: bool) -> Markup:
    """The indicator's values, its baseline and the straight line from baseline to target
    (the curve the partnership means to turn)."""
    import plotly.graph_objects as go

    ind = row.indicator
    fig = go.Figure()
    fig.add_scatter(
        x=[o.period_end.isoformat() for o in row.series],
        y=[float(o.value) for o in row.series],
        mode="lines+markers",
        name="Actual",
        line={"color": "#1f4e78", "width": 3},
    )
    c = row.curve
    if c is not None and c.points:
        xs = [p.period_end.isoformat() for p in c.points]
        for lo, hi, name, fill in (
            ("lower_95", "upper_95", "95% range of the old trend", "rgba(86,180,233,0.25)"),
            ("lower_80", "upper_80", "80% range of the old trend", "rgba(86,180,233,0.45)"),
        ):
            fig.add_scatter(
                x=xs + xs[::-1],
                y=[getattr(p.band, hi) for p in c.points]
                + [getattr(p.band, lo) for p in c.points][::-1],
                mode="lines",
                fill="toself",
                fillcolor=fill,
                line={"width": 0},
                name=name,
                hoverinfo="skip",
            )
        fig.add_scatter(
            x=xs,
            y=[p.band.mean for p in c.points],
            mode="lines",
            name="Old trend (forecast)",
            line={"color": "#0072b2", "dash": "dot"},
        )
    if ind.baseline is not None and ind.target is not None:
        fig.add_scatter(
            x=[ind.baseline.on.isoformat(), ind.target.on.isoformat()],
            y=[float(ind.baseline.value), float(ind.target.value)],
            mode="lines+markers",
            name="Baseline to target",
            line={"color": "#b10e1e", "dash": "dash"},
        )
    fig.update_layout(
        template="plotly_white",
        height=320,
        margin={"t": 30, "l": 50, "r": 20, "b": 40},
        yaxis_title=ind.unit,
        legend={"orientation": "h"},
    )
    return plotly_div(fig, include_js=include_js, div_id=f"chart-{ind.id}")


def write_html(r: Report, out: Path) -> Path:
    charts: dict[str, Any] = {}
    for row in r.rows:
        if row.series:
            charts[row.indicator.id] = _chart(row, include_js=not charts)
    html = render_report(
        "outcomes_report.html",
        title=("Our outcomes: how the area is doing" if r.public else "Outcomes scorecard"),
        answer=Answer(r.summary),
        place=r.place,
        r=r,
        charts=charts,
        categories=CATEGORIES,
        words=STATUS_WORDS,
        interval_of=interval_of,
    )
    # render_report boxes the tables, so a wide one scrolls inside a box the keyboard can
    # reach (WCAG 2.1.1)
    write_text_atomic(out, html)
    return out


def write_xlsx(r: Report, out: Path) -> Path:
    wb = new_workbook()
    ws = wb.create_sheet("Scorecard")
    row = title(ws, "Outcomes scorecard" + (" (public)" if r.public else ""), r.summary)
    write_table(
        ws,
        [
            Col(h)
            for h in (
                "Outcome",
                "Service",
                "Category",
                "Indicator",
                "Unit",
                "Better when",
                "Baseline",
                "Baseline date",
                "Target",
                "Target date",
                "Latest period",
                "Latest value",
                "Status",
                "Direction",
            )
        ],
        [
            [
                x.indicator.outcome,
                x.indicator.service,
                x.indicator.category,
                x.indicator.name,
                x.indicator.unit,
                x.indicator.polarity,
                None if x.indicator.baseline is None else x.indicator.baseline.value,
                None if x.indicator.baseline is None else x.indicator.baseline.on,
                None if x.indicator.target is None else x.indicator.target.value,
                None if x.indicator.target is None else x.indicator.target.on,
                None if x.latest is None else x.latest.period,
                None if x.latest is None else x.latest.value,
                x.status,
                x.direction,
            ]
            for x in r.rows
        ],
        start_row=row,
    )
    ws = wb.create_sheet("Observations")
    write_table(
        ws,
        [Col(h) for h in ("Indicator", "Period", "Area", "Value", "Numerator", "Denominator")],
        [
            [o.indicator, o.period, o.area, o.value, o.numerator, o.denominator]
            for x in r.rows
            for o in x.series
        ],
    )
    ws = wb.create_sheet("Turning the curve")
    write_table(
        ws,
        [
            Col(h)
            for h in (
                "Indicator",
                "Period",
                "Old trend",
                "80% low",
                "80% high",
                "95% low",
                "95% high",
                "Actual",
                "Verdict",
            )
        ],
        [
            [x.indicator.id, p["period"]]
            + [
                Decimal(v)
                for v in (p["forecast"], *p["interval_80"], *p["interval_95"], p["actual"])
            ]
            + [p["verdict"]]
            for x in r.rows
            if x.curve is not None
            for p in x.curve.to_json()["points"]
        ],
    )
    if r.budget:
        ws = wb.create_sheet("Budget")
        write_table(
            ws,
            [
                Col("Intervention"),
                Col("Year"),
                Col("Month"),
                Col("Budget (£)", "gbp"),
                Col("Actual (£)", "gbp"),
                Col("Variance (£)", "gbp"),
            ],
            [
                [b.name, b.year, m.month, m.budget, m.actual, m.variance]
                for b in r.budget
                for m in b.months
            ]
            + [
                [b.name, b.year, "forecast outturn", b.budget, b.forecast_outturn]
                + [b.forecast_variance]
                for b in r.budget
            ],
        )
    if r.contributed or r.appraisal_values:
        _links_sheet(wb.create_sheet("Links"), r)
    ws = wb.create_sheet("Gross and net")
    write_table(
        ws,
        [
            Col(h)
            for h in ("Claim", "Unit", "Gross", "Factor", "Share", "Taken off", "Left", "Source")
        ],
        [
            [
                c.claim.description,
                c.claim.unit,
                c.to_json()["gross"],
                s.factor,
                s.to_json()["share"],
                s.to_json()["taken"],
                s.to_json()["left"],
                s.source,
            ]
            for c in r.claims
            for s in c.steps
        ],
    )
    if r.sroi is not None:
        j = r.sroi.to_json()
        ws = wb.create_sheet("SROI")
        nxt = write_pairs(
            ws,
            [
                ("Analysis", j["name"], "text"),
                ("Investment (£)", j["investment"], "gbp"),
                ("Present value of outcomes (£)", j["present_value"], "gbp"),
                ("Social value for every £1 (£)", j["ratio"], "text"),
                ("Discount rate", j["discount_rate"], "text"),
                ("Prices of", j["price_year"], "text"),
            ],
        )
        nxt = write_table(
            ws,
            [
                Col("Outcome"),
                Col("Stakeholder"),
                Col("Quantity"),
                Col("Proxy (£)", "gbp"),
                Col("Proxy source", width=60),
                Col("Year 1 value (£)", "gbp"),
                Col("Present value (£)", "gbp"),
            ],
            [
                [
                    x["description"],
                    x["stakeholder"],
                    x["quantity"],
                    x["proxy"],
                    x["proxy_source"],
                    x["first_year_value"],
                    x["present_value"],
                ]
                for x in j["lines"]
            ],
            start_row=nxt + 1,
            freeze=False,
        )
        write_table(
            ws,
            [Col("Sensitivity: what changes", width=60), Col("Ratio")],
            [[s["change"], s["ratio"]] for s in j["sensitivity"]],
            start_row=nxt + 1,
            freeze=False,
        )
    ws = wb.create_sheet("Assurance")
    write_table(
        ws,
        [Col(h) for h in ("Dataset", "When", "Step", "By", "Note", "Status after")],
        [
            [d.name, s.at.isoformat(timespec="seconds"), s.action, s.by, s.note, s.status]
            for d in r.datasets
            for s in d.history
        ],
    )
    save_atomic(wb, out)
    return out


def _links_sheet(ws: Worksheet, r: Report) -> None:
    """What the money buys beside what changed: each outcome's spend lines and appraisal
    lines, one row each."""
    rows: list[list[Any]] = []
    for o in r.framework.outcomes:
        c = r.contributed.get(o.id)
        for line, amount in () if c is None else c.amounts:
            what = (
                f"service {line.service}"
                if line.service
                else f"customer group {line.customer_group}"
            )
            rows.append([o.id, "spend", c.year if c else None, line.partner, what, amount, None])
        if c is not None:
            rows.append([o.id, "spend total (each line once)", c.year, None, None, c.total, None])
        for v in r.appraisals_of(o.id):
            rows.append(
                [o.id, "appraisal", v.price_year, v.appraisal, v.line, v.present_value]
                + [v.net_outcomes]
            )
    write_table(
        ws,
        [
            Col("Outcome"),
            Col("Link"),
            Col("Year or price year"),
            Col("Partner or appraisal"),
            Col("Spend lines or outcome line"),
            Col("Spent or present value (£)", "gbp"),
            Col("Net outcomes"),
        ],
        rows,
    )
