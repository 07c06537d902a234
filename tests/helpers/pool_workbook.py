"""The example pooled budget as a workbook, for the pool-workbook tests."""

from __future__ import annotations


def write_pool_workbook(path, contributions_rows=None):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets = {
        "pool": [
            ["key", "value"],
            ["name", "Integrated community equipment service pooled budget"],
            ["host", "lcc"],
            ["services", "community equipment, minor adaptations"],
        ],
        "partners": [
            ["id", "name"],
            ["lcc", "County Council (host)"],
            ["icb", "NHS Integrated Care Board"],
            ["bc", "Borough Council"],
        ],
        "contributions": contributions_rows
        or [
            ["year", "partner", "cash", "in_kind"],
            ["2024-25", "lcc", 500000, 100000],
            ["2024-25", "icb", 300000, None],
            ["2024-25", "bc", 100000, None],
            ["2025-26", "lcc", 520000, 100000],
            ["2025-26", "icb", 310000, None],
            ["2025-26", "bc", 70000, None],
        ],
        "outturn": [
            ["year", "outturn", "kind"],
            ["2024-25", 1150000, "actual"],
            ["2025-26", 970000, "forecast"],
        ],
        "rules": [
            ["applies_to", "up_to", "split", "lcc", "icb", "bc"],
            ["overspend", 20000, "host", None, None, None],
            ["overspend", 100000, "proportional", None, None, None],
            ["overspend", None, "fixed", 50, 50, None],
            ["overspend", None, "cap", None, None, 5000],
            ["underspend", None, "proportional", None, None, None],
        ],
    }
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
