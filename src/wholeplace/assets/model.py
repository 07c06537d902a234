"""One asset in the shared register: the layout every partner's register is mapped onto.

The fields follow the Government Property Data Standard where it has one (UPRN, name,
address, postcode, tenure, gross internal area in m², running costs, condition A-D,
backlog maintenance, lease end); location is kept both as British National Grid metres
and as WGS 84 longitude/latitude, whichever the partner gave, so a distance is measured in
metres and a map drawn in degrees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

CONDITIONS = ("A", "B", "C", "D")  # GPDS condition: A good ... D bad, life expired
COST_PARTS = ("cost_energy", "cost_rates", "cost_maintenance", "cost_other")


@dataclass(frozen=True)
class Asset:
    """One building or piece of land of one partner, as imported (file row ``row``)."""

    partner: str
    ref: str  # the partner's own asset reference, else the UPRN, else ``row N``
    row: int
    uprn: str | None = None
    name: str = ""
    address: str = ""
    postcode: str = ""
    easting: Decimal | None = None  # British National Grid metres, to the metre
    northing: Decimal | None = None
    longitude: Decimal | None = None  # WGS 84 degrees, 6 places (about 0.1 m)
    latitude: Decimal | None = None
    tenure: str = ""
    use: str = ""
    type: str = ""
    gia_m2: Decimal | None = None
    cost_energy: Decimal | None = None
    cost_rates: Decimal | None = None
    cost_maintenance: Decimal | None = None
    cost_other: Decimal | None = None
    cost_total: Decimal | None = None  # a total given without a split
    utilisation: Decimal | None = None  # per cent of the space used, 0-100, 1 place
    condition: str | None = None
    backlog: Decimal | None = None
    lease_end: date | None = None
    surplus: bool = False
    areas: tuple[str, ...] = field(default=())  # the place's areas the asset lies in

    @property
    def key(self) -> str:
        return f"{self.partner}/{self.ref}"

    @property
    def located(self) -> bool:
        return self.easting is not None and self.northing is not None

    @property
    def running_cost(self) -> Decimal | None:
        """Running cost per year: the parts given, summed; else the total given."""
        parts = [getattr(self, p) for p in COST_PARTS if getattr(self, p) is not None]
        if parts:
            return sum(parts, Decimal("0.00"))
        return self.cost_total

    @property
    def cost_per_m2(self) -> Decimal | None:
        """Running cost per m² of floor area, to the penny (half up)."""
        from wholeplace.money import to_money

        cost = self.running_cost
        if cost is None or not self.gia_m2:
            return None
        return to_money(cost / self.gia_m2)

    def to_json(self) -> dict[str, Any]:
        def text(v: object) -> object:
            if isinstance(v, Decimal):
                return str(v)
            if isinstance(v, date):
                return v.isoformat()
            return v

        out = {k: text(getattr(self, k)) for k in self.__dataclass_fields__ if k != "areas"}
        out["areas"] = list(self.areas)
        out["running_cost"] = text(self.running_cost)
        out["cost_per_m2"] = text(self.cost_per_m2)
        return out


def shown(value: Decimal) -> str:
    """A figure as written, without trailing zeros or an exponent: 1290.0000 -> 1290."""
    text = format(value.normalize(), "f")
    return text
