"""Neighbourhood profiles (issue 16): each area's population, deprivation decile and
domains, the other indicators, the partners' assets in it and the public spend on it,
compared with the place and with the areas most like it.

It builds on :func:`wholeplace.assets.service.profiles` (indicators, ranks, assets and
the spend map's figures by area) and adds what a profile page needs:

- **population**: the area's population from ``wholeplace areas import``, else the
  indicator named ``population``;
- **deprivation**: the indicator named ``imd_decile``, and the domains: every other
  indicator whose name ends in ``_decile`` (``import_domains`` imports the seven domains
  of the English indices of deprivation 2019 by those names);
- **the place**: each indicator's median over the place's areas, and the place's spend
  per head (all the areas' spend, with any allocated, over all their populations);
- **the most similar areas**: the ``k`` areas nearest in the straight-line (Euclidean)
  distance over every indicator, each scaled by its range over the place's areas (so a
  decile and a population weigh alike); only areas with every indicator are compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wholeplace.assets.model import Asset, shown
from wholeplace.assets.profiles import AreaSpend, Indicator
from wholeplace.disclosure import (
    SECONDARY,
    SUPPRESSED,
    cell,
    marker,
    mean_discloses,
    median_discloses,
    protect,
    small,
)
from wholeplace.errors import WholeplaceError
from wholeplace.money import ZERO, round_half_up, to_money
from wholeplace.workspace import Workspace

if TYPE_CHECKING:
    from wholeplace.assets.service import IndicatorImport

DECILE = "imd_decile"
POPULATION = "population"
SIMILAR = 5
SIMILARITY = (
    "the straight-line (Euclidean) distance over every indicator, each scaled by its range "
    "over the place's areas, so that a decile and a population weigh alike; only areas "
    "with every indicator are compared"
)
# The seven domains of the English indices of deprivation 2019 (File 2), by the names a
# profile shows them under: each column is "<domain> Decile (where 1 is ...)".
DOMAINS = (
    ("income_decile", "Income"),
    ("employment_decile", "Employment"),
    ("education_decile", "Education, Skills and Training"),
    ("health_decile", "Health Deprivation and Disability"),
    ("crime_decile", "Crime"),
    ("housing_decile", "Barriers to Housing and Services"),
    ("environment_decile", "Living Environment"),
)
DOMAIN_COLUMN = "{} Decile (where 1 is most deprived 10% of LSOAs)"


@dataclass(frozen=True)
class Figure:
    """One indicator of an area, beside the place's median and the similar areas' mean."""

    indicator: str
    value: Decimal | None
    rank: int | None  # 1 = the highest value among the place's areas
    place: Decimal | None
    similar: Decimal | None
    counts: bool = False
    # a published page leaves these out: computed from a suppressed count, they would give
    # it away beside the figures shown (wholeplace.disclosure.median_discloses)
    place_withheld: bool = False
    similar_withheld: bool = False

    def published(self, value: Decimal | None) -> Decimal | str | None:
        """``value`` as a public report shows it: a count of people under 5 as ``<5``."""
        return SUPPRESSED if self.counts and small(value) else value

    def to_json(self) -> dict[str, Any]:
        def text(v: Decimal | None) -> str | None:
            return None if v is None else shown(v)

        return {
            "indicator": self.indicator,
            "value": text(self.value),
            "rank": self.rank,
            "place_median": text(self.place),
            "similar_mean": text(self.similar),
            "counts": self.counts,
        }

    def for_publication(self) -> Figure:
        """This figure as a published page shows it: a place median or similar areas' mean
        that would give a suppressed count away is left out (None)."""
        return replace(
            self,
            place=None if self.place_withheld else self.place,
            similar=None if self.similar_withheld else self.similar,
        )


def suppressed(value: Decimal | int | None) -> Decimal | int | str | None:
    """A count of people as published: under 5 is ``<5`` (as the estate report shows it,
    0 included: a true zero beside suppressed small counts would narrow them down)."""
    return cell(value)


@dataclass
class Neighbourhood:
    code: str
    name: str
    population: int | None
    decile: Decimal | None
    domains: list[Figure]
    figures: list[Figure]  # every indicator, the decile and domains included
    assets: list[Asset]
    spend: AreaSpend | None
    similar: list[tuple[str, str, Decimal]] = field(default_factory=list)  # code, name, d
    # set by AreaProfiles.for_publication: the population is withheld (<5 or c), and with it
    # every figure worked out from it (see :meth:`published_per_head`)
    population_withheld: bool = False

    def figure(self, indicator: str) -> Figure | None:
        return next((f for f in self.figures if f.indicator == indicator), None)

    @property
    def per_head(self) -> Decimal | None:
        """Public spend per head, with any allocated spend."""
        s = self.spend
        if s is None:
            return None
        return s.per_head_with_allocated if s.allocated is not None else s.per_head

    def published_per_head(self) -> Decimal | str | None:
        """Spend per head as a published page shows it. Beside the area's own spend, spend
        over spend per head is the population (£300 over £100.00 a head is 3 people), so
        where the population is withheld this is withheld too, shown as ``c``."""
        if self.per_head is None:
            return None
        return SECONDARY if self.population_withheld else self.per_head

    def published_allocated(self) -> Decimal | str | None:
        """The spend allocated to the area as published: allocated by population, its
        share over any shown area's share per person is the population, so it is withheld
        (``c``) with the population."""
        s = self.spend
        if s is None or s.allocated is None:
            return None
        if self.population_withheld and s.allocated_by == POPULATION:
            return SECONDARY
        return s.allocated

    @property
    def floor_area_m2(self) -> Decimal:
        return sum((a.gia_m2 for a in self.assets if a.gia_m2 is not None), ZERO)

    @property
    def running_cost(self) -> Decimal:
        return sum((c for a in self.assets if (c := a.running_cost) is not None), ZERO)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "population": self.population,
            "imd_decile": None if self.decile is None else shown(self.decile),
            "domains": [f.to_json() for f in self.domains],
            "indicators": [f.to_json() for f in self.figures],
            "assets": [a.key for a in self.assets],
            "floor_area_m2": shown(self.floor_area_m2),
            "running_cost_gbp": str(to_money(self.running_cost)),
            "spend": None if self.spend is None else self.spend.to_json(),
            "per_head_gbp": None if self.per_head is None else str(self.per_head),
            "similar": [{"code": c, "name": n, "distance": str(d)} for c, n, d in self.similar],
        }


@dataclass
class AreaProfiles:
    place: str
    indicators: list[Indicator]
    areas: list[Neighbourhood]
    place_population: int | None
    place_per_head: Decimal | None
    allocated_by: str | None
    all_areas: int  # the place's areas, whether or not all are profiled here
    files: list[str] = field(default_factory=list)
    out: list[Path] = field(default_factory=list)
    # the areas whose population is withheld, worked out over all the place's areas (as
    # the /areas table and the place's total show them), so that one area's profile does
    # not show a population the table of all of them withholds; None: over these areas
    withheld: frozenset[str] | None = None

    @property
    def summary(self) -> str:
        if len(self.areas) == 1:
            return profile_sentence(self.areas[0], self)
        most = sum(1 for a in self.areas if a.decile == 1)
        # an asset lies in each of the areas it is in (a district and its LSOA): count it once
        held = len({s.key for a in self.areas for s in a.assets})
        text = (
            f"{len(self.areas):,} areas of {self.place}: {most:,} in the most deprived tenth "
            f"of England (IMD decile 1); {held:,} of the partners' assets lie in them"
        )
        if self.place_per_head is not None:
            text += f"; public spend {fmt_gbp0(self.place_per_head)} a head"
        return text + "."

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "place": self.place,
            "summary": self.summary,
            "similarity": SIMILARITY,
            "indicators": [i.to_json() for i in self.indicators],
            "place_population": self.place_population,
            "place_per_head_gbp": None if self.place_per_head is None else str(self.place_per_head),
            "allocated_by": self.allocated_by,
            "areas": [a.to_json() for a in self.areas],
        }
        if self.out:
            out["out"] = [str(p) for p in self.out]
        return out

    def population_hidden(self) -> set[str]:
        """The areas whose population a published table beside the place's population
        leaves out: under 5, and (secondary suppression) the next smallest where one
        suppressed population could be recovered from the place's total: over all the
        place's areas where :func:`area_profiles` worked it out (:attr:`withheld`)."""
        if self.withheld is not None:
            return set(self.withheld)
        return withheld_populations({a.code: a.population for a in self.areas})

    def population_text(self, a: Neighbourhood) -> str | None:
        """The area's population as a published sentence gives it: ``<5``, ``c`` or the
        number with its thousands separated."""
        if a.population is None:
            return None
        if a.code in self.population_hidden():
            return marker(a.population)
        return f"{a.population:,}"

    def for_publication(self) -> AreaProfiles:
        """The profiles as a published page or report shows them: each figure's place
        median or similar mean left out where it would give a suppressed count away. The
        JSON of the command line (an analyst's view) keeps every figure. An area whose
        population is withheld has its spend per head (and spend allocated by population)
        withheld too: either beside its spend gives the population away."""
        hidden = self.population_hidden()
        areas = []
        for a in self.areas:
            figures = [f.for_publication() for f in a.figures]
            by_name = {f.indicator: f for f in figures}
            areas.append(
                replace(
                    a,
                    figures=figures,
                    domains=[by_name[f.indicator] for f in a.domains],
                    population_withheld=a.code in hidden,
                )
            )
        return replace(self, areas=areas)


