"""The spend map's figures by area, for the area profiles of the assets capability.

The capabilities are independent of one another (import-linter contract 2): the profiles
take each area's spend as :class:`~wholeplace.assets.profiles.AreaSpend`, and this module,
outside every capability, fills it from the spend capability's public service, as
:mod:`wholeplace.place_evidence` does for the framework. The edges call it.
"""

from __future__ import annotations

from decimal import Decimal

from wholeplace.assets.profiles import AreaSpend
from wholeplace.assets.service import allocated_spend
from wholeplace.errors import WholeplaceError
from wholeplace.money import to_money
from wholeplace.spend import service as spend_service
from wholeplace.spend.consolidate import NOT_ALLOCATED
from wholeplace.workspace import Workspace


def spend_by_area(
    ws: Workspace, allocate_by: str | None = None, year: str | None = None
) -> dict[str, AreaSpend] | None:
    """The spend map by area of ``year`` (default: the latest; None when the place has no
    spend); with ``allocate_by`` (``population`` or an indicator's name), the spend on no
    area is allocated to the areas by it, to the penny and kept apart."""
    try:
        found = spend_service.build_map(ws, year, "area")
    except WholeplaceError:
        if allocate_by is not None:
            raise
        return None  # no spend imported
    spend = {
        r.key: AreaSpend(found.year, r.amount_gbp, r.per_head_gbp)
        for r in found.map.rows
        if r.key != NOT_ALLOCATED
    }
    if allocate_by is None:
        return spend
    rest = sum((r.amount_gbp for r in found.map.rows if r.key == NOT_ALLOCATED), Decimal(0))
    return allocated_spend(ws, spend, to_money(rest), allocate_by, found.year)
