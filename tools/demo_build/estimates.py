"""Estimated lines of the partners without published local figures: NHS and DWP
(CRA, North West, by population), police and fire (RS 2017-18)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from demo_build.config import (
    COUNCIL_CUSTOMER_GROUP,
    CRA,
    DWP_EXCLUDED,
    DWP_ID,
    DWP_SEGMENTS,
    FIRE_ID,
    HELD_FLAT,
    ICB_TO_LCC_BCF,
    ILLUSTRATIVE,
    NHS_CCG,
    NHS_ID,
    POLICE_ID,
    POP_SHORT,
    POP_YEAR,
    RS1718,
    YEARS,
    nhs_group,
)
from demo_build.model import INPUTS, AreaInfo, BuildError, Line, dec, thousands_to_pounds
from wholeplace.money import apportion


def per_area(
    nw_amount: Decimal, nw_pops: dict[str, int], areas: list[AreaInfo]
) -> dict[str, Decimal]:
    """Apportion a North West figure over every NW area by population; keep our 14."""
    codes = sorted(nw_pops)
    shares = apportion(nw_amount, [nw_pops[c] for c in codes])
    by_code = dict(zip(codes, shares, strict=True))
    return {a.code: by_code[a.code] for a in areas}


def _area_shares(
    partner: str,
    service: str,
    subservice: str,
    group: str,
    nw_gbp: Decimal,
    nw_pops: dict[str, int],
    areas: list[AreaInfo],
    outturn: str,
    source: str,
) -> list[Line]:
    """One estimated line per year and area: the North West total x the area's population share."""
    nw_pop = sum(nw_pops.values())
    shares = per_area(nw_gbp, nw_pops, areas)
    return [
        Line(
            partner=partner,
            year=year,
            service=service,
            subservice=subservice,
            area=a.code,
            customer_group=group,
            amount=shares[a.code],
            estimate=True,
            estimate_method=(
                f"{outturn} 2017-18 (£{nw_gbp:,.0f}) x area share of the North West "
                f"population ({a.population:,} of {nw_pop:,}, {POP_YEAR}); {HELD_FLAT}"
            ),
            source=source,
        )
        for year in YEARS.values()
        for a in areas
    ]


def dwp_lines(
    cra: list[dict[str, object]],
    rs: dict[str, dict[int, Decimal]],
    areas: list[AreaInfo],
    nw_pops: dict[str, int],
) -> tuple[list[Line], list[str]]:
    notes: list[str] = []
    totals: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for d in cra:
        if d["Organisation Name"] != "Department for Work and Pensions":
            continue
        seg = str(d["CRA Segment Name"])
        code = seg.split("-", 1)[0].strip()
        value = dec(d["2017-18"] or 0)
        if code in DWP_EXCLUDED:
            if value:
                notes.append(f"excluded {DWP_EXCLUDED[code]}: £{value:,}k")
            continue
        if code not in DWP_SEGMENTS:
            if value:
                raise BuildError(f"CRA DWP segment {seg!r} (£{value}k) has no mapping")
            continue
        totals[DWP_SEGMENTS[code]] += value
    lines: list[Line] = []
    for (service, subservice, group), k in sorted(totals.items()):
        if k <= 0:
            if k < 0:
                notes.append(f"left out {subservice}: North West total £{k:,}k (negative)")
            continue
        nw_gbp = thousands_to_pounds(k, subservice)
        INPUTS.append((DWP_ID, service, subservice, f"£{nw_gbp:,.0f}", "CRA North West 2017-18"))
        lines += _area_shares(
            DWP_ID, service, subservice, group, nw_gbp, nw_pops, areas,
            "North West outturn",
            f"{CRA}, DWP segment '{subservice}'; population: {POP_SHORT}",
        )  # fmt: skip
    lines += housing_benefit_lines(rs, areas)
    return lines, notes


def housing_benefit_lines(rs: dict[str, dict[int, Decimal]], areas: list[AreaInfo]) -> list[Line]:
    """Housing benefit: the councils pay it and DWP refunds it through subsidy; the RS return
    gives each council's own 2017-18 payments, which beats a regional share."""
    lines: list[Line] = []
    for a in areas:
        vals = rs[a.code]
        hb_k = vals.get(711, Decimal(0)) + vals.get(712, Decimal(0)) + vals.get(713, Decimal(0))
        amount = thousands_to_pounds(hb_k, f"RS 2017-18 {a.code} housing benefit")
        if amount <= 0:
            continue
        INPUTS.append(
            (
                DWP_ID,
                "SSB.HB",
                f"Housing benefit, {a.name}",
                f"£{amount:,.2f}",
                "RS 2017-18 lines 711-713",
            )
        )
        for year in YEARS.values():
            lines.append(
                Line(
                    partner=DWP_ID,
                    year=year,
                    service="SSB.HB",
                    subservice="Housing benefit (rent allowances and rebates), paid by the council",
                    area=a.code,
                    amount=amount,
                    estimate=True,
                    estimate_method=(
                        f"{a.name} council's own housing benefit payments 2017-18 (RS lines "
                        f"711-713, £{amount:,.2f}); {HELD_FLAT}"
                    ),
                    source=RS1718 + f"; {a.name} row, lines 711 + 712 + 713",
                )
            )
    return lines


