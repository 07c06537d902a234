"""Forecasts: income by year under outcome-rate scenarios, against the programme's costs."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.money import ZERO, to_money
from wholeplace.named_files import beside, outside_reason
from wholeplace.sharing.common import Issues, load_yaml, shape_guard, year_key
from wholeplace.sharing.pbr.dates import next_year_label
from wholeplace.sharing.pbr.scheme import Scheme, load_scheme


@dataclass
class ForecastYear:
    year: str
    attachment_income: Decimal
    results_income: Decimal
    costs: Decimal
    results_unconfirmed: Decimal = ZERO  # of results_income: resting on unconfirmed figures

    @property
    def income(self) -> Decimal:
        return self.attachment_income + self.results_income

    @property
    def net(self) -> Decimal:
        return self.income - self.costs


@dataclass
class Forecast:
    scheme: Scheme
    cohort: dict[str, int]
    scenarios: dict[str, list[ForecastYear]]
    warnings: list[str]
    # each unconfirmed payment the forecast uses: (result, year, amount, note)
    unconfirmed: list[tuple[str, str, Decimal, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scheme": self.scheme.name,
            "cohort": self.cohort,
            "scenarios": {},
            "warnings": self.warnings,
            "unconfirmed": [
                {"result": r, "year": y, "payment": a, "note": n} for r, y, a, n in self.unconfirmed
            ],
        }
        for name, rows in self.scenarios.items():
            cum = ZERO
            yrs = []
            for r in rows:
                cum += r.net
                yrs.append(
                    {
                        "year": r.year,
                        "attachment_income": r.attachment_income,
                        "results_income": r.results_income,
                        "results_unconfirmed": r.results_unconfirmed,
                        "income": r.income,
                        "costs": r.costs,
                        "net": r.net,
                        "cumulative_net": cum,
                    }
                )
            out["scenarios"][name] = {
                "years": yrs,
                "income": sum((r.income for r in rows), ZERO),
                "costs": sum((r.costs for r in rows), ZERO),
                "net": sum((r.net for r in rows), ZERO),
            }
        return out


# A results payment follows attachment by a year or two; the forecast runs a year for each
# year of lag, so the limit also keeps a mistyped lag (1000000) from running for ever.
MAX_LAG_YEARS = 10


def forecast(
    scheme: Scheme,
    cohort: dict[str, int],
    scenarios: dict[str, dict[str, Decimal]],
    costs: dict[str, Decimal],
    lag_years: int = 1,
) -> Forecast:
    """Income by year: attachment fees in the year families attach, results ``lag_years``
    later at each scenario's rate (the share of the cohort achieving each result)."""
    # Years in any accepted form, as labels (for callers who build these in Python).
    cohort = {year_key(y): n for y, n in cohort.items()}
    costs = {year_key(y): c for y, c in costs.items()}
    years = list(scheme.years)
    last = years[-1]
    for _ in range(lag_years):
        last = next_year_label(last)
        years.append(last)
    for y in costs:
        if y not in years:
            years.append(y)
    warnings: list[str] = []
    out: dict[str, list[ForecastYear]] = {}
    used: dict[tuple[str, str], tuple[str, str, Decimal, str]] = {}
    for name, rates in scenarios.items():
        att = {y: ZERO for y in years}
        res = {y: ZERO for y in years}
        unc = {y: ZERO for y in years}
        for y, n in cohort.items():
            att[y] += to_money(scheme.attachment_fee(y) * n)
            per_family = sum(
                (rates.get(r.id, ZERO) * r.payment.get(y, ZERO) for r in scheme.results), ZERO
            )
            doubtful = [r for r in scheme.results if y in r.unconfirmed and rates.get(r.id)]
            for r in doubtful:
                used[(r.id, y)] = (r.id, y, r.payment.get(y, ZERO), r.unconfirmed[y])
            per_family_unc = sum(
                (rates.get(r.id, ZERO) * r.payment.get(y, ZERO) for r in doubtful), ZERO
            )
            if per_family > scheme.max_payment - scheme.attachment_fee(y):
                warnings.append(
                    f"scenario {name}: expected results per family in {y} exceed what the scheme "
                    "pays; the rates probably count families twice (a family claiming employment "
                    "cannot also claim the results it replaces)"
                )
            target = years[years.index(y) + lag_years]
            res[target] += to_money(per_family * n)
            unc[target] += to_money(per_family_unc * n)
        out[name] = [ForecastYear(y, att[y], res[y], costs.get(y, ZERO), unc[y]) for y in years]
    if used:
        warnings.append(
            "results payments of "
            + ", ".join(f"{r} in {y} (£{a:,.2f})" for r, y, a, _ in used.values())
            + " are not confirmed by the published sources; the results income that rests on "
            "them is shown as unconfirmed"
        )
    return Forecast(scheme, cohort, out, warnings, list(used.values()))


