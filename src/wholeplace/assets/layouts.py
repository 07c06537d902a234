"""Which column of a published register holds which field of the shared layout.

Two layouts are known without being told: the Local Government Transparency Code's land and
building assets (the LGA ``LandAssets`` schema and the looser files councils publish under
it) and NHS England's Estates Returns Information Collection (ERIC) site return. Any other
file is read through a mapping the user gives (``--mapping MAP.csv``: columns ``field`` and
``column``, one row per column of the file; docs/assets.md).

A field may be filled from several columns: money fields are summed (ERIC's energy cost is
nine columns), text fields joined with ", " (a street number, street and town make one
address). Columns are matched by :func:`wholeplace.labels.header_key`, so ``Post Code`` and
``postcode`` differ but ``POST CODE`` and ``Post code`` do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wholeplace.errors import Problems
from wholeplace.labels import header_key
from wholeplace.tabular import read_table

TEXT_FIELDS = (
    "ref",
    "uprn",
    "name",
    "address",
    "postcode",
    "crs",
    "tenure",
    "use",
    "type",
    "condition",
    "lease_end",
    "surplus",
)
NUMBER_FIELDS = (
    "x",
    "y",
    "longitude",
    "latitude",
    "gia_m2",
    "unused_m2",
    "utilisation",
    "hours_used",
    "hours_available",
)
MONEY_FIELDS = (
    "cost_energy",
    "cost_rates",
    "cost_maintenance",
    "cost_other",
    "cost_total",
    "backlog",
)
FIELDS = TEXT_FIELDS + NUMBER_FIELDS + MONEY_FIELDS

# Columns a register carries that the layout does not use and that some publish twice
# (Cheltenham's 2021 register has Organisation and OrganisationLabel two times each): the
# partner is given by --partner, so they are not read at all.
IGNORED = ("organisation", "organisationlabel", "organisation_label", "organisationuri")


@dataclass(frozen=True)
class Layout:
    name: str
    required: tuple[str, ...]  # header keys that identify the layout's header row
    columns: dict[str, tuple[str, ...]]  # field -> header keys it is filled from


TRANSPARENCY_CODE = Layout(
    "Local Government Transparency Code: land and building assets",
    ("uprn",),
    {
        "uprn": ("uprn",),
        "ref": ("assetcode", "asset_code", "asset_reference"),
        "name": ("propertyname", "property_name", "asset_name", "site_name", "name"),
        "address": (
            "site_address",
            "address",
            "streetnumber",
            "street_number",
            "streetname",
            "street_name",
            "posttown",
            "post_town",
        ),  # fmt: skip
        "postcode": ("postcode", "post_code"),
        "crs": ("coordinatereferencesystem", "coordinate_reference_system"),
        "x": ("geox", "easting"),
        "y": ("geoy", "northing"),
        "longitude": ("longitude",),
        "latitude": ("latitude",),
        "tenure": ("tenuretype", "tenure_type", "tenure"),
        "use": ("otherdetail", "other_detail", "use"),
        "type": ("holdingtype", "holding_type"),
        "gia_m2": ("buildingsize", "building_size", "gia_m2", "gross_internal_area_m2"),
        "cost_total": ("running_cost", "running_cost_gbp"),
        "utilisation": ("utilisation", "utilisation_pct", "occupancy_pct"),
        "condition": ("condition",),
        "backlog": ("backlog_maintenance", "backlog_maintenance_gbp"),
        "lease_end": ("lease_end", "lease_end_date", "lease_expiry"),
        "surplus": ("surplus", "surplus_declared"),
    },
)

ERIC_SITE = Layout(
    "NHS Estates Returns Information Collection (ERIC), site return",
    ("trust_code", "site_code"),
    {
        "ref": ("site_code",),
        "name": ("site_name",),
        "postcode": ("post_code",),
        "tenure": ("tenure",),
        "type": ("site_type",),
        "use": ("non_inpatient_type",),
        "gia_m2": ("gross_internal_floor_area_m2",),
        "unused_m2": ("floor_area_empty_m2", "floor_area_under_used_m2"),
        "cost_energy": (
            "electricity_green_electricity_tariff_costs_gbp",
            "electricity_trust_owned_solar_costs_gbp",
            "electricity_third_party_owned_solar_costs_gbp",
            "electricity_other_renewables_costs_gbp",
            "electricity_other_costs_gbp",
            "gas_costs_gbp",
            "oil_costs_gbp",
            "non_fossil_fuel_renewable_costs_gbp",
            "other_energy_costs_gbp",
        ),
        "cost_rates": ("rates_gbp",),
        "cost_maintenance": (
            "estates_and_property_maintenance_gbp",
            "grounds_and_gardens_maintenance_gbp",
        ),
        "cost_other": (
            "leases_and_rent_gbp",
            "other_hard_fm_estates_costs_gbp",
            "other_soft_fm_hotel_services_costs_gbp",
            "management_hard_and_soft_fm_costs_gbp",
        ),
        "backlog": (
            "cost_to_eradicate_high_risk_backlog_gbp",
            "cost_to_eradicate_significant_risk_backlog_gbp",
            "cost_to_eradicate_moderate_risk_backlog_gbp",
            "cost_to_eradicate_low_risk_backlog_gbp",
        ),
    },
)

KNOWN = (ERIC_SITE, TRANSPARENCY_CODE)


def read_mapping(path: Path) -> Layout:
    """A layout from the user's mapping file: rows of ``field,column``."""
    table = read_table(path, required=["field", "column"])
    problems = Problems(table.label, sheet=table.sheet)
    columns: dict[str, list[str]] = {}
    for row in table.rows:
        name = row.values.get("field", "").strip().lower()
        column = row.values.get("column", "").strip()
        if name not in FIELDS:
            problems.add(
                row.number,
                "field",
                name,
                "not a field of the register",
                f"use one of: {', '.join(FIELDS)}",
            )
            continue
        if not column:
            problems.add(row.number, "column", "", "missing", "name the file's column")
            continue
        columns.setdefault(name, []).append(header_key(column))
    if not columns:
        problems.add(None, None, None, "no rows", "one row per column: field,column")
    problems.raise_if_any()
    required = tuple(dict.fromkeys(k for keys in columns.values() for k in keys))
    return Layout(f"mapping {path.name}", required, {k: tuple(v) for k, v in columns.items()})
