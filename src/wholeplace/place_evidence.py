"""What the place holds, read through the capabilities' services, for the framework's checks.

The framework's automatic evidence (:mod:`wholeplace.framework.evidence`) needs the spend
map, the appraisals and agreements linked to the place, and the outcomes scorecard. The
capabilities are independent of one another (import-linter contract 2), so the framework
declares what it needs as :class:`~wholeplace.framework.evidence.PlaceFacts` and this
module, outside every capability, fills it from the public services of spend, cba, sharing,
governance and outcomes. The edges (command line, web) pass ``PlaceEvidence(ws)`` to the
framework's services.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from wholeplace.cba import service as cba_service
from wholeplace.errors import WholeplaceError
from wholeplace.framework.evidence import (
    DataSharingFacts,
    DocumentContent,
    OutcomesFacts,
    SpendFacts,
)
from wholeplace.governance import service as governance_service
from wholeplace.outcomes import service as outcomes_service
from wholeplace.partners import partner_ids
from wholeplace.sharing import service as sharing_service
from wholeplace.spend import service as spend_service
from wholeplace.spend.consolidate import NOT_ALLOCATED, NOT_STATED
from wholeplace.workspace import Workspace


class PlaceEvidence:
    """:class:`~wholeplace.framework.evidence.PlaceFacts` for an open place."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def latest_spend(self) -> SpendFacts | None:
        try:
            year = spend_service.choose_year(self.ws, None)
        except WholeplaceError:
            return None  # no spend imported
        by_partner = spend_service.build_map(self.ws, year, "partner").map
        by_area = spend_service.build_map(self.ws, year, "area").map
        by_group = spend_service.build_map(self.ws, year, "customer_group").map
        rec = by_partner.reconciliation
        return SpendFacts(
            year=year,
            total_gbp=by_partner.total_gbp,
            reconciles=rec.holds,
            difference_gbp=rec.difference_gbp,
            partners=frozenset(partner_ids(self.ws)),
            partners_with_spend=frozenset(r.key for r in by_partner.rows if r.amount_gbp),
            with_area_gbp=sum(
                (r.amount_gbp for r in by_area.rows if r.key != NOT_ALLOCATED), Decimal(0)
            ),
            with_group_gbp=sum(
                (r.amount_gbp for r in by_group.rows if r.key != NOT_STATED), Decimal(0)
            ),
        )

    def read_document(self, kind: str, path: Path) -> DocumentContent:
        if kind == "appraisal":
            run = cba_service.run(path, self.ws)
            s = run.appraisal.settings
            parties = tuple(
                agency
                for agency, row in run.result.by_agency.items()
                if row.get("pv_costs") or row.get("pv_fiscal")
            )
            years = tuple(s.year_label(i) for i in range(s.years))
            return DocumentContent(s.name, parties, years)
        if kind == "agreement":
            a = sharing_service.gainshare(path).agreement
            return DocumentContent(a.name, tuple(p.id for p in a.partners), tuple(a.years))
        if kind == "pool":
            pool = sharing_service.pool(path).pool
            return DocumentContent(pool.name, tuple(pool.partners), tuple(pool.years))
        raise WholeplaceError(f"{kind!r} is not a kind of evidence the place can read.")

    def data_sharing(self, on: date) -> DataSharingFacts | None:
        found = governance_service.flows_without_agreement(self.ws, on)
        return None if found is None else DataSharingFacts(*found)

    def outcomes_scorecard(self) -> OutcomesFacts | None:
        found = outcomes_service.assured_scorecard(self.ws)
        if found is None:
            return None
        rows = found.rows
        latest = [r.latest.period_end for r in rows if r.latest is not None]
        return OutcomesFacts(
            outcomes=found.outcomes,
            indicators=len(rows),
            with_data=len(latest),
            green=sum(1 for r in rows if r.latest is not None and r.status == "green"),
            amber=sum(1 for r in rows if r.latest is not None and r.status == "amber"),
            red=sum(1 for r in rows if r.latest is not None and r.status == "red"),
            latest=max(latest, default=None),
        )