def withheld_populations(populations: Mapping[str, int | None]) -> set[str]:
    """The areas whose population a table shown with the place's total withholds: under 5
    (primary), and the next smallest where one would follow by subtraction (secondary)."""
    codes = list(populations)
    p = protect([[populations[c]] for c in codes], row_totals=False, column_totals=True)
    return {c for c, hidden in zip(codes, p.hidden, strict=True) if hidden[0]}


def fmt_gbp0(v: Decimal) -> str:
    from wholeplace.money import fmt_gbp

    return fmt_gbp(v, pence=False)


def profile_sentence(a: Neighbourhood, ps: AreaProfiles) -> str:
    parts = [a.code if a.name == a.code else f"{a.name} ({a.code})"]
    if a.population is not None:
        parts.append(f"population {ps.population_text(a)}")
    if a.decile is not None:
        parts.append(f"IMD decile {shown(a.decile)} (1 = the most deprived tenth of England)")
    parts.append(f"{len(a.assets):,} of the partners' assets")
    if a.per_head is not None:
        # the sentence is published (pages, reports): withheld with the population
        if a.code in ps.population_hidden():
            spend = f"public spend a head {SECONDARY} (confidential)"
        else:
            spend = f"public spend {fmt_gbp0(a.per_head)} a head"
        if ps.place_per_head is not None:
            spend += f" against {fmt_gbp0(ps.place_per_head)} for {ps.place}"
        parts.append(spend)
    if a.similar:
        parts.append("most like " + ", ".join(n for _, n, _ in a.similar[:3]))
    return parts[0] + ": " + "; ".join(parts[1:]) + "."


