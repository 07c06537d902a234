"""The cost-benefit operations a user performs, for every front end.

The command line (``wholeplace cba ...``, ``wholeplace unitcosts ...``), the web application and
notebooks call these functions; each returns a typed result whose ``to_json()`` is the
documented ``--json`` output. ``ws`` is the open place, or ``None`` to use the shipped unit cost
database, deflators and parameters. A place's own parameter values (``wholeplace parameters
set``) are used whenever ``ws`` is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from wholeplace.cba import montecarlo as cba_sim
from wholeplace.cba import report as cba_report
from wholeplace.cba import sensitivity_analysis as cba_sens
from wholeplace.cba import unitcosts as uc
from wholeplace.cba.agencies import AgencyMap, Mapped, normalise_agency
from wholeplace.cba.agency_store import choices, place_agency_map, reset_partner, set_partner
from wholeplace.cba.appraisal import Appraisal
from wholeplace.cba.compute import Result, compute
from wholeplace.cba.deflators import DeflatorError, DeflatorSeries, parse_year, read_deflator_csv
from wholeplace.cba.discounting import defaults
from wholeplace.cba.form import AppraisalForm, form_of, source_of, yaml_text
from wholeplace.cba.load import build_appraisal, load_appraisal
from wholeplace.cba.template import write_template
from wholeplace.cba.unitcost_book import TEXT_FIELDS
from wholeplace.cba.unitcost_use import fiscal_parts, public_value, unit_period
from wholeplace.errors import InputError, Problem, WholeplaceError
from wholeplace.money import round_half_up, to_money
from wholeplace.partners import Partner, list_partners
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.reports.pdf import pdf_writer
from wholeplace.reports.writers import writer_for
from wholeplace.workspace import Workspace

REPORT_DRAWS = 10_000
REPORT_SEED = 2015
TORNADO_SWING = Decimal("0.2")


# -- appraisals ----------------------------------------------------------------------------


def load(file: Path | str, ws: Workspace | None = None) -> Appraisal:
    """Read an appraisal (YAML or the XLSX template) with the place's unit costs, parameters,
    deflator series and partners (agencies are mapped onto them, see docs/cba.md)."""
    return load_appraisal(
        file,
        book(ws),
        defaults(ws),
        agencies=agency_map(ws),
        find_series=lambda name: uc.find_series(name, ws),
    )


def agency_map(ws: Workspace | None) -> AgencyMap | None:
    """How the place's appraisals name agencies: its partners, by type, name or its choice."""
    return None if ws is None else place_agency_map(ws)


@dataclass(frozen=True)
class RunResult:
    """``cba run``: the exact result, and the report written if one was asked for."""

    appraisal: Appraisal
    result: Result
    report: Path | None = None

    def to_json(self) -> dict[str, Any]:
        return self.result.to_json()


def open_form(file: Path | str | None = None) -> AppraisalForm:
    """An appraisal file's fields for the editor (the shipped example if no file), unchecked,
    so that a file with problems can be put right on the form."""
    if file is not None:
        return form_of(Path(file))
    ref = resources.files("wholeplace") / "data" / "cba" / "example_appraisal.yaml"
    with resources.as_file(ref) as p:
        return form_of(p)


def load_form(
    form: AppraisalForm, ws: Workspace | None = None, label: str = "appraisal.yaml"
) -> Appraisal:
    """An appraisal from the fields of a form (the web's editor), checked by the same loader as
    a file: a problem names the form's row (the first cost is row 1 of sheet ``Costs``)."""
    return build_appraisal(
        source_of(form, label),
        label,
        book(ws),
        defaults(ws),
        agencies=agency_map(ws),
        find_series=lambda name: uc.find_series(name, ws),
    )


def run_form(
    form: AppraisalForm,
    ws: Workspace | None = None,
    out: Path | None = None,
    *,
    label: str = "appraisal.yaml",
) -> RunResult:
    """:func:`run` on a form's fields: the same figures, and the same report if ``out``."""
    appraisal = load_form(form, ws, label)
    result = compute(appraisal)
    return RunResult(appraisal, result, None if out is None else _report(result, out, ws, []))


def _report(result: Result, out: Path, ws: Workspace | None, sources: list[Path]) -> Path:
    return write_report(
        result,
        out,
        sources=sources,
        place=None if ws is None else ws.name,
        names=None if ws is None else {p.id: p.name for p in list_partners(ws)},
    )


def write_appraisal(
    form: AppraisalForm, out: Path, ws: Workspace | None = None, label: str = "appraisal.yaml"
) -> Path:
    """The form's appraisal as a file ``cba run`` reads: YAML exactly as typed, or the XLSX
    template filled in (which holds single figures: an uncertain input is written as its
    central value). Checked first, so a file with problems is never written."""
    appraisal = load_form(form, ws, label)
    if out.suffix.lower() == ".xlsx":
        write_template(appraisal, out, book(ws))
    else:
        write_text_atomic(out, yaml_text(form, label))
    return out