def nhs_lines(
    cra: list[dict[str, object]], areas: list[AreaInfo], nw_pops: dict[str, int]
) -> list[Line]:
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for d in cra:
        if d["Department Name"] != "Department of Health and Social Care":
            continue
        if not str(d["HMT Function"] or "").startswith("7."):
            continue
        code = str(d["CRA Segment Name"]).split("-", 1)[0].strip()
        totals[nhs_group(str(d["Organisation Name"]), code)] += dec(d["2017-18"] or 0)
    lines: list[Line] = []
    for (service, subservice), k in totals.items():
        if k <= 0:
            raise BuildError(f"NHS group {subservice} is not positive: {k}")
        nw_gbp = thousands_to_pounds(k, subservice)
        INPUTS.append((NHS_ID, service, subservice, f"£{nw_gbp:,.0f}", "CRA North West 2017-18"))
        lines += _area_shares(
            NHS_ID, service, subservice, "", nw_gbp, nw_pops, areas,
            "North West health outturn",
            f"{CRA}, function 7 Health; population: {POP_SHORT}",
        )  # fmt: skip
    # The ICB's Better Care Fund contribution to the county, carved out of its CCG line in
    # each district (the county's area) so the ICB's per-area totals are unchanged.
    districts = [a for a in areas if a.council != "blackburn" and a.council != "blackpool"]
    for year in YEARS.values():
        shares = apportion(ICB_TO_LCC_BCF, [a.population for a in districts])
        for a, share in zip(districts, shares, strict=True):
            src_line = next(
                ln
                for ln in lines
                if ln.year == year and ln.area == a.code and ln.subservice == NHS_CCG[1]
            )
            src_line.amount -= share
            lines.append(
                Line(
                    partner=NHS_ID,
                    year=year,
                    service="ASC",
                    subservice="Better Care Fund: NHS contribution to the pooled budget",
                    area=a.code,
                    amount=share,
                    counterparty="lcc",
                    customer_group=COUNCIL_CUSTOMER_GROUP["ASC"],
                    estimate=True,
                    estimate_method=(
                        f"£{ICB_TO_LCC_BCF:,.0f} for the county area split over its 12 districts "
                        f"by population; {ILLUSTRATIVE}"
                    ),
                    source="wholeplace demo (illustrative); carved out of the line "
                    f"'{NHS_CCG[1]}' ({CRA})",
                )
            )
    return lines


def blue_light_lines(
    rs: dict[str, dict[int, Decimal]], names: dict[str, str], areas: list[AreaInfo]
) -> list[Line]:
    """Police and fire: each body's own RS 2017-18 lines, split over the 14 areas by people."""
    lines: list[Line] = []
    bodies = [
        (POLICE_ID, "E7023", [(601, "POL", "Police services"), (690, "CEN", "Central services")]),
        (
            FIRE_ID,
            "E6123",
            [(602, "FIR", "Fire and rescue services"), (690, "CEN", "Central services")],
        ),
    ]
    pops = [a.population for a in areas]
    total_pop = sum(pops)
    for partner, ecode, parts in bodies:
        vals = rs[ecode]
        body = names[ecode]
        for ln_no, service, label in parts:
            k = vals.get(ln_no, Decimal(0))
            if k <= 0:
                continue
            body_gbp = thousands_to_pounds(k, f"{body} {ln_no}")
            INPUTS.append(
                (partner, service, f"{body} line {ln_no}", f"£{body_gbp:,.2f}", "RS 2017-18")
            )
            shares = apportion(body_gbp, pops)
            for year in YEARS.values():
                for a, share in zip(areas, shares, strict=True):
                    lines.append(
                        Line(
                            partner=partner,
                            year=year,
                            service=service,
                            subservice=label,
                            area=a.code,
                            amount=share,
                            estimate=True,
                            estimate_method=(
                                f"{body} RS 2017-18 line {ln_no} (£{body_gbp:,.2f}, net current "
                                f"expenditure) split over the 14 areas it serves by population "
                                f"({a.population:,} of {total_pop:,}, {POP_YEAR}); {HELD_FLAT}"
                            ),
                            source=f"{RS1718}; {body} ({ecode}) line {ln_no}; "
                            f"population: {POP_SHORT}",
                            # RS gives only net current expenditure (after the body's own
                            # income), so the line says so rather than pass for gross.
                            basis="net",
                        )
                    )
    return lines
