"""Council lines: published gross outturn by service, Pendle's missing year, and the
illustrative payments between partners."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from demo_build.config import (
    COUNCIL_CUSTOMER_GROUP,
    COUNCILS,
    EDUCATION,
    ICB_TO_LCC_BCF,
    ILLUSTRATIVE,
    LCC_TO_BURNLEY_BCF,
    LCC_TO_BURNLEY_LABEL,
    LCC_TO_ICB_BCF,
    NHS_ID,
    RS_LINES,
    RS_TOTAL,
    RSX_TOTAL,
    VIA_JSON,
    YEARS,
    Council,
)
from demo_build.model import DERIVED, AreaInfo, BuildError, Line, dec, thousands_to_pounds
from demo_build.readers import read_council_json
from wholeplace.money import to_money


@dataclass
class GrossYear:
    """One council's published RSX gross service lines for one year (£, exact)."""

    lines: dict[str, Decimal]  # RS line name -> gross expenditure
    total: Decimal  # published TOTAL SERVICE EXPENDITURE, gross
    education_derived: bool  # Education = total less the 12 other published lines
    others: Decimal  # sum of the 12 published lines other than Education

    @property
    def gap(self) -> Decimal:
        """Published total less the sum of the lines (non-zero only through rounding)."""
        return self.total - sum(self.lines.values(), Decimal(0))


def gross_year(c: Council, data: dict, pub_year: str) -> GrossYear | None:
    """The council's gross lines for ``pub_year``; None when the parse holds none at all."""
    by = data["by_year"].get(pub_year)
    if by is None:
        return None
    services = by["detailed_services"]["RSX"]["services"]
    where = f"{c.stem} {pub_year}"

    def gross(name: str) -> object:
        return (services.get(name) or {}).get("total_expenditure", {}).get("value_thousands")

    raw = {name: gross(name) for name, _ in RS_LINES}
    raw_total = gross(RSX_TOTAL)
    if raw_total is None and all(v is None for v in raw.values()):
        return None
    if raw_total is None:
        raise BuildError(f"{where}: gross TOTAL SERVICE EXPENDITURE is null but some lines are not")
    nulls = [name for name, v in raw.items() if v is None]
    if nulls not in ([], [EDUCATION]):
        raise BuildError(f"{where}: gross null for {nulls}; only Education can be derived")
    total = thousands_to_pounds(raw_total, f"{where} gross total")
    lines: dict[str, Decimal] = {}
    for name, v in raw.items():
        if v is None:
            continue
        amount = thousands_to_pounds(v, f"{where} {name} gross")
        if amount < 0:
            raise BuildError(f"{where} {name}: negative gross expenditure {amount}")
        lines[name] = amount
    others = sum((v for k, v in lines.items() if k != EDUCATION), Decimal(0))
    derived = False
    if EDUCATION in nulls:
        if c.type == "district":
            # Districts have no education function (their 2024-25 gross Education is 0), so a
            # gap between their lines and the total is rounding, not education.
            lines[EDUCATION] = Decimal(0)
        else:
            edu = total - others
            # Sanity: gross = net + income >= net, and gross >= employee costs alone.
            edu_row = services[EDUCATION]
            net_k = by["revenue_summary"]["service_expenditure"][EDUCATION]["value_thousands"]
            emp_k = (edu_row.get("employees") or {}).get("value_thousands")
            floor = max(dec(net_k or 0), dec(emp_k or 0)) * 1000
            if edu < floor or edu <= 0:
                raise BuildError(
                    f"{where}: derived gross Education {edu} is below the published net or "
                    f"employee costs ({floor})"
                )
            lines[EDUCATION] = edu
            derived = True
    return GrossYear(lines, total, derived, others)


def council_source(pub_year: str, name: str) -> str:
    return (
        f"MHCLG Revenue Outturn {pub_year}, RSX line '{name}', total expenditure (gross), "
        f"{VIA_JSON}"
    )