def similar_to(
    indicators: Mapping[str, Mapping[str, Decimal]], targets: Sequence[str], k: int = SIMILAR
) -> dict[str, list[tuple[str, Decimal]]]:
    """The ``k`` areas most like each of ``targets`` (see :data:`SIMILARITY`), nearest
    first, distances to 4 places, ties by code. A k-d tree (scipy) finds them, so all of
    England's 33,000 LSOAs take seconds, not the hours of comparing every pair."""
    import numpy as np
    from scipy.spatial import cKDTree

    names = sorted(indicators)
    complete = sorted(set.intersection(*(set(indicators[n]) for n in names))) if names else []
    if len(complete) < 2:
        return {t: [] for t in targets}
    columns = []
    for n in names:
        col = np.array([float(indicators[n][c]) for c in complete])
        span = col.max() - col.min()
        if span:
            columns.append((col - col.min()) / span)
    if not columns:
        return {t: [] for t in targets}
    points = np.column_stack(columns)
    tree = cKDTree(points)
    index = {c: i for i, c in enumerate(complete)}
    asked = [t for t in targets if t in index]
    out: dict[str, list[tuple[str, Decimal]]] = {t: [] for t in targets}
    if not asked:
        return out
    # a few more than k, so that ties at the k-th place are broken by code, not by the tree
    want = min(len(complete), k + 4)
    dist, idx = tree.query(points[[index[t] for t in asked]], k=want)
    for t, ds, ix in zip(asked, dist, idx, strict=True):
        at = index[t]
        found = sorted(
            (round(float(d), 12), complete[i]) for d, i in zip(ds, ix, strict=True) if i != at
        )
        if len(found) >= k and want < len(complete) and round(float(ds[-1]), 12) <= found[k - 1][0]:
            # the tie at the k-th place runs past what the tree returned (deciles tie
            # often): take every area within that distance, so ties go by code
            ball = tree.query_ball_point(points[at], r=found[k - 1][0] + 1e-9)
            found = sorted(
                (round(float(np.linalg.norm(points[i] - points[at])), 12), complete[i])
                for i in ball
                if i != at
            )
        out[t] = [(code, round_half_up(d, 4)) for d, code in found[:k]]
    return out


def _mean(values: list[Decimal]) -> Decimal | None:
    return round_half_up(sum(values, ZERO) / len(values), 4) if values else None