def run(
    file: Path | str,
    ws: Workspace | None = None,
    out: Path | None = None,
    *,
    draws: int = REPORT_DRAWS,
    seed: int | None = REPORT_SEED,
) -> RunResult:
    """Present values, ROIs, payback and who pays / who gains; a report too if ``out``
    (its simulation: ``draws`` draws with ``seed``, the same as :func:`simulate`'s)."""
    appraisal = load(file, ws)
    result = compute(appraisal)
    written = (
        None
        if out is None
        else write_report(
            result,
            out,
            draws=draws,
            seed=seed,
            sources=[Path(file)],
            place=None if ws is None else ws.name,
            names=None if ws is None else {p.id: p.name for p in list_partners(ws)},
        )
    )
    return RunResult(appraisal, result, written)


def analyse(
    result: Result, *, draws: int = REPORT_DRAWS, seed: int | None = REPORT_SEED
) -> cba_report.Analysis:
    """What a report shows besides the result: tornado, break-even and, if any input is
    uncertain, a simulation of ``draws`` draws."""
    app = result.appraisal
    s = app.settings
    uncertain = (
        s.discount_rate_dist is not None
        or any(o.dists for o in app.outcomes)
        or any(c.multiplier_dist is not None for c in app.costs)
    )
    return cba_report.Analysis(
        tornado=cba_sens.tornado(app, TORNADO_SWING),
        break_even=cba_sens.break_even(app),
        simulation=cba_sim.simulate(app, draws, seed) if uncertain else None,
        swing=f"{TORNADO_SWING:.0%}",
        grades=cba_sens.grades(app),
    )


def write_report(
    result: Result,
    path: Path,
    *,
    draws: int = REPORT_DRAWS,
    seed: int | None = REPORT_SEED,
    sources: Sequence[Path] = (),
    place: str | None = None,
    names: Mapping[str, str] | None = None,
) -> Path:
    """The appraisal report, HTML, XLSX or PDF by ``path``'s suffix; the analysis computed
    first. ``sources`` (the appraisal file) are listed with their checksums in the footer;
    ``names`` names the place's partners where the agencies were mapped onto them."""

    def html(p: Path) -> Path:
        analysis = analyse(result, draws=draws, seed=seed)
        return cba_report.html_report(
            result, p, analysis, place=place, sources=sources, names=names
        )

    writer = writer_for(
        path,
        {
            ".html": html,
            ".xlsx": lambda p: cba_report.xlsx_report(result, p, names),
            ".pdf": pdf_writer(html),
        },
        "the appraisal report",
    )
    writer(path)
    return path


@dataclass(frozen=True)
class TemplateResult:
    path: Path

    def to_json(self) -> dict[str, Any]:
        return {"template": str(self.path)}


def template(
    out: Path, blank: bool = False, place: Sequence[Partner] | None = None
) -> TemplateResult:
    """The XLSX appraisal template, filled in with the shipped example unless ``blank``;
    given the ``place``'s partners, its partner drop-down lists them by name."""
    if out.suffix.lower() != ".xlsx":
        raise WholeplaceError("the template is an Excel workbook. Fix: name it OUT.xlsx")
    example = None
    if not blank:
        ref = resources.files("wholeplace") / "data" / "cba" / "example_appraisal.yaml"
        with resources.as_file(ref) as p:
            example = load_appraisal(p, uc.curated_book())
    write_template(example, out, place=place)
    return TemplateResult(out)


# -- the unit cost database ----------------------------------------------------------------


def book(ws: Workspace | None = None) -> uc.UnitCostBook:
    """The place's unit cost database when a place is given, else the curated set."""
    return uc.workspace_book(ws) if ws is not None else uc.curated_book()


@dataclass(frozen=True)
class UnitCostImport:
    imported: int
    book: uc.UnitCostBook

    @property
    def values(self) -> int:
        return sum(len(e.values) for e in self.book.entries)

    def to_json(self) -> dict[str, Any]:
        b = self.book
        return {
            "imported": self.imported,
            "values": self.values,
            "edition": b.edition,
            "deflators": None if b.deflators is None else b.deflators.name,
            "notes": b.notes,
        }


def import_unitcosts(ws: Workspace, file: Path) -> UnitCostImport:
    """Replace the place's unit cost database with a published workbook (and its deflators)."""
    b = uc.read_workbook(file)
    return UnitCostImport(uc.save_book(ws, b, file), b)