def council_lines(
    ref: Path, areas: list[AreaInfo], registry: dict[str, dict[str, str]]
) -> tuple[list[Line], list[str], dict[tuple[str, str], Decimal], list[str]]:
    """One line per non-zero gross SeRCOP line per council and year.

    Returns the lines, quirks for SOURCES.md, each council-year's expected total, and the
    council-years written as estimates (with why)."""
    lines: list[Line] = []
    gaps: list[str] = []
    expected: dict[tuple[str, str], Decimal] = {}
    estimated: list[str] = []
    area_of = {a.council: a.code for a in areas}
    for c in COUNCILS:
        data = read_council_json(ref, c)
        gss = registry[c.register]["gss-code"]
        if data["ons_code"] != gss:
            raise BuildError(f"{c.stem}: ONS code {data['ons_code']} != register {gss}")
        for pub_year, year in YEARS.items():
            by = data["by_year"][pub_year]
            check_net_total(c, by, pub_year)
            g = gross_year(c, data, pub_year)
            if g is None:
                name = registry[c.register]["nice-name"]
                new, note = interpolated_year(c, name, data, pub_year, area_of.get(c.id, ""))
                lines += new
                estimated.append(note)
                expected[(c.id, year)] = sum((ln.amount for ln in new), Decimal(0))
                continue
            if g.gap:
                # Published totals are rounded independently of their lines (e.g. Ribble
                # Valley 2023-24 is £1k out); the demo follows the lines and says so.
                if abs(g.gap) > 5000:
                    raise BuildError(
                        f"{c.stem} {pub_year}: gross lines sum to {g.total - g.gap} but TOTAL "
                        f"SERVICE EXPENDITURE is {g.total}"
                    )
                gaps.append(
                    f"{c.id} {year}: the published gross lines sum to £{g.total - g.gap:,.2f} "
                    f"but the published gross TOTAL SERVICE EXPENDITURE is £{g.total:,.2f} "
                    "(rounding in the return); the demo follows the lines"
                )
            for name, code in RS_LINES:
                amount = g.lines[name]
                if amount == 0:
                    continue
                source = council_source(pub_year, name)
                if name == EDUCATION and g.education_derived:
                    source = (
                        f"MHCLG Revenue Outturn {pub_year}, RSX: published gross TOTAL SERVICE "
                        f"EXPENDITURE (£{g.total:,.2f}) less the 12 other published gross "
                        f"service lines (£{g.others:,.2f}); the parse has no gross figure for "
                        f"'{EDUCATION}' this year; {VIA_JSON}"
                    )
                lines.append(
                    Line(
                        partner=c.id,
                        year=year,
                        service=code,
                        amount=amount,
                        area=area_of.get(c.id, ""),
                        customer_group=COUNCIL_CUSTOMER_GROUP.get(code, ""),
                        source=source,
                    )
                )
            if g.education_derived:
                net_k = by["revenue_summary"]["service_expenditure"][EDUCATION]["value_thousands"]
                DERIVED.append(
                    f"| {c.id} | {year} | {g.total:,.2f} | {g.others:,.2f} | "
                    f"{g.lines[EDUCATION]:,.2f} | {dec(net_k) * 1000:,.2f} |"
                )
            expected[(c.id, year)] = g.total - g.gap
    return lines, gaps, expected, estimated


def check_net_total(c: Council, by: dict, pub_year: str) -> None:
    """The RSX detail and the revenue summary must come from the same return (net totals)."""
    summary = by["revenue_summary"]["service_expenditure"][RS_TOTAL]["value_thousands"]
    detail = by["detailed_services"]["RSX"]["services"][RSX_TOTAL]
    net = detail.get("net_current_expenditure", {}).get("value_thousands")
    if summary is not None and net is not None and dec(summary) != dec(net):
        raise BuildError(f"{c.stem} {pub_year}: RSX net total {net} != summary total {summary}")


def neighbour_years(pub_year: str) -> tuple[str, str]:
    start = int(pub_year[:4])
    return f"{start - 1}-{str(start)[2:]}", f"{start + 1}-{str(start + 2)[2:]}"