def area_profiles(
    ws: Workspace,
    area: str | None = None,
    spend: Mapping[str, AreaSpend] | None = None,
    *,
    k: int = SIMILAR,
) -> AreaProfiles:
    """The profile of ``area`` (a code), or of every area of the place."""
    from wholeplace.areas import area_populations, place_population
    from wholeplace.assets.service import profiles

    base = profiles(ws, None, spend)
    if area is not None and area not in {a.code for a in base.areas}:
        raise WholeplaceError(
            f"No area {area!r} in this place. Fix: use a code from `wholeplace areas profile "
            "--all --json`, or import its boundary or indicators first."
        )
    values: dict[str, dict[str, Decimal]] = {i.name: {} for i in base.indicators}
    for p in base.areas:
        for n, v in p.values.items():
            values[n][p.code] = v
    counts = {i.name for i in base.indicators if i.counts}
    # the decile first, then its domains, then the rest, each group by name: the order of
    # every table of the report
    base.indicators.sort(key=lambda i: (i.name != DECILE, not i.name.endswith("_decile"), i.name))
    chosen = [p for p in base.areas if area is None or p.code == area]
    near = similar_to(values, [p.code for p in chosen], k)
    names = {p.code: p.name for p in base.areas}
    populations = area_populations(ws)

    # the medians are over every area of the place, whichever are profiled here
    def population_of(p: Any) -> int | None:
        pop = populations.get(p.code)
        if pop is None and POPULATION in p.values:
            pop = int(p.values[POPULATION])
        return pop

    hidden = withheld_populations({p.code: population_of(p) for p in base.areas})
    # the indicator ``population`` is the populations shown as <5 and c: its median and the
    # similar areas' mean are withheld where they would give either kind away
    hidden_pops = [v for c, v in values.get(POPULATION, {}).items() if c in hidden]
    withheld = {
        n
        for n in values
        if (n in counts or n == POPULATION)
        and median_discloses(list(values[n].values()), hidden_pops if n == POPULATION else ())
    }

    def similar_withheld(name: str, near_codes: list[str]) -> bool:
        near_values = [values[name][c] for c in near_codes]
        if name == POPULATION and any(c in hidden for c in near_codes):
            return True
        return name in counts and mean_discloses(near_values)

    out = []
    for p in chosen:
        pop = population_of(p)
        similar = near[p.code]
        figures = []
        for i in base.indicators:
            near_codes = [c for c, _ in similar if c in values[i.name]]
            near_values = [values[i.name][c] for c in near_codes]
            figures.append(
                Figure(
                    i.name,
                    p.values.get(i.name),
                    p.ranks.get(i.name),
                    base.medians.get(i.name),
                    _mean(near_values),
                    i.name in counts,
                    place_withheld=i.name in withheld,
                    similar_withheld=similar_withheld(i.name, near_codes),
                )
            )
        out.append(
            Neighbourhood(
                p.code,
                p.name,
                pop,
                p.values.get(DECILE),
                [f for f in figures if f.indicator.endswith("_decile") and f.indicator != DECILE],
                figures,
                p.assets,
                p.spend,
                [(c, names.get(c, c), d) for c, d in similar],
            )
        )
    place_pop, per_head = _place_spend(
        base.areas, populations, values.get(POPULATION, {}), place_population(ws)
    )
    allocated_by = next(
        (s.allocated_by for s in (spend or {}).values() if s.allocated_by is not None), None
    )
    return AreaProfiles(
        ws.name,
        base.indicators,
        out,
        place_pop,
        per_head,
        allocated_by,
        len(base.areas),
        files=[],
        withheld=frozenset(hidden),
    )


def _place_spend(
    areas: Sequence[Any],
    populations: Mapping[str, int],
    pop_indicator: Mapping[str, Decimal],
    place_pop: int | None,
) -> tuple[int | None, Decimal | None]:
    """The place's population and its spend per head: the areas' spend, with any
    allocated, over that population. The population is the place's (as set at init, else
    its areas'), else the sum of the indicator ``population`` over the areas: areas may
    nest (districts and their LSOAs), and only the place's own figure counts each person
    once."""
    pops = {p.code: populations.get(p.code) or int(pop_indicator.get(p.code, 0)) for p in areas}
    total_pop = place_pop or sum(v for v in pops.values() if v)
    spent = ZERO
    any_spend = False
    for p in areas:
        s = p.spend
        if s is None or not pops.get(p.code):
            continue
        any_spend = True
        spent += s.amount + (s.allocated or ZERO)
    per_head = to_money(spent / total_pop) if any_spend and total_pop else None
    return (total_pop or None), per_head


