"""A gain-share agreement held by a release: who invests, who gains, and the transfers.

As an appraisal (:mod:`wholeplace.web.release_appraisal`): the place stores no agreement, so
the file is attached when the release is prepared, run then with the call the sharing page's
gain-share run makes (:func:`wholeplace.sharing.service.gainshare`), and frozen into a section
of kind ``gain-share``: the headline ``figures``, then each partner's net position before and
after the agreement and its transfer in each year as ``columns`` and ``table`` rows, with the
partnership as a whole as the ``total``. Money is exact Decimal text to the penny."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from wholeplace.money import ZERO, to_money
from wholeplace.sharing import service as sharing_service
from wholeplace.sharing.report.gainshare import answer
from wholeplace.web.sharing_pages import KINDS

ITEM = "gain-share"
TITLES = {
    ITEM: "Gain-share agreement: each partner's position before and after, and the transfers "
    "(attach the agreement file below)"
}
# the files the sharing page's gain-share run reads
SUFFIXES = KINDS["gainshare"][1]


def _money(v: Decimal) -> str:
    return str(to_money(v))


def section(path: Path, name: str, sha256: str) -> dict[str, Any]:
    """The agreement in ``path`` worked out now, as a release's section; a bad file raises
    the reader's InputError."""
    result = sharing_service.gainshare(path)
    a = result.agreement
    rate = a.describe_discount()
    invest = sum((o.investment for o in result.outcomes), ZERO)
    gain = sum((o.benefit for o in result.outcomes), ZERO)
    # as the answer counts it: what the partners that pay on balance pay over the agreement
    balances = [sum(o.transfer_by_year, ZERO) for o in result.outcomes]
    moved = sum((-t for t in balances if t < 0), ZERO)
    years = list(a.years)
    columns = [
        {"key": "investment", "label": "Invests", "kind": "gbp"},
        {"key": "benefit", "label": "Gains", "kind": "gbp"},
        {"key": "before", "label": "Net position before", "kind": "gbp"},
        {"key": "after", "label": "Net position after", "kind": "gbp"},
        {"key": "before_discounted", "label": "Before, discounted", "kind": "gbp"},
        {"key": "after_discounted", "label": "After, discounted", "kind": "gbp"},
        *(
            {"key": f"transfer_{i}", "label": f"Transfer {y} (+ receives, - pays)", "kind": "gbp"}
            for i, y in enumerate(years)
        ),
    ]
    rows = []
    for o in result.outcomes:
        values = {
            "investment": _money(o.investment),
            "benefit": _money(o.benefit),
            "before": _money(o.before.undiscounted),
            "after": _money(o.after.undiscounted),
            "before_discounted": _money(o.before.discounted),
            "after_discounted": _money(o.after.discounted),
        }
        values.update({f"transfer_{i}": _money(t) for i, t in enumerate(o.transfer_by_year)})
        rows.append({"label": o.name, "values": values})
    joint = result.joint_net
    total = {
        "investment": _money(invest),
        "benefit": _money(gain),
        "before": _money(joint.undiscounted),
        "after": _money(joint.undiscounted),
        "before_discounted": _money(joint.discounted),
        "after_discounted": _money(joint.discounted),
    }
    # transfers add up to zero in every year, to the penny: shown so a reader can see it
    total.update(
        {
            f"transfer_{i}": _money(sum((o.transfer_by_year[i] for o in result.outcomes), ZERO))
            for i in range(len(years))
        }
    )
    return {
        "item": ITEM,
        "title": f"Gain-share agreement: {a.name}",
        "agreement": a.name,
        "summary": answer(result).sentence,
        "figures": [
            {
                "key": "joint_net",
                "label": "Joint net benefit",
                "kind": "gbp",
                "value": total["before"],
            },
            {
                "key": "joint_net_discounted",
                "label": f"Joint net benefit, discounted at {rate}",
                "kind": "gbp",
                "value": total["before_discounted"],
            },
            {
                "key": "moved",
                "label": "Paid between the partners over the agreement",
                "kind": "gbp",
                "value": _money(moved),
            },
            {"key": "rule", "label": "Rule", "kind": "text", "value": a.describe_rule()},
        ],
        "columns": columns,
        "table": rows,
        "total": {"label": "The partners together", "values": total},
        "source": {"file": name, "sha256": sha256},
        "note": (
            f"Over {years[0]} to {years[-1]}; discounted at {rate} a year, the first year not "
            "discounted. A partner's net position is its benefits less its costs; the rule "
            "says what each should end with, and the transfers are the difference, year by "
            "year. Worked out when the release was prepared."
        ),
    }