def interpolated_year(
    c: Council, name: str, data: dict, pub_year: str, area: str
) -> tuple[list[Line], str]:
    """A year the parse holds nothing for: each line = mean of the years either side."""
    before, after = neighbour_years(pub_year)
    gb, ga = gross_year(c, data, before), gross_year(c, data, after)
    if gb is None or ga is None:
        raise BuildError(f"{c.stem} {pub_year}: no gross lines, and no year either side")
    if gb.gap or ga.gap:
        raise BuildError(f"{c.stem}: {before}/{after} lines do not sum to their totals")
    year = YEARS[pub_year]
    cert = {y: data["by_year"][y].get("certified") for y in (before, pub_year, after)}
    lines = []
    for line, code in RS_LINES:
        b, a = gb.lines[line], ga.lines[line]
        mean = (b + a) / 2
        amount = to_money(mean)
        if amount != mean:
            raise BuildError(f"{c.stem} {line}: mean of {b} and {a} is not whole pence")
        if amount == 0:
            continue
        lines.append(
            Line(
                partner=c.id,
                year=year,
                service=code,
                amount=amount,
                area=area,
                customer_group=COUNCIL_CUSTOMER_GROUP.get(code, ""),
                estimate=True,
                estimate_method=(
                    f"Mean of {name}'s published gross '{line}' for {before} (£{b:,.2f}) and "
                    f"{after} (£{a:,.2f}); its {pub_year} return is entirely null in the parse"
                ),
                source=(
                    f"MHCLG Revenue Outturn {before} and {after} ({name}'s two returns), RSX "
                    f"line '{line}', total expenditure (gross), {VIA_JSON}"
                ),
            )
        )
    total = sum((ln.amount for ln in lines), Decimal(0))
    note = (
        f"{c.id} {year}: every RSX line (gross and net) is null in {c.stem}_budgets_govuk.json "
        f"(certified: {cert[pub_year]}), so its {year} lines are **estimates** (`estimate` = "
        f"`yes`): each SeRCOP line is the mean of its published gross line for {before} "
        f"(total £{gb.total:,.2f}, certified: {cert[before]}) and {after} (total "
        f"£{ga.total:,.2f}, certified: {cert[after]}), £{total:,.2f} in all"
    )
    return lines, note


def check_payment_sizes(ref: Path) -> tuple[list[str], dict[str, Decimal]]:
    """The illustrative payments must fit inside the published gross figures they sit in.

    Returns the problems and the county's Adult Social Care "other income" by year."""
    problems = []
    asc_other_income: dict[str, Decimal] = {}
    county = read_council_json(ref, COUNCILS[0])
    burnley = read_council_json(ref, next(c for c in COUNCILS if c.id == "burnley"))
    for pub_year in YEARS:
        asc = county["by_year"][pub_year]["detailed_services"]["RSX"]["services"][
            "Adult Social Care"
        ]
        other_income = dec(asc["other_income"]["value_thousands"]) * 1000
        asc_other_income[pub_year] = other_income
        if other_income <= ICB_TO_LCC_BCF:
            problems.append(f"ICB -> county {ICB_TO_LCC_BCF} >= county ASC other income {pub_year}")
        hsg = burnley["by_year"][pub_year]["detailed_services"]["RSX"]["services"][
            "Housing services (GFRA only)"
        ]
        if dec(hsg["total_expenditure"]["value_thousands"]) * 1000 <= LCC_TO_BURNLEY_BCF:
            problems.append(f"county -> Burnley exceeds Burnley's gross housing {pub_year}")
    return problems, asc_other_income


def carve(lines: list[Line], partner: str, year: str, service: str, amount: Decimal) -> Line:
    """Reduce a partner's line by ``amount`` (so a payment can be shown separately)."""
    matches = [
        ln
        for ln in lines
        if ln.partner == partner
        and ln.year == year
        and ln.service == service
        and not ln.counterparty
    ]
    if len(matches) != 1:
        raise BuildError(f"carve {partner} {year} {service}: {len(matches)} candidate lines")
    ln = matches[0]
    if ln.amount <= amount:
        raise BuildError(f"carve {partner} {year} {service}: {ln.amount} <= {amount}")
    ln.amount -= amount
    return ln


def lcc_payments(lines: list[Line]) -> list[Line]:
    out = []
    for year in YEARS.values():
        asc = carve(lines, "lcc", year, "ASC", LCC_TO_ICB_BCF + LCC_TO_BURNLEY_BCF)
        asc.subservice = (
            "Adult Social Care (published gross line less the payments shown separately)"
        )
        src = asc.source + "; split out by wholeplace"
        out.append(
            Line(
                partner="lcc",
                year=year,
                service="ASC",
                subservice="Better Care Fund pooled budget contribution",
                amount=LCC_TO_ICB_BCF,
                customer_group=COUNCIL_CUSTOMER_GROUP["ASC"],
                counterparty=NHS_ID,
                estimate=True,
                estimate_method="Part of the county's published gross Adult Social Care line; "
                + ILLUSTRATIVE,
                source=src,
            )
        )
        out.append(
            Line(
                partner="lcc",
                year=year,
                service="ASC",
                subservice=LCC_TO_BURNLEY_LABEL,
                amount=LCC_TO_BURNLEY_BCF,
                customer_group=COUNCIL_CUSTOMER_GROUP["ASC"],
                counterparty="burnley",
                estimate=True,
                estimate_method="Part of the county's published gross Adult Social Care line; "
                + ILLUSTRATIVE,
                source=src,
            )
        )
    return out
