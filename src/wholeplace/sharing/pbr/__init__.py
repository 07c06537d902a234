"""Payment by results: a scheme in data, claims from outcome records, and forecasts.

A scheme (YAML) gives the maximum payment per family, the share of it paid up front as
an attachment fee by programme year, and results as rules over outcome records. The
shipped example is the 2012 Troubled Families scheme (``data/sharing``).

Outcome records are a CSV, one row per fact about one person in one family::

    family_id, person, measure, before, after, start_date, end_date, source

``attached`` rows (start_date = the date the family was attached) place a family in a
programme year (financial years April to March). Rules then test records of a measure:

* ``each_below``: every record's ``after`` is below ``value`` (e.g. every child fewer
  than 3 exclusions);
* ``family_fall_at_least``: the family's total ``after`` has fallen by at least
  ``percent`` from its total ``before`` (exactly 33 % counts);
* ``continuous_months_at_least``: a record whose continuous spell from ``start_date``
  to ``end_date`` (or to the as-of date if still running) lasts at least ``months``
  calendar months (exactly 6 months counts), optionally only for people whose
  ``before`` says they were on out-of-work benefits (``require_before: yes``);
* ``recorded_within_months``: a record starting within ``months`` before the as-of date.

A criterion for which a family has no records (or nothing to reduce) is *not
applicable*, as the scheme says "as relevant"; a result needs at least one applicable
criterion and every applicable one met.

A payment the published sources do not confirm is marked ``unconfirmed`` in the scheme
file, and every claim and forecast using it says so; :mod:`.funding` works out what a
scheme pays an authority from its funding basis and estimated families.
"""

from wholeplace.sharing.pbr.claims import (
    ClaimRun,
    CriterionCheck,
    FamilyClaim,
    ResultCheck,
    check_criterion,
    check_result,
    claim_family,
    run_claims,
    unrewarded_improvements,
)
from wholeplace.sharing.pbr.dates import add_months, financial_year, next_year_label
from wholeplace.sharing.pbr.forecasting import (
    Forecast,
    ForecastYear,
    forecast,
    load_forecast,
    parse_forecast,
)
from wholeplace.sharing.pbr.funding import Funding, FundingYear, funding
from wholeplace.sharing.pbr.records import FAMILY_ALIASES, Record, load_records
from wholeplace.sharing.pbr.scheme import (
    TESTS,
    YES,
    Criterion,
    FundingBasis,
    Result,
    Scheme,
    Stated,
    load_scheme,
    parse_scheme,
)

__all__ = [
    "FAMILY_ALIASES",
    "TESTS",
    "YES",
    "ClaimRun",
    "Criterion",
    "CriterionCheck",
    "FamilyClaim",
    "Forecast",
    "ForecastYear",
    "Funding",
    "FundingBasis",
    "FundingYear",
    "Record",
    "Result",
    "ResultCheck",
    "Scheme",
    "Stated",
    "add_months",
    "check_criterion",
    "check_result",
    "claim_family",
    "financial_year",
    "forecast",
    "funding",
    "load_forecast",
    "load_records",
    "load_scheme",
    "next_year_label",
    "parse_forecast",
    "parse_scheme",
    "run_claims",
    "unrewarded_improvements",
]
