"""The columns of a transaction file: the roles a column can play, and the header
labels councils use for each."""

from __future__ import annotations

from collections.abc import Sequence

from wholeplace.labels import match_key

ROLES = (
    "partner",
    "date",
    "amount",
    "supplier",
    "department",
    "service_area",
    "expense_type",
    "description",
    "reference",
)
MAP_KEYS = ("department", "service_area", "expense_type")

# Header labels councils use, per role, most specific first (compared after
# lower-casing and turning every run of other characters into one space).
ALIASES: dict[str, list[str]] = {
    # a national collection holds many partners' payments in one file
    "partner": ["partner", "partner id"],
    "date": [
        "payment date",
        "invoice payment date",
        "paid date",
        "date paid",
        "date of payment",
        "transaction date",
        "invoice date",
        "date",
        "updated",
    ],
    "amount": [
        "net amount",
        "amount paid",
        "invoice line value net of vat",
        "total excludes vat",
        "net",
        "amount",
        "value",
        "amount gbp",
        "total",
    ],
    "supplier": [
        "supplier beneficiary name",
        "supplier name t",
        "supplier id t",
        "supplier name",
        "supplier final",
        "supplier",
        "name",
        "payee",
        "beneficiary",
        "vendor name",
        "vendor",
    ],
    "department": [
        "department area",
        "directorate",
        "department",
        "strgrpcc t",
        "service label t",
        "portfolio",
    ],
    "service_area": [
        "service area",
        "service cost centre",
        "expense area",
        "service code t",
        "service",
        "cost centre name",
        "cost centre",
    ],
    "expense_type": [
        "expenses type",
        "expense type",
        "account detail",
        "expenditure category",
        "expenditure code t",
        "g l description",
        "cipfsubj t",
        "account",
        "expense code",
    ],
    "description": ["description", "purpose of spend", "narrative", "group description"],
    "reference": [
        "hbc ref no",
        "transaction number",
        "transaction no",
        "transno",
        "internal ref",
        "internal ref number",
        "sap document number",
        "invoice number",
        "reference",
        "ref",
    ],
}


def header_key(cell: object) -> str:
    """A header cell or mapping value as a key (:func:`wholeplace.labels.match_key`)."""
    return match_key(cell)


def match_header(cells: Sequence[object]) -> dict[str, int] | None:
    """Role -> column index when ``cells`` look like a header row, else None."""
    keys = [header_key(c) for c in cells]
    found: dict[str, int] = {}
    for role, names in ALIASES.items():
        best: tuple[int, int] | None = None
        for i, k in enumerate(keys):
            if not k or i in found.values():
                continue
            if k in names:
                rank = names.index(k)
                if best is None or rank < best[0]:
                    best = (rank, i)
        if best is not None:
            found[role] = best[1]
    if "amount" in found and ("date" in found or "supplier" in found) and len(found) >= 3:
        return found
    return None


# The roles that decide a figure: whose payment, in which year, how much. Two columns
# that could each be one of them are refused; for the others (supplier, department, ...)
# the most specific name wins, as published files often carry two (Calderdale's
# "Internal Ref Number" and "Invoice Number", Harrogate's "Supplier Name" and
# "Supplier Name(T)", Newcastle's "Service Area" and "Cost Centre").
FIGURE_ROLES = ("partner", "date", "amount")


def header_clashes(cells: Sequence[object], layout: dict[str, int]) -> list[tuple[str, list[int]]]:
    """(role, column indexes) where a header row is ambiguous: two columns that could each
    be a figure role, or the column chosen for any role named twice, word for word."""
    keys = [header_key(c) for c in cells]
    out: list[tuple[str, list[int]]] = []
    for role, names in ALIASES.items():
        if role in FIGURE_ROLES:
            hits = [i for i, k in enumerate(keys) if k in names]
        elif role in layout:
            hits = [i for i, k in enumerate(keys) if k and k == keys[layout[role]]]
        else:
            continue
        if len(hits) > 1:
            out.append((role, hits))
    return out