def load_forecast(path: Path | str, scheme_path: Path | str | None = None) -> Forecast:
    path = Path(path)
    return parse_forecast(load_yaml(path), path.name, path, scheme_path)


@shape_guard("pbr_forecast_example.yaml")
def parse_forecast(
    raw: dict[str, Any], file: str, path: Path, scheme_path: Path | str | None = None
) -> Forecast:
    """A forecast from the mapping a forecast file holds; years in any accepted form."""
    issues = Issues(file)
    named = raw.get("scheme")
    if not scheme_path and not named:
        issues.add(
            "scheme", None, "no scheme named", "add scheme: path/to/scheme.yaml or use --scheme"
        )
        issues.raise_if_any()
    if scheme_path:
        # the person's own path (--scheme, or the web form's upload): from where they are,
        # else beside the forecast file
        sp = Path(str(scheme_path))
        try:
            found = sp.exists()
        except OSError:  # a name too long for the file system: said when it is read, below
            found = False
        if not sp.is_absolute() and not found:
            sp = path.parent / sp
    else:
        # a path inside the file: only from the file's own folder (named_files)
        why = outside_reason(str(named))
        if why is not None:
            issues.add(
                "scheme",
                named,
                why,
                "give the scheme's path from the forecast file's folder (scheme: "
                "troubled_families_2012.yaml for a scheme beside it), or pass --scheme FILE",
            )
            issues.raise_if_any()
        sp = beside(path, str(named))
    scheme = load_scheme(sp)
    cohort = _cohort(raw.get("cohort"), scheme, issues)
    scenarios = _scenarios(raw.get("scenarios") or {}, scheme, issues)
    costs: dict[str, Decimal] = {}
    for y, (key, v) in issues.by_year("costs", raw.get("costs") or {}).items():
        m = issues.money(f"costs.{key}", v)
        if m is not None:
            costs[y] = m
    lag = raw.get("result_lag_years", 1)
    if not str(lag).isdecimal() or int(str(lag)) > MAX_LAG_YEARS:
        issues.add(
            "result_lag_years",
            lag,
            f"must be a whole number of years, 0 to {MAX_LAG_YEARS}",
            "write 0, 1 or 2",
        )
        lag = 1
    issues.raise_if_any()
    return forecast(scheme, cohort, scenarios, costs, int(lag))


def _cohort(raw: object, scheme: Scheme, issues: Issues) -> dict[str, int]:
    cohort: dict[str, int] = {}
    for y, (key, n) in issues.by_year("cohort", raw if isinstance(raw, dict) else {}).items():
        if y not in scheme.years:
            issues.add(
                f"cohort.{key}",
                key,
                "not a programme year of the scheme",
                f"use {', '.join(scheme.years)}",
            )
        elif not str(n).isdigit():
            issues.add(
                f"cohort.{key}",
                n,
                "the number of families must be a whole number",
                "write e.g. 400",
            )
        else:
            cohort[y] = int(n)
    if not cohort:
        issues.add("cohort", raw, "no cohort", 'add cohort: {"2012/13": 400}')
    return cohort


def _scenarios(
    raw: dict[Any, Any], scheme: Scheme, issues: Issues
) -> dict[str, dict[str, Decimal]]:
    result_ids = {r.id for r in scheme.results}
    scenarios: dict[str, dict[str, Decimal]] = {}
    for name, rates in raw.items():
        scenarios[str(name)] = {}
        for rid, v in (rates or {}).items():
            if rid not in result_ids:
                issues.add(
                    f"scenarios.{name}.{rid}",
                    rid,
                    "not a result of the scheme",
                    f"use {', '.join(sorted(result_ids))}",
                )
                continue
            p = issues.percent(f"scenarios.{name}.{rid}", v)
            if p is not None:
                scenarios[str(name)][rid] = p
    if not scenarios:
        issues.add(
            "scenarios",
            None,
            "no scenarios",
            "add scenarios: {central: {continuous_employment: 10%}}",
        )
    return scenarios
