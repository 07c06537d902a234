"""Social return on investment: the value of the outcomes over the value of the inputs.

For each outcome of the impact map: ``quantity x financial proxy``, less deadweight,
displacement and attribution (and leakage and substitution where given), as
:func:`wholeplace.outcomes.additionality.net_of` takes them off; that is the value in the
first year. Each later year keeps ``1 - drop_off`` of the year before, for ``duration`` years.
Each year's value is discounted ``(1 + r) ** year`` (year 1 discounted once). The ratio is the
present value of all outcomes over the investment: "£X for every £1".

The SROI Guide (2012) names these stages and adjustments; its exact formulas were not
confirmed from its text (../shared/reference/sroi-guide-2012/EXCERPTS.md), so this is the
common form, stated in docs/outcomes.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from wholeplace.money import round_half_up
from wholeplace.outcomes.additionality import Step, frac, net_of
from wholeplace.outcomes.model import Factor, Sroi, ValueLine

# The sensitivity table: each assumption moved against the result, one at a time.
SENSITIVITY_POINTS = Decimal("0.1")
PROXY_CUT = Decimal("0.2")


@dataclass(frozen=True)
class LineValue:
    line: ValueLine
    proxy: Decimal  # the value of one outcome, in the price year
    proxy_source: str
    gross: Fraction  # quantity x proxy
    first_year: Fraction  # after the factors
    steps: tuple[Step, ...]
    by_year: tuple[Fraction, ...]  # undiscounted value in each year
    present_value: Fraction

    def to_json(self) -> dict[str, Any]:
        return {
            "description": self.line.description,
            "stakeholder": self.line.stakeholder,
            "output": self.line.output,
            "quantity": str(self.line.quantity),
            "proxy": pounds(self.proxy),
            "proxy_source": self.proxy_source,
            "gross_value": pounds(self.gross),
            "first_year_value": pounds(self.first_year),
            "by_year": [pounds(v) for v in self.by_year],
            "present_value": pounds(self.present_value),
            "steps": [s.to_json() for s in self.steps],
        }


@dataclass(frozen=True)
class SroiResult:
    sroi: Sroi
    lines: tuple[LineValue, ...]
    total: Fraction
    sensitivity: tuple[tuple[str, Fraction], ...]

    @property
    def ratio(self) -> Fraction:
        return self.total / frac(self.sroi.investment)

    @property
    def ratio_shown(self) -> Decimal:
        return round_half_up(self.ratio, 2)

    @property
    def sentence(self) -> str:
        return f"£{self.ratio_shown} of social value for every £1 invested"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.sroi.name,
            "investment": pounds(self.sroi.investment),
            "price_year": self.sroi.price_year,
            "discount_rate": str(self.sroi.discount_rate),
            "discount_source": self.sroi.discount_source,
            "stakeholders": list(self.sroi.stakeholders),
            "lines": [x.to_json() for x in self.lines],
            "present_value": pounds(self.total),
            "ratio": str(self.ratio_shown),
            "sentence": self.sentence,
            "sensitivity": [
                {"change": what, "ratio": str(round_half_up(r, 2))} for what, r in self.sensitivity
            ],
        }


def pounds(x: Fraction | Decimal) -> Decimal:
    """An exact value shown to the penny, half up (as ``money.to_money`` rounds)."""
    return round_half_up(x, 2)


# ``(code, kind, price_year) -> (amount, source)``: a Unit Cost Database value as a proxy.
ProxyLookup = Callable[[str, str, str], tuple[Decimal, str]]


def _proxy(line: ValueLine, year: str, lookup: ProxyLookup | None) -> tuple[Decimal, str]:
    p = line.proxy
    if p.amount is not None:
        return p.amount, p.source or ""
    if lookup is None or p.unit_cost is None:
        raise ValueError(f"{line.description}: a unit cost proxy needs the unit cost database")
    return lookup(p.unit_cost, p.kind, year)


def value_line(line: ValueLine, proxy: Decimal, source: str, rate: Decimal) -> LineValue:
    gross = frac(line.quantity) * frac(proxy)
    first, steps = net_of(gross, line.factors)
    keep = 1 - frac(line.drop_off)
    by_year = tuple(first * keep**n for n in range(line.duration))
    r = 1 + frac(rate)
    pv = sum((v / r ** (n + 1) for n, v in enumerate(by_year)), Fraction(0))
    return LineValue(line, proxy, source, gross, first, steps, by_year, pv)


def _total(s: Sroi, proxies: list[tuple[Decimal, str]]) -> tuple[Fraction, list[LineValue]]:
    lines = [
        value_line(x, amount, src, s.discount_rate)
        for x, (amount, src) in zip(s.lines, proxies, strict=True)
    ]
    return sum((x.present_value for x in lines), Fraction(0)), lines


def _moved(line: ValueLine, name: str) -> ValueLine:
    if name == "drop_off":
        return replace(line, drop_off=min(Decimal(1), line.drop_off + SENSITIVITY_POINTS))
    f = line.factors.get(name, Factor(Decimal(0), "sensitivity"))
    moved = Factor(min(Decimal(1), f.share + SENSITIVITY_POINTS), f.source)
    return replace(line, factors={**line.factors, name: moved})


def calculate(s: Sroi, lookup: ProxyLookup | None = None) -> SroiResult:
    proxies = [_proxy(x, s.price_year, lookup) for x in s.lines]
    total, lines = _total(s, proxies)
    inv = frac(s.investment)
    rows: list[tuple[str, Fraction]] = []
    pts = f"{int(SENSITIVITY_POINTS * 100)} percentage points"
    for name in ("deadweight", "attribution", "displacement", "drop_off"):
        moved = replace(s, lines=tuple(_moved(x, name) for x in s.lines))
        rows.append(
            (f"{name.replace('_', '-')} up {pts} on every outcome", _total(moved, proxies)[0] / inv)
        )
    cut = [(a * (1 - PROXY_CUT), src) for a, src in proxies]
    rows.append((f"every financial proxy {int(PROXY_CUT * 100)}% lower", _total(s, cut)[0] / inv))
    return SroiResult(s, tuple(lines), total, tuple(rows))
