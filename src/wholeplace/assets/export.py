"""A partner's register in the Transparency Code's published layout (the LGA ``LandAssets``
schema, as Trafford publishes it), ready to publish; it reads back in with
``wholeplace assets import``.

Locations are written as British National Grid eastings and northings
(``CoordinateReferenceSystem`` ``OSGB36``). The address is written whole in ``StreetName``
(the register keeps one address field). Text a spreadsheet would run as a formula is
written with a leading apostrophe, as every workbook the program writes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from wholeplace.assets.model import Asset
from wholeplace.reports.xlsx import neutralise

COLUMNS = (
    "OrganisationLabel",
    "OrganisationURI",
    "EffectiveDate",
    "UPRN",
    "AssetCode",
    "PropertyName",
    "StreetNumber",
    "StreetName",
    "PostTown",
    "PostCode",
    "CoordinateReferenceSystem",
    "GeoX",
    "GeoY",
    "TenureType",
    "TenureDetail",
    "OtherDetail",
    "HoldingType",
    "BuildingSize",
    "LandArea",
    "EnergyRating",
)


def transparency_csv(organisation: str, assets: Sequence[Asset], effective: date) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for a in assets:
        row = [
            organisation,
            "",
            effective.isoformat(),
            a.uprn or "",
            a.ref,
            a.name,
            "",
            a.address,
            "",
            a.postcode,
            "OSGB36" if a.located else "",
            "" if a.easting is None else str(a.easting),
            "" if a.northing is None else str(a.northing),
            a.tenure,
            "",
            a.use,
            a.type,
            "" if a.gia_m2 is None else str(a.gia_m2),
            "",
            "",
        ]
        w.writerow([neutralise(v) for v in row])
    return out.getvalue()
