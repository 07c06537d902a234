"""The gain-share report: net positions before and after, transfers, payments, and one
schedule per partner."""

from __future__ import annotations

from decimal import Decimal

from wholeplace.money import ZERO, fmt_gbp
from wholeplace.reports.layout import Answer, Headline
from wholeplace.sharing.gain_sharing import GainShareResult, PartnerOutcome
from wholeplace.sharing.report.charts import line_chart
from wholeplace.sharing.report.document import Report, Section, Table, cumulative, warnings


def _summary_text(result: GainShareResult) -> list[str]:
    a = result.agreement
    rate = a.describe_discount()
    invest = sum((o.investment for o in result.outcomes), ZERO)
    gain = sum((o.benefit for o in result.outcomes), ZERO)
    paras = [
        f"{a.name}: {len(a.partners)} partners over {len(a.years)} years "
        f"({a.years[0]} to {a.years[-1]}). Rule: {a.describe_rule()}.",
        f"Together the partners invest {fmt_gbp(invest)} and gain {fmt_gbp(gain)}: "
        f"a joint net benefit of {fmt_gbp(result.joint_net.undiscounted)} "
        f"({fmt_gbp(result.joint_net.discounted)} discounted at {rate} a year).",
        "Transfers add up to zero in every year, to the penny.",
        *warnings(result.warnings),
    ]
    sh = result.shapley
    if sh is not None:
        how = (
            "exactly"
            if sh.method == "exact"
            else f"from {sh.samples} sampled orders (seed {sh.seed})"
        )
        paras.append(
            f"Shapley value computed {how}: "
            "each partner's average marginal contribution to the joint net benefit."
        )
    return paras


def _summary_tables(result: GainShareResult) -> list[Table]:
    a = result.agreement
    rate = a.describe_discount()
    names = {o.id: o.name for o in result.outcomes}
    positions = Table(
        "Net position before and after the agreement",
        ["partner", "invests", "gains", "of which cash", "before", "after"]
        + [f"before (discounted {rate})", f"after (discounted {rate})"]
        + ["transfers in (+) / out (-)"],
        [
            [o.name, o.investment, o.benefit, o.cashable_benefit]
            + [o.before.undiscounted, o.after.undiscounted]
            + [o.before.discounted, o.after.discounted]
            + [o.after.undiscounted - o.before.undiscounted]
            for o in result.outcomes
        ],
    )
    transfers = Table(
        "Transfers year by year (+ receives, - pays)",
        ["partner", *a.years],
        [[o.name, *o.transfer_by_year] for o in result.outcomes],
    )
    payments = Table(
        "Payments",
        ["year", "from", "to", "amount"],
        [[p.year, names[p.payer], names[p.receiver], p.amount] for p in result.payments],
    )
    return [positions, transfers, payments]


def _summary(result: GainShareResult) -> Section:
    series: dict[str, list[Decimal]] = {}
    for o in result.outcomes:
        series[f"{o.name} before"] = cumulative(o.before_by_year)
        series[f"{o.name} after"] = cumulative(o.after_by_year)
    chart = line_chart(
        "Cumulative net position over time: who invests, who gains (dashed: without an agreement)",
        result.agreement.years,
        series,
        {k for k in series if k.endswith(" before")},
    )
    return Section("Gain-share", _summary_text(result), _summary_tables(result), [chart])


def _schedule(result: GainShareResult, o: PartnerOutcome) -> Section:
    a = result.agreement
    rate = a.describe_discount()
    paras = [
        f"Under the {a.name} agreement, {o.name} invests {fmt_gbp(o.investment)} "
        "and, as things fall, "
        f"gains {fmt_gbp(o.benefit)}"
        + (
            f" (of which {fmt_gbp(o.cashable_benefit)} in cash)"
            if o.cashable_benefit != o.benefit
            else ""
        )
        + f": a net position of {fmt_gbp(o.before.undiscounted)} before any transfer.",
        f"The partners agree to share the gains by this rule: {a.describe_rule()}.",
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
    paras.extend(warnings(w for w in result.warnings if o.name in w))
    rows = zip(
        a.years,
        o.before_by_year,
        o.transfer_by_year,
        o.after_by_year,
        cumulative(o.after_by_year),
        strict=True,
    )
    table = Table(
        f"{o.name}: year by year",
        ["year", "before", "transfer", "after", "after, cumulative"],
        [list(r) for r in rows],
    )
    return Section(f"Schedule - {o.name}", paras, [table], new_page=True)


def answer(result: GainShareResult) -> Answer:
    """The agreement in one sentence: what the partners invest and gain together, and who
    pays whom over the agreement (each partner's transfers, summed over the years)."""
    invest = sum((o.investment for o in result.outcomes), ZERO)
    gain = sum((o.benefit for o in result.outcomes), ZERO)
    moved = {o.name: sum(o.transfer_by_year, ZERO) for o in result.outcomes}
    payers = [n for n, t in moved.items() if t < 0]
    receivers = [n for n, t in moved.items() if t > 0]
    paid = sum((-t for t in moved.values() if t < 0), ZERO)
    if payers:
        who = (
            f"under the agreement {_names(payers)} {'pays' if len(payers) == 1 else 'pay'} "
            f"{_names(receivers)} {fmt_gbp(paid)} in all"
        )
    else:
        who = "the agreement moves no money between them"
    sentence = (
        f"Together the partners invest {fmt_gbp(invest)} and gain {fmt_gbp(gain)}, a joint net "
        f"benefit of {fmt_gbp(result.joint_net.undiscounted)}; {who}."
    )
    figures = [
        Headline(fmt_gbp(result.joint_net.undiscounted), "joint net benefit"),
        Headline(fmt_gbp(result.joint_net.discounted), "joint net benefit, discounted"),
        Headline(fmt_gbp(paid), "moved between the partners"),
        Headline(str(len(result.outcomes)), "partners"),
    ]
    return Answer(sentence, figures)


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def gainshare_report(result: GainShareResult) -> Report:
    a = result.agreement
    sections = [_summary(result)]
    sections.extend(_schedule(result, o) for o in result.outcomes)
    return Report(
        a.name,
        f"Gain-share schedule, {a.years[0]} to {a.years[-1]}",
        sections,
        answer=answer(result),
    )