def _notes_json(e: uc.UnitCost) -> dict[str, Any]:
    t, p = e.transfer, e.stated_public_value
    return {
        "period": unit_period(e.unit),
        "transfer": None
        if t is None
        else {"amount": t.amount, "agency": t.agency, "note": t.note, "where": t.where},
        "stated_public_value": None
        if p is None
        else {"amount": p.amount, "price_year": p.year, "note": p.note, "where": p.where},
    }


def entry_json(
    e: uc.UnitCost, series: DeflatorSeries | None = None, to_year: str | None = None
) -> dict[str, Any]:
    """One unit cost as JSON; with ``series`` and ``to_year``, each value uprated too."""
    vals = {}
    for kind, v in e.values.items():
        item: dict[str, Any] = {"amount": v.amount, "price_year": v.year}
        if v.published_updated is not None:
            item["published_updated"] = to_money(v.published_updated)
        if to_year and series is not None:
            try:
                item["uprated"] = to_money(series.uprate(v.amount, v.year, to_year))
                item["uprated_to"] = to_year
            except DeflatorError:
                pass
        vals[kind] = item
    fields = {name: getattr(e, name) for name in TEXT_FIELDS}
    head = dict(list(fields.items())[: TEXT_FIELDS.index("source")])
    tail = dict(list(fields.items())[TEXT_FIELDS.index("source") :])
    return {**head, "values": vals, **tail, **_notes_json(e)}  # the fields in order


@dataclass(frozen=True)
class SearchResult:
    text: str
    edition: str
    found: list[uc.UnitCost]  # every match
    limit: int

    @property
    def shown(self) -> list[uc.UnitCost]:
        return self.found[: self.limit]

    def to_json(self) -> list[dict[str, Any]]:
        return [entry_json(e) for e in self.shown]


def search(text: str, ws: Workspace | None = None, limit: int = 50) -> SearchResult:
    """Unit costs whose code, description, agency or unit match ``text``."""
    b = book(ws)
    return SearchResult(text, b.edition, b.search(text), limit)


@dataclass(frozen=True)
class UnitCostDetail:
    entry: uc.UnitCost
    series: DeflatorSeries | None
    to_year: str | None
    data: dict[str, Any] = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return self.data


def show(code: str, ws: Workspace | None = None) -> UnitCostDetail:
    """Everything about one unit cost, its values uprated to the series' current year; who
    gains its fiscal value, the transfer part, and its public value."""
    b = book(ws)
    e = uc.find(b, code)
    series = b.deflators
    to_year = series.current_year if series and series.current_year else None
    data = entry_json(e, series, to_year)
    amap = agency_map(ws)
    data["fiscal_split"] = [
        {
            "agency": p.agency,
            "agency_detail": p.detail,
            "partner": None if amap is None else amap.resolve(p.agency, p.detail).partner,
            "amount": to_money(p.amount),  # a share, in the entry's own year's prices
            "transfer": p.transfer,
            "from": p.source,
        }
        for p in fiscal_parts(e, b)
    ]
    data["public_value"] = _public_value_json(e, series, to_year)
    return UnitCostDetail(e, series, to_year, data)


def _public_value_json(
    e: uc.UnitCost, series: DeflatorSeries | None, to_year: str | None
) -> dict[str, Any] | None:
    """The entry's public value in the stated year's prices (to compare), else its own
    values' year, and in the series' current year."""
    stated = e.stated_public_value
    years = {v.year for v in e.values.values()}
    own = stated.year if stated else (years.pop() if len(years) == 1 else None)
    out: dict[str, Any] = {}
    for label, year in (("in_own_prices", own), ("uprated", to_year)):
        if year is None:
            continue
        try:
            pv = public_value(e, year, series)
        except (DeflatorError, ValueError):
            continue
        out[label] = {
            "price_year": year,
            "values": {k: to_money(v) for k, v in pv.values.items()},
            "transfer": to_money(pv.transfer),
            "public_value": to_money(pv.total),
        }
    if stated is not None and "in_own_prices" in out:
        whole = round_half_up(public_value(e, stated.year, series).total, 0)
        out["stated"] = {"amount": stated.amount, "price_year": stated.year}
        out["matches_stated"] = whole == stated.amount
    return out or None


@dataclass(frozen=True)
class UpratedValue:
    kind: str
    amount: Decimal
    from_year: str
    to_year: str
    factor: Decimal  # to 6 decimal places, half-up
    uprated: Decimal  # to the penny

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Uprating:
    code: str
    deflators: str
    year: str
    values: list[UpratedValue]

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "deflators": self.deflators,
            "values": [v.to_json() for v in self.values],
        }


