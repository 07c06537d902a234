"""Reports for partnership boards and finance teams: HTML (with offline Plotly charts)
and XLSX (schedules formatted for finance users), from one small document model.

Each calculator's result becomes a :class:`Report`: sections of plain-English text,
tables and charts, and one page per partner (the agreement schedule a partnership
annexes to its legal agreement).
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.money import ZERO, fmt_gbp
from wholeplace.sharing.common import atomic_write_bytes
from wholeplace.sharing.gain_sharing import GainShareResult
from wholeplace.sharing.pbr import ClaimRun, Forecast
from wholeplace.sharing.pooled_budget import PoolResult
from wholeplace.sharing.rules import pct
from wholeplace.sharing.staff_recharges import QUARTERS, RechargeResult


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Any] = field(default_factory=list)  # plotly Figures
    new_page: bool = False


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section]


# -- rendering ----------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;
margin:2rem auto;
padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #005ea5}
.sub{color:#555;margin-top:0} table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem} th{background:#f0f4f8;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap} .neg{color:#b10e1e}
section.page{page-break-before:always}
.warn{background:#fff4e5;border-left:4px solid #f47738;padding:.4rem .6rem}
@media print{.plotly-graph-div{page-break-inside:avoid}}
"""


def _cell_html(v: Any) -> str:
    if isinstance(v, Decimal):
        cls = "n neg" if v < 0 else "n"
        return f'<td class="{cls}">{html.escape(fmt_gbp(v))}</td>'
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f'<td class="n">{v:,}</td>'
    return f"<td>{html.escape('' if v is None else str(v))}</td>"


def render_html(report: Report) -> str:
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(report.title)}</h1><p class='sub'>{html.escape(report.subtitle)}</p>",
    ]
    plotly_included = False
    for s in report.sections:
        parts.append(
            f"<section class='{'page' if s.new_page else ''}'><h2>{html.escape(s.title)}</h2>"
        )
        for p in s.paragraphs:
            cls = " class='warn'" if p.startswith("Warning:") else ""
            parts.append(f"<p{cls}>{html.escape(p)}</p>")
        for fig in s.figures:
            # plotly.js embedded once per page, so the file works with no network.
            parts.append(fig.to_html(full_html=False, include_plotlyjs=not plotly_included))
            plotly_included = True
        for t in s.tables:
            parts.append(f"<table><caption>{html.escape(t.title)}</caption><thead><tr>")
            parts.extend(f"<th>{html.escape(c)}</th>" for c in t.columns)
            parts.append("</tr></thead><tbody>")
            for row in t.rows:
                parts.append("<tr>" + "".join(_cell_html(v) for v in row) + "</tr>")
            parts.append("</tbody></table>")
        parts.append("</section>")
    parts.append(
        f"<p class='sub'>Made with wholeplace on {date.today().isoformat()}.</p></body></html>"
    )
    return "\n".join(parts)


