"""The figures a release may hold besides spend: the outcomes scorecard as residents read it,
and the area profiles with each area's public spend per head.

Each is a *section* of the release's content, copied when the release is prepared (so it
never changes once published, as the spend figures do) and already as the public reads
it: disclosure control (:mod:`wholeplace.disclosure`) is applied here, once, so the page,
the JSON and the CSV of a release show exactly the same cells, ``<5`` included.

A section with a table has ``columns`` (key, label and kind: ``text``, ``count``,
``number`` or ``gbp``) and ``table`` (rows, each with a ``label`` and its ``values`` by
column key, as text: ``"600"``, ``"<5"``, ``"12.50"``, or None for no figure). An
appraisal's section (:mod:`wholeplace.web.release_appraisal`) also has ``figures`` (its
headline: key, label, kind and value) and ``source`` (the file's name and SHA-256)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from wholeplace.area_spend import spend_by_area
from wholeplace.assets.model import shown
from wholeplace.assets.neighbourhoods import DECILE, area_profiles
from wholeplace.disclosure import SECONDARY, SUPPRESS_UNDER, SUPPRESSED, marker, protect
from wholeplace.errors import WholeplaceError
from wholeplace.outcome_values import spend_behind, spend_lines, unit_cost_proxies
from wholeplace.outcomes import service as outcomes_service
from wholeplace.reports.xlsx import neutralise
from wholeplace.workspace import Workspace

TITLES: dict[str, str] = {
    "outcomes": "Outcomes: how the area is doing against its targets",
    "areas": "Areas: each area's people, need and public spend per head",
}
STATUS_WORDS = {
    "green": "on target",
    "amber": "improving, short of target",
    "red": "no better than the baseline",
    "no target": "no target set",
    "no data": "no figure published",
}


class NotHeld(WholeplaceError):
    """The place holds nothing for this figure (no outcomes framework, no areas)."""


def _column(key: str, label: str, kind: str) -> dict[str, str]:
    return {"key": key, "label": label, "kind": kind}


def _text(v: Decimal | None) -> str | None:
    return None if v is None else shown(v)


def outcomes(ws: Workspace, year: str) -> dict[str, Any]:
    """The residents' scorecard: approved figures only, any whose count of people is under
    the framework's threshold left out (the outcomes service's public report)."""
    try:
        r = outcomes_service.report(
            ws, True, unit_cost_proxies(ws), spend_behind(ws), spend_lines(ws)
        )
    except WholeplaceError as exc:
        raise NotHeld(f"the place holds no outcomes scorecard ({exc})") from exc
    titles = {o.id: o.title for o in r.framework.outcomes}
    rows = []
    for row in r.shown_rows:
        ind = row.indicator
        latest = row.latest
        rows.append(
            {
                "label": ind.name,
                "values": {
                    "outcome": titles.get(ind.outcome or "", ""),
                    "unit": ind.unit,
                    "baseline": None if ind.baseline is None else _text(ind.baseline.value),
                    "target": None if ind.target is None else _text(ind.target.value),
                    "period": None if latest is None else latest.period,
                    "latest": None if latest is None else _text(latest.value),
                    "status": STATUS_WORDS.get(row.status, row.status),
                },
            }
        )
    below = r.framework.suppress_below
    return {
        "item": "outcomes",
        "title": TITLES["outcomes"],
        "summary": r.summary,
        "columns": [
            _column("outcome", "Outcome", "text"),
            _column("unit", "Unit", "text"),
            _column("baseline", "Baseline", "number"),
            _column("target", "Target", "number"),
            _column("period", "Latest period", "text"),
            _column("latest", "Latest", "number"),
            _column("status", "Status", "text"),
        ],
        "table": rows,
        "note": (
            "Approved figures only. A figure counting fewer than "
            f"{below} people is not published ({r.suppressed} left out): "
            "small numbers could identify people."
        ),
    }


def areas(ws: Workspace, year: str) -> dict[str, Any]:
    """Each area's population, IMD decile, counts of people and public spend per head in
    ``year``, with the place's total: counts under 5 as ``<5``, and an area's population
    that would follow from the place's total suppressed too."""
    spend = spend_by_area(ws, None, year) if year else None
    ps = area_profiles(ws, None, spend)
    if not ps.areas:
        raise NotHeld("the place holds no areas (wholeplace areas boundaries, areas import)")
    counted = [i for i in ps.indicators if i.counts and i.name != "population"]
    others = [i for i in ps.indicators if i.name == DECILE]
    columns = [_column("population", "Population", "count")]
    columns += [_column(i.name, "IMD decile (1 = most deprived)", "number") for i in others]
    columns += [_column(i.name, i.name.replace("_", " ").capitalize(), "count") for i in counted]
    columns.append(_column("per_head_gbp", "Public spend per head", "gbp"))
    pop_hidden = ps.population_hidden()
    # the counts of each indicator have no total shown: primary suppression alone
    counts = protect(
        [[f.value if (f := a.figure(i.name)) else None for i in counted] for a in ps.areas],
        row_totals=False,
    )
    rows: list[dict[str, Any]] = []
    for r, a in enumerate(ps.areas):
        values: dict[str, str | None] = {
            "population": None
            if a.population is None
            else (marker(a.population) if a.code in pop_hidden else f"{a.population:,}"),
            # spend over spend per head is the population: withheld with it
            "per_head_gbp": None
            if a.per_head is None
            else (SECONDARY if a.code in pop_hidden else str(a.per_head)),
        }
        for i in others:
            f = a.figure(i.name)
            values[i.name] = None if f is None else _text(f.value)
        for c, i in enumerate(counted):
            f = a.figure(i.name)
            v = None if f is None else counts.show(r, c, f.value)
            values[i.name] = v if isinstance(v, str) or v is None else shown(Decimal(v))
        label = a.code if a.name == a.code else f"{a.name} ({a.code})"
        rows.append({"label": label, "code": a.code, "values": values})
    place_pop = ps.place_population
    total = {
        "label": ps.place,
        "values": {
            "population": None
            if place_pop is None
            else (SUPPRESSED if place_pop < SUPPRESS_UNDER else f"{place_pop:,}"),
            "per_head_gbp": None if ps.place_per_head is None else str(ps.place_per_head),
        },
    }
    per_head = [(r["label"], r["values"]["per_head_gbp"]) for r in rows]
    chart = [(lab, v) for lab, v in per_head if v is not None and v != SECONDARY]
    section: dict[str, Any] = {
        "item": "areas",
        "title": TITLES["areas"],
        "summary": ps.summary,
        "columns": columns,
        "table": rows,
        "total": total,
        "note": (
            f"Counts of people under {SUPPRESS_UNDER} are shown as {SUPPRESSED}; where one "
            "area's population would follow from the place's total, the next smallest is "
            f"withheld too, shown as {SECONDARY} (confidential). Spend per head is the "
            "area's public spend over its population, withheld (shown as "
            f"{SECONDARY}) wherever the population is, since it would give it away."
        ),
    }
    if chart:
        section["chart"] = {
            "labels": [lab for lab, _v in chart],
            "values": [v for _lab, v in chart],
            "title": "Public spend per head by area",
        }
    return section