def import_domains(ws: Workspace, file: Path, *, source: str, as_of: str) -> list[IndicatorImport]:
    """The IMD decile and its seven domains' deciles from File 2 of the English indices of
    deprivation 2019, as ``imd_decile`` and ``<domain>_decile`` (1 = most deprived)."""
    from wholeplace.assets.service import import_indicator

    columns = [(DECILE, "Index of Multiple Deprivation (IMD)"), *DOMAINS]
    return [
        import_indicator(
            ws,
            file,
            name,
            DOMAIN_COLUMN.format(label),
            source=source,
            as_of=as_of,
            higher_is="better",
        )
        for name, label in columns
    ]


def write_profiles(
    ws: Workspace,
    out: Path,
    area: str | None = None,
    spend: Mapping[str, AreaSpend] | None = None,
    *,
    indicator: str | None = None,
    scheme: str = "quantiles",
    k: int = SIMILAR,
) -> AreaProfiles:
    """Write the profiles of ``area`` (or every area) to ``out``: ``.html`` (the shared
    layout, with a map of ``indicator`` classed by ``scheme``: ``quantiles`` or
    ``natural-breaks``), ``.pdf`` (that page printed) or ``.xlsx``."""
    from wholeplace.assets.neighbourhood_report import (
        ProfileReport,
        inputs_of,
        write_html,
        write_xlsx,
    )
    from wholeplace.reports.maps import SCHEMES
    from wholeplace.reports.pdf import pdf_writer
    from wholeplace.reports.writers import Writer, writer_for

    data: list[ProfileReport] = []

    def html(p: Path) -> object:
        return write_html(data[0], p)

    writers: dict[str, Writer] = {
        ".html": html,
        ".xlsx": lambda p: write_xlsx(data[0], p),
        ".pdf": pdf_writer(html),
    }
    write = writer_for(out, writers, "the area profiles")
    if scheme not in SCHEMES:
        raise WholeplaceError(
            f"--classes {scheme!r} is not known. Fix: use {' or '.join(SCHEMES)}."
        )
    found = area_profiles(ws, area, spend, k=k)
    chosen, svg = profiles_map(ws, found, area, indicator, scheme)
    data.append(ProfileReport(found.for_publication(), chosen, svg, scheme, inputs_of(ws)))
    write(Path(out))
    found.out = [Path(out)]
    return found


def profiles_map(
    ws: Workspace,
    found: AreaProfiles,
    area: str | None,
    indicator: str | None = None,
    scheme: str = "quantiles",
) -> tuple[str | None, str | None]:
    """The choropleth of the profiles (the indicator mapped, and the SVG, or None where no
    area has a boundary and a figure): with ``area``, that area outlined among all the
    place's. Counts under 5 are left off, as in every published map."""
    from wholeplace.areas import area_names, boundaries
    from wholeplace.assets.neighbourhood_report import area_map, map_indicator
    from wholeplace.reports.maps import SCHEMES

    if scheme not in SCHEMES:
        raise WholeplaceError(
            f"--classes {scheme!r} is not known. Fix: use {' or '.join(SCHEMES)}."
        )
    if indicator is not None and indicator not in {i.name for i in found.indicators}:
        raise WholeplaceError(
            f"No indicator {indicator!r}. Fix: use one of: "
            + (", ".join(i.name for i in found.indicators) or "(none imported)")
        )
    everywhere = None
    if area is not None:
        # one area is drawn among all the place's: where it lies is half its picture
        name = map_indicator(found, indicator)
        names = area_names(ws)
        everywhere = {
            code: (names.get(code, code), v)
            for code, v in ws.con.execute(
                "SELECT code, value FROM area_indicators WHERE indicator = ?", [name]
            ).fetchall()
        }
    return area_map(found, boundaries(ws), indicator, scheme, everywhere)


def demo_profiles(
    ws: Workspace, reports: Path, spend: Mapping[str, AreaSpend] | None = None
) -> tuple[list[Path], str]:
    """The demo place's area profiles (its LSOAs, indicators and estate are imported by
    :func:`wholeplace.assets.service.demo_estate` first): ``reports/areas.html`` and
    ``.xlsx``, and one sentence."""
    paths = [reports / "areas.html", reports / "areas.xlsx"]
    for path in paths:
        found = write_profiles(ws, path, None, spend)
    return paths, found.summary