MONEY_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00'


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for s in report.sections:
        name = _sheet_name(s.title, used)
        ws = wb.create_sheet(name)
        ws.append([s.title])
        ws["A1"].font = Font(bold=True, size=14)
        r = 2
        for p in s.paragraphs:
            ws.cell(r, 1, p).alignment = Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
            ws.row_dimensions[r].height = max(15, 15 * (len(p) // 110 + 1))
            r += 1
        widths: dict[int, int] = {}
        for t in s.tables:
            r += 1
            ws.cell(r, 1, t.title).font = Font(bold=True)
            r += 1
            for c, col in enumerate(t.columns, start=1):
                cell = ws.cell(r, c, col)
                cell.font = Font(bold=True)
                cell.fill = header_fill
                widths[c] = max(widths.get(c, 0), len(col) + 2)
            if s.tables[0] is t and not s.paragraphs:
                ws.freeze_panes = ws.cell(r + 1, 1)
            for row in t.rows:
                r += 1
                for c, v in enumerate(row, start=1):
                    cell = ws.cell(r, c, v)
                    if isinstance(v, Decimal):
                        cell.number_format = MONEY_FORMAT
                        widths[c] = max(widths.get(c, 0), len(fmt_gbp(v)) + 2)
                    else:
                        widths[c] = max(widths.get(c, 0), min(len(str(v or "")) + 2, 60))
            r += 1
        for c, w in widths.items():
            ws.column_dimensions[get_column_letter(c)].width = max(w, 12)
        if not widths:
            ws.column_dimensions["A"].width = 15
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name


def write_report(report: Report, out: Path) -> Path:
    """Write ``report`` as HTML or XLSX, chosen by ``out``'s extension, atomically."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix in (".html", ".htm"):
        atomic_write_bytes(out, render_html(report).encode("utf-8"))
    elif suffix == ".xlsx":
        atomic_write_bytes(out, render_xlsx(report))
    else:
        from wholeplace.errors import WholeplaceError

        raise WholeplaceError(
            f"cannot write {out.name}: the report must end in .html or .xlsx. "
            "Fix: use --out report.html or --out report.xlsx"
        )
    return out


# -- charts -------------------------------------------------------------------------------


_PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#28a197", "#912b88", "#505a5f"]


def _line_chart(
    title: str, x: list[str], series: dict[str, list[Decimal]], dashed: set[str] = frozenset()
) -> Any:  # noqa: B006
    import plotly.graph_objects as go

    fig = go.Figure()
    # One colour per partner: its "before" (dashed) and "after" lines share it.
    colours: dict[str, str] = {}
    for name, ys in series.items():
        key = name.removesuffix(" before").removesuffix(" after")
        colour = colours.setdefault(key, _PALETTE[len(colours) % len(_PALETTE)])
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[float(v) for v in ys],
                name=name,
                mode="lines+markers",
                line={"dash": "dash" if name in dashed else "solid", "color": colour},
                hovertemplate="%{x}: £%{y:,.2f}<extra>" + html.escape(name) + "</extra>",
            )
        )
    fig.update_layout(
        title=title,
        yaxis_title="£",
        template="plotly_white",
        height=420,
        legend={"orientation": "h", "y": -0.2},
    )
    fig.add_hline(y=0, line_color="#888", line_width=1)
    return fig


def _bar_chart(
    title: str, x: list[str], series: dict[str, list[Decimal]], stacked: bool = False
) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    for name, ys in series.items():
        fig.add_trace(
            go.Bar(
                x=x,
                y=[float(v) for v in ys],
                name=name,
                hovertemplate="%{x}: £%{y:,.2f}<extra>" + html.escape(name) + "</extra>",
            )
        )
    fig.update_layout(
        title=title,
        yaxis_title="£",
        template="plotly_white",
        height=420,
        barmode="relative" if stacked else "group",
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def _cumulative(values: list[Decimal]) -> list[Decimal]:
    out, c = [], ZERO
    for v in values:
        c += v
        out.append(c)
    return out


# -- pooled budget ------------------------------------------------------------------------


def pool_report(result: PoolResult) -> Report:
    pool = result.pool
    names = pool.partners
    years = [y.year for y in result.years]
    summary = Section(
        "Pooled budget",
        [
            f"{pool.name}, hosted by {names[pool.host]}. Partners: "
            + ", ".join(names.values())
            + ".",
            f"Overspends: {pool.overspend.describe(names)}.",
            f"Underspends: {pool.underspend.describe(names)}.",
            "Check: in every year the partners' shares add up exactly to the variance "
            + (
                "(all years balance to the penny)."
                if result.balanced
                else "- THEY DO NOT; please report this."
            ),
        ],
    )
    statement = Table(
        "Year-by-year statement",
        ["year", "partner", "cash", "in kind", "contribution", "share of variance", "net cost"],
        [
            [
                y.year,
                names[r.partner],
                r.cash,
                r.in_kind,
                r.contribution,
                r.variance_share,
                r.net_cost,
            ]
            for y in result.years
            for r in y.rows
        ],
    )
    variance = Table(
        "Budget and outturn",
        [
            "year",
            "budget",
            "outturn",
            "outturn is",
            "variance (+ over, - under)",
            "shares add up to",
            "balanced",
        ],
        [
            [
                y.year,
                y.budget,
                y.outturn,
                y.outturn_kind,
                y.variance,
                y.shares_sum,
                "yes" if y.balanced else "NO",
            ]
            for y in result.years
        ],
    )
    totals = result.totals()
    tot = Table(
        "Totals over all years",
        ["partner", "contribution", "share of variance", "net cost"],
        [
            [names[p], t["contribution"], t["variance_share"], t["net_cost"]]
            for p, t in totals.items()
        ],
    )
    summary.tables = [variance, statement, tot]
    for y in result.years:
        summary.paragraphs.extend(f"{y.year}: {s}." for s in y.steps)
        summary.paragraphs.extend(f"Warning: {y.year}: {w}." for w in y.warnings)
    summary.figures = [
        _bar_chart(
            "Each partner's share of the variance by year "
            "(+ pays towards an overspend, - gets back an underspend)",
            years,
            {
                names[p]: [r.variance_share for y in result.years for r in y.rows if r.partner == p]
                for p in names
            },
        ),
        _line_chart(
            "Cumulative net cost by partner",
            years,
            {
                names[p]: _cumulative(
                    [r.net_cost for y in result.years for r in y.rows if r.partner == p]
                )
                for p in names
            },
        ),
    ]
    sections = [summary]
    for p, name in names.items():
        paras = [
            f"This schedule sets out what {name} puts into, and bears from, the {pool.name}, "
            f"hosted by {names[pool.host]}."
        ]
        for y in result.years:
            r = next(r for r in y.rows if r.partner == p)
            kind = "forecast" if y.outturn_kind == "forecast" else "actual"
            if y.variance > 0:
                var = (
                    f"The pool's {kind} outturn of {fmt_gbp(y.outturn)} against a budget of "
                    f"{fmt_gbp(y.budget)} is an overspend of {fmt_gbp(y.variance)}, of which "
                    f"{name} bears {fmt_gbp(r.variance_share)}."
                )
            elif y.variance < 0:
                var = (
                    f"The pool's {kind} outturn of {fmt_gbp(y.outturn)} against a budget of "
                    f"{fmt_gbp(y.budget)} is an underspend of {fmt_gbp(-y.variance)}, of which "
                    f"{fmt_gbp(-r.variance_share)} comes back to {name}."
                )
            else:
                var = f"The pool spent exactly its budget of {fmt_gbp(y.budget)}."
            paras.append(
                f"In {y.year}, {name} contributes {fmt_gbp(r.cash)} in cash"
                + (f" and {fmt_gbp(r.in_kind)} in kind" if r.in_kind else "")
                + f". {var} Its net cost for the year is {fmt_gbp(r.net_cost)}."
            )
        t = totals[p]
        paras.append(
            f"Over {len(years)} year{'s' if len(years) != 1 else ''} {name} contributes "
            f"{fmt_gbp(t['contribution'])}, its share of the variances is "
            f"{fmt_gbp(t['variance_share'])}, "
            f"and its net cost is {fmt_gbp(t['net_cost'])}."
        )
        paras.append(
            f"Rules agreed: overspends - {pool.overspend.describe(names)}; "
            f"underspends - {pool.underspend.describe(names)}."
        )
        sections.append(
            Section(
                f"Schedule - {name}",
                paras,
                [
                    Table(
                        f"{name}: year by year",
                        ["year", "cash", "in kind", "share of variance", "net cost"],
                        [
                            [y.year, r.cash, r.in_kind, r.variance_share, r.net_cost]
                            for y in result.years
                            for r in y.rows
                            if r.partner == p
                        ],
                    )
                ],
                new_page=True,
            )
        )
    return Report(pool.name, f"Pooled budget statement, {years[0]} to {years[-1]}", sections)


# -- gain-share ---------------------------------------------------------------------------


def gainshare_report(result: GainShareResult) -> Report:
    a = result.agreement
    rate = pct(a.discount_rate)
    summary = Section(
        "Gain-share",
        [
            f"{a.name}: {len(a.partners)} partners over {len(a.years)} years "
            f"({a.years[0]} to {a.years[-1]}). "
            f"Rule: {a.rule.describe()}.",
            "Together the partners invest "
            f"{fmt_gbp(sum((o.investment for o in result.outcomes), ZERO))} "
            f"and gain {fmt_gbp(sum((o.benefit for o in result.outcomes), ZERO))}: "
            "a joint net benefit of "
            f"{fmt_gbp(result.joint_net.undiscounted)} ({fmt_gbp(result.joint_net.discounted)} "
            f"discounted at {rate} a year).",
            "Transfers add up to zero in every year, to the penny.",
        ]
        + [f"Warning: {w}." for w in result.warnings],
    )
    summary.tables.append(
        Table(
            "Net position before and after the agreement",
            [
                "partner",
                "invests",
                "gains",
                "before",
                "after",
                f"before (discounted {rate})",
                f"after (discounted {rate})",
                "transfers in (+) / out (-)",
            ],
            [
                [
                    o.name,
                    o.investment,
                    o.benefit,
                    o.before.undiscounted,
                    o.after.undiscounted,
                    o.before.discounted,
                    o.after.discounted,
                    o.after.undiscounted - o.before.undiscounted,
                ]
                for o in result.outcomes
            ],
        )
    )
    summary.tables.append(
        Table(
            "Transfers year by year (+ receives, - pays)",
            ["partner"] + a.years,
            [[o.name] + o.transfer_by_year for o in result.outcomes],
        )
    )
    names = {o.id: o.name for o in result.outcomes}
    summary.tables.append(
        Table(
            "Payments",
            ["year", "from", "to", "amount"],
            [[p.year, names[p.payer], names[p.receiver], p.amount] for p in result.payments],
        )
    )
    if result.shapley is not None:
        sh = result.shapley
        summary.paragraphs.append(
            "Shapley value computed "
            + (
                "exactly"
                if sh.method == "exact"
                else f"from {sh.samples} sampled orders (seed {sh.seed})"
            )
            + ": "
            "each partner's average marginal contribution to the joint net benefit."
        )
    series: dict[str, list[Decimal]] = {}
    for o in result.outcomes:
        series[f"{o.name} before"] = _cumulative(o.before_by_year)
        series[f"{o.name} after"] = _cumulative(o.after_by_year)
    summary.figures.append(
        _line_chart(
            "Cumulative net position over time: who invests, who gains "
            "(dashed: without an agreement)",
            a.years,
            series,
            {k for k in series if k.endswith(" before")},
        )
    )
    sections = [summary]
    for o in result.outcomes:
        paras = [
            f"Under the {a.name} agreement, {o.name} invests {fmt_gbp(o.investment)} "
            "and, as things fall, "
            f"gains {fmt_gbp(o.benefit)}: a net position of {fmt_gbp(o.before.undiscounted)} "
            "before any transfer.",
            f"The partners agree to share the gains by this rule: {a.rule.describe()}.",
        ]
        for y, t in zip(a.years, o.transfer_by_year, strict=True):
            if t > 0:
                paras.append(f"In {y}, {o.name} receives {fmt_gbp(t)} from the other partners.")
            elif t < 0:
                paras.append(f"In {y}, {o.name} pays {fmt_gbp(-t)} to the other partners.")
        paras.append(
            f"After the transfers {o.name}'s net position is {fmt_gbp(o.after.undiscounted)} "
            f"({fmt_gbp(o.after.discounted)} in present value at {rate} a year), against "
            f"{fmt_gbp(o.before.undiscounted)} ({fmt_gbp(o.before.discounted)}) "
            "without the agreement."
        )
        paras.extend(f"Warning: {w}." for w in result.warnings if o.name in w)
        sections.append(
            Section(
                f"Schedule - {o.name}",
                paras,
                [
                    Table(
                        f"{o.name}: year by year",
                        ["year", "before", "transfer", "after", "after, cumulative"],
                        [
                            [y, b, t, af, c]
                            for y, b, t, af, c in zip(
                                a.years,
                                o.before_by_year,
                                o.transfer_by_year,
                                o.after_by_year,
                                _cumulative(o.after_by_year),
                                strict=True,
                            )
                        ],
                    )
                ],
                new_page=True,
            )
        )
    return Report(a.name, f"Gain-share schedule, {a.years[0]} to {a.years[-1]}", sections)


# -- payment by results -------------------------------------------------------------------


def claims_report(run: ClaimRun) -> Report:
    s = run.scheme
    totals = run.totals()
    summary = Section(
        "Payment-by-results claim",
        [
            f"{s.name}. Source: {s.source}",
            f"{len(run.families)} families checked on {run.as_of.isoformat()}; "
            f"{len(run.claimable)} have a "
            f"result to claim, worth {fmt_gbp(totals['results_total'])} in results payments "
            f"(attachment fees for these families: {fmt_gbp(totals['attachment_fees'])}).",
        ],
    )
    summary.tables.append(
        Table(
            "Claims",
            ["family", "programme year", "attachment fee", "result", "amount"],
            [
                [f.family, f.year, f.attachment_fee, r.label, amt]
                for f in run.claimable
                for r, amt, _ in f.claimed
            ],
        )
    )
    summary.tables.append(
        Table(
            "By result",
            ["result", "amount"],
            [[r.label, totals[r.id]] for r in s.results]
            + [["all results", totals["results_total"]]],
        )
    )
    summary.figures.append(
        _bar_chart(
            "Claims by result",
            [r.id for r in s.results],
            {"amount": [totals[r.id] for r in s.results]},
        )
    )
    trail = Section(
        "Audit trail",
        ["The outcome records that justify each claim (line numbers in the families file)."],
    )
    trail.tables.append(
        Table(
            "Evidence",
            ["family", "result", "criterion", "status", "detail", "lines", "sources"],
            [
                [
                    f.family,
                    r.id,
                    c.criterion.label or c.criterion.measure,
                    c.status,
                    c.detail,
                    ", ".join(str(rec.line) for rec in c.records),
                    ", ".join(sorted({rec.source for rec in c.records if rec.source})),
                ]
                for f in run.claimable
                for r, _, chk in f.claimed
                for c in chk.checks
            ],
        )
    )
    blind = Section(
        "Blind spot",
        ["Families that improved in ways the scheme does not pay for (or not enough to be paid)."],
        [
            Table(
                "Unrewarded improvements",
                ["family", "claimed", "improvement"],
                [[f.family, f.results_amount, u] for f in run.blind_spot for u in f.unrewarded],
            )
        ],
    )
    return Report(s.name, f"Claim as at {run.as_of.isoformat()}", [summary, trail, blind])


def forecast_report(fc: Forecast) -> Report:
    d = fc.to_json()
    s = Section(
        "Payment-by-results forecast",
        [
            f"{fc.scheme.name}. Cohort: "
            + ", ".join(f"{n:,} families attached in {y}" for y, n in fc.cohort.items())
            + "."
        ]
        + [f"Warning: {w}." for w in fc.warnings],
    )
    years: list[str] = []
    for name, sc in d["scenarios"].items():
        years = [y["year"] for y in sc["years"]]
        s.tables.append(
            Table(
                f"Scenario: {name}",
                [
                    "year",
                    "attachment fees",
                    "results payments",
                    "income",
                    "costs",
                    "net",
                    "cumulative net",
                ],
                [
                    [
                        y["year"],
                        y["attachment_income"],
                        y["results_income"],
                        y["income"],
                        y["costs"],
                        y["net"],
                        y["cumulative_net"],
                    ]
                    for y in sc["years"]
                ]
                + [["total", None, None, sc["income"], sc["costs"], sc["net"], None]],
            )
        )
    series = {
        f"income ({n})": [y["income"] for y in sc["years"]] for n, sc in d["scenarios"].items()
    }
    if d["scenarios"]:
        first = next(iter(d["scenarios"].values()))
        series["programme costs"] = [y["costs"] for y in first["years"]]
    s.figures.append(
        _line_chart(
            "Income by year under each scenario, against programme costs",
            years,
            series,
            {"programme costs"},
        )
    )
    return Report(fc.scheme.name, "Income forecast by outcome-rate scenario", [s])


# -- recharges ----------------------------------------------------------------------------


def recharges_report(rc: RechargeResult) -> Report:
    rec = rc.reconciliation()
    bp = rc.by_partner()
    s = Section(
        "Shared staff recharges",
        [
            f"{len(rc.posts)} shared posts costing {fmt_gbp(rec['shared_cost'])} a year"
            + (f" ({rc.year})" if rc.year else "")
            + ".",
            "Reconciliation: the recharges and retained shares add up to "
            f"{fmt_gbp(rec['recharged_and_retained'])}, "
            + (
                "exactly the shared cost."
                if rec["difference"] == 0
                else f"a difference of {fmt_gbp(rec['difference'])}!"
            ),
        ]
        + [f"Warning: {w}." for w in rc.warnings],
    )
    if "actual_cost" in rec:
        s.paragraphs.append(
            f"After the true-up the partners bear {fmt_gbp(rec['after_true_up'])}, "
            + (
                "exactly the actual cost."
                if rec["true_up_balanced"]
                else f"against an actual cost of {fmt_gbp(rec['actual_cost'])}!"
            )
        )
    s.tables.append(
        Table(
            "Cost borne by each partner",
            ["partner"] + list(QUARTERS) + ["billed", "true-up", "final"],
            [
                [p] + [v[q] for q in QUARTERS] + [v["billed"], v["true_up"], v["final"]]
                for p, v in bp.items()
            ],
        )
    )
    s.tables.append(
        Table(
            "Invoices (employer to partner)",
            ["employer", "partner", "quarter", "amount"],
            [[i["employer"], i["partner"], i["quarter"], i["amount"]] for i in rc.invoices()],
        )
    )
    s.tables.append(
        Table(
            "Posts",
            ["staff id", "name", "employer", "annual cost"] + [f"% {p}" for p in rc.partners],
            [
                [p.staff_id, p.name, p.employer, p.cost]
                + [str(p.shares.get(x, "")) for x in rc.partners]
                for p in rc.posts
            ],
        )
    )
    s.figures.append(
        _bar_chart(
            "Cost borne by each partner by quarter",
            list(QUARTERS),
            {p: [v[q] for q in QUARTERS] for p, v in bp.items()},
            stacked=False,
        )
    )
    sections = [s]
    invoices = rc.invoices()
    for p in rc.partners:
        paras = [
            f"Section 113 shared staff: what {p} pays for staff employed by other partners, "
            "and what it recovers."
        ]
        for e in sorted({i["employer"] for i in invoices if i["partner"] == p}):
            qs = {
                i["quarter"]: i["amount"]
                for i in invoices
                if i["partner"] == p and i["employer"] == e
            }
            paras.append(
                f"{p} pays {e} "
                + ", ".join(f"{fmt_gbp(qs.get(q, ZERO))} in {q}" for q in QUARTERS)
                + f": {fmt_gbp(sum(qs.values(), ZERO))} for the year before true-up."
            )
        for e in sorted({i["partner"] for i in invoices if i["employer"] == p}):
            total = sum(
                (i["amount"] for i in invoices if i["employer"] == p and i["partner"] == e), ZERO
            )
            paras.append(f"{p} bills {e} {fmt_gbp(total)} over the year for {p}'s staff.")
        v = bp[p]
        paras.append(
            f"In all {p} bears {fmt_gbp(v['billed'])} of the shared staff cost"
            + (
                f"; the annual true-up is {fmt_gbp(v['true_up'])}, "
                f"so its final share is {fmt_gbp(v['final'])}."
                if rc.actual is not None
                else "."
            )
        )
        sections.append(Section(f"Schedule - {p}", paras, new_page=True))
    return Report("Shared staff recharges", f"Section 113 recharges {rc.year}".strip(), sections)