BUILDERS = {"outcomes": outcomes, "areas": areas}


# -- the figures as data: one row per figure, as Explore Education Statistics' downloads --

CSV_COLUMNS = ("time_period", "time_identifier", "place", "section", "row", "measure", "value")


def _period(year: str) -> str:
    """``2024/25`` as EES writes a financial year: ``202425``."""
    return year.replace("/", "") if year else ""


def figure_rows(content: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Each figure of a release's stored content as (section, row, measure, value) less the
    period and place, in the order the page shows them; the values exactly as stored, so a
    suppressed cell is ``<5`` or ``c`` here as on the page."""
    out: list[tuple[str, str, str, str]] = []
    for s in content.get("sections", []):
        title = s["title"]
        if "table" in s:
            # an appraisal's headline figures come first, as on the page
            for f in s.get("figures", []):
                if f["value"] is not None:
                    out.append((title, "", f["label"], f["value"]))
            rows = [*s["table"], *([s["total"]] if s.get("total") else [])]
            for r in rows:
                for c in s["columns"]:
                    v = r["values"].get(c["key"])
                    if v is not None:
                        out.append((title, r["label"], c["label"], v))
            if s.get("source"):
                out.append((title, "", "Source file", s["source"]["file"]))
                out.append((title, "", "Source file SHA-256", s["source"]["sha256"]))
        elif "rows" in s:
            for r in s["rows"]:
                out.append((title, r["label"], "Spend (£)", r["amount_gbp"]))
                out.append((title, r["label"], "Share", r["share"]))
            out.append((title, "Total", "Spend (£)", s["total_gbp"]))
        elif s["item"] == "headline":
            for measure, key in (
                ("Consolidated spend (£)", "total_gbp"),
                ("Spend per resident (£)", "per_head_gbp"),
                ("Payments between partners eliminated (£)", "eliminated_gbp"),
                ("Population", "population"),
            ):
                if s.get(key) is not None:
                    out.append((title, "", measure, str(s[key])))
        else:
            for measure, key in (
                ("Imported (£)", "imported_gbp"),
                ("Consolidated (£)", "consolidated_gbp"),
                ("Eliminated (£)", "eliminated_gbp"),
            ):
                out.append((title, "", measure, s[key]))
    return out


def _cell(text: str) -> str:
    """Text a spreadsheet would run as a formula made inert (``'`` before it); a number,
    negative ones included, kept as it is."""
    try:
        Decimal(text.replace(",", ""))
    except InvalidOperation:
        return neutralise(text)
    return text


def figures_csv(content: dict[str, Any], year: str) -> str:
    """The release's figures as a CSV, one row per figure (the long layout of Explore
    Education Statistics' downloads): period, place, section, row, measure and value."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(CSV_COLUMNS)
    place = _cell(str(content.get("place", "")))
    for section, row, measure, value in figure_rows(content):
        out.writerow(
            [
                _period(year),
                "Financial year" if year else "",
                place,
                _cell(section),
                _cell(row),
                _cell(measure),
                _cell(value),
            ]
        )
    return buffer.getvalue()
