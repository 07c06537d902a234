"""Gain-share: turn "who gains" into "who should gain".

Each partner invests (costs) and gains (cashable benefits) year by year. Before any
agreement a partner's net position is its own benefits less its own costs. A rule says
what each partner *should* end up with; the transfers are the difference, year by year,
and always sum to zero in every year to the penny.

Rules (see docs/sharing.md):

* ``proportional_to_investment``, ``equal``, ``fixed``, ``proportional_to_benefit`` and
  ``shapley`` share each year's joint net benefit (all benefits less all costs) by a
  weight per partner fixed for the agreement (from the undiscounted totals);
* ``recover_outlay_first`` pays each year's benefits first to the investors until their
  outlay is recovered (in proportion to what is outstanding), and shares the rest by a
  second rule (equal unless stated).

The Shapley game: a coalition that includes every *essential* partner (default: every
partner that invests) can run the whole programme, paying all of its costs and counting
only its own members' benefits, and will do so only if that is worth it:
``v(S) = max(0, benefits(S) - costs(all))``; coalitions missing an essential partner are
worth nothing. Each partner then gets its average marginal contribution.
"""

from wholeplace.sharing.gain_sharing.agreement import (
    DEFAULT_DISCOUNT,
    DEFAULT_RISK_CONCENTRATION,
    RULES,
    Agreement,
    GainShareResult,
    PartnerFlows,
    PartnerOutcome,
    Payment,
    Position,
    Rule,
)
from wholeplace.sharing.gain_sharing.compute import (
    compute_gainshare,
    discount_factors,
    gainshare_warnings,
    present_value,
    rule_weights,
    settle,
    shapley_game,
    shapley_money,
)
from wholeplace.sharing.gain_sharing.read import (
    from_agency_matrix,
    load_agreement,
    parse_agreement,
    parse_gain_rule,
)

__all__ = [
    "DEFAULT_DISCOUNT",
    "DEFAULT_RISK_CONCENTRATION",
    "RULES",
    "Agreement",
    "GainShareResult",
    "PartnerFlows",
    "PartnerOutcome",
    "Payment",
    "Position",
    "Rule",
    "compute_gainshare",
    "discount_factors",
    "from_agency_matrix",
    "gainshare_warnings",
    "load_agreement",
    "parse_agreement",
    "parse_gain_rule",
    "present_value",
    "rule_weights",
    "settle",
    "shapley_game",
    "shapley_money",
]