def uprate(
    code: str, to: str, ws: Workspace | None = None, series_name: str | None = None
) -> Uprating:
    """A unit cost's values in another year's prices (GDP deflator, to the penny), with the
    place's series or the one named (``ucd-v1.4`` reproduces the workbook's own figures)."""
    b = book(ws)
    year = parse_year(to)
    e = uc.find(b, code)
    series = b.deflators if series_name is None else deflators(ws, series_name).series
    if series is None:
        raise WholeplaceError("no GDP deflator series. Fix: wholeplace unitcosts deflators import")
    rows = [
        UpratedValue(
            kind,
            v.amount,
            v.year,
            year,
            round_half_up(series.factor(v.year, year), 6),
            to_money(series.uprate(v.amount, v.year, year)),
        )
        for kind, v in e.values.items()
    ]
    return Uprating(e.code, series.name, year, rows)


@dataclass(frozen=True)
class DeflatorImport:
    series: DeflatorSeries

    def to_json(self) -> dict[str, Any]:
        s = self.series
        return {
            "series": s.name,
            "first_year": s.first_year,
            "last_year": s.last_year,
            "years": len(s.years),
        }


def import_deflators(ws: Workspace, file: Path, name: str | None = None) -> DeflatorImport:
    """Import a newer GDP deflator series and use it for this place's uprating."""
    if not file.is_file():
        raise InputError([Problem(file.name, None, None, None, "file not found", "check the path")])
    series = read_deflator_csv(file, name)
    uc.save_series(ws, series, file)
    return DeflatorImport(series)


@dataclass(frozen=True)
class Deflators:
    series: DeflatorSeries

    def to_json(self) -> dict[str, Any]:
        s = self.series
        return {
            "series": s.name,
            "key": s.key or None,
            "source": s.source,
            "current_year": s.current_year,
            "years": [
                {
                    "year": y.year,
                    "pct_change": y.pct_change,
                    "index": y.index,
                    "forecast": y.forecast,
                }
                for y in s.years
            ],
        }


def deflators(ws: Workspace | None = None, name: str | None = None) -> Deflators:
    """The deflator series in use (the place's own choice, else HM Treasury's latest), or
    the one named."""
    series = book(ws).deflators if name is None else uc.find_series(name, ws)
    if series is None:
        raise WholeplaceError(
            f"no deflator series {name!r}. Fix: use one of: {', '.join(uc.series_names(ws))}"
            if name
            else "no GDP deflator series. Fix: wholeplace unitcosts deflators import"
        )
    return Deflators(series)


# -- agencies and partners -----------------------------------------------------------------


@dataclass(frozen=True)
class AgencyMapping:
    """``unitcosts agencies``: where each agency of the unit cost database goes in a place."""

    rows: list[Mapped]
    details: list[str]  # each row's level 2 ("" for level 1 alone)
    choices: list[tuple[str, str, str]]  # the place's own: agency, partner, reason

    def to_json(self) -> dict[str, Any]:
        return {
            "agencies": [
                {
                    "agency": m.agency,
                    "agency_detail": d,
                    "partner": m.partner,
                    "how": m.how,
                }
                for m, d in zip(self.rows, self.details, strict=True)
            ],
            "choices": [{"agency": a, "partner": p, "reason": r} for a, p, r in self.choices],
        }


def agencies(ws: Workspace) -> AgencyMapping:
    """Every agency (level 1, and level 1 / level 2) of the place's unit cost database and
    the partner it maps onto, with why."""
    amap = place_agency_map(ws)
    pairs: list[tuple[str, str]] = []
    for e in book(ws).entries:
        for pair in ((e.agency, ""), (e.agency, e.agency_detail)):
            if pair[0] and pair not in pairs:
                pairs.append(pair)
    own = choices(ws)
    for written, _, _ in own:  # the place's choices, for agencies its database may lack
        level1, _, level2 = written.partition(" / ")
        pair = (normalise_agency(level1), normalise_agency(level2))
        if pair not in pairs:
            pairs.append(pair)
    pairs.sort(key=lambda p: (p[0].lower(), p[1].lower()))
    rows = [amap.resolve(a, d) for a, d in pairs]
    return AgencyMapping(rows, [d for _, d in pairs], own)


def set_agency(ws: Workspace, agency: str, partner: str, reason: str) -> AgencyMapping:
    """This place's own partner for an agency ("Level 1" or "Level 1 / Level 2"), audited."""
    set_partner(ws, agency, partner, reason)
    return agencies(ws)


def reset_agency(ws: Workspace, agency: str) -> AgencyMapping:
    """Back to the documented mapping for ``agency``."""
    if not reset_partner(ws, agency):
        raise WholeplaceError(
            f"this place has no choice of its own for {agency!r}. Fix: see "
            "`wholeplace unitcosts agencies` for the agencies it has chosen partners for"
        )
    return agencies(ws)


def use_deflators(ws: Workspace, name: str) -> Deflators:
    """Make a shipped or stored series this place's series for uprating (audited)."""
    return Deflators(uc.use_series(ws, name))
