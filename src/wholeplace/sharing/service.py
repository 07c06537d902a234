"""The sharing operations a user performs, for every front end (command line, web, notebook).

Each operation takes a file (or an object already built in Python) and returns a typed
result whose ``to_json()`` is what ``wholeplace sharing ... --json`` prints. Reports are
written by :func:`write_report`, whichever result they come from. Nothing here prints or
touches a workspace: the sharing calculators read files and write files. The public names
are listed once, in the package's ``__all__`` (:mod:`wholeplace.sharing`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TypeAlias

from wholeplace.errors import InputError, Problem
from wholeplace.partners import Partner
from wholeplace.sharing import report as _report
from wholeplace.sharing.gain_sharing import Agreement, GainShareResult, compute_gainshare
from wholeplace.sharing.gain_sharing import load_agreement as _load_agreement
from wholeplace.sharing.pbr import (
    ClaimRun,
    Forecast,
    Funding,
    Record,
    Scheme,
    load_forecast,
    load_records,
    load_scheme,
    run_claims,
)
from wholeplace.sharing.pbr import funding as _funding
from wholeplace.sharing.place_partners import place_names
from wholeplace.sharing.pooled_budget import Pool, PoolResult, compute_pool, load_pool_any
from wholeplace.sharing.staff_recharges import RechargeResult, load_recharges
from wholeplace.sharing.templates import write_template

PathLike: TypeAlias = Path | str
SharingResult: TypeAlias = (
    PoolResult | GainShareResult | ClaimRun | Forecast | Funding | RechargeResult
)


def _label(source: object) -> str:
    return Path(source).name if isinstance(source, (str, Path)) else "partners"


def pool(source: Pool | PathLike, *, place: Sequence[Partner] | None = None) -> PoolResult:
    """Each partner's share of a pooled budget's over- or underspend, and its net cost.

    ``source`` is a pool file (YAML, or an XLSX workbook laid out as in docs/sharing.md) or
    a :class:`~wholeplace.sharing.pooled_budget.Pool`. With ``place`` (the place's partners)
    each partner is named as the place names it, and an id of no place partner is refused.
    """
    p = source if isinstance(source, Pool) else load_pool_any(source)
    if place is not None:
        p = dataclasses.replace(p, partners=place_names(p.partners, place, _label(source)))
    return compute_pool(p)


def gainshare(
    source: Agreement | PathLike,
    *,
    rule: str | None = None,
    place: Sequence[Partner] | None = None,
) -> GainShareResult:
    """The transfers that turn "who gains" into "who should gain".

    ``source`` is an agreement (YAML), a cost-benefit appraisal's by-agency JSON, or an
    :class:`~wholeplace.sharing.gain_sharing.Agreement`. ``rule`` overrides the file's rule, in
    the command line's words (``equal``, ``shapley``, ``fixed:lcc=60,police=40``, ...).
    With ``place``, each partner is named as the place names it (as :func:`pool`).
    """
    if isinstance(source, Agreement):
        if rule is not None:
            raise ValueError("give the rule in the Agreement itself, not as rule=")
        a = source
    else:
        a = _load_agreement(source, rule)
    if place is not None:
        names = place_names({p.id: p.name for p in a.partners}, place, _label(source))
        a = dataclasses.replace(
            a, partners=[dataclasses.replace(p, name=names[p.id]) for p in a.partners]
        )
    return compute_gainshare(a)


def pbr_claim(
    scheme: Scheme | PathLike,
    families: list[Record] | PathLike,
    *,
    as_of: date | None = None,
) -> ClaimRun:
    """Which families are claimable on ``as_of`` (default today), for what, with the
    outcome records that justify each claim."""
    s = scheme if isinstance(scheme, Scheme) else load_scheme(scheme)
    records = families if isinstance(families, list) else load_records(families, s)
    return run_claims(s, records, as_of if as_of is not None else date.today())


def as_of_date(text: str | None, label: str = "--as-of") -> date | None:
    """A claim's date as written (YYYY-MM-DD), or None for today; InputError if not a date."""
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(
            [Problem(label, None, None, text, "this is not a date", "write it as YYYY-MM-DD")]
        ) from exc


def allocation_of(
    items: Sequence[str] | None, label: str = "--allocation"
) -> dict[str, Fraction] | None:
    """``2012/13=1/3`` items as the share of the funded families worked with each year (None
    when none is given); InputError naming every item that is not YEAR=SHARE, 0 to 1."""
    if not items:
        return None
    out: dict[str, Fraction] = {}
    problems = []
    for item in items:
        year, _, share = item.partition("=")
        try:
            f = Fraction(share.strip())
            if not 0 <= f <= 1:
                raise ValueError
            out[year.strip()] = f
        except (ValueError, ZeroDivisionError):
            problems.append(
                Problem(
                    label,
                    None,
                    None,
                    item,
                    "not YEAR=SHARE with a share between 0 and 1",
                    f"write e.g. {label} 2012/13=1/3"
                    if label.startswith("--")
                    else "write e.g. 2012/13=1/3",
                )
            )
    if problems:
        raise InputError(problems)
    return out


def pbr_funding(
    scheme: Scheme | PathLike,
    estimated_families: int,
    *,
    allocation: dict[str, Fraction] | None = None,
) -> Funding:
    """What the scheme pays an authority for its ``estimated_families``, by programme year:
    the funded families, attachment fees on the allocation, results available, each figure
    resting on an unconfirmed part of the scheme marked so."""
    s = scheme if isinstance(scheme, Scheme) else load_scheme(scheme)
    return _funding(s, estimated_families, allocation)


def pbr_forecast(file: PathLike, *, scheme: PathLike | None = None) -> Forecast:
    """Income by year under each outcome-rate scenario, against the programme's costs.

    ``scheme`` is needed only if the forecast file names none.
    """
    return load_forecast(file, scheme)


def recharges(
    staff: PathLike,
    *,
    actuals: PathLike | None = None,
    year: str = "",
    place: Sequence[Partner] | None = None,
) -> RechargeResult:
    """Quarterly section 113 recharges, the annual true-up (with ``actuals``) and the
    reconciliation. ``year`` is a financial year in any accepted form, or blank. With
    ``place``, each partner column is named as the place names it (as :func:`pool`)."""
    rc = load_recharges(staff, actuals, year)
    if place is not None:
        rc.names = place_names({p: p for p in rc.partners}, place, _label(staff))
    return rc


def template(kind: str, out: PathLike, *, place: Sequence[Partner] | None = None) -> Path:
    """Write a starting file for ``kind`` (pool, gainshare or recharges): the shipped worked
    example, or with ``place`` a skeleton naming the place's partners. Returns its path."""
    return write_template(kind, Path(out), place)


_BUILDERS: dict[type, Callable[..., _report.Report]] = {
    PoolResult: _report.pool_report,
    GainShareResult: _report.gainshare_report,
    ClaimRun: _report.claims_report,
    Forecast: _report.forecast_report,
    Funding: _report.funding_report,
    RechargeResult: _report.recharges_report,
}


def write_report(
    result: SharingResult,
    out: PathLike,
    *,
    sources: Sequence[PathLike] = (),
    place: str | None = None,
) -> Path:
    """Write ``result``'s report to ``out``: HTML (with offline charts), XLSX or PDF, chosen
    by the file's suffix, atomically. ``sources`` (the input files) are listed with their
    checksums in the HTML footer. Returns the path written."""
    return _report.write_report(
        build_report(result), Path(out), sources=[Path(p) for p in sources], place=place
    )


def build_report(result: SharingResult) -> _report.Report:
    """``result``'s report as a document (its answer, sections and schedules), unwritten."""
    build = _BUILDERS.get(type(result))
    if build is None:
        raise TypeError(f"no sharing report for {type(result).__name__}")
    return build(result)
